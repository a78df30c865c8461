"""The conversation driver: the one door into the flow (start / reply / decide / OAuth), serialised per thread."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Any

from langgraph.types import Command
from pydantic import BaseModel, ValidationError

from agent.answer_texts import at, help_for
from agent.answers import changes_request, read_answer
from agent.context import AgentContext, ProgressSink
from agent.instructions import (
    HiddenCharacters,
    InstructionTooLong,
    clean_instruction,
)
from agent.interactions import (
    ADMIN_KINDS,
    APPROVAL_KINDS,
    EDITABLE_COPY_FIELDS,
    REPLY_TYPES,
)
from agent.leases import LeaseBusy, claimer_alive, held, holder_id, lease_released
from agent.models import CampaignRequest
from agent.oauth import ConnectedAccount, complete_oauth, decline_oauth
from agent.parsing.text import input_language
from agent.texts import platform_name, t
from agent.turns import Prompt, Refusal, Turn, TurnStatus, Where
from agent.workspace_settings import SettingsChange, SettingsRefused, change_settings
from store import repositories as repo
from tools.generation.base import CopyVariant, check_copy_limits

log = logging.getLogger(__name__)

# Whether `actor` is an approver of `workspace` (a Workspace row); a front door may plug in its own (Slack resolves
# user groups at click time). Without one, the workspace's approvers list is matched as plain user ids.
ApproverCheck = Callable[[Any, str], Awaitable[bool]]

def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:32]


def started_thread_id(workspace_id: str, start_key: str) -> str:
    """The thread a keyed start runs in: the same key in the same workspace always names the same thread."""
    return "start-" + hashlib.sha256(f"{workspace_id}\n{start_key}".encode()).hexdigest()[:40]


class ConversationDriver:
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

    async def refusal(
        self, *, conversation_id: str, interrupt_id: str, decision: dict[str, Any], actor: str
    ) -> Refusal | None:
        """Why `decide` would refuse this answer now (None: it would take it); changes nothing.

        For doors that answer before the work runs (the HTTP API's 403 and 409); `decide` checks again."""
        conversation = await self._conversation(conversation_id)
        current = await self.current(conversation_id)
        checked = await self._check_answer(conversation, current, interrupt_id, decision, actor)
        return checked if isinstance(checked, Refusal) else None

    async def _check_answer(
        self, conversation: Any, current: Turn, interrupt_id: str, decision: dict[str, Any], actor: str
    ) -> Refusal | tuple[Prompt, BaseModel]:
        language = current.language
        if current.prompt is None or current.prompt.interrupt_id != interrupt_id:
            return Refusal("already_handled", t("already_handled", language))
        prompt = current.prompt
        reply_type = REPLY_TYPES[prompt.kind]
        try:
            reply = reply_type.model_validate(
                {**decision, "actor": actor} if "actor" in reply_type.model_fields else decision
            )
        except ValidationError as exc:
            return Refusal("invalid_answer", _invalid_reply(exc, language))
        refusal = await self._refusal(conversation, prompt, reply, actor)
        return refusal if refusal is not None else (prompt, reply)

    async def _refusal(self, conversation: Any, prompt: Prompt, reply: BaseModel, actor: str) -> Refusal | None:
        """Why `actor` may not give this answer (None: they may)."""
        language = prompt.payload.get("language", "en")
        action = getattr(reply, "action", None)
        if action == "cancel" or getattr(reply, "cancel", False):
            # Cancelling someone's campaign is theirs to do, or an approver's, or an admin's.
            if actor != conversation.requested_by and not await self._may_oversee(conversation, actor):
                return Refusal("not_allowed_to_cancel", t("not_allowed_to_cancel", language))
            return None
        if prompt.kind == "connect":
            text = await self._account_refusal(conversation, getattr(reply, "connected", {}), language)
            return Refusal("unknown_account", text) if text else None
        if prompt.kind == "review" and action == "edit":
            text = edit_refusal(prompt.payload, reply, language)
            return Refusal("edit_rejected", text) if text else None
        if prompt.kind in ADMIN_KINDS and action == "approve":
            if not await self.is_admin(conversation.workspace_id, actor):
                return Refusal("not_admin", t("not_admin", language))
            if getattr(reply, "plan_hash", None) != prompt.payload.get("plan_hash"):
                return Refusal("stale_plan", t("stale_plan", language))
            return None
        if prompt.kind in APPROVAL_KINDS and action == "approve":
            async with self.ctx.reads()() as session:
                workspace = await repo.get_workspace(session=session, workspace_id=conversation.workspace_id)
            approvers = list(workspace.approvers or []) if workspace is not None else []
            if not approvers:
                # Nobody approves until an admin names the approvers: an unset list is not "everyone".
                return Refusal("no_approvers", t("no_approvers", language))
            if not await self._is_approver(workspace, actor, approvers):
                return Refusal("not_approver", t("not_approver", language, approvers=", ".join(approvers)))
            if prompt.kind == "review" and getattr(reply, "content_hash", None) not in (
                None,
                prompt.payload.get("content_hash"),
            ):
                return Refusal("stale_content", t("stale_content", language))
            if prompt.kind == "preview":
                if getattr(reply, "plan_hash", None) != prompt.payload.get("plan_hash"):
                    return Refusal("stale_plan", t("stale_plan", language))
                budget = _plan_budget(prompt.payload.get("plan") or {})
                limit = (
                    workspace.self_approval_limit
                    if workspace is not None and workspace.self_approval_limit is not None
                    else self.ctx.self_approval_limit
                )
                # Four eyes above the limit, always: with no other approver named, an admin must name one.
                if actor == conversation.requested_by and budget is not None and budget[0] > limit:
                    others = [a for a in approvers if a != actor]
                    return Refusal("self_approval", t(
                        "self_approval" if others else "self_approval_alone",
                        language,
                        budget=f"{budget[0]} {budget[1]}",
                        limit=f"{limit} {budget[1]}",
                    ))
        return None


    async def is_admin(self, workspace_id: str, user: str) -> bool:
        """ADLY_ADMINS, or a member made admin of the workspace (a Slack app's installer, an admin key's user)."""
        if user in self.ctx.admins:
            return True
        async with self.ctx.reads()() as session:
            member = await repo.get_member(session=session, workspace_id=workspace_id, user_ref=user)
        return member is not None and member.role == "admin"

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

    async def _may_oversee(self, conversation: Any, actor: str) -> bool:
        return await self.may_oversee(conversation.workspace_id, actor)

    async def may_oversee(self, workspace_id: str, actor: str) -> bool:
        """An approver or an admin of the workspace."""
        if await self.is_admin(workspace_id, actor):
            return True
        async with self.ctx.reads()() as session:
            workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
        approvers = list(workspace.approvers or []) if workspace is not None else []
        return bool(approvers) and await self._is_approver(workspace, actor, approvers)

    async def _is_approver(self, workspace: Any, actor: str, approvers: list[str]) -> bool:
        if actor in approvers:
            return True
        return self.approver_check is not None and await self.approver_check(workspace, actor)


    async def _account_refusal(self, conversation: Any, connected: dict[str, str], language: str) -> str | None:
        """Each chosen ad account must be an active one of this workspace, on the platform it is chosen for."""
        async with self.ctx.reads()() as session:
            for platform, ad_account_id in connected.items():
                account = await repo.get_ad_account(session=session, ad_account_id=ad_account_id)
                if (
                    account is None
                    or account.workspace_id != conversation.workspace_id
                    or account.platform != platform
                    or account.status != "active"
                ):
                    return t("unknown_account", language, platform=platform_name(platform, language))
        return None

def edit_refusal(payload: dict[str, Any], reply: Any, language: str) -> str | None:
    """An edit is checked against every target platform's limits before it reaches the flow."""
    asset = next((a for a in payload.get("assets", []) if a.get("slot") == reply.slot), None)
    if asset is None or asset.get("kind") != "copy" or not reply.edits:
        return t("edit_rejected", language, problems=reply.slot or "?")
    unknown = sorted(set(reply.edits) - set(EDITABLE_COPY_FIELDS))
    if unknown:
        return t("edit_rejected", language, problems=", ".join(unknown))
    edited = {**(asset.get("text") or {}), **{k: v.strip() for k, v in reply.edits.items()}}
    try:
        variant = CopyVariant.model_validate(edited)
    except ValidationError as exc:
        return t("edit_rejected", language, problems=str(exc.errors()[0]["msg"]))
    platforms = list(payload.get("platforms") or [])
    errors = [v for v in check_copy_limits(variant, platforms) if v.severity == "error"]
    if not errors:
        return None
    return t("edit_rejected", language,
             problems="; ".join(v.message_ar if language == "ar" else v.message_en for v in errors))


def _plan_budget(plan: dict[str, Any]) -> tuple[Decimal, str] | None:
    if "total_budget" not in plan:
        return None
    return Decimal(str(plan["total_budget"])), str(plan.get("currency", ""))


def _invalid_reply(exc: ValidationError, language: str) -> str:
    fields = ", ".join(".".join(str(p) for p in err["loc"]) or "value" for err in exc.errors())
    if language == "ar":
        return f"لم أفهم الإجابة (الحقول: {fields}). حاول مرة أخرى."
    return f"I could not use that answer (fields: {fields}). Please try again."
