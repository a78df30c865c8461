"""Pacing: how much the schedule and budget expect spent by a moment, and whether spend is on track, ahead or behind."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from agent.performance.model import HUNDRED, Pacing, PacingState

# Within this much of the expected spend a campaign is "on track"; beyond ALERT_PCT it is an exception.
ON_TRACK_PCT = Decimal(5)
ALERT_PCT = Decimal(15)
_DAY_SECONDS = Decimal(86400)


def elapsed_days(start: date, end: date | None, at: datetime) -> Decimal:
    """Days of the schedule gone by at `at` (aware, in the workspace's time zone), counting the current day as
    far as it has gone; 0 before the start, the whole schedule after its end."""
    opening = datetime.combine(start, time(0), tzinfo=at.tzinfo)
    gone = Decimal(max(0, int((at - opening).total_seconds()))) / _DAY_SECONDS
    if end is not None:
        gone = min(gone, Decimal((end - start).days + 1))
    return gone.quantize(Decimal("0.0001"))


def pacing_state(off_pct: Decimal | None) -> PacingState:
    if off_pct is None:
        return "unknown"
    if off_pct > ON_TRACK_PCT:
        return "ahead"
    if off_pct < -ON_TRACK_PCT:
        return "behind"
    return "on_track"


def measure_pacing(
    *,
    period: str,
    budget: Decimal,
    currency: str,
    start: date,
    end: date | None,
    at: datetime,
    spent: Mapping[str, Decimal],
) -> Pacing:
    """Pacing of a budget (`period` daily or lifetime) from `start` to `end` as measured at `at`.

    Daily: the budget each day gone by. Lifetime: an even share of the budget per day of the schedule (an
    open-ended lifetime budget has no pace to measure: "unknown"). Only spend in the budget's currency counts;
    spend in any other currency is set aside in `other_currencies`, never converted or added.
    """
    total_days = (end - start).days + 1 if end is not None else None
    gone = elapsed_days(start, end, at)
    in_currency = spent.get(currency, Decimal(0))
    others = {c: amount for c, amount in spent.items() if c != currency and amount}
    if period == "daily":
        daily_pace: Decimal | None = budget
    elif total_days:
        daily_pace = budget / total_days
    else:
        daily_pace = None
    if daily_pace is None:
        return Pacing(period, budget, currency, Decimal(0), in_currency, "unknown", None, None, gone, total_days,
                      others)
    expected = daily_pace * gone
    if expected == 0:
        return Pacing(period, budget, currency, expected, in_currency, "not_started", None, daily_pace, gone,
                      total_days, others)
    off = (in_currency - expected) / expected * HUNDRED
    return Pacing(period, budget, currency, expected, in_currency, pacing_state(off), off, daily_pace, gone,
                  total_days, others)


def pacing_alert_due(pacing: Pacing) -> bool:
    """Off by more than ALERT_PCT after at least a whole day: in the first hours, sync and platform reporting lag
    alone would make most campaigns look behind."""
    return (pacing.off_pct is not None and abs(pacing.off_pct) > ALERT_PCT
            and pacing.elapsed_days >= 1)


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
