"""Digest sends: the once-only claim of a digest (workspace, channel, kind, period), and the campaigns it covers.

``claim_digest``, ``release_digest`` and ``finish_digest`` commit: a claim must be visible to every other process
the moment it is taken, before the post it guards.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import DIGEST_KINDS, Campaign, DigestSend, new_id, utcnow
from store.repositories._common import check_choice, insert_if_absent


async def claim_digest(
    *, session: AsyncSession, workspace_id: str, channel: str, kind: str, period: str, holder: str,
    stale_after: timedelta = timedelta(minutes=15), now: datetime | None = None,
) -> str | None:
    """The claim's id when `holder` may post this digest now; None when it was sent, or another holder is posting
    it. A claim left `stale_after` without being sent or released (its process died mid-post) is taken over.
    Commits."""
    check_choice(kind, DIGEST_KINDS, "digest kind")
    now = now or utcnow()
    claim_id = new_id()
    inserted = await insert_if_absent(
        session, DigestSend,
        {"id": claim_id, "workspace_id": workspace_id, "channel": channel, "kind": kind, "period": period,
         "status": "claimed", "claimed_by": holder, "claimed_at": now},
        ("workspace_id", "channel", "kind", "period"),
    )
    if inserted:
        await session.commit()
        return claim_id
    key = (DigestSend.workspace_id == workspace_id, DigestSend.channel == channel, DigestSend.kind == kind,
           DigestSend.period == period)
    taken = cast(CursorResult[Any], await session.execute(
        update(DigestSend)
        .where(*key, DigestSend.status == "claimed", DigestSend.claimed_at < now - stale_after)
        .values(claimed_by=holder, claimed_at=now)
    ))
    claim = None
    if taken.rowcount == 1:
        claim = await session.scalar(select(DigestSend.id).where(*key))
    await session.commit()
    return claim


async def release_digest(*, session: AsyncSession, claim_id: str, holder: str) -> None:
    """Give a claim back (the post failed), so a later run sends the digest. Commits."""
    await session.execute(delete(DigestSend).where(DigestSend.id == claim_id, DigestSend.claimed_by == holder,
                                                   DigestSend.status == "claimed"))
    await session.commit()


async def finish_digest(*, session: AsyncSession, claim_id: str, message_ts: str | None) -> None:
    """The digest was posted: it is never sent again for its period. Commits."""
    await session.execute(update(DigestSend).where(DigestSend.id == claim_id)
                          .values(status="sent", sent_at=utcnow(), message_ts=message_ts))
    await session.commit()


async def list_digest_sends(*, session: AsyncSession, workspace_id: str) -> list[DigestSend]:
    stmt = select(DigestSend).where(DigestSend.workspace_id == workspace_id)
    return list(await session.scalars(stmt.order_by(DigestSend.claimed_at, DigestSend.id)))


async def campaigns_of_workspace(
    *, session: AsyncSession, workspace_id: str, statuses: Iterable[str]
) -> list[Campaign]:
    """Every campaign of the workspace in these statuses, newest first (no cap: a digest leaves none out)."""
    stmt = (select(Campaign).where(Campaign.workspace_id == workspace_id, Campaign.status.in_(list(statuses)))
            .order_by(Campaign.created_at.desc(), Campaign.id))
    return list(await session.scalars(stmt))
