"""All three platforms through the real flow: created paused, read back paused, then activated; ledger = truth."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit

import httpx
from saga_helpers import all_statuses, approve, plan_counts, preview_plan, sim_counts, sim_objects
from sqlalchemy import select

from agent.publishing.utm import campaign_tag
from bot.services import open_services
from bot.settings import Settings
from store import repositories as repo
from store.models import PublishStep

PLATFORMS = ["meta", "snapchat", "tiktok"]


def is_activation(request: httpx.Request) -> bool:
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart"):
        return False  # an upload
    body = request.content.decode()
    if kind.startswith("application/x-www-form-urlencoded"):
        body = unquote_plus(body)
    if request.method == "POST" and "status=ACTIVE" in body:
        return True  # Meta: POST /{id} status=ACTIVE, or that request as an item of a Graph batch
    if request.url.path.endswith("/status/update/") and '"ENABLE"' in body:
        return True  # TikTok
    return request.method == "PUT" and '"status":"ACTIVE"' in body.replace(" ", "")  # Snapchat


async def test_everything_reads_back_paused_before_the_first_activation(cloned: Settings, all_three_template: Any) -> None:
    seen: dict[str, Any] = {}
    async with open_services(cloned) as services:
        plan, _ = await preview_plan(services, all_three_template.conversation_id)

        async def snapshot(request: httpx.Request) -> None:
            if "first" not in seen and is_activation(request):
                seen["first"] = all_statuses(cloned, PLATFORMS)
                seen["counts"] = sim_counts(cloned, PLATFORMS)

        for http in services.sandboxed.values():
            http.event_hooks["request"].append(snapshot)
        turn = await services.driver.current(all_three_template.conversation_id)
        turn = await approve(services, turn)
        assert turn.status == "live", turn

        # At the first activation call every object of every platform existed, and all of it was paused.
        assert seen["counts"] == plan_counts(plan)
        assert seen["first"] == {p: {"paused"} for p in PLATFORMS}
        # Afterwards: exactly the plan, all active, nothing duplicated.
        assert sim_counts(cloned, PLATFORMS) == plan_counts(plan)
        assert all_statuses(cloned, PLATFORMS) == {p: {"active"} for p in PLATFORMS}

        # The ledger and the rows say what exists: every create step created with the simulator's id.
        async with services.sessions() as session:
            steps = list(await session.scalars(select(PublishStep)))
            tree = await repo.campaign_tree(session=session, campaign_id=plan.campaign_id)
        creates = [s for s in steps if s.object_kind in ("campaign", "ad_set", "ad")]
        assert creates and all(s.state == "created" and s.external_id for s in creates)
        # One switch per level and platform, each sent once.
        activations = [s for s in steps if s.object_kind == "activate"]
        assert len(activations) == 3 * len(PLATFORMS)
        assert {(s.state, s.attempts) for s in activations} == {("created", 1)}
        for pc in tree:
            assert pc.status == "active"
            assert pc.external_campaign_id == sim_objects(cloned, pc.platform, "campaign")[0]["id"]
            sim_sets = {r["id"] for r in sim_objects(cloned, pc.platform, "ad_set")}
            sim_ads = {r["id"] for r in sim_objects(cloned, pc.platform, "ad")}
            assert {s.external_id for s in pc.ad_sets} == sim_sets
            assert {a.external_id for s in pc.ad_sets for a in s.ads} == sim_ads
            assert all(s.status == "active" for s in pc.ad_sets)
            assert all(a.status == "active" for s in pc.ad_sets for a in s.ads)

        # Every ad links to the plan's landing page, tagged with its platform, its campaign and itself.
        for pplan in plan.platforms:
            links = landing_links(cloned, pplan.platform)
            assert len(links) == sum(len(s.ads) for s in pplan.ad_sets)
            tags = [parse_qs(urlsplit(link).query) for link in links]
            assert all(link.startswith(plan.landing_url.split("?")[0]) for link in links)
            sources = {"meta": {"facebook", "instagram"}}.get(pplan.platform, {pplan.platform})
            assert {t["utm_source"][0] for t in tags} <= sources
            assert {(t["utm_medium"][0], t["utm_campaign"][0]) for t in tags} == {
                ("paid_social", campaign_tag(plan.name, plan.campaign_id))
            }
            assert sorted(t["utm_content"][0] for t in tags) == sorted(
                ad.key.split("/", 1)[1].replace("/", "_") for s in pplan.ad_sets for ad in s.ads
            )


def landing_links(settings: Settings, platform: str) -> list[str]:
    """The link each ad sends people to, as the simulator stored it (Meta and Snapchat keep it on the creative)."""
    if platform == "tiktok":
        return [str(ad["landing_page_url"]) for ad in sim_objects(settings, platform, "ad")]
    if platform == "snapchat":
        return [str(c["web_view_properties"]["url"]) for c in sim_objects(settings, platform, "creative")]
    specs = [c["object_story_spec"] for c in sim_objects(settings, platform, "creative")]
    return [str((s.get("link_data") or s["video_data"]["call_to_action"]["value"]).get("link")) for s in specs]
