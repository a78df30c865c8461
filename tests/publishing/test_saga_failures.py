"""Terminal failure on one platform withdraws the others; a failed activation leaves everything paused."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import httpx
from saga_helpers import all_statuses, approve, plan_counts, preview_plan, sim_counts, sim_objects
from sqlalchemy import select

from agent.nodes.launch import outcome_messages
from agent.publishing import MAX_RATE_LIMITED, publish_plan
from bot.services import open_services
from bot.settings import Settings
from store import repositories as repo
from store.models import PublishStep
from tools.sandbox import SandboxFaults

PLATFORMS = ["meta", "snapchat", "tiktok"]


async def test_terminal_failure_compensates_the_platforms_that_succeeded_and_says_so(
    cloned: Settings, all_three_template: Any
) -> None:
    # TikTok is slower, so Meta and Snapchat are fully built (and read back) before TikTok refuses.
    faults = {"tiktok": SandboxFaults(latency_ms=40)}
    async with open_services(cloned, sandbox_faults=faults) as services:
        plan, plan_hash = await preview_plan(services, all_three_template.conversation_id)
        # A TikTok ad group under TikTok's minimum: the simulator refuses it (its real error, not retryable).
        tiktok = next(p for p in plan.platforms if p.platform == "tiktok")
        tiktok.ad_sets[0].budget_amount = Decimal("1.00")
        outcomes = await publish_plan(services.ctx, plan, plan_hash)

        assert {p: o.state for p, o in outcomes.items()} == {p: "compensated" for p in PLATFORMS}
        assert "budget" in (outcomes["tiktok"].error or "")
        assert outcomes["meta"].error == "withdrawn because publishing failed on TikTok"
        # Meta and Snapchat had everything; all of it was paused, then deleted.
        assert outcomes["meta"].external_campaign_id and len(outcomes["meta"].ads) == plan_counts(plan)["meta"]["ad"]
        assert sim_counts(cloned, PLATFORMS) == {p: {"campaign": 0, "ad_set": 0, "ad": 0} for p in PLATFORMS}
        assert {sim_objects(cloned, "meta", "campaign", live_only=False)[0]["status"]} == {"DELETED"}

        # The user is told, per platform, and the rows and the ledger say the same.
        lines = outcome_messages(outcomes, "en")
        assert any("TikTok" in line and "failed" in line for line in lines), lines
        assert any("withdrawn because publishing failed on TikTok" in line for line in lines), lines
        # An Arabic speaker reads our reasons in Arabic; the platform's own words are quoted as it gave them.
        arabic = outcome_messages(outcomes, "ar")
        assert any("سُحبت لأن النشر فشل على تيك توك" in line for line in arabic), arabic
        refusal = next(line for line in arabic if line.startswith("فشل النشر على تيك توك"))
        assert "ردّت المنصة: " in refusal and (outcomes["tiktok"].error or "") in refusal, refusal
        async with services.sessions() as session:
            tree = await repo.campaign_tree(session=session, campaign_id=plan.campaign_id)
            steps = list(await session.scalars(select(PublishStep)))
        for pc in tree:
            if pc.external_campaign_id:
                assert pc.status == "deleted", pc
            assert all(s.status == "deleted" for s in pc.ad_sets if s.external_id)
            assert all(a.status == "deleted" for s in pc.ad_sets for a in s.ads if a.external_id)
        creates = [s for s in steps if s.object_kind in ("campaign", "ad_set", "ad") and s.external_id]
        assert creates and {s.state for s in creates} == {"compensated"}
        # TikTok's ads were never sent (their ad group was refused): back to "planned", attempt taken back, so
        # no later run or compensation goes looking for them.
        tiktok_ads = [s for s in steps if s.platform == "tiktok" and s.object_kind == "ad"]
        assert tiktok_ads and {(s.state, s.attempts) for s in tiktok_ads} == {("planned", 0)}
        assert not [s for s in steps if s.state == "sending"]
        # Nothing was switched on anywhere, and the ledger says so.
        activations = [s for s in steps if s.object_kind == "activate"]
        assert activations and {(s.state, s.attempts) for s in activations} == {("planned", 0)}


def _switches_on(request: httpx.Request, object_id: str) -> bool:
    """A Meta request that sets this object ACTIVE: a POST to the node, or an item of a Graph batch."""
    node, batch = request.url.path.endswith(f"/{object_id}"), request.url.path.rstrip("/").count("/") == 1
    if request.method != "POST" or not (node or batch):
        return False  # (uploads stream their bodies: not read here)
    form = parse_qs(request.content.decode())
    if node:
        return form.get("status") == ["ACTIVE"]
    items = json.loads(form.get("batch", ["[]"])[0])
    return any(i.get("relative_url") == object_id and "status=ACTIVE" in i.get("body", "") for i in items)


async def test_activation_failing_midway_leaves_nothing_delivering_and_a_retry_converges(
    cloned: Settings, all_three_template: Any
) -> None:
    meta = SandboxFaults()
    async with open_services(cloned, sandbox_faults={"meta": meta}) as services:
        services.ctx.publish_backoff_s = 0.01
        plan, _ = await preview_plan(services, all_three_template.conversation_id)
        conversation_id = all_three_template.conversation_id

        async def refuse_meta_campaign_activation(request: httpx.Request) -> None:
            # The children of every platform are on; Meta refuses the campaign's switch-on until the saga gives
            # up on it (each refusal counts), then answers again, so the pause-back can be seen to work.
            campaigns = sim_objects(cloned, "meta", "campaign")
            if campaigns and _switches_on(request, campaigns[0]["id"]):
                meta.rate_limit_wait_minutes, meta.rate_limit_calls = 0.0005, MAX_RATE_LIMITED + 1
                meta.rate_limit_after_calls = 0

        services.sandboxed["meta"].event_hooks["request"].insert(0, refuse_meta_campaign_activation)
        turn = await approve(services, await services.driver.current(conversation_id))
        assert turn.status == "error", [(p, o["error"]) for p, o in turn.result["publish"].items()]  # retryable

        # Nothing delivers: every object on every platform reads back paused, and the rows say so.
        assert sim_counts(cloned, PLATFORMS) == plan_counts(plan)
        assert all_statuses(cloned, PLATFORMS) == {p: {"paused"} for p in PLATFORMS}
        async with services.sessions() as session:
            tree = await repo.campaign_tree(session=session, campaign_id=plan.campaign_id)
        assert {pc.status for pc in tree} == {"paused"}
        assert {a.status for pc in tree for s in pc.ad_sets for a in s.ads} == {"paused"}

        # Meta recovers; the retry re-runs the publish node: same keys, nothing created twice, all live.
        meta.rate_limit_after_calls = None
        services.sandboxed["meta"].event_hooks["request"].remove(refuse_meta_campaign_activation)
        turn = await services.driver.retry(conversation_id)
        assert turn.status == "live", turn
    assert sim_counts(cloned, PLATFORMS) == plan_counts(plan)
    assert all_statuses(cloned, PLATFORMS) == {p: {"active"} for p in PLATFORMS}


async def test_children_refused_on_one_platform_switch_no_campaign_on(cloned: Settings, all_three_template: Any) -> None:
    async with open_services(cloned) as services:
        services.ctx.publish_backoff_s = 0.01
        plan, plan_hash = await preview_plan(services, all_three_template.conversation_id)

        async def refuse_meta_ads_switch_on(request: httpx.Request) -> None:
            ads = sim_objects(cloned, "meta", "ad")
            if ads and _switches_on(request, ads[0]["id"]):
                raise httpx.ConnectError("refused (test)", request=request)

        services.sandboxed["meta"].event_hooks["request"].insert(0, refuse_meta_ads_switch_on)
        outcomes = await publish_plan(services.ctx, plan, plan_hash)

        assert not any(o.ok for o in outcomes.values())
        assert all(o.paused for o in outcomes.values()), {p: o.error for p, o in outcomes.items()}
        # The other platforms' children were on for a moment; they are paused again, and no campaign was
        # ever switched on: everything reads back paused.
        assert all_statuses(cloned, PLATFORMS) == {p: {"paused"} for p in PLATFORMS}
        async with services.sessions() as session:
            steps = list(await session.scalars(select(PublishStep).where(PublishStep.object_kind == "activate")))
        campaign_switches = [s for s in steps if s.plan_key == "activate/campaign"]
        assert len(campaign_switches) == len(PLATFORMS)
        assert {(s.state, s.attempts) for s in campaign_switches} == {("planned", 0)}  # never sent
        assert not [s for s in steps if s.state == "sending"]
