"""Publish, track and cancel: the approved plan goes out through the saga, then tracking starts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from agent.context import AgentContext
from agent.planning import CampaignPlan
from agent.publishing import publish_plan
from agent.state import CampaignState
from agent.texts import platform_list, platform_name, t
from agent.tracking import sync_campaign
from store import repositories as repo


async def publish(
    state: CampaignState, runtime: Runtime[AgentContext]
) -> Command[Literal["track", "failed"]]:
    """Runs the saga; on a re-run (crash, resume) the ledger makes every write happen at most once."""
    ctx = runtime.context
    language = state.get("language", "en")
    plan = CampaignPlan.model_validate(state["plan"])
    platforms = [p.platform for p in plan.platforms]
    await ctx.progress(t("publishing", language, platforms=platform_list(platforms, language)))
    async with ctx.sessions() as session, session.begin():
        await repo.update_campaign(session=session, campaign_id=plan.campaign_id, status="publishing")

    outcomes = await publish_plan(ctx, plan, state["plan_hash"] or "")
    for platform, outcome in outcomes.items():
        if outcome.ok:
            await ctx.progress(
                t(
                    "published_platform",
                    language,
                    platform=platform_name(platform, language),
                    campaign_id=outcome.external_campaign_id or "",
                )
            )
        else:
            await ctx.progress(
                t(
                    "publish_failed",
                    language,
                    platform=platform_name(platform, language),
                    reason=outcome.error or "unknown",
                )
            )
    result = {p: o.as_dict() for p, o in outcomes.items()}
    live = all(o.ok for o in outcomes.values())
    status = "live" if live else ("paused" if any(o.needs_reconnect for o in outcomes.values()) else "failed")
    campaign_status = {"live": "live", "paused": "paused", "failed": "compensated"}[status]
    async with ctx.sessions() as session, session.begin():
        await repo.update_campaign(session=session, campaign_id=plan.campaign_id, status=campaign_status)
        await repo.audit(
            session=session,
            workspace_id=state["workspace_id"],
            actor="adly",
            action=f"campaign.{campaign_status}",
            subject_type="campaign",
            subject_id=plan.campaign_id,
            details={"platforms": result},
        )
    return Command(goto="track" if live else "failed", update={"publish": result, "status": status})


async def track(state: CampaignState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """The campaign is live: the scheduler picks it up (hourly sync, 15-minute status); one sync runs now."""
    ctx = runtime.context
    language = state.get("language", "en")
    plan = CampaignPlan.model_validate(state["plan"])
    today = ctx.clock().date()
    summary = await sync_campaign(ctx, plan.campaign_id, since=today - timedelta(days=1), until=today)
    await ctx.progress(t("tracking", language))
    await ctx.progress(
        t("live", language, platforms=platform_list([p.platform for p in plan.platforms], language))
    )
    return {"performance": summary, "status": "live"}


async def failed(state: CampaignState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    return {"status": state.get("status") or "failed"}


async def cancelled(state: CampaignState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    ctx = runtime.context
    await ctx.progress(t("cancelled", state.get("language")))
    campaign_id = state.get("campaign_id")
    if campaign_id:
        async with ctx.sessions() as session, session.begin():
            await repo.update_campaign(session=session, campaign_id=campaign_id, status="draft")
    return {"status": "cancelled"}
