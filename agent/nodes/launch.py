"""Publish, reconnect, track and cancel: the approved plan goes out through the saga, then tracking starts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agent.context import AgentContext
from agent.interactions import AccountsReply, ConnectAccounts, ConnectLink
from agent.oauth import open_link
from agent.planning import CampaignPlan
from agent.publishing import PlatformOutcome, publish_plan, withdraw_plan
from agent.publishing.outcome import reason_text
from agent.state import CampaignState
from agent.texts import platform_list, platform_name, t
from agent.tracking import sync_campaign
from store import repositories as repo


class PublishIncomplete(RuntimeError):
    """Activation did not finish: everything is paused, the ledger is intact, and a retry of the thread
    re-runs this node (the ledger makes that safe). Raised, not routed, so the thread stays retryable."""


def outcome_messages(outcomes: dict[str, PlatformOutcome], language: str) -> list[str]:
    """What the user is told about each platform: live, paused (why), waiting for a reconnect, or withdrawn."""
    lines: list[str] = []
    for platform, outcome in outcomes.items():
        name = platform_name(platform, language)
        if outcome.ok:
            lines.append(
                t("published_platform", language, platform=name, campaign_id=outcome.external_campaign_id or "")
            )
        elif outcome.needs_reconnect:
            lines.append(t("needs_reconnect", language, platform=name))
        elif outcome.paused:
            lines.append(t("paused", language, platform=name, reason=_why(outcome, language)))
        else:
            lines.append(t("publish_failed", language, platform=name, reason=_why(outcome, language)))
    return lines


def _why(outcome: PlatformOutcome, language: str) -> str:
    return reason_text(outcome.why, language, outcome.error) or t("why_unknown", language)


async def publish(
    state: CampaignState, runtime: Runtime[AgentContext]
) -> Command[Literal["track", "failed", "reconnect"]]:
    """Runs the saga; on a re-run (crash, resume, reconnect) the ledger makes every write happen at most once."""
    ctx = runtime.context
    language = state.get("language", "en")
    plan = CampaignPlan.model_validate(state["plan"])
    platforms = [p.platform for p in plan.platforms]
    await ctx.progress(t("publishing", language, platforms=platform_list(platforms, language)))
    async with ctx.sessions() as session, session.begin():
        await repo.update_campaign(session=session, campaign_id=plan.campaign_id, status="publishing")

    outcomes = await publish_plan(ctx, plan, state["plan_hash"] or "")
    for line in outcome_messages(outcomes, language):
        await ctx.progress(line)
    result = {p: o.as_dict() for p, o in outcomes.items()}
    live = all(o.ok for o in outcomes.values())
    compensated = any(o.compensated or o.state == "failed" for o in outcomes.values())
    reconnect = not compensated and any(o.needs_reconnect for o in outcomes.values())
    if live:
        status, campaign_status = "live", "live"
    elif compensated:
        status, campaign_status = "failed", "compensated"
    else:
        status, campaign_status = "paused", "paused"
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
    if status == "paused" and not reconnect:
        raise PublishIncomplete(
            "activation did not finish: " + "; ".join(f"{p}: {o.error}" for p, o in outcomes.items() if o.error)
        )
    goto: Literal["track", "failed", "reconnect"] = "track" if live else ("reconnect" if reconnect else "failed")
    return Command(goto=goto, update={"publish": result, "status": status})


async def reconnect(
    state: CampaignState, runtime: Runtime[AgentContext]
) -> Command[Literal["publish", "reconnect", "cancelled"]]:
    """A token died mid-publish: ask for that account again (everything stays paused), then publish again.

    The plan and its hash do not change, so the re-run sends the same idempotency keys and continues from the
    ledger; a cancel here withdraws (pauses and deletes) whatever the paused publish left on the platforms.
    """
    ctx = runtime.context
    language = state.get("language", "en")
    plan = CampaignPlan.model_validate(state["plan"])
    missing: list[str] = []
    connected: dict[str, str] = {}
    async with ctx.sessions() as session:
        for p in plan.platforms:
            row = await repo.get_ad_account(session=session, ad_account_id=p.ad_account_id)
            if row is None or row.status != "active":
                missing.append(p.platform)
            else:
                connected[p.platform] = row.name or row.external_account_id
    if not missing:
        return Command(goto="publish", update={"status": "publishing"})
    links: list[ConnectLink] = [await open_link(ctx, dict(state), platform) for platform in missing]
    payload = ConnectAccounts(
        language=language,
        message=t("reconnect", language, platforms=platform_list(missing, language)),
        links=links,
        connected=connected,
    )
    reply: AccountsReply = interrupt(payload.model_dump(mode="json"), response_schema=AccountsReply)
    if reply.cancel:
        await withdraw_plan(ctx, plan, state["plan_hash"] or "")
        await ctx.progress(t("withdrawn", language))
        return Command(goto="cancelled")
    return Command(goto="reconnect", update={"status": "connecting"})


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
