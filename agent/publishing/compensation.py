"""Compensation: a platform's objects are paused, then deleted, through the ledger.

What the ledger lists is the target; a step whose answer was lost is looked up by its key first (an orphan).
Children go before their parents. A delete that fails leaves its step "compensating", with the platform's
reason, for `agent/cleanup.py` to retry and report.
"""

from __future__ import annotations

import logging

from agent.publishing.ledger import LEVELS
from agent.publishing.outcome import NeedsReconnect, describe
from agent.publishing.policy import PlatformPublisher
from store import repositories as repo
from store.models import PublishStep
from tools.platforms.base import ObjectKind, PlatformError

log = logging.getLogger(__package__)  # the saga's one logger, "agent.publishing"


async def compensate(pub: PlatformPublisher) -> None:
    """Pause, then delete, everything this platform created for the campaign, through the ledger."""
    if pub.account is None or pub.account.dead:
        return
    async with pub.ctx.sessions() as session:
        steps = await repo.list_steps(
            session=session, campaign_id=pub.plan.campaign_id, platform=pub.platform
        )
    targets: list[tuple[PublishStep, str]] = []
    for s in steps:
        if s.object_kind not in (*LEVELS, "creative"):
            continue
        external = s.external_id
        if s.state in ("sending", "unknown") and not external:
            # The answer was lost: the object may exist. Find it before deciding nothing is out there.
            external = await _find_orphan(pub, s)
        if external and s.state in ("created", "sending", "unknown", "compensating"):
            targets.append((s, external))
    if not targets:
        pub.outcome.compensated = bool(steps)
        return
    campaigns = [e for s, e in targets if s.object_kind == "campaign"]
    if campaigns:
        try:
            await pub.call(
                lambda: pub.client.set_status(
                    token=pub.token,
                    account_id=pub.acct,
                    kind="campaign",
                    external_ids=campaigns,
                    status="paused",
                )
            )
        except (PlatformError, NeedsReconnect) as exc:
            log.warning("pausing %s campaign during compensation failed: %s", pub.platform, describe(exc))
    order = {"ad": 0, "creative": 1, "ad_set": 2, "campaign": 3}
    all_gone = True
    for s, external in sorted(targets, key=lambda t: order[t[0].object_kind]):
        await pub.mark(s.idempotency_key, "compensating", external_id=external)
        failure = await _delete(pub, s.object_kind, external)  # type: ignore[arg-type]
        if failure is not None:
            # Stays "compensating", with the platform's reason: agent/cleanup.py retries it and alerts.
            await pub.mark(s.idempotency_key, "compensating", error=f"delete failed: {failure}")
            all_gone = False
            continue

        # A creative has no user-facing row of its own: its ad's row already says "deleted".
        rows = [pub.row(s.object_kind, "deleted", match_external_id=external)] if s.object_kind in LEVELS else []
        await pub.mark(s.idempotency_key, "compensated", rows=rows)
    pub.outcome.compensated = all_gone
    pub.outcome.ok = False


async def _find_orphan(pub: PlatformPublisher, s: PublishStep) -> str | None:
    parent_id: str | None = None
    if s.object_kind == "ad_set":
        parent_id = pub.outcome.external_campaign_id
    elif s.object_kind == "ad" and s.parent_key:
        parent_id = pub.outcome.ad_sets.get(s.parent_key)
    try:
        return await pub.call(
            lambda: pub.find_lost(
                s.idempotency_key,
                kind=s.object_kind,  # type: ignore[arg-type]
                plan_key=s.plan_key,
                parent_id=parent_id,
            )
        )
    except (PlatformError, NeedsReconnect, KeyError) as exc:
        log.warning("looking up %s during compensation failed: %s", s.idempotency_key, describe(exc))
        return None


async def _delete(pub: PlatformPublisher, kind: ObjectKind, external_id: str) -> str | None:
    """Delete one object; None when it is gone (or was already), else why it is still there."""
    try:
        await pub.call(
            lambda: pub.client.delete(
                token=pub.token, account_id=pub.acct, kind=kind, external_id=external_id
            )
        )
        return None
    except (PlatformError, NeedsReconnect) as exc:
        # Already gone counts as done; anything else stays "compensating" in the ledger for a human.
        try:
            state = await pub.call(
                lambda: pub.client.get_state(
                    token=pub.token, account_id=pub.acct, kind=kind, external_id=external_id
                )
            )
        except (PlatformError, NeedsReconnect):
            state = None
        if state is not None and state.status in ("deleted", "archived"):
            return None
        log.warning("delete during compensation failed: %s", describe(exc))
        return describe(exc)
