"""Token notices: the warnings about an ad account's token already said (or being said), once per token.

``claim_token_notice`` commits: a claim must be seen by every process the moment it is made, so that two
processes (or one after a restart) never post the same warning twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import TOKEN_NOTICE_KINDS, TokenNotice, new_id, utcnow
from store.repositories._common import check_choice, insert_if_absent


async def claim_token_notice(
    *, session: AsyncSession, ad_account_id: str, workspace_id: str, kind: str, token_ref: str,
    token_expires_at: datetime | None,
) -> str | None:
    """Claim the right to post one warning about one token; the claim's id, or None when it was claimed before
    (by this or another process). Commits."""
    check_choice(kind, TOKEN_NOTICE_KINDS, "token notice kind")
    notice_id = new_id()
    inserted = await insert_if_absent(
        session, TokenNotice,
        {"id": notice_id, "ad_account_id": ad_account_id, "workspace_id": workspace_id, "kind": kind,
         "token_ref": token_ref, "token_expires_at": token_expires_at, "posted_to": None, "created_at": utcnow()},
        ("ad_account_id", "kind", "token_ref"),
    )  # fmt: skip
    await session.commit()
    return notice_id if inserted else None


async def release_token_notice(*, session: AsyncSession, notice_id: str) -> None:
    """Give a claim back (its post failed): the next run claims and posts it again."""
    await session.execute(delete(TokenNotice).where(TokenNotice.id == notice_id))


async def mark_token_notice_posted(*, session: AsyncSession, notice_id: str, posted_to: str) -> None:
    await session.execute(update(TokenNotice).where(TokenNotice.id == notice_id).values(posted_to=posted_to[:128]))
