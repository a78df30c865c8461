"""The publish ledger: one step per write a publish run makes, keyed by an idempotency key.

Its state (STEP_STATES in store/models.py) says how far the write went; the batched
writes of a run (`plan_steps`, `apply_step_changes`, `apply_row_changes`: the latter moves the campaign
tree's rows to what the platform now holds) are here too, as are the campaigns a compensation left
stuck (agent/cleanup.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple, cast

from sqlalchemy import CursorResult, DateTime, Integer, String, Text, Update, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import (
    PLATFORMS,
    STEP_OBJECT_KINDS,
    STEP_STATES,
    Ad,
    AdSet,
    Campaign,
    PlatformCampaign,
    PublishStep,
    new_id,
    utcnow,
)
from store.repositories._common import (
    NotFound,
    check_choice,
    core_table,
    first_row,
    insert_if_absent,
    truncate_error,
)


async def plan_step(
    *,
    session: AsyncSession,
    campaign_id: str,
    platform: str,
    idempotency_key: str,
    object_kind: str,
    plan_key: str,
    parent_key: str | None = None,
    request: dict[str, Any] | None = None,
) -> PublishStep:
    """Insert the step if its key is new, else return the existing one unchanged (never duplicates)."""
    check_choice(platform, PLATFORMS, "platform")
    check_choice(object_kind, STEP_OBJECT_KINDS, "step object kind")
    now = utcnow()
    await insert_if_absent(
        session,
        PublishStep,
        {
            "id": new_id(),
            "campaign_id": campaign_id,
            "platform": platform,
            "idempotency_key": idempotency_key,
            "object_kind": object_kind,
            "plan_key": plan_key,
            "parent_key": parent_key,
            "state": "planned",
            "attempts": 0,
            "request": request,
            "created_at": now,
            "updated_at": now,
        },
        ("idempotency_key",),
    )
    step = await get_step(session=session, idempotency_key=idempotency_key)
    assert step is not None
    if (step.campaign_id, step.platform, step.object_kind) != (campaign_id, platform, object_kind):
        # Keys are derived from the plan; a clash means two different writes share a key.
        raise ValueError(f"idempotency key {idempotency_key!r} already belongs to another step")
    return step


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """One write a publish run will make, for `plan_steps`."""

    campaign_id: str
    platform: str
    idempotency_key: str
    object_kind: str
    plan_key: str
    parent_key: str | None = None
    # What the write sends that a lookup of its lost answer needs later, whatever the plan has become since
    # (the object's display name: {"name": ...}).
    request: dict[str, Any] | None = None


async def plan_steps(*, session: AsyncSession, steps: Sequence[PlannedStep]) -> None:
    """Plan many steps at once; a key already planned is left unchanged (never duplicated).

    One prepared INSERT ... ON CONFLICT DO NOTHING run for every row (executemany) where the dialect has
    it, else `plan_step` one at a time. Like `plan_step`, it does not read the rows back.
    """
    if not steps:
        return
    for step in steps:
        check_choice(step.platform, PLATFORMS, "platform")
        check_choice(step.object_kind, STEP_OBJECT_KINDS, "step object kind")
    dialect = session.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        for step in steps:
            await plan_step(
                session=session, campaign_id=step.campaign_id, platform=step.platform,
                idempotency_key=step.idempotency_key, object_kind=step.object_kind, plan_key=step.plan_key,
                parent_key=step.parent_key, request=step.request,
            )  # fmt: skip
        return
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    now = utcnow()
    rows = [
        {
            "id": new_id(), "campaign_id": s.campaign_id, "platform": s.platform,
            "idempotency_key": s.idempotency_key, "object_kind": s.object_kind, "plan_key": s.plan_key,
            "parent_key": s.parent_key, "state": "planned", "attempts": 0, "request": s.request,
            "created_at": now, "updated_at": now,
        }  # fmt: skip
        for s in steps
    ]
    stmt = insert(core_table(PublishStep)).on_conflict_do_nothing(index_elements=["idempotency_key"])
    await session.execute(stmt, rows)


class StepState(NamedTuple):
    """What a run needs of a step's row to decide whether to send, look up or reuse."""

    campaign_id: str
    platform: str
    object_kind: str
    state: str
    external_id: str | None


async def get_step_states(*, session: AsyncSession, idempotency_keys: Sequence[str]) -> dict[str, StepState]:
    """The stored state of each of these steps that exists, by key (plain rows: no ORM objects to build)."""
    t = core_table(PublishStep).c
    rows = await session.execute(
        select(t.idempotency_key, t.campaign_id, t.platform, t.object_kind, t.state, t.external_id).where(
            t.idempotency_key.in_(list(idempotency_keys))
        )
    )
    return {row[0]: StepState(*row[1:]) for row in rows}


async def get_step(*, session: AsyncSession, idempotency_key: str) -> PublishStep | None:
    return await first_row(session, select(PublishStep).where(PublishStep.idempotency_key == idempotency_key))


async def set_step_state(
    *,
    session: AsyncSession,
    idempotency_key: str,
    state: str,
    external_id: str | None = None,
    error: str | None = None,
    response: dict[str, Any] | None = None,
    sent_at: datetime | None = None,
) -> PublishStep:
    """Move a step; entering "sending" counts an attempt (and, the first time, records `sent_at`). Commit
    before making the external call.

    One UPDATE ... RETURNING (no read first): the saga moves steps on every call it makes, often many in
    one transaction, so this sits on the publishing critical path.
    """
    check_choice(state, STEP_STATES, "step state")
    values: dict[str, Any] = {"state": state}
    if state == "sending":
        values["attempts"] = PublishStep.attempts + 1
        if sent_at is not None:
            values["sent_at"] = func.coalesce(PublishStep.sent_at, sent_at)
    if external_id is not None:
        values["external_id"] = external_id
    if error is not None:
        values["last_error"] = truncate_error(error)
    if response is not None:
        values["response"] = response
    stmt = (
        update(PublishStep)
        .where(PublishStep.idempotency_key == idempotency_key)
        .values(**values)
        .returning(PublishStep)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    step = (await session.scalars(stmt)).one_or_none()
    if step is None:
        raise NotFound(f"publish step {idempotency_key!r} not found")
    return step


async def mark_steps_sending(
    *, session: AsyncSession, idempotency_keys: Sequence[str], sent_at: datetime | None = None
) -> None:
    """Many steps enter "sending" at once (each counts an attempt): one UPDATE for a burst of parallel calls.

    `sent_at`: when the calls leave (the app's clock); kept where a step already has one (its first send)."""
    values: dict[str, Any] = {"state": "sending", "attempts": PublishStep.attempts + 1}
    if sent_at is not None:
        values["sent_at"] = func.coalesce(PublishStep.sent_at, sent_at)
    result = await session.execute(
        update(PublishStep)
        .where(PublishStep.idempotency_key.in_(list(idempotency_keys)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], result).rowcount != len(set(idempotency_keys)):
        raise NotFound(f"publish steps not found among {list(idempotency_keys)[:3]}...")


async def unmark_steps_sending(*, session: AsyncSession, idempotency_keys: Sequence[str]) -> None:
    """Undo `mark_steps_sending` for steps whose call was never made (their attempt is taken back, and the
    send time with it: nothing left, so nothing is to be looked up)."""
    await session.execute(
        update(PublishStep)
        .where(PublishStep.idempotency_key.in_(list(idempotency_keys)), PublishStep.state == "sending")
        .values(state="planned", attempts=PublishStep.attempts - 1, sent_at=None)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True, slots=True)
class StepChange:
    """A step's new state for `apply_step_changes`; None keeps the stored external id and error."""

    idempotency_key: str
    state: str
    external_id: str | None = None
    error: str | None = None


async def apply_step_changes(
    *, session: AsyncSession, changes: Sequence[StepChange], sent_at: datetime | None = None
) -> None:
    """Move many steps with one statement run for all of them (executemany), in the order given.

    The saga commits a burst of "created" steps at once; one prepared UPDATE for the lot costs a fraction
    of one UPDATE ... RETURNING per step. Entering "sending" counts an attempt and records `sent_at` where
    the step has none yet, as in `set_step_state`.
    """
    if not changes:
        return
    for change in changes:
        check_choice(change.state, STEP_STATES, "step state")
    params = [
        {
            "k_key": c.idempotency_key, "k_state": c.state, "k_external_id": c.external_id,
            "k_error": truncate_error(c.error), "k_attempt": 1 if c.state == "sending" else 0,
            "k_sent_at": sent_at if c.state == "sending" else None,
        }  # fmt: skip
        for c in changes
    ]
    result = await session.execute(_step_change_statement(), params)
    # The driver reports the total over the batch (-1 where it cannot tell); an unknown key leaves it short.
    matched = cast(CursorResult[Any], result).rowcount
    if matched not in (-1, len(changes)):
        raise NotFound(f"publish steps not found among {[c.idempotency_key for c in changes][:3]}...")


@cache
def _step_change_statement() -> Update:
    t = core_table(PublishStep).c
    return (
        update(core_table(PublishStep))
        .where(t.idempotency_key == bindparam("k_key"))
        .values(
            state=bindparam("k_state"),
            external_id=func.coalesce(bindparam("k_external_id", type_=String), t.external_id),
            last_error=func.coalesce(bindparam("k_error", type_=Text), t.last_error),
            attempts=t.attempts + bindparam("k_attempt", type_=Integer),
            sent_at=func.coalesce(t.sent_at, bindparam("k_sent_at", type_=DateTime(timezone=True))),
        )
    )


@dataclass(frozen=True, slots=True)
class RowChange:
    """A change to the user-facing rows (campaign, ad set, ad) of one campaign on one platform.

    Which rows, by the first that applies: `match_external_id`, the level's row with that external id;
    `plan_key`, one object (an ad also needs its `ad_set_key`; the campaign level has one row, so any
    plan key names it); neither, every row of the level that exists on the platform (has an external id).
    `status`, `external_id` and `creative_id` (ads only: the creative the ad was made on) are set; None
    keeps the stored value.
    """

    campaign_id: str
    platform: str
    level: str
    status: str | None = None
    plan_key: str | None = None
    ad_set_key: str | None = None
    external_id: str | None = None
    creative_id: str | None = None
    match_external_id: str | None = None

    @property
    def selector(self) -> str:
        return "external_id" if self.match_external_id is not None else "plan_key" if self.plan_key else "existing"


async def apply_row_changes(*, session: AsyncSession, changes: Sequence[RowChange]) -> None:
    """Apply row changes with one executemany UPDATE per (level, selector), keeping the order per row.

    A change whose level already has pending changes under another selector sends those first: the two
    may touch the same row, and the later one must win.
    """
    pending: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for change in changes:
        check_choice(change.platform, PLATFORMS, "platform")
        if change.level not in _ROW_LEVELS:
            raise ValueError(f"unknown level {change.level!r}")
        if change.creative_id is not None and change.level != "ad":
            raise ValueError("only ads record a creative id")
        shape = (change.level, change.selector)
        for other in [s for s in pending if s[0] == change.level and s != shape]:
            await session.execute(_row_change_statement(*other), pending.pop(other))
        pending.setdefault(shape, []).append(
            {
                "r_campaign_id": change.campaign_id, "r_platform": change.platform, "r_status": change.status,
                "r_plan_key": change.plan_key, "r_ad_set_key": change.ad_set_key,
                "r_external_id": change.external_id, "r_creative_id": change.creative_id,
                "r_match": change.match_external_id,
            }  # fmt: skip
        )
    for shape, params in pending.items():
        await session.execute(_row_change_statement(*shape), params)


_ROW_LEVELS = ("campaign", "ad_set", "ad")


@cache
def _row_change_statement(level: str, selector: str) -> Update:
    """The UPDATE for one (level, selector), all values as bind parameters: built and compiled once."""
    campaigns = core_table(PlatformCampaign).c
    pc_ids = select(campaigns.id).where(
        campaigns.campaign_id == bindparam("r_campaign_id"), campaigns.platform == bindparam("r_platform")
    )
    table: Any
    if level == "campaign":
        table = core_table(PlatformCampaign)
        ext = table.c.external_campaign_id
        where = [table.c.campaign_id == bindparam("r_campaign_id"), table.c.platform == bindparam("r_platform")]
    elif level == "ad_set":
        table = core_table(AdSet)
        ext = table.c.external_id
        where = [table.c.platform_campaign_id.in_(pc_ids)]
        if selector == "plan_key":
            where.append(table.c.plan_key == bindparam("r_plan_key"))
    else:
        table = core_table(Ad)
        ext = table.c.external_id
        sets = core_table(AdSet).c
        set_ids = select(sets.id).where(sets.platform_campaign_id.in_(pc_ids))
        if selector == "plan_key":
            set_ids = set_ids.where(sets.plan_key == bindparam("r_ad_set_key"))
            where = [table.c.ad_set_id.in_(set_ids), table.c.plan_key == bindparam("r_plan_key")]
        else:
            where = [table.c.ad_set_id.in_(set_ids)]
    if selector == "existing":
        where.append(ext.is_not(None))
    elif selector == "external_id":
        where.append(ext == bindparam("r_match"))
    values: dict[str, Any] = {
        "status": func.coalesce(bindparam("r_status", type_=String), table.c.status),
        ext.key: func.coalesce(bindparam("r_external_id", type_=String), ext),
    }
    if level == "ad":
        values["external_creative_id"] = func.coalesce(
            bindparam("r_creative_id", type_=String), table.c.external_creative_id
        )
    return update(table).where(*where).values(**values)


class SentFacts(NamedTuple):
    """What the ledger knows of a step's write, for the lookup of its lost answer."""

    sent_at: datetime | None  # when it first left for the platform (None: never, or not recorded)
    request: dict[str, Any] | None  # what it sent that a lookup needs (PlannedStep.request)


async def get_sent_facts(*, session: AsyncSession, idempotency_key: str) -> SentFacts:
    """The step's send time and recorded request (both None for an unknown key)."""
    step = await get_step(session=session, idempotency_key=idempotency_key)
    if step is None:
        return SentFacts(None, None)
    return SentFacts(step.sent_at, step.request)


async def external_ids_taken(
    *, session: AsyncSession, platform: str, object_kind: str, external_ids: Sequence[str], other_than: str
) -> set[str]:
    """Which of these platform ids other steps (any campaign) already hold: a lost create must not adopt one of
    them, however alike its name. `other_than`: the key of the step looking."""
    if not external_ids:
        return set()
    t = core_table(PublishStep).c
    rows = await session.execute(
        select(t.external_id).where(
            t.platform == platform, t.object_kind == object_kind, t.external_id.in_(list(external_ids)),
            t.idempotency_key != other_than,
        )
    )
    return {str(r[0]) for r in rows}


async def list_steps(
    *, session: AsyncSession, campaign_id: str, platform: str | None = None
) -> list[PublishStep]:
    stmt = select(PublishStep).where(PublishStep.campaign_id == campaign_id)
    if platform is not None:
        stmt = stmt.where(PublishStep.platform == platform)
    return list(await session.scalars(stmt.order_by(PublishStep.created_at, PublishStep.id)))


async def list_compensating_campaigns(*, session: AsyncSession) -> list[Campaign]:
    """Campaigns with at least one ledger step still "compensating" (a delete that did not go through)."""
    stuck = select(PublishStep.campaign_id).where(PublishStep.state == "compensating").distinct()
    return list(await session.scalars(select(Campaign).where(Campaign.id.in_(stuck)).order_by(Campaign.id)))
