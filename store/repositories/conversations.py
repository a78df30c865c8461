"""Conversations (a Slack thread, the console, the HTTP API), each tied to one LangGraph thread."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import CHANNEL_KINDS, CONVERSATION_STATUSES, Conversation
from store.repositories._common import check_choice, first_row, require_row, set_fields


async def create_conversation(
    *,
    session: AsyncSession,
    workspace_id: str,
    thread_id: str,
    channel_kind: str,
    channel_id: str | None = None,
    thread_ts: str | None = None,
    requested_by: str,
    language: str = "en",
) -> Conversation:
    check_choice(channel_kind, CHANNEL_KINDS, "channel kind")
    conversation = Conversation(
        workspace_id=workspace_id,
        thread_id=thread_id,
        channel_kind=channel_kind,
        channel_id=channel_id,
        thread_ts=thread_ts,
        requested_by=requested_by,
        language=language,
        status="active",
    )
    session.add(conversation)
    await session.flush()
    return conversation


async def get_conversation(*, session: AsyncSession, conversation_id: str) -> Conversation | None:
    return await session.get(Conversation, conversation_id)


async def get_conversation_by_thread(*, session: AsyncSession, thread_id: str) -> Conversation | None:
    return await first_row(session, select(Conversation).where(Conversation.thread_id == thread_id))


async def find_conversation(
    *, session: AsyncSession, channel_kind: str, channel_id: str | None, thread_ts: str | None
) -> Conversation | None:
    return await first_row(
        session,
        select(Conversation).where(
            Conversation.channel_kind == channel_kind,
            Conversation.channel_id.is_not_distinct_from(channel_id),
            Conversation.thread_ts.is_not_distinct_from(thread_ts),
        ),
    )


async def update_conversation(*, session: AsyncSession, conversation_id: str, **fields: Any) -> Conversation:
    check_choice(fields.get("status"), CONVERSATION_STATUSES, "conversation status")
    conversation = await require_row(session, Conversation, conversation_id)
    set_fields(conversation, fields, frozen=("id", "thread_id", "created_at"))
    await session.flush()
    return conversation


async def list_conversations(
    *, session: AsyncSession, workspace_id: str | None = None, statuses: Iterable[str] | None = None,
    limit: int | None = None,
) -> list[Conversation]:
    """Oldest first; with `limit`, the newest `limit` of them, newest first."""
    stmt = select(Conversation)
    if workspace_id is not None:
        stmt = stmt.where(Conversation.workspace_id == workspace_id)
    if statuses is not None:
        stmt = stmt.where(Conversation.status.in_(list(statuses)))
    if limit is not None:
        return list(await session.scalars(stmt.order_by(Conversation.created_at.desc()).limit(limit)))
    return list(await session.scalars(stmt.order_by(Conversation.created_at)))
