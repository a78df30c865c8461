"""Turns into a Slack thread: the status line, one card per prompt (updated in place), media, the final report."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from agent.localize import slot_label
from agent.reports import campaign_summary
from agent.texts import t
from agent.turns import Prompt, Turn
from bot.services import Services
from bot.slack import blocks as b
from bot.slack.texts import st
from store import repositories as repo

log = logging.getLogger(__name__)

ClientFor = Callable[[str], Awaitable[AsyncWebClient | None]]
UPLOADED_KINDS = ("image", "video")


def post_options() -> dict[str, Any]:
    # Every message: nothing unfurls, whatever a user or a model wrote.
    return {"unfurl_links": False, "unfurl_media": False}


class StatusLine:
    """One message in the thread that shows what the flow is doing now, updated in place.

    Progress can arrive faster than Slack takes updates (chat.update is tier 3), so messages coalesce:
    while one update is in flight, only the newest text waits for the next.
    """

    def __init__(self, renderer: SlackRenderer, client: AsyncWebClient, conversation_id: str, channel: str,
                 thread_ts: str) -> None:
        self.renderer = renderer
        self.client = client
        self.conversation_id = conversation_id
        self.channel = channel
        self.thread_ts = thread_ts
        self.ts: str | None = None
        self.latest: str | None = None
        self.shown: str | None = None
        self._flusher: asyncio.Task[Any] | None = None

    async def __call__(self, message: str) -> None:
        self.latest = message
        if self._flusher is None or self._flusher.done():
            self._flusher = self.renderer.services.background.spawn(self._flush(), name="slack-status")

    async def _flush(self) -> None:
        while self.latest is not None and self.latest != self.shown:
            text = self.latest
            message = b.status_message(text)
            if self.ts is None:
                self.ts = await self.renderer.post(self.client, self.channel, self.thread_ts, message)
            else:
                await self.renderer.update(self.client, self.channel, self.ts, message)
            self.shown = text

    async def settle(self) -> None:
        """Wait for the last update, then mark the line done (the work it described has finished)."""
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)
        if self.ts is not None and self.shown is not None:
            await self.renderer.update(self.client, self.channel, self.ts, b.status_message(self.shown, done=True))


class SlackRenderer:
    """Renders the driver's Turns into the conversation's thread; the only code that posts flow messages."""

    def __init__(self, services: Services, client_for: ClientFor) -> None:
        self.services = services
        self.client_for = client_for
        self._names: dict[str, str] = {}

    # ------------------------------------------------------------------------------------------ primitives

    async def post(self, client: AsyncWebClient, channel: str, thread_ts: str | None, message: b.Message) -> str:
        response = await client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=message.text,
                                                 blocks=message.blocks, **post_options())
        return str(response["ts"])

    async def update(self, client: AsyncWebClient, channel: str, ts: str, message: b.Message) -> None:
        await client.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.blocks)

    async def ephemeral(self, client: AsyncWebClient, channel: str, user: str, text: str,
                        thread_ts: str | None = None) -> None:
        message = b.notice_message(text)
        try:
            await client.chat_postEphemeral(channel=channel, user=user, text=message.text, blocks=message.blocks,
                                            thread_ts=thread_ts)
        except SlackApiError as exc:
            log.warning("ephemeral to %s failed: %s", user, exc.response.get("error"))

    async def user_name(self, client: AsyncWebClient, user_id: str) -> str:
        """A display name for cards (plain text: showing who approved must not ping them)."""
        if user_id in self._names:
            return self._names[user_id]
        name = user_id
        try:
            info = await client.users_info(user=user_id)
            profile = (info.get("user") or {}).get("profile") or {}
            name = profile.get("display_name") or profile.get("real_name") or (info.get("user") or {}).get(
                "name") or user_id
        except SlackApiError:
            pass
        self._names[user_id] = str(name)
        return str(name)

    def status_line(self, client: AsyncWebClient, conversation: Any) -> StatusLine:
        return StatusLine(self, client, conversation.id, conversation.channel_id, conversation.thread_ts)

    # ------------------------------------------------------------------------------------------ turns

    async def show(self, client: AsyncWebClient, conversation: Any, turn: Turn, *, before: Prompt | None = None,
                   resolution: str | None = None) -> None:
        """Render `turn` after `before` (the prompt just answered, if any) was answered as `resolution` says."""
        channel, thread_ts, language = conversation.channel_id, conversation.thread_ts, turn.language
        previous = await self._card_of(before) if before is not None else None
        prompt = turn.prompt
        if prompt is not None and before is not None and prompt.kind == before.kind == "connect" and previous:
            # One connect card for the whole connecting step: it updates as accounts get connected.
            await self._place_card(client, conversation, prompt, at=previous)
            return
        if before is not None and previous is not None:
            resolved = resolution or (st("resolved_connected", language) if before.kind == "connect" else None)
            if resolved is not None:
                card = b.prompt_card(before.kind, before.payload,
                                     b.Ref(conversation.id, before.interrupt_id), resolved=resolved)
                await self.update(client, previous[0], previous[1], card)
        if turn.status == "error":
            notice = turn.notice or t("internal_error", language, ref="-")
            await self.post(client, channel, thread_ts, b.error_notice(notice, b.Ref(conversation.id, ""), language))
            return
        if prompt is not None:
            existing = await self._card_of(prompt)
            if existing is not None:
                await self._place_card(client, conversation, prompt, at=existing)
                return
            media = False
            if prompt.kind == "review":
                media = await self._upload_media(client, channel, thread_ts, prompt, before)
            await self._place_card(client, conversation, prompt, media_in_thread=media)
            return
        await self._post_outcome(client, conversation, turn)

    async def _card_of(self, prompt: Prompt) -> tuple[str, str] | None:
        async with self.services.sessions() as session:
            row = await repo.get_approval(session=session, approval_id=prompt.approval_id)
            if row is None or not row.channel or not row.message_ts:
                return None
            return row.channel, row.message_ts

    async def _place_card(self, client: AsyncWebClient, conversation: Any, prompt: Prompt, *,
                          at: tuple[str, str] | None = None, media_in_thread: bool = False) -> None:
        card = b.prompt_card(prompt.kind, prompt.payload, b.Ref(conversation.id, prompt.interrupt_id),
                             media_in_thread=media_in_thread)
        if prompt.kind in ("review", "preview"):
            async with self.services.ctx.reads()() as session:
                workspace = await repo.get_workspace(session=session, workspace_id=conversation.workspace_id)
            if workspace is not None and not workspace.approvers:
                # Said on the card itself: an Approve button nobody may press would be a trap.
                card = b.Message(text=card.text, blocks=[*card.blocks, b.context(t("no_approvers", prompt.payload.get(
                    "language", "en")))])
        if at is not None:
            await self.update(client, at[0], at[1], card)
            where = at
        else:
            channel = conversation.channel_id
            where = (channel, await self.post(client, channel, conversation.thread_ts, card))
        async with self.services.sessions() as session, session.begin():
            await repo.set_approval_message(session=session, approval_id=prompt.approval_id, channel=where[0],
                                            message_ts=where[1])

    async def _upload_media(self, client: AsyncWebClient, channel: str, thread_ts: str, prompt: Prompt,
                            before: Prompt | None) -> bool:
        """Images and video into the thread with files_upload_v2; a new round uploads only what changed."""
        shown = {a.get("asset_id") for a in (before.payload.get("assets") or [])} if (
            before is not None and before.kind == "review") else set()
        uploads = []
        for asset in prompt.payload.get("assets") or []:
            path = asset.get("path")
            if asset.get("kind") not in UPLOADED_KINDS or not path or asset.get("asset_id") in shown:
                continue
            if not os.path.isfile(path):  # noqa: ASYNC240 - one stat of a local file
                continue
            # The file name stays the slot (a file system name); what people read is the slot's label.
            label = slot_label(str(asset["slot"]), prompt.payload.get("language"))
            uploads.append({"file": path, "filename": f"{asset['slot'].replace(':', '-')}{Path(path).suffix}",
                            "title": label, "alt_txt": label})
        if not uploads:
            return bool(shown)
        await client.files_upload_v2(channel=channel, thread_ts=thread_ts, file_uploads=uploads)
        return True

    async def _post_outcome(self, client: AsyncWebClient, conversation: Any, turn: Turn) -> None:
        summary = await campaign_summary(self.services.ctx, conversation.id)
        result = turn.result or {}
        notice = turn.notice
        if turn.status == "cancelled":
            notice = notice or t("cancelled", turn.language)
        message = b.report_message(turn.status, summary, result.get("publish"), turn.language, notice)
        await self.post(client, conversation.channel_id, conversation.thread_ts, message)

    # ------------------------------------------------------------------------------------------ outside requests

    async def _thread(self, conversation_id: str) -> tuple[Any, AsyncWebClient] | None:
        """The Slack conversation and a client for its workspace; None when it does not live in Slack."""
        async with self.services.sessions() as session:
            conversation = await repo.get_conversation(session=session, conversation_id=conversation_id)
        if conversation is None or conversation.channel_kind != "slack" or not conversation.channel_id:
            return None
        client = await self.client_for(conversation.workspace_id)
        if client is None:
            log.warning("no Slack token for workspace %s; nothing shown", conversation.workspace_id)
            return None
        return conversation, client

    async def deliver(self, conversation_id: str, turn: Turn | None, *, before: Prompt | None = None,
                      resolution: str | None = None) -> None:
        """For work that did not start in Slack (an OAuth callback): render into the conversation's thread."""
        thread = await self._thread(conversation_id) if turn is not None else None
        if thread is not None and turn is not None:
            await self.show(thread[1], thread[0], turn, before=before, resolution=resolution)

    async def deliver_notice(self, conversation_id: str, text: str) -> None:
        """A notice into the conversation's thread (a consent declined on the platform's page)."""
        thread = await self._thread(conversation_id)
        if thread is not None:
            conversation, client = thread
            await self.post(client, conversation.channel_id, conversation.thread_ts, b.notice_message(text))

    async def progress_for(self, conversation_id: str) -> StatusLine | None:
        thread = await self._thread(conversation_id)
        return self.status_line(thread[1], thread[0]) if thread is not None else None


def now_label(language: str | None = None) -> str:
    """14:05 UTC / 14:05 بتوقيت غرينتش: when a card was answered."""
    return datetime.now(UTC).strftime("%H:%M") + (" بتوقيت غرينتش" if language == "ar" else " UTC")
