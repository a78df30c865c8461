"""Resume the publishes a stopped process left half-done (at `adly serve` startup, then from the scheduler), and
tell their threads."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from agent.leases import lease_released
from agent.recovery import STALE_AFTER, interrupted_publishes, resume_publish
from agent.texts import t
from agent.turns import Refusal
from bot.services import Services
from store import repositories as repo

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor

log = logging.getLogger(__name__)


async def resume_interrupted_publishes(services: Services, slack: SlackFrontDoor | None, *,
                                      idle_for: timedelta | None = None) -> int:
    """Each campaign left "publishing" (with `idle_for`: untouched that long and leased by no process): its thread is
    told, the publish resumes, the outcome is shown there."""
    conversations = await interrupted_publishes(services.ctx, idle_for=idle_for)
    for conversation_id in conversations:
        async with services.ctx.reads()() as session:
            conversation = await repo.get_conversation(session=session, conversation_id=conversation_id)
        language = conversation.language if conversation is not None else "en"
        # A publish whose process died still has that process's lease for up to one TTL; a lease that keeps being
        # renewed belongs to a live process that is publishing it now: not interrupted, nothing to say.
        if conversation is not None and not await lease_released(
                services.ctx, conversation.thread_id, within_s=services.ctx.lease_ttl_s * 1.5):
            continue
        if conversation is not None and conversation.campaign_id:
            async with services.ctx.reads()() as session:
                campaign = await repo.get_campaign(session=session, campaign_id=conversation.campaign_id)
            if campaign is None or campaign.status != "publishing":
                continue  # its process finished it while we waited for the lease
        log.warning("resuming the publish of conversation %s, interrupted by a stop", conversation_id)
        if slack is not None:
            await slack.renderer.deliver_notice(conversation_id, t("publish_resuming", language))
        try:
            turn = await resume_publish(services.driver, conversation_id)
        except Exception:
            log.exception("resuming the publish of conversation %s failed", conversation_id)
            continue
        if isinstance(turn, Refusal):
            continue  # finished meanwhile (by a person's retry): nothing left to resume
        if slack is not None:
            await slack.renderer.deliver(conversation_id, turn)
    return len(conversations)


def recovery_job(services: Services, slack: SlackFrontDoor | None) -> tuple[Callable[[], Awaitable[Any]], dict[str, Any]]:
    """The scheduler's recovery job: publishes idle longer than the saga ever waits are resumed (a process died)."""

    async def run() -> int:
        return await resume_interrupted_publishes(services, slack, idle_for=STALE_AFTER)

    return run, {"trigger": "interval", "minutes": 5}
