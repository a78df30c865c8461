"""Audience rules: age ranges each platform can express, targetable locations, special ad categories."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from agent import messages as msg
from agent.messages import Bi
from agent.models import CampaignRequest, Location
from agent.planning import platform_locations, request_texts
from agent.platform_rules import rules_for
from agent.platform_rules import tiktok as tiktok_rules
from agent.platform_rules.special_categories import detect
from agent.validation.issues import ValidationIssue, make_fix, make_issue, platform_name, platform_names

SPECIAL_CATEGORIES = ("housing", "employment", "credit")


def _ages(age_min: int | None, age_max: int | None) -> str:
    if age_max is None or age_max >= 65:
        return f"{age_min if age_min is not None else 18}+"
    if age_min is None:
        return f"13-{age_max}"
    return f"{age_min}-{age_max}"


def assumed_age_notes(request: CampaignRequest) -> list[ValidationIssue]:
    """Ages read from words ("young people", "للشباب"), not numbers: say which ages, and that they can change."""
    spans = request.sources.get("audience.age_min") or request.sources.get("audience.age_max") or []
    if not spans or any(ch.isdigit() for span in spans for ch in span.text):
        return []
    a = request.audience
    words = " ".join(span.text for span in spans)
    text = msg.text("ages_assumed", words=words, ages=_ages(a.age_min, a.age_max))
    return [make_issue("audience.age_min", "ages_assumed", "info", text)]


def age_issues(request: CampaignRequest) -> list[ValidationIssue]:
    a = request.audience
    if a.age_min is not None and a.age_max is not None and a.age_min > a.age_max:
        text = msg.text("age_range_invalid", age_min=a.age_min, age_max=a.age_max)
        fix = make_fix(
            msg.text("fix_swap_ages", ages=_ages(a.age_max, a.age_min)),
            {"audience": {"age_min": a.age_max, "age_max": a.age_min}},
        )
        return [make_issue("audience.age_min", "age_range_invalid", "error", text, fixes=[fix])]
    if a.age_min is None and a.age_max is None:
        return []
    issues = assumed_age_notes(request)
    asked = _ages(a.age_min, a.age_max)
    for platform in request.platforms:
        if platform == "meta":
            continue  # any whole-year range from 13 to 65+ (and Meta's split keeps the asked edges)
        got_min, got_max = rules_for(platform).express_ages(a.age_min, a.age_max)
        got = _ages(got_min, got_max)
        if got == asked:
            continue
        fixes = [
            make_fix(
                msg.text("fix_age_everywhere", ages=got),
                {"audience": {"age_min": got_min, "age_max": got_max if got_max is not None else 65}},
            )
        ]
        key = "age_range_rounded"
        if platform == "tiktok":
            inner = tiktok_rules.inner_age_range(a.age_min, a.age_max)
            if inner is not None and _ages(*inner) not in (asked, got):
                fixes.append(
                    make_fix(
                        msg.text("fix_age_narrow", ages=_ages(*inner)),
                        {"audience": {"age_min": inner[0], "age_max": inner[1] or 65}},
                    )
                )
        else:
            key = "age_range_open"
        text = msg.text(key, platform=platform_name(platform), asked=asked, got=got)
        field = "audience.age_max" if got_max != a.age_max else "audience.age_min"
        issues.append(make_issue(field, "age_range_rounded", "warning", text, platform=platform, fixes=fixes))
    return issues


def _location_payload(locations: Iterable[Location]) -> list[dict[str, Any]]:
    return [loc.model_dump(mode="json") for loc in locations]


def location_issues(request: CampaignRequest) -> list[ValidationIssue]:
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
                platform=platform_name(platform),
                location=asked.name,
                wider=wider.name,
                ad_set=Bi(rules.ad_set_en, rules.ad_set_ar),
            )
            issues.append(
                make_issue(
                    "audience.locations", "location_not_targetable", "warning", text, platform=platform
                )
            )
        if not kept:
            text = msg.text("no_locations_left", platform=platform_name(platform))
            issues.append(
                make_issue("audience.locations", "location_not_targetable", "error", text, platform=platform)
            )
    for i, platforms in blocked.items():
        loc = locations[i]
        rest = [other for j, other in enumerate(locations) if j != i]
        fixes = (
            [
                make_fix(
                    msg.text("fix_drop_location", location=loc.name),
                    {"audience": {"locations": _location_payload(rest)}},
                )
            ]
            if rest
            else []
        )
        text = msg.text("location_untargetable", platform=platform_names(platforms), location=loc.name)
        issues.insert(
            0,
            make_issue(
                "audience.locations",
                "location_not_targetable",
                "error",
                text,
                platform=platforms[0] if len(platforms) == 1 else None,
                fixes=fixes,
            ),
        )
    return issues


def special_category_issues(request: CampaignRequest, instruction: str | None) -> list[ValidationIssue]:
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
        fix = make_fix(
            msg.text("fix_clear_demographics"),
            {"audience": {"genders": [], "age_min": None, "age_max": None}},
        )
        text = msg.text("special_category_targeting", category=category, what=what, what_ar=what_ar)
        return [make_issue("audience", "special_ad_category", "warning", text, platform="meta", fixes=[fix])]
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
        make_fix(msg.text("fix_declare_category", category=category), {"special_ad_categories": cats}),
        make_fix(msg.text("fix_not_category", category=category), {"special_ad_categories": []}),
    ]
    return [make_issue("special_ad_categories", "special_ad_category", "error", text, fixes=fixes)]
