"""Budget rules: each platform's minimum for the days and ad sets planned, and how the budget is split."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from agent import messages as msg
from agent.messages import Bi
from agent.models import CampaignRequest
from agent.planning import (
    DEFAULT_OBJECTIVE,
    audience_segments,
    budget_shares,
    effective_schedule,
    platform_minimum,
    schedule_days,
    split_evenly,
)
from agent.platform_rules import rules_for
from agent.platform_rules.currency import quantum
from agent.validation.issues import (
    ValidationIssue,
    make_fix,
    make_issue,
    platform_name,
    platform_names,
    schedule_patch,
)


def budget_issues(request: CampaignRequest, today: date, instruction: str | None) -> list[ValidationIssue]:
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
            text = msg.text("minimum_unknown", platform=platform_name(platform), currency=currency)
            issues.append(make_issue("budget.amount", "minimum_unknown", "warning", text, platform=platform))
    known = {p: m for p, m in minimums.items() if m is not None}
    needed = sum(known.values(), Decimal(0))
    if total >= needed:
        if len(shares) < 2:
            return issues
        equal = dict(zip(shares, split_evenly(total, currency, len(shares)), strict=True))
        split = Bi(
            ", ".join(f"{platform_name(p).en} {msg.money(a, currency).en}" for p, a in shares.items()),
            "، ".join(f"{platform_name(p).ar} {msg.money(a, currency).ar}" for p, a in shares.items()),
        )
        pinned = [p for p in shares if shares[p] != equal[p] and shares[p] == known.get(p)]
        adjusted = Bi("", "")
        if pinned:
            adjusted = msg.bi(
                "budget_split_adjusted",
                platforms=platform_names(pinned),
                minimum=msg.money(sum((known[p] for p in pinned), Decimal(0)), currency),
            )
        text = msg.text("budget_split", split=split, adjusted=adjusted)
        issues.append(make_issue("budget.amount", "budget_split", "info", text))
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
            "platform": platform_name(platform),
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
        make_fix(
            msg.text("fix_raise_budget", amount=msg.money(needed, currency)),
            {"budget": {"amount": str(needed)}},
        )
    ]
    if lifetime:
        for n in range(n_days - 1, 0, -1):
            mins = [platform_minimum(request, p, currency, n, instruction) for p in known]
            if total >= sum((m for m in mins if m is not None), Decimal(0)):
                patch = schedule_patch(start, n)
                fixes.append(
                    make_fix(
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
        platforms=platform_names(short_platforms or list(known)),
        days=msg.days(n_days),
        details=msg.join(details),
        needed=msg.money(needed, currency),
        all_platforms=platform_names(known),
        short=msg.money(needed - total, currency),
    )
    issues.append(
        make_issue(
            "budget.amount",
            "budget_below_minimum",
            "error",
            text,
            platform=short_platforms[0] if len(short_platforms) == 1 else None,
            fixes=fixes,
        )
    )
    return issues
