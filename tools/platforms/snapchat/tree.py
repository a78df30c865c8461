"""Campaign, ad squad, creative and ad specs as Snap entities: everything PAUSED, budgets in micro.

Pure: the client looks up what these need (the account's currency, region ids, the public profile) and
sends them, one entity per request."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tools.platforms._common import display_name, money_error
from tools.platforms.base import (
    AdSetSpec,
    AdSpec,
    CampaignSpec,
    CreativeSpec,
    InvalidRequest,
    Money,
    Targeting,
)
from tools.platforms.money import MoneyError, to_wire
from tools.platforms.snapchat.wire import CTAS, NAME_MAX, OBJECTIVES


def objective_for(objective: str, *, field: str) -> tuple[str, str]:
    """Our objective as (objective_v2_type, ad squad optimization_goal); refused (blaming `field`) when Snap
    has none."""
    found = OBJECTIVES.get(objective)
    if found is None:
        raise InvalidRequest(f"snapchat: unsupported objective {objective!r}", platform="snapchat", field=field)
    return found


def micro(budget: Money, currency: str, field: str) -> int:
    """The budget in micro of the account's currency; refused in another currency."""
    if budget.currency.upper() != currency.upper():
        raise InvalidRequest(
            f"snapchat: budget in {budget.currency}, account bills in {currency}",
            platform="snapchat",
            field=field,
        )
    try:
        return int(to_wire(budget, "snapchat"))
    except MoneyError as exc:
        raise money_error(exc, platform="snapchat", field=field) from exc


def campaign_budget(budget: Money, period: str, currency: str) -> dict[str, int]:
    """A campaign's budget: a daily budget or a lifetime spend cap."""
    field = "daily_budget_micro" if period == "daily" else "lifetime_spend_cap_micro"
    return {field: micro(budget, currency, field)}


def ad_squad_budget(budget: Money, period: str, currency: str) -> dict[str, int]:
    """An ad squad's budget: daily or lifetime."""
    field = "daily_budget_micro" if period == "daily" else "lifetime_budget_micro"
    return {field: micro(budget, currency, field)}


def iso_time(value: datetime) -> str:
    return (
        (value if value.tzinfo else value.replace(tzinfo=UTC))
        .astimezone(UTC)
        .strftime("%Y-%m-%dT%H:%M:%S.000Z")
    )


def campaign_entity(
    spec: CampaignSpec, account_id: str, objective: tuple[str, str], budget: dict[str, int] | None
) -> dict[str, Any]:
    """The campaign, starting now; `budget` (campaign_budget) when the campaign carries it."""
    obj: dict[str, Any] = {
        "ad_account_id": account_id, "name": display_name(spec.name, NAME_MAX),
        "status": "PAUSED", "start_time": iso_time(datetime.now(UTC)),
        "objective_v2_properties": {"objective_v2_type": objective[0]}, "buy_model": "AUCTION",
    }  # fmt: skip
    if budget is not None:
        obj.update(budget)
    return obj


def targeting_spec(targeting: Targeting, region_ids: list[str]) -> dict[str, Any]:
    """Snap's targeting: one geo per country (with the region ids of its regions and cities), demographics.
    `region_ids` are the resolved keys of `targeting.locations`, in order."""
    geos: dict[str, dict[str, Any]] = {}
    for location, key in zip(targeting.locations, region_ids, strict=True):
        entry = geos.setdefault(
            location.country_code.lower(), {"country_code": location.country_code.lower()}
        )
        if location.kind != "country":
            entry.setdefault("region_id", []).append(key)
    demographics: dict[str, Any] = {}
    if targeting.age_min is not None:
        demographics["min_age"] = max(13, targeting.age_min)
    if targeting.age_max is not None:
        demographics["max_age"] = targeting.age_max
    if targeting.genders and len(set(targeting.genders)) == 1:
        demographics["gender"] = targeting.genders[0].upper()
    if targeting.languages:
        demographics["languages"] = targeting.languages
    spec: dict[str, Any] = {"geos": list(geos.values())}
    if demographics:
        spec["demographics"] = [demographics]
    return spec


def ad_squad_entity(
    spec: AdSetSpec, objective: tuple[str, str], targeting: dict[str, Any], budget: dict[str, int]
) -> dict[str, Any]:
    """The ad squad under its campaign; `targeting` from targeting_spec, `budget` from ad_squad_budget."""
    obj: dict[str, Any] = {
        "campaign_id": spec.campaign_id, "name": display_name(spec.name, NAME_MAX),
        "type": "SNAP_ADS", "status": "PAUSED", "placement_v2": {"config": "AUTOMATIC"},
        "optimization_goal": objective[1], "billing_event": "IMPRESSION", "bid_strategy": "AUTO_BID",
        "targeting": targeting, "start_time": iso_time(spec.start_time), **budget,
    }  # fmt: skip
    if spec.end_time is not None:
        obj["end_time"] = iso_time(spec.end_time)
    return obj


def top_snap_media(spec: CreativeSpec) -> str:
    """The media a creative shows: the video, or else the image."""
    media = [m for m in spec.media if m.kind == "video"] or [m for m in spec.media if m.kind == "image"]
    if not media:
        raise InvalidRequest(
            "snapchat: an ad needs an image or a video", platform="snapchat", field="top_snap_media_id"
        )
    return media[0].external_id


def creative_entity(spec: CreativeSpec, account_id: str, media_id: str, profile_id: str) -> dict[str, Any]:
    """A WEB_VIEW creative on `media_id` (top_snap_media) under the organization's public profile."""
    return {
        "ad_account_id": account_id, "name": display_name(spec.name, NAME_MAX),
        "type": "WEB_VIEW", "brand_name": spec.brand_name[:32], "headline": spec.headline[:34],
        "top_snap_media_id": media_id, "call_to_action": CTAS[spec.cta], "shareable": True,
        "profile_properties": {"profile_id": profile_id},
        "web_view_properties": {"url": spec.landing_url},
    }  # fmt: skip


def ad_entity(spec: AdSpec, creative_id: str) -> dict[str, Any]:
    """The ad, PAUSED, in its ad squad, on its creative."""
    return {"ad_squad_id": spec.ad_set_id, "creative_id": creative_id, "status": "PAUSED", "type": "REMOTE_WEBPAGE",
            "name": display_name(spec.name, NAME_MAX)}  # fmt: skip
