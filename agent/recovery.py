"""Publishes a stopped process left half-done: found by their campaign's status and resumed from the ledger.

A process killed while publishing leaves the campaign "publishing", its thread's last checkpoint at the publish
node and ledger rows "sending". Running the thread again restarts the publish node; the saga looks up every
"sending" or "unknown" step by its idempotency key before sending anything, so nothing is created twice.
Only one process may do this at a time (the scheduler's leader, see bot/recovery.py). At startup every
"publishing" campaign is resumed; later (the scheduler) only those idle longer than any wait the saga itself
takes (a parked account waits up to MAX_PARK_S), and never one this process is running.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from agent.context import AgentContext, ProgressSink
from agent.conversations import ConversationDriver
from agent.leases import lease_released
from agent.turns import Refusal, Turn
from store import repositories as repo
from store.models import Campaign, Conversation, PublishStep

# Longer than the saga's longest silence (MAX_PARK_S, 600 s, plus a call's own timeouts).
STALE_AFTER = timedelta(minutes=15)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def interrupted_publishes(ctx: AgentContext, *, idle_for: timedelta | None = None) -> list[str]:
    """Conversation ids of campaigns left "publishing". With `idle_for`: only those whose campaign and ledger
    have not changed for that long and that no process (this one included) holds the lease of
    (agent/leases.py). Without it (at startup), every one: resuming waits for a dead holder's lease to lapse."""
    async with ctx.reads()() as session:
        campaigns = await repo.campaigns_in_status(session=session, statuses=["publishing"])
        if idle_for is None:
            return [c.conversation_id for c in campaigns if c.conversation_id]
        cutoff = ctx.clock() - idle_for
        rows = (await session.execute(
            select(Campaign.id, Campaign.conversation_id, Campaign.updated_at, Conversation.thread_id,
                   func.max(PublishStep.updated_at))
            .join(Conversation, Conversation.id == Campaign.conversation_id)
            .outerjoin(PublishStep, PublishStep.campaign_id == Campaign.id)
            .where(Campaign.id.in_([c.id for c in campaigns]))
            .group_by(Campaign.id, Campaign.conversation_id, Campaign.updated_at, Conversation.thread_id)
        )).all()
        stale = []
        for _, conversation_id, updated, thread_id, last_step in rows:
            last = max(_aware(updated), _aware(last_step)) if last_step is not None else _aware(updated)
            if not conversation_id or last >= cutoff:
                continue
            # A live lease means a process is still on it (a publish parked on a rate limit writes no ledger
            # rows for minutes, but renews its lease): not abandoned.
            if await repo.live_lease(session=session, thread_id=thread_id, now=ctx.clock()) is None:
                stale.append(conversation_id)
    return stale


async def resume_publish(driver: ConversationDriver, conversation_id: str, *, actor: str | None = None,
                         progress: ProgressSink | None = None) -> Turn | Refusal:
    """Run the thread again from its last checkpoint (the publish node restarts; the ledger dedupes): for `actor`
    when a person asks (their right to is checked), else on ADLY's own account."""
    if actor is None:
        return await driver.recover(conversation_id, progress)
    return await driver.resume(conversation_id, actor, progress)


async def continue_after_dead_worker(driver: ConversationDriver, conversation_id: str, *,
                                     progress: ProgressSink | None = None) -> Turn | None:
    """A job run again because the worker running it died: once that worker's lease has lapsed, what it left
    half-done continues from the checkpoint (the ledger keeps every platform write once). None when nothing was
    half-done (it finished, or never began): the job then runs as if new."""
    ctx = driver.ctx
    async with ctx.reads()() as session:
        conversation = await repo.get_conversation(session=session, conversation_id=conversation_id)
    if conversation is None:
        return None
    await lease_released(ctx, conversation.thread_id, within_s=ctx.lease_ttl_s * 1.5)
    outcome = await driver.recover(conversation_id, progress)
    return None if isinstance(outcome, Refusal) else outcome
