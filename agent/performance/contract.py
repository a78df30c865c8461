"""A report as the `adly report --json` contract's object (also the HTTP API's campaign performance).

Contract fields: campaign_id, name, currency, budget {amount, period}, schedule {start_date, end_date}, platforms
[{platform, spend, impressions, clicks, conversions, days [{date, spend, impressions, clicks, conversions}]}].
Fields beyond those extend it compatibly. Money is a string of major units of its currency: the campaign's, or,
for a platform billed in another, the one its `currency` field names.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel.numbers import get_currency_precision

from agent.performance.model import AdPerformance, CampaignReport, Numbers, Pacing


def amount(value: Decimal | None, currency: str) -> str | None:
    if value is None:
        return None
    digits = int(get_currency_precision(currency))
    return str(value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def _numbers(n: Numbers) -> dict[str, Any]:
    return {"spend": amount(n.spend, n.currency), "impressions": n.impressions, "clicks": n.clicks,
            "conversions": n.conversions}


def _pacing(p: Pacing | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"state": p.state, "off_pct": str(p.off_pct.quantize(Decimal("0.1"))) if p.off_pct is not None else None,
            "expected": amount(p.expected, p.currency), "spent": amount(p.spent, p.currency),
            "daily_pace": amount(p.daily_pace, p.currency), "currency": p.currency,
            "other_currencies": {c: amount(v, c) for c, v in sorted(p.other_currencies.items())}}


def _ad(ad: AdPerformance | None) -> dict[str, Any] | None:
    if ad is None:
        return None
    return {"platform": ad.platform, "external_id": ad.external_id, "name": ad.name, "currency": ad.numbers.currency,
            "result_kind": ad.kind, "results": ad.numbers.results(ad.kind),
            "cost_per_result": amount(ad.cost_per_result, ad.numbers.currency), **_numbers(ad.numbers)}


def report_json(report: CampaignReport) -> dict[str, Any]:
    platforms = []
    for p in report.platforms:
        platforms.append({
            "platform": p.platform, **_numbers(p.total),
            "days": [{"date": d.day.isoformat(), **_numbers(d.numbers)} for d in p.days],
            "currency": p.currency, "status": p.status, "result_kind": p.kind,
            "period": {**_numbers(p.current), "results": p.current.results(p.kind),
                       "cost_per_result": amount(p.current.cost_per_result(p.kind), p.currency)},
            "previous_period": None if p.previous is None else {
                **_numbers(p.previous), "results": p.previous.results(p.kind),
                "cost_per_result": amount(p.previous.cost_per_result(p.kind), p.currency)},
        })
    return {
        "campaign_id": report.campaign_id,
        "name": report.name,
        "currency": report.currency,
        "budget": {"amount": amount(report.budget, report.currency), "period": report.budget_period},
        "schedule": {"start_date": report.start_date.isoformat() if report.start_date else None,
                     "end_date": report.end_date.isoformat() if report.end_date else None},
        "platforms": platforms,
        "status": report.status,
        "window": {"start_date": report.window[0].isoformat(), "end_date": report.window[1].isoformat()},
        "spend_to_date": {c: amount(v, c) for c, v in sorted(report.spend_to_date.items())},
        "pacing": _pacing(report.pacing),
        "best_ad": _ad(report.best_ad),
        "worst_ad": _ad(report.worst_ad),
        "exceptions": [{"kind": a.kind, "platform": a.platform,
                        **{k: str(v.quantize(Decimal("0.01"))) if isinstance(v, Decimal) else v
                           for k, v in a.values.items()}} for a in report.alerts],
    }
