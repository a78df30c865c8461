"""A report as sentences in the reader's language: what every door (Slack, terminal, digest) shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from agent.performance.model import AdPerformance, Alert, CampaignReport, Pacing, PlatformPerformance
from agent.performance.texts import amounts, count, day_label, money, percent, pt
from agent.texts import lang_of, platform_list, platform_name


@dataclass(frozen=True)
class ReportText:
    title: str
    window: str
    budget: str
    pacing: list[str]
    platforms: list[str]
    ads: list[str]
    alerts: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Everything in reading order, for a terminal."""
        out = [self.title, self.window, self.budget, *self.pacing, *self.platforms, *self.ads]
        if self.alerts:
            out += ["", *[f"! {a}" for a in self.alerts]]
        return out


def kind_words(kind: str, language: str, n: int | None = None) -> dict[str, str]:
    """{kind} ("conversions"; "conversion" when `n` is 1) and {kind_one} ("conversion") in the reader's language."""
    one = pt(f"kind_one_{kind}", language)
    many = pt(f"kind_{kind}", language)
    return {"kind": one if n == 1 and lang_of(language) == "en" else many, "kind_one": one}


def window_text(report: CampaignReport, language: str) -> str:
    first, last = report.window
    if first == last:
        return pt("window_one", language, start=day_label(first, language, weekday=True))
    return pt("window", language, start=day_label(first, language), end=day_label(last, language),
              days=(last - first).days + 1)


def budget_text(report: CampaignReport, language: str) -> str:
    spent = amounts(report.spend_to_date, language) if report.spend_to_date else money(
        Decimal(0), report.currency, language)
    if report.budget is None:
        return pt("spent_only", language, spent=spent)
    budget = money(report.budget, report.currency, language)
    if report.budget_period == "daily":
        return pt("spent_daily", language, spent=spent, budget=budget)
    share = percent(report.spend_to_date.get(report.currency, Decimal(0)) / report.budget * 100, language)
    return pt("spent_lifetime", language, spent=spent, budget=budget, share=share)


def pacing_lines(pacing: Pacing | None, report: CampaignReport, language: str) -> list[str]:
    if pacing is None:
        return []
    values = {"spent": money(pacing.spent, pacing.currency, language),
              "expected": money(pacing.expected, pacing.currency, language),
              "off": percent(pacing.off_pct if pacing.state == "on_track" else abs(pacing.off_pct or Decimal(0)), language,
                             signed=pacing.state == "on_track")}
    if pacing.state == "not_started":
        lines = [pt("pace_not_started", language,
                    start=day_label(report.start_date, language) if report.start_date else "-")]
    else:
        lines = [pt(f"pace_{pacing.state}", language, **values)]
    if pacing.other_currencies:
        lines.append(pt("pace_other_currency", language, amounts=amounts(pacing.other_currencies, language)))
    return lines


def pace_state(pacing: Pacing | None, language: str) -> str | None:
    """The pacing in a few words (the digest's lines), or None when there is no pace to tell."""
    if pacing is None or pacing.state in ("unknown", "not_started"):
        return None
    return pt(f"state_{pacing.state}", language, off=percent(abs(pacing.off_pct or Decimal(0)), language))


def platform_line(p: PlatformPerformance, language: str) -> str:
    name = platform_name(p.platform, language)
    now = p.current
    if now.empty:
        return pt("platform_quiet", language, platform=name)
    cost = now.cost_per_result(p.kind)
    line = pt("platform_line", language, platform=name, spend=money(now.spend, now.currency, language),
              results=count(now.results(p.kind), language),
              cost=money(cost, now.currency, language) if cost is not None else pt("no_cost", language),
              impressions=count(now.impressions, language), ctr=percent(now.ctr, language, places=2),
              **kind_words(p.kind, language, now.results(p.kind)))
    if p.previous is not None and not p.previous.empty:
        line += " (" + pt("platform_change", language, results=percent(p.results_change_pct, language, signed=True),
                          cost=percent(p.cost_change_pct, language, signed=True), **kind_words(p.kind, language)) + ")"
    return line


def ad_line(key: str, ad: AdPerformance, language: str) -> str:
    cost = ad.cost_per_result
    values = {"name": ad.name, "platform": platform_name(ad.platform, language),
              "results": count(ad.numbers.results(ad.kind), language),
              **kind_words(ad.kind, language, ad.numbers.results(ad.kind))}
    if cost is None:
        return pt("worst_ad_none", language, spend=money(ad.numbers.spend, ad.numbers.currency, language), **values)
    return pt(key, language, cost=money(cost, ad.numbers.currency, language), **values)


MONEY_VALUES = ("spent", "budget")
CTR_VALUES = ("before", "now")


def alert_text(alert: Alert, language: str) -> str:
    values = dict(alert.values)
    currency = str(values.pop("currency", ""))
    shown: dict[str, str] = {}
    for key, value in values.items():
        if isinstance(value, Decimal) and key in MONEY_VALUES:
            shown[key] = money(value, currency, language)
        elif isinstance(value, Decimal):
            shown[key] = percent(value, language, places=2 if key in CTR_VALUES else 1)
        elif key == "start":
            shown[key] = day_label(date.fromisoformat(str(value)), language)
        else:
            shown[key] = str(value)
    if alert.platform is not None:
        shown["platform"] = platform_name(alert.platform, language)
    return pt(f"alert_{alert.kind}", language, **shown)


def status_text(report: CampaignReport, language: str) -> str:
    if report.status == "partially_live":
        live = [p.platform for p in report.platforms if p.status == "active"]
        return pt("status_partially_live", language, platforms=platform_list(live, language) or "-")
    if report.status in ("live", "paused"):
        return pt(f"status_{report.status}", language)
    return pt("status_other", language, status=report.status)


def render_report(report: CampaignReport, language: str) -> ReportText:
    ads = []
    if report.best_ad is not None:
        ads.append(ad_line("best_ad", report.best_ad, language))
    if report.worst_ad is not None:
        ads.append(ad_line("worst_ad", report.worst_ad, language))
    platforms = [platform_line(p, language) for p in report.platforms]
    if not report.has_delivery:
        platforms = [pt("no_delivery", language)]
    return ReportText(
        title=pt("report_title", language, name=report.name), window=window_text(report, language),
        budget=budget_text(report, language), pacing=pacing_lines(report.pacing, report, language),
        platforms=platforms, ads=ads, alerts=[alert_text(a, language) for a in report.alerts],
    )
