"""Build the structure and preview it: the plan is frozen and hashed, and the final approval binds to that hash."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agent.assets import load_assets, slot_kind, slot_language
from agent.context import AgentContext
from agent.interactions import PreviewCampaign, PreviewDecision
from agent.landing_pages import landing_default, remember_landing
from agent.localize import ad_label, audience_text, date_text, format_name, language_name, money_text
from agent.models import CampaignRequest
from agent.nodes.understand import account_facts
from agent.parsing import merge_reply
from agent.plan_notes import offer_line, plan_notes
from agent.planning import CampaignPlan, CopyChoice, CreativeSet, build_plan
from agent.state import CampaignState
from agent.texts import lang_of, platform_name, t
from agent.validation.placements import placement_line
from store import repositories as repo


async def creative_set(ctx: AgentContext, assets: dict[str, str]) -> CreativeSet:
    rows = await load_assets(ctx, {s: a for s, a in assets.items() if slot_kind(s) == "copy"})
    copy: dict[str, CopyChoice] = {}
    for slot, row in rows.items():
        text = row.text or {}
        copy[slot_language(slot) or "en"] = CopyChoice(
            asset_id=row.id,
            headline=text.get("headline", ""),
            primary_text=text.get("primary_text", ""),
            description=text.get("description", ""),
            cta=text.get("cta", "shop_now"),
        )
    images: dict[str, dict[str, str]] = {}
    videos: dict[str, str] = {}
    for slot, asset_id in assets.items():
        kind, language = slot_kind(slot), slot_language(slot) or "en"
        if kind == "image":
            images.setdefault(language, {})[slot.split(":")[2]] = asset_id
        elif kind == "video":
            videos[language] = asset_id
    return CreativeSet(copy=copy, images=images, videos=videos)


async def build_structure(state: CampaignState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """One campaign row per conversation (found again on a re-run), the plan, and its rows per platform."""
    ctx = runtime.context
    await ctx.progress(t("building", state.get("language")))
    request = CampaignRequest.model_validate(state["request"])
    today = date.fromisoformat(state["today"])
    facts = await account_facts(ctx, state["workspace_id"], list(request.platforms), state.get("accounts"))
    creatives = await creative_set(ctx, state.get("assets") or {})
    landing = await landing_default(ctx, state["workspace_id"], list(request.platforms))

    async with ctx.sessions() as session, session.begin():
        campaign_id = state.get("campaign_id")
        if campaign_id is None:
            conversation = await repo.get_conversation(
                session=session, conversation_id=state["conversation_id"]
            )
            campaign_id = conversation.campaign_id if conversation is not None else None
        plan = build_plan(
            request,
            campaign_id=campaign_id or "pending",
            accounts=facts,
            creatives=creatives,
            today=today,
            default_landing_url=landing,
            instruction=state.get("instruction"),
        )
        if campaign_id is None:
            campaign = await repo.create_campaign(
                session=session,
                workspace_id=state["workspace_id"],
                conversation_id=state["conversation_id"],
                name=plan.name,
                objective=request.objective,
                theme=request.theme,
                budget_amount=request.budget.amount if request.budget else None,
                budget_currency=request.budget.currency if request.budget else None,
                budget_period=request.budget.period if request.budget else None,
                start_date=plan.start_date,
                end_date=plan.end_date,
                request=request.contract_dict(),
                requested_by=state.get("requested_by"),
            )
            campaign_id = campaign.id
            await repo.update_conversation(
                session=session, conversation_id=state["conversation_id"], campaign_id=campaign_id
            )
            plan = plan.model_copy(update={"campaign_id": campaign_id})
        digest = plan.plan_hash()
        await repo.update_campaign(
            session=session,
            campaign_id=campaign_id,
            name=plan.name,
            request=request.contract_dict(),
            plan=plan.model_dump(mode="json"),
            plan_hash=digest,
            status="awaiting_approval",
            start_date=plan.start_date,
            end_date=plan.end_date,
            budget_amount=plan.total_budget,
            budget_currency=plan.currency,
            budget_period=plan.budget_period,
        )
        await save_plan_rows(session, plan)
        # The page the user named is the workspace's default from now on: asked once, not on every campaign.
        await remember_landing(session=session, workspace_id=state["workspace_id"], url=request.landing_url,
                               actor=state.get("requested_by"))
    return {
        "campaign_id": campaign_id,
        "plan": plan.model_dump(mode="json"),
        "plan_hash": digest,
        "status": "awaiting_approval",
    }


async def save_plan_rows(session: Any, plan: CampaignPlan) -> None:
    """campaign -> ad sets / ad groups / ad squads -> ads, as rows keyed by the plan's stable keys; what an
    earlier version of the plan had and this one has not (a dropped platform) goes."""
    keys = [k for p in plan.platforms for s in p.ad_sets for k in (s.key, *(ad.key for ad in s.ads))]
    await repo.prune_draft_tree(session=session, campaign_id=plan.campaign_id,
                                platforms=[p.platform for p in plan.platforms], plan_keys=keys)
    for platform_plan in plan.platforms:
        pc = await repo.upsert_platform_campaign(
            session=session,
            campaign_id=plan.campaign_id,
            platform=platform_plan.platform,
            ad_account_id=platform_plan.ad_account_id,
        )
        for ad_set in platform_plan.ad_sets:
            row = await repo.upsert_ad_set(
                session=session,
                platform_campaign_id=pc.id,
                plan_key=ad_set.key,
                name=ad_set.name,
                targeting={
                    "age_min": ad_set.age_min,
                    "age_max": ad_set.age_max,
                    "genders": ad_set.genders,
                    "locations": [loc.model_dump() for loc in ad_set.locations],
                    "languages": ad_set.languages,
                },
                budget_amount=ad_set.budget_amount,
                budget_currency=ad_set.currency,
            )
            for ad in ad_set.ads:
                await repo.upsert_ad(
                    session=session,
                    ad_set_id=row.id,
                    plan_key=ad.key,
                    name=ad.name,
                    language=ad.language,
                    creative_data={
                        "headline": ad.headline,
                        "primary_text": ad.primary_text,
                        "description": ad.description,
                        "cta": ad.cta,
                        "format": ad.format,
                    },
                    media_assets=ad.media_asset_ids,
                )


# Info notes that state an assumption the user should see before approving (not only when a question is asked).
SHOWN_AT_PREVIEW = frozenset({"ages_assumed", "eid_run_up_included", "placements_meta", "placements_tiktok",
                              "placements_snapchat", "chat_objective"})


def plan_lines(plan: CampaignPlan, language: str) -> list[str]:
    """The plan as a readable tree, in the user's language: money, dates, places and formats as people say them."""
    ar = lang_of(language) == "ar"
    total = money_text(plan.total_budget, plan.currency, language)
    start, end = date_text(plan.start_date, language), date_text(plan.end_date, language)
    lines = [
        f"{plan.name}",
        (
            f"الميزانية: {total} ({'يومية' if plan.budget_period == 'daily' else 'إجمالية'})"
            if ar
            else f"Budget: {total} ({plan.budget_period})"
        ),
        (f"المدة: من {start} إلى {end}" if ar else f"Schedule: {start} to {end}"),
        (f"الرابط: {plan.landing_url}" if ar else f"Landing page: {plan.landing_url}"),
    ]
    for p in plan.platforms:
        lines.append(
            f"{platform_name(p.platform, language)}: {p.campaign_name} - {money_text(p.budget_amount, p.currency, language)}"
        )
        where_shown = placement_line(p.placements, p.message_destination)
        if where_shown is not None:
            lines.append(f"  {where_shown.ar if ar else where_shown.en}")
        for s in p.ad_sets:
            audience = audience_text(s.genders, s.age_min or 18, s.age_max, [loc.name for loc in s.locations],
                                     language)
            # A name that already says who (the plan names ad sets after their audience) is not said twice.
            named = audience_text(s.genders, s.age_min, s.age_max, [loc.name for loc in s.locations], language)
            who = "" if audience in s.name or named in s.name else f": {audience}"
            lines.append(f"  - {s.name}{who} - {money_text(s.budget_amount, s.currency, language)}")
            for ad in s.ads:
                shape = f"{format_name(ad.format, language)}، {language_name(ad.language, language)}" if ar else (
                    f"{ad.format}, {ad.language}")
                said = ad.name.endswith(ad_label(ad.format, ad.language, language))
                lines.append(f"      - {ad.name}{'' if said else f' [{shape}]'}: {ad.headline}")
    return lines


async def preview(
    state: CampaignState, runtime: Runtime[AgentContext]
) -> Command[Literal["admin_approval", "validate", "cancelled", "preview"]]:
    ctx = runtime.context
    language = state.get("language", "en")
    plan = CampaignPlan.model_validate(state["plan"])
    key = "message_ar" if lang_of(language) == "ar" else "message_en"
    notes = [*(state.get("adjustments") or []), *(state.get("issues") or [])]
    warnings = list(dict.fromkeys(i[key] for i in notes
                                  if i.get("severity") == "warning" or i.get("code") in SHOWN_AT_PREVIEW))
    request = CampaignRequest.model_validate(state["request"])
    lines = plan_lines(plan, language)
    offer = offer_line(request, language)
    if offer is not None:
        lines.insert(4, offer)  # after the landing page: what the ads promise, before how they are built
    payload = PreviewCampaign(
        language=language,
        message=t("preview", language),
        plan=state["plan"] or {},
        plan_hash=state["plan_hash"] or "",
        lines=lines,
        warnings=warnings,
        notes=plan_notes(plan, request, date.fromisoformat(state["today"]), language, state.get("instruction")),
    )
    decision: PreviewDecision = interrupt(payload.model_dump(mode="json"), response_schema=PreviewDecision)
    if decision.action == "cancel":
        return Command(goto="cancelled")
    if decision.action == "adjust":
        request = CampaignRequest.model_validate(state.get("asked_request") or state["request"])
        request = await asyncio.to_thread(
            merge_reply, request, decision.text, today=date.fromisoformat(state["today"]),
            default_currency=ctx.default_currency,
        )
        return Command(goto="validate", update={"request": request.contract_dict(),
                                                "asked_request": request.contract_dict(), "status": "adjusting"})
    if decision.plan_hash != state.get("plan_hash"):
        return Command(goto="preview")  # approved something else: show the current plan again
    async with ctx.sessions() as session, session.begin():
        await repo.update_campaign(
            session=session,
            campaign_id=plan.campaign_id,
            status="approved",
            approved_by=decision.actor,
            approved_at=ctx.clock(),
        )
        await repo.audit(
            session=session,
            workspace_id=state["workspace_id"],
            actor=decision.actor,
            action="campaign.approved",
            subject_type="campaign",
            subject_id=plan.campaign_id,
            details={"plan_hash": state.get("plan_hash")},
        )
    # Above the workspace's budget ceilings, an admin approves next; within them, publishing starts.
    return Command(goto="admin_approval", update={"plan_approved_by": decision.actor, "status": "approved"})
