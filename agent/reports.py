"""Read models: what exists for a campaign (platforms, external ids, assets), from the store, for any front door."""

from __future__ import annotations

from typing import Any

from agent.context import AgentContext
from store import repositories as repo


async def campaign_summary(ctx: AgentContext, conversation_id: str) -> dict[str, Any]:
    """The `adly demo --json` summary: campaign, per-platform external ids, and the assets used."""
    async with ctx.reads()() as session:
        conversation = await repo.get_conversation(session=session, conversation_id=conversation_id)
        campaign = None
        if conversation is not None and conversation.campaign_id:
            campaign = await repo.get_campaign(session=session, campaign_id=conversation.campaign_id)
        platforms: list[dict[str, Any]] = []
        used_assets: list[str] = []
        if campaign is not None:
            for pc in await repo.campaign_tree(session=session, campaign_id=campaign.id):
                ad_sets, ads = [], []
                for ad_set in sorted(pc.ad_sets, key=lambda s: s.plan_key):
                    ad_sets.append(
                        {
                            "key": ad_set.plan_key,
                            "name": ad_set.name,
                            "external_id": ad_set.external_id,
                            "status": ad_set.status,
                            "targeting": ad_set.targeting,
                            "budget": {
                                "amount": str(ad_set.budget_amount),
                                "currency": ad_set.budget_currency,
                            },
                        }
                    )
                    for ad in sorted(ad_set.ads, key=lambda a: a.plan_key):
                        ads.append(
                            {
                                "key": ad.plan_key,
                                "name": ad.name,
                                "external_id": ad.external_id,
                                "status": ad.status,
                                "language": ad.language,
                                "ad_set": ad_set.plan_key,
                                "assets": list(ad.media_assets or []),
                            }
                        )
                        used_assets.extend(ad.media_assets or [])
                platforms.append(
                    {
                        "platform": pc.platform,
                        "external_campaign_id": pc.external_campaign_id,
                        "status": pc.status,
                        "ad_sets": ad_sets,
                        "ads": ads,
                    }
                )
        asset_rows = []
        if conversation is not None:
            asset_rows = await repo.list_conversation_assets(
                session=session, conversation_id=conversation.id, status="approved"
            )
    requested = {p["platform"] for p in platforms}
    live = bool(platforms) and all(p["status"] == "active" and p["external_campaign_id"] for p in platforms)
    status = (
        "live"
        if live and campaign is not None and campaign.status == "live"
        else (campaign.status if campaign is not None else "draft")
    )
    return {
        "campaign_id": campaign.id if campaign is not None else None,
        "name": campaign.name if campaign is not None else None,
        "status": status,
        "platforms": platforms,
        "assets": [
            {
                "id": a.id,
                "kind": a.kind,
                "language": a.language,
                "provider": a.provider,
                "mime": a.mime,
                "path": str(ctx.asset_dir / a.file_path) if a.file_path else None,
                "width": a.width,
                "height": a.height,
                "duration_s": a.duration_s,
                "text": a.text,
                "used_by_ads": a.id in used_assets,
            }
            for a in asset_rows
        ],
        "requested_platforms": sorted(requested),
    }
