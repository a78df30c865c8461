"""How a sandbox campaign delivers: inside its schedule, while switched on, under every budget, paced through the day.

Pure: the simulators turn their stored objects into a `CampaignTree` and ask `deliver` for the ad-days up to a
day; everything above an ad (ad set, campaign, account) is the sum of its ads, so every level adds up exactly.

The rules, as the platforms deliver:
- An ad spends only while it, its ad set and its campaign are all switched on (each object keeps a status
  history with timestamps), inside the ad set's and the campaign's schedule, and never after the sandbox's now
  (days in the future have no numbers; today's are partial, by the hour).
- Within a day, delivery follows the Gulf's traffic curve (quiet before dawn, busiest in the evening), so a
  day switched on at 18:00 spends more than a quarter of its budget and today's numbers grow hour by hour.
- Budgets at every level the platform puts one: a daily budget is never exceeded on any day, a lifetime
  budget never over the whole flight (paced evenly over the days left); a campaign budget over ad sets with
  none of their own is shared among them (campaign budget optimisation), and a campaign cap over ad sets
  with their own budgets scales them down when their sum would pass it.
- Rates plausible for the Gulf in USD (CPM 3-9 USD, CTR 0.6-1.8%, CVR 1-5% of clicks), converted to the
  account currency; reach <= impressions, clicks <= impressions, conversions <= clicks on every row.
- Deterministic: every draw is seeded by a hash of the platform, the object id and the day.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tools.platforms.money import iso_exponent

Span = tuple[float, float]  # [start, end) in Unix seconds; either side may be infinite
ALWAYS: tuple[Span, ...] = ((-math.inf, math.inf),)

# Units of each currency per US dollar, fixed for the sandbox. Source: the central banks' pegs as published
# in 2025 (SAMA 3.75, CBUAE 3.6725, QCB 3.64, CBB 0.376, CBO 0.3845, CBJ 0.709); KWD floats against a basket,
# at about 0.307 per USD through 2025 (CBK daily rates); EUR and GBP at their late-2025 averages.
USD_RATES: dict[str, Decimal] = {
    "USD": Decimal("1"), "SAR": Decimal("3.75"), "AED": Decimal("3.6725"), "QAR": Decimal("3.64"),
    "BHD": Decimal("0.376"), "OMR": Decimal("0.3845"), "KWD": Decimal("0.307"), "JOD": Decimal("0.709"),
    "EUR": Decimal("0.92"), "GBP": Decimal("0.79"),
}  # fmt: skip

# Share of a day's traffic in each local hour (Gulf social apps: night owls, quiet mornings, busy evenings).
HOURLY_TRAFFIC = (3.0, 2.2, 1.5, 1.0, 0.8, 0.8, 1.2, 2.0, 2.8, 3.2, 3.6, 4.0,
                  4.4, 4.6, 4.6, 4.6, 4.8, 5.2, 5.8, 6.4, 7.0, 7.4, 6.6, 4.8)  # fmt: skip
_TOTAL = sum(HOURLY_TRAFFIC)
_SHARE = tuple(w / _TOTAL for w in HOURLY_TRAFFIC)
_CUMULATIVE = tuple(sum(_SHARE[:h]) for h in range(25))

CPM_USD = (3.0, 9.0)
CTR = (0.006, 0.018)
CVR = (0.01, 0.05)
FREQUENCY = (1.1, 1.9)  # impressions per person reached in a day
VIEW_RATE = (0.10, 0.35)  # video views per impression
DAILY_PACE = (0.85, 0.99)  # share of a daily budget a fully-on day spends
LIFETIME_PACE = (0.90, 1.10)  # around the even share of what is left of a lifetime budget
OPEN_ENDED_DAYS = 30  # a lifetime budget with no end date (a campaign cap) is spread as if over 30 days


# ---------------------------------------------------------------------------------------------- statuses


def note_status(obj: dict[str, Any], status: str, at: datetime) -> None:
    """Append `status` at `at` to the object's status history (stored on it), unless it is the current one."""
    history: list[list[Any]] = obj.setdefault("status_history", [])
    if not history or history[-1][1] != status:
        history.append([at.timestamp(), status])


def on_spans(obj: dict[str, Any], field_name: str, on: Iterable[str]) -> tuple[Span, ...]:
    """When the object was switched on (its status in `on`), from its status history.

    An object stored before histories were kept has none: it counts as on since it was created if it is on
    now, else as never on.
    """
    on_values = set(on)
    history = obj.get("status_history")
    if not history:
        history = [[float(obj.get("created_at") or 0), obj.get(field_name)]]
    spans: list[Span] = []
    start: float | None = None
    for ts, status in sorted(history, key=lambda h: h[0]):
        if status in on_values and start is None:
            start = float(ts)
        elif status not in on_values and start is not None:
            if ts > start:
                spans.append((start, float(ts)))
            start = None
    if start is not None:
        spans.append((start, math.inf))
    return tuple(spans)


def window(start: float | None, end: float | None) -> tuple[Span, ...]:
    """A schedule as spans: [start, end), open on a side that is None."""
    lo = -math.inf if start is None else start
    hi = math.inf if end is None else end
    return ((lo, hi),) if hi > lo else ()


def intersect(a: Sequence[Span], b: Sequence[Span]) -> tuple[Span, ...]:
    """Where both sorted, disjoint span lists hold."""
    out: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def union(lists: Iterable[Sequence[Span]]) -> tuple[Span, ...]:
    """Where any of the span lists holds, as sorted, disjoint spans."""
    spans = sorted(s for spans in lists for s in spans)
    out: list[Span] = []
    for lo, hi in spans:
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


# ---------------------------------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Budget:
    """A budget in minor units of the account currency (10^-ISO exponent: halalas, fils); None: not set."""

    daily: int | None = None
    lifetime: int | None = None


@dataclass(frozen=True)
class AdNode:
    id: str
    name: str
    on: tuple[Span, ...]  # switched on and allowed to deliver (not rejected, not in review)


@dataclass(frozen=True)
class AdSetNode:
    id: str
    name: str
    on: tuple[Span, ...]  # switched on, within its schedule
    end: float | None  # the schedule's end, for pacing a lifetime budget
    budget: Budget | None  # None: the campaign's budget is shared among such ad sets
    ads: tuple[AdNode, ...]


@dataclass(frozen=True)
class CampaignTree:
    id: str
    name: str
    on: tuple[Span, ...]  # switched on, within its schedule
    budget: Budget | None
    ad_sets: tuple[AdSetNode, ...]


@dataclass
class AdDay:
    """One ad's delivery on one day (account time zone); spend in minor units of the account currency."""

    campaign_id: str
    campaign_name: str
    ad_set_id: str
    ad_set_name: str
    ad_id: str
    ad_name: str
    day: date
    spend: int = 0
    impressions: int = 0
    reach: int = 0
    clicks: int = 0
    conversions: int = 0
    video_views: int = 0


@dataclass
class Totals:
    """Numbers summed over ad-days (an ad set, a campaign, a day); spend in minor units."""

    spend: int = 0
    impressions: int = 0
    reach: int = 0
    clicks: int = 0
    conversions: int = 0
    video_views: int = 0

    def add(self, row: AdDay) -> None:
        self.spend += row.spend
        self.impressions += row.impressions
        self.reach += row.reach
        self.clicks += row.clicks
        self.conversions += row.conversions
        self.video_views += row.video_views


# ---------------------------------------------------------------------------------------------- money


def to_minor(amount: Decimal | float | int | str, currency: str) -> int:
    """A major-unit amount as whole minor units of the currency, rounded down (a budget is never exceeded)."""
    scaled = Decimal(str(amount)) * (10 ** iso_exponent(currency))
    return int(scaled.to_integral_value(rounding=ROUND_DOWN))


def to_major(units: int, currency: str) -> Decimal:
    """Minor units back to a major-unit Decimal with the currency's own decimals (SAR 2, KWD 3)."""
    exponent = iso_exponent(currency)
    return (Decimal(units) / (10**exponent)).quantize(Decimal(1).scaleb(-exponent))


def usd_rate(currency: str) -> Decimal:
    code = currency.upper()
    if code not in USD_RATES:
        raise ValueError(f"the sandbox has no USD rate for {code}; known: {sorted(USD_RATES)}")
    return USD_RATES[code]


# ---------------------------------------------------------------------------------------------- draws


def _rng(platform: str, *parts: object) -> random.Random:
    key = ":".join([platform, *(p.isoformat() if isinstance(p, date) else str(p) for p in parts)])
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:12], 16))


def _quality(platform: str, ad_id: str) -> float:
    """How good an ad is, 0..1, for its whole life: better ads get more of their ad set and click more."""
    return _rng(platform, ad_id, "quality").random()


# ---------------------------------------------------------------------------------------------- days


def _day_start(day: date, tz: ZoneInfo) -> float:
    return datetime.combine(day, time(), tz).timestamp()


def _curve_at(hours: float) -> float:
    """Share of a day's traffic before `hours` (0..24) into the day."""
    if hours <= 0:
        return 0.0
    if hours >= 24:
        return 1.0
    h = int(hours)
    return _CUMULATIVE[h] + (hours - h) * _SHARE[h]


def traffic_share(spans: Sequence[Span], day: date, tz: ZoneInfo) -> float:
    """Share of `day`'s traffic (local day in `tz`) that falls inside `spans`."""
    start, end = _day_start(day, tz), _day_start(day + timedelta(days=1), tz)
    length = end - start
    share = 0.0
    for lo, hi in spans:
        lo, hi = max(lo, start), min(hi, end)
        if hi > lo:
            share += _curve_at(24 * (hi - start) / length) - _curve_at(24 * (lo - start) / length)
    return min(1.0, share)


def _local_day(ts: float, tz: ZoneInfo) -> date:
    return datetime.fromtimestamp(ts, UTC).astimezone(tz).date()


def _days_left(day: date, end: float | None, tz: ZoneInfo) -> int:
    """Days from `day` to the schedule's last day, both counted (OPEN_ENDED_DAYS with no end)."""
    if end is None or math.isinf(end):
        return OPEN_ENDED_DAYS
    last = _local_day(end - 1e-3, tz)
    return max(1, (last - day).days + 1)


def split(total: int, weights: Sequence[float]) -> list[int]:
    """`total` in whole parts proportional to `weights`, summing exactly to `total` (largest remainder)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


# ---------------------------------------------------------------------------------------------- delivery


@dataclass
class _Flight:
    """What is left of each lifetime budget as the days go by."""

    campaign_left: int | None
    ad_set_left: dict[str, int | None]


def _ad_numbers(platform: str, ad: AdNode, day: date, spend: int, currency: str) -> dict[str, int]:
    """An ad's day from what it spent: impressions at the day's CPM, then reach, clicks, conversions, views."""
    rng = _rng(platform, ad.id, day)
    quality = _quality(platform, ad.id)
    cpm = rng.uniform(*CPM_USD) * float(usd_rate(currency))  # per thousand, in the account currency
    spend_major = spend / 10 ** iso_exponent(currency)
    impressions = int(spend_major * 1000 / cpm)
    if impressions == 0:
        return {"spend": 0, "impressions": 0, "reach": 0, "clicks": 0, "conversions": 0, "video_views": 0}
    lean = min(1.0, max(0.0, quality + rng.uniform(-0.2, 0.2)))
    ctr = CTR[0] + (CTR[1] - CTR[0]) * lean
    cvr = CVR[0] + (CVR[1] - CVR[0]) * min(1.0, max(0.0, 0.5 * quality + 0.5 * rng.random()))
    reach = min(impressions, max(1, int(impressions / rng.uniform(*FREQUENCY))))
    clicks = min(impressions, int(impressions * ctr))
    return {
        "spend": spend, "impressions": impressions, "reach": reach, "clicks": clicks,
        "conversions": min(clicks, int(clicks * cvr)), "video_views": int(impressions * rng.uniform(*VIEW_RATE)),
    }  # fmt: skip


def _ad_set_want(platform: str, s: AdSetNode, day: date, share: float, left: int | None, tz: ZoneInfo) -> int:
    """What an ad set with its own budget spends on `day`, `share` of the day's traffic being open to it."""
    assert s.budget is not None
    rng = _rng(platform, s.id, day)
    wants: list[int] = []
    if s.budget.daily is not None:
        wants.append(int(s.budget.daily * rng.uniform(*DAILY_PACE) * share))
    if s.budget.lifetime is not None and left is not None:
        even = left / _days_left(day, s.end, tz)
        wants.append(min(left, int(even * rng.uniform(*LIFETIME_PACE) * share)))
    return max(0, min(wants)) if wants else 0


def _campaign_want(
    platform: str, c: CampaignTree, day: date, left: int | None, end: float | None, tz: ZoneInfo
) -> int:
    """What a campaign's own budget would spend on a whole day, shared among ad sets without a budget."""
    if c.budget is None:
        return 0
    rng = _rng(platform, c.id, day)
    wants: list[int] = []
    if c.budget.daily is not None:
        wants.append(int(c.budget.daily * rng.uniform(*DAILY_PACE)))
    if c.budget.lifetime is not None and left is not None:
        wants.append(min(left, int(left / _days_left(day, end, tz) * rng.uniform(*LIFETIME_PACE))))
    return max(0, min(wants)) if wants else 0


def _campaign_cap(c: CampaignTree, left: int | None) -> int | None:
    caps = [x for x in ((c.budget.daily if c.budget else None), left) if x is not None]
    return min(caps) if caps else None


def deliver(
    platform: str, campaign: CampaignTree, *, currency: str, tz: ZoneInfo, now: datetime, until: date
) -> list[AdDay]:
    """Every ad-day with delivery of `campaign`, from its first day switched on through `until` (never past
    `now`): each day's spend under every budget, split among the ads that were on, then their numbers."""
    cutoff = window(None, now.timestamp())
    on_campaign = intersect(campaign.on, cutoff)
    ad_spans: dict[str, tuple[Span, ...]] = {}
    set_spans: dict[str, tuple[Span, ...]] = {}
    for s in campaign.ad_sets:
        on_set = intersect(on_campaign, s.on)
        for ad in s.ads:
            ad_spans[ad.id] = intersect(on_set, ad.on)
        set_spans[s.id] = union(ad_spans[a.id] for a in s.ads)
    starts = [spans[0][0] for spans in set_spans.values() if spans]
    if not starts:
        return []
    first = _local_day(min(starts), tz)
    last = min(until, _local_day(now.timestamp(), tz))
    ends = [s.end for s in campaign.ad_sets]
    campaign_end = None if any(e is None for e in ends) or not ends else max(e for e in ends if e is not None)
    flight = _Flight(
        campaign_left=campaign.budget.lifetime if campaign.budget else None,
        ad_set_left={s.id: (s.budget.lifetime if s.budget else None) for s in campaign.ad_sets},
    )
    rows: list[AdDay] = []
    day = first
    while day <= last:
        rows.extend(_one_day(platform, campaign, day, currency, tz, flight, ad_spans, set_spans, campaign_end))
        day += timedelta(days=1)
    return rows


def _one_day(
    platform: str, c: CampaignTree, day: date, currency: str, tz: ZoneInfo, flight: _Flight,
    ad_spans: dict[str, tuple[Span, ...]], set_spans: dict[str, tuple[Span, ...]], campaign_end: float | None,
) -> list[AdDay]:  # fmt: skip
    shares = {s.id: traffic_share(set_spans[s.id], day, tz) for s in c.ad_sets}
    spend: dict[str, int] = {}
    pooled = [s for s in c.ad_sets if s.budget is None and shares[s.id] > 0]
    for s in c.ad_sets:
        if s.budget is not None and shares[s.id] > 0:
            spend[s.id] = _ad_set_want(platform, s, day, shares[s.id], flight.ad_set_left[s.id], tz)
    if pooled:
        want = _campaign_want(platform, c, day, flight.campaign_left, campaign_end, tz)
        weights = [0.5 + _rng(platform, s.id, "share").random() for s in pooled]
        for s, w in zip(pooled, weights, strict=True):
            spend[s.id] = int(want * w / sum(weights) * shares[s.id])
    cap = _campaign_cap(c, flight.campaign_left)
    total = sum(spend.values())
    if cap is not None and total > cap:
        spend = {k: v * cap // total for k, v in spend.items()}
    rows: list[AdDay] = []
    for s in c.ad_sets:
        if not spend.get(s.id):
            continue
        ads = [a for a in s.ads if traffic_share(ad_spans[a.id], day, tz) > 0]
        weights = [traffic_share(ad_spans[a.id], day, tz) * (0.5 + _quality(platform, a.id)) for a in ads]
        spent = 0
        for ad, part in zip(ads, split(spend[s.id], weights), strict=True):
            numbers = _ad_numbers(platform, ad, day, part, currency)
            if numbers["impressions"] == 0:
                continue
            spent += numbers["spend"]
            rows.append(AdDay(campaign_id=c.id, campaign_name=c.name, ad_set_id=s.id, ad_set_name=s.name,
                              ad_id=ad.id, ad_name=ad.name, day=day, **numbers))  # fmt: skip
        left = flight.ad_set_left.get(s.id)
        if left is not None:
            flight.ad_set_left[s.id] = left - spent
        if flight.campaign_left is not None:
            flight.campaign_left -= spent
    return rows


def totals_by(rows: Iterable[AdDay], key: str) -> dict[tuple[str, date], Totals]:
    """Ad-days summed per (`key` of the row: campaign_id, ad_set_id or ad_id; day)."""
    out: dict[tuple[str, date], Totals] = {}
    for row in rows:
        object_id = str(getattr(row, key))
        totals = out.setdefault((object_id, row.day), Totals())
        totals.add(row)
    return out

