"""Campaign, ad group and ad specs as TikTok payloads: everything DISABLE, budgets in the advertiser's currency.

Pure: the client looks up what these need (the currency, location ids, the brand identity) and sends them.
TikTok has no creative object: an ad carries its creative inline."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tools.platforms._common import display_name, money_error, numeric_request_id
from tools.platforms.base import AdSetSpec, AdSpec, CampaignSpec, InvalidRequest, Money
from tools.platforms.money import MoneyError, to_wire
from tools.platforms.tiktok.wire import AGE_GROUPS, CTAS, NAME_MAX, OBJECTIVES


def objective_for(objective: str, *, field: str) -> tuple[str, str, str, str | None]:
    """Our objective as (objective_type, optimization_goal, billing_event, promotion_type or None); refused
    (blaming `field`) when TikTok has none."""
    found = OBJECTIVES.get(objective)
    if found is None:
        raise InvalidRequest(f"tiktok: unsupported objective {objective!r}", platform="tiktok", field=field)
    return found


def budget_amount(budget: Money, currency: str, field: str) -> float:
    """The budget as TikTok's number; refused when the advertiser is known to bill in another currency."""
    if currency and budget.currency.upper() != currency.upper():
        raise InvalidRequest(
            f"tiktok: budget in {budget.currency} but the advertiser bills in {currency}",
            platform="tiktok", field=field,
        )  # fmt: skip
    try:
        return float(to_wire(budget, "tiktok"))
    except MoneyError as exc:
        raise money_error(exc, platform="tiktok", field=field) from exc


def utc_time(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def identity_name(brand_name: str) -> str:
    """The display name of the brand's identity (TikTok allows 40 characters)."""
    return brand_name.strip()[:40]


def campaign_payload(
    spec: CampaignSpec, account_id: str, objective: tuple[str, str, str, str | None], budget: float | None
) -> dict[str, Any]:
    """The campaign; `budget` (budget_amount) when the campaign carries it, None when its ad groups do."""
    payload: dict[str, Any] = {
        "advertiser_id": account_id,
        "campaign_name": display_name(spec.name, NAME_MAX),
        "objective_type": objective[0],
        "request_id": numeric_request_id(spec.idempotency_key),
        "operation_status": "DISABLE",
    }
    if budget is not None:
        payload["budget_optimize_on"] = True
        payload["budget_mode"] = (
            "BUDGET_MODE_DAY" if spec.budget_period == "daily" else "BUDGET_MODE_TOTAL"
        )
        payload["budget"] = budget
    else:
        payload["budget_optimize_on"] = False
        payload["budget_mode"] = "BUDGET_MODE_INFINITE"
    if spec.special_ad_categories:
        payload["special_industries"] = [
            c.upper() for c in spec.special_ad_categories if c.upper() != "NONE"
        ]
    return payload


def ad_group_payload(
    spec: AdSetSpec, account_id: str, objective: tuple[str, str, str, str | None], location_ids: list[str],
    budget: float,
) -> dict[str, Any]:
    """The ad group under its campaign; `location_ids` resolved, `budget` from budget_amount."""
    targeting = spec.targeting
    payload: dict[str, Any] = {
        "advertiser_id": account_id,
        "campaign_id": spec.campaign_id,
        "adgroup_name": display_name(spec.name, NAME_MAX),
        "request_id": numeric_request_id(spec.idempotency_key),
        "operation_status": "DISABLE",
        "location_ids": location_ids,
        "billing_event": objective[2],
        "optimization_goal": objective[1],
        "bid_type": "BID_TYPE_NO_BID",
        "pacing": "PACING_MODE_SMOOTH",
        "budget_mode": "BUDGET_MODE_DAY" if spec.budget_period == "daily" else "BUDGET_MODE_TOTAL",
        "budget": budget,
        "schedule_start_time": utc_time(spec.start_time),
    }
    if "tiktok" in targeting.placements:
        # Placements asked for: the TikTok app itself (no Pangle or app bundle) [ref 2.3 placements].
        payload.update(placement_type="PLACEMENT_TYPE_NORMAL", placements=["PLACEMENT_TIKTOK"])
    else:
        payload["placement_type"] = "PLACEMENT_TYPE_AUTOMATIC"
    if objective[3]:
        payload["promotion_type"] = objective[3]
    if spec.end_time is not None or spec.budget_period == "lifetime":
        if spec.end_time is None:
            raise InvalidRequest(
                "tiktok: a lifetime budget needs an end time",
                platform="tiktok",
                field="schedule_end_time",
            )
        payload["schedule_type"] = "SCHEDULE_START_END"
        payload["schedule_end_time"] = utc_time(spec.end_time)
    else:
        payload["schedule_type"] = "SCHEDULE_FROM_NOW"
    if targeting.genders and len(set(targeting.genders)) == 1:
        payload["gender"] = "GENDER_MALE" if targeting.genders[0] == "male" else "GENDER_FEMALE"
    else:
        payload["gender"] = "GENDER_UNLIMITED"
    if targeting.age_min is not None or targeting.age_max is not None:
        lo, hi = targeting.age_min or 18, targeting.age_max or 100
        payload["age_groups"] = [g for g, a, b in AGE_GROUPS if b >= lo and a <= hi and a >= 18]
    if targeting.languages:
        payload["languages"] = list(targeting.languages)
    return payload


def ad_payload(spec: AdSpec, account_id: str, identity_id: str) -> dict[str, Any]:
    """One ad in its ad group, DISABLE, its creative inline under the brand's identity: a video ad when there
    is a video (an image is its cover), else an image ad. One ad per language (no multi-language creative)."""
    images = [m.external_id for m in spec.media if m.kind == "image"]
    videos = [m.external_id for m in spec.media if m.kind == "video"]
    shown_as = identity_name(spec.brand_name)
    creative: dict[str, Any] = {
        "ad_name": display_name(spec.name, NAME_MAX),
        "identity_type": "CUSTOMIZED_USER",
        "identity_id": identity_id,
        "display_name": shown_as,
        "ad_text": spec.primary_text[:100],
        "call_to_action": CTAS[spec.cta],
        "landing_page_url": spec.landing_url,
        "operation_status": "DISABLE",
    }
    if videos:
        creative["ad_format"] = "SINGLE_VIDEO"
        creative["video_id"] = videos[0]
        if images:
            creative["image_ids"] = images[:1]  # the cover
    elif images:
        creative["ad_format"] = "SINGLE_IMAGE"
        creative["image_ids"] = images[:1]
    else:
        raise InvalidRequest(
            "tiktok: an ad needs an image or a video", platform="tiktok", field="creatives"
        )
    return {"advertiser_id": account_id, "adgroup_id": spec.ad_set_id, "creatives": [creative]}
