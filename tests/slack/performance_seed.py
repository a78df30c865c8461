"""Performance rows written straight into the store for a live campaign (our own store: no platform is faked)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from slack_harness import Slack

from store import repositories as repo


async def seed_performance(slack: Slack, campaign_id: str, last: date, *, days: int = 6) -> Any:
    """Campaign rows on each of the campaign's platforms for `days` days up to `last`, and ad rows on its first
    platform (so the report names a best and a weakest ad). Returns the campaign."""
    async with slack.services.sessions() as session, session.begin():
        tree = await repo.campaign_tree(session=session, campaign_id=campaign_id)
        for n in range(days):
            day = last - timedelta(days=n)
            for k, pc in enumerate(tree):
                await repo.upsert_snapshot(
                    session=session, campaign_id=campaign_id, platform=pc.platform, level="campaign",
                    external_object_id=pc.external_campaign_id, day=day, impressions=12_000 - 1000 * k,
                    clicks=240 - 40 * k, spend=Decimal("180.50") - 40 * k, currency="SAR", conversions=12 - 3 * k)
            ads = [ad for ad_set in tree[0].ad_sets for ad in ad_set.ads if ad.external_id][:2]
            for k, ad in enumerate(ads):
                await repo.upsert_snapshot(
                    session=session, campaign_id=campaign_id, platform=tree[0].platform, level="ad",
                    external_object_id=ad.external_id, day=day, impressions=6000, clicks=120 - 60 * k,
                    spend=Decimal("90.25"), currency="SAR", conversions=8 - 6 * k)
        return await repo.get_campaign(session=session, campaign_id=campaign_id)
