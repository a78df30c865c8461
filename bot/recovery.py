"""At `adly serve` startup: resume the publishes a stopped process left half-done, and tell their threads."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from agent.recovery import interrupted_publishes, resume_publish
from agent.texts import t
from bot.services import Services
from store import repositories as repo

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor

log = logging.getLogger(__name__)


async def resume_interrupted_publishes(services: Services, slack: SlackFrontDoor | None) -> int:
    """Each campaign left "publishing": its thread is told, the publish resumes, the outcome is shown there."""
    conversations = await interrupted_publishes(services.ctx)
    for conversation_id in conversations:
        async with services.ctx.reads()() as session:
            conversation = await repo.get_conversation(session=session, conversation_id=conversation_id)
        language = conversation.language if conversation is not None else "en"
        log.warning("resuming the publish of conversation %s, interrupted by a stop", conversation_id)
        if slack is not None:
            await slack.renderer.deliver_notice(conversation_id, t("publish_resuming", language))
        try:
            turn = await resume_publish(services.driver, conversation_id)
        except Exception:
            log.exception("resuming the publish of conversation %s failed", conversation_id)
            continue
        if slack is not None:
            await slack.renderer.deliver(conversation_id, turn)
    return len(conversations)
