"""Budget ceilings: above a workspace's per-campaign or per-day ceiling, a plan needs an admin's approval.

A typo with an extra zero must not be published as readily as a real plan. The ceilings are in the workspace's
currency; a plan in another currency cannot be compared without a rate, so it counts as above them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from agent.planning import CampaignPlan
from agent.texts import lang_of


@dataclass(frozen=True)
class CeilingBreach:
    """Why a plan is above the ceilings: the plan's figures and the ceilings they break."""

    total: Decimal  # what the whole campaign may spend
    per_day: Decimal  # its daily spend (the daily budget, or the total spread over its days)
    currency: str
    max_campaign: Decimal
    max_daily: Decimal
    workspace_currency: str

    def reason(self, language: str) -> str:
        ar = lang_of(language) == "ar"
        if self.currency != self.workspace_currency:
            return (f"الميزانية بعملة {self.currency} وحدود مساحة العمل بعملة {self.workspace_currency}، فلا يمكن مقارنتها"
                    if ar else f"the budget is in {self.currency} and the workspace's ceilings are in "
                               f"{self.workspace_currency}, so they cannot be compared")
        parts = []
        if self.total > self.max_campaign:
            parts.append(f"الإجمالي {self.total:,} {self.currency} أعلى من حد الحملة {self.max_campaign:,}" if ar
                         else f"the total of {self.total:,} {self.currency} is above the campaign ceiling of "
                              f"{self.max_campaign:,}")
        if self.per_day > self.max_daily:
            parts.append(f"الإنفاق اليومي {self.per_day:,} {self.currency} أعلى من الحد اليومي {self.max_daily:,}" if ar
                         else f"the daily spend of {self.per_day:,} {self.currency} is above the daily ceiling of "
                              f"{self.max_daily:,}")
        return ("؛ " if ar else "; ").join(parts)


def ceiling_breach(plan: CampaignPlan, *, workspace_currency: str, max_campaign: Decimal,
                   max_daily: Decimal) -> CeilingBreach | None:
    """None when the plan is within both ceilings (in the workspace's currency); else what it breaks."""
    days = max(1, (plan.end_date - plan.start_date).days + 1)
    if plan.budget_period == "daily":
        per_day, total = plan.total_budget, plan.total_budget * days
    else:
        total, per_day = plan.total_budget, (plan.total_budget / days).quantize(Decimal("0.01"), ROUND_HALF_UP)
    breach = CeilingBreach(total=total, per_day=per_day, currency=plan.currency, max_campaign=max_campaign,
                           max_daily=max_daily, workspace_currency=workspace_currency)
    if plan.currency != workspace_currency or total > max_campaign or per_day > max_daily:
        return breach
    return None
