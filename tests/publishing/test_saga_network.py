"""Lost answers and refused connections on every platform: the same key is retried, nothing is duplicated."""

from __future__ import annotations

from typing import Any

from saga_helpers import all_statuses, approve, plan_counts, preview_plan, sim_counts, sim_objects
from sqlalchemy import select

from agent.planning import CampaignPlan
from bot.services import open_services
from bot.settings import Settings
from store.models import PublishStep
from tools.sandbox import SandboxFaults

PLATFORMS = ["meta", "snapchat", "tiktok"]


async def _publish(cloned: Settings, template: Any, faults: dict[str, SandboxFaults]) -> tuple[Any, list[PublishStep]]:
    async with open_services(cloned, sandbox_faults=faults) as services:
        services.ctx.publish_backoff_s = 0.01
        plan, _ = await preview_plan(services, template.conversation_id)
        turn = await approve(services, await services.driver.current(template.conversation_id))
        assert turn.status == "live", turn
        async with services.sessions() as session:
            steps = list(await session.scalars(select(PublishStep)))
        return plan, steps


def _name(platform: str, row: dict[str, Any]) -> str:
    return str(row.get("name") or row.get("campaign_name") or row.get("adgroup_name") or row.get("ad_name") or "")


def _planned_name(plan: CampaignPlan, platform: str, level: str, plan_key: str) -> str:
    pplan = next(p for p in plan.platforms if p.platform == platform)
    if level == "campaign":
        return pplan.campaign_name
    for s in pplan.ad_sets:
        if level == "ad_set" and s.key == plan_key:
            return s.name
        for ad in s.ads:
            if level == "ad" and ad.key == plan_key:
                return ad.name
    raise KeyError(plan_key)


async def test_timeout_after_the_server_created_the_object_creates_no_duplicate(cloned: Settings, all_three_template: Any) -> None:
    faults = {
        "meta": SandboxFaults(timeout_after_create_on={"campaign": 1, "ad_set": 2, "ad": 3}),
        "tiktok": SandboxFaults(timeout_after_create_on={"campaign": 1, "ad_set": 1, "ad": 1}),
        "snapchat": SandboxFaults(timeout_after_create_on={"campaign": 1, "ad_set": 1, "ad": 2}),
    }
    plan, steps = await _publish(cloned, all_three_template, faults)
    # Every object exactly once, and live: the lost answers were reconciled by looking the key up.
    assert sim_counts(cloned, PLATFORMS) == plan_counts(plan)
    assert all_statuses(cloned, PLATFORMS) == {p: {"active"} for p in PLATFORMS}
    campaigns = {s.platform: s for s in steps if s.object_kind == "campaign"}
    for platform in PLATFORMS:
        # The campaign's create timed out once; the lookup adopted it: one attempt, never a second create.
        assert campaigns[platform].attempts == 1, campaigns[platform]
        assert campaigns[platform].external_id == sim_objects(cloned, platform, "campaign")[0]["id"]
    # Adopted by the ledger's ids, and named as planned: no key of ours in any name.
    for s in steps:
        if s.object_kind in ("campaign", "ad_set", "ad"):
            row = next(r for r in sim_objects(cloned, s.platform, s.object_kind) if str(r["id"]) == s.external_id)
            assert _name(s.platform, row) == _planned_name(plan, s.platform, s.object_kind, s.plan_key)


async def test_connection_refused_is_retried_with_the_same_key(cloned: Settings, all_three_template: Any) -> None:
    faults = {
        "meta": SandboxFaults(connect_error_on_create={"ad_set": 2}),
        "tiktok": SandboxFaults(connect_error_on_create={"ad": 1}),
        "snapchat": SandboxFaults(connect_error_on_create={"campaign": 1}),
    }
    plan, steps = await _publish(cloned, all_three_template, faults)
    assert sim_counts(cloned, PLATFORMS) == plan_counts(plan)
    retried = {(s.platform, s.object_kind): s for s in steps if s.attempts == 2}
    assert set(retried) == {("meta", "ad_set"), ("tiktok", "ad"), ("snapchat", "campaign")}, retried
    for (platform, level), step in retried.items():
        # The one object that exists is the one the ledger holds, named as planned (no key in its name).
        [row] = [r for r in sim_objects(cloned, platform, level) if str(r["id"]) == step.external_id]
        assert _name(platform, row) == _planned_name(plan, platform, level, step.plan_key)
        assert "[k:" not in _name(platform, row)


async def test_lost_creative_answers_and_a_half_uploaded_snap_media_make_no_duplicate_creative(
    cloned: Settings, all_three_template: Any
) -> None:
    # Creatives are ledger steps of their own: a lost answer is reconciled by key, not created again. A Snap
    # media container whose answer was lost (so its file never went up) is not adopted: an ad cannot use it.
    faults = {
        "meta": SandboxFaults(timeout_after_create_on={"creative": 1}),
        "snapchat": SandboxFaults(timeout_after_create_on={"video": 1, "creative": 2}),
    }
    plan, steps = await _publish(cloned, all_three_template, faults)
    assert sim_counts(cloned, PLATFORMS) == plan_counts(plan)
    ads = {p.platform: sum(len(s.ads) for s in p.ad_sets) for p in plan.platforms}
    creatives = {
        "meta": sim_objects(cloned, "meta", "creative"),
        "snapchat": sim_objects(cloned, "snapchat", "creative"),
    }
    assert {p: len(rows) for p, rows in creatives.items()} == {"meta": ads["meta"], "snapchat": ads["snapchat"]}
    creative_steps = {(s.platform, s.plan_key): s for s in steps if s.object_kind == "creative"}
    assert len(creative_steps) == ads["meta"] + ads["snapchat"]
    assert all(s.state == "created" and s.attempts == 1 for s in creative_steps.values()), creative_steps
    # The half-made video container was left alone and the video sent again, into a new container.
    videos = [s for s in steps if s.platform == "snapchat" and s.object_kind == "video"]
    assert sorted(s.attempts for s in videos)[-1] == 2
    ready = {m["id"] for m in sim_objects(cloned, "snapchat", "media") if m.get("media_status") == "READY"}
    used = {c["top_snap_media_id"] for c in creatives["snapchat"]}
    assert used <= ready


async def test_images_sharing_one_upload_call_whose_answer_is_lost_are_each_reconciled(
    cloned: Settings, all_three_template: Any
) -> None:
    # Meta's images leave in one adimages call; the simulator stores the first two, then the answer is lost.
    faults = {"meta": SandboxFaults(timeout_after_create_on={"image": 2})}
    plan, steps = await _publish(cloned, all_three_template, faults)
    assert sim_counts(cloned, PLATFORMS) == plan_counts(plan)
    images = [s for s in steps if s.platform == "meta" and s.object_kind == "image"]
    assert len(images) > 2 and all(s.state == "created" and s.external_id for s in images)
    # Each image is its own step. Meta's image hash is the content's, so a lost upload is simply sent again
    # (nothing to look up): the images of the lost call went twice, each under its own key, and each is
    # stored once, under its own hash.
    assert {s.attempts for s in images} == {1, 2} or {s.attempts for s in images} == {2}
    assert sum(s.attempts == 2 for s in images) >= 2
    assert len({s.external_id for s in images}) == len(images)
    stored = {r["id"] for r in sim_objects(cloned, "meta", "image")}
    assert {s.external_id for s in images} <= stored
