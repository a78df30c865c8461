"""OAuth for ad accounts: open a signed, single-use link for a conversation, and complete it from the callback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from agent.context import AgentContext
from agent.interactions import ConnectLink
from store import repositories as repo
from tools.oauth import StateError, sign_state, verify_state

LINK_TTL = timedelta(minutes=30)


class OAuthFailed(Exception):
    """The callback cannot be accepted; `reason` is safe to show (never a token)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
        nonce, expires_at = row.id, row.expires_at
    signed = sign_state(
        ctx.oauth_secret,
        nonce=nonce,
        workspace_id=state["workspace_id"],
        conversation_id=state["conversation_id"],
        platform=platform,
        expires_at=expires_at,
    )
    url = ctx.platforms[platform].authorize_url(state=signed, redirect_uri=ctx.redirect_uri(platform))
    return ConnectLink(platform=platform, authorize_url=url, state=signed)


async def complete_oauth(
    ctx: AgentContext, *, platform: str, code: str, state: str, actor: str
) -> ConnectedAccount:
    """Verify the state, use it once, exchange the code, store every usable account (encrypted token)."""
    now = ctx.clock()
    try:
        claims = verify_state(ctx.oauth_secret, state, now=now)
    except StateError as exc:
        raise OAuthFailed(f"the link is invalid or expired ({exc}); ask for a new one") from exc
    if claims.platform != platform:
        raise OAuthFailed("this link was made for another platform")
    async with ctx.sessions() as session:
        row = await repo.consume_oauth_state(session=session, state_id=claims.nonce, now=now)  # commits
    if row is None:
        raise OAuthFailed("this link was already used or has expired; ask for a new one")

    client = ctx.platforms[platform]
    tokens = await client.exchange_code(code=code, redirect_uri=row.redirect_uri)
    accounts = await client.list_ad_accounts(token=tokens.access_token)
    usable = [a for a in accounts if a.can_create_ads] or accounts
    if not usable:
        raise OAuthFailed("this login has no ad account; create one on the platform first")
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
