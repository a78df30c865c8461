"""The spend chart of a report or a digest, in the reader's language: one series per platform, one panel per
currency, the budget's pace line (tools/charts draws it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

from agent.performance.model import CampaignReport
from agent.performance.texts import count, currency_label, day_label, isolate, money, pt
from agent.texts import lang_of, platform_name
from tools.charts import Panel, Series, SpendChart, render_spend_chart

PLATFORM_COLORS = {"meta": (24, 119, 242), "tiktok": (254, 44, 85), "snapchat": (247, 198, 0)}
OTHER_COLOR = (120, 144, 156)
PLATFORM_ORDER = ("meta", "tiktok", "snapchat")
MAX_DAYS = 31

SpendByPlatform = Mapping[tuple[str, str], Mapping[date, Decimal]]  # (platform, currency) -> day -> spend


def spend_chart(days: list[date], spend: SpendByPlatform, paces: Mapping[str, Decimal], language: str, *,
                subtitle: str | None = None) -> bytes:
    """PNG of spend per day: a panel per currency (amounts of two never share an axis), a series per platform."""
    currencies = sorted({currency for _, currency in spend} | set(paces)) or ["SAR"]
    panels = []
    for currency in currencies:
        platforms = sorted((p for p, c in spend if c == currency),
                           key=lambda p: (PLATFORM_ORDER.index(p) if p in PLATFORM_ORDER else 9, p))
        series = [Series(key=p, label=platform_name(p, language), color=PLATFORM_COLORS.get(p, OTHER_COLOR),
                         values=[spend[(p, currency)].get(d, Decimal(0)) for d in days]) for p in platforms]
        pace = paces.get(currency)
        panels.append(Panel(
            axis_label=pt("chart_axis_spend", language, currency=currency_label(currency, language)), series=series, pace=pace,
            pace_label=pt("chart_pace", language, amount=money(pace, currency, language)) if pace else None,
        ))
    chart = SpendChart(title=pt("chart_title", language), subtitle=subtitle,
                       day_labels=[day_label(d, language) for d in days], panels=panels,
                       rtl=lang_of(language) == "ar", number=lambda v: count(int(v.to_integral_value()), language))
    return render_spend_chart(chart)


def chart_days(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, at most the last MAX_DAYS of them."""
    first = max(first, last - timedelta(days=MAX_DAYS - 1))
    return [first + timedelta(days=n) for n in range((last - first).days + 1)] if last >= first else [last]


def report_chart(report: CampaignReport, language: str) -> bytes:
    """The report's chart: from the campaign's first day to today (or its end), with its budget's pace."""
    # From the first day of spend or the scheduled start, whichever came first: spend the schedule did not
    # expect is shown, not hidden.
    delivered = [d.day for p in report.platforms for d in p.days]
    first = min([*delivered, *([report.start_date] if report.start_date else [])], default=report.today)
    last = max([min(report.today, report.end_date) if report.end_date else report.today, *delivered])
    days = chart_days(min(first, last), last)
    spend: dict[tuple[str, str], dict[date, Decimal]] = defaultdict(dict)
    for p in report.platforms:
        spend[(p.platform, p.currency)] = {d.day: d.numbers.spend for d in p.days}
    paces = {}
    if report.pacing is not None and report.pacing.daily_pace:
        paces[report.pacing.currency] = report.pacing.daily_pace
    subtitle = f"{isolate(report.name)} · {day_label(days[0], language)} – {day_label(days[-1], language)}"
    return spend_chart(days, spend, paces, language, subtitle=subtitle)
