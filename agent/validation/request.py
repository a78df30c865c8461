"""validate_request: every check on a CampaignRequest, in order; an occasion's window fitted to the budget."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

from agent import messages as msg
from agent.messages import Bi
from agent.models import CampaignRequest
from agent.parsing.occasions import peak_end
from agent.planning import AccountFacts
from agent.validation.accounts import check_accounts
from agent.validation.audience import age_issues, location_issues, special_category_issues
from agent.validation.budget import budget_issues
from agent.validation.creative import creative_type_issues, objective_issues
from agent.validation.issues import ValidationIssue, apply_fix, make_fix, make_issue, schedule_patch
from agent.validation.landing import landing_issues
from agent.validation.placements import placement_issues
from agent.validation.questions import conflict_issues, missing_issues
from agent.validation.schedule import check_schedule


def validate_request(
    request: CampaignRequest,
    *,
    today: date,
    accounts: Mapping[str, AccountFacts] | None = None,
    default_landing_url: str | None = None,
    instruction: str | None = None,
    landing_required: bool = False,
) -> list[ValidationIssue]:
    """Every problem with `request`, errors first.

    `instruction` (the raw sentence), when given, sharpens special-category detection.

    Budget minimums use each connected account's currency, or the request's currency before any account
    is connected; the budget check is skipped while dates or currencies are wrong (fix those first).
    """
    issues = conflict_issues(request) + missing_issues(request)
    schedule_issues, schedule_ok = check_schedule(request, today)
    issues += schedule_issues
    issues += age_issues(request)
    issues += location_issues(request)
    issues += special_category_issues(request, instruction)
    account_issues, same_currency = check_accounts(request, accounts)
    issues += account_issues
    issues += landing_issues(request, default_landing_url, landing_required)
    issues += objective_issues(request)
    issues += creative_type_issues(request)
    issues += placement_issues(request)
    if request.budget is not None and request.platforms and schedule_ok and same_currency:
        issues += budget_issues(request, today, instruction)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(issues, key=lambda i: order[i.severity])


def schedule_from_occasion(request: CampaignRequest) -> bool:
    """True when the dates come only from an occasion word ("Ramadan sale"), not from dates or a duration given."""
    spans = request.sources.get("schedule") or []
    theme_spans = {(s.start, s.end) for s in request.sources.get("theme") or []}
    return bool(spans) and all((s.start, s.end) in theme_spans for s in spans)


def fit_inferred_schedule(
    request: CampaignRequest,
    *,
    today: date,
    accounts: Mapping[str, AccountFacts] | None = None,
    default_landing_url: str | None = None,
    instruction: str | None = None,
    landing_required: bool = False,
) -> tuple[CampaignRequest, ValidationIssue | None]:
    """An occasion's whole window that the budget cannot cover is shortened to the days it can, and said so.

    The marketer named an occasion, not a duration: running its first days within budget is what they would
    expect, with the cost of the whole window offered as a fix. Dates or durations they gave are never changed.
    """
    if not schedule_from_occasion(request) or request.budget is None:
        return request, None
    issues = validate_request(
        request, today=today, accounts=accounts, default_landing_url=default_landing_url, instruction=instruction,
        landing_required=landing_required,
    )
    budget_issue = next((i for i in issues if i.code == "budget_below_minimum"), None)
    if budget_issue is None:
        return request, None
    shorten = next((f for f in budget_issue.fixes if "schedule" in f.patch), None)
    raise_fix = next((f for f in budget_issue.fixes if "budget" in f.patch), None)
    if shorten is None or raise_fix is None:
        return request, None
    fitted = apply_fix(request, shorten)
    whole = request.schedule.model_dump(mode="json")
    days = fitted.schedule.duration_days or 1
    peak = _peak(request, days)
    if peak is not None:
        fitted = apply_fix(request, make_fix(("", ""), schedule_patch(peak[0], days)))
    start, end = fitted.schedule.start_date, fitted.schedule.end_date
    all_days = request.schedule.duration_days or days
    occasion = Bi(*_occasion_names(request.theme))
    values: dict[str, object] = {
        "total": msg.money(request.budget.amount, request.budget.currency),
        "days": msg.days(days),
        "all_days": msg.days(all_days),
        "occasion": occasion,
        "start": start,
        "end": end,
        "needed": msg.money(Decimal(str(raise_fix.patch["budget"]["amount"])), request.budget.currency),
    }
    restore = make_fix(msg.text("fix_full_occasion", **values), {**raise_fix.patch, "schedule": whole})
    if peak is not None:
        text = msg.text("schedule_fitted_peak", why=msg.bi(f"peak_{peak[1]}", days=values["days"]), **values)
    else:
        text = msg.text("schedule_fitted", **values)
    issue = make_issue("schedule", "schedule_fitted_to_budget", "warning", text, fixes=[restore])
    return fitted, issue


def _peak(request: CampaignRequest, days: int) -> tuple[date, str] | None:
    """(first day, reason) of the `days` that matter most in the occasion's window, when not its first days."""
    start, end = request.schedule.start_date, request.schedule.end_date
    if start is None or end is None:
        return None
    peak = peak_end(request.theme, start, end)
    if peak is None:
        return None
    return max(start, peak[0] - timedelta(days=days - 1)), peak[1]


def _occasion_names(theme: str | None) -> tuple[str, str]:
    names = {
        "ramadan": ("Ramadan", "رمضان"),
        "eid_al_fitr": ("Eid al-Fitr", "عيد الفطر"),
        "eid_al_adha": ("Eid al-Adha", "عيد الأضحى"),
        "white_friday": ("White Friday", "الجمعة البيضاء"),
        "black_friday": ("Black Friday", "الجمعة السوداء"),
        "saudi_national_day": ("Saudi National Day", "اليوم الوطني السعودي"),
        "founding_day": ("Founding Day", "يوم التأسيس"),
    }
    fallback = (theme or "the occasion").replace("_", " ")
    return names.get(theme or "", (fallback, fallback))
