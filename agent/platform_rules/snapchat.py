"""Snapchat rules: ad squad minimums, ages, locations (cities widen to regions), copy limits, objectives."""

from __future__ import annotations

from decimal import Decimal

from agent.platform_rules.base import PlatformRules
from agent.platform_rules.currency import quantum

# Sources (shared/reference/ad-platform-apis.md, section 3.3):
# - Ad squad: daily_budget_micro or lifetime_budget_micro; daily minimum 5,000,000 micro "in every
#   currency", i.e. 5.00 of the account currency, no conversion needed [doc ad-squads]. Lifetime budgets:
#   we apply 5 x scheduled days, like the other two platforms [unconfirmed for Snapchat].
# - A campaign-level daily budget is an optional spend cap; one third-party note gives it a $20 minimum
#   [3p], so ADLY leaves the campaign uncapped and no campaign minimum binds.
AD_SQUAD_MIN_DAILY_UNITS = Decimal("5")

# Demographics take min_age/max_age [ref 3.3, value formats unconfirmed]; Ads Manager offers single years
# 13-49 and an open "50+" [unconfirmed], so any upper bound of 50 or more becomes "50 and over".
OPEN_AGE_FROM = 50

# Riyadh is reached as a region (Riyadh Province); city targeting in SA is unconfirmed [ref 3.8]. So a
# city widens to the region (governorate, emirate) that holds it, or to its country when not listed here.
CITY_REGIONS: dict[tuple[str, str], str] = {
    ("Riyadh", "SA"): "Riyadh Province",
    ("Jeddah", "SA"): "Makkah Province",
    ("Mecca", "SA"): "Makkah Province",
    ("Taif", "SA"): "Makkah Province",
    ("Medina", "SA"): "Madinah Province",
    ("Yanbu", "SA"): "Madinah Province",
    ("AlUla", "SA"): "Madinah Province",
    ("Dammam", "SA"): "Eastern Province",
    ("Khobar", "SA"): "Eastern Province",
    ("Dhahran", "SA"): "Eastern Province",
    ("Jubail", "SA"): "Eastern Province",
    ("Al Ahsa", "SA"): "Eastern Province",
    ("Al Khafji", "SA"): "Eastern Province",
    ("Abha", "SA"): "Asir",
    ("Khamis Mushait", "SA"): "Asir",
    ("Buraidah", "SA"): "Qassim",
    ("Tabuk", "SA"): "Tabuk Province",
    ("Hail", "SA"): "Ha'il Province",
    ("Jazan", "SA"): "Jazan Province",
    ("Najran", "SA"): "Najran Province",
    ("Dubai", "AE"): "Dubai",
    ("Abu Dhabi", "AE"): "Abu Dhabi",
    ("Al Ain", "AE"): "Abu Dhabi",
    ("Sharjah", "AE"): "Sharjah",
    ("Ajman", "AE"): "Ajman",
    ("Ras Al Khaimah", "AE"): "Ras Al Khaimah",
    ("Fujairah", "AE"): "Fujairah",
    ("Umm Al Quwain", "AE"): "Umm Al Quwain",
    ("Kuwait City", "KW"): "Al Asimah",
    ("Hawalli", "KW"): "Hawalli",
    ("Salmiya", "KW"): "Hawalli",
    ("Jahra", "KW"): "Al Jahra",
    ("Farwaniya", "KW"): "Al Farwaniyah",
    ("Doha", "QA"): "Ad Dawhah",
    ("Al Wakrah", "QA"): "Al Wakrah",
    ("Al Rayyan", "QA"): "Al Rayyan",
    ("Lusail", "QA"): "Al Daayen",
    ("Manama", "BH"): "Capital Governorate",
    ("Muharraq", "BH"): "Muharraq Governorate",
    ("Muscat", "OM"): "Muscat Governorate",
    ("Cairo", "EG"): "Cairo Governorate",
    ("Alexandria", "EG"): "Alexandria Governorate",
    ("Giza", "EG"): "Giza Governorate",
    ("Amman", "JO"): "Amman Governorate",
}


def ad_set_min_daily(currency: str, objective: str | None) -> Decimal | None:
    return AD_SQUAD_MIN_DAILY_UNITS.quantize(quantum(currency))


def campaign_min(currency: str, period: str) -> Decimal | None:
    return None


def express_ages(age_min: int | None, age_max: int | None) -> tuple[int | None, int | None]:
    lo = None if age_min is None else max(13, age_min)
    hi = None if age_max is None or age_max >= OPEN_AGE_FROM else age_max
    return lo, hi


RULES = PlatformRules(
    platform="snapchat",
    name_en="Snapchat",
    name_ar="سناب شات",
    ad_set_en="ad squad",
    ad_set_ar="المجموعة الإعلانية",
    ad_set_min_daily=ad_set_min_daily,
    lifetime_min_is_daily_times_days=True,
    campaign_min=campaign_min,
    express_ages=express_ages,
    age_floor=13,
    # geos: country_code plus region_id / metro_id / postal_code [ref 3.3 targeting, 3.8].
    location_kinds=frozenset({"country", "region"}),
    untargetable_countries=frozenset({"SY", "IR", "KP", "CU"}),  # [unconfirmed: sanctions]
    # creative headline <= 34, brand_name <= 32 [ref 3.3 Creative].
    copy_limits={"headline": 34, "brand_name": 32},
    # objective_v2_type [ref 3.3, values unconfirmed].
    objectives={
        "sales": "SALES",
        "traffic": "TRAFFIC",
        "awareness": "AWARENESS_AND_ENGAGEMENT",
        "engagement": "AWARENESS_AND_ENGAGEMENT",
        "leads": "LEADS",
        "app_installs": "APP_PROMOTION",
        "video_views": "AWARENESS_AND_ENGAGEMENT",
    },
    # campaign `regulations.restricted_delivery_signals` for housing, credit and employment [ref 3.3].
    special_categories={
        "housing": "restricted_delivery_signals",
        "employment": "restricted_delivery_signals",
        "credit": "restricted_delivery_signals",
    },
)
