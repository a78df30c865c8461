"""Tracking: performance sync, status checks and token refresh for live campaigns (run by the scheduler)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from agent.context import AgentContext
from store import repositories as repo
from tools.platforms.base import ObjectKind, ObjectState, PlatformError, TokenSet

log = logging.getLogger(__name__)

TRACKED_STATUSES = ["live", "partially_live", "paused"]


async def _platform_rows(ctx: AgentContext, campaign_id: str) -> list[tuple[Any, Any, str]]:
    """(platform campaign, ad account, access token) for each platform the campaign exists on."""
    rows = []
    async with ctx.sessions() as session:
        for pc in await repo.campaign_tree(session=session, campaign_id=campaign_id):
            if not pc.external_campaign_id or not pc.ad_account_id:
                continue
            account = await repo.get_ad_account(session=session, ad_account_id=pc.ad_account_id)
            if account is None:
                continue
            token, _ = repo.read_tokens(cipher=ctx.cipher, account=account)
            if token:
                rows.append((pc, account, token))
    return rows


async def sync_campaign(ctx: AgentContext, campaign_id: str, *, since: date, until: date) -> dict[str, Any]:
    """Fetch insights per platform (one call for all of a platform's campaign ids) and store daily snapshots."""
    totals: dict[str, dict[str, Any]] = {}
    for pc, account, token in await _platform_rows(ctx, campaign_id):
        client = ctx.platforms[pc.platform]
        try:
            rows = await client.insights(
                token=token,
                account_id=account.external_account_id,
                campaign_ids=[pc.external_campaign_id],
                since=since,
                until=until,
            )
        except PlatformError as exc:
            log.warning("insights failed for %s: %s", pc.platform, exc.platform_message)
            totals[pc.platform] = {"error": exc.platform_message}
            continue
        sums: dict[str, Any] = defaultdict(int)
        sums["spend"] = Decimal("0")
        async with ctx.sessions() as session, session.begin():
            for row in rows:
                await repo.upsert_snapshot(
                    session=session,
                    campaign_id=campaign_id,
                    platform=pc.platform,
                    level=row.level,
                    external_object_id=row.external_id,
                    day=row.day,
                    impressions=row.impressions,
                    clicks=row.clicks,
                    spend=row.spend,
                    currency=row.currency,
                    conversions=row.conversions,
                    video_views=row.video_views,
                )
                for name in ("impressions", "clicks", "conversions", "video_views"):
                    sums[name] += getattr(row, name)
                sums["spend"] += row.spend
        totals[pc.platform] = {**sums, "spend": str(sums["spend"]), "currency": account.currency}
    return totals


async def sync_all(ctx: AgentContext) -> int:
    """The hourly job: yesterday and today for every tracked campaign. Returns how many were synced."""
    today = ctx.clock().date()
    async with ctx.sessions() as session:
        workspaces = await repo.list_workspaces(session=session)
        campaigns = [
            c
            for w in workspaces
            for c in await repo.list_campaigns(session=session, workspace_id=w.id, statuses=TRACKED_STATUSES)
        ]
    for campaign in campaigns:
        await sync_campaign(ctx, campaign.id, since=today - timedelta(days=1), until=today)
    return len(campaigns)


# Ads and ad sets are reported when they stop delivering, are rejected, or come back from either. Their
# passage through review after publishing (active <-> in review) is stored without a word: it is routine.
_TOLD_FOR_CHILDREN = ("rejected", "paused", "deleted", "archived")


def _worth_telling(level: str, old: str | None, new: str) -> bool:
    if level == "campaign":
        return True
    return new in _TOLD_FOR_CHILDREN or (old in _TOLD_FOR_CHILDREN and new in ("active", "pending_review"))


async def check_statuses(
    ctx: AgentContext, *, tell: Callable[[list[dict[str, Any]]], Awaitable[bool]] | None = None
) -> list[dict[str, Any]]:
    """The 15-minute job: read each live campaign's objects back; changes are stored, and returned for notice.

    One batched read per platform covers the campaign, its ad sets and its ads (Meta's multi-ID read, TikTok's
    filtered read per level), so an ad rejected in review is seen as well as a campaign paused by hand. Each
    change names its campaign (id, name, workspace, conversation), the platform, the object (`level`,
    `object_name`, `language` for an ad) and the statuses `from` and `to`. Every new status is stored, so a
    change is returned once; an ad's routine passage through review is stored but not returned.

    `tell(changes)`: one campaign's changes worth telling, before they are stored. When it answers False (the
    message could not be delivered), those changes are not stored, so the next run finds them again: a
    notice is never lost to a failed post.
    """
    changes: list[dict[str, Any]] = []
    async with ctx.sessions() as session:
        workspaces = await repo.list_workspaces(session=session)
        campaigns = [
            c
            for w in workspaces
            for c in await repo.list_campaigns(session=session, workspace_id=w.id, statuses=TRACKED_STATUSES)
        ]
    for campaign in campaigns:
        moved: list[repo.RowChange] = []  # every new status, all platforms of the campaign
        told: list[dict[str, Any]] = []  # those worth a word
        for pc, account, token in await _platform_rows(ctx, campaign.id):
            stored: dict[tuple[ObjectKind, str], tuple[str, str | None, str | None]] = {
                ("campaign", pc.external_campaign_id): (pc.status, None, None)
            }
            for ad_set in pc.ad_sets:
                if ad_set.external_id:
                    stored[("ad_set", ad_set.external_id)] = (ad_set.status, ad_set.name, None)
                for ad in ad_set.ads:
                    if ad.external_id:
                        stored[("ad", ad.external_id)] = (ad.status, ad.name, ad.language)
            states = await _read_back(ctx, pc.platform, token, account.external_account_id, list(stored))
            for (kind, external_id), (old, name, language) in stored.items():
                state = states.get((kind, external_id))
                if state is None or state.status == old:
                    continue
                moved.append(repo.RowChange(campaign_id=campaign.id, platform=pc.platform, level=kind,
                                            status=state.status, match_external_id=external_id))
                if _worth_telling(kind, old, state.status):
                    told.append(
                        {
                            "campaign_id": campaign.id, "campaign_name": campaign.name,
                            "workspace_id": campaign.workspace_id, "conversation_id": campaign.conversation_id,
                            "platform": pc.platform, "level": kind, "external_id": external_id,
                            "object_name": name, "language": language, "from": old, "to": state.status,
                        }  # fmt: skip
                    )
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


async def _read_back(
    ctx: AgentContext, platform: str, token: str, account_id: str, objects: list[tuple[ObjectKind, str]]
) -> dict[tuple[ObjectKind, str], ObjectState]:
    """The objects' statuses; if the batched read fails (an object the platform no longer knows fails a whole
    Meta multi-ID read), at least the campaign's, so a campaign-level change is still seen."""
    client = ctx.platforms[platform]
    try:
        states = await client.get_states(token=token, account_id=account_id, objects=objects)
        return {(s.kind, s.external_id): s for s in states}
    except PlatformError as exc:
        log.warning("status check of %s objects failed (%s); reading the campaign alone", platform,
                    exc.platform_message)
    try:
        kind, external_id = objects[0]
        state = await client.get_state(token=token, account_id=account_id, kind=kind, external_id=external_id)
    except PlatformError as exc:
        log.warning("status check failed for %s: %s", platform, exc.platform_message)
        return {}
    return {(kind, external_id): state}


async def refresh_tokens(ctx: AgentContext, *, within: timedelta = timedelta(days=7)) -> int:
    """The daily job: refresh tokens that expire soon; accounts that cannot refresh are marked for reconnect."""
    now = ctx.clock()
    refreshed = 0
    async with ctx.sessions() as session:
        workspaces = await repo.list_workspaces(session=session)
        accounts = [
            a for w in workspaces for a in await repo.list_ad_accounts(session=session, workspace_id=w.id)
        ]
    for account in accounts:
        if (
            account.status != "active"
            or account.token_expires_at is None
            or account.token_expires_at > now + within
        ):
            continue
        access, refresh = repo.read_tokens(cipher=ctx.cipher, account=account)
        try:
            fresh = await ctx.platforms[account.platform].refresh(
                tokens=TokenSet(access_token=access or "", refresh_token=refresh)
            )
        except PlatformError as exc:
            log.warning(
                "token refresh failed for %s account %s: %s",
                account.platform,
                account.id,
                exc.platform_message,
            )
            async with ctx.sessions() as session, session.begin():
                await repo.mark_account_status(
                    session=session, ad_account_id=account.id, status="needs_reconnect"
                )
            continue
        async with ctx.sessions() as session, session.begin():
            row = await repo.get_ad_account(session=session, ad_account_id=account.id)
            assert row is not None
            await repo.update_tokens(
                session=session,
                cipher=ctx.cipher,
                account=row,
                access_token=fresh.access_token,
                refresh_token=fresh.refresh_token or refresh,
                token_expires_at=fresh.expires_at,
            )
        refreshed += 1
    return refreshed
