"""TikTok rules: ad group minimums, age groups, locations, copy limits, objectives."""

from __future__ import annotations

from decimal import Decimal

from agent.platform_rules.base import PlatformRules
from agent.platform_rules.currency import usd_minimum_in

# Sources (shared/reference/ad-platform-apis.md, section 2.3 "Currency and minimums", from TikTok's help
# centre article "About budgets", ads.tiktok.com/help/article/budget, updated Aug 2025):
# - campaign level: daily and lifetime budgets above $50;
# - ad group level: daily budget above $20; lifetime minimum = $20 x scheduled days.
# The figures are USD equivalents; the per-currency table (API doc id 1737585839634433) is not in our
# reference, so we convert with the fixed GCC pegs in currency.py and round up (e.g. $20 = 75.00 SAR,
# 73.45 AED, 6.140 KWD). Budgets are floats in the advertiser's currency [ref 2.3].
AD_GROUP_MIN_DAILY_USD = Decimal("20")
CAMPAIGN_MIN_USD = Decimal("50")  # daily or lifetime, flat (not x days)

# age_groups enum [ref 2.3 Ad group targeting]; AGE_13_17 is restricted in some regions.
AGE_GROUPS: tuple[tuple[str, int, int | None], ...] = (
    ("AGE_13_17", 13, 17),
    ("AGE_18_24", 18, 24),
    ("AGE_25_34", 25, 34),
    ("AGE_35_44", 35, 44),
    ("AGE_45_54", 45, 54),
    ("AGE_55_100", 55, None),
)


def ad_set_min_daily(currency: str, objective: str | None) -> Decimal | None:
    return usd_minimum_in(AD_GROUP_MIN_DAILY_USD, currency)


def campaign_min(currency: str, period: str) -> Decimal | None:
    return usd_minimum_in(CAMPAIGN_MIN_USD, currency)


def age_groups_for(age_min: int | None, age_max: int | None) -> list[str]:
    """The age groups covering [age_min, age_max]; [] means all ages (no age targeting)."""
    if age_min is None and age_max is None:
        return []
    lo = age_min if age_min is not None else 18
    hi = age_max if age_max is not None else 200
    return [name for name, g_lo, g_hi in AGE_GROUPS if g_lo <= hi and (g_hi is None or g_hi >= lo)]


def express_ages(age_min: int | None, age_max: int | None) -> tuple[int | None, int | None]:
    # Only whole groups can be targeted, so a range widens to the groups it touches: 25-40 -> 25-44.
    groups = age_groups_for(age_min, age_max)
    if not groups:
        return None, None
    bounds = {name: (g_lo, g_hi) for name, g_lo, g_hi in AGE_GROUPS}
    return bounds[groups[0]][0], bounds[groups[-1]][1]


RULES = PlatformRules(
    platform="tiktok",
    name_en="TikTok",
    name_ar="تيك توك",
    ad_set_en="ad group",
    ad_set_ar="المجموعة الإعلانية",
    ad_set_min_daily=ad_set_min_daily,
    lifetime_min_is_daily_times_days=True,
    campaign_min=campaign_min,
    express_ages=express_ages,
    age_floor=13,
    # /tool/region/ levels COUNTRY, PROVINCE, CITY (DISTRICT too) [ref 2.8].
    location_kinds=frozenset({"country", "region", "city"}),
    untargetable_countries=frozenset({"SY", "IR", "KP", "CU"}),  # [unconfirmed: sanctions]
    # ad_text 1-100 characters, no emoji; display_name 1-40 [ref 2.3 Ad].
    copy_limits={"primary_text": 100, "display_name": 40},
    # objective_type [ref 2.3 Campaign]; "sales" is website conversions, not catalogue PRODUCT_SALES.
    objectives={
        "sales": "WEB_CONVERSIONS",
        "traffic": "TRAFFIC",
        "awareness": "REACH",
        "engagement": "ENGAGEMENT",
        "leads": "LEAD_GENERATION",
        "app_installs": "APP_PROMOTION",
        "video_views": "VIDEO_VIEWS",
    },
    # campaign `special_industries` [ref 2.3 Campaign].
    special_categories={"housing": "HOUSING", "employment": "EMPLOYMENT", "credit": "CREDIT"},
    image_in_feed=False,  # in-feed ads on TikTok must be SINGLE_VIDEO [ref 2.3 Ad]
)


def inner_age_range(age_min: int | None, age_max: int | None) -> tuple[int, int | None] | None:
    """The widest run of whole groups inside [age_min, age_max] (25-40 -> 25-34); None if no group fits."""
    lo = age_min if age_min is not None else 13
    hi = 200 if age_max is None or age_max >= 65 else age_max  # 65 is the contract's "65 and over"
    inside = [(g_lo, g_hi) for _, g_lo, g_hi in AGE_GROUPS if g_lo >= lo and (g_hi or 200) <= hi]
    if not inside:
        return None
    return inside[0][0], inside[-1][1]
