"""Stuck compensations: retry the deletes a failed publish could not finish, and say what still exists where.

When publishing fails terminally the saga pauses, then deletes, what it created
(agent/publishing/compensation.py); a delete that fails leaves its ledger step in "compensating". This module
(run by the scheduler every 15 minutes):
- finds campaigns with such steps and retries the withdrawal through the public `withdraw_plan` (the same
  ledger, the same keys), with backoff per campaign: 15 minutes after the first attempt, doubling up to
  4 hours, and at most `MAX_CLEANUP_ATTEMPTS` attempts. After that ADLY stops deleting on its own: it is an
  alert for a human, and only a read-only check (every `CHECK_INTERVAL`) notices when the human deleted it;
- reads back what is still there (paused or not) and returns one `StuckCleanup` per object, for the front
  doors to alert a human (once per object: `unannounced` / `mark_announced`) and to confirm when it is gone
  (`resolved_unannounced` / `mark_resolution_announced`).

Every attempt, give-up, check and announcement is an audit event about the campaign, so a restart forgets
neither the backoff nor who was told what. Times in those events come from `now` (the context's clock).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from agent.context import AgentContext
from agent.planning import CampaignPlan
from agent.publishing import withdraw_plan
from store import repositories as repo
from store.models import Campaign, PublishStep
from tools.platforms.base import ObjectKind, PlatformError

log = logging.getLogger(__name__)

RETRY_INTERVAL = timedelta(minutes=15)  # after the first retry; doubles with every attempt
MAX_RETRY_INTERVAL = timedelta(hours=4)
MAX_CLEANUP_ATTEMPTS = 6  # at 0, 15 min, 30 min, 1 h, 2 h, 4 h: about 8 hours, then a human's job
CHECK_INTERVAL = timedelta(hours=6)  # after giving up: read back whether someone deleted it by hand
SETTLE = timedelta(minutes=5)  # a ledger touched this recently may still be compensating in a live saga
EARLY = timedelta(minutes=1)  # the job runs every 15 minutes: a run a little early still counts as due

ATTEMPT = "cleanup.attempt"
GAVE_UP = "cleanup.gave_up"
CHECKED = "cleanup.checked"
ANNOUNCED = "cleanup.announced"
RESOLUTION_ANNOUNCED = "cleanup.resolution_announced"
_HISTORY = (ATTEMPT, GAVE_UP, CHECKED)
_STOPPED = ("paused", "deleted", "archived")
_ROW_LEVELS = ("campaign", "ad_set", "ad")  # kinds with a user-facing row (a creative has none)


@dataclass(frozen=True)
class StuckCleanup:
    """One object a compensation could not delete: it still exists on `platform`."""

    campaign_id: str
    campaign_name: str
    workspace_id: str
    conversation_id: str | None
    platform: str
    object_kind: str  # campaign, ad_set, ad, creative
    external_id: str
    step_key: str  # the ledger step's idempotency key: what alerts are deduplicated by
    last_error: str | None
    since: datetime  # when it was first seen stuck
    attempts: int  # cleanup attempts made so far (the saga's own first try not counted)
    paused: bool | None  # read back: True paused (or under a paused campaign), False may deliver, None unknown
    status: str | None  # the object's own status as read back (active, paused, ...), None when unreadable
    ads_manager_url: str | None
    ad_account: str | None  # the platform's own ad account id, to find it in the Ads Manager
    retrying: bool  # False once the attempts are exhausted: only a human deletes it now


@dataclass(frozen=True)
class ResolvedCleanup:
    """An object a human was alerted about that has since been deleted (its step is "compensated")."""

    campaign_id: str
    campaign_name: str
    workspace_id: str
    conversation_id: str | None
    platform: str
    object_kind: str
    external_id: str
    step_key: str
    campaign_clear: bool  # nothing of the campaign is stuck any more (on any platform)


def retry_interval(attempts: int) -> timedelta:
    """How long after attempt number `attempts` the next one is due."""
    return min(RETRY_INTERVAL * (2 ** max(0, attempts - 1)), MAX_RETRY_INTERVAL)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, PlatformError):
        code = f" [{exc.platform_code}]" if exc.platform_code is not None else ""
        return f"{exc.platform_message}{code}"
    return str(exc) or type(exc).__name__


def _at(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@dataclass
class _History:
    """What earlier runs did for one campaign, read back from its audit events."""

    attempts: int = 0
    last_attempt: datetime | None = None
    last_check: datetime | None = None
    gave_up: bool = False
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)  # step key -> latest {error, status, ...}

    @classmethod
    def of(cls, events: Iterable[Any]) -> _History:
        history = cls()
        for event in events:
            details = event.details or {}
            at = _at(details.get("at"))
            if event.action == ATTEMPT:
                history.attempts += 1
                history.last_attempt = at or history.last_attempt
            elif event.action == GAVE_UP:
                history.gave_up = True
            elif event.action == CHECKED:
                history.last_check = at or history.last_check
            for key, info in (details.get("objects") or {}).items():
                known = history.objects.setdefault(key, {})
                since, error = known.get("since"), known.get("error")
                known.update(info)
                known["since"] = since or known.get("since")  # the first sighting stays the "since"
                known["error"] = known.get("error") or error
        return history


async def retry_compensations(ctx: AgentContext, *, now: datetime | None = None) -> list[StuckCleanup]:
    """Retry every stuck compensation that is due; return what still exists (one record per object)."""
    now = now or ctx.clock()
    async with ctx.sessions() as session:
        campaigns = await repo.list_compensating_campaigns(session=session)
    stuck: list[StuckCleanup] = []
    for campaign in campaigns:
        try:
            stuck += await _campaign(ctx, campaign, now)
        except Exception:
            log.exception("retrying the compensation of campaign %s failed", campaign.id)
    return stuck


async def _campaign(ctx: AgentContext, campaign: Campaign, now: datetime) -> list[StuckCleanup]:
    async with ctx.sessions() as session:
        steps = await repo.list_steps(session=session, campaign_id=campaign.id)
        events = await repo.list_audit_events(session=session, actions=_HISTORY, subject_type="campaign",
                                              subject_id=campaign.id)
    # Attempts count per approved plan: a later plan of the same campaign that gets stuck starts afresh.
    history = _History.of(e for e in events if (e.details or {}).get("plan_hash") in (None, campaign.plan_hash))
    before = [s for s in steps if s.state == "compensating" and s.external_id]
    if not before:
        return []
    if now - max(s.updated_at for s in steps) < SETTLE:
        return []  # the saga may still be compensating it right now; look again next run
    plan = CampaignPlan.model_validate(campaign.plan) if campaign.plan and campaign.plan_hash else None
    objects = history.objects
    for s in before:
        objects.setdefault(s.idempotency_key, {}).setdefault("since", s.updated_at.isoformat())

    if plan is not None and not history.gave_up and history.attempts < MAX_CLEANUP_ATTEMPTS and (
        history.last_attempt is None or now - history.last_attempt >= retry_interval(history.attempts) - EARLY
    ):
        errors = await _withdraw(ctx, plan, campaign.plan_hash or "")
        async with ctx.sessions() as session:
            steps = await repo.list_steps(session=session, campaign_id=campaign.id)
        still = [s for s in steps if s.state == "compensating" and s.external_id]
        states = await _read_back(ctx, plan, steps, still)
        cleaned = sorted({s.idempotency_key for s in before} - {s.idempotency_key for s in still})
        attempt = history.attempts + 1
        for s in still:
            info = objects.setdefault(s.idempotency_key, {})
            info["error"] = errors.get(s.platform) or s.last_error or info.get("error")
            info.update(states.get(s.idempotency_key, {}))
        gave_up = bool(still) and attempt >= MAX_CLEANUP_ATTEMPTS
        async with ctx.sessions() as session, session.begin():
            await repo.audit(session=session, workspace_id=campaign.workspace_id, actor="adly", action=ATTEMPT,
                             subject_type="campaign", subject_id=campaign.id,
                             details={"at": now.isoformat(), "plan_hash": campaign.plan_hash,
                                      "attempt": attempt, "cleaned": cleaned,
                                      "objects": {s.idempotency_key: objects[s.idempotency_key] for s in still}})
            if gave_up:
                await repo.audit(session=session, workspace_id=campaign.workspace_id, actor="adly",
                                 action=GAVE_UP, subject_type="campaign", subject_id=campaign.id,
                                 details={"at": now.isoformat(), "plan_hash": campaign.plan_hash,
                                          "attempts": attempt})
        if cleaned:
            log.warning("campaign %s: compensation finished on retry %d for %d object(s)", campaign.id, attempt,
                        len(cleaned))
        if gave_up:
            log.error("campaign %s: %d object(s) still exist after %d cleanup attempts; ADLY stops deleting "
                      "them on its own: a human must delete them in the platform's Ads Manager", campaign.id,
                      len(still), attempt)
        history.attempts, history.gave_up = attempt, history.gave_up or gave_up
    elif plan is not None and (history.gave_up or history.attempts >= MAX_CLEANUP_ATTEMPTS):
        last = max(d for d in (history.last_check, history.last_attempt) if d is not None) if (
            history.last_check or history.last_attempt) else None
        if last is None or now - last >= CHECK_INTERVAL - EARLY:
            still = await _check_by_hand(ctx, campaign, plan, steps, before, objects, now)
        else:
            still = before
    else:
        still = before
        if plan is None:
            for s in before:
                objects[s.idempotency_key].setdefault("error", "the campaign has no approved plan to withdraw")

    retrying = not history.gave_up and history.attempts < MAX_CLEANUP_ATTEMPTS and plan is not None
    out = [_record(campaign, s, objects.get(s.idempotency_key, {}), history.attempts, retrying, now)
           for s in still]
    if out:
        log.warning("cleanup needed: campaign %s still has %d object(s) a failed publish should have deleted: %s; "
                    "last error: %s; %s", campaign.id, len(out),
                    ", ".join(f"{i.platform} {i.object_kind} {i.external_id} "
                              f"({ {True: 'paused', False: 'NOT paused', None: 'status unknown'}[i.paused]})"
                              for i in out),
                    next((i.last_error for i in out if i.last_error), "-"),
                    "ADLY retries them" if retrying else "ADLY stopped retrying: delete them in the Ads Manager")
    return out


async def _withdraw(ctx: AgentContext, plan: CampaignPlan, plan_hash: str) -> dict[str, str]:
    """withdraw_plan; platform -> why nothing could be tried there (a delete's own failure is on its step)."""
    outcomes = await withdraw_plan(ctx, plan, plan_hash)
    return {p: o.error for p, o in outcomes.items() if o.needs_reconnect and o.error}


async def _read_back(
    ctx: AgentContext, plan: CampaignPlan, steps: Sequence[PublishStep], still: Sequence[PublishStep]
) -> dict[str, dict[str, Any]]:
    """step key -> {status, paused, ads_manager_url}: what each stuck object is on its platform right now."""
    out: dict[str, dict[str, Any]] = {}
    accounts = {p.platform: p for p in plan.platforms}
    for platform in sorted({s.platform for s in still}):
        client = ctx.platforms.get(platform)
        campaign_ext = next((s.external_id for s in steps
                             if s.platform == platform and s.object_kind == "campaign" and s.external_id), None)
        pplan = accounts.get(platform)
        token: str | None = None
        account = pplan.external_account_id if pplan is not None else None
        async with ctx.sessions() as session:
            row = await repo.get_ad_account(session=session, ad_account_id=pplan.ad_account_id if pplan else "")
            if row is not None:
                token, _ = repo.read_tokens(cipher=ctx.cipher, account=row)
                account = row.external_account_id

        async def state(kind: str, external_id: str, *, client: Any = client, token: str | None = token,
                        account: str | None = account, platform: str = platform) -> str | None:
            if client is None or token is None or account is None:
                return None
            try:
                found = await client.get_state(token=token, account_id=account, kind=cast(ObjectKind, kind),
                                               external_id=external_id)
            except Exception as exc:
                log.warning("reading back %s %s on %s failed: %s", kind, external_id, platform, _describe(exc))
                return None
            return str(found.status)

        campaign_status = await state("campaign", campaign_ext) if campaign_ext else None
        url = None
        if client is not None and account is not None:
            try:
                url = client.ads_manager_url(account_id=account, campaign_id=campaign_ext or "")
            except Exception:
                url = None
        for s in still:
            if s.platform != platform:
                continue
            own = campaign_status if s.external_id == campaign_ext else await state(s.object_kind, s.external_id or "")
            if own in _STOPPED or campaign_status in _STOPPED:
                paused: bool | None = True
            elif own in (None, "unknown") or campaign_status in (None, "unknown"):
                paused = None
            else:
                paused = False
            out[s.idempotency_key] = {"status": own, "paused": paused, "ads_manager_url": url, "account": account}
    return out


async def _check_by_hand(
    ctx: AgentContext, campaign: Campaign, plan: CampaignPlan, steps: Sequence[PublishStep],
    before: Sequence[PublishStep], objects: dict[str, dict[str, Any]], now: datetime,
) -> list[PublishStep]:
    """After giving up: read back only. What a human deleted meanwhile is marked compensated in the ledger."""
    states = await _read_back(ctx, plan, steps, before)
    still: list[PublishStep] = []
    gone: list[PublishStep] = []
    for s in before:
        info = states.get(s.idempotency_key, {})
        objects[s.idempotency_key].update(info)
        (gone if info.get("status") in ("deleted", "archived") else still).append(s)
    async with ctx.sessions() as session, session.begin():
        for s in gone:
            await repo.set_step_state(session=session, idempotency_key=s.idempotency_key, state="compensated")
            if s.object_kind in _ROW_LEVELS:
                await repo.apply_row_changes(session=session, changes=[repo.RowChange(
                    campaign_id=campaign.id, platform=s.platform, level=s.object_kind, status="deleted",
                    match_external_id=s.external_id or "")])
        await repo.audit(session=session, workspace_id=campaign.workspace_id, actor="adly", action=CHECKED,
                         subject_type="campaign", subject_id=campaign.id,
                         details={"at": now.isoformat(), "plan_hash": campaign.plan_hash,
                                  "cleaned": [s.idempotency_key for s in gone],
                                  "objects": {s.idempotency_key: objects[s.idempotency_key] for s in still}})
    if gone:
        log.warning("campaign %s: %d stuck object(s) were deleted by hand", campaign.id, len(gone))
    return still


def _record(campaign: Campaign, step: PublishStep, info: dict[str, Any], attempts: int, retrying: bool,
            now: datetime) -> StuckCleanup:
    return StuckCleanup(
        campaign_id=campaign.id, campaign_name=campaign.name, workspace_id=campaign.workspace_id,
        conversation_id=campaign.conversation_id, platform=step.platform, object_kind=step.object_kind,
        external_id=step.external_id or "", step_key=step.idempotency_key,
        last_error=info.get("error") or step.last_error, since=_at(info.get("since")) or step.updated_at,
        attempts=attempts, paused=info.get("paused"), status=info.get("status"),
        ads_manager_url=info.get("ads_manager_url"), ad_account=info.get("account"), retrying=retrying,
    )  # fmt: skip


# ------------------------------------------------------------------------------------------ who was told


async def _announced_keys(ctx: AgentContext, action: str) -> dict[str, set[str]]:
    """campaign id -> the step keys an `action` event covered."""
    async with ctx.sessions() as session:
        events = await repo.list_audit_events(session=session, actions=[action], subject_type="campaign")
    keys: dict[str, set[str]] = defaultdict(set)
    for event in events:
        keys[event.subject_id or ""].update((event.details or {}).get("keys") or [])
    return keys


async def unannounced(ctx: AgentContext, stuck: Sequence[StuckCleanup]) -> list[StuckCleanup]:
    """The stuck objects nobody has been alerted about yet."""
    told = await _announced_keys(ctx, ANNOUNCED)
    return [s for s in stuck if s.step_key not in told.get(s.campaign_id, set())]


async def mark_announced(ctx: AgentContext, items: Sequence[StuckCleanup], *, where: str) -> None:
    await _mark(ctx, ANNOUNCED, items, where)


async def resolved_unannounced(ctx: AgentContext) -> list[ResolvedCleanup]:
    """Objects someone was alerted about that are deleted now, and whose resolution was not announced yet."""
    told = await _announced_keys(ctx, ANNOUNCED)
    done = await _announced_keys(ctx, RESOLUTION_ANNOUNCED)
    out: list[ResolvedCleanup] = []
    async with ctx.sessions() as session:
        for campaign_id, keys in told.items():
            open_keys = keys - done.get(campaign_id, set())
            if not open_keys:
                continue
            campaign = await repo.get_campaign(session=session, campaign_id=campaign_id)
            if campaign is None:
                continue
            steps = await repo.list_steps(session=session, campaign_id=campaign_id)
            clear = not any(s.state == "compensating" for s in steps)
            for step in steps:
                if step.idempotency_key in open_keys and step.state == "compensated":
                    out.append(ResolvedCleanup(
                        campaign_id=campaign.id, campaign_name=campaign.name, workspace_id=campaign.workspace_id,
                        conversation_id=campaign.conversation_id, platform=step.platform,
                        object_kind=step.object_kind, external_id=step.external_id or "",
                        step_key=step.idempotency_key, campaign_clear=clear,
                    ))  # fmt: skip
    return out


async def mark_resolution_announced(ctx: AgentContext, items: Sequence[ResolvedCleanup], *, where: str) -> None:
    await _mark(ctx, RESOLUTION_ANNOUNCED, items, where)


async def _mark(ctx: AgentContext, action: str, items: Sequence[StuckCleanup | ResolvedCleanup], where: str) -> None:
    by_campaign: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in items:
        by_campaign[(item.campaign_id, item.workspace_id)].append(item.step_key)
    async with ctx.sessions() as session, session.begin():
        for (campaign_id, workspace_id), keys in by_campaign.items():
            await repo.audit(session=session, workspace_id=workspace_id, actor="adly", action=action,
                             subject_type="campaign", subject_id=campaign_id,
                             details={"keys": sorted(keys), "where": where, "at": ctx.clock().isoformat()})
