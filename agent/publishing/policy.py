"""The call policy, and the publisher core every call of a platform goes through.

`PlatformPublisher` is one platform's part of a publish: its steps in the ledger (`PlatformSteps`), the
account it publishes with, and its outcome. It talks to the platform in two ways only:
- `step`: an external write, at most once, decided by its ledger row (send, reconcile or reuse);
- `call`: an idempotent call (read, status change, delete), simply retried.
Both retry transient failures, park the account on rate limits (every branch of the account waits), look up an
unknown outcome before sending again, and refresh an expired token once for all branches (single flight); a
token that cannot be refreshed marks the account for reconnecting and stops every branch. The tree, the
activation and the compensation (their own modules) are made of these two.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

import httpx

from agent.context import AgentContext
from agent.planning import CampaignPlan, PlatformPlan
from agent.publishing.ledger import LedgerWriter, PlatformSteps
from agent.publishing.outcome import NeedsReconnect, PlatformOutcome, Withdrawn, describe
from store import repositories as repo
from store.models import AdAccount
from tools.platforms.base import (
    CreatedLookup,
    ObjectKind,
    OutcomeUnknown,
    PlatformError,
    RateLimited,
    TokenExpired,
    TokenSet,
    TransientError,
)

T = TypeVar("T")

MAX_ATTEMPTS = 5  # transient failures and unknown outcomes per call
MAX_RATE_LIMITED = 8  # rate-limit answers per call: parked each time for as long as the platform asks
MAX_BACKOFF_S = 60.0  # our own exponential backoff stops growing here
MAX_PARK_S = 600.0  # a platform asking for a longer pause fails this run instead of holding it for hours
# How far a platform's clock may run behind ours: a lost create is looked for among objects made from its
# recorded send time less this. Generous, since a same-named object of someone else's that slips in is still
# told apart by the ledger (ids other steps hold) and, on Meta, by the key's label.
CLOCK_SKEW = timedelta(minutes=5)


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


class PlatformPublisher(PlatformSteps):
    """Publishes one platform's part of the plan through the ledger."""

    def __init__(
        self,
        ctx: AgentContext,
        plan: CampaignPlan,
        plan_hash: str,
        pplan: PlatformPlan,
        ledger: LedgerWriter | None = None,
    ) -> None:
        super().__init__(ledger or LedgerWriter(ctx), plan, plan_hash, pplan, ctx.platforms[pplan.platform])
        self.ctx = ctx
        self.outcome = PlatformOutcome(platform=pplan.platform)
        self.account: _Account | None = None
        self.timezone = "Asia/Riyadh"
        self.brand_name = ctx.brand_name  # the ads' brand: their workspace's, read with the ledger (saga)
        self.brand_avatar = ctx.brand_avatar  # and its picture (agent.brands.brand_avatar)

    # ---------------------------------------------------------------------------------------- account

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

    def act_for_account(self) -> None:
        """This task (and the tasks it starts) works for the account: its HTTP calls wait while it is parked."""
        _current_account.set(self.account)

    # ---------------------------------------------------------------------------------------- calls

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
                        await self.mark(key, "created", external_id=found, rows=with_rows(found, done_status))
                        return found
                    must_look = False
                if premarked:
                    premarked = False
                    self.steps[key] = ("sending", external_id)
                else:
                    await self.mark(key, "sending")
                    # Again after the commit: another branch may have parked the account meanwhile.
                    await self._wait_for_account()
                created = await send(key)
            except OutcomeUnknown as exc:
                attempts += 1
                self.park(None, attempts)  # before any await: parallel branches must see the pause at once
                await self.mark(key, "unknown", error=describe(exc), rows=with_rows(None, "unknown"))
                must_look = reconcile is not None
                await self._give_up(key, attempts, exc)
                continue
            except RateLimited as exc:
                limited += 1
                if limited > MAX_RATE_LIMITED or (exc.retry_after_s or 0) > MAX_PARK_S:
                    await self.mark(key, "unknown" if must_look else "failed", error=describe(exc))
                    raise
                self.park(exc.retry_after_s, limited)
                await self._mark_not_sent(key, exc, must_look)
                continue
            except TokenExpired as exc:
                await self._mark_not_sent(key, exc, must_look)
                await self._refresh_token()
                continue
            except TransientError as exc:
                attempts += 1
                self.park(None, attempts)
                # A 5xx may have been applied before the server failed; a refused connection never was.
                maybe_applied = exc.http_status is not None and exc.http_status >= 500
                if maybe_applied and reconcile is not None:
                    await self.mark(key, "unknown", error=describe(exc), rows=with_rows(None, "unknown"))
                    must_look = True
                else:
                    await self._mark_not_sent(key, exc, must_look)
                await self._give_up(key, attempts, exc)
                continue
            except PlatformError as exc:
                await self.mark(key, "failed", error=describe(exc))
                raise
            await self.mark(key, "created", external_id=created, rows=with_rows(created, done_status), later=True)
            return created

    async def find_lost(
        self, key: str, *, kind: ObjectKind, plan_key: str, parent_id: str | None = None
    ) -> str | None:
        """The object a create step made though its answer was lost (timeout, crash), or None.

        The platform names candidates (`find_created`: the key's label on Meta; the exact name under the parent,
        made since the ledger's send time, elsewhere); ids another step of our ledger already holds are not
        this step's, whatever their name (two conversations may publish same-named campaigns). The oldest of
        the rest is adopted."""
        await self.ledger.flush()  # "created" marks still queued are other steps' claims too
        async with self.ctx.sessions() as session:
            sent_at, request = await repo.get_sent_facts(session=session, idempotency_key=key)
        # The name the step recorded when planned (it may belong to an earlier version of the plan), else the
        # plan's.
        name = str((request or {}).get("name") or "") or self.sent_name(kind, plan_key)
        lookup = CreatedLookup(
            kind=kind, idempotency_key=key, name=name, parent_id=parent_id,
            created_since=sent_at - CLOCK_SKEW if sent_at is not None else None,
        )  # fmt: skip
        candidates = await self.client.find_created(token=self.token, account_id=self.acct, lookup=lookup)
        if not candidates:
            return None
        async with self.ctx.sessions() as session:
            taken = await repo.external_ids_taken(
                session=session, platform=self.platform, object_kind=kind, external_ids=candidates, other_than=key
            )
        return next((c for c in candidates if c not in taken), None)

    async def _mark_not_sent(self, key: str, exc: BaseException, still_unknown: bool) -> None:
        # Refused before the platform acted: the step is as it was (still "unknown" if a lookup is pending).
        await self.mark(key, "unknown" if still_unknown else "planned", error=describe(exc))

    async def _give_up(self, key: str, attempts: int, exc: PlatformError) -> None:
        if attempts >= MAX_ATTEMPTS:
            # An unknown outcome stays "unknown": a later run or the compensation looks the object up first.
            state = "unknown" if self.steps.get(key, ("", None))[0] == "unknown" else "failed"
            await self.mark(key, state, error=f"gave up after {attempts} attempts: {describe(exc)}")
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
                self.park(exc.retry_after_s, limited)
            except TokenExpired:
                await self._refresh_token()
            except TransientError:
                attempts += 1
                if attempts >= MAX_ATTEMPTS:
                    raise
                self.park(None, attempts)

    def park(self, retry_after_s: float | None, attempt: int) -> None:
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
        self.act_for_account()
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
