"""Approval requests: one row per interrupt the graph raised, pending -> claimed -> decided (or superseded).

``claim_approval`` and ``release_claim`` commit (a claim is a lock other processes must see at once).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import APPROVAL_STATUSES, ApprovalRequest, new_id, utcnow
from store.repositories._common import check_choice, first_row, insert_if_absent, require_row


async def find_approval(*, session: AsyncSession, thread_id: str, interrupt_id: str) -> ApprovalRequest | None:
    return await first_row(session, select(ApprovalRequest).where(
        ApprovalRequest.thread_id == thread_id, ApprovalRequest.interrupt_id == interrupt_id))


async def record_approval_request(
    *,
    session: AsyncSession,
    conversation_id: str,
    thread_id: str,
    interrupt_id: str,
    kind: str,
    payload_hash: str | None,
) -> ApprovalRequest:
    """Record a pending interrupt once; older pending requests of the thread become superseded."""
    stmt = select(ApprovalRequest).where(
        ApprovalRequest.thread_id == thread_id, ApprovalRequest.interrupt_id == interrupt_id
    )
    existing = await first_row(session, stmt)
    if existing is not None:
        return existing
    await session.execute(
        update(ApprovalRequest)
        .where(
            ApprovalRequest.thread_id == thread_id,
            ApprovalRequest.status == "pending",
            ApprovalRequest.interrupt_id != interrupt_id,
        )
        .values(status="superseded")
    )
    await insert_if_absent(
        session,
        ApprovalRequest,
        {
            "id": new_id(),
            "conversation_id": conversation_id,
            "thread_id": thread_id,
            "interrupt_id": interrupt_id,
            "kind": kind,
            "status": "pending",
            "payload_hash": payload_hash,
            "created_at": utcnow(),
        },
        ("thread_id", "interrupt_id"),
    )
    request = await first_row(session, stmt)
    assert request is not None
    return request


async def claim_approval(
    *, session: AsyncSession, thread_id: str, interrupt_id: str, actor: str
) -> ApprovalRequest | None:
    """Compare-and-set pending -> claimed in one UPDATE; None if it was not pending. Commits."""
    now = utcnow()
    result = cast(
        CursorResult[Any],
        await session.execute(
            update(ApprovalRequest)
            .where(
                ApprovalRequest.thread_id == thread_id,
                ApprovalRequest.interrupt_id == interrupt_id,
                ApprovalRequest.status == "pending",
            )
            .values(status="claimed", claimed_at=now, decided_by=actor)
            .execution_options(synchronize_session=False)
        ),
    )
    claimed = None
    if result.rowcount == 1:
        claimed = await first_row(
            session,
            select(ApprovalRequest).where(
                ApprovalRequest.thread_id == thread_id, ApprovalRequest.interrupt_id == interrupt_id
            ),
        )
    await session.commit()
    return claimed


async def finish_approval(
    *, session: AsyncSession, approval_id: str, decision: dict[str, Any], actor: str
) -> ApprovalRequest | None:
    """claimed -> decided with the decision; None if it was not claimed."""
    result = cast(
        CursorResult[Any],
        await session.execute(
            update(ApprovalRequest)
            .where(ApprovalRequest.id == approval_id, ApprovalRequest.status == "claimed")
            .values(status="decided", decision=decision, decided_by=actor, decided_at=utcnow())
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        return None
    return await first_row(session, select(ApprovalRequest).where(ApprovalRequest.id == approval_id))


async def release_claim(*, session: AsyncSession, approval_id: str) -> bool:
    """claimed -> pending after a failed resume, so the prompt can be answered again. Commits."""
    result = cast(
        CursorResult[Any],
        await session.execute(
            update(ApprovalRequest)
            .where(ApprovalRequest.id == approval_id, ApprovalRequest.status == "claimed")
            .values(status="pending", claimed_at=None, decided_by=None)
            .execution_options(synchronize_session=False)
        ),
    )
    await session.commit()
    return result.rowcount == 1


async def get_pending_approval(*, session: AsyncSession, thread_id: str) -> ApprovalRequest | None:
    return await first_row(
        session,
        select(ApprovalRequest)
        .where(ApprovalRequest.thread_id == thread_id, ApprovalRequest.status == "pending")
        .order_by(ApprovalRequest.created_at.desc())
        .limit(1),
    )


async def get_approval(*, session: AsyncSession, approval_id: str) -> ApprovalRequest | None:
    return await first_row(session, select(ApprovalRequest).where(ApprovalRequest.id == approval_id))


async def set_approval_status(*, session: AsyncSession, approval_id: str, status: str) -> ApprovalRequest:
    """For expiring or superseding a request by hand; claims go through claim_approval."""
    check_choice(status, APPROVAL_STATUSES, "approval status")
    approval = await require_row(session, ApprovalRequest, approval_id)
    approval.status = status
    await session.flush()
    return approval


async def set_approval_message(
    *, session: AsyncSession, approval_id: str, channel: str, message_ts: str
) -> ApprovalRequest:
    approval = await require_row(session, ApprovalRequest, approval_id)
    approval.channel = channel
    approval.message_ts = message_ts
    await session.flush()
    return approval
