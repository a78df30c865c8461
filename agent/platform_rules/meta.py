"""Meta (Facebook/Instagram) rules: budget minimums, ages, locations, copy limits, objectives."""

from __future__ import annotations

from decimal import Decimal

from agent.platform_rules.base import PlatformRules
from agent.platform_rules.currency import USD_PEGS, usd_minimum_in

# Sources (see shared/reference/ad-platform-apis.md, section 1):
# - Budgets live on ad sets in minor units of the account currency; the account's own `min_daily_budget`
#   and GET /act_{id}/minimum_budgets are authoritative [ref 1.3 "Currency and minimums", doc
#   minimum-budget]. Before an account is connected we use Meta's Business Help Center "About minimum
#   budgets" table, which is in USD only ("convert them to your currency"):
#     USD, AUD, CAD, SGD, JPY, NZD, TWD, EUR, CHF, SEK, HKD, GBP, ILS, NOK, KRW, DKK:
#       impressions $1/day, clicks/likes/video views/post engagement $5/day, low-frequency events $40/day;
#     every other currency (SAR, AED, KWD, QAR, BHD, OMR, JOD, EGP...): $0.50, $2.50 and $20 a day.
#   Minimums are daily amounts that apply to lifetime budgets too (x scheduled days).
# - The billing event is chosen by the publisher, not the marketer, so we use the clicks tier for every
#   objective (conservative: it is the higher of the two tiers ODAX objectives bill on) and the
#   low-frequency tier for app installs.
# - Converted from USD with the fixed GCC pegs in currency.py, rounded up to the minor unit.
USD_TIER_CURRENCIES = frozenset(
    {
        "USD",
        "AUD",
        "CAD",
        "SGD",
        "JPY",
        "NZD",
        "TWD",
        "EUR",
        "CHF",
        "SEK",
        "HKD",
        "GBP",
        "ILS",
        "NOK",
        "KRW",
        "DKK",
    }
)
MIN_DAILY_USD_TIER = {"impressions": Decimal("1"), "clicks": Decimal("5"), "low_frequency": Decimal("40")}
MIN_DAILY_OTHER_TIER = {
    "impressions": Decimal("0.50"),
    "clicks": Decimal("2.50"),
    "low_frequency": Decimal("20"),
}
LOW_FREQUENCY_OBJECTIVES = frozenset({"app_installs"})

# With a special ad category declared, Meta fixes age at 18-65+ and allows no gender targeting
# [doc special ad categories; enforced in the US and EU and, since 2023, more widely: unconfirmed per
# country].
SPECIAL_CATEGORY_AGE_MIN = 18


def ad_set_min_daily(currency: str, objective: str | None) -> Decimal | None:
    # The USD tier for every currency: the help centre's lower figures for "other" currencies are not what
    # every account enforces (the sandbox and the accounts we model use the USD tier at the peg), and a
    # check that passes here but fails at publish is worse than one that asks for a little more.
    tier = "low_frequency" if objective in LOW_FREQUENCY_OBJECTIVES else "clicks"
    table = MIN_DAILY_USD_TIER
    if currency not in USD_PEGS:
        return None
    return usd_minimum_in(table[tier], currency)


def campaign_min(currency: str, period: str) -> Decimal | None:
    # ADLY puts budgets on ad sets (no Advantage campaign budget), so no campaign-level minimum binds.
    return None


def express_ages(age_min: int | None, age_max: int | None) -> tuple[int | None, int | None]:
    # targeting.age_min/age_max take any whole year from 13 to 65, where 65 means "65 and over"
    # [ref 1.3 targeting spec; range unconfirmed there, widely used].
    lo = None if age_min is None else max(13, min(age_min, 65))
    hi = None if age_max is None or age_max >= 65 else max(13, age_max)
    return lo, hi


RULES = PlatformRules(
    platform="meta",
    name_en="Meta",
    name_ar="ميتا (فيسبوك وإنستغرام)",
    ad_set_en="ad set",
    ad_set_ar="المجموعة الإعلانية",
    ad_set_min_daily=ad_set_min_daily,
    lifetime_min_is_daily_times_days=True,
    campaign_min=campaign_min,
    express_ages=express_ages,
    age_floor=13,
    # geo_locations takes countries, regions and cities (with a radius) [ref 1.3 targeting spec, 1.8].
    location_kinds=frozenset({"country", "region", "city"}),
    # Countries under comprehensive US sanctions cannot be targeted [unconfirmed: Meta advertising policies].
    untargetable_countries=frozenset({"SY", "IR", "KP", "CU"}),
    # Meta's ads guide recommends these lengths before text is cut off in feeds; the API accepts more
    # [unconfirmed numbers: Meta ads guide], so exceeding them is a warning, not an error.
    copy_limits={"headline": 40, "primary_text": 125, "description": 30},
    # ODAX objectives [ref 1.3 Campaign `objective` enum, SDK]; video views live under engagement.
    objectives={
        "sales": "OUTCOME_SALES",
        "traffic": "OUTCOME_TRAFFIC",
        "awareness": "OUTCOME_AWARENESS",
        "engagement": "OUTCOME_ENGAGEMENT",
        "leads": "OUTCOME_LEADS",
        "app_installs": "OUTCOME_APP_PROMOTION",
        "video_views": "OUTCOME_ENGAGEMENT",
    },
    # `special_ad_categories` is required on every campaign ([] when none) [ref 1.3, doc ad-campaign-group].
    special_categories={"housing": "HOUSING", "employment": "EMPLOYMENT", "credit": "CREDIT"},
)
