"""The ledger: every external write is a row (a step) committed before its call, under a key derived from the plan.

`LedgerWriter` commits the rows of a whole run (every platform's) in groups; `PlatformSteps` is one platform's
share of them: the steps its part of the plan needs, their keys, the state each was last committed in, and the
marks that move a step on (planned -> sending -> created | unknown | failed; compensating -> compensated).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from agent.context import AgentContext
from agent.leases import fence
from agent.planning import CampaignPlan, PlatformPlan
from store import repositories as repo
from tools.platforms.base import AdPlatformClient, ObjectKind

LEVELS: tuple[ObjectKind, ...] = ("campaign", "ad_set", "ad")


def step_key(plan: CampaignPlan, plan_hash: str, platform: str, plan_key: str, kind: str) -> str:
    return f"{plan.campaign_id[:12]}.{plan_hash[:10]}.{platform}.{plan_key}.{kind}"


def media_kinds(pplan: PlatformPlan) -> dict[str, str]:
    """Each media asset a platform's part uploads, and whether it goes up as an image or a video."""
    kinds: dict[str, str] = {}
    for s in pplan.ad_sets:
        for ad in s.ads:
            for position, asset_id in enumerate(ad.media_asset_ids):
                # Video ads list the video first and its cover image after it.
                kinds.setdefault(asset_id, "video" if ad.format == "video" and position == 0 else "image")
    return kinds


@dataclass(frozen=True, slots=True)
class _Entry:
    """One ledger write: a step's new state and the user-facing rows that follow from it."""

    step: repo.StepChange
    rows: tuple[repo.RowChange, ...] = ()


# A queued write: an entry, the key of a "sending" mark, or (rare writes) a function of the session.
_Op = _Entry | str | Callable[[AsyncSession], Awaitable[None]]


class LedgerWriter:
    """Group commit: ledger writes requested while a transaction is open go out together in the next one.

    Each caller still waits until its own write is committed (the rule: the row before the call), but twenty
    branches marking "sending" at once cost one UPDATE in one SQLite transaction instead of twenty queued
    ones. Writes submitted with `later` do not start a transaction of their own: they ride along with the
    next awaited write (or `flush`), so a parent's "created" never delays its child's "sending".
    """

    def __init__(self, ctx: AgentContext) -> None:
        self.ctx = ctx
        # (the write, the future its caller waits on)
        self.pending: list[tuple[_Op, asyncio.Future[None]]] = []
        self.queued: list[asyncio.Future[None]] = []
        self.task: asyncio.Task[None] | None = None

    async def write(self, op: _Entry | Callable[[AsyncSession], Awaitable[None]]) -> None:
        # Shielded: a cancelled branch must not cancel the commit other branches are waiting for.
        await asyncio.shield(self._submit(op, start=True))

    async def mark_sending(self, key: str) -> None:
        await asyncio.shield(self._submit(key, start=True))

    def submit(self, entry: _Entry) -> asyncio.Future[None]:
        """Queue a write without waiting for it (see `later`); `flush` waits for everything queued."""
        return self._submit(entry, start=False)

    def submit_sending(self, key: str) -> asyncio.Future[None]:
        """Queue a "sending" mark without waiting for it; it commits with the next flush."""
        return self._submit(key, start=False)

    def _submit(self, op: _Op, *, start: bool) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.pending.append((op, future))
        self.queued.append(future)
        if start:
            self._start()
        return future

    def _start(self) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._drain())

    async def flush(self) -> None:
        queued, self.queued = self.queued, []
        if self.pending:
            self._start()
        await asyncio.gather(*queued)

    @staticmethod
    async def _apply(session: AsyncSession, ops: list[_Op], sent_at: datetime) -> None:
        """Entries go out as one statement run per table (executemany), in order; a function runs in turn.

        `sent_at`: the app's now, recorded on each step entering "sending" for the first time (its calls leave
        after this commit), for the lookup of a lost answer."""
        steps: list[repo.StepChange] = []
        rows: list[repo.RowChange] = []
        sending: list[str] = []

        async def send_entries() -> None:
            await repo.apply_step_changes(session=session, changes=steps, sent_at=sent_at)
            await repo.apply_row_changes(session=session, changes=rows)
            steps.clear()
            rows.clear()

        for op in ops:
            if isinstance(op, str):
                sending.append(op)
            elif isinstance(op, _Entry):
                steps.append(op.step)
                rows.extend(op.rows)
            else:
                await send_entries()
                await op(session)
        await send_entries()
        if sending:
            await repo.mark_steps_sending(session=session, idempotency_keys=sending, sent_at=sent_at)

    async def _drain(self) -> None:
        while self.pending:
            batch, self.pending = self.pending, []
            # "sending" marks go first, in a transaction of their own: their callers are waiting to make a
            # call, while the rest (mostly "created" rows riding along) holds nobody up. A key's "sending"
            # never follows its own "created" in one run, so the split keeps every key's order.
            for group in (
                [item for item in batch if isinstance(item[0], str)],
                [item for item in batch if not isinstance(item[0], str)],
            ):
                if group:
                    await self._commit(group)

    async def _commit(self, group: list[tuple[_Op, asyncio.Future[None]]]) -> None:
        try:
            async with self.ctx.sessions() as session, session.begin():
                await fence(session, self.ctx)  # only the lease's holder writes the ledger (agent/leases.py)
                await self._apply(session, [op for op, _ in group], self.ctx.clock())
        except Exception:
            # One bad write must not fail the others: fall back to one transaction each.
            for op, future in group:
                try:
                    async with self.ctx.sessions() as session, session.begin():
                        await fence(session, self.ctx)
                        await self._apply(session, [op], self.ctx.clock())
                except Exception as exc:
                    if not future.done():
                        future.set_exception(exc)
                else:
                    if not future.done():
                        future.set_result(None)
            return
        for _, future in group:
            if not future.done():
                future.set_result(None)


class PlatformSteps:
    """One platform's steps: what its part of the plan writes, and each step's state as last committed."""

    def __init__(
        self,
        ledger: LedgerWriter,
        plan: CampaignPlan,
        plan_hash: str,
        pplan: PlatformPlan,
        client: AdPlatformClient,
    ) -> None:
        self.ledger = ledger
        self.plan = plan
        self.plan_hash = plan_hash
        self.pplan = pplan
        self.platform = pplan.platform
        self.client = client  # its steps depend on it: some platforms make creatives apart from their ads
        self.steps: dict[str, tuple[str, str | None]] = {}  # key -> (state, external id) as last committed
        # Steps this run already moved to "sending" when it opened the ledger (the first wave of calls).
        self.premarked: set[str] = set()
        # Activations moved to "sending" with the last "created" rows (see `activation.premark_activations`).
        self.premarked_activations: set[str] = set()
        self.asset_paths: dict[str, Path] = {}  # media asset id -> file, read with the ledger

    def key(self, plan_key: str, kind: str) -> str:
        return step_key(self.plan, self.plan_hash, self.platform, plan_key, kind)

    def planned_steps(self) -> list[tuple[str, str, str | None]]:
        """(object kind, plan key, parent plan key) of every write this platform's part needs."""
        out: list[tuple[str, str, str | None]] = []
        for asset_id, kind in media_kinds(self.pplan).items():
            out.append((kind, f"media/{asset_id}", None))
        out.append(("campaign", "campaign", None))
        for s in self.pplan.ad_sets:
            out.append(("ad_set", s.key, "campaign"))
            for ad in s.ads:
                if self.client.separate_creatives:
                    out.append(("creative", ad.key, s.key))
                out.append(("ad", ad.key, s.key))
        out.extend(("activate", f"activate/{level}", None) for level in LEVELS)
        return out

    def sent_name(self, kind: str, plan_key: str) -> str:
        """The display name a create step sends (what its object is called in Ads Manager, and what a lost
        answer is looked up by): the tree's names, from the plan."""
        if kind == "campaign":
            return self.pplan.campaign_name
        if kind in ("image", "video"):
            asset_id = plan_key.removeprefix("media/")
            path = self.asset_paths.get(asset_id)
            return f"adly-{asset_id[:12]}{path.suffix if path else ''}"
        for s in self.pplan.ad_sets:
            if kind == "ad_set" and s.key == plan_key:
                return s.name
            for ad in s.ads:
                if ad.key == plan_key and kind in ("ad", "creative"):
                    return ad.name if kind == "ad" else f"{ad.name} creative"
        raise KeyError(f"no {kind} {plan_key!r} in the {self.platform} plan")

    def planned_creates(self) -> list[str]:
        """The create steps (media, campaign, ad sets, creatives, ads) no run has started yet."""
        return [
            self.key(plan_key, kind)
            for kind, plan_key, _ in self.planned_steps()
            if kind != "activate" and self.steps.get(self.key(plan_key, kind), ("planned", None))[0] == "planned"
        ]

    async def mark(
        self,
        key: str,
        state: str,
        *,
        external_id: str | None = None,
        error: str | None = None,
        rows: Sequence[repo.RowChange] = (),
        later: bool = False,
    ) -> None:
        """Commit a step's new state (and the user-facing rows that follow from it) in one transaction.

        `later`: queue it and go on. Only for "created": if the process dies before it lands, the row still
        says "sending" and the next run finds the object by its key, so waiting would only slow the chain.
        Everything queued is flushed before anything is verified, activated or reported.
        """

        entry = _Entry(repo.StepChange(key, state, external_id, error), tuple(rows))
        if later:
            self.ledger.submit(entry)
        elif state == "sending" and external_id is None and error is None and not rows:
            await self.ledger.mark_sending(key)
        else:
            await self.ledger.write(entry)
        self.steps[key] = (state, external_id or self.steps.get(key, ("", None))[1])

    def row(self, level: str, status: str | None, **which: str | None) -> repo.RowChange:
        """A change to this platform's user-facing rows (see `repo.RowChange` for `which`)."""
        return repo.RowChange(
            campaign_id=self.plan.campaign_id, platform=self.platform, level=level, status=status, **which
        )
