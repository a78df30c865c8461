"""Placements and chat objectives from the request to the plan and the wire; a short budget keeps the occasion's peak."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from rules_helpers import DEFAULT_URL, TODAY, accounts_for, creative_set, seed_request

from agent.models import CampaignRequest
from agent.parsing import parse_instruction
from agent.planning import CampaignPlan, build_plan
from agent.validation import fit_inferred_schedule
from tools.platforms.base import AdSetSpec, CreativeSpec, MediaRef, Money, Targeting
from tools.platforms.meta import tree as meta_tree
from tools.platforms.tiktok import tree as tiktok_tree


def plan_for(request: CampaignRequest) -> CampaignPlan:
    return build_plan(request, campaign_id="cmp-1", accounts=accounts_for(request.platforms), creatives=creative_set(),
                      today=TODAY, default_landing_url=DEFAULT_URL)


def with_extensions(request: CampaignRequest, **extensions: Any) -> CampaignRequest:
    return CampaignRequest.model_validate({**request.model_dump(), **extensions})


def test_reels_only_plans_meta_reels_in_vertical_video_and_tiktok_on_its_app() -> None:
    plan = plan_for(with_extensions(seed_request(), placements=["reels"]))
    meta, tiktok = plan.platforms
    assert meta.placements == ["reels"] and tiktok.placements == ["tiktok"]
    for ad_set in meta.ad_sets:  # the seed's image-for-the-younger split is not what Reels show
        assert all(ad.format == "video" for ad in ad_set.ads)
    assert all(ad.media_asset_ids[1].endswith("9x16") for s in meta.ad_sets for ad in s.ads)


def test_feed_placement_keeps_the_seed_formats() -> None:
    meta = plan_for(with_extensions(seed_request(), placements=["feed"])).platforms[0]
    assert meta.placements == ["feed"]
    assert [s.ads[0].format for s in meta.ad_sets] == ["image", "video"]


def test_snapchat_places_automatically() -> None:
    plan = plan_for(with_extensions(seed_request(platforms=["snapchat"], publisher_platforms={}), placements=["reels"]))
    assert plan.platforms[0].placements == []


def test_a_chat_campaign_is_engagement_on_meta_and_traffic_elsewhere() -> None:
    request = with_extensions(seed_request(objective="engagement"), message_destination="whatsapp")
    meta, tiktok = plan_for(request).platforms
    assert (meta.objective, meta.message_destination) == ("engagement", "whatsapp")
    assert (tiktok.objective, tiktok.message_destination) == ("traffic", None)


def test_placements_and_destination_change_the_plan_hash_only_when_set() -> None:
    plain = plan_for(seed_request())
    assert plan_for(with_extensions(seed_request(), placements=[])).plan_hash() == plain.plan_hash()
    assert plan_for(with_extensions(seed_request(), placements=["stories"])).plan_hash() != plain.plan_hash()
    chat = with_extensions(seed_request(), message_destination="messenger")
    assert plan_for(chat).plan_hash() != plain.plan_hash()


# The wire -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("publishers, placements, expected", [
    ([], ["reels"], {"publisher_platforms": ["facebook", "instagram"], "facebook_positions": ["facebook_reels"],
                     "instagram_positions": ["reels"]}),
    (["instagram"], ["stories", "reels"], {"publisher_platforms": ["instagram"],
                                          "instagram_positions": ["story", "reels"]}),
    (["facebook"], ["feed"], {"publisher_platforms": ["facebook"], "facebook_positions": ["feed"]}),
    ([], ["explore"], {"publisher_platforms": ["instagram"], "instagram_positions": ["explore"]}),
    (["instagram"], [], {"publisher_platforms": ["instagram"]}),
])
def test_meta_targeting_names_positions(publishers: list[str], placements: list[str], expected: dict[str, Any]) -> None:
    spec = meta_tree.targeting_spec(Targeting(publisher_platforms=publishers, placements=placements), [])
    assert {k: v for k, v in spec.items() if k == "publisher_platforms" or k.endswith("_positions")} == expected


def _ad_set(**kw: Any) -> AdSetSpec:
    return AdSetSpec(name="a", campaign_id="c", objective=kw.pop("objective", "engagement"),
                     budget=Money(Decimal(100), "SAR"), budget_period="lifetime",
                     start_time=datetime(2027, 2, 1, tzinfo=UTC), end_time=datetime(2027, 2, 8, tzinfo=UTC),
                     targeting=kw.pop("targeting", Targeting()), idempotency_key="k" * 12, **kw)


@pytest.mark.parametrize("destination, wire", [("whatsapp", "WHATSAPP"), ("messenger", "MESSENGER"),
                                               ("instagram_direct", "INSTAGRAM_DIRECT")])
def test_meta_chat_ad_sets_optimise_for_conversations(destination: str, wire: str) -> None:
    spec = _ad_set(message_destination=destination)
    objective = meta_tree.objective_for(spec.objective, spec.message_destination)
    params = meta_tree.ad_set_params(spec, objective, {}, {}, "label-1")
    assert objective[0] == "OUTCOME_ENGAGEMENT"
    assert (params["optimization_goal"], params["destination_type"]) == ("CONVERSATIONS", wire)


def test_whatsapp_ads_get_whatsapps_button() -> None:
    spec = CreativeSpec(name="c", language="ar", headline="h", primary_text="p", landing_url="https://x.sa",
                        brand_name="b", media=[MediaRef(kind="image", external_id="hash")], idempotency_key="k" * 12,
                        message_destination="whatsapp")
    cta = meta_tree.creative_params(spec, "page", "label-1")["object_story_spec"]["link_data"]["call_to_action"]
    assert cta["type"] == "WHATSAPP_MESSAGE"
    plain = meta_tree.creative_params(spec.model_copy(update={"message_destination": None}), "page", "label-1")
    assert plain["object_story_spec"]["link_data"]["call_to_action"]["type"] == "SHOP_NOW"


def test_tiktok_ad_group_on_its_app_when_placements_are_asked() -> None:
    objective = tiktok_tree.objective_for("sales", field="objective_type")
    asked = tiktok_tree.ad_group_payload(_ad_set(targeting=Targeting(placements=["tiktok"])), "adv", objective, ["1"], 100)
    assert (asked["placement_type"], asked["placements"]) == ("PLACEMENT_TYPE_NORMAL", ["PLACEMENT_TIKTOK"])
    automatic = tiktok_tree.ad_group_payload(_ad_set(), "adv", objective, ["1"], 100)
    assert automatic["placement_type"] == "PLACEMENT_TYPE_AUTOMATIC" and "placements" not in automatic


# A short budget keeps the days that matter --------------------------------------------------------------

def _fit(text: str, today: date) -> tuple[CampaignRequest, Any]:
    request = parse_instruction(text, today=today)
    return fit_inferred_schedule(request, today=today, default_landing_url=DEFAULT_URL)


def test_short_ramadan_budget_keeps_the_last_nights_and_says_why() -> None:
    # TikTok needs 75 SAR a day per ad group: 1,000 SAR covers 13 of Ramadan 1448's 29 days.
    fitted, issue = _fit("TikTok Ramadan sale 1000 SAR in Riyadh", date(2026, 12, 5))
    assert (fitted.schedule.start_date, fitted.schedule.end_date) == (date(2027, 2, 24), date(2027, 3, 8))
    assert issue is not None and issue.code == "schedule_fitted_to_budget"
    assert "last 13 days of Ramadan" in issue.message_en and "2027-02-24" in issue.message_en
    assert "آخر 13 يوماً من رمضان" in issue.message_ar
    restore = issue.fixes[0].patch
    assert restore["schedule"]["start_date"] == "2027-02-08" and restore["schedule"]["end_date"] == "2027-03-08"


def test_short_eid_run_up_budget_keeps_the_days_before_eid() -> None:
    fitted, issue = _fit("حملة تيك توك للعيد ٥٠٠ ريال في الرياض", date(2026, 12, 5))
    assert (fitted.schedule.start_date, fitted.schedule.end_date) == (date(2027, 3, 3), date(2027, 3, 8))
    assert issue is not None and "قبل العيد" in issue.message_ar and "before Eid" in issue.message_en


def test_short_eid_budget_keeps_its_first_days() -> None:
    fitted, issue = _fit("TikTok Eid al-Fitr 100 SAR in Riyadh", date(2026, 12, 5))
    assert (fitted.schedule.start_date, fitted.schedule.end_date) == (date(2027, 3, 9), date(2027, 3, 9))
    assert issue is not None and "first 1 day of Eid al-Fitr" in issue.message_en


def test_dates_the_marketer_gave_are_never_shortened() -> None:
    fitted, issue = _fit("TikTok last 10 days of Ramadan 300 SAR in Riyadh", date(2026, 12, 5))
    assert (fitted.schedule.start_date, fitted.schedule.end_date) == (date(2027, 2, 27), date(2027, 3, 8))
    assert issue is None
