"""One resume per interrupt across processes: the same click delivered to two processes at once moves the flow
once, and publishes once."""

from __future__ import annotations

import asyncio
import os
import uuid
from typing import Any

from sqlalchemy import func, select

from agent.turns import Turn, Where
from bot.console import connect_in_sandbox
from bot.services import Services, open_services
from bot.settings import Settings
from store.models import ApprovalRequest, AuditEvent, ConversationLease, PublishStep

USER = "console:you"
TEXT = "Create Instagram campaign for Ramadan sale with 3000 SAR budget targeting women 25-40 in Riyadh, images only"
TRIALS = int(os.environ.get("ADLY_DOUBLE_CLICK_TRIALS", "20"))


def _answer(turn: Turn) -> dict[str, Any]:
    assert turn.prompt is not None
    payload = turn.prompt.payload
    return {k: v for k, v in {"action": "approve", "content_hash": payload.get("content_hash"),
                              "plan_hash": payload.get("plan_hash")}.items() if v is not None}


async def _both_click(first: Services, second: Services, turn: Turn) -> list[Turn]:
    assert turn.prompt is not None
    return list(await asyncio.gather(*(
        services.driver.decide(conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id,
                               decision=_answer(turn), actor=USER)
        for services in (first, second))))


async def _count(services: Services, stmt: Any) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(stmt) or 0)


async def test_a_double_click_on_two_processes_moves_the_flow_once(pg_settings: Settings) -> None:
    async with open_services(pg_settings) as first, open_services(pg_settings) as second:
        for services in (first, second):
            services.ctx.publish_backoff_s = 0.01
        workspace = await first.local_workspace(USER)
        for _ in range(TRIALS):
            turn = await first.driver.start(workspace_id=workspace.id, user=USER, text=TEXT,
                                            where=Where("console", "t", uuid.uuid4().hex))
            while turn.prompt is not None and turn.prompt.kind == "connect":
                turn = await connect_in_sandbox(first, turn, USER, lambda _: None)
            assert turn.prompt is not None and turn.prompt.kind == "review", turn.prompt

            # Approve, clicked twice, each click landing on another process.
            outcomes = await _both_click(first, second, turn)
            assert sorted(t.status for t in outcomes) == ["refused", "waiting"], outcomes
            preview = next(t for t in outcomes if t.status == "waiting")
            assert preview.prompt is not None and preview.prompt.kind == "preview"

            # Publish, clicked twice the same way: one publish, live; the other click changes nothing.
            outcomes = await _both_click(first, second, preview)
            assert sorted(t.status for t in outcomes) == ["live", "refused"], [(t.status, t.notice) for t in outcomes]

            conversation = turn.conversation_id
            for kind in ("review", "preview"):
                answered = await _count(first, select(func.count()).select_from(AuditEvent).where(
                    AuditEvent.subject_id == conversation, AuditEvent.action == f"prompt.{kind}.answered"))
                decided = await _count(first, select(func.count()).select_from(ApprovalRequest).where(
                    ApprovalRequest.conversation_id == conversation, ApprovalRequest.kind == kind,
                    ApprovalRequest.status == "decided"))
                assert (answered, decided) == (1, 1), kind
        # Every external write of every trial was made once: one ledger row per key, all created.
        steps = await _count(first, select(func.count()).select_from(PublishStep))
        created = await _count(first, select(func.count()).select_from(PublishStep).where(
            PublishStep.state.in_(["created"])))
        assert steps == created, (steps, created)


async def test_fifty_conversations_at_once_on_two_processes_finish_without_deadlock(pg_settings: Settings) -> None:
    async with open_services(pg_settings) as first, open_services(pg_settings) as second:
        workspace = await first.local_workspace(USER)

        async def one(n: int) -> Turn:
            services = (first, second)[n % 2]
            turn = await services.driver.start(workspace_id=workspace.id, user=USER, text=TEXT,
                                               where=Where("console", "t", uuid.uuid4().hex))
            # Each conversation is then answered on the other process.
            other = (second, first)[n % 2]
            return await other.driver.current(turn.conversation_id)

        turns = await asyncio.wait_for(asyncio.gather(*(one(n) for n in range(50))), timeout=300)
        assert len({t.conversation_id for t in turns}) == 50
        assert all(t.prompt is not None and t.prompt.kind in ("connect", "review") for t in turns), \
            {t.prompt.kind if t.prompt else t.status for t in turns}
        async with first.sessions() as session:
            leases = int(await session.scalar(select(func.count()).select_from(ConversationLease).where(
                ConversationLease.expires_at > first.ctx.clock())) or 0)
        assert leases == 0  # every lease was handed back
