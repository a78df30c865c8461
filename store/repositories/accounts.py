"""Connected ad accounts and their OAuth tokens, stored encrypted (store/crypto.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.crypto import TokenCipher, ad_account_aad
from store.models import ACCOUNT_STATUSES, PLATFORMS, AdAccount
from store.repositories._common import check_choice, currency_code, first_row, require_row


async def upsert_ad_account(
    *,
    session: AsyncSession,
    cipher: TokenCipher,
    workspace_id: str,
    platform: str,
    external_account_id: str,
    name: str | None,
    currency: str | None,
    timezone: str | None,
    access_token: str,
    refresh_token: str | None = None,
    token_expires_at: datetime | None = None,
    refresh_expires_at: datetime | None = None,
    scopes: Iterable[str] = (),
    connected_by: str | None = None,
) -> AdAccount:
    """Insert or refresh the account for (workspace, platform, external id); stores tokens encrypted."""
    check_choice(platform, PLATFORMS, "platform")
    account = await first_row(
        session,
        select(AdAccount).where(
            AdAccount.workspace_id == workspace_id,
            AdAccount.platform == platform,
            AdAccount.external_account_id == external_account_id,
        ),
    )
    if account is None:
        account = AdAccount(workspace_id=workspace_id, platform=platform, external_account_id=external_account_id)
        session.add(account)
    account.name = name
    account.currency = currency_code(currency) if currency else None
    account.timezone = timezone
    account.scopes = list(scopes)
    account.connected_by = connected_by
    account.status = "active"
    account.status_reason = None
    _set_tokens(cipher, account, access_token, refresh_token, token_expires_at, refresh_expires_at)
    await session.flush()
    return account


def _set_tokens(
    cipher: TokenCipher,
    account: AdAccount,
    access_token: str,
    refresh_token: str | None,
    token_expires_at: datetime | None,
    refresh_expires_at: datetime | None,
) -> None:
    account.access_token_enc = cipher.encrypt(access_token, aad=ad_account_aad(account, "access_token"))
    if refresh_token is not None:
        account.refresh_token_enc = cipher.encrypt(refresh_token, aad=ad_account_aad(account, "refresh_token"))
        account.refresh_expires_at = refresh_expires_at
    account.token_expires_at = token_expires_at


async def list_ad_accounts(
    *, session: AsyncSession, workspace_id: str, platform: str | None = None
) -> list[AdAccount]:
    stmt = select(AdAccount).where(AdAccount.workspace_id == workspace_id)
    if platform is not None:
        stmt = stmt.where(AdAccount.platform == platform)
    return list(await session.scalars(stmt.order_by(AdAccount.platform, AdAccount.created_at)))


async def get_ad_account(*, session: AsyncSession, ad_account_id: str) -> AdAccount | None:
    return await session.get(AdAccount, ad_account_id)


async def get_ad_accounts(*, session: AsyncSession, ad_account_ids: Sequence[str]) -> dict[str, AdAccount]:
    """Several accounts in one query, by id (ids that do not exist are left out)."""
    stmt = select(AdAccount).where(AdAccount.id.in_(list(ad_account_ids)))
    return {a.id: a for a in await session.scalars(stmt.execution_options(populate_existing=True))}


def read_tokens(*, cipher: TokenCipher, account: AdAccount) -> tuple[str | None, str | None]:
    """Decrypt (access_token, refresh_token); raises CryptoError, never showing either."""
    access = account.access_token_enc
    refresh = account.refresh_token_enc
    return (
        cipher.decrypt(access, aad=ad_account_aad(account, "access_token")) if access else None,
        cipher.decrypt(refresh, aad=ad_account_aad(account, "refresh_token")) if refresh else None,
    )


async def update_tokens(
    *,
    session: AsyncSession,
    cipher: TokenCipher,
    account: AdAccount,
    access_token: str,
    refresh_token: str | None = None,
    token_expires_at: datetime | None = None,
    refresh_expires_at: datetime | None = None,
) -> AdAccount:
    """Store refreshed tokens (a None refresh_token keeps the old one) and mark the account active."""
    _set_tokens(cipher, account, access_token, refresh_token, token_expires_at, refresh_expires_at)
    account.status = "active"
    account.status_reason = None
    await session.flush()
    return account


async def mark_account_status(
    *, session: AsyncSession, ad_account_id: str, status: str, reason: str | None = None
) -> AdAccount:
    """Set the account's status; `reason` says why it is not active (kept with it, cleared when active)."""
    check_choice(status, ACCOUNT_STATUSES, "account status")
    account = await require_row(session, AdAccount, ad_account_id)
    account.status = status
    account.status_reason = None if status == "active" else (reason or account.status_reason)
    if account.status_reason:
        account.status_reason = account.status_reason[:500]
    await session.flush()
    return account


async def ad_accounts_page(*, session: AsyncSession, after: str | None = None, limit: int = 500) -> list[AdAccount]:
    """Ad accounts of every workspace, `limit` at a time in id order after `after` (page through them all)."""
    stmt = select(AdAccount).order_by(AdAccount.id).limit(limit)
    if after is not None:
        stmt = stmt.where(AdAccount.id > after)
    return list(await session.scalars(stmt.execution_options(populate_existing=True)))
