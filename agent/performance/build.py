"""The report of one campaign, built from its stored rows alone: pure functions, no I/O.

The sync stores one row per (platform, object, day) at the campaign level, and may add ad set and ad rows.
Totals come from one level per platform (campaign rows when there are any, else ad set rows, else ad rows), so a
day is never counted twice; best and worst ads come from ad rows when they exist.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from agent.performance.model import (
    AdPerformance,
    Alert,
    CampaignReport,
    DayPoint,
    Numbers,
    Pacing,
    PlatformPerformance,
    ResultKind,
    result_kind,
)
from agent.performance.pacing import measure_pacing, pacing_alert_due

LEVELS = ("campaign", "ad_set", "ad")
# A click-through rate that fell below this share of the previous period's, on enough impressions in both, is a
# collapse worth a look (a tired creative, a broken targeting change), not noise.
CTR_COLLAPSE_RATIO = Decimal("0.5")
CTR_MIN_IMPRESSIONS = 500
TOKEN_TROUBLE = ("needs_reconnect", "disconnected")


@dataclass(frozen=True)
class Window:
    """The report's days: `days` days ending on `last` (both ends included)."""

    last: date
    days: int

    @property
    def first(self) -> date:
        return self.last - timedelta(days=self.days - 1)

    def previous(self) -> Window:
        return Window(self.first - timedelta(days=1), self.days)

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last


def _sum(rows: Iterable[Any], currency: str) -> Numbers:
    numbers = Numbers(currency)
    for row in rows:
        numbers = numbers.plus(row.spend or Decimal(0), row.impressions or 0, row.clicks or 0, row.conversions or 0)
    return numbers


def delivery_rows(snapshots: Iterable[Any], platform: str) -> list[Any]:
    """One platform's rows at the one level its totals come from (see the module's docstring)."""
    by_level: dict[str, list[Any]] = defaultdict(list)
    for row in snapshots:
        if row.platform == platform:
            by_level[row.level].append(row)
    for level in LEVELS:
        if by_level.get(level):
            return by_level[level]
    return []


def _platform(platform: str, status: str, rows: list[Any], window: Window, fallback_currency: str,
              started: date) -> PlatformPerformance:
    # An account bills in one currency; should rows of two ever be stored, the most recent day's wins and the
    # other's rows are left out of this platform's sums rather than added to them.
    currency = max(rows, key=lambda r: r.day).currency if rows else fallback_currency
    rows = [r for r in rows if r.currency == currency]
    per_day: dict[date, list[Any]] = defaultdict(list)
    for row in rows:
        per_day[row.day].append(row)
    previous_window = window.previous()
    current = _sum((r for r in rows if window.holds(r.day)), currency)
    previous = (_sum((r for r in rows if previous_window.holds(r.day)), currency)
                if previous_window.last >= started else None)
    return PlatformPerformance(
        platform=platform, status=status, currency=currency, total=_sum(rows, currency), current=current,
        previous=previous, kind=result_kind(current, previous),
        days=[DayPoint(day, _sum(per_day[day], currency)) for day in sorted(per_day)],
    )


def rank_ads(ads: Sequence[AdPerformance], currency: str) -> tuple[AdPerformance | None, AdPerformance | None]:
    """(best, worst) by cost per result among ads that spent, in one currency (costs in two currencies do not
    compare): the campaign's, else the one most ads bill in. An ad that spent without a result ranks last."""
    spending = [a for a in ads if a.numbers.spend > 0]
    if not spending:
        return None, None
    currencies = [a.numbers.currency for a in spending]
    chosen = currency if currency in currencies else max(set(currencies), key=currencies.count)
    pool = sorted((a for a in spending if a.numbers.currency == chosen),
                  key=lambda a: (a.cost_per_result is None, a.cost_per_result or Decimal(0),
                                 -a.numbers.results(a.kind), a.external_id))
    best = pool[0] if pool[0].cost_per_result is not None else None
    worst = pool[-1] if len(pool) > 1 else None
    return best, worst


def _ads(tree: Sequence[Any], snapshots: Iterable[Any], window: Window) -> list[AdPerformance]:
    names: dict[tuple[str, str], tuple[str, str | None]] = {}
    for pc in tree:
        for ad_set in pc.ad_sets:
            for ad in ad_set.ads:
                if ad.external_id:
                    names[(pc.platform, ad.external_id)] = (ad.name, ad.language)
    sums: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for row in snapshots:
        if row.level == "ad" and window.holds(row.day):
            sums[(row.platform, row.external_object_id, row.currency)].append(row)
    totals = {key: _sum(rows, key[2]) for key, rows in sums.items()}
    kind: ResultKind = result_kind(*totals.values())
    return [
        AdPerformance(platform=platform, external_id=external_id,
                      name=names.get((platform, external_id), (external_id, None))[0],
                      language=names.get((platform, external_id), ("", None))[1], numbers=numbers, kind=kind)
        for (platform, external_id, _), numbers in sorted(totals.items())
    ]


def _alerts(campaign: Any, pacing: Pacing | None, platforms: Sequence[PlatformPerformance], tree: Sequence[Any],
            accounts: Mapping[str, Any]) -> list[Alert]:
    alerts: list[Alert] = []
    if pacing is not None and pacing.off_pct is not None and pacing_alert_due(pacing):
        alerts.append(Alert("pacing_ahead" if pacing.off_pct > 0 else "pacing_behind",
                            values={"off": abs(pacing.off_pct)}))
    if pacing is not None and pacing.period == "lifetime" and pacing.spent > pacing.budget:
        alerts.append(Alert("over_budget", values={"spent": pacing.spent, "budget": pacing.budget,
                                                   "currency": pacing.currency}))
    if campaign.start_date is not None:
        early = {p.platform: sum((d.numbers.spend for d in p.days if d.day < campaign.start_date), start=Decimal(0))
                 for p in platforms}
        for platform, spent in early.items():
            if spent > 0:
                alerts.append(Alert("spent_before_start", platform,
                                    {"spent": spent, "currency": next(p.currency for p in platforms
                                                                      if p.platform == platform),
                                     "start": campaign.start_date.isoformat()}))
    for p in platforms:
        before, now = p.previous, p.current
        if (before is not None and before.impressions >= CTR_MIN_IMPRESSIONS
                and now.impressions >= CTR_MIN_IMPRESSIONS and before.ctr and now.ctr is not None
                and now.ctr < before.ctr * CTR_COLLAPSE_RATIO):
            alerts.append(Alert("ctr_collapse", p.platform, {"before": before.ctr, "now": now.ctr}))
    for pc in tree:
        for ad_set in pc.ad_sets:
            for ad in ad_set.ads:
                if ad.status == "rejected":
                    alerts.append(Alert("ad_rejected", pc.platform, {"name": ad.name}))
        account = accounts.get(pc.ad_account_id or "")
        if account is not None and account.status in TOKEN_TROUBLE:
            alerts.append(Alert("token_trouble", pc.platform,
                                {"account": account.name or account.external_account_id, "status": account.status}))
    return alerts


def first_day(campaign: Any, snapshots: Sequence[Any], today: date) -> date:
    """When the campaign began delivering: its scheduled start, else its first stored day, else today."""
    if campaign.start_date is not None:
        return campaign.start_date  # type: ignore[no-any-return]
    return min((s.day for s in snapshots), default=today)


def build_report(
    *,
    campaign: Any,
    tree: Sequence[Any],
    snapshots: Sequence[Any],
    accounts: Mapping[str, Any],
    now: datetime,
    measured_at: datetime | None = None,
    window_last: date | None = None,
    window_days: int = 7,
    default_currency: str = "SAR",
) -> CampaignReport:
    """The report of `campaign` (a store Campaign) from its platform tree, snapshots and ad accounts (by id).

    `now` is aware, in the workspace's time zone. Pacing is measured at `measured_at` (when the numbers were
    fetched; default `now`), so numbers an hour old are not judged against an hour of spend they cannot show.
    The window is `window_days` days ending `window_last` (default today), starting no earlier than the campaign.
    """
    today = now.date()
    started = first_day(campaign, snapshots, today)
    last = window_last or today
    span = max(1, min(window_days, (last - started).days + 1))
    window = Window(last, span)
    currency = campaign.budget_currency or default_currency
    platforms = [
        _platform(pc.platform, pc.status, delivery_rows(snapshots, pc.platform), window, currency, started)
        for pc in tree
    ]
    # Rows of a platform no longer in the tree still spent money: they are reported, not dropped.
    for platform in sorted({s.platform for s in snapshots} - {pc.platform for pc in tree}):
        platforms.append(_platform(platform, "unknown", delivery_rows(snapshots, platform), window, currency,
                                   started))
    spend_to_date: dict[str, Decimal] = {}
    for p in platforms:
        if p.total.spend or p.total.impressions:
            spend_to_date[p.currency] = spend_to_date.get(p.currency, Decimal(0)) + p.total.spend
    pacing = None
    if campaign.budget_amount is not None and campaign.budget_period in ("daily", "lifetime"):
        at = min(measured_at or now, now)
        pacing = measure_pacing(period=campaign.budget_period, budget=campaign.budget_amount, currency=currency,
                                start=started, end=campaign.end_date, at=at, spent=spend_to_date)
    best, worst = rank_ads(_ads(tree, snapshots, window), currency)
    return CampaignReport(
        campaign_id=campaign.id, name=campaign.name, status=campaign.status, currency=currency,
        budget=campaign.budget_amount, budget_period=campaign.budget_period, start_date=campaign.start_date,
        end_date=campaign.end_date, today=today, window=(window.first, window.last),
        previous_window=(window.previous().first, window.previous().last), spend_to_date=spend_to_date,
        pacing=pacing, platforms=platforms, best_ad=best, worst_ad=worst,
        alerts=_alerts(campaign, pacing, platforms, tree, accounts),
    )
