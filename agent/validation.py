"""Checks a CampaignRequest against each platform's rules and returns specific, fixable, bilingual issues."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from agent import messages as msg
from agent.messages import Bi
from agent.models import CampaignRequest, Location
from agent.parsing.conflicts import open_conflicts, settle
from agent.planning import (
    DEFAULT_DURATION_DAYS,
    DEFAULT_OBJECTIVE,
    OBJECTIVES_NEEDING_URL,
    AccountFacts,
    CampaignPlan,
    audience_segments,
    budget_shares,
    effective_schedule,
    platform_locations,
    platform_minimum,
    request_texts,
    schedule_days,
    split_evenly,
)
from agent.platform_rules import rules_for
from agent.platform_rules import tiktok as tiktok_rules
from agent.platform_rules.currency import convert, quantum
from agent.platform_rules.special_categories import detect

__all__ = [
    "AccountFacts",
    "Fix",
    "ValidationIssue",
    "apply_fix",
    "blocking",
    "clarification_question",
    "missing_fields",
    "validate_plan",
    "validate_request",
]

Severity = Literal["error", "warning", "info"]
SPECIAL_CATEGORIES = ("housing", "employment", "credit")


class Fix(BaseModel):
    label_en: str
    label_ar: str
    patch: dict[str, Any]  # partial update of the request (contract field names, nested); JSON-safe values


class ValidationIssue(BaseModel):
    field: str  # contract path, e.g. "budget.amount", "audience.age_min", "schedule.start_date", "platforms"
    code: str
    severity: Severity  # error blocks; warning and info are shown and the flow goes on
    platform: str | None = None
    message_en: str
    message_ar: str
    fixes: list[Fix] = Field(default_factory=list)


def _issue(
    field: str,
    code: str,
    severity: Severity,
    text: tuple[str, str],
    *,
    platform: str | None = None,
    fixes: Iterable[Fix] = (),
) -> ValidationIssue:
    return ValidationIssue(
        field=field,
        code=code,
        severity=severity,
        platform=platform,
        message_en=text[0],
        message_ar=text[1],
        fixes=list(fixes),
    )


def _fix(label: tuple[str, str], patch: dict[str, Any]) -> Fix:
    return Fix(label_en=label[0], label_ar=label[1], patch=patch)


def _platform(name: str) -> Bi:
    rules = rules_for(name)
    return Bi(rules.name_en, rules.name_ar)


def _platforms(names: Iterable[str]) -> Bi:
    items = [_platform(n) for n in names]
    return Bi(" and ".join(i.en for i in items), " و".join(i.ar for i in items))


def _ages(age_min: int | None, age_max: int | None) -> str:
    if age_max is None or age_max >= 65:
        return f"{age_min if age_min is not None else 18}+"
    if age_min is None:
        return f"13-{age_max}"
    return f"{age_min}-{age_max}"


def _schedule_patch(start: date, n_days: int) -> dict[str, Any]:
    end = start + timedelta(days=n_days - 1)
    return {
        "schedule": {"start_date": start.isoformat(), "end_date": end.isoformat(), "duration_days": n_days}
    }


# ------------------------------------------------------------------------------------------- missing


def missing_fields(request: CampaignRequest) -> list[str]:
    """What the flow cannot go on without: the parser's `missing` plus anything else that is empty."""
    fields = list(dict.fromkeys(request.missing))
    named = {f.split(".", 1)[0] for f in fields} | set(fields)
    if not request.platforms and "platforms" not in named:
        fields.append("platforms")
    if request.budget is None and "budget" not in named:
        fields.append("budget")
    if not request.audience.locations and not ({"audience", "audience.locations", "locations"} & named):
        fields.append("audience.locations")
    return fields


def _missing(request: CampaignRequest) -> list[ValidationIssue]:
    issues = []
    disputed = {c["field"] for c in open_conflicts(request)}  # asked as a choice by _conflict_issues
    for field in missing_fields(request):
        if field in disputed:
            continue
        label_en, example_en, label_ar, example_ar = msg.field_prompt(field)
        text = msg.text(
            "missing", label=Bi(label_en.capitalize(), label_ar), example=Bi(example_en, example_ar)
        )
        issues.append(_issue(field, "missing", "error", text))
    return issues


def clarification_question(request: CampaignRequest, language: str) -> str | None:
    """ONE question listing everything missing, in the user's language ("ar"/"en"), with example answers."""
    fields = missing_fields(request)
    if not fields:
        return None
    ar = language == "ar"
    lines = [msg.text("question_intro")[1 if ar else 0]]
    examples: list[str] = []
    seen: set[str] = set()
    disputed = {c["field"]: c for c in open_conflicts(request)}
    for field in fields:
        if field in disputed:
            ours, theirs, _, _ = _conflict_choices(request, disputed[field])
            topic = msg.CONFLICT_LABELS.get(field, Bi(field, field))
            seen.add(field)
            examples.append(ours.ar if ar else ours.en)
            line = msg.text("conflict_line", label=topic, rules=ours, llm=theirs)[1 if ar else 0]
            lines.append(f"{len(seen)}) {line}")
            continue
        label_en, example_en, label_ar, example_ar = msg.field_prompt(field)
        label, example = (label_ar, example_ar) if ar else (label_en, example_en)
        if label in seen:  # age_min and age_max both missing: ask for "the age range" once
            continue
        seen.add(label)
        examples.append(example)
        quote = f"«{example}»" if ar else f"“{example}”"
        lines.append(f"{len(seen)}) {label} ({'مثال' if ar else 'e.g.'} {quote})")
    joiner = "، " if ar else ", "
    lines.append(msg.text("question_outro", example=joiner.join(examples[:3]))[1 if ar else 0])
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- conflicts


def _conflict_choices(
    request: CampaignRequest, conflict: Mapping[str, Any]
) -> tuple[Bi, Bi, dict[str, Any], dict[str, Any]]:
    """(the rules' value, the LLM's value, the patch that keeps the first, the patch that takes the second)."""
    field, ours, theirs = str(conflict["field"]), conflict["rules"], conflict["llm"]
    if field == "budget.amount":
        currency = request.budget.currency if request.budget is not None else "SAR"
        return (msg.money(Decimal(str(ours)), currency), msg.money(Decimal(str(theirs)), currency),
                {"budget": {"amount": str(ours)}}, {"budget": {"amount": str(theirs)}})
    if field.startswith("audience."):
        leaf = field.split(".", 1)[1]
        return (Bi(str(ours), str(ours)), Bi(str(theirs), str(theirs)),
                {"audience": {leaf: ours}}, {"audience": {leaf: theirs}})
    if field == "schedule":
        return _schedule_text(ours), _schedule_text(theirs), {"schedule": ours}, {"schedule": theirs}
    if field == "platforms":
        apps: list[str] = list(request.publisher_platforms.get("meta", []))
        return (_platform_choice(ours, apps), _platform_choice(theirs, []),
                {"platforms": ours}, {"platforms": theirs, "publisher_platforms": {"meta": apps if "meta" in theirs else []}})
    return Bi(str(ours), str(ours)), Bi(str(theirs), str(theirs)), {field: ours}, {field: theirs}


def _schedule_text(value: Mapping[str, Any]) -> Bi:
    start, end, n_days = value.get("start_date"), value.get("end_date"), value.get("duration_days")
    if start and end:
        return msg.bi("schedule_range", start=start, end=end)
    if n_days:
        return msg.days(int(n_days))
    return Bi(str(start or end or "?"), str(start or end or "?"))


def _platform_choice(platforms: Iterable[str], apps: list[str]) -> Bi:
    items = [_platform(p) if p != "meta" or not apps else
             Bi(" and ".join(msg.APP_NAMES[a].en for a in apps), " و".join(msg.APP_NAMES[a].ar for a in apps))
             for p in platforms]
    return Bi(" and ".join(i.en for i in items), " و".join(i.ar for i in items))


def _conflict_issues(request: CampaignRequest) -> list[ValidationIssue]:
    """One question per disagreement between the rules and the LLM, with both readings offered as fixes."""
    issues = []
    for conflict in open_conflicts(request):
        field = str(conflict["field"])
        ours, theirs, keep, take = _conflict_choices(request, conflict)
        label = msg.CONFLICT_LABELS.get(field, Bi(field, field))
        fixes = [_fix(msg.text("fix_use_value", value=ours), keep), _fix(msg.text("fix_use_value", value=theirs), take)]
        text = msg.text("conflict", label=label, rules=ours, llm=theirs)
        issues.append(_issue(field, "conflict", "error", text, fixes=fixes))
    return issues


# ------------------------------------------------------------------------------------------- schedule


def _schedule(request: CampaignRequest, today: date) -> tuple[list[ValidationIssue], bool]:
    """(issues, whether the schedule is usable for the budget check)."""
    s = request.schedule
    start, end = effective_schedule(request, today)
    wanted_days = s.duration_days or DEFAULT_DURATION_DAYS
    if s.start_date is not None and s.start_date < today:
        keep = schedule_days(start, end) if end >= start else wanted_days
        fixes = []
        if s.end_date is not None and s.end_date >= today:
            fixes.append(
                _fix(
                    msg.text("fix_start_on", when="today", when_ar="اليوم", start=today, end=s.end_date),
                    {
                        "schedule": {
                            "start_date": today.isoformat(),
                            "end_date": s.end_date.isoformat(),
                            "duration_days": schedule_days(today, s.end_date),
                        }
                    },
                )
            )
        tomorrow = today + timedelta(days=1)
        for when, when_ar, day in (("today", "اليوم", today), ("tomorrow", "غداً", tomorrow)):
            patch = _schedule_patch(day, keep)
            label = msg.text(
                "fix_start_on", when=when, when_ar=when_ar, start=day, end=patch["schedule"]["end_date"]
            )
            if patch not in [f.patch for f in fixes]:
                fixes.append(_fix(label, patch))
        text = msg.text("date_in_past", start=s.start_date, today=today)
        return [_issue("schedule.start_date", "date_in_past", "error", text, fixes=fixes)], False
    if end < start:
        patch = _schedule_patch(start, wanted_days)
        fixes = [
            _fix(
                msg.text(
                    "fix_run_days", days=msg.days(wanted_days), start=start, end=patch["schedule"]["end_date"]
                ),
                patch,
            )
        ]
        if end < today:
            text = msg.text("end_in_past", end=end, today=today)
            return [_issue("schedule.end_date", "date_in_past", "error", text, fixes=fixes)], False
        if s.start_date is not None:
            fixes.append(
                _fix(
                    msg.text("fix_swap_dates", start=end, end=start),
                    _schedule_patch(end, schedule_days(end, start)),
                )
            )
        text = msg.text("end_before_start", start=start, end=end)
        return [_issue("schedule.end_date", "end_before_start", "error", text, fixes=fixes)], False
    info: tuple[str, str] | None = None
    n_days = msg.days(schedule_days(start, end))
    if s.start_date is None and s.end_date is None and s.duration_days is None:
        info = msg.text("schedule_default_all", start=start, end=end, days=n_days)
    elif s.end_date is None and s.duration_days is None:
        info = msg.text("schedule_default_end", start=start, end=end, days=n_days)
    elif s.start_date is None:
        info = msg.text("schedule_default_start", start=start, end=end)
    issues = [_issue("schedule", "schedule_default", "info", info)] if info else []
    return issues, True


# ------------------------------------------------------------------------------------------- audience


def _age_issues(request: CampaignRequest) -> list[ValidationIssue]:
    a = request.audience
    if a.age_min is not None and a.age_max is not None and a.age_min > a.age_max:
        text = msg.text("age_range_invalid", age_min=a.age_min, age_max=a.age_max)
        fix = _fix(
            msg.text("fix_swap_ages", ages=_ages(a.age_max, a.age_min)),
            {"audience": {"age_min": a.age_max, "age_max": a.age_min}},
        )
        return [_issue("audience.age_min", "age_range_invalid", "error", text, fixes=[fix])]
    if a.age_min is None and a.age_max is None:
        return []
    issues = []
    asked = _ages(a.age_min, a.age_max)
    for platform in request.platforms:
        if platform == "meta":
            continue  # any whole-year range from 13 to 65+ (and Meta's split keeps the asked edges)
        got_min, got_max = rules_for(platform).express_ages(a.age_min, a.age_max)
        got = _ages(got_min, got_max)
        if got == asked:
            continue
        fixes = [
            _fix(
                msg.text("fix_age_everywhere", ages=got),
                {"audience": {"age_min": got_min, "age_max": got_max if got_max is not None else 65}},
            )
        ]
        key = "age_range_rounded"
        if platform == "tiktok":
            inner = tiktok_rules.inner_age_range(a.age_min, a.age_max)
            if inner is not None and _ages(*inner) not in (asked, got):
                fixes.append(
                    _fix(
                        msg.text("fix_age_narrow", ages=_ages(*inner)),
                        {"audience": {"age_min": inner[0], "age_max": inner[1] or 65}},
                    )
                )
        else:
            key = "age_range_open"
        text = msg.text(key, platform=_platform(platform), asked=asked, got=got)
        field = "audience.age_max" if got_max != a.age_max else "audience.age_min"
        issues.append(_issue(field, "age_range_rounded", "warning", text, platform=platform, fixes=fixes))
    return issues


def _location_payload(locations: Iterable[Location]) -> list[dict[str, Any]]:
    return [loc.model_dump(mode="json") for loc in locations]


def _location_issues(request: CampaignRequest) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    locations = request.audience.locations
    if not locations:
        return issues
    blocked: dict[int, list[str]] = {}
    for platform in request.platforms:
        rules = rules_for(platform)
        for i, loc in enumerate(locations):
            if loc.country_code in rules.untargetable_countries:
                blocked.setdefault(i, []).append(platform)
        kept, widened = platform_locations(request, platform)
        for asked, wider in widened:
            text = msg.text(
                "location_widened",
                platform=_platform(platform),
                location=asked.name,
                wider=wider.name,
                ad_set=Bi(rules.ad_set_en, rules.ad_set_ar),
            )
            issues.append(
                _issue("audience.locations", "location_not_targetable", "warning", text, platform=platform)
            )
        if not kept:
            text = msg.text("no_locations_left", platform=_platform(platform))
            issues.append(
                _issue("audience.locations", "location_not_targetable", "error", text, platform=platform)
            )
    for i, platforms in blocked.items():
        loc = locations[i]
        rest = [other for j, other in enumerate(locations) if j != i]
        fixes = (
            [
                _fix(
                    msg.text("fix_drop_location", location=loc.name),
                    {"audience": {"locations": _location_payload(rest)}},
                )
            ]
            if rest
            else []
        )
        text = msg.text("location_untargetable", platform=_platforms(platforms), location=loc.name)
        issues.insert(
            0,
            _issue(
                "audience.locations",
                "location_not_targetable",
                "error",
                text,
                platform=platforms[0] if len(platforms) == 1 else None,
                fixes=fixes,
            ),
        )
    return issues


def _special_issues(request: CampaignRequest, instruction: str | None) -> list[ValidationIssue]:
    explicit = (request.model_extra or {}).get("special_ad_categories")
    if isinstance(explicit, list):
        declared = [c for c in explicit if c in SPECIAL_CATEGORIES]
        a = request.audience
        narrowed_age = (a.age_min is not None and a.age_min > 18) or (
            a.age_max is not None and a.age_max < 65
        )
        if not declared or "meta" not in request.platforms or not (a.genders or narrowed_age):
            return []
        what = " and ".join(w for w, on in (("age", narrowed_age), ("gender", bool(a.genders))) if on)
        what_ar = " و".join(w for w, on in (("العمر", narrowed_age), ("الجنس", bool(a.genders))) if on)
        category = Bi(
            " / ".join(msg.CATEGORY[c].en for c in declared), " / ".join(msg.CATEGORY[c].ar for c in declared)
        )
        fix = _fix(
            msg.text("fix_clear_demographics"),
            {"audience": {"genders": [], "age_min": None, "age_max": None}},
        )
        text = msg.text("special_category_targeting", category=category, what=what, what_ar=what_ar)
        return [_issue("audience", "special_ad_category", "warning", text, platform="meta", fixes=[fix])]
    found = detect(request_texts(request, instruction))
    if not found:
        return []
    cats = sorted(found)
    category = Bi(" / ".join(msg.CATEGORY[c].en for c in cats), " / ".join(msg.CATEGORY[c].ar for c in cats))
    words = ", ".join(dict.fromkeys(w for c in cats for w in found[c]))
    text = msg.text(
        "special_ad_category",
        category=category,
        category_cap=Bi(category.en.capitalize(), category.ar),
        words=words,
    )
    fixes = [
        _fix(msg.text("fix_declare_category", category=category), {"special_ad_categories": cats}),
        _fix(msg.text("fix_not_category", category=category), {"special_ad_categories": []}),
    ]
    return [_issue("special_ad_categories", "special_ad_category", "error", text, fixes=fixes)]


# ------------------------------------------------------------------------------------------- accounts


def _account_issues(
    request: CampaignRequest, accounts: Mapping[str, AccountFacts] | None
) -> tuple[list[ValidationIssue], bool]:
    """(issues, whether every connected account bills in the budget's currency)."""
    issues: list[ValidationIssue] = []
    same_currency = True
    for platform in request.platforms:
        account = (accounts or {}).get(platform)
        if account is None:
            continue  # not connected yet: connect_accounts comes after validation
        if not account.can_create_ads:
            text = msg.text(
                "account_cannot_create_ads", platform=_platform(platform), account=account.external_account_id
            )
            issues.append(_issue("platforms", "account_cannot_create_ads", "error", text, platform=platform))
        budget = request.budget
        if budget is not None and account.currency != budget.currency:
            same_currency = False
            converted = convert(Decimal(budget.amount), budget.currency, account.currency)
            fixes: list[Fix] = []
            conv_text = ("", "")
            if converted is not None:
                amount = msg.money(converted, account.currency)
                conv_text = msg.text("converted_at_peg", amount=amount)
                fixes.append(
                    _fix(
                        msg.text("fix_convert", amount=amount),
                        {"budget": {"amount": str(converted), "currency": account.currency}},
                    )
                )
            text = msg.text(
                "account_currency_mismatch",
                platform=_platform(platform),
                account_currency=account.currency,
                currency=budget.currency,
                converted=Bi(*conv_text),
            )
            issues.append(
                _issue(
                    "budget.currency",
                    "account_currency_mismatch",
                    "error",
                    text,
                    platform=platform,
                    fixes=fixes,
                )
            )
    return issues, same_currency


# ------------------------------------------------------------------------------------------- budget


def _budget_issues(request: CampaignRequest, today: date, instruction: str | None) -> list[ValidationIssue]:
    budget = request.budget
    assert budget is not None
    currency = budget.currency
    start, end = effective_schedule(request, today)
    n_days = schedule_days(start, end)
    lifetime = budget.period == "lifetime"
    shares, minimums = budget_shares(request, today, instruction=instruction)
    total = Decimal(budget.amount).quantize(quantum(currency))
    issues: list[ValidationIssue] = []
    for platform, minimum in minimums.items():
        if minimum is None:
            text = msg.text("minimum_unknown", platform=_platform(platform), currency=currency)
            issues.append(_issue("budget.amount", "minimum_unknown", "warning", text, platform=platform))
    known = {p: m for p, m in minimums.items() if m is not None}
    needed = sum(known.values(), Decimal(0))
    if total >= needed:
        if len(shares) < 2:
            return issues
        equal = dict(zip(shares, split_evenly(total, currency, len(shares)), strict=True))
        split = Bi(
            ", ".join(f"{_platform(p).en} {msg.money(a, currency).en}" for p, a in shares.items()),
            "، ".join(f"{_platform(p).ar} {msg.money(a, currency).ar}" for p, a in shares.items()),
        )
        pinned = [p for p in shares if shares[p] != equal[p] and shares[p] == known.get(p)]
        adjusted = Bi("", "")
        if pinned:
            adjusted = msg.bi(
                "budget_split_adjusted",
                platforms=_platforms(pinned),
                minimum=msg.money(sum((known[p] for p in pinned), Decimal(0)), currency),
            )
        text = msg.text("budget_split", split=split, adjusted=adjusted)
        issues.append(_issue("budget.amount", "budget_split", "info", text))
        return issues

    equal = dict(zip(minimums, split_evenly(total, currency, len(minimums)), strict=True))
    short_platforms = [p for p, m in known.items() if equal[p] < m]
    details: list[Bi] = []
    for platform in short_platforms:
        rules = rules_for(platform)
        min_day = rules.ad_set_min_daily(currency, request.objective or DEFAULT_OBJECTIVE)
        n_sets = len(audience_segments(request, platform, instruction))
        factor = n_days if lifetime else 1
        values: dict[str, object] = {
            "platform": _platform(platform),
            "need": msg.money(known[platform], currency),
            "share": msg.money(equal[platform], currency),
        }
        if min_day is not None and min_day * n_sets * factor == known[platform]:
            key = "platform_minimum_detail" if lifetime else "platform_minimum_detail_daily"
            per = Bi("", "")
            if n_sets > 1:
                per = Bi(
                    f" for each of its {n_sets} {rules.ad_set_en}s",
                    f" لكل واحدة من مجموعاته الإعلانية الـ{n_sets}",
                )
            values.update(min_day=msg.money(min_day, currency), per=per, days=msg.days(n_days))
        else:
            key = "platform_minimum_detail_flat"
        details.append(msg.bi(key, **values))

    fixes = [
        _fix(
            msg.text("fix_raise_budget", amount=msg.money(needed, currency)),
            {"budget": {"amount": str(needed)}},
        )
    ]
    if lifetime:
        for n in range(n_days - 1, 0, -1):
            mins = [platform_minimum(request, p, currency, n, instruction) for p in known]
            if total >= sum((m for m in mins if m is not None), Decimal(0)):
                patch = _schedule_patch(start, n)
                fixes.append(
                    _fix(
                        msg.text(
                            "fix_shorten", days=msg.days(n), start=start, end=patch["schedule"]["end_date"]
                        ),
                        patch,
                    )
                )
                break
    key = "budget_below_minimum" if lifetime else "budget_below_minimum_daily"
    text = msg.text(
        key,
        total=msg.money(total, currency),
        platforms=_platforms(short_platforms or list(known)),
        days=msg.days(n_days),
        details=msg.join(details),
        needed=msg.money(needed, currency),
        all_platforms=_platforms(known),
        short=msg.money(needed - total, currency),
    )
    issues.append(
        _issue(
            "budget.amount",
            "budget_below_minimum",
            "error",
            text,
            platform=short_platforms[0] if len(short_platforms) == 1 else None,
            fixes=fixes,
        )
    )
    return issues


# ------------------------------------------------------------------------------------------- the rest


_HIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def landing_url_problem(url: str) -> str | None:
    """Why a landing page cannot be published (a message key), or None. Pure: no lookup is made.

    Only https, to a public host name, without credentials and without invisible characters (a right-to-left
    override makes a URL read as another one)."""
    if _HIDDEN.search(url):
        return "landing_url_hidden"
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != "https":
        return "landing_url_not_https"
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "landing_url_credentials"
    host = (parts.hostname or "").rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        return None if address.is_global else "landing_url_private"
    if not host or "." not in host or host == "localhost" or host.endswith((".localhost", ".local", ".internal",
                                                                             ".lan", ".home", ".corp", ".test")):
        return "landing_url_private"
    return None


def _landing_issues(request: CampaignRequest, default_landing_url: str | None,
                    required: bool = False) -> list[ValidationIssue]:
    url = request.landing_url
    if url:
        if url.lower().startswith(("https://", "http://")):
            problem = landing_url_problem(url)
            if problem is None:
                return []
            fixes = []
            if problem == "landing_url_not_https":
                fixed = "https://" + url.strip().split("://", 1)[1]
                if landing_url_problem(fixed) is None:
                    fixes.append(_fix(msg.text("fix_https", url=fixed), {"landing_url": fixed}))
            shown = _HIDDEN.sub("\N{REPLACEMENT CHARACTER}", url)
            return [_issue("landing_url", problem, "error", msg.text(problem, url=shown), fixes=fixes)]
        fixes = []
        if "." in url and " " not in url.strip():
            fixed = "https://" + url.strip().removeprefix("//")
            fixes.append(_fix(msg.text("fix_https", url=fixed), {"landing_url": fixed}))
        text = msg.text("landing_url_invalid", url=url)
        return [_issue("landing_url", "landing_url_invalid", "error", text, fixes=fixes)]
    if default_landing_url:
        text = msg.text("landing_url_default", url=default_landing_url)
        return [_issue("landing_url", "landing_url_default", "info", text)]
    objective = request.objective or DEFAULT_OBJECTIVE
    if objective in OBJECTIVES_NEEDING_URL:
        text = msg.text("landing_url_missing", objective=objective, objective_ar=msg.OBJECTIVE_AR[objective])
        return [_issue("landing_url", "missing", "error", text)]
    if required:
        # A real platform never gets a placeholder page: whatever the objective, the ad links somewhere real.
        return [_issue("landing_url", "missing", "error", msg.text("landing_url_required"))]
    return []


def _other_issues(request: CampaignRequest) -> list[ValidationIssue]:
    issues = []
    if request.objective is None and "objective" not in request.missing:
        text = msg.text(
            "objective_default", objective=DEFAULT_OBJECTIVE, objective_ar=msg.OBJECTIVE_AR[DEFAULT_OBJECTIVE]
        )
        issues.append(_issue("objective", "objective_default", "info", text))
    types = request.creative_types
    if "tiktok" in request.platforms and types and "video" not in types:
        fix = _fix(msg.text("fix_add_video"), {"creative_types": [*types, "video"]})
        text = msg.text("tiktok_needs_video", types=", ".join(types))
        issues.append(
            _issue("creative_types", "tiktok_needs_video", "warning", text, platform="tiktok", fixes=[fix])
        )
    return issues


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
    issues = _conflict_issues(request) + _missing(request)
    schedule_issues, schedule_ok = _schedule(request, today)
    issues += schedule_issues
    issues += _age_issues(request)
    issues += _location_issues(request)
    issues += _special_issues(request, instruction)
    account_issues, same_currency = _account_issues(request, accounts)
    issues += account_issues
    issues += _landing_issues(request, default_landing_url, landing_required)
    issues += _other_issues(request)
    if request.budget is not None and request.platforms and schedule_ok and same_currency:
        issues += _budget_issues(request, today, instruction)
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
    start, end = fitted.schedule.start_date, fitted.schedule.end_date
    days = fitted.schedule.duration_days or 1
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
    restore = _fix(msg.text("fix_full_occasion", **values), {**raise_fix.patch, "schedule": whole})
    issue = _issue("schedule", "schedule_fitted_to_budget", "warning", msg.text("schedule_fitted", **values),
                   fixes=[restore])
    return fitted, issue


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


def blocking(issues: Iterable[ValidationIssue]) -> list[ValidationIssue]:
    """The issues that stop the flow until fixed."""
    return [i for i in issues if i.severity == "error"]


def _merge(base: dict[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in patch.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value  # lists and scalars replace: a patch says the whole new value
    return out


def apply_fix(request: CampaignRequest, fix: Fix) -> CampaignRequest:
    """The request with `fix.patch` merged in (nested dicts merge, everything else replaces), re-validated.

    Spans in `sources` for the patched top-level fields are dropped: those values no longer come from
    the text.
    """
    data = _merge(request.model_dump(mode="python"), fix.patch)
    touched = set(fix.patch)
    data["sources"] = {k: v for k, v in data.get("sources", {}).items() if k.split(".", 1)[0] not in touched}
    data["missing"] = [m for m in data.get("missing", []) if m.split(".", 1)[0] not in touched]
    return CampaignRequest.model_validate(settle(data, touched))


# ------------------------------------------------------------------------------------------- plan checks


def validate_plan(plan: CampaignPlan) -> list[ValidationIssue]:
    """Copy-length checks on a built plan (hard platform limits are errors, recommendations warnings)."""
    hard = {"tiktok", "snapchat"}  # TikTok ad_text and Snapchat headline limits are enforced by their APIs
    field_ar = {"headline": "العنوان", "primary_text": "النص الأساسي", "description": "الوصف"}
    issues = []
    for p in plan.platforms:
        limits = rules_for(p.platform).copy_limits
        for ad_set in p.ad_sets:
            for ad in ad_set.ads:
                for field in ("headline", "primary_text", "description"):
                    limit = limits.get(field)
                    value: str = getattr(ad, field)
                    if limit is None or len(value) <= limit:
                        continue
                    severity: Severity = "error" if p.platform in hard else "warning"
                    text = msg.text(
                        "copy_too_long",
                        field=field.replace("_", " "),
                        field_ar=field_ar[field],
                        platform=_platform(p.platform),
                        ad=ad.key,
                        length=len(value),
                        limit=limit,
                        hard="" if severity == "error" else " before it is cut off",
                        hard_ar="" if severity == "error" else " قبل أن يُقتطع",
                    )
                    issues.append(
                        _issue(f"ads.{ad.key}.{field}", "copy_too_long", severity, text, platform=p.platform)
                    )
    return issues
