"""What still has to be asked: missing fields, rules-vs-LLM disagreements, the one clarification question."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from agent import messages as msg
from agent.messages import Bi
from agent.models import CampaignRequest
from agent.parsing.conflicts import open_conflicts
from agent.validation.issues import ValidationIssue, make_fix, make_issue, platform_name


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


def missing_issues(request: CampaignRequest) -> list[ValidationIssue]:
    issues = []
    disputed = {c["field"] for c in open_conflicts(request)}  # asked as a choice by _conflict_issues
    for field in missing_fields(request):
        if field in disputed:
            continue
        label_en, example_en, label_ar, example_ar = msg.field_prompt(field)
        text = msg.text(
            "missing", label=Bi(label_en.capitalize(), label_ar), example=Bi(example_en, example_ar)
        )
        issues.append(make_issue(field, "missing", "error", text))
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
    items = [platform_name(p) if p != "meta" or not apps else
             Bi(" and ".join(msg.APP_NAMES[a].en for a in apps), " و".join(msg.APP_NAMES[a].ar for a in apps))
             for p in platforms]
    return Bi(" and ".join(i.en for i in items), " و".join(i.ar for i in items))


def conflict_issues(request: CampaignRequest) -> list[ValidationIssue]:
    """One question per disagreement between the rules and the LLM, with both readings offered as fixes."""
    issues = []
    for conflict in open_conflicts(request):
        field = str(conflict["field"])
        ours, theirs, keep, take = _conflict_choices(request, conflict)
        label = msg.CONFLICT_LABELS.get(field, Bi(field, field))
        fixes = [
            make_fix(msg.text("fix_use_value", value=ours), keep),
            make_fix(msg.text("fix_use_value", value=theirs), take),
        ]
        text = msg.text("conflict", label=label, rules=ours, llm=theirs)
        issues.append(make_issue(field, "conflict", "error", text, fixes=fixes))
    return issues
