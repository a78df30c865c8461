"""The conversation driver: the one door into the flow (start / reply / decide / OAuth), serialised per thread."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from langgraph.types import Command

from agent.answer_rights import AnswerRights, ApproverCheck
from agent.answer_texts import at, help_for
from agent.answers import changes_request, read_answer
from agent.context import AgentContext, ProgressSink
from agent.instructions import (
    HiddenCharacters,
    InstructionTooLong,
    clean_instruction,
)
from agent.leases import LeaseBusy, claimer_alive, held, holder_id, lease_released
from agent.models import CampaignRequest
from agent.oauth import ConnectedAccount, complete_oauth, decline_oauth
from agent.parsing.text import input_language
from agent.texts import platform_name, t
from agent.turns import Prompt, Refusal, Turn, TurnStatus, Where
from agent.workspace_settings import SettingsChange, SettingsRefused, change_settings
from store import repositories as repo

log = logging.getLogger(__name__)


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:32]


def started_thread_id(workspace_id: str, start_key: str) -> str:
    """The thread a keyed start runs in: the same key in the same workspace always names the same thread."""
    return "start-" + hashlib.sha256(f"{workspace_id}\n{start_key}".encode()).hexdigest()[:40]


class ConversationDriver(AnswerRights):
    """Maps conversations to LangGraph threads and resumes them one answer at a time."""

    def __init__(self, ctx: AgentContext, graph: Any, *, approver_check: ApproverCheck | None = None,
                 lease_wait_s: float = 900.0) -> None:
        self.ctx = ctx
        self.graph = graph  # compiled with a checkpointer
        self.approver_check = approver_check  # settable: the Slack front door installs its group-aware check
        self._locks: dict[str, asyncio.Lock] = {}
        self.holder = holder_id()  # this process, as the conversation leases name it
        self.lease_wait_s = lease_wait_s

    def _lock(self, thread_id: str) -> asyncio.Lock:
        return self._locks.setdefault(thread_id, asyncio.Lock())

    @contextlib.asynccontextmanager
    async def _exclusive(self, thread_id: str) -> AsyncIterator[None]:
        """Run the thread alone: first among this process's tasks (a lock), then among processes (the lease)."""
        async with self._lock(thread_id), held(self.ctx, thread_id, self.holder, wait_s=self.lease_wait_s):
            yield

    @staticmethod
    def _config(thread_id: str) -> dict[str, Any]:
        return {"configurable": {"thread_id": thread_id}}

    # -------------------------------------------------------------------------------------------- doors

    async def start(
        self,
        *,
        workspace_id: str,
        user: str,
        text: str,
        where: Where,
        today: date | None = None,
        progress: ProgressSink | None = None,
        request: CampaignRequest | None = None,
        start_key: str | None = None,
    ) -> Turn:
        """A new campaign conversation from an instruction (or a structured `request`, then `text` only describes
        it); runs until the first question (or the end). A `start_key` (the Slack command's trigger, the API job)
        makes a start run again after its worker died continue the conversation it began, not begin another."""
        if len(text) > self.ctx.max_instruction_chars:
            raise InstructionTooLong(len(text), self.ctx.max_instruction_chars)
        text, stripped = clean_instruction(text)
        if stripped and progress is not None:
            await progress(t("hidden_removed", input_language(text)))
        thread_id = uuid.uuid4().hex if start_key is None else started_thread_id(workspace_id, start_key)
        if start_key is not None and (again := await self._started_before(thread_id, progress)) is not None:
            return again
        language = request.input_language if request is not None else input_language(text)
        async with self.ctx.sessions() as session, session.begin():
            conversation = await repo.create_conversation(
                session=session,
                workspace_id=workspace_id,
                thread_id=thread_id,
                channel_kind=where.channel_kind,
                channel_id=where.channel_id,
                thread_ts=where.thread_ts,
                requested_by=user,
                language=language,
            )
            await repo.audit(
                session=session,
                workspace_id=workspace_id,
                actor=user,
                action="conversation.started",
                subject_type="conversation",
                subject_id=conversation.id,
                details={"text": text[:500]},
            )
            conversation_id = conversation.id
        initial = {
            "workspace_id": workspace_id,
            "conversation_id": conversation_id,
            "requested_by": user,
            "language": language,
            "instruction": "" if request is not None else text,
            "today": (today or self.ctx.clock().date()).isoformat(),
            "assets": {},
            "status": "parsing",
        }
        if request is not None:
            initial["request"] = request.contract_dict()
        async with self._exclusive(thread_id):
            return await self._run(conversation_id, thread_id, initial, progress)

    async def reply(
        self, *, conversation_id: str, text: str, actor: str, progress: ProgressSink | None = None
    ) -> Turn:
        """A free-text message in the thread answers whatever is pending, in the way that prompt takes text."""
        turn = await self.current(conversation_id)
        if turn.prompt is None:
            return turn
        if len(text) > self.ctx.max_instruction_chars:
            notice = InstructionTooLong(len(text), self.ctx.max_instruction_chars).text(turn.language)
            return turn.model_copy(update={"notice": notice, "status": "refused"})
        try:
            text, _ = clean_instruction(text)
        except HiddenCharacters as exc:
            return turn.model_copy(update={"notice": exc.text(turn.language), "status": "refused"})
        answer = read_answer(turn.prompt.kind, turn.prompt.payload, text)
        if answer.notice is not None or answer.decision is None:
            return turn.model_copy(update={"notice": answer.notice})
        decision = answer.decision
        if answer.check_change and not await self._changes_request(turn, decision["text"]):
            key = "no_answer_found" if turn.prompt.kind == "clarify" else "no_change_found"
            notice = f"{at(key, turn.language, text=text.strip()[:80])} {help_for(turn.prompt.kind, turn.language)}"
            return turn.model_copy(update={"notice": notice})
        return await self.decide(
            conversation_id=conversation_id,
            interrupt_id=turn.prompt.interrupt_id,
            decision=decision,
            actor=actor,
            progress=progress,
        )

    async def _changes_request(self, turn: Turn, text: str) -> bool:
        """Whether `text` changes the request the pending question or plan is about (else it means nothing)."""
        assert turn.prompt is not None
        values = (await self.graph.aget_state(self._config(turn.thread_id))).values or {}
        request = (turn.prompt.payload.get("request") if turn.prompt.kind == "clarify" else None) or \
            values.get("asked_request") or values.get("request")
        if not request or "today" not in values:
            return True
        return await asyncio.to_thread(changes_request, request, text, today=date.fromisoformat(values["today"]),
                                       default_currency=self.ctx.default_currency)

    async def decide(
        self,
        *,
        conversation_id: str,
        interrupt_id: str,
        decision: dict[str, Any],
        actor: str,
        progress: ProgressSink | None = None,
    ) -> Turn:
        """Answer one pending prompt. Stale, double or unauthorised answers change nothing and say why."""
        conversation = await self._conversation(conversation_id)
        try:
            return await self._decide(conversation, interrupt_id, decision, actor, progress)
        except LeaseBusy:
            turn = await self.current(conversation_id)
            return turn.model_copy(update={"notice": t("busy_elsewhere", turn.language), "status": "refused"})

    async def _decide(self, conversation: Any, interrupt_id: str, decision: dict[str, Any], actor: str,
                      progress: ProgressSink | None) -> Turn:
        thread_id = conversation.thread_id
        async with self._exclusive(thread_id):
            # Under the lock and the lease: a second click, in this process or another, waits here, then finds
            # the prompt no longer pending.
            current = await self._current_unlocked(conversation)
            checked = await self._check_answer(conversation, current, interrupt_id, decision, actor)
            if isinstance(checked, Refusal):
                return current.model_copy(update={"notice": checked.text, "status": "refused"})
            prompt, reply = checked
            language = current.language
            async with self.ctx.sessions() as session:
                claimed = await repo.claim_approval(
                    session=session, thread_id=thread_id, interrupt_id=interrupt_id, actor=actor
                )
            if claimed is None:
                return current.model_copy(
                    update={"notice": t("already_handled", language), "status": "refused"}
                )
            try:
                turn = await self._run(
                    conversation.id,
                    thread_id,
                    Command(resume={interrupt_id: reply.model_dump(mode="json")}),
                    progress,
                )
            except BaseException:
                async with self.ctx.sessions() as session:
                    await repo.release_claim(session=session, approval_id=claimed.id)
                raise
            if turn.status == "error":
                # Releases the claim if the prompt is still pending, so the same answer can be given again.
                await self._current_unlocked(conversation)
            async with self.ctx.sessions() as session, session.begin():
                await repo.finish_approval(
                    session=session,
                    approval_id=claimed.id,
                    decision=reply.model_dump(mode="json"),
                    actor=actor,
                )
                await repo.audit(
                    session=session,
                    workspace_id=conversation.workspace_id,
                    actor=actor,
                    action=f"prompt.{prompt.kind}.answered",
                    subject_type="conversation",
                    subject_id=conversation.id,
                    details={"interrupt_id": interrupt_id, "decision": reply.model_dump(mode="json")},
                )
            return turn

    async def complete_oauth(
        self, *, platform: str, code: str, state: str, actor: str, progress: ProgressSink | None = None
    ) -> Turn | None:
        """The OAuth callback: store the account, then resume the conversation that asked for it (if waiting)."""
        connected = await complete_oauth(self.ctx, platform=platform, code=code, state=state, actor=actor)
        return await self.continue_after_connect(connected, actor=actor, progress=progress)

    async def continue_after_connect(self, connected: ConnectedAccount, *, actor: str,
                                     progress: ProgressSink | None = None) -> Turn | None:
        """Resume the conversation an OAuth login was for, if it still waits for that connection."""
        if connected.conversation_id is None:
            return None
        turn = await self.current(connected.conversation_id)
        if progress is not None:
            await progress(t("connected", turn.language, platform=platform_name(connected.platform, turn.language),
                             account=connected.name))
        if turn.prompt is None or turn.prompt.kind != "connect":
            return turn
        return await self.decide(
            conversation_id=connected.conversation_id,
            interrupt_id=turn.prompt.interrupt_id,
            # Several accounts: no choice yet, the connect step asks which one.
            decision={"connected": {connected.platform: connected.ad_account_id}} if connected.ad_account_id else {},
            actor=actor,
            progress=progress,
        )

    async def decline_oauth(self, *, platform: str, state: str, reason: str, actor: str) -> Turn | None:
        """Consent declined on the platform's page: nothing is connected; the thread is told, Connect stays open."""
        declined = await decline_oauth(self.ctx, platform=platform, state=state, reason=reason, actor=actor)
        if declined.conversation_id is None:
            return None
        turn = await self.current(declined.conversation_id)
        notice = t("connect_declined", turn.language, platform=platform_name(platform, turn.language),
                   reason=declined.reason)
        return turn.model_copy(update={"notice": notice})

    async def current(self, conversation_id: str) -> Turn:
        """What the conversation waits for now (after a restart too): its pending prompt or its outcome."""
        conversation = await self._conversation(conversation_id)
        async with self._lock(conversation.thread_id):
            return await self._current_unlocked(conversation)

    async def retry(self, conversation_id: str, progress: ProgressSink | None = None) -> Turn:
        """Run a thread again from its last checkpoint after an error (the failed node restarts; the ledger dedupes)."""
        conversation = await self._conversation(conversation_id)
        async with self._exclusive(conversation.thread_id):
            return await self._run(conversation.id, conversation.thread_id, None, progress)

    async def resume(self, conversation_id: str, actor: str, progress: ProgressSink | None = None) -> Turn | Refusal:
        """Retry on a person's request: the requester, an approver or an admin may, and only a flow that stopped on
        an error or a publish no process finished."""
        conversation = await self._conversation(conversation_id)
        if actor != conversation.requested_by and not await self._may_oversee(conversation, actor):
            return Refusal("not_allowed_to_retry", t("not_allowed_to_retry", conversation.language or "en"))
        return await self._resume(conversation, actor, progress)

    async def retry_refusal(self, conversation_id: str, actor: str) -> Refusal | None:
        """Why `resume` would refuse `actor` now (None: it would run); changes nothing. For doors that answer
        before the work runs (the HTTP API's 403 and 409); `resume` checks again."""
        conversation = await self._conversation(conversation_id)
        if actor != conversation.requested_by and not await self._may_oversee(conversation, actor):
            return Refusal("not_allowed_to_retry", t("not_allowed_to_retry", conversation.language or "en"))
        current = await self.current(conversation_id)
        if not await self._retryable(conversation, current):
            return Refusal("nothing_to_retry", t("nothing_to_retry", current.language))
        return None

    async def recover(self, conversation_id: str, progress: ProgressSink | None = None) -> Turn | Refusal:
        """Resume, on ADLY's own account, a publish a stopped process left half-done (startup, the scheduler)."""
        return await self._resume(await self._conversation(conversation_id), "adly:recovery", progress)

    async def _resume(self, conversation: Any, actor: str, progress: ProgressSink | None) -> Turn | Refusal:
        # Checked under the conversation's lock: a retry already run (two clicks, a startup and a click) is not
        # run again.
        async with self._exclusive(conversation.thread_id):
            current = await self._current_unlocked(conversation)
            if not await self._retryable(conversation, current):
                return Refusal("nothing_to_retry", t("nothing_to_retry", current.language))
            async with self.ctx.sessions() as session, session.begin():
                await repo.audit(session=session, workspace_id=conversation.workspace_id, actor=actor,
                                 action="publish.resumed", subject_type="conversation", subject_id=conversation.id,
                                 details={})
            return await self._run(conversation.id, conversation.thread_id, None, progress)

    async def _retryable(self, conversation: Any, current: Turn) -> bool:
        if current.prompt is not None:
            return False  # waiting for an answer: the answer, not a retry, moves it on
        if current.status == "error":
            return True
        if not conversation.campaign_id:
            return False
        async with self.ctx.reads()() as session:
            campaign = await repo.get_campaign(session=session, campaign_id=conversation.campaign_id)
        return campaign is not None and campaign.status == "publishing"

    # -------------------------------------------------------------------------------------------- internals

    async def _started_before(self, thread_id: str, progress: ProgressSink | None) -> Turn | None:
        """The conversation a keyed start already began: once its first run's lease has lapsed (its worker died),
        what it left half-done continues; else it stands as it is. None when the key began nothing yet."""
        async with self.ctx.reads()() as session:
            conversation = await repo.get_conversation_by_thread(session=session, thread_id=thread_id)
        if conversation is None:
            return None
        await lease_released(self.ctx, thread_id, within_s=self.ctx.lease_ttl_s * 1.5)
        outcome = await self.recover(conversation.id, progress)
        return outcome if isinstance(outcome, Turn) else await self.current(conversation.id)

    async def _conversation(self, conversation_id: str) -> Any:
        async with self.ctx.reads()() as session:
            conversation = await repo.get_conversation(session=session, conversation_id=conversation_id)
        if conversation is None:
            raise LookupError(f"no conversation {conversation_id}")
        return conversation

    async def _current_unlocked(self, conversation: Any) -> Turn:
        snapshot = await self.graph.aget_state(self._config(conversation.thread_id))
        values = snapshot.values or {}
        language = values.get("language", conversation.language or "en")
        interrupts = list(snapshot.interrupts or ())
        if interrupts:
            prompt = await self._record_prompt(conversation, interrupts[0])
            return Turn(
                conversation_id=conversation.id,
                thread_id=conversation.thread_id,
                language=language,
                status="waiting",
                prompt=prompt,
            )
        if snapshot.next:
            # A node was due when the run stopped: an error (or a killed process) interrupted it; a retry resumes.
            return Turn(conversation_id=conversation.id, thread_id=conversation.thread_id, language=language,
                        status="error", notice=t("stopped_on_error", language),
                        result={"campaign_id": values.get("campaign_id"), "publish": values.get("publish"),
                                "status": values.get("status")})
        return self._final_turn(conversation, values, language)

    def _final_turn(self, conversation: Any, values: dict[str, Any], language: str) -> Turn:
        status = values.get("status") or "failed"
        mapped: TurnStatus = {"live": "live", "cancelled": "cancelled", "paused": "paused"}.get(
            status, "failed"
        )  # type: ignore[assignment]
        return Turn(
            conversation_id=conversation.id,
            thread_id=conversation.thread_id,
            language=language,
            status=mapped,
            result={
                "campaign_id": values.get("campaign_id"),
                "publish": values.get("publish"),
                "performance": values.get("performance"),
                "status": status,
            },
        )

    async def _record_prompt(self, conversation: Any, interrupt: Any) -> Prompt:
        payload = interrupt.value if isinstance(interrupt.value, dict) else {"value": interrupt.value}
        kind = str(payload.get("kind", "clarify"))
        if conversation.status == "waiting":
            # Asked often (every card render, every API read): a prompt already recorded needs no write.
            async with self.ctx.reads()() as session:
                row = await repo.find_approval(session=session, thread_id=conversation.thread_id,
                                              interrupt_id=interrupt.id)
            if row is not None and row.status == "pending":
                return Prompt(approval_id=row.id, interrupt_id=interrupt.id, kind=kind, payload=payload)
        async with self.ctx.sessions() as session, session.begin():
            row = await repo.record_approval_request(
                session=session,
                conversation_id=conversation.id,
                thread_id=conversation.thread_id,
                interrupt_id=interrupt.id,
                kind=kind,
                payload_hash=payload_hash(payload),
            )
            approval_id, status = row.id, row.status
            await repo.update_conversation(session=session, conversation_id=conversation.id, status="waiting")
        if status == "claimed" and not await claimer_alive(self.ctx, conversation.thread_id, self.holder):
            # Called under the thread lock, so no resume of ours is running, and no other process holds the
            # thread's lease: this claim's resume died with its process, and the checkpoint still has the prompt
            # pending. Let it be answered again.
            async with self.ctx.sessions() as session:
                await repo.release_claim(session=session, approval_id=approval_id)
        return Prompt(approval_id=approval_id, interrupt_id=interrupt.id, kind=kind, payload=payload)

    async def _run(
        self, conversation_id: str, thread_id: str, command: Any, progress: ProgressSink | None
    ) -> Turn:
        ctx = self.ctx.with_progress(progress) if progress is not None else self.ctx
        config = self._config(thread_id)
        try:
            await self.graph.ainvoke(command, config, context=ctx, version="v2", durability="sync")
        except Exception:
            reference = uuid.uuid4().hex[:8]
            log.exception("conversation %s failed (reference %s)", conversation_id, reference)
            conversation = await self._conversation(conversation_id)
            snapshot = await self.graph.aget_state(config)
            language = (snapshot.values or {}).get("language", conversation.language or "en")
            async with self.ctx.sessions() as session, session.begin():
                await repo.update_conversation(
                    session=session, conversation_id=conversation_id, status="failed"
                )
            return Turn(
                conversation_id=conversation_id,
                thread_id=thread_id,
                language=language,
                status="error",
                notice=t("internal_error", language, ref=reference),
            )
        conversation = await self._conversation(conversation_id)
        turn = await self._current_unlocked(conversation)
        if turn.prompt is None:
            async with self.ctx.sessions() as session, session.begin():
                await repo.update_conversation(
                    session=session,
                    conversation_id=conversation_id,
                    status="done" if turn.status in ("live", "cancelled") else "failed",
                )
        return turn

    async def change_settings(
        self, workspace_id: str, actor: str, change: SettingsChange, language: str = "en"
    ) -> dict[str, Any] | Refusal:
        """Change the workspace's settings for `actor` (approvers and admins; the ceilings admins only): the
        settings as they now apply, or why not (nothing changed)."""
        try:
            return await change_settings(
                self.ctx, workspace_id=workspace_id, actor=actor, change=change, language=language,
                admin=await self.is_admin(workspace_id, actor),
                overseer=await self.may_oversee(workspace_id, actor),
            )
        except SettingsRefused as refused:
            return Refusal(refused.code, refused.text, refused.field)
