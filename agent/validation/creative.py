"""What the ads are: the objective assumed, creative types a platform needs, copy within platform limits."""

from __future__ import annotations

from agent import messages as msg
from agent.models import CampaignRequest
from agent.planning import DEFAULT_OBJECTIVE, CampaignPlan
from agent.platform_rules import rules_for
from agent.validation.issues import Severity, ValidationIssue, make_fix, make_issue, platform_name


def objective_issues(request: CampaignRequest) -> list[ValidationIssue]:
    """The objective assumed when none was given (and none is being asked for)."""
    if request.objective is None and "objective" not in request.missing:
        text = msg.text(
            "objective_default", objective=DEFAULT_OBJECTIVE, objective_ar=msg.OBJECTIVE_AR[DEFAULT_OBJECTIVE]
        )
        return [make_issue("objective", "objective_default", "info", text)]
    return []


def creative_type_issues(request: CampaignRequest) -> list[ValidationIssue]:
    """Creative types a platform cannot run without: TikTok serves video only."""
    types = request.creative_types
    if "tiktok" in request.platforms and types and "video" not in types:
        fix = make_fix(msg.text("fix_add_video"), {"creative_types": [*types, "video"]})
        text = msg.text("tiktok_needs_video", types=", ".join(types))
        return [make_issue("creative_types", "tiktok_needs_video", "warning", text, platform="tiktok",
                           fixes=[fix])]
    return []


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
                        platform=platform_name(p.platform),
                        ad=ad.key,
                        length=len(value),
                        limit=limit,
                        hard="" if severity == "error" else " before it is cut off",
                        hard_ar="" if severity == "error" else " قبل أن يُقتطع",
                    )
                    where = f"ads.{ad.key}.{field}"
                    issues.append(make_issue(where, "copy_too_long", severity, text, platform=p.platform))
    return issues
