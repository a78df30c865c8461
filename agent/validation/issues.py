"""The issue model (ValidationIssue, Fix): building issues, applying fixes, and the wording rules share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field

from agent.messages import Bi
from agent.models import CampaignRequest
from agent.parsing.conflicts import settle
from agent.platform_rules import rules_for

Severity = Literal["error", "warning", "info"]


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


def make_issue(
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


def make_fix(label: tuple[str, str], patch: dict[str, Any]) -> Fix:
    return Fix(label_en=label[0], label_ar=label[1], patch=patch)


def platform_name(name: str) -> Bi:
    rules = rules_for(name)
    return Bi(rules.name_en, rules.name_ar)


def platform_names(names: Iterable[str]) -> Bi:
    items = [platform_name(n) for n in names]
    return Bi(" and ".join(i.en for i in items), " و".join(i.ar for i in items))


def schedule_patch(start: date, n_days: int) -> dict[str, Any]:
    end = start + timedelta(days=n_days - 1)
    return {
        "schedule": {"start_date": start.isoformat(), "end_date": end.isoformat(), "duration_days": n_days}
    }


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
