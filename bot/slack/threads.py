"""Where a campaign is talked about: the Slack client and conversation of its thread, for posts made later."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_sdk.web.async_client import AsyncWebClient

from store import repositories as repo

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor


async def conversation_thread(
    door: SlackFrontDoor, workspace_id: str, conversation_id: str | None
) -> tuple[AsyncWebClient, Any] | str:
    """(client, conversation) of a conversation's Slack thread, or why there is none to post in.

    The reasons read as the end of a sentence ("... was not posted: <reason>") in the callers' warnings.
    """
    conversation = None
    if conversation_id:
        async with door.reads() as session:
            conversation = await repo.get_conversation(session=session, conversation_id=conversation_id)
    if conversation is None or conversation.channel_kind != "slack" or not conversation.channel_id:
        return "its conversation is not in Slack"
    client = await door.client_for_workspace(workspace_id)
    if client is None:
        return f"no Slack token for workspace {workspace_id}"
    return client, conversation
