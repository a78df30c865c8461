"""The publish saga: every external write is a ledger row first, created paused, read back, activated last, once.

Rules (DESIGN.md section 5):
- a step's idempotency key is derived from the campaign, the approved plan's hash and the object's plan key,
  so a retry, a resumed thread or a restarted process sends the same key and never a new one;
- the ledger row is committed before the call (planned -> sending -> created | unknown | failed);
- a timeout is "unknown": reconcile by looking the object up by its key before any retry;
- everything is created paused; activation happens only when every level of every platform exists and
  read back paused: children of every platform first, then the campaigns, so nothing delivers half-built;
  if activation fails anywhere, whatever was switched on is paused again and a re-run finishes the job;
- a terminal failure compensates every platform: pause, then delete what was created, through the ledger;
- an expired token is refreshed once (single flight); if it cannot be, the platform's objects stay paused
  and the outcome asks the user to reconnect, after which a re-run continues from the ledger.

The user-facing rows (platform_campaigns, ad_sets, ads) change in the same transaction as the ledger, so what
the user sees is what exists on each platform: paused when created, active when activated, deleted when
compensated, unknown while a lost answer is being reconciled.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from agent.context import AgentContext
from agent.planning import AdPlan, AdSetPlan, CampaignPlan, PlatformPlan
from store import repositories as repo
from store.models import AdAccount, PublishStep
from tools.platforms.base import (
    AdPlatformClient,
    AdSetSpec,
    AdSpec,
    CampaignSpec,
    CreativeSpec,
    GeoTarget,
    MediaRef,
    MediaSpec,
    Money,
    ObjectKind,
    OutcomeUnknown,
    PlatformError,
    RateLimited,
    Targeting,
    TokenExpired,
    TokenSet,
    TransientError,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_ATTEMPTS = 5  # transient failures and unknown outcomes per call
MAX_RATE_LIMITED = 8  # rate-limit answers per call: parked each time for as long as the platform asks
MAX_BACKOFF_S = 60.0  # our own exponential backoff stops growing here
MAX_PARK_S = 600.0  # a platform asking for a longer pause fails this run instead of holding it for hours
LEVELS: tuple[ObjectKind, ...] = ("campaign", "ad_set", "ad")
LIVE_STEP_STATES = ("sending", "unknown", "created")  # an activation that may have reached the platform


class NeedsReconnect(Exception):
    """The platform token expired and cannot be refreshed: the user must connect the account again."""

    def __init__(self, platform: str) -> None:
        super().__init__(f"{platform} token expired")
        self.platform = platform


class Withdrawn(PlatformError):
    """The step's object was deleted by an earlier compensation: publishing it again needs a new approval."""


@dataclass
class PlatformOutcome:
    platform: str
    ok: bool = False
    external_campaign_id: str | None = None
    ad_sets: dict[str, str] = field(default_factory=dict)  # plan key -> external id
    ads: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    compensated: bool = False  # what was created was paused and deleted
    needs_reconnect: bool = False  # the token is dead: everything stays paused until the user reconnects
    paused: bool = False  # everything exists and is paused; a re-run (retry) can activate it
    ads_manager_url: str | None = None

    @property
    def state(self) -> str:
        if self.ok:
            return "live"
        if self.needs_reconnect:
            return "needs_reconnect"
        if self.compensated:
            return "compensated"
        return "paused" if self.paused else "failed"

    def as_dict(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "ok": self.ok,
            "state": self.state,
            "external_campaign_id": self.external_campaign_id,
            "ad_sets": [{"key": k, "external_id": v} for k, v in self.ad_sets.items()],
            "ads": [{"key": k, "external_id": v} for k, v in self.ads.items()],
            "error": self.error,
            "compensated": self.compensated,
            "needs_reconnect": self.needs_reconnect,
            "paused": self.paused,
            "ads_manager_url": self.ads_manager_url,
        }


@dataclass
class _Account:
    """A platform account during one publish: its token lives only here, in memory, never in state or logs."""

    ad_account_id: str
    external_id: str
    token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    refresh_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    backoff_until: float = 0.0
    dead: bool = False  # refresh failed once: every branch stops instead of trying again

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            # Re-read after each sleep: another branch may have parked the account for longer meanwhile.
            remaining = self.backoff_until - loop.time()
            if remaining <= 0:
                return
            await asyncio.sleep(remaining)


# The account a publishing task works for. Tasks inherit it, so every HTTP call a client makes on the saga's
# behalf (its lookups included) can be held while that account is parked: see `hold_for_backoff`.
_current_account: ContextVar[_Account | None] = ContextVar("adly_publishing_account", default=None)


async def hold_for_backoff(request: httpx.Request) -> None:
    """httpx request hook (installed by the composition root): a call made for a parked account waits.

    The saga parks an account when a platform says "too many calls"; without this, a client's own lookups
    inside an operation that was already under way would still go out during the pause.
    """
    account = _current_account.get()
    if account is not None:
        await account.wait()


@dataclass(frozen=True, slots=True)
class _Entry:
    """One ledger write: a step's new state and the user-facing rows that follow from it."""

    step: repo.StepChange
    rows: tuple[repo.RowChange, ...] = ()


# A queued write: an entry, the key of a "sending" mark, or (rare writes) a function of the session.
_Op = _Entry | str | Callable[[AsyncSession], Awaitable[None]]


class _LedgerWriter:
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
    async def _apply(session: AsyncSession, ops: list[_Op]) -> None:
        """Entries go out as one statement run per table (executemany), in order; a function runs in turn."""
        steps: list[repo.StepChange] = []
        rows: list[repo.RowChange] = []
        sending: list[str] = []

        async def send_entries() -> None:
            await repo.apply_step_changes(session=session, changes=steps)
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
            await repo.mark_steps_sending(session=session, idempotency_keys=sending)

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
                await self._apply(session, [op for op, _ in group])
        except Exception:
            # One bad write must not fail the others: fall back to one transaction each.
            for op, future in group:
                try:
                    async with self.ctx.sessions() as session, session.begin():
                        await self._apply(session, [op])
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


class _ImageUploads:
    """Images whose uploads start together leave in one call where the platform takes several (Meta).

    Each image stays a ledger step of its own (premarked or marked, reconciled, retried on its own); only
    the HTTP call is shared. The first image to ask waits one turn of the event loop for the images started
    beside it (a tree's images all start at once), then sends them, `images_per_upload` to a call, and
    answers each with its own result or the call's error. An image retried later goes alone.
    """

    def __init__(self, client: AdPlatformClient) -> None:
        self.client = client
        self.waiting: list[tuple[MediaSpec, asyncio.Future[MediaRef]]] = []

    async def upload(self, *, token: str, account_id: str, spec: MediaSpec) -> MediaRef:
        future: asyncio.Future[MediaRef] = asyncio.get_running_loop().create_future()
        self.waiting.append((spec, future))
        if len(self.waiting) == 1:
            await asyncio.sleep(0)
            batch, self.waiting = self.waiting, []
            size = max(1, self.client.images_per_upload)
            try:
                await asyncio.gather(
                    *(self._send(batch[i : i + size], token, account_id) for i in range(0, len(batch), size))
                )
            except BaseException:
                for _, other in batch:  # cancelled: nobody is left waiting for an answer
                    other.cancel()
                raise
        return await future

    async def _send(
        self, chunk: list[tuple[MediaSpec, asyncio.Future[MediaRef]]], token: str, account_id: str
    ) -> None:
        try:
            refs = await self.client.upload_images(token=token, account_id=account_id, specs=[s for s, _ in chunk])
        except Exception as exc:
            for _, future in chunk:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), ref in zip(chunk, refs, strict=True):
            if not future.done():
                future.set_result(ref)


def media_kinds(pplan: PlatformPlan) -> dict[str, str]:
    """Each media asset a platform's part uploads, and whether it goes up as an image or a video."""
    kinds: dict[str, str] = {}
    for s in pplan.ad_sets:
        for ad in s.ads:
            for position, asset_id in enumerate(ad.media_asset_ids):
                # Video ads list the video first and its cover image after it.
                kinds.setdefault(asset_id, "video" if ad.format == "video" and position == 0 else "image")
    return kinds


def step_key(plan: CampaignPlan, plan_hash: str, platform: str, plan_key: str, kind: str) -> str:
    return f"{plan.campaign_id[:12]}.{plan_hash[:10]}.{platform}.{plan_key}.{kind}"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, PlatformError):
        code = f" [{exc.platform_code}]" if exc.platform_code is not None else ""
        return f"{exc.platform_message}{code}"
    return str(exc) or type(exc).__name__


def _first_error(exc: BaseException) -> BaseException:
    """The error that decides a platform's fate out of a task group: a terminal one beats a reconnect."""
    if not isinstance(exc, BaseExceptionGroup):
        return exc
    leaves: list[BaseException] = []

    def walk(e: BaseException) -> None:
        if isinstance(e, BaseExceptionGroup):
            for inner in e.exceptions:
                walk(inner)
        else:
            leaves.append(e)

    walk(exc)
    for leaf in leaves:
        if not isinstance(leaf, NeedsReconnect | asyncio.CancelledError):
            return leaf
    return leaves[0]


class PlatformPublisher:
    """Publishes one platform's part of the plan through the ledger."""

    def __init__(
        self,
        ctx: AgentContext,
        plan: CampaignPlan,
        plan_hash: str,
        pplan: PlatformPlan,
        ledger: _LedgerWriter | None = None,
    ) -> None:
        self.ctx = ctx
        self.ledger = ledger or _LedgerWriter(ctx)
        self.plan = plan
        self.plan_hash = plan_hash
        self.pplan = pplan
        self.platform = pplan.platform
        self.client: AdPlatformClient = ctx.platforms[pplan.platform]
        self.outcome = PlatformOutcome(platform=pplan.platform)
        self.account: _Account | None = None
        self.media: dict[str, MediaRef] = {}
        self.timezone = "Asia/Riyadh"
        self.steps: dict[str, tuple[str, str | None]] = {}  # key -> (state, external id) as last committed
        self.asset_paths: dict[str, Path] = {}  # media asset id -> file, read with the ledger
        # Steps this run already moved to "sending" when it opened the ledger (the first wave of calls).
        self.premarked: set[str] = set()
        # Activations moved to "sending" with the last "created" rows (see `premark_activations`).
        self.premarked_activations: set[str] = set()
        self.image_uploads = _ImageUploads(self.client)

    # ---------------------------------------------------------------------------------------- ledger

    def key(self, plan_key: str, kind: str) -> str:
        return step_key(self.plan, self.plan_hash, self.platform, plan_key, kind)

    def planned_steps(self) -> list[tuple[str, str, str | None]]:
        """(object kind, plan key, parent plan key) of every write this platform's part needs."""
        out: list[tuple[str, str, str | None]] = []
        for asset_id, kind in self._media_kinds().items():
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

    def planned_creates(self) -> list[str]:
        """The create steps (media, campaign, ad sets, creatives, ads) no run has started yet."""
        return [
            self.key(plan_key, kind)
            for kind, plan_key, _ in self.planned_steps()
            if kind != "activate" and self.steps.get(self.key(plan_key, kind), ("planned", None))[0] == "planned"
        ]

    def _media_kinds(self) -> dict[str, str]:
        return media_kinds(self.pplan)

    async def _mark(
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

    async def step(
        self,
        *,
        kind: str,
        plan_key: str,
        send: Callable[[str], Awaitable[str]],
        reconcile: Callable[[str], Awaitable[str | None]] | None,
        rows: Callable[[str | None, str], Sequence[repo.RowChange]] | None = None,
        done_status: str = "paused",
    ) -> str:
        """Run one external write at most once: its ledger row decides whether to send, reconcile or reuse.

        `rows(external_id, status)` says how the user-facing rows change, in the ledger's own transaction;
        `done_status` is what the object is once the write succeeded (created paused, or activated).
        """
        key = self.key(plan_key, kind)
        state, external_id = self.steps.get(key, ("planned", None))
        if state == "created" and external_id:
            return external_id
        if state in ("compensating", "compensated"):
            raise Withdrawn(
                f"{kind} {plan_key} was withdrawn by an earlier compensation", platform=self.platform
            )
        # Marked "sending" by this very run (when the ledger opened, or with the last "created" rows of its
        # tree, for an activation): nothing can have reached the platform yet.
        premarked = key in self.premarked or key in self.premarked_activations
        self.premarked.discard(key)
        self.premarked_activations.discard(key)
        # A previous attempt may have reached the platform (crash, timeout, give-up): look before sending again.
        must_look = state in ("sending", "unknown", "failed") and reconcile is not None and not premarked

        def with_rows(ext: str | None, status: str) -> Sequence[repo.RowChange]:
            return () if rows is None else rows(ext, status)

        attempts = limited = 0
        while True:
            await self._wait_for_account()
            try:
                if must_look:
                    assert reconcile is not None
                    found = await reconcile(key)
                    if found:
                        await self._mark(key, "created", external_id=found, rows=with_rows(found, done_status))
                        return found
                    must_look = False
                if premarked:
                    premarked = False
                    self.steps[key] = ("sending", external_id)
                else:
                    await self._mark(key, "sending")
                    # Again after the commit: another branch may have parked the account meanwhile.
                    await self._wait_for_account()
                created = await send(key)
            except OutcomeUnknown as exc:
                attempts += 1
                self._park(None, attempts)  # before any await: parallel branches must see the pause at once
                await self._mark(key, "unknown", error=_describe(exc), rows=with_rows(None, "unknown"))
                must_look = reconcile is not None
                await self._give_up(key, attempts, exc)
                continue
            except RateLimited as exc:
                limited += 1
                if limited > MAX_RATE_LIMITED or (exc.retry_after_s or 0) > MAX_PARK_S:
                    await self._mark(key, "unknown" if must_look else "failed", error=_describe(exc))
                    raise
                self._park(exc.retry_after_s, limited)
                await self._mark_not_sent(key, exc, must_look)
                continue
            except TokenExpired as exc:
                await self._mark_not_sent(key, exc, must_look)
                await self._refresh_token()
                continue
            except TransientError as exc:
                attempts += 1
                self._park(None, attempts)
                # A 5xx may have been applied before the server failed; a refused connection never was.
                maybe_applied = exc.http_status is not None and exc.http_status >= 500
                if maybe_applied and reconcile is not None:
                    await self._mark(key, "unknown", error=_describe(exc), rows=with_rows(None, "unknown"))
                    must_look = True
                else:
                    await self._mark_not_sent(key, exc, must_look)
                await self._give_up(key, attempts, exc)
                continue
            except PlatformError as exc:
                await self._mark(key, "failed", error=_describe(exc))
                raise
            await self._mark(key, "created", external_id=created, rows=with_rows(created, done_status), later=True)
            return created

    async def _mark_not_sent(self, key: str, exc: BaseException, still_unknown: bool) -> None:
        # Refused before the platform acted: the step is as it was (still "unknown" if a lookup is pending).
        await self._mark(key, "unknown" if still_unknown else "planned", error=_describe(exc))

    async def _give_up(self, key: str, attempts: int, exc: PlatformError) -> None:
        if attempts >= MAX_ATTEMPTS:
            # An unknown outcome stays "unknown": a later run or the compensation looks the object up first.
            state = "unknown" if self.steps.get(key, ("", None))[0] == "unknown" else "failed"
            await self._mark(key, state, error=f"gave up after {attempts} attempts: {_describe(exc)}")
            raise exc

    async def call(self, op: Callable[[], Awaitable[T]]) -> T:
        """An idempotent call (read, status change, delete) under the account's backoff, refresh and retries."""
        attempts = limited = 0
        while True:
            await self._wait_for_account()
            try:
                return await op()
            except RateLimited as exc:
                limited += 1
                if limited > MAX_RATE_LIMITED or (exc.retry_after_s or 0) > MAX_PARK_S:
                    raise
                self._park(exc.retry_after_s, limited)
            except TokenExpired:
                await self._refresh_token()
            except TransientError:
                attempts += 1
                if attempts >= MAX_ATTEMPTS:
                    raise
                self._park(None, attempts)

    def _park(self, retry_after_s: float | None, attempt: int) -> None:
        """Per-account backoff: every branch of this account waits, so parallel calls do not hammer a quota."""
        if retry_after_s is not None:
            delay = retry_after_s  # the platform said how long: exactly that, never less
        else:
            delay = min(self.ctx.publish_backoff_s * (2 ** (attempt - 1)), MAX_BACKOFF_S)
        assert self.account is not None
        now = asyncio.get_running_loop().time()
        self.account.backoff_until = max(self.account.backoff_until, now + delay)

    async def _wait_for_account(self) -> None:
        assert self.account is not None
        if self.account.dead:
            raise NeedsReconnect(self.platform)
        _current_account.set(self.account)
        await self.account.wait()

    async def _refresh_token(self) -> None:
        """Single-flight refresh: the first branch refreshes, the others wait and use the new token."""
        assert self.account is not None
        account = self.account
        stale = account.token
        async with account.refresh_lock:
            if account.dead:
                raise NeedsReconnect(self.platform)
            if account.token != stale:
                return
            try:
                # Snapchat refreshes; Meta exchanges a still-valid long-lived token; TikTok cannot (reconnect).
                fresh = await self.client.refresh(
                    tokens=TokenSet(access_token=stale, refresh_token=account.refresh_token)
                )
            except PlatformError as exc:
                await self._mark_reconnect()
                raise NeedsReconnect(self.platform) from exc
            async with self.ctx.sessions() as session, session.begin():
                row = await repo.get_ad_account(session=session, ad_account_id=account.ad_account_id)
                assert row is not None
                await repo.update_tokens(
                    session=session,
                    cipher=self.ctx.cipher,
                    account=row,
                    access_token=fresh.access_token,
                    refresh_token=fresh.refresh_token or account.refresh_token,
                    token_expires_at=fresh.expires_at,
                )
            account.token = fresh.access_token
            account.refresh_token = fresh.refresh_token or account.refresh_token

    async def _mark_reconnect(self) -> None:
        assert self.account is not None
        self.account.dead = True
        async with self.ctx.sessions() as session, session.begin():
            await repo.mark_account_status(
                session=session, ad_account_id=self.account.ad_account_id, status="needs_reconnect"
            )

    # ---------------------------------------------------------------------------------------- build

    def load_account(self, row: AdAccount | None) -> None:
        """Take the account to publish with (its row, read with the ledger); NeedsReconnect without a token."""
        if row is None:
            raise NeedsReconnect(self.platform)
        token, refresh = repo.read_tokens(cipher=self.ctx.cipher, account=row)
        if not token or row.status == "needs_reconnect":
            raise NeedsReconnect(self.platform)
        self.account = _Account(self.pplan.ad_account_id, row.external_account_id, token, refresh)
        self.timezone = row.timezone or "Asia/Riyadh"

    @property
    def token(self) -> str:
        assert self.account is not None
        return self.account.token

    @property
    def acct(self) -> str:
        assert self.account is not None
        return self.account.external_id

    def _adopt(self) -> None:
        """What the ledger already holds (an earlier run), so the outcome lists it even before any call."""
        for kind, plan_key, _ in self.planned_steps():
            state, external = self.steps.get(self.key(plan_key, kind), ("planned", None))
            if state != "created" or not external:
                continue
            if kind == "campaign":
                self.outcome.external_campaign_id = external
            elif kind == "ad_set":
                self.outcome.ad_sets[plan_key] = external
            elif kind == "ad":
                self.outcome.ads[plan_key] = external

    async def create_all(self) -> None:
        """Media and creatives beside the campaign -> ad set chain; an ad starts once its ad set and creative exist."""
        _current_account.set(self.account)
        self._adopt()
        async with asyncio.TaskGroup() as tg:
            # Started in this order on purpose: the campaign heads the longest chain, and the media's bodies
            # (megabytes of video) take longer to send than the lookups.
            campaign = tg.create_task(self._campaign())
            media = {a: tg.create_task(self._upload(a, kind)) for a, kind in self._media_kinds().items()}
            tg.create_task(self._warm_up())
            sets = {s.key: tg.create_task(self._ad_set(campaign, s)) for s in self.pplan.ad_sets}
            for s in self.pplan.ad_sets:
                for ad in s.ads:
                    ad_media = [media[a] for a in ad.media_asset_ids]
                    # A creative needs only its media (and the Page/profile): it is made beside the ad set.
                    creative = (
                        tg.create_task(self._creative(ad_media, s, ad)) if self.client.separate_creatives else None
                    )
                    tg.create_task(self._ad(sets[s.key], ad_media, creative, s, ad))

    async def _warm_up(self) -> None:
        """Lookups the ad sets need (locations), made beside the campaign create instead of after it."""
        locations = {
            (loc.name, loc.kind, loc.country_code): loc for s in self.pplan.ad_sets for loc in s.locations
        }
        prefetch = getattr(self.client, "prefetch", None)
        calls: list[Awaitable[Any]] = [
            self.client.resolve_location(
                token=self.token,
                account_id=self.acct,
                location=GeoTarget(name=loc.name, kind=loc.kind, country_code=loc.country_code),
            )
            for loc in locations.values()
        ]
        if prefetch is not None:
            calls.append(
                prefetch(
                    token=self.token, account_id=self.acct, brand_name=self.ctx.brand_name,
                    brand_avatar=self.ctx.brand_avatar,
                )
            )
        async def head_start(call: Awaitable[Any]) -> None:
            # Only a head start: a failure shows up again, with retries, in the call that needs the answer.
            # A rate limit still parks the account at once, like any other call's would.
            try:
                await call
            except RateLimited as exc:
                self._park(exc.retry_after_s, 1)
            except (PlatformError, NeedsReconnect):
                pass

        await asyncio.gather(*(head_start(c) for c in calls))

    async def _upload(self, asset_id: str, kind: str) -> MediaRef:
        plan_key = f"media/{asset_id}"
        existing = self.steps.get(self.key(plan_key, kind))
        if existing and existing[0] == "created" and existing[1]:
            ref = MediaRef(kind=kind, external_id=existing[1])  # type: ignore[arg-type]
            self.media[asset_id] = ref
            return ref
        path = self.asset_paths[asset_id]

        async def send(key: str) -> str:
            spec = MediaSpec(
                kind=kind,  # type: ignore[arg-type]
                path=Path(path),
                name=f"adly-{asset_id[:12]}{path.suffix}",
                idempotency_key=key,
            )
            if kind == "image" and self.client.images_per_upload > 1:
                ref = await self.image_uploads.upload(token=self.token, account_id=self.acct, spec=spec)
            else:
                ref = await self.client.upload_media(token=self.token, account_id=self.acct, spec=spec)
            return ref.external_id

        async def reconcile(key: str) -> str | None:
            return await self.client.find_by_key(
                token=self.token,
                account_id=self.acct,
                kind=kind,  # type: ignore[arg-type]
                idempotency_key=key,
            )

        external = await self.step(kind=kind, plan_key=plan_key, send=send, reconcile=reconcile)
        ref = MediaRef(kind=kind, external_id=external)  # type: ignore[arg-type]
        self.media[asset_id] = ref
        return ref

    async def _campaign(self) -> str:
        p = self.pplan

        async def send(key: str) -> str:
            spec = CampaignSpec(
                name=p.campaign_name,
                objective=p.objective,
                budget=None,  # budgets live on ad sets, so each audience gets its share
                budget_period=p.budget_period,
                special_ad_categories=p.special_ad_categories,
                idempotency_key=key,
            )
            return await self.client.create_campaign(token=self.token, account_id=self.acct, spec=spec)

        async def reconcile(key: str) -> str | None:
            return await self.client.find_by_key(
                token=self.token, account_id=self.acct, kind="campaign", idempotency_key=key
            )

        def rows(external: str | None, status: str) -> list[repo.RowChange]:
            return [self._row("campaign", status, plan_key="campaign", external_id=external)]

        campaign_id = await self.step(
            kind="campaign", plan_key="campaign", send=send, reconcile=reconcile, rows=rows
        )
        self.outcome.external_campaign_id = campaign_id
        return campaign_id

    async def _ad_set(self, campaign_task: Awaitable[str], s: AdSetPlan) -> str:
        campaign_id = await campaign_task
        tz = ZoneInfo(self.timezone)
        start = datetime.combine(s.start_date, time(0, 0), tz)
        now = self.ctx.clock().astimezone(tz)
        if start <= now:
            start = (now + timedelta(minutes=15)).replace(second=0, microsecond=0)
        end = datetime.combine(s.end_date, time(23, 59), tz)

        async def send(key: str) -> str:
            spec = AdSetSpec(
                name=s.name,
                campaign_id=campaign_id,
                objective=self.pplan.objective,
                budget=Money(s.budget_amount, s.currency),
                budget_period=s.budget_period,
                start_time=start,
                end_time=end,
                targeting=Targeting(
                    age_min=s.age_min,
                    age_max=s.age_max,
                    genders=s.genders,  # type: ignore[arg-type]
                    locations=[
                        GeoTarget(name=loc.name, kind=loc.kind, country_code=loc.country_code)
                        for loc in s.locations
                    ],
                    languages=s.languages,
                    publisher_platforms=self.pplan.publisher_platforms,
                ),
                idempotency_key=key,
            )
            return await self.client.create_ad_set(token=self.token, account_id=self.acct, spec=spec)

        async def reconcile(key: str) -> str | None:
            return await self.client.find_by_key(
                token=self.token,
                account_id=self.acct,
                kind="ad_set",
                idempotency_key=key,
                parent_id=campaign_id,
            )

        def rows(external: str | None, status: str) -> list[repo.RowChange]:
            return [self._row("ad_set", status, plan_key=s.key, external_id=external)]

        external = await self.step(kind="ad_set", plan_key=s.key, send=send, reconcile=reconcile, rows=rows)
        self.outcome.ad_sets[s.key] = external
        return external

    def _creative_spec(self, ad: AdPlan, media: list[MediaRef], key: str) -> CreativeSpec:
        return CreativeSpec(
            name=f"{ad.name} creative",
            language=ad.language,
            headline=ad.headline,
            primary_text=ad.primary_text,
            description=ad.description or None,
            cta=ad.cta,  # type: ignore[arg-type]
            landing_url=self.plan.landing_url,
            brand_name=self.ctx.brand_name,
            brand_avatar=self.ctx.brand_avatar,
            media=media,
            idempotency_key=key,
        )

    async def _creative(self, media_tasks: Sequence[Awaitable[MediaRef]], s: AdSetPlan, ad: AdPlan) -> str:
        media = [await m for m in media_tasks]

        async def send(key: str) -> str:
            spec = self._creative_spec(ad, media, key)
            return await self.client.create_creative(token=self.token, account_id=self.acct, spec=spec)

        async def reconcile(key: str) -> str | None:
            return await self.client.find_by_key(
                token=self.token, account_id=self.acct, kind="creative", idempotency_key=key
            )

        def rows(external: str | None, status: str) -> list[repo.RowChange]:
            if external is None:
                return []
            return [self._row("ad", None, plan_key=ad.key, ad_set_key=s.key, creative_id=external)]

        return await self.step(kind="creative", plan_key=ad.key, send=send, reconcile=reconcile, rows=rows)

    async def _ad(
        self,
        set_task: Awaitable[str],
        media_tasks: Sequence[Awaitable[MediaRef]],
        creative_task: Awaitable[str] | None,
        s: AdSetPlan,
        ad: AdPlan,
    ) -> None:
        ad_set_id = await set_task
        media = [await m for m in media_tasks]
        creative_id = await creative_task if creative_task is not None else None

        async def send(key: str) -> str:
            spec = AdSpec(
                **self._creative_spec(ad, media, key).model_dump(exclude={"name", "idempotency_key"}),
                name=ad.name,
                ad_set_id=ad_set_id,
                creative_id=creative_id,
                idempotency_key=key,
            )
            created = await self.client.create_ad(token=self.token, account_id=self.acct, spec=spec)
            return created.ad_id

        async def reconcile(key: str) -> str | None:
            return await self.client.find_by_key(
                token=self.token, account_id=self.acct, kind="ad", idempotency_key=key, parent_id=ad_set_id
            )

        def rows(external: str | None, status: str) -> list[repo.RowChange]:
            return [self._row("ad", status, plan_key=ad.key, ad_set_key=s.key, external_id=external)]

        external = await self.step(kind="ad", plan_key=ad.key, send=send, reconcile=reconcile, rows=rows)
        self.outcome.ads[ad.key] = external

    def _row(self, level: str, status: str | None, **which: str | None) -> repo.RowChange:
        """A change to this platform's user-facing rows (see `repo.RowChange` for `which`)."""
        return repo.RowChange(
            campaign_id=self.plan.campaign_id, platform=self.platform, level=level, status=status, **which
        )

    # ---------------------------------------------------------------------------------------- verify, activate

    def _objects(self) -> list[tuple[ObjectKind, str]]:
        out: list[tuple[ObjectKind, str]] = [("campaign", self.outcome.external_campaign_id or "")]
        out += [("ad_set", i) for i in self.outcome.ad_sets.values()]
        out += [("ad", i) for i in self.outcome.ads.values()]
        return out

    def _activation_started(self, level: str) -> bool:
        state, _ = self.steps.get(self.key(f"activate/{level}", "activate"), ("planned", None))
        return state in LIVE_STEP_STATES

    def premark_activations(self) -> None:
        """Queue "sending" for every level's activation, to commit with this tree's last "created" rows.

        Those rows must land before anything is switched on anyway, so the activations' own marks then cost
        no commit between the read-back and the first switch. "sending" only says a switch may have been
        sent, which holds: a crash before it leaves the next run sending it again (switching on is
        idempotent) with everything still paused meanwhile. `steps` learns of a mark only when its level is
        switched on, so the read-back still requires every level paused. Marks never used go back to
        "planned" at the end of the run (`_release_unsent`).
        """
        for level in LEVELS:
            key = self.key(f"activate/{level}", "activate")
            has_objects = any(kind == level and i for kind, i in self._objects())
            if has_objects and self.steps.get(key, ("planned", None))[0] == "planned":
                self.premarked_activations.add(key)
                self.ledger.submit_sending(key)

    async def verify_paused(self) -> None:
        """Read every object back before anything is activated: all of it must exist and be paused.

        A level whose activation an earlier run already sent may read back active: its campaign is still
        paused (campaigns are switched on last), so nothing delivers, and the re-run completes the switch.
        """

        objects = self._objects()
        states = await self.call(
            lambda: self.client.get_states(token=self.token, account_id=self.acct, objects=objects)
        )
        wrong = []
        for (kind, _), st in zip(self._objects(), states, strict=True):
            allowed = {"paused", "pending_review"}
            if self._activation_started(kind):
                allowed.add("active")
            if st.status not in allowed:
                wrong.append(st)
        if wrong:
            raise PlatformError(
                f"{len(wrong)} object(s) are not paused before activation: "
                + ", ".join(f"{s.kind} {s.external_id}={s.status}" for s in wrong),
                platform=self.platform,
            )

    async def activate_level(self, level: ObjectKind) -> None:
        """One ledger step per level: a retry or re-run never switches a level twice."""
        ids = [i for kind, i in self._objects() if kind == level and i]
        if not ids:
            return

        async def send(key: str) -> str:
            # Idempotent: the step's own loop retries it (a lost answer is simply sent again).
            await self.client.set_status(
                token=self.token, account_id=self.acct, kind=level, external_ids=ids, status="active"
            )
            return ",".join(ids)

        def rows(external: str | None, status: str) -> list[repo.RowChange]:
            # Every object of the level that exists on the platform.
            return [self._row(level, "active")] if status == "active" else []

        await self.step(
            kind="activate", plan_key=f"activate/{level}", send=send, reconcile=None, rows=rows,
            done_status="active",
        )

    async def activate_children(self) -> None:
        # The campaign stays paused while its ad sets and ads switch on together: nothing can deliver yet.
        await asyncio.gather(self.activate_level("ad"), self.activate_level("ad_set"))

    async def activate_campaign(self) -> None:
        await self.activate_level("campaign")
        self.outcome.ok = True
        self.outcome.ads_manager_url = self.client.ads_manager_url(
            account_id=self.acct, campaign_id=self.outcome.external_campaign_id or ""
        )

    async def pause_again(self) -> None:
        """Undo a partial activation: campaign first (it stops everything at once), then its children."""
        if self.account is None:
            return
        for level in ("campaign", "ad_set", "ad"):
            key = self.key(f"activate/{level}", "activate")
            if not self._activation_started(level):
                continue
            ids = [i for kind, i in self._objects() if kind == level and i]
            try:
                await self.call(
                    lambda level=level, ids=ids: self.client.set_status(  # type: ignore[misc]
                        token=self.token, account_id=self.acct, kind=level, external_ids=ids, status="paused"
                    )
                )
            except (PlatformError, NeedsReconnect) as exc:
                # Still switched on: the ledger keeps saying so, and the campaign level decides delivery.
                log.warning("pausing %s %s again failed: %s", self.platform, level, _describe(exc))
                continue

            # Back to planned: the objects are paused again, so a re-run must switch them on again.
            await self._mark(
                key, "planned", error="paused again: activation did not finish", rows=[self._row(level, "paused")]
            )
        self.outcome.ok = False
        self.outcome.ads_manager_url = None

    async def compensate(self) -> None:
        """Pause, then delete, everything this platform created for the campaign, through the ledger."""
        if self.account is None or self.account.dead:
            return
        async with self.ctx.sessions() as session:
            steps = await repo.list_steps(
                session=session, campaign_id=self.plan.campaign_id, platform=self.platform
            )
        targets: list[tuple[PublishStep, str]] = []
        for s in steps:
            if s.object_kind not in (*LEVELS, "creative"):
                continue
            external = s.external_id
            if s.state in ("sending", "unknown") and not external:
                # The answer was lost: the object may exist. Find it before deciding nothing is out there.
                external = await self._find_orphan(s)
            if external and s.state in ("created", "sending", "unknown", "compensating"):
                targets.append((s, external))
        if not targets:
            self.outcome.compensated = bool(steps)
            return
        campaigns = [e for s, e in targets if s.object_kind == "campaign"]
        if campaigns:
            try:
                await self.call(
                    lambda: self.client.set_status(
                        token=self.token,
                        account_id=self.acct,
                        kind="campaign",
                        external_ids=campaigns,
                        status="paused",
                    )
                )
            except (PlatformError, NeedsReconnect) as exc:
                log.warning("pausing %s campaign during compensation failed: %s", self.platform, _describe(exc))
        order = {"ad": 0, "creative": 1, "ad_set": 2, "campaign": 3}
        all_gone = True
        for s, external in sorted(targets, key=lambda t: order[t[0].object_kind]):
            await self._mark(s.idempotency_key, "compensating", external_id=external)
            failure = await self._delete(s.object_kind, external)  # type: ignore[arg-type]
            if failure is not None:
                # Stays "compensating", with the platform's reason: agent/cleanup.py retries it and alerts.
                await self._mark(s.idempotency_key, "compensating", error=f"delete failed: {failure}")
                all_gone = False
                continue

            # A creative has no user-facing row of its own: its ad's row already says "deleted".
            rows = [self._row(s.object_kind, "deleted", match_external_id=external)] if s.object_kind in LEVELS else []
            await self._mark(s.idempotency_key, "compensated", rows=rows)
        self.outcome.compensated = all_gone
        self.outcome.ok = False

    async def _find_orphan(self, s: PublishStep) -> str | None:
        parent_id: str | None = None
        if s.object_kind == "ad_set":
            parent_id = self.outcome.external_campaign_id
        elif s.object_kind == "ad" and s.parent_key:
            parent_id = self.outcome.ad_sets.get(s.parent_key)
        try:
            return await self.call(
                lambda: self.client.find_by_key(
                    token=self.token,
                    account_id=self.acct,
                    kind=s.object_kind,  # type: ignore[arg-type]
                    idempotency_key=s.idempotency_key,
                    parent_id=parent_id,
                )
            )
        except (PlatformError, NeedsReconnect) as exc:
            log.warning("looking up %s during compensation failed: %s", s.idempotency_key, _describe(exc))
            return None

    async def _delete(self, kind: ObjectKind, external_id: str) -> str | None:
        """Delete one object; None when it is gone (or was already), else why it is still there."""
        try:
            await self.call(
                lambda: self.client.delete(
                    token=self.token, account_id=self.acct, kind=kind, external_id=external_id
                )
            )
            return None
        except (PlatformError, NeedsReconnect) as exc:
            # Already gone counts as done; anything else stays "compensating" in the ledger for a human.
            try:
                state = await self.call(
                    lambda: self.client.get_state(
                        token=self.token, account_id=self.acct, kind=kind, external_id=external_id
                    )
                )
            except (PlatformError, NeedsReconnect):
                state = None
            if state is not None and state.status in ("deleted", "archived"):
                return None
            log.warning("delete during compensation failed: %s", _describe(exc))
            return _describe(exc)


async def _open_ledger(
    ctx: AgentContext, publishers: list[PlatformPublisher], *, premark: bool = False
) -> dict[str, BaseException]:
    """One transaction: every step of every platform planned (the outbox), and every account loaded.

    `premark`: every create step this run is about to send enters "sending" here, in this one transaction,
    instead of one commit before each call: the row still precedes the write, a crash still leaves it
    "sending" (so the next run looks the object up before sending), and the chain campaign -> ad set -> ad
    waits on no commit between its calls. Activations are still marked one by one: their "sending" state
    is what lets a level read back active. Steps this run never started go back to "planned" at its end
    (`_release_unsent`), so nothing needs a lookup that was never sent.
    """
    failures: dict[str, BaseException] = {}
    async with ctx.sessions() as session, session.begin():
        wanted = {
            pub.key(plan_key, kind): (pub, kind, plan_key, parent)
            for pub in publishers
            for kind, plan_key, parent in pub.planned_steps()
        }
        existing = await repo.get_step_states(session=session, idempotency_keys=list(wanted))
        missing = [k for k in wanted if k not in existing]
        if missing:
            await repo.plan_steps(
                session=session,
                steps=[
                    repo.PlannedStep(pub.plan.campaign_id, pub.platform, k, kind, plan_key, parent)
                    for k in missing
                    for pub, kind, plan_key, parent in [wanted[k]]
                ],
            )
            if session.get_bind().dialect.name != "sqlite":
                # Elsewhere another writer may have inserted some of them first: read back what is there.
                # (SQLite transactions begin IMMEDIATE, holding the write lock: the rows are ours as inserted.)
                existing.update(await repo.get_step_states(session=session, idempotency_keys=missing))
        for key, (pub, kind, _, _) in wanted.items():
            row = existing.get(key)
            if row is None:
                pub.steps[key] = ("planned", None)
                continue
            if (row.campaign_id, row.platform, row.object_kind) != (pub.plan.campaign_id, pub.platform, kind):
                # Keys are derived from the plan; a clash means two different writes share a key.
                raise ValueError(f"idempotency key {key!r} already belongs to another step")
            pub.steps[key] = (row.state, row.external_id)
        accounts = await repo.get_ad_accounts(
            session=session, ad_account_ids=[pub.pplan.ad_account_id for pub in publishers]
        )
        for pub in publishers:
            try:
                pub.load_account(accounts.get(pub.pplan.ad_account_id))
            except NeedsReconnect as exc:
                failures[pub.platform] = exc
        if premark:
            for pub in publishers:
                if pub.platform in failures:
                    continue
                pub.premarked = set(pub.planned_creates())
                for key in pub.premarked:
                    pub.steps[key] = ("sending", None)
            wave = [k for pub in publishers for k in pub.premarked]
            if wave:
                await repo.mark_steps_sending(session=session, idempotency_keys=wave)
        media = sorted({a for pub in publishers for a in pub._media_kinds()})
        assets = await repo.get_assets(session=session, asset_ids=media)
        paths = {a.id: ctx.asset_dir / (a.file_path or "") for a in assets}
        for pub in publishers:
            pub.asset_paths = {a: paths[a] for a in pub._media_kinds() if a in paths}
    return failures


async def publish_plan(
    ctx: AgentContext,
    plan: CampaignPlan,
    plan_hash: str,
    *,
    report: Callable[[str], Awaitable[None]] | None = None,
) -> dict[str, PlatformOutcome]:
    """Create everything paused on every platform (in parallel), verify, then activate; compensate on failure.

    Outcomes per platform: live; paused (everything exists, paused; a re-run finishes the activation);
    needs_reconnect (paused until the account is connected again; a re-run continues); compensated (a
    terminal failure somewhere: what was created was paused and deleted).
    """
    ledger = _LedgerWriter(ctx)
    publishers = [PlatformPublisher(ctx, plan, plan_hash, p, ledger) for p in plan.platforms]
    early = await _open_ledger(ctx, publishers, premark=True)

    async def build(pub: PlatformPublisher) -> None:
        if pub.platform in early:
            raise early[pub.platform]
        try:
            try:
                await pub.create_all()
            except BaseException:
                await pub.ledger.flush()
                raise
            # The read-back needs no commit: it runs while the last "created" rows land. Activation, which
            # comes after, does need every one of them in the ledger.
            pub.premark_activations()
            # The read-back first: its calls go out before the commit's own work takes the loop.
            verified, flushed = await asyncio.gather(
                pub.verify_paused(), pub.ledger.flush(), return_exceptions=True
            )
            for result in (verified, flushed):
                if isinstance(result, BaseException):
                    raise result
        except BaseExceptionGroup as group:
            raise _first_error(group) from None

    results = await asyncio.gather(*(build(p) for p in publishers), return_exceptions=True)
    failed = {p.platform: r for p, r in zip(publishers, results, strict=True) if isinstance(r, BaseException)}
    for platform, error in failed.items():
        if not isinstance(error, PlatformError | NeedsReconnect):
            log.error("publishing to %s failed unexpectedly", platform, exc_info=error)
    # Creates that never started are released now; activations too if nothing is to be switched on.
    await _release_unsent(ledger, publishers, activations=bool(failed))
    if failed:
        terminal = {p: e for p, e in failed.items() if not isinstance(e, NeedsReconnect)}
        for pub in publishers:
            reason = failed.get(pub.platform)
            if isinstance(reason, NeedsReconnect):
                pub.outcome.needs_reconnect = True
                pub.outcome.error = "the ad account must be connected again (its token expired)"
            elif reason is not None:
                pub.outcome.error = _describe(reason)
        if terminal:
            # All or nothing: a terminal failure anywhere withdraws every platform's objects.
            await asyncio.gather(*(p.compensate() for p in publishers), return_exceptions=True)
            culprit = ", ".join(sorted(terminal))
            for pub in publishers:
                if pub.platform not in failed:
                    pub.outcome.error = f"withdrawn because publishing failed on {culprit}"
        else:
            # Only expired tokens: everything stays paused, so the reconnect can finish the job.
            for pub in publishers:
                pub.outcome.paused = True
                if pub.platform not in failed:
                    pub.outcome.error = "waiting (paused) until the other accounts are reconnected"
        return {p.platform: p.outcome for p in publishers}

    # Every platform's tree exists and reads back paused: switch the children on everywhere, then campaigns.
    problem = await _activate(publishers, lambda p: p.activate_children())
    if problem is None:
        # The children's "active" rows land while the campaigns switch on (the order of the two is free).
        switched, landed = await asyncio.gather(
            _activate(publishers, lambda p: p.activate_campaign()), ledger.flush(), return_exceptions=True
        )
        if isinstance(switched, BaseException):
            raise switched
        if isinstance(landed, BaseException):
            raise landed
        problem = switched
    await _release_unsent(ledger, publishers, activations=True)
    await ledger.flush()
    if problem is not None:
        # Activation did not finish somewhere: pause again whatever went live, so nothing delivers half-done.
        await asyncio.gather(*(p.pause_again() for p in publishers), return_exceptions=True)
        for pub in publishers:
            pub.outcome.paused = True
            if pub.outcome.error is None:
                pub.outcome.error = f"paused again because activation failed on {problem}"
        return {p.platform: p.outcome for p in publishers}

    for pub in publishers:
        if report is not None:
            await report(pub.platform)
    return {p.platform: p.outcome for p in publishers}


async def _release_unsent(ledger: _LedgerWriter, publishers: list[PlatformPublisher], *, activations: bool) -> None:
    """Steps premarked "sending" whose call this run never started (a failure stopped it first) go back to
    "planned": they were certainly not sent, so no later run or compensation looks them up.

    `activations`: the premarked activations too (once no more switching on is to come in this run).
    """
    unsent = [key for pub in publishers for key in pub.premarked]
    if activations:
        unsent += [key for pub in publishers for key in pub.premarked_activations]
    if not unsent:
        return
    await ledger.flush()
    await ledger.write(lambda session: repo.unmark_steps_sending(session=session, idempotency_keys=unsent))
    for pub in publishers:
        for key in pub.premarked | (pub.premarked_activations if activations else set()):
            pub.steps[key] = ("planned", None)
        pub.premarked.clear()
        if activations:
            pub.premarked_activations.clear()


async def _activate(
    publishers: list[PlatformPublisher], phase: Callable[[PlatformPublisher], Awaitable[None]]
) -> str | None:
    """Run one activation phase on every platform; the names of the platforms where it failed, if any."""
    results = await asyncio.gather(*(phase(p) for p in publishers), return_exceptions=True)
    failed = []
    for pub, result in zip(publishers, results, strict=True):
        if isinstance(result, BaseException):
            failed.append(pub.platform)
            if isinstance(result, NeedsReconnect):
                pub.outcome.needs_reconnect = True
                pub.outcome.error = "the ad account must be connected again (its token expired)"
            else:
                pub.outcome.error = _describe(result)
                if not isinstance(result, PlatformError):
                    log.error("activation on %s failed unexpectedly", pub.platform, exc_info=result)
    return ", ".join(failed) or None


async def withdraw_plan(ctx: AgentContext, plan: CampaignPlan, plan_hash: str) -> dict[str, PlatformOutcome]:
    """The user gave up on a paused publish (e.g. instead of reconnecting): pause and delete what exists."""
    ledger = _LedgerWriter(ctx)
    publishers = [PlatformPublisher(ctx, plan, plan_hash, p, ledger) for p in plan.platforms]
    await _open_ledger(ctx, publishers)
    for pub in publishers:
        pub._adopt()
    await asyncio.gather(*(p.compensate() for p in publishers), return_exceptions=True)
    for pub in publishers:
        if pub.account is None:
            pub.outcome.needs_reconnect = True
            pub.outcome.error = "not withdrawn: the account is not connected; pause it in the platform's manager"
    return {p.platform: p.outcome for p in publishers}
