"""Campaign, ad set, creative and ad specs as Graph params: everything PAUSED, budgets in the account's minor units.

Pure: the client looks up what these need (the account's currency, location keys, the Page, the ad label that
keys the object) and sends them. Names are the human names alone; the key travels as the object's ad label."""

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
from tools.platforms.meta.wire import CHAT_DESTINATIONS, CTAS, LOCALES, NAME_MAX, OBJECTIVES, POSITIONS
from tools.platforms.money import MoneyError, to_wire


def objective_for(objective: str, destination: str | None = None) -> tuple[str, str, str | None]:
    """Our objective as (ODAX objective, optimization_goal, destination_type or None); refused when Meta has none.

    With a chat destination the ad set optimises for conversations in WhatsApp, Messenger or Instagram Direct."""
    found = OBJECTIVES.get(objective)
    if found is None:
        raise InvalidRequest(f"meta: unsupported objective {objective!r}", platform="meta", field="objective")
    if destination is not None:
        if destination not in CHAT_DESTINATIONS:
            raise InvalidRequest(
                f"meta: unsupported chat destination {destination!r}", platform="meta", field="destination_type"
            )
        return "OUTCOME_ENGAGEMENT", "CONVERSATIONS", CHAT_DESTINATIONS[destination]
    return found


def budget_params(budget: Money, period: str, currency: str) -> dict[str, Any]:
    """daily_budget or lifetime_budget in minor units; refused unless in the currency the ad account bills in."""
    if budget.currency.upper() != currency.upper():
        raise InvalidRequest(
            f"meta: budget in {budget.currency} but the ad account bills in {currency}",
            platform="meta", field=f"{period}_budget",
        )  # fmt: skip
    field = "daily_budget" if period == "daily" else "lifetime_budget"
    try:
        return {field: to_wire(budget, "meta")}
    except MoneyError as exc:
        raise money_error(exc, platform="meta", field=field) from exc


def graph_time(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S%z")


def labels(label_id: str) -> list[dict[str, str]]:
    """`adlabels` of an object: the one ad label that keys it (the label named after its idempotency key)."""
    return [{"id": label_id}]


def campaign_params(
    spec: CampaignSpec, objective: tuple[str, str, str | None], budget: dict[str, Any] | None, label_id: str
) -> dict[str, Any]:
    """The campaign; `budget` (budget_params) when the campaign carries it, None when its ad sets do."""
    params: dict[str, Any] = {
        "name": display_name(spec.name, NAME_MAX),
        "adlabels": labels(label_id),
        "objective": objective[0],
        "status": "PAUSED",
        "buying_type": "AUCTION",
        "special_ad_categories": [c.upper() for c in spec.special_ad_categories if c.upper() != "NONE"],
    }
    if budget is not None:
        params.update(budget)
        params["bid_strategy"] = "LOWEST_COST_WITHOUT_CAP"
    else:
        # v24+ asks non-CBO campaigns to state ad-set budget sharing explicitly.
        params["is_adset_budget_sharing_enabled"] = False
    return params


def targeting_spec(targeting: Targeting, location_keys: list[str]) -> dict[str, Any]:
    """Graph's targeting spec; `location_keys` are the resolved keys of `targeting.locations`, in order."""
    geo: dict[str, Any] = {}
    for location, key in zip(targeting.locations, location_keys, strict=True):
        if location.kind == "country":
            geo.setdefault("countries", []).append(key)
        else:
            geo.setdefault("cities" if location.kind == "city" else "regions", []).append({"key": key})
    if geo:
        geo["location_types"] = ["home", "recent"]
    spec: dict[str, Any] = {"geo_locations": geo, "targeting_automation": {"advantage_audience": 0}}
    if targeting.age_min is not None:
        spec["age_min"] = max(13, targeting.age_min)
    if targeting.age_max is not None:
        spec["age_max"] = min(65, targeting.age_max)
    if targeting.genders and len(set(targeting.genders)) == 1:
        spec["genders"] = [1 if targeting.genders[0] == "male" else 2]
    locales = sorted({LOCALES[lang] for lang in targeting.languages if lang in LOCALES})
    if locales:
        spec["locales"] = locales
    if targeting.publisher_platforms:
        spec["publisher_platforms"] = targeting.publisher_platforms
    spec.update(positions_spec(targeting.publisher_platforms, targeting.placements))
    return spec


def positions_spec(publishers: list[str], placements: list[str]) -> dict[str, Any]:
    """publisher_platforms and <app>_positions for the placements asked; {} when none (automatic placements).

    Only the apps that have one of the positions are kept: "Reels only" on Meta is Facebook and Instagram
    Reels, "Explore" is Instagram alone."""
    wanted = [p for p in placements if p in POSITIONS]
    if not wanted:
        return {}
    apps = [a for a in (publishers or ["facebook", "instagram"]) if any(a in POSITIONS[p] for p in wanted)]
    if not apps:
        return {}
    out: dict[str, Any] = {"publisher_platforms": apps}
    for app in apps:
        out[f"{app}_positions"] = [POSITIONS[p][app] for p in wanted if app in POSITIONS[p]]
    return out


def ad_set_params(
    spec: AdSetSpec, objective: tuple[str, str, str | None], targeting: dict[str, Any], budget: dict[str, Any],
    label_id: str,
) -> dict[str, Any]:
    """The ad set under its campaign; `targeting` from targeting_spec, `budget` from budget_params."""
    params: dict[str, Any] = {
        "name": display_name(spec.name, NAME_MAX),
        "adlabels": labels(label_id),
        "campaign_id": spec.campaign_id,
        "status": "PAUSED",
        "billing_event": "IMPRESSIONS",
        "optimization_goal": objective[1],
        "bid_strategy": "LOWEST_COST_WITHOUT_CAP",
        "start_time": graph_time(spec.start_time),
        "targeting": targeting,
    }
    if objective[2]:
        params["destination_type"] = objective[2]
    if spec.end_time is not None:
        params["end_time"] = graph_time(spec.end_time)
    params.update(budget)
    return params


def creative_params(spec: CreativeSpec, page_id: str, label_id: str) -> dict[str, Any]:
    """An ad creative (object_story_spec) published from `page_id`: a video ad when there is a video (an image
    is its thumbnail), else a link ad on the image."""
    images = [m.external_id for m in spec.media if m.kind == "image"]
    videos = [m.external_id for m in spec.media if m.kind == "video"]
    cta: dict[str, Any] = {"type": CTAS[spec.cta], "value": {"link": spec.landing_url}}
    if spec.message_destination == "whatsapp":
        # Click-to-WhatsApp: WhatsApp's own button [ref 1.3 call_to_action types; app_destination unconfirmed].
        cta = {"type": "WHATSAPP_MESSAGE", "value": {"app_destination": "WHATSAPP", "link": spec.landing_url}}
    story: dict[str, Any] = {"page_id": page_id}
    if videos:
        video: dict[str, Any] = {
            "video_id": videos[0], "title": spec.headline, "message": spec.primary_text, "call_to_action": cta,
        }  # fmt: skip
        if images:
            video["image_hash"] = images[0]
        if spec.description:
            video["link_description"] = spec.description
        story["video_data"] = video
    elif images:
        link: dict[str, Any] = {
            "link": spec.landing_url, "message": spec.primary_text, "name": spec.headline,
            "image_hash": images[0], "call_to_action": cta,
        }  # fmt: skip
        if spec.description:
            link["description"] = spec.description
        story["link_data"] = link
    else:
        raise InvalidRequest("meta: an ad needs an image or a video", platform="meta", field="media")
    return {"name": display_name(spec.name, NAME_MAX), "object_story_spec": story, "adlabels": labels(label_id)}


def ad_params(spec: AdSpec, creative_id: str, label_id: str) -> dict[str, Any]:
    """The ad, PAUSED, in its ad set, on its creative."""
    return {
        "name": display_name(spec.name, NAME_MAX), "adset_id": spec.ad_set_id,
        "creative": {"creative_id": creative_id}, "status": "PAUSED", "adlabels": labels(label_id),
    }  # fmt: skip
