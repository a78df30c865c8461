"""Listeners that start and continue conversations: @mentions, DMs, thread replies and `/adly`."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from agent.conversations import started_thread_id
from agent.parsing.text import input_language
from agent.performance.questions import is_performance_question, report_query
from bot.slack import blocks as b
from bot.slack.reports import answer_question, report_command
from bot.slack.texts import st
from bot.work.queue import JobRun
from store import repositories as repo

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor

_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^>|]+)(?:\|([^>]*))?>")
# Message subtypes that are a person writing; edits, joins, bot posts and the like are not instructions.
_PERSON_SUBTYPES = {None, "file_share", "thread_broadcast"}


def clean_text(text: str) -> str:
    """What the person wrote, as the parser should see it: no bot mention, Slack's escaping undone."""
    text = _MENTION.sub(" ", text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return " ".join(html.unescape(text).split())


def register(app: AsyncApp, door: SlackFrontDoor) -> None:
    @app.event("app_mention")
    async def on_mention(body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext,
                         client: AsyncWebClient) -> None:
        await _defer_message(door, context, body, event, may_start=True)

    @app.event("message")
    async def on_message(body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext,
                         client: AsyncWebClient) -> None:
        if event.get("subtype") not in _PERSON_SUBTYPES or event.get("bot_id") or not event.get("user"):
            return
        is_dm = event.get("channel_type") == "im"
        bot_user = context.bot_user_id
        if not is_dm and bot_user and f"<@{bot_user}" in (event.get("text") or ""):
            return  # the app_mention event for the same message handles it
        if not is_dm and not event.get("thread_ts"):
            return  # channel chatter outside our threads is none of our business
        await _defer_message(door, context, body, event, may_start=is_dm)

    @app.command("/adly")
    async def on_command(ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext,
                         client: AsyncWebClient) -> None:
        text = (body.get("text") or "").strip()
        language = input_language(text) if text else "en"
        if not text or text.lower() in ("help", "?"):
            await ack(text=st("help", language), response_type="ephemeral")
            return
        await ack()
        user, channel = body["user_id"], body["channel_id"]
        # `report [campaign]`, or a question about a campaign ("how is my Ramadan campaign doing?"): a report, not
        # a new campaign. A bare topic ("results") stays an instruction here: only a question proper is taken.
        query = report_query(text)
        if query is None and is_performance_question(text, topics=False):
            query = text
        if query is not None:
            door.spawn(report_command(door, client, context.team_id, channel, user, query, language), client=client,
                       channel=channel, user=user, language=language, name="slack-report")
            return
        if text.lower() == "settings":
            from bot.slack.home import open_settings

            door.spawn(open_settings(door, client, context.team_id, user, body["trigger_id"]), client=client,
                       channel=channel, user=user, name="slack-settings")
            return
        await door.defer("slack.command", {"text": text, "trigger_id": body.get("trigger_id")},
                         team_id=context.team_id, channel=channel, user=user, language=language)

    queue = door.services.queue
    queue.register("slack.message", lambda payload, run: _message_job(door, payload, run),
                   on_error=door.report_job_failure)
    queue.register("slack.command", lambda payload, run: _command_job(door, payload, run),
                   on_error=door.report_job_failure)


async def _defer_message(door: SlackFrontDoor, context: AsyncBoltContext, body: dict[str, Any],
                         event: dict[str, Any], *, may_start: bool) -> None:
    text = clean_text(event.get("text") or "")
    channel = event.get("channel")
    thread_root = event.get("thread_ts") or event.get("ts")
    # One thread's messages run in order, one at a time, wherever the workers are.
    await door.defer("slack.message", {"event_id": body.get("event_id"), "event": event, "text": text,
                                       "may_start": may_start},
                     team_id=context.team_id, channel=channel, user=event.get("user"), thread_ts=thread_root,
                     language=input_language(text) if text else "en", lock=f"slack:{channel}:{thread_root}")


async def _message_job(door: SlackFrontDoor, payload: dict[str, Any], run: JobRun) -> None:
    client = await door.job_client(payload)
    event, team_id = payload["event"], payload["where"]["team_id"]
    event_id = payload.get("event_id")
    if run.attempt:
        # Its first run (on a worker that died) marked the event seen and may have started the conversation.
        workspace_id = await door.workspace_id(team_id, client)
        async with door.reads() as session:
            conversation = await repo.find_conversation(
                session=session, channel_kind="slack", channel_id=event["channel"],
                thread_ts=event.get("thread_ts") or event["ts"])
        if conversation is not None and conversation.workspace_id == workspace_id:
            await door.resume_after_dead_worker(client, conversation)
            return
        event_id = None
    await _on_message(door, client, team_id, event_id, event, payload["text"], may_start=payload["may_start"])


async def _command_job(door: SlackFrontDoor, payload: dict[str, Any], run: JobRun) -> None:
    where = payload["where"]
    client = await door.job_client(payload)
    # The command's trigger keys the conversation it starts (one per invocation): a run again after its worker
    # died continues that conversation rather than copying the request into the channel a second time.
    start_key = f"slack-command:{payload['trigger_id']}" if payload.get("trigger_id") else None
    if run.attempt and start_key is not None:
        workspace_id = await door.workspace_id(where["team_id"], client)
        async with door.reads() as session:
            conversation = await repo.get_conversation_by_thread(
                session=session, thread_id=started_thread_id(workspace_id, start_key))
        if conversation is not None:
            await door.resume_after_dead_worker(client, conversation)
            return
    await _start_from_command(door, client, where["team_id"], where["channel"], where["user"], payload["text"],
                              where["language"], start_key)


async def _on_message(door: SlackFrontDoor, client: AsyncWebClient, team_id: str | None, event_id: str | None,
                      event: dict[str, Any], text: str, *, may_start: bool) -> None:
    if not await door.first_delivery(event_id):
        return
    workspace_id = await door.workspace_id(team_id, client)
    channel, user = event["channel"], event["user"]
    thread_ts = event.get("thread_ts")
    if thread_ts:
        async with door.reads() as session:
            conversation = await repo.find_conversation(session=session, channel_kind="slack", channel_id=channel,
                                                        thread_ts=thread_ts)
        if conversation is not None:
            if conversation.workspace_id == workspace_id and text:
                # A published campaign's thread: "how is it doing?" is answered with its report, before the driver.
                if not await answer_question(door, client, conversation, text):
                    await door.reply(client, conversation, user, text)
            return
    if not may_start:
        return
    if not text:
        await door.renderer.ephemeral(client, channel, user, st("help", "en"), thread_ts)
        return
    await door.start(client, workspace_id, channel, thread_ts or event["ts"], user, text)


async def _start_from_command(door: SlackFrontDoor, client: AsyncWebClient, team_id: str | None, channel: str,
                              user: str, text: str, language: str, start_key: str | None = None) -> None:
    """`/adly <instruction>`: the request itself becomes the thread's first message, then the flow starts."""
    refusal = door.refusal_of(text)
    if refusal is not None:  # refused before the request is copied into the channel
        await door.renderer.ephemeral(client, channel, user, refusal)
        return
    workspace_id = await door.workspace_id(team_id, client)
    name = await door.renderer.user_name(client, user)
    try:
        root = await door.renderer.post(client, channel, None, b.request_root(name, text, language))
    except SlackApiError as exc:
        if exc.response.get("error") in ("not_in_channel", "channel_not_found"):
            await door.renderer.ephemeral(client, channel, user, st("not_in_channel", language))
            return
        raise
    await door.start(client, workspace_id, channel, root, user, text, start_key)
