"""Parse and validate: the instruction becomes a CampaignRequest; what is missing or breaks a rule is asked about."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agent.context import AgentContext
from agent.interactions import AskClarification, ClarificationReply, IssueView
from agent.landing_pages import landing_default
from agent.models import CampaignRequest
from agent.nodes.generate import content_subject, required_slots
from agent.parsing import merge_reply, parse_instruction
from agent.state import CampaignState
from agent.texts import lang_of, t
from agent.validation import (
    AccountFacts,
    ValidationIssue,
    apply_fix,
    blocking,
    clarification_question,
    fit_inferred_schedule,
    missing_fields,
    validate_request,
)
from agent.validation.occasion import occasion_moved_issue
from store import repositories as repo


async def parse(state: CampaignState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """The deterministic parser always runs; it is the ground truth for numbers."""
    ctx = runtime.context
    await ctx.progress(t("parsing", state.get("language")))
    if state.get("request") is not None and not state.get("instruction"):
        # A structured request (the HTTP API) is not parsed again; validation, next, treats it like any other.
        given = CampaignRequest.model_validate(state["request"])
        return {"request": given.contract_dict(), "language": given.input_language, "status": "parsed"}
    # Off the event loop: parsing is CPU work, and every other conversation is served by this loop.
    request = await asyncio.to_thread(
        parse_instruction, state["instruction"], today=date.fromisoformat(state["today"]),
        default_currency=ctx.default_currency,
    )
    if ctx.chat_model is not None:
        from agent.parsing.llm import enrich  # only when a chat model is configured

        request = await enrich(
            request, state["instruction"], model=ctx.chat_model, timeout_s=ctx.llm_timeout_s,
            today=date.fromisoformat(state["today"]), default_currency=ctx.default_currency,
        )
    return {"request": request.contract_dict(), "language": request.input_language, "status": "parsed"}


async def active_accounts(ctx: AgentContext, workspace_id: str, platforms: list[str]) -> dict[str, list[Any]]:
    """The workspace's active ad account rows per platform, oldest first."""
    found: dict[str, list[Any]] = {}
    async with ctx.sessions() as session:
        for platform in platforms:
            accounts = await repo.list_ad_accounts(
                session=session, workspace_id=workspace_id, platform=platform
            )
            found[platform] = [a for a in accounts if a.status == "active"]
    return found


def pick_account(active: list[Any], chosen: str | None) -> Any | None:
    """The conversation's chosen account if still active, else the only one; None when a choice is needed."""
    for account in active:
        if account.id == chosen:
            return account
    return active[0] if len(active) == 1 else None


def facts_of(ctx: AgentContext, account: Any) -> AccountFacts:
    return AccountFacts(
        platform=account.platform,
        ad_account_id=account.id,
        external_account_id=account.external_account_id,
        currency=account.currency or ctx.default_currency,
        timezone=account.timezone or "Asia/Riyadh",
    )


async def account_facts(
    ctx: AgentContext, workspace_id: str, platforms: list[str], chosen: dict[str, str] | None = None
) -> dict[str, AccountFacts]:
    """The ad account per requested platform, as validation sees it: the one chosen in the conversation
    (`chosen`: platform -> ad_accounts.id), else the only active one. A platform with several active
    accounts and no choice has no facts yet: the connect step asks which one."""
    facts: dict[str, AccountFacts] = {}
    for platform, active in (await active_accounts(ctx, workspace_id, platforms)).items():
        account = pick_account(active, (chosen or {}).get(platform))
        if account is not None:
            facts[platform] = facts_of(ctx, account)
    return facts


def issue_view(issue: ValidationIssue, language: str) -> IssueView:
    ar = lang_of(language) == "ar"
    return IssueView(
        field=issue.field,
        code=issue.code,
        severity=issue.severity,
        platform=issue.platform,
        message=issue.message_ar if ar else issue.message_en,
        fixes=[f.label_ar if ar else f.label_en for f in issue.fixes],
    )


def offered_fixes(issues: list[ValidationIssue]) -> list[Any]:
    """Fixes of blocking issues in the order they are shown; a reply picks one by its 1-based number."""
    return [fix for issue in blocking(issues) for fix in issue.fixes]


async def validate(
    state: CampaignState, runtime: Runtime[AgentContext]
) -> Command[Literal["validate", "connect_accounts", "generate_copy", "build_structure", "cancelled"]]:
    """Ask one question for everything missing or blocking; otherwise go on to accounts, content or structure."""
    ctx = runtime.context
    language = state.get("language", "en")
    today = date.fromisoformat(state["today"])
    # The request as asked (before the flow fitted its dates to the budget): every pass, and every answer or
    # adjustment, starts from it, so the window and its warning are derived again from what was asked.
    asked = CampaignRequest.model_validate(state.get("asked_request") or state["request"])
    request = asked
    facts = await account_facts(ctx, state["workspace_id"], list(request.platforms), state.get("accounts"))
    landing = await landing_default(ctx, state["workspace_id"], list(request.platforms))
    rules: dict[str, Any] = {
        "today": today, "accounts": facts, "default_landing_url": landing,
        "landing_required": bool(set(request.platforms) & ctx.live_platforms),
        "instruction": state.get("instruction"),
    }
    request, fitted = fit_inferred_schedule(request, **rules)
    issues = validate_request(request, **rules)
    if fitted is not None:
        issues.append(fitted)
    moved = occasion_moved_issue(request, state.get("plan"), today)
    if moved is not None:
        issues.insert(0, moved)
    issue_dicts = [i.model_dump(mode="json") for i in issues]
    missing = missing_fields(request)

    if not missing and not blocking(issues):
        accounts = {p: f.ad_account_id for p, f in facts.items()}
        update: dict[str, Any] = {}
        if state.get("content_subject") not in (None, content_subject(request)):
            # The content speaks of another occasion or product than the request now does: made again, reviewed
            # again (never a Ramadan headline on a campaign that no longer is one).
            update = {"assets": {slot: "" for slot in state.get("assets") or {}}, "content_approved": False,
                      "content_subject": content_subject(request)}
        if any(p not in accounts for p in request.platforms):
            goto: Any = "connect_accounts"
        elif update:
            goto = "generate_copy"
        elif state.get("content_approved") and all(
            s in (state.get("assets") or {}) for s in required_slots(request)
        ):
            goto = "build_structure"  # an adjustment after content approval: no need to review again
        else:
            goto = "generate_copy"
        update |= {"request": request.contract_dict(), "asked_request": asked.contract_dict(),
                   "issues": issue_dicts, "accounts": accounts, "status": "validated",
                   # The note of why the dates were fitted, for the preview; none when they no longer are.
                   "adjustments": [fitted.model_dump(mode="json")] if fitted is not None else []}
        return Command(goto=goto, update=update)

    question = clarification_question(request, language) or ""
    payload = AskClarification(
        language=language,
        question=question,
        missing=missing,
        # Missing fields are in the question already; the issues list the rest.
        issues=[issue_view(i, language) for i in issues
                if i.severity != "info" and not (i.code == "missing" and i.field in missing)],
        request=request.contract_dict(),
    )
    reply: ClarificationReply = interrupt(payload.model_dump(mode="json"), response_schema=ClarificationReply)
    if reply.cancel:
        return Command(goto="cancelled")
    fixes = offered_fixes(issues)
    answered = asked
    if reply.fix is not None and 1 <= reply.fix <= len(fixes):
        answered = apply_fix(asked, fixes[reply.fix - 1])
    if reply.text.strip():
        answered = await asyncio.to_thread(merge_reply, answered, reply.text, today=today,
                                           default_currency=ctx.default_currency)
    return Command(goto="validate", update={"request": answered.contract_dict(),
                                            "asked_request": answered.contract_dict(), "status": "clarifying"})
