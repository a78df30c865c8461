"""OAuth for ad accounts: open a signed, single-use link for a conversation, and complete it from the callback."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from agent.context import AgentContext
from agent.interactions import ConnectLink
from agent.oauth_texts import oauth_text
from agent.texts import platform_name
from store import repositories as repo
from tools.oauth import StateError, sign_state, sign_ticket, verify_state, verify_ticket
from tools.platforms.base import OutcomeUnknown, RateLimited, TransientError

LINK_TTL = timedelta(minutes=30)
RECONNECT_TTL = timedelta(days=30)  # a Reconnect button posted in a warning works this long
OAUTH_ATTEMPTS = 4  # per platform call while completing a login
MAX_OAUTH_WAIT_S = 10.0  # a rate limit asking for longer is not waited out with a person on the page

log = logging.getLogger(__name__)
T = TypeVar("T")


class OAuthFailed(Exception):
    """The callback cannot be accepted; `reason` (English) and `text(language)` are safe to show (never a token)."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key, self.values = key, values
        self.reason = self.text("en")
        super().__init__(self.reason)

    def text(self, language: str | None) -> str:
        """The refusal in the reader's language."""
        values = dict(self.values)
        if "platform" in values:
            values["platform"] = platform_name(str(values["platform"]), language)
        return oauth_text(self.key, language, **values)


@dataclass
class ConnectedAccount:
    """What one OAuth login connected: every usable ad account it sees, stored with its encrypted token."""

    workspace_id: str
    conversation_id: str | None
    platform: str
    ad_account_ids: list[str]  # ADLY's ad_accounts ids, in the platform's order
    names: list[str]

    @property
    def ad_account_id(self) -> str | None:
        """The account this login chose by itself: the only one; None when the user must choose."""
        return self.ad_account_ids[0] if len(self.ad_account_ids) == 1 else None

    @property
    def name(self) -> str:
        return ", ".join(self.names)


async def _retried(ctx: AgentContext, op: Callable[[], Awaitable[T]], *, unsent_only: bool = False) -> T:
    """`op` again after a transient failure or a rate limit (a person is waiting on the page: a few seconds)."""
    for attempt in range(1, OAUTH_ATTEMPTS + 1):
        try:
            return await op()
        except RateLimited as exc:
            if attempt == OAUTH_ATTEMPTS or (exc.retry_after_s or 0) > MAX_OAUTH_WAIT_S:
                raise
            delay = exc.retry_after_s or ctx.publish_backoff_s * 2 ** (attempt - 1)
        except TransientError as exc:
            reached = isinstance(exc, OutcomeUnknown) or exc.http_status is not None
            if attempt == OAUTH_ATTEMPTS or (unsent_only and reached):
                raise
            delay = ctx.publish_backoff_s * 2 ** (attempt - 1)
        log.warning("OAuth call failed (attempt %d of %d); retrying in %.1fs", attempt, OAUTH_ATTEMPTS, delay)
        await asyncio.sleep(delay)
    raise AssertionError("unreachable")


async def open_link(ctx: AgentContext, state: dict[str, Any], platform: str) -> ConnectLink:
    """The authorize link for `platform` in this conversation; an unexpired unused one is reused."""
    now = ctx.clock()
    async with ctx.sessions() as session, session.begin():
        row = await repo.find_open_oauth_state(
            session=session, conversation_id=state["conversation_id"], platform=platform, now=now
        )
        if row is None:
            row = await repo.create_oauth_state(
                session=session,
                workspace_id=state["workspace_id"],
                conversation_id=state["conversation_id"],
                platform=platform,
                redirect_uri=ctx.redirect_uri(platform),
                ttl_s=int(LINK_TTL.total_seconds()),
            )
        nonce = row.id
    signed = sign_state(ctx.oauth_secret, reference=nonce)
    url = ctx.platforms[platform].authorize_url(state=signed, redirect_uri=ctx.redirect_uri(platform))
    return ConnectLink(platform=platform, authorize_url=url, state=signed)


def reconnect_url(ctx: AgentContext, *, platform: str, ad_account_id: str) -> str:
    """A link that stays valid for RECONNECT_TTL (for a warning posted days ahead): pressed, it opens a fresh
    connect link for the account's workspace (`open_reconnect`), so the login lands on the account again."""
    expires = int((ctx.clock() + RECONNECT_TTL).timestamp())
    ticket = sign_ticket(ctx.oauth_secret, subject=ad_account_id, expires_at=expires)
    return f"{ctx.oauth_redirect_base.rstrip('/')}/oauth/{platform}/reconnect?ticket={ticket}"


async def open_reconnect(ctx: AgentContext, *, platform: str, ticket: str) -> str:
    """The platform's authorize URL for a reconnect ticket we signed (OAuthFailed, safe to show, otherwise).

    The state opened here belongs to the workspace and no conversation: the callback stores the accounts the
    login sees (the account marked for reconnecting becomes active again with its new token).
    """
    try:
        ad_account_id = verify_ticket(ctx.oauth_secret, ticket, now=ctx.clock().timestamp())
    except StateError as exc:
        log.info("reconnect ticket refused: %s", exc)
        raise OAuthFailed("reconnect_invalid") from exc
    async with ctx.sessions() as session, session.begin():
        account = await repo.get_ad_account(session=session, ad_account_id=ad_account_id)
        if account is None or account.platform != platform:
            raise OAuthFailed("account_gone")
        row = await repo.create_oauth_state(
            session=session, workspace_id=account.workspace_id, conversation_id=None, platform=platform,
            redirect_uri=ctx.redirect_uri(platform), ttl_s=int(LINK_TTL.total_seconds()),
        )  # fmt: skip
        nonce = row.id
    signed = sign_state(ctx.oauth_secret, reference=nonce)
    return ctx.platforms[platform].authorize_url(state=signed, redirect_uri=ctx.redirect_uri(platform))


@dataclass
class DeclinedConsent:
    """A consent the person declined on the platform's page: nothing connected, the link still usable."""

    workspace_id: str
    conversation_id: str | None
    platform: str
    reason: str


@dataclass(frozen=True)
class StateClaims:
    """What a state refers to (read from the store: the state itself carries only a reference)."""

    nonce: str
    workspace_id: str
    conversation_id: str | None
    platform: str


async def state_claims(ctx: AgentContext, state: str, platform: str | None = None) -> StateClaims:
    """The open link a state we signed refers to; OAuthFailed (safe to show) otherwise."""
    try:
        reference = verify_state(ctx.oauth_secret, state)
    except StateError as exc:
        log.info("OAuth state refused: %s", exc)
        raise OAuthFailed("link_invalid") from exc
    async with ctx.sessions() as session:
        row = await repo.get_oauth_state(session=session, state_id=reference)
    if row is None or row.used_at is not None or row.expires_at <= ctx.clock():
        raise OAuthFailed("link_used")
    if platform is not None and row.platform != platform:
        raise OAuthFailed("link_other_platform")
    return StateClaims(row.id, row.workspace_id, row.conversation_id, row.platform)


async def decline_oauth(
    ctx: AgentContext, *, platform: str, state: str, reason: str, actor: str
) -> DeclinedConsent:
    """Record that consent was declined for a link we signed; the link stays open so Connect can be retried.

    Only a state we signed, for this platform and still open, is accepted: the callback URL is public, and a
    forged or replayed "declined" must not reach anyone's thread.
    """
    claims = await state_claims(ctx, state, platform)
    reason = " ".join(reason.split())[:200] or "access_denied"  # the platform's words, shown as plain text
    async with ctx.sessions() as session, session.begin():
        await repo.audit(
            session=session,
            workspace_id=claims.workspace_id,
            actor=actor,
            action="ad_account.declined",
            subject_type="conversation",
            subject_id=claims.conversation_id,
            details={"platform": platform, "reason": reason},
        )
    return DeclinedConsent(claims.workspace_id, claims.conversation_id or None, platform, reason)


async def complete_oauth(
    ctx: AgentContext, *, platform: str, code: str, state: str, actor: str
) -> ConnectedAccount:
    """Verify the state, use it once, exchange the code, store every usable account (encrypted token)."""
    now = ctx.clock()
    claims = await state_claims(ctx, state, platform)
    async with ctx.sessions() as session:
        row = await repo.consume_oauth_state(session=session, state_id=claims.nonce, now=now)  # commits
    if row is None:
        raise OAuthFailed("link_used")

    client = ctx.platforms[platform]
    try:
        # A code is single use: an exchange is sent again only when the first never reached the platform.
        tokens = await _retried(ctx, lambda: client.exchange_code(code=code, redirect_uri=row.redirect_uri),
                                unsent_only=True)
        accounts = await _retried(ctx, lambda: client.list_ad_accounts(token=tokens.access_token))
    except (TransientError, RateLimited) as exc:
        log.info("%s did not answer while connecting: %s", platform, type(exc).__name__)
        raise OAuthFailed("platform_silent", platform=platform) from exc
    usable = [a for a in accounts if a.can_create_ads] or accounts
    if not usable:
        raise OAuthFailed("no_ad_account")
    ids: list[str] = []
    async with ctx.sessions() as session, session.begin():
        for info in usable:
            account = await repo.upsert_ad_account(
                session=session,
                cipher=ctx.cipher,
                workspace_id=claims.workspace_id,
                platform=platform,
                external_account_id=info.external_id,
                name=info.name,
                currency=info.currency,
                timezone=info.timezone,
                access_token=tokens.access_token,
                refresh_token=tokens.refresh_token,
                token_expires_at=tokens.expires_at,
                refresh_expires_at=tokens.refresh_expires_at,
                scopes=tokens.scopes,
                connected_by=actor,
            )
            await repo.audit(
                session=session,
                workspace_id=claims.workspace_id,
                actor=actor,
                action="ad_account.connected",
                subject_type="ad_account",
                subject_id=account.id,
                details={"platform": platform, "external_account_id": info.external_id, "choices": len(usable)},
            )
            ids.append(account.id)
    return ConnectedAccount(
        workspace_id=claims.workspace_id,
        conversation_id=claims.conversation_id,
        platform=platform,
        ad_account_ids=ids,
        names=[info.name for info in usable],
    )
