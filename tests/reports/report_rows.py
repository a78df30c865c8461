"""Rows of a campaign as the store holds them (unsaved ORM objects): the report's pure functions take them as they are."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from store.models import Ad, AdAccount, AdSet, Campaign, PerformanceSnapshot, PlatformCampaign


def campaign(*, period: str = "lifetime", budget: str = "3000", currency: str = "SAR", start: date = date(2027, 2, 8),
             end: date | None = date(2027, 2, 17), status: str = "live") -> Campaign:
    return Campaign(id="c1", workspace_id="w1", name="Ramadan Sale 2027", status=status,
                    budget_amount=Decimal(budget), budget_currency=currency, budget_period=period, start_date=start,
                    end_date=end, theme="ramadan")


def tree(platforms: tuple[str, ...] = ("meta", "tiktok"), *, rejected: tuple[str, ...] = ()) -> list[PlatformCampaign]:
    out = []
    for platform in platforms:
        pc = PlatformCampaign(platform=platform, status="active", external_campaign_id=f"{platform}-c",
                              ad_account_id=f"acc-{platform}")
        ad_set = AdSet(plan_key="s1", name="Riyadh women", status="active", external_id=f"{platform}-s")
        ad_set.ads = [Ad(plan_key=f"a{i}", name=f"{platform} ad {i}", language="ar", external_id=f"{platform}-ad{i}",
                         status="rejected" if f"{platform}-ad{i}" in rejected else "active") for i in range(2)]
        pc.ad_sets = [ad_set]
        out.append(pc)
    return out


def accounts(**statuses: str) -> dict[str, AdAccount]:
    return {f"acc-{p}": AdAccount(id=f"acc-{p}", platform=p, status=statuses.get(p, "active"), name=f"{p} account",
                                  external_account_id=f"{p}-1") for p in ("meta", "tiktok", "snapchat")}


def row(platform: str, day: date, *, spend: str, impressions: int = 10_000, clicks: int = 150, conversions: int = 0,
        currency: str = "SAR", level: str = "campaign", object_id: str | None = None) -> PerformanceSnapshot:
    return PerformanceSnapshot(campaign_id="c1", platform=platform, level=level,
                               external_object_id=object_id or f"{platform}-c", day=day, impressions=impressions,
                               clicks=clicks, spend=Decimal(spend), currency=currency, conversions=conversions,
                               video_views=0)


def daily_rows(platform: str, first: date, days: int, **values: object) -> list[PerformanceSnapshot]:
    return [row(platform, first + timedelta(days=n), **values) for n in range(days)]  # type: ignore[arg-type]
