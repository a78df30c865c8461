"""Campaigns and their platform tree: a platform campaign per platform, its ad sets and their ads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.models import BUDGET_PERIODS, CAMPAIGN_STATUSES, PLATFORMS, Ad, AdSet, Campaign, PlatformCampaign
from store.repositories._common import (
    as_money,
    check_choice,
    currency_code,
    first_row,
    require_row,
    set_fields,
)


async def create_campaign(
    *,
    session: AsyncSession,
    workspace_id: str,
    conversation_id: str | None,
    name: str,
    objective: str | None,
    theme: str | None,
    budget_amount: Decimal | None,
    budget_currency: str | None,
    budget_period: str | None,
    start_date: date | None,
    end_date: date | None,
    request: dict[str, Any],
    requested_by: str | None,
) -> Campaign:
    check_choice(budget_period, BUDGET_PERIODS, "budget period")
    campaign = Campaign(
        workspace_id=workspace_id,
        conversation_id=conversation_id,
        name=name,
        objective=objective,
        theme=theme,
        status="draft",
        budget_amount=as_money(budget_amount),
        budget_currency=currency_code(budget_currency) if budget_currency else None,
        budget_period=budget_period,
        start_date=start_date,
        end_date=end_date,
        request=request,
        requested_by=requested_by,
    )
    session.add(campaign)
    await session.flush()
    return campaign


async def get_campaign(*, session: AsyncSession, campaign_id: str) -> Campaign | None:
    return await session.get(Campaign, campaign_id)


async def update_campaign(*, session: AsyncSession, campaign_id: str, **fields: Any) -> Campaign:
    check_choice(fields.get("status"), CAMPAIGN_STATUSES, "campaign status")
    check_choice(fields.get("budget_period"), BUDGET_PERIODS, "budget period")
    if "budget_amount" in fields:
        fields["budget_amount"] = as_money(fields["budget_amount"])
    if fields.get("budget_currency"):
        fields["budget_currency"] = currency_code(fields["budget_currency"])
    campaign = await require_row(session, Campaign, campaign_id)
    set_fields(campaign, fields, frozen=("id", "workspace_id", "created_at"))
    await session.flush()
    return campaign


async def list_campaigns(
    *, session: AsyncSession, workspace_id: str, statuses: Iterable[str] | None = None, limit: int = 50
) -> list[Campaign]:
    stmt = select(Campaign).where(Campaign.workspace_id == workspace_id)
    if statuses is not None:
        stmt = stmt.where(Campaign.status.in_(list(statuses)))
    stmt = stmt.order_by(Campaign.created_at.desc(), Campaign.id).limit(limit)
    return list(await session.scalars(stmt))


async def tracked_platform_campaigns(
    *, session: AsyncSession, statuses: Iterable[str], after: str | None = None, limit: int = 500,
    with_tree: bool = False,
) -> list[tuple[PlatformCampaign, Campaign]]:
    """Platform campaigns that exist on their platform (an external id and an ad account), of campaigns of every
    workspace in `statuses`, with their campaign: `limit` at a time in platform-campaign id order after `after`,
    so a caller pages through them all. `with_tree` loads each one's ad sets and their ads too."""
    stmt = (
        select(PlatformCampaign, Campaign)
        .join(Campaign, Campaign.id == PlatformCampaign.campaign_id)
        .where(
            Campaign.status.in_(list(statuses)),
            PlatformCampaign.external_campaign_id.is_not(None),
            PlatformCampaign.ad_account_id.is_not(None),
        )
        .order_by(PlatformCampaign.id)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(PlatformCampaign.id > after)
    if with_tree:
        stmt = stmt.options(selectinload(PlatformCampaign.ad_sets).selectinload(AdSet.ads))
    result = await session.execute(stmt.execution_options(populate_existing=True))
    return [(pc, campaign) for pc, campaign in result.all()]


async def campaigns_in_status(*, session: AsyncSession, statuses: Iterable[str]) -> list[Campaign]:
    """Campaigns of every workspace in these statuses, oldest first (recovery after a restart)."""
    stmt = select(Campaign).where(Campaign.status.in_(list(statuses))).order_by(Campaign.created_at)
    return list(await session.scalars(stmt))


async def upsert_platform_campaign(
    *,
    session: AsyncSession,
    campaign_id: str,
    platform: str,
    ad_account_id: str | None,
    external_campaign_id: str | None = None,
    status: str | None = None,
) -> PlatformCampaign:
    check_choice(platform, PLATFORMS, "platform")
    row = await first_row(
        session,
        select(PlatformCampaign).where(
            PlatformCampaign.campaign_id == campaign_id, PlatformCampaign.platform == platform
        ),
    )
    if row is None:
        row = PlatformCampaign(campaign_id=campaign_id, platform=platform, status=status or "draft")
        session.add(row)
    row.ad_account_id = ad_account_id
    if external_campaign_id is not None:
        row.external_campaign_id = external_campaign_id
    if status is not None:
        row.status = status
    await session.flush()
    return row


async def upsert_ad_set(
    *,
    session: AsyncSession,
    platform_campaign_id: str,
    plan_key: str,
    name: str,
    targeting: dict[str, Any],
    budget_amount: Decimal | None,
    budget_currency: str | None,
    external_id: str | None = None,
    status: str | None = None,
) -> AdSet:
    row = await first_row(
        session,
        select(AdSet).where(AdSet.platform_campaign_id == platform_campaign_id, AdSet.plan_key == plan_key),
    )
    if row is None:
        row = AdSet(platform_campaign_id=platform_campaign_id, plan_key=plan_key, status=status or "draft")
        session.add(row)
    row.name = name
    row.targeting = targeting
    row.budget_amount = as_money(budget_amount)
    row.budget_currency = currency_code(budget_currency) if budget_currency else None
    if external_id is not None:
        row.external_id = external_id
    if status is not None:
        row.status = status
    await session.flush()
    return row


async def upsert_ad(
    *,
    session: AsyncSession,
    ad_set_id: str,
    plan_key: str,
    name: str,
    language: str | None,
    creative_data: dict[str, Any],
    media_assets: Sequence[str],
    external_id: str | None = None,
    external_creative_id: str | None = None,
    status: str | None = None,
) -> Ad:
    row = await first_row(session, select(Ad).where(Ad.ad_set_id == ad_set_id, Ad.plan_key == plan_key))
    if row is None:
        row = Ad(ad_set_id=ad_set_id, plan_key=plan_key, status=status or "draft")
        session.add(row)
    row.name = name
    row.language = language
    row.creative_data = creative_data
    row.media_assets = list(media_assets)
    if external_id is not None:
        row.external_id = external_id
    if external_creative_id is not None:
        row.external_creative_id = external_creative_id
    if status is not None:
        row.status = status
    await session.flush()
    return row


async def campaign_tree(*, session: AsyncSession, campaign_id: str) -> list[PlatformCampaign]:
    """Platform campaigns of a campaign with .ad_sets and their .ads loaded (the only way to reach them)."""
    stmt = (
        select(PlatformCampaign)
        .where(PlatformCampaign.campaign_id == campaign_id)
        .options(selectinload(PlatformCampaign.ad_sets).selectinload(AdSet.ads))
        .order_by(PlatformCampaign.platform)
        .execution_options(populate_existing=True)
    )
    return list(await session.scalars(stmt))


async def prune_draft_tree(
    *, session: AsyncSession, campaign_id: str, platforms: Iterable[str], plan_keys: Iterable[str]
) -> int:
    """Remove the never-published rows a re-built plan no longer has (a dropped platform, an ad set or an ad
    fewer): only its own `platforms` and `plan_keys` (ad sets' and ads') stay. Rows with an external id exist
    on a platform and are kept. Returns how many rows went."""
    keep_platforms, keep_keys = set(platforms), set(plan_keys)
    removed = 0
    for pc in await campaign_tree(session=session, campaign_id=campaign_id):
        dropped_platform = pc.platform not in keep_platforms
        for ad_set in pc.ad_sets:
            dropped_set = dropped_platform or ad_set.plan_key not in keep_keys
            for ad in ad_set.ads:
                if (dropped_set or ad.plan_key not in keep_keys) and ad.external_id is None:
                    await session.delete(ad)
                    removed += 1
            if dropped_set and ad_set.external_id is None and all(a.external_id is None for a in ad_set.ads):
                await session.delete(ad_set)
                removed += 1
        published = pc.external_campaign_id is not None or any(
            s.external_id is not None or any(a.external_id is not None for a in s.ads) for s in pc.ad_sets)
        if dropped_platform and not published:
            await session.delete(pc)
            removed += 1
    await session.flush()
    return removed
