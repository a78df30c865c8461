"""Who may give an answer, and whether the answer is one the prompt can take: the rules every door shares
(approvers, admins, four eyes above the self-approval limit, stale content or plans, edits within the platforms'
limits, accounts of this workspace)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from agent.context import AgentContext
from agent.interactions import ADMIN_KINDS, APPROVAL_KINDS, EDITABLE_COPY_FIELDS, REPLY_TYPES
from agent.localize import money_text, slot_label
from agent.texts import platform_list, platform_name, t
from agent.turns import Prompt, Refusal, Turn
from store import repositories as repo
from tools.generation.base import CopyVariant, check_copy_limits

# Whether `actor` is an approver of `workspace` (a Workspace row); a front door may plug in its own (Slack resolves
# user groups at click time). Without one, the workspace's approvers list is matched as plain user ids.
ApproverCheck = Callable[[Any, str], Awaitable[bool]]


class AnswerRights:
    """The conversation driver's checks on answers (mixed into `ConversationDriver`, which gives the state)."""

    ctx: AgentContext
    approver_check: ApproverCheck | None

    async def _conversation(self, conversation_id: str) -> Any:
        raise NotImplementedError

    async def current(self, conversation_id: str) -> Turn:
        raise NotImplementedError

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
            if prompt.kind == "review" and prompt.payload.get("missing_media"):
                # Approving would leave a platform without an ad: the failed asset is made again first.
                failed = [slot_label(s, language) for s in prompt.payload.get("failed") or []]
                return Refusal("media_missing", t(
                    "media_missing", language, platforms=platform_list(prompt.payload["missing_media"], language),
                    assets=("، " if language == "ar" else ", ").join(failed) or "-"))
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
                        budget=money_text(budget[0], budget[1], language),
                        limit=money_text(limit, budget[1], language),
                    ))
        return None


    async def is_admin(self, workspace_id: str, user: str) -> bool:
        """ADLY_ADMINS, or a member made admin of the workspace (a Slack app's installer, an admin key's user)."""
        if user in self.ctx.admins:
            return True
        async with self.ctx.reads()() as session:
            member = await repo.get_member(session=session, workspace_id=workspace_id, user_ref=user)
        return member is not None and member.role == "admin"

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
