"""Budget ceiling: a plan above the workspace's ceilings waits for an admin's approval before it is published."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agent.budget_ceiling import ceiling_breach
from agent.context import AgentContext
from agent.interactions import CeilingDecision, OverCeiling
from agent.planning import CampaignPlan
from agent.state import CampaignState
from agent.texts import t
from store import repositories as repo


async def workspace_ceilings(ctx: AgentContext, workspace_id: str) -> tuple[str, Decimal, Decimal]:
    """(currency, per-campaign ceiling, per-day ceiling) of a workspace: its own, else the defaults."""
    async with ctx.reads()() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
    currency = workspace.default_currency if workspace is not None else ctx.default_currency
    campaign = workspace.max_campaign_budget if workspace is not None else None
    daily = workspace.max_daily_budget if workspace is not None else None
    return (currency, Decimal(campaign) if campaign is not None else ctx.max_campaign_budget,
            Decimal(daily) if daily is not None else ctx.max_daily_budget)


async def admin_approval(
    state: CampaignState, runtime: Runtime[AgentContext]
) -> Command[Literal["publish", "cancelled", "preview"]]:
    ctx = runtime.context
    language = state.get("language", "en")
    plan = CampaignPlan.model_validate(state["plan"])
    currency, max_campaign, max_daily = await workspace_ceilings(ctx, state["workspace_id"])
    breach = ceiling_breach(plan, workspace_currency=currency, max_campaign=max_campaign, max_daily=max_daily)
    if breach is None:
        return Command(goto="publish")
    reason = breach.reason(language)
    payload = OverCeiling(
        language=language, message=t("over_ceiling", language, reason=reason), reason=reason,
        plan_hash=state.get("plan_hash") or "", total_budget=f"{breach.total}", per_day=f"{breach.per_day}",
        currency=breach.currency, max_campaign_budget=f"{max_campaign}", max_daily_budget=f"{max_daily}",
        ceiling_currency=currency, approved_by=state.get("plan_approved_by"),
    )
    decision: CeilingDecision = interrupt(payload.model_dump(mode="json"), response_schema=CeilingDecision)
    if decision.action == "cancel":
        return Command(goto="cancelled")
    if decision.plan_hash != state.get("plan_hash"):
        return Command(goto="preview")
    async with ctx.sessions() as session, session.begin():
        details: dict[str, Any] = {"plan_hash": state.get("plan_hash"), "reason": reason,
                                   "total": f"{breach.total}", "currency": breach.currency}
        await repo.audit(session=session, workspace_id=state["workspace_id"], actor=decision.actor,
                         action="campaign.ceiling_approved", subject_type="campaign", subject_id=plan.campaign_id,
                         details=details)
    return Command(goto="publish")
