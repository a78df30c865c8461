"""Token care: refresh ad account tokens before they expire, mark the ones that lapsed, and say which warnings
are due (7 days and 1 day before a token that cannot be refreshed expires, and when one lapses).

How long tokens live (reference ad-platform-apis.md): Snapchat access tokens one hour, renewed with a refresh
token that does not expire; Meta long-lived user tokens about 60 days, renewed by exchanging a still-valid one
(no refresh grant: an expired Meta token cannot be renewed); TikTok advertiser tokens are long-term and carry no
expiry (they end only when the advertiser revokes them, seen as a refused call), so TikTok stores none.

The job runs every 15 minutes and once when a process becomes the leader (bot/scheduler.py). A token with a
refresh grant is renewed when less than REFRESH_GRANT_MARGIN is left (two runs' worth); one renewed by exchange
when less than REFRESH_EXCHANGE_MARGIN is left, so a failed exchange leaves a week to warn and reconnect.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from agent.context import AgentContext
from agent.tracking.calls import AccountLink, AccountSkipped
from store import repositories as repo
from store.models import AdAccount
from tools.platforms.base import PlatformError, RateLimited, TokenSet, TransientError

log = logging.getLogger(__name__)

REFRESH_GRANT_MARGIN = timedelta(minutes=30)
REFRESH_EXCHANGE_MARGIN = timedelta(days=7)
WARN_WEEK = timedelta(days=7)
WARN_DAY = timedelta(days=1)
ACCOUNTS_PAGE = 500

_refresh_locks: dict[str, asyncio.Lock] = {}  # one refresh of an account at a time in this process


def token_ref(access_token: str | None) -> str:
    """Which token a notice is about: a digest of it (never the token), stable across key rotation."""
    if not access_token:
        return "none"
    return hashlib.sha256(access_token.encode()).hexdigest()[:32]


def notice_kind(remaining: timedelta, *, refreshable: bool, lapsed: bool) -> str | None:
    """The warning due for a token with `remaining` time left (a pure rule): the most urgent one that applies."""
    if lapsed or remaining <= timedelta(0):
        return "lapsed"
    if refreshable:
        return None
    if remaining <= WARN_DAY:
        return "expires_1d"
    if remaining <= WARN_WEEK:
        return "expires_7d"
    return None


def refresh_due(account: AdAccount, now: datetime, *, has_refresh_token: bool) -> bool:
    """Renew now? Only tokens that expire; a refresh grant close to expiry, an exchange a week ahead."""
    if account.token_expires_at is None:
        return False
    margin = REFRESH_GRANT_MARGIN if has_refresh_token else REFRESH_EXCHANGE_MARGIN
    return account.token_expires_at - now <= margin


@dataclass
class TokenWarning:
    """A warning due about one account's token (kind: expires_7d, expires_1d, lapsed)."""

    ad_account_id: str
    workspace_id: str
    platform: str
    account_name: str
    external_account_id: str
    kind: str
    token_ref: str
    expires_at: datetime | None
    reason: str | None = None


@dataclass
class TokenCare:
    """What one run of token care did and found."""

    checked: int = 0
    refreshed: int = 0
    marked: list[str] = field(default_factory=list)  # accounts newly marked for reconnecting
    warnings: list[TokenWarning] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"checked": self.checked, "refreshed": self.refreshed, "marked": len(self.marked),
                "warnings": [f"{w.platform}:{w.ad_account_id}:{w.kind}" for w in self.warnings]}


async def mark_for_reconnect(ctx: AgentContext, ad_account_id: str, reason: str) -> None:
    """The account needs a person to connect it again; `reason` is kept with it and shown to people."""
    async with ctx.sessions() as session, session.begin():
        account = await repo.mark_account_status(session=session, ad_account_id=ad_account_id,
                                                 status="needs_reconnect", reason=reason)
        await repo.audit(session=session, workspace_id=account.workspace_id, actor="tracking",
                         action="ad_account.needs_reconnect", subject_type="ad_account", subject_id=ad_account_id,
                         details={"reason": reason})
    log.warning("ad account %s needs reconnecting: %s", ad_account_id, reason)


async def skip_account(ctx: AgentContext, account: AdAccount, skipped: AccountSkipped, what: str) -> None:
    """An account left out of a run: logged with its reason, and marked for reconnecting when that is why."""
    if skipped.needs_reconnect and account.status == "active":
        await mark_for_reconnect(ctx, account.id, skipped.reason)
    log.warning("%s of %s account %s skipped: %s", what, account.platform, account.id, skipped.reason)


async def _store(ctx: AgentContext, ad_account_id: str, fresh: TokenSet, old_refresh: str | None) -> None:
    async with ctx.sessions() as session, session.begin():
        row = await repo.get_ad_account(session=session, ad_account_id=ad_account_id)
        if row is None:
            return
        await repo.update_tokens(session=session, cipher=ctx.cipher, account=row, access_token=fresh.access_token,
                                 refresh_token=fresh.refresh_token or old_refresh, token_expires_at=fresh.expires_at,
                                 refresh_expires_at=fresh.refresh_expires_at)


async def refresh_link(ctx: AgentContext, link: AccountLink) -> None:
    """Renew the token of an account in use (the platform refused it): stored, and the link carries the new one.

    Single flight per account in this process: a refresh another task finished meanwhile is taken as is.
    AccountSkipped when it fails; `needs_reconnect` on it when the token cannot be renewed at all (the caller
    marks the account, see `skip_account`).
    """
    lock = _refresh_locks.setdefault(link.ad_account_id, asyncio.Lock())
    async with lock:
        async with ctx.sessions() as session:
            row = await repo.get_ad_account(session=session, ad_account_id=link.ad_account_id)
        if row is not None and row.status == "active":
            stored, stored_refresh = repo.read_tokens(cipher=ctx.cipher, account=row)
            if stored and stored != link.token:  # renewed by someone else since this run read it
                link.token, link.refresh_token, link.expires_at = stored, stored_refresh, row.token_expires_at
                return
        try:
            fresh = await ctx.platforms[link.platform].refresh(
                tokens=TokenSet(access_token=link.token, refresh_token=link.refresh_token, expires_at=link.expires_at)
            )
        except (TransientError, RateLimited) as exc:
            raise AccountSkipped(f"{link.platform} did not renew the token now ({exc.platform_message}); "
                                 "tried again next run") from exc
        except PlatformError as exc:
            reason = f"the {link.platform} token expired and cannot be renewed ({exc.platform_message}); reconnect"
            raise AccountSkipped(reason, needs_reconnect=True) from exc
        await _store(ctx, link.ad_account_id, fresh, link.refresh_token)
        link.token, link.expires_at = fresh.access_token, fresh.expires_at
        link.refresh_token = fresh.refresh_token or link.refresh_token


async def _care_for(ctx: AgentContext, account: AdAccount, now: datetime, care: TokenCare) -> None:
    """One account: renew when due, mark when lapsed, note the warning due (if any)."""
    access, refresh = repo.read_tokens(cipher=ctx.cipher, account=account)
    expires_at = account.token_expires_at
    name = account.name or account.external_account_id
    lapsed = account.status == "needs_reconnect"
    refreshable = True
    reason = account.status_reason
    if account.status == "active" and access and refresh_due(account, now, has_refresh_token=bool(refresh)):
        try:
            fresh = await ctx.platforms[account.platform].refresh(
                tokens=TokenSet(access_token=access, refresh_token=refresh, expires_at=expires_at))
        except (TransientError, RateLimited) as exc:
            log.warning("token refresh of %s account %s failed for now (tried again next run): %s",
                        account.platform, account.id, exc.platform_message)
        except PlatformError as exc:
            refreshable = False
            reason = f"{account.platform} would not renew the token ({exc.platform_message})"
            log.warning("token of %s account %s cannot be renewed: %s", account.platform, account.id,
                        exc.platform_message)
        else:
            await _store(ctx, account.id, fresh, refresh)
            care.refreshed += 1
            # An exchange that hands back the same expiry (Meta, near a token's end) renews nothing.
            refreshable = fresh.expires_at is None or expires_at is None or fresh.expires_at > expires_at
            access, expires_at = fresh.access_token, fresh.expires_at
            if not refreshable:
                reason = f"{account.platform} renewed the token without extending it"
    if account.status == "active" and expires_at is not None and expires_at <= now:
        reason = f"the {account.platform} token expired on {expires_at:%Y-%m-%d %H:%M} UTC; reconnect the account"
        await mark_for_reconnect(ctx, account.id, reason)
        care.marked.append(account.id)
        lapsed = True
    if account.status not in ("active", "needs_reconnect"):
        return
    remaining = (expires_at - now) if expires_at is not None else timedelta.max
    kind = notice_kind(remaining, refreshable=refreshable, lapsed=lapsed)
    if kind is not None:
        care.warnings.append(TokenWarning(account.id, account.workspace_id, account.platform, name,
                                          account.external_account_id, kind, token_ref(access), expires_at, reason))


async def care_for_tokens(ctx: AgentContext) -> TokenCare:
    """The token job: every ad account of every workspace, paged through the store (see the module docstring)."""
    now = ctx.clock()
    care = TokenCare()
    after: str | None = None
    while True:
        async with ctx.reads()() as session:
            page = await repo.ad_accounts_page(session=session, after=after, limit=ACCOUNTS_PAGE)
        for account in page:
            care.checked += 1
            await _care_for(ctx, account, now, care)
        if len(page) < ACCOUNTS_PAGE:
            return care
        after = page[-1].id


async def claim_warning(ctx: AgentContext, warning: TokenWarning) -> str | None:
    """The right to say `warning` (None: said before, by this or another process); give it back if not said."""
    async with ctx.sessions() as session:
        return await repo.claim_token_notice(
            session=session, ad_account_id=warning.ad_account_id, workspace_id=warning.workspace_id,
            kind=warning.kind, token_ref=warning.token_ref, token_expires_at=warning.expires_at,
        )  # fmt: skip


async def release_warning(ctx: AgentContext, notice_id: str) -> None:
    async with ctx.sessions() as session, session.begin():
        await repo.release_token_notice(session=session, notice_id=notice_id)


async def warning_said(ctx: AgentContext, notice_id: str, where: str) -> None:
    async with ctx.sessions() as session, session.begin():
        await repo.mark_token_notice_posted(session=session, notice_id=notice_id, posted_to=where)


async def refresh_tokens(ctx: AgentContext) -> dict[str, Any]:
    """The token job without a front door to warn through: renew and mark; each warning due is logged once."""
    care = await care_for_tokens(ctx)
    for warning in care.warnings:
        notice_id = await claim_warning(ctx, warning)
        if notice_id is None:
            continue
        log.warning("%s ad account %s (%s): token %s%s; no chat front door is configured to tell anyone",
                    warning.platform, warning.account_name, warning.ad_account_id, warning.kind.replace("_", " "),
                    f" ({warning.reason})" if warning.reason else "")
        await warning_said(ctx, notice_id, "log")
    return care.summary()
