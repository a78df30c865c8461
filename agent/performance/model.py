"""The report's values: sums of delivery in one currency, pacing, platforms, ads and the exceptions worth acting on.

Money is a Decimal beside its currency everywhere here; nothing adds amounts of two currencies together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

ResultKind = Literal["conversions", "clicks"]
PacingState = Literal["on_track", "ahead", "behind", "not_started", "unknown"]
AlertKind = Literal["pacing_ahead", "pacing_behind", "over_budget", "spent_before_start", "ctr_collapse",
                    "ad_rejected", "token_trouble"]

HUNDRED = Decimal(100)


def percent_change(current: Decimal, previous: Decimal) -> Decimal | None:
    """How much `current` moved from `previous`, in % (None when there was nothing before to compare with)."""
    if previous == 0:
        return None
    return (current - previous) / previous * HUNDRED


@dataclass(frozen=True)
class Numbers:
    """Delivery summed over some days in one currency (rows of another currency are never added in)."""

    currency: str
    spend: Decimal = Decimal(0)
    impressions: int = 0
    clicks: int = 0
    conversions: int = 0

    def plus(self, spend: Decimal, impressions: int, clicks: int, conversions: int) -> Numbers:
        return Numbers(self.currency, self.spend + spend, self.impressions + impressions, self.clicks + clicks,
                       self.conversions + conversions)

    def results(self, kind: ResultKind) -> int:
        return self.conversions if kind == "conversions" else self.clicks

    def cost_per_result(self, kind: ResultKind) -> Decimal | None:
        results = self.results(kind)
        return self.spend / results if results else None

    @property
    def ctr(self) -> Decimal | None:
        """Clicks per impression, in %."""
        return Decimal(self.clicks) / self.impressions * HUNDRED if self.impressions else None

    @property
    def empty(self) -> bool:
        return not (self.spend or self.impressions or self.clicks or self.conversions)


def result_kind(*periods: Numbers | None) -> ResultKind:
    """Conversions when any were counted, else clicks: one kind for every period compared."""
    return "conversions" if any(p is not None and p.conversions for p in periods) else "clicks"


@dataclass(frozen=True)
class DayPoint:
    """One platform's delivery on one day (the chart's bars, the contract's `days`)."""

    day: date
    numbers: Numbers


@dataclass(frozen=True)
class Pacing:
    """Spend so far against what the budget and schedule expect by now, in the budget's currency."""

    period: str  # "daily" or "lifetime"
    budget: Decimal
    currency: str
    expected: Decimal  # what the schedule expects spent by now
    spent: Decimal  # spent so far in the budget's currency
    state: PacingState
    off_pct: Decimal | None  # (spent - expected) / expected, in %
    daily_pace: Decimal | None  # spend per day the budget allows (the chart's pace line)
    elapsed_days: Decimal  # days of the schedule gone by (fractional: today counts as far as it went)
    total_days: int | None  # days in the schedule (None: open-ended)
    other_currencies: dict[str, Decimal] = field(default_factory=dict)  # spend not counted: another currency


@dataclass(frozen=True)
class PlatformPerformance:
    platform: str
    status: str  # the platform campaign's status (active, paused, ...)
    currency: str
    total: Numbers  # every stored day
    current: Numbers  # the report's window
    previous: Numbers | None  # the window of equal length before it (None: the campaign had not started)
    kind: ResultKind
    days: list[DayPoint]

    @property
    def results_change_pct(self) -> Decimal | None:
        if self.previous is None:
            return None
        return percent_change(Decimal(self.current.results(self.kind)), Decimal(self.previous.results(self.kind)))

    @property
    def cost_change_pct(self) -> Decimal | None:
        if self.previous is None:
            return None
        now, before = self.current.cost_per_result(self.kind), self.previous.cost_per_result(self.kind)
        if now is None or before is None:
            return None
        return percent_change(now, before)


@dataclass(frozen=True)
class AdPerformance:
    platform: str
    external_id: str
    name: str
    language: str | None
    numbers: Numbers  # the report's window
    kind: ResultKind

    @property
    def cost_per_result(self) -> Decimal | None:
        return self.numbers.cost_per_result(self.kind)


@dataclass(frozen=True)
class Alert:
    """An exception worth acting on; `values` fill its sentence (agent/performance/texts.py)."""

    kind: AlertKind
    platform: str | None = None
    values: dict[str, str | Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class CampaignReport:
    campaign_id: str
    name: str
    status: str
    currency: str  # the budget's currency (the workspace's when the campaign has no budget)
    budget: Decimal | None
    budget_period: str | None
    start_date: date | None
    end_date: date | None
    today: date  # in the workspace's time zone
    window: tuple[date, date]  # the report's period, both days included
    previous_window: tuple[date, date]
    spend_to_date: dict[str, Decimal]  # per currency
    pacing: Pacing | None
    platforms: list[PlatformPerformance]
    best_ad: AdPerformance | None
    worst_ad: AdPerformance | None
    alerts: list[Alert]

    @property
    def has_delivery(self) -> bool:
        return any(not p.total.empty for p in self.platforms)

    def window_spend(self) -> dict[str, Decimal]:
        """Spend in the report's window, per currency."""
        out: dict[str, Decimal] = {}
        for p in self.platforms:
            out[p.current.currency] = out.get(p.current.currency, Decimal(0)) + p.current.spend
        return out
