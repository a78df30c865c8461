"""Publishes a stopped process left half-done: found by their campaign's status and resumed from the ledger.

A process killed while publishing leaves the campaign "publishing", its thread's last checkpoint at the publish
node and ledger rows "sending". Running the thread again restarts the publish node; the saga looks up every
"sending" or "unknown" step by its idempotency key before sending anything, so nothing is created twice.
Only one process may do this at a time (the scheduler's leader, see bot/recovery.py).
"""

from __future__ import annotations

from agent.context import AgentContext, ProgressSink
from agent.conversations import ConversationDriver, Turn
from store import repositories as repo


async def interrupted_publishes(ctx: AgentContext) -> list[str]:
    """Conversation ids of campaigns left "publishing" (no process of ours is publishing them: call at startup)."""
    async with ctx.reads()() as session:
        campaigns = await repo.campaigns_in_status(session=session, statuses=["publishing"])
    return [c.conversation_id for c in campaigns if c.conversation_id]


async def resume_publish(driver: ConversationDriver, conversation_id: str, *, actor: str = "adly:recovery",
                         progress: ProgressSink | None = None) -> Turn:
    """Run the thread again from its last checkpoint (the publish node restarts; the ledger dedupes)."""
    async with driver.ctx.sessions() as session, session.begin():
        conversation = await repo.get_conversation(session=session, conversation_id=conversation_id)
        if conversation is not None:
            await repo.audit(session=session, workspace_id=conversation.workspace_id, actor=actor,
                             action="publish.resumed", subject_type="conversation", subject_id=conversation_id,
                             details={})
    return await driver.retry(conversation_id, progress)
