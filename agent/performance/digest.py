"""Digests: which are due (daily at the workspace's hour, weekly on Sunday, the Gulf week's first day), the period
each covers, and their content from the campaigns' reports. Pure: no I/O."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from agent.performance.chart import SpendByPlatform, spend_chart
from agent.performance.model import CampaignReport, result_kind
from agent.performance.render import alert_text, kind_words, pace_state, status_text
from agent.performance.texts import amounts, count, day_label, money, pt

SUNDAY = 6  # date.weekday()
CHART_DAYS = 7


@dataclass(frozen=True)
class DigestPeriod:
    kind: str  # "daily" or "weekly"
    first: date
    last: date

    @property
    def key(self) -> str:
        """What the once-only claim is keyed on: the day covered, or the week's first day."""
        return self.first.isoformat()

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def due_digests(local_now: datetime, hour: int, *, weekly_on: int = SUNDAY) -> list[DigestPeriod]:
    """The digests due at `local_now` (in the workspace's time zone) for a workspace whose digest hour is `hour`.

    From that hour on (not only within it, so a process that was down at the hour still sends once it is back):
    the daily digest of yesterday, and on `weekly_on` the weekly digest of the seven days before today."""
    if local_now.hour < hour:
        return []
    today = local_now.date()
    yesterday = today - timedelta(days=1)
    due = [DigestPeriod("daily", yesterday, yesterday)]
    if today.weekday() == weekly_on:
        due.append(DigestPeriod("weekly", today - timedelta(days=7), yesterday))
    return due


@dataclass(frozen=True)
class DigestEntry:
    line: str
    alerts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Digest:
    period: DigestPeriod
    language: str
    title: str
    entries: list[DigestEntry]
    empty: str
    chart_title: str
    chart_days: list[date]
    spend: SpendByPlatform
    paces: dict[str, Decimal]

    def chart(self) -> bytes:
        return spend_chart(self.chart_days, self.spend, self.paces, self.language, subtitle=self.chart_title)

    def lines(self) -> list[str]:
        """For a terminal: the title, then each campaign and what is worth acting on."""
        out = [self.title]
        for entry in self.entries:
            out.append(f"- {entry.line}")
            out += [f"    ! {a}" for a in entry.alerts]
        return out if self.entries else [self.title, self.empty]


def _entry(report: CampaignReport, language: str) -> DigestEntry:
    kind = result_kind(*[p.current for p in report.platforms])
    spend = report.window_spend()
    results = sum(p.current.results(kind) for p in report.platforms)
    words = kind_words(kind, language, results)
    if results and len(spend) == 1:
        (currency, spent), = spend.items()
        results_text = pt("digest_results", language, count=count(results, language),
                          cost=money(spent / results, currency, language), **words)
    elif results:
        results_text = pt("digest_results_count", language, count=count(results, language), **words)
    else:
        results_text = pt("digest_results_none", language, **words)
    state = pace_state(report.pacing, language)
    line = pt("digest_campaign", language, name=report.name, status=status_text(report, language),
              spend=amounts(spend, language) if spend else money(Decimal(0), report.currency, language),
              results=results_text, pace=pt("digest_pace", language, state=state) if state else "")
    return DigestEntry(line, [alert_text(a, language) for a in report.alerts])


def build_digest(reports: Sequence[CampaignReport], period: DigestPeriod, language: str) -> Digest:
    """The digest of `period` from reports whose window is that period: a line per campaign that delivered in it or
    is live (partially live included), with its exceptions; the chart of the last week's spend per platform."""
    shown = [r for r in reports if any(not p.current.empty for p in r.platforms)
             or r.status in ("live", "partially_live") or r.alerts]
    chart_first = min(period.first, period.last - timedelta(days=CHART_DAYS - 1))
    days = [chart_first + timedelta(days=n) for n in range((period.last - chart_first).days + 1)]
    spend: dict[tuple[str, str], dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    paces: dict[str, Decimal] = defaultdict(Decimal)
    for report in shown:
        for p in report.platforms:
            for point in p.days:
                if chart_first <= point.day <= period.last:
                    spend[(p.platform, p.currency)][point.day] += point.numbers.spend
        pacing = report.pacing
        if pacing is not None and pacing.daily_pace and report.status in ("live", "partially_live"):
            paces[pacing.currency] += pacing.daily_pace
    if period.kind == "daily":
        title = pt("digest_daily_title", language, day=day_label(period.last, language, weekday=True))
    else:
        title = pt("digest_weekly_title", language, start=day_label(period.first, language),
                   end=day_label(period.last, language))
    return Digest(
        period=period, language=language, title=title, entries=[_entry(r, language) for r in shown],
        empty=pt("digest_empty", language),
        chart_title=pt("digest_chart", language, start=day_label(days[0], language),
                       end=day_label(days[-1], language)),
        chart_days=days, spend={k: dict(v) for k, v in spend.items()}, paces=dict(paces),
    )
