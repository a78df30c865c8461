"""The audit log, and the once-only marks of processed events (Slack's redeliveries).

``mark_event_processed`` commits (a redelivery must see the first delivery at once).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import AuditEvent, ProcessedEvent, utcnow
from store.repositories._common import insert_if_absent


async def audit(
    *,
    session: AsyncSession,
    workspace_id: str | None,
    actor: str,
    action: str,
    subject_type: str | None,
    subject_id: str | None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        workspace_id=workspace_id,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=dict(details or {}),
    )
    session.add(event)
    await session.flush()
    return event


async def audit_many(*, session: AsyncSession, events: Sequence[Mapping[str, Any]]) -> None:
    """Several audit events at once (keys as `audit` takes them, `created_at` kept when given)."""
    session.add_all([AuditEvent(**{**event, "details": dict(event.get("details") or {})}) for event in events])
    await session.flush()


async def list_audit_events(
    *,
    session: AsyncSession,
    actions: Sequence[str],
    subject_type: str | None = None,
    subject_id: str | None = None,
) -> list[AuditEvent]:
    """Audit events with one of `actions` (optionally about one subject), oldest first."""
    stmt = select(AuditEvent).where(AuditEvent.action.in_(list(actions)))
    if subject_type is not None:
        stmt = stmt.where(AuditEvent.subject_type == subject_type)
    if subject_id is not None:
        stmt = stmt.where(AuditEvent.subject_id == subject_id)
    return list(await session.scalars(stmt.order_by(AuditEvent.created_at, AuditEvent.id)))


async def mark_event_processed(*, session: AsyncSession, event_id: str, source: str) -> bool:
    """True the first time an event id is seen, False for every redelivery. Commits."""
    inserted = await insert_if_absent(
        session,
        ProcessedEvent,
        {"event_id": event_id, "source": source, "received_at": utcnow()},
        ("event_id",),
    )
    await session.commit()
    return inserted


async def purge_processed_events(*, session: AsyncSession, before: datetime) -> int:
    result = cast(
        CursorResult[Any],
        await session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < before)),
    )
    return result.rowcount
