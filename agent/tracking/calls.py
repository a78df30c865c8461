"""How tracking talks to a platform for one ad account: counted, paced on usage headers, backed off on rate
limits, and a token refreshed once when the platform says it expired.

Tracking runs in the background, so it can afford to wait: it slows down as Meta's usage headers climb (before
the throttle, not after), waits as long as a platform asks on a rate limit, and leaves an account for the next
run when the wait would be long. A token refused mid-run is refreshed once and the call tried once more; a
token that cannot be refreshed marks the account for reconnecting, and the account is skipped with that reason.

The httpx hooks below are installed on every platform client by the composition root (bot/platform_wiring.py);
they act only on calls made inside `AccountLink.call` (a context variable says which account a call is for).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

import httpx

from agent.context import AgentContext
from store.models import AdAccount
from tools.platforms.base import (
    InvalidRequest,
    PermissionMissing,
    PlatformError,
    RateLimited,
    TokenExpired,
    TransientError,
)
from tools.platforms.meta.usage import Usage, usage_of

log = logging.getLogger(__name__)
T = TypeVar("T")

PACE_FROM_PCT = 75.0  # below this share of a quota, calls go at full speed
PACE_MAX_S = 5.0  # the pause before each call grows linearly to this at 100%
BLOCKED_DEFAULT_S = 60.0  # a quota at 100% with no time given: wait this long
MAX_WAIT_S = 120.0  # a longer pause leaves the account for the next run (the job runs again soon)
MAX_RATE_LIMITED = 4  # rate-limit answers per call before the account is left for the next run
MAX_TRANSIENT = 3  # transient failures per call


class AccountSkipped(Exception):
    """This account is left out of this run; `reason` says why in words a person can read (never a token)."""

    def __init__(self, reason: str, *, needs_reconnect: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.needs_reconnect = needs_reconnect


def pause_for(usage: Usage) -> float:
    """Seconds to wait before the next call to an account whose last answer reported `usage` (a pure rule)."""
    if usage.blocked_s > 0:
        return usage.blocked_s
    if usage.pct >= 100:
        return BLOCKED_DEFAULT_S
    if usage.pct <= PACE_FROM_PCT:
        return 0.0
    return PACE_MAX_S * (usage.pct - PACE_FROM_PCT) / (100 - PACE_FROM_PCT)


def backoff_s(ctx: AgentContext, attempt: int) -> float:
    """Our own exponential backoff when a platform does not say how long: base, 2x base, 4x base..."""
    return float(min(MAX_WAIT_S, ctx.publish_backoff_s * 2 ** (attempt - 1)))


@dataclass
class AccountLink:
    """One ad account during one tracking run: its token lives here, in memory only; its calls are counted
    and paced. `refresh` is how a refused token is renewed (agent/tracking/tokens.py)."""

    ad_account_id: str
    workspace_id: str
    platform: str
    external_id: str
    timezone: str | None
    token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: datetime | None = None
    calls: int = 0
    refreshed: bool = False  # once per run: a token refused again after a refresh is not refreshed again
    pause_until: float = 0.0  # event-loop time before which no call goes out for this account

    @classmethod
    def of(cls, ctx: AgentContext, account: AdAccount) -> AccountLink:
        """The link of a stored account; AccountSkipped when it cannot be used (say why)."""
        from store import repositories as repo

        if account.status != "active":
            reason = account.status_reason or f"the account is {account.status.replace('_', ' ')}"
            raise AccountSkipped(reason, needs_reconnect=account.status == "needs_reconnect")
        access, refresh = repo.read_tokens(cipher=ctx.cipher, account=account)
        if not access:
            raise AccountSkipped("no access token is stored; reconnect the account", needs_reconnect=True)
        return cls(account.id, account.workspace_id, account.platform, account.external_account_id,
                   account.timezone, access, refresh, account.token_expires_at)

    async def wait_turn(self) -> None:
        """Hold a call until the account's pause is over; RateLimited when it would be too long to wait."""
        loop = asyncio.get_running_loop()
        while (remaining := self.pause_until - loop.time()) > 0:
            if remaining > MAX_WAIT_S:
                raise RateLimited(f"{self.platform}: paced for {remaining:.0f}s", platform=self.platform,
                                  retry_after_s=remaining)
            await asyncio.sleep(remaining)

    def pause(self, seconds: float) -> None:
        """No call for this account for `seconds` from now (a longer pause already set stays)."""
        loop = asyncio.get_running_loop()
        self.pause_until = max(self.pause_until, loop.time() + seconds)

    async def call(
        self, ctx: AgentContext, op: Callable[[str], Awaitable[T]],
        refresh: Callable[[AccountLink], Awaitable[None]],
    ) -> T:
        """`op(token)` for this account, with the care of the module docstring. AccountSkipped when the account
        must be left for now (rate limited for long, token gone, access refused); other errors propagate."""
        marker = _current.set(self)
        try:
            return await self._call(ctx, op, refresh)
        finally:
            _current.reset(marker)

    async def _call(
        self, ctx: AgentContext, op: Callable[[str], Awaitable[T]],
        refresh: Callable[[AccountLink], Awaitable[None]],
    ) -> T:
        limited = transient = 0
        while True:
            try:
                return await op(self.token)
            except TokenExpired as exc:
                if self.refreshed:
                    raise AccountSkipped(
                        f"{self.platform} refused the token again after refreshing it ({exc.platform_message}); "
                        "reconnect the account", needs_reconnect=True) from exc
                log.info("%s account %s: token refused (%s); refreshing it once", self.platform, self.ad_account_id,
                         exc.platform_message)
                self.refreshed = True
                await refresh(self)  # AccountSkipped when it cannot be refreshed
            except RateLimited as exc:
                limited += 1
                wait = exc.retry_after_s if exc.retry_after_s is not None else backoff_s(ctx, limited)
                if limited > MAX_RATE_LIMITED or wait > MAX_WAIT_S:
                    raise AccountSkipped(
                        f"{self.platform} is rate limiting this account (asked to wait {wait:.0f}s); "
                        "left for the next run") from exc
                log.info("%s account %s rate limited; waiting %.1fs", self.platform, self.ad_account_id, wait)
                self.pause(wait)
                await self.wait_turn()
            except TransientError as exc:
                transient += 1
                if transient > MAX_TRANSIENT:
                    raise AccountSkipped(f"{self.platform} did not answer ({exc.platform_message}); "
                                         "left for the next run") from exc
                await asyncio.sleep(backoff_s(ctx, transient))
            except PermissionMissing as exc:
                raise AccountSkipped(f"{self.platform} refused access to the account ({exc.platform_message}); "
                                     "check the connected user's role on it") from exc
            except InvalidRequest as exc:
                if exc.http_status == 401:  # an unparsed token refusal reads as a 401 too
                    raise AccountSkipped(f"{self.platform} refused the token ({exc.platform_message})",
                                         needs_reconnect=True) from exc
                raise
            except PlatformError:
                raise


# The account a tracking call is made for; set only inside AccountLink.call (tasks inherit it).
_current: ContextVar[AccountLink | None] = ContextVar("adly_tracking_account", default=None)


async def pace_tracked_call(request: httpx.Request) -> None:
    """httpx request hook: a call made for a tracked account is counted, and waits out the account's pause."""
    link = _current.get()
    if link is not None:
        await link.wait_turn()
        link.calls += 1


async def read_usage(response: httpx.Response) -> None:
    """httpx response hook: the usage a tracked account's answer reports sets the pause before its next call."""
    link = _current.get()
    if link is None:
        return
    usage = usage_of(response.headers)
    if usage is not None and (seconds := pause_for(usage)) > 0:
        log.info("%s account %s at %.0f%% of its API quota: next call in %.1fs", link.platform,
                 link.ad_account_id, usage.pct, seconds)
        link.pause(seconds)
