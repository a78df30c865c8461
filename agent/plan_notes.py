"""Why the plan is shaped as it is, one line each in the user's language: the budget split over the platforms, and
the ad-set and format split within them (so a 400/600 split or image-only ad sets are never unexplained)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from agent import messages as msg
from agent.localize import money_text
from agent.models import CampaignRequest
from agent.planning import CampaignPlan, PlanError, budget_shares, split_evenly
from agent.texts import lang_of, platform_name


def _money(amount: Decimal, currency: str, ar: bool) -> str:
    value = msg.money(amount, currency)
    return value.ar if ar else value.en


def budget_note(plan: CampaignPlan, request: CampaignRequest, today: date, language: str,
                instruction: str | None = None) -> str:
    """How the total is divided over the platforms, and why."""
    ar = lang_of(language) == "ar"
    shares = {p.platform: p.budget_amount for p in plan.platforms}
    names = {p: platform_name(p, language) for p in shares}
    total = _money(plan.total_budget, plan.currency, ar)
    if len(shares) == 1:
        (only,) = names.values()
        return f"الميزانية: كامل {total} على {only}." if ar else f"Budget: all {total} on {only}."
    try:
        _, minimums = budget_shares(request, today, instruction=instruction)
    except PlanError:
        minimums = {}
    equal = split_evenly(plan.total_budget, plan.currency, len(shares))
    pinned = [p for p, share in shares.items()
              if minimums.get(p) is not None and share == minimums[p] and share > min(equal)]
    if not pinned:
        each = ("، " if ar else ", ").join(f"{names[p]} {_money(a, plan.currency, ar)}" for p, a in shares.items())
        if ar:
            return f"توزيع الميزانية: {each}، بالتساوي لأن طلبك لا يقول أي منصة أهم."
        return f"Budget split: {each}; equal, because the request does not say which platform matters more."
    floor = "، ".join(f"{names[p]} {_money(shares[p], plan.currency, ar)}" for p in pinned)
    rest = [p for p in shares if p not in pinned]
    others = "، ".join(f"{names[p]} {_money(shares[p], plan.currency, ar)}" for p in rest)
    if ar:
        return (f"توزيع الميزانية: {floor} وهو أقل ما تقبله المنصة لهذه المدة وهذه المجموعات، والباقي لـ{others}."
                if others else f"توزيع الميزانية: {floor}، الحد الأدنى لكل منصة لهذه المدة.")
    floor_en = ", ".join(f"{names[p]} {_money(shares[p], plan.currency, ar)}" for p in pinned)
    others_en = ", ".join(f"{names[p]} {_money(shares[p], plan.currency, ar)}" for p in rest)
    if others_en:
        return (f"Budget split: {floor_en}, the least the platform accepts for these dates and ad sets; "
                f"the rest to {others_en}.")
    return f"Budget split: {floor_en}, each platform's minimum for these dates."


_FORMAT = {"image": ("image ads", "إعلانات صور"), "video": ("video ads", "إعلانات فيديو")}
_WHY = {
    "meta_split": ("split by age so each group gets its own budget and the format that suits it: image for the "
                   "younger, video for the older",
                   "مقسّمة حسب العمر لتأخذ كل فئة ميزانيتها والشكل الأنسب لها: صور للأصغر وفيديو للأكبر"),
    "tiktok": ("TikTok in-feed ads are vertical videos", "إعلانات تيك توك داخل الخلاصة فيديو عمودي"),
    "snapchat": ("full-screen vertical video is Snapchat's own format", "الفيديو العمودي بملء الشاشة هو شكل سناب شات"),
}


def _ages(age_min: int | None, age_max: int | None, ar: bool) -> str:
    if age_min is None and age_max is None:
        return "18+"  # as the audience line says it: the platforms' adult default
    if age_max is None:
        return f"{age_min}+"
    return f"{age_min or 18}-{age_max}"


def format_note(plan: CampaignPlan, language: str) -> str:
    """Per platform: how many ad sets, for which ages, with which format, and why."""
    ar = lang_of(language) == "ar"
    parts: list[str] = []
    for p in plan.platforms:
        sets = ("، " if ar else ", ").join(
            f"{_ages(s.age_min, s.age_max, ar)} {_FORMAT[s.ads[0].format][1 if ar else 0]}"
            for s in p.ad_sets if s.ads)
        if p.platform == "meta" and len(p.ad_sets) > 1:
            why = _WHY["meta_split"]
        elif p.platform in _WHY:
            why = _WHY[p.platform]
        else:
            why = ("one audience, one ad set", "جمهور واحد في مجموعة واحدة")
        parts.append(f"{platform_name(p.platform, language)}: {sets} ({why[1] if ar else why[0]})")
    return ("المجموعات والأشكال: " if ar else "Ad sets and formats: ") + ("؛ " if ar else "; ").join(parts)


def plan_notes(plan: CampaignPlan, request: CampaignRequest, today: date, language: str,
               instruction: str | None = None) -> list[str]:
    """The two lines the preview shows under the plan."""
    return [budget_note(plan, request, today, language, instruction), format_note(plan, language)]


def offer_line(request: CampaignRequest, language: str) -> str | None:
    """What the ads promise, for the approver to check before anything goes live: "Offer: 30% off abayas, from
    149 SAR" / "العرض: خصم 30% على العبايات، ابتداءً من 149 ر.س"; None when the request makes no offer."""
    offer = request.offer
    if offer is None or (offer.discount_percent is None and offer.price is None):
        return None
    ar = lang_of(language) == "ar"
    parts: list[str] = []
    if offer.discount_percent is not None:
        pct = f"{offer.discount_percent}%"
        if ar:
            parts.append(("خصم حتى " if offer.discount_up_to else "خصم ") + pct
                         + (f" على {request.product}" if request.product else ""))
        else:
            parts.append(("up to " if offer.discount_up_to else "") + f"{pct} off"
                         + (f" {request.product}" if request.product else ""))
    if offer.price is not None and offer.currency:
        price = money_text(offer.price, offer.currency, language)
        parts.append(f"ابتداءً من {price}" if ar else f"from {price}")
    return ("العرض: " if ar else "Offer: ") + ("، " if ar else ", ").join(parts)

