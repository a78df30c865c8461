"""The shape of one platform's rules: budgets, ages, locations, copy limits, objectives, categories."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

# (age_min, age_max) as asked -> (age_min, age_max) the platform will actually target; None = no bound.
AgeExpressor = Callable[[int | None, int | None], tuple[int | None, int | None]]
# (currency, objective) -> minimum daily budget of ONE ad set / ad group / ad squad, or None if unknown.
MinimumRule = Callable[[str, str | None], Decimal | None]


@dataclass(frozen=True)
class PlatformRules:
    platform: str
    name_en: str
    name_ar: str
    ad_set_en: str  # what the platform calls the level under the campaign
    ad_set_ar: str
    ad_set_min_daily: MinimumRule
    # Lifetime ad set minimum = daily minimum x scheduled days (true on all three; kept as data anyway).
    lifetime_min_is_daily_times_days: bool
    # Campaign-level minimum (currency, period) -> amount; applies where the campaign itself carries a budget.
    campaign_min: Callable[[str, str], Decimal | None]
    express_ages: AgeExpressor
    age_floor: int
    location_kinds: frozenset[str]  # which Location.kind values it can target directly
    untargetable_countries: frozenset[str]
    copy_limits: Mapping[str, int]  # field -> max characters
    objectives: Mapping[str, str]  # our objective -> the platform's enum
    special_categories: Mapping[str, str]  # our special ad category -> the platform's declaration
    image_in_feed: bool = True  # False: the main feed takes video only
    notes: tuple[str, ...] = field(default=())
