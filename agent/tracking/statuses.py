"""The status check: every tracked campaign's objects read back per ad account and level, changes stored and told.

Reads are batched like the sync: per ad account, one list read per level (campaigns, ad sets, ads) filtered by
id where the platform can (`list_states`), page by page, so calls grow with accounts and pages, not with
campaigns. The changes are then weighed and stored campaign by campaign, as `check_statuses` promises.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from agent.context import AgentContext
from agent.tracking.calls import AccountLink, AccountSkipped
from agent.tracking.scope import AccountWork, tracked_work
from agent.tracking.sync import ACCOUNTS_AT_ONCE
from agent.tracking.tokens import refresh_link, skip_account
from store import repositories as repo
from store.models import Campaign, PlatformCampaign
from tools.platforms.base import ObjectKind, ObjectState, PlatformError

log = logging.getLogger(__name__)

LEVELS: tuple[ObjectKind, ...] = ("campaign", "ad_set", "ad")

# Ads and ad sets are reported when they stop delivering, are rejected, or come back from either. Their
# passage through review after publishing (active <-> in review) is stored without a word: it is routine.
_TOLD_FOR_CHILDREN = ("rejected", "paused", "deleted", "archived")

Stored = dict[tuple[ObjectKind, str], tuple[str, str | None, str | None]]  # object -> (status, name, language)


def worth_telling(level: str, old: str | None, new: str) -> bool:
    if level == "campaign":
        return True
    return new in _TOLD_FOR_CHILDREN or (old in _TOLD_FOR_CHILDREN and new in ("active", "pending_review"))


def stored_objects(pc: PlatformCampaign) -> Stored:
    """What the store says of a platform campaign's objects: its campaign, ad sets and ads on the platform."""
    stored: Stored = {("campaign", str(pc.external_campaign_id)): (pc.status, None, None)}
    for ad_set in pc.ad_sets:
        if ad_set.external_id:
            stored[("ad_set", ad_set.external_id)] = (ad_set.status, ad_set.name, None)
        for ad in ad_set.ads:
            if ad.external_id:
                stored[("ad", ad.external_id)] = (ad.status, ad.name, ad.language)
    return stored


async def _read_account(ctx: AgentContext, work: AccountWork) -> dict[tuple[ObjectKind, str], ObjectState]:
    """The platform's statuses of every object of the account's tracked campaigns: one list read per level."""
    assert work.account is not None
    link = AccountLink.of(ctx, work.account)
    wanted: dict[ObjectKind, list[str]] = {level: [] for level in LEVELS}
    for pc, _ in work.parts:
        for kind, external_id in stored_objects(pc):
            wanted[kind].append(external_id)
    client = ctx.platforms[work.platform]
    states: dict[tuple[ObjectKind, str], ObjectState] = {}
    for kind, ids in wanted.items():
        if not ids:
            continue

        async def read(token: str, kind: ObjectKind = kind, ids: list[str] = ids) -> list[ObjectState]:
            return await client.list_states(token=token, account_id=link.external_id, kind=kind, external_ids=ids)

        try:
            listed = await link.call(ctx, read, lambda lk: refresh_link(ctx, lk))
        except PlatformError as exc:
            # This level is unknown this run (nothing changes for it); the other levels still count.
            log.warning("status check of %s %ss on account %s failed: %s", work.platform, kind,
                        work.ad_account_id, exc.platform_message)
            continue
        states.update({(s.kind, s.external_id): s for s in listed})
    return states


def _changes(campaign: Campaign, pc: PlatformCampaign, states: dict[tuple[ObjectKind, str], ObjectState],
             moved: list[repo.RowChange], told: list[dict[str, Any]]) -> None:
    for (kind, external_id), (old, name, language) in stored_objects(pc).items():
        state = states.get((kind, external_id))
        if state is None or state.status == old:
            continue
        moved.append(repo.RowChange(campaign_id=campaign.id, platform=pc.platform, level=kind,
                                    status=state.status, match_external_id=external_id))
        if worth_telling(kind, old, state.status):
            told.append(
                {
                    "campaign_id": campaign.id, "campaign_name": campaign.name,
                    "workspace_id": campaign.workspace_id, "conversation_id": campaign.conversation_id,
                    "platform": pc.platform, "level": kind, "external_id": external_id,
                    "object_name": name, "language": language, "from": old, "to": state.status,
                }  # fmt: skip
            )


async def check_statuses(
    ctx: AgentContext, *, tell: Callable[[list[dict[str, Any]]], Awaitable[bool]] | None = None
) -> list[dict[str, Any]]:
    """The 15-minute job: read each tracked campaign's objects back; changes are stored, and returned for notice.

    The reads are batched per ad account and level (module docstring), so an ad rejected in review is seen as
    well as a campaign paused by hand. Each change names its campaign (id, name, workspace, conversation), the
    platform, the object (`level`, `object_name`, `language` for an ad) and the statuses `from` and `to`. Every
    new status is stored, so a change is returned once; an ad's routine passage through review is stored but not
    returned. An account that cannot be read (token gone, rate limited for long) is skipped, its reason logged.

    `tell(changes)`: one campaign's changes worth telling, before they are stored. When it answers False (the
    message could not be delivered), those changes are not stored, so the next run finds them again: a
    notice is never lost to a failed post.
    """
    works = await tracked_work(ctx, with_tree=True)
    states: dict[tuple[ObjectKind, str], ObjectState] = {}
    gate = asyncio.Semaphore(ACCOUNTS_AT_ONCE)

    async def read(work: AccountWork) -> None:
        if work.account is None:
            return
        async with gate:
            try:
                states.update(await _read_account(ctx, work))
            except AccountSkipped as exc:
                await skip_account(ctx, work.account, exc, "status check")

    await asyncio.gather(*(read(w) for w in works))
    by_campaign: dict[str, tuple[Campaign, list[PlatformCampaign]]] = {}
    for work in works:
        for pc, campaign in work.parts:
            by_campaign.setdefault(campaign.id, (campaign, []))[1].append(pc)
    changes: list[dict[str, Any]] = []
    for campaign, parts in by_campaign.values():
        moved: list[repo.RowChange] = []  # every new status, all platforms of the campaign
        told: list[dict[str, Any]] = []  # those worth a word
        for pc in sorted(parts, key=lambda p: p.platform):
            _changes(campaign, pc, states, moved, told)
        if told and tell is not None and not await tell(told):
            # Not delivered: left unstored, so the next run finds these changes and tells them again.
            undelivered = {(c["platform"], c["level"], c["external_id"]) for c in told}
            moved = [m for m in moved if (m.platform, m.level, m.match_external_id) not in undelivered]
            told = []
        if moved:
            async with ctx.sessions() as session, session.begin():
                await repo.apply_row_changes(session=session, changes=moved)
        changes += told
    return changes
