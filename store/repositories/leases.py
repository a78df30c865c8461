"""Conversation leases: who runs a conversation's flow now, until when, under which fencing token."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import ConversationLease
from store.repositories._common import first_row, insert_if_absent


async def take_lease(*, session: AsyncSession, thread_id: str, holder: str, now: datetime,
                     until: datetime) -> int | None:
    """The thread's lease for `holder` (free, expired or already its own): the new fencing token, else None.
    Commits: a lease must be visible to every process the moment it is taken."""
    token: int | None = None
    if await insert_if_absent(session, ConversationLease,
                              {"thread_id": thread_id, "holder": holder, "token": 1, "expires_at": until},
                              ("thread_id",)):
        token = 1
    else:
        taken = cast(CursorResult[Any], await session.execute(
            update(ConversationLease)
            .where(ConversationLease.thread_id == thread_id,
                   (ConversationLease.expires_at <= now) | (ConversationLease.holder == holder))
            .values(holder=holder, token=ConversationLease.token + 1, expires_at=until)
            .execution_options(synchronize_session=False)))
        if taken.rowcount == 1:
            row = await first_row(session, select(ConversationLease).where(ConversationLease.thread_id == thread_id))
            token = row.token if row is not None else None
    await session.commit()
    return token


async def renew_lease(*, session: AsyncSession, thread_id: str, holder: str, token: int, until: datetime) -> bool:
    """Extend the lease if `holder` still holds it under `token`; False when another holder has taken it since.
    Part of the caller's transaction: a write guarded by it commits only if the lease still stands."""
    renewed = cast(CursorResult[Any], await session.execute(
        update(ConversationLease)
        .where(ConversationLease.thread_id == thread_id, ConversationLease.holder == holder,
               ConversationLease.token == token)
        .values(expires_at=until)
        .execution_options(synchronize_session=False)))
    return renewed.rowcount == 1


async def end_lease(*, session: AsyncSession, thread_id: str, holder: str, token: int, now: datetime) -> None:
    """Hand the lease back (expired at once), if it is still ours. Commits."""
    await session.execute(
        update(ConversationLease)
        .where(ConversationLease.thread_id == thread_id, ConversationLease.holder == holder,
               ConversationLease.token == token)
        .values(expires_at=now)
        .execution_options(synchronize_session=False))
    await session.commit()


async def live_lease(*, session: AsyncSession, thread_id: str, now: datetime) -> ConversationLease | None:
    """The thread's lease while someone holds it (not expired), else None."""
    return await first_row(session, select(ConversationLease).where(
        ConversationLease.thread_id == thread_id, ConversationLease.expires_at > now))


async def purge_leases(*, session: AsyncSession, before: datetime) -> int:
    result = cast(CursorResult[Any], await session.execute(
        delete(ConversationLease).where(ConversationLease.expires_at < before)))
    return result.rowcount
