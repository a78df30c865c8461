"""The Slack front door: a Bolt AsyncApp over the conversation driver, its listeners, and how work follows the ack."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.state_store import FileOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from agent.answers import instruction_help
from agent.instructions import InstructionRefused, check_instruction
from agent.localize import slot_label
from agent.parsing.text import input_language
from agent.recovery import continue_after_dead_worker
from agent.texts import t
from agent.turns import Prompt, Refusal, Turn, Where
from bot.services import Services
from bot.slack import blocks as b
from bot.slack.approvers import ApproverDirectory
from bot.slack.installation import EncryptedInstallationStore, WorkspaceAuthorize, make_client
from bot.slack.renderer import SlackRenderer, StatusLine, now_label
from bot.slack.texts import st
from store import repositories as repo
from store.db import create_session_factory

log = logging.getLogger(__name__)

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.json"
# Used when the manifest is not beside the package (an installed wheel); keep in step with manifest.json.
DEFAULT_SCOPES = ["app_mentions:read", "channels:history", "chat:write", "commands", "files:write",
                  "groups:history", "im:history", "im:write", "users:read", "usergroups:read"]


FLOW_CONCURRENCY = 8


def manifest_scopes() -> list[str]:
    """The bot scopes the install flow asks for: manifest.json is the single source of truth."""
    try:
        return list(json.loads(MANIFEST.read_text())["oauth_config"]["scopes"]["bot"])
    except (OSError, ValueError, KeyError):
        return DEFAULT_SCOPES


def slack_configured(services: Services) -> bool:
    s = services.settings
    return bool(s.slack_bot_token or s.slack_app_token or (s.slack_client_id and s.slack_client_secret)
                or s.slack_signing_secret)


class SlackFrontDoor:
    """Everything Slack-facing, built once per process from the shared Services."""

    def __init__(self, services: Services, *, port: int | None = None) -> None:
        self.services = services
        self.settings = settings = services.settings
        # Lookups on the ack path and in App Home read without taking SQLite's write lock.
        self.reads = create_session_factory(services.engine, read_only=True)
        self.store = EncryptedInstallationStore(services.sessions, services.cipher, settings.slack_client_id,
                                                settings.adly_default_currency, settings.approver_ids(),
                                                reads=self.reads)
        self.authorize = WorkspaceAuthorize(settings, self.store)
        self.renderer = SlackRenderer(services, self.client_for_workspace)
        # Approvers may be a user group: its members are looked up at click time (cached briefly), so the
        # driver's approval checks follow the group as it changes.
        self.approvers = ApproverDirectory(self.client_for_workspace)
        services.driver.approver_check = self.approvers.check
        self._workspaces: dict[str, str] = {}
        # Flow runs share the event loop with the acks: bounding how many run at once keeps the ack path's
        # queue short under bursts (waiting runs cost nothing; Slack's 3 s applies to the ack, not to them).
        self._flows = asyncio.Semaphore(FLOW_CONCURRENCY)
        self._clients: dict[str, AsyncWebClient] = {}
        oauth_settings = None
        if settings.slack_client_id and settings.slack_client_secret:
            oauth_settings = AsyncOAuthSettings(
                client_id=settings.slack_client_id, client_secret=settings.slack_client_secret.get_secret_value(),
                scopes=manifest_scopes(), redirect_uri=f"{settings.public_url(port)}/slack/oauth_redirect",
                installation_store=self.store,
                state_store=FileOAuthStateStore(expiration_seconds=600,
                                                base_dir=str(settings.data_dir / "slack_oauth_states")),
            )
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
        self.app = AsyncApp(
            client=make_client(settings, None),
            signing_secret=secret or "socket-mode-only",
            # Listeners only ack and hand work to background tasks, so answering after them costs nothing and
            # avoids Bolt's 10 ms ack polling.
            process_before_response=True,
            authorize=self.authorize,  # type: ignore[arg-type]  # an AsyncAuthorize instance is accepted too
            installation_store=self.store if oauth_settings is not None else None,
            oauth_settings=oauth_settings,
            raise_error_for_unhandled_request=False,
        )
        from bot.slack import actions, conversations, home

        conversations.register(self.app, self)
        actions.register(self.app, self)
        home.register(self.app, self)

    # ------------------------------------------------------------------------------------------ plumbing

    def spawn(self, work: Coroutine[Any, Any, Any], *, client: AsyncWebClient | None = None,
              channel: str | None = None, user: str | None = None, thread_ts: str | None = None,
              language: str = "en", name: str = "slack") -> None:
        """Work after the ack. A failure reaches the user as one short sentence with a reference id."""

        async def report(_: BaseException, reference: str) -> None:
            if client is None or channel is None:
                return
            text = t("internal_error", language, ref=reference)
            if thread_ts is not None:
                await self.renderer.post(client, channel, thread_ts, b.notice_message(text))
            elif user is not None:
                await self.renderer.ephemeral(client, channel, user, text)

        self.services.background.spawn(work, name=name, on_error=report)

    async def defer(self, job: str, payload: dict[str, Any], *, team_id: str | None, channel: str | None,
                    user: str | None, thread_ts: str | None = None, language: str = "en",
                    lock: str | None = None) -> None:
        """Flow work after the ack, as a job on the work queue (bot/work/): run here on the embedded default, by
        any worker process at scale. Everything it needs travels in the payload; the client is rebuilt from the
        team's stored token where it runs."""
        where = {"team_id": team_id, "channel": channel, "user": user, "thread_ts": thread_ts, "language": language}
        await self.services.queue.defer(job, {**payload, "where": where}, lock=lock)

    async def job_client(self, payload: dict[str, Any]) -> AsyncWebClient:
        """The Web API client of the team a job came from."""
        team_id = payload["where"]["team_id"]
        token = await self.authorize.token_for(team_id)
        if token is None:
            raise RuntimeError(f"no Slack bot token is stored for team {team_id}: reinstall the app there")
        if token not in self._clients:
            self._clients[token] = make_client(self.settings, token)
        return self._clients[token]

    async def report_job_failure(self, payload: dict[str, Any], _: BaseException, reference: str) -> None:
        """A job that failed: one short sentence with a reference id, in its thread or to the person alone."""
        where = payload.get("where") or {}
        channel, user, thread_ts = where.get("channel"), where.get("user"), where.get("thread_ts")
        if channel is None:
            return
        client = await self.job_client(payload)
        text = t("internal_error", where.get("language") or "en", ref=reference)
        if thread_ts is not None:
            await self.renderer.post(client, channel, thread_ts, b.notice_message(text))
        elif user is not None:
            await self.renderer.ephemeral(client, channel, user, text)

    async def resume_after_dead_worker(self, client: AsyncWebClient, conversation: Any) -> bool:
        """A job run again because the worker running it died: what that worker left half-done continues from the
        conversation's checkpoint (the publish ledger keeps every platform write once). False when it had
        nothing half-done (it finished, or never began), so the job runs as if new."""
        line = self.renderer.status_line(client, conversation)
        outcome = await continue_after_dead_worker(self.services.driver, conversation.id, progress=line)
        await self._remember_status(conversation.id, line)
        if outcome is None:
            return False
        await self.renderer.show(client, conversation, outcome)
        return True

    async def first_delivery(self, event_id: str | None) -> bool:
        """Slack redelivers events (X-Slack-Retry-Num); the event_id makes every delivery after the first a no-op."""
        if not event_id:
            return True
        async with self.services.sessions() as session:
            return await repo.mark_event_processed(session=session, event_id=event_id, source="slack")

    async def workspace_id(self, team_id: str | None, client: AsyncWebClient | None = None) -> str:
        """Our workspace for a Slack team; created on first sight with the default approvers."""
        key = team_id or "-"
        if key in self._workspaces:
            return self._workspaces[key]
        approvers = await self._default_approvers(client)
        async with self.services.sessions() as session, session.begin():
            workspace = await repo.get_or_create_workspace(
                session=session, name=team_id or "slack", slack_team_id=team_id,
                default_currency=self.settings.adly_default_currency, approvers=approvers,
            )
            workspace_id = workspace.id
        self._workspaces[key] = workspace_id
        return workspace_id

    async def _default_approvers(self, client: AsyncWebClient | None) -> list[str]:
        """ADLY_APPROVERS as given: a user group id (S...) stays a group, resolved at click time."""
        return self.settings.approver_ids()

    async def client_for_workspace(self, workspace_id: str) -> AsyncWebClient | None:
        async with self.reads() as session:
            workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
        if workspace is None:
            return None
        token = await self.authorize.token_for(workspace.slack_team_id)
        if token is None:
            return None
        if token not in self._clients:
            self._clients[token] = make_client(self.settings, token)
        return self._clients[token]

    async def conversation_in(self, workspace_id: str, conversation_id: str) -> Any | None:
        """A conversation of this workspace; another workspace's conversation is simply not found."""
        async with self.reads() as session:
            conversation = await repo.get_conversation(session=session, conversation_id=conversation_id)
        if conversation is None or conversation.workspace_id != workspace_id or conversation.channel_kind != "slack":
            return None
        return conversation

    async def _remember_status(self, conversation_id: str, line: StatusLine) -> None:
        await line.settle()
        if line.ts is not None:
            async with self.services.sessions() as session, session.begin():
                await repo.update_conversation(session=session, conversation_id=conversation_id,
                                               status_message_ts=line.ts)

    # ------------------------------------------------------------------------------------------ the flow

    async def start(self, client: AsyncWebClient, workspace_id: str, channel: str, thread_ts: str, user: str,
                    text: str, start_key: str | None = None) -> Turn | None:
        """A new conversation in this thread; None (and a short reply to the user alone) when it is refused."""
        refusal = self.refusal_of(text)
        if refusal is not None:
            await self.renderer.ephemeral(client, channel, user, refusal, thread_ts)
            return None
        async with self._flows:
            return await self._start(client, workspace_id, channel, thread_ts, user, text, start_key)

    def refusal_of(self, text: str) -> str | None:
        """Why an instruction is refused before any work (too long, hidden characters), in its language."""
        try:
            check_instruction(text, self.services.ctx.max_instruction_chars)
        except InstructionRefused as exc:
            return exc.text(input_language(text[:2000]))
        # A question ("what can you do?") or nonsense gets the help text, not a campaign.
        return instruction_help(text, today=self.services.ctx.clock().date())

    async def _start(self, client: AsyncWebClient, workspace_id: str, channel: str, thread_ts: str, user: str,
                     text: str, start_key: str | None = None) -> Turn:
        line = StatusLine(self.renderer, client, "", channel, thread_ts)
        turn = await self.services.driver.start(workspace_id=workspace_id, user=user, text=text,
                                                where=Where("slack", channel, thread_ts), progress=line,
                                                start_key=start_key)
        await self._remember_status(turn.conversation_id, line)
        conversation = await self.conversation_in(workspace_id, turn.conversation_id)
        await self.renderer.show(client, conversation, turn)
        return turn

    async def reply(self, client: AsyncWebClient, conversation: Any, user: str, text: str) -> None:
        async with self._flows:
            await self._reply(client, conversation, user, text)

    async def _reply(self, client: AsyncWebClient, conversation: Any, user: str, text: str) -> None:
        before = await self.services.driver.current(conversation.id)
        if before.prompt is None:
            return
        line = self.renderer.status_line(client, conversation)
        turn = await self.services.driver.reply(conversation_id=conversation.id, text=text, actor=user,
                                                progress=line)
        await self._remember_status(conversation.id, line)
        same = turn.prompt is not None and turn.prompt.interrupt_id == before.prompt.interrupt_id
        if turn.status == "refused" or (turn.notice and same):
            await self.renderer.ephemeral(client, conversation.channel_id, user, turn.notice or "",
                                          conversation.thread_ts)
            return
        name = await self.renderer.user_name(client, user)
        key = "resolved_adjusted" if before.prompt.kind == "preview" else "resolved_answered"
        resolution = st(key, turn.language, user=name, time=now_label(turn.language))
        await self.renderer.show(client, conversation, turn, before=before.prompt, resolution=resolution)

    async def decide(self, client: AsyncWebClient, *, team_id: str | None, user: str, ref: b.Ref,
                     decision: dict[str, Any], resolution_key: str, channel: str | None = None) -> None:
        """One click (or modal submission): the driver decides; a refusal is told only to the one who clicked."""
        async with self._flows:
            await self._decide(client, team_id=team_id, user=user, ref=ref, decision=decision,
                               resolution_key=resolution_key, channel=channel)

    async def _decide(self, client: AsyncWebClient, *, team_id: str | None, user: str, ref: b.Ref,
                      decision: dict[str, Any], resolution_key: str, channel: str | None = None) -> None:
        workspace_id = await self.workspace_id(team_id, client)
        conversation = await self.conversation_in(workspace_id, ref.conversation_id)
        if conversation is None:
            if channel:
                await self.renderer.ephemeral(client, channel, user, st("not_found", "en"))
            return
        before = await self.services.driver.current(conversation.id)
        line = self.renderer.status_line(client, conversation)
        turn = await self.services.driver.decide(conversation_id=conversation.id, interrupt_id=ref.interrupt_id,
                                                 decision=decision, actor=user, progress=line)
        await self._remember_status(conversation.id, line)
        if turn.status == "refused":
            await self.renderer.ephemeral(client, conversation.channel_id, user, turn.notice or "",
                                          conversation.thread_ts)
            return
        answered: Prompt | None = before.prompt if (
            before.prompt is not None and before.prompt.interrupt_id == ref.interrupt_id) else None
        name = await self.renderer.user_name(client, user)
        resolution = st(resolution_key, turn.language, user=name, time=now_label(turn.language),
                        slot=slot_label(str(decision.get("slot") or ""), turn.language))
        await self.renderer.show(client, conversation, turn, before=answered, resolution=resolution)


    async def retry(self, client: AsyncWebClient, *, team_id: str | None, user: str, ref: b.Ref,
                    channel: str | None, message_ts: str | None, notice: str = "") -> None:
        """The Retry button of an error notice: the driver checks who may and whether anything is left to retry."""
        async with self._flows:
            workspace_id = await self.workspace_id(team_id, client)
            conversation = await self.conversation_in(workspace_id, ref.conversation_id)
            if conversation is None:
                if channel:
                    await self.renderer.ephemeral(client, channel, user, st("not_found", "en"))
                return
            line = self.renderer.status_line(client, conversation)
            outcome = await self.services.driver.resume(conversation.id, user, progress=line)
            await self._remember_status(conversation.id, line)
            if isinstance(outcome, Refusal):
                await self.renderer.ephemeral(client, conversation.channel_id, user, outcome.text,
                                              conversation.thread_ts)
                return
            if channel and message_ts:
                # The notice keeps its story but loses its button: one retry per click, said who and when.
                name = await self.renderer.user_name(client, user)
                done = st("resolved_retried", outcome.language, user=name, time=now_label(outcome.language))
                await self.renderer.update(client, channel, message_ts,
                                           b.error_notice(notice, ref, outcome.language, resolved=done))
            await self.renderer.show(client, conversation, outcome)


def build_slack(services: Services, *, port: int | None = None) -> SlackFrontDoor | None:
    """The Slack front door when Slack is configured (any Slack credential), else None."""
    return SlackFrontDoor(services, port=port) if slack_configured(services) else None
