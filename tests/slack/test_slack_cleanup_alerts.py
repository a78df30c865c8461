"""Cleanup alerts: objects a withdrawal could not delete are announced once in the campaign's thread, then resolved.

The publish runs through the real clients against the sandbox; TikTok refuses an ad group (terminal), so the
saga withdraws everything, and an edge wrapper around Meta's sandbox transport refuses every DELETE.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
from slack_harness import APPROVER, CHANNEL, MARKETER, Slack, validate_blocks

from agent.cleanup import StuckCleanup, retry_interval
from agent.planning import CampaignPlan
from agent.publishing import publish_plan
from agent.turns import Where
from bot.console import SEED_INSTRUCTION, connect_in_sandbox
from bot.scheduler import CLEANUP_JOB, build_scheduler
from bot.slack.alerts import alert_message, cleanup_jobs, run_cleanup_alerts
from store import repositories as repo

THREAD = "1700000000.000777"


class RefuseDeletes(httpx.AsyncBaseTransport):
    """While `refusing`, every DELETE gets Meta's own error shape instead of reaching the simulator."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.refusing = True

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE" and self.refusing:
            error = {"message": "(#100) The object cannot be deleted right now", "type": "OAuthException",
                     "code": 100}
            return httpx.Response(400, json={"error": error}, request=request)
        return await self.inner.handle_async_request(request)


async def _failed_publish(slack: Slack) -> tuple[CampaignPlan, RefuseDeletes]:
    """A Slack conversation driven to its preview, then published with TikTok failing and Meta's deletes refused."""
    services = slack.services
    services.ctx.publish_backoff_s = 0.01
    workspace_id = await slack.door.workspace_id("T1")
    turn = await services.driver.start(workspace_id=workspace_id, user=MARKETER, text=SEED_INSTRUCTION,
                                       where=Where("slack", CHANNEL, THREAD))
    while turn.prompt is not None and turn.prompt.kind != "preview":
        if turn.prompt.kind == "connect":
            turn = await connect_in_sandbox(services, turn, MARKETER, lambda _: None)
            continue
        payload = turn.prompt.payload
        turn = await services.driver.decide(conversation_id=turn.conversation_id,
                                            interrupt_id=turn.prompt.interrupt_id, actor=APPROVER,
                                            decision={"action": "approve", "content_hash": payload["content_hash"]})
    assert turn.prompt is not None, turn
    state = await services.driver.graph.aget_state({"configurable": {"thread_id": turn.thread_id}})
    plan, plan_hash = CampaignPlan.model_validate(state.values["plan"]), str(state.values["plan_hash"])
    http = services.sandboxed["meta"]
    edge = RefuseDeletes(http._transport)
    http._transport = edge
    next(p for p in plan.platforms if p.platform == "tiktok").ad_sets[0].budget_amount = Decimal("1.00")
    outcomes = await publish_plan(services.ctx, plan, plan_hash)
    assert outcomes["tiktok"].compensated and not outcomes["meta"].compensated, outcomes
    return plan, edge


def _thread_posts(slack: Slack) -> list[dict[str, object]]:
    return [c.args for c in slack.fake.named("chat.postMessage")
            if c.args.get("channel") == CHANNEL and c.args.get("thread_ts") == THREAD]


async def test_stuck_cleanup_is_alerted_once_in_the_thread_and_resolved_after_cleanup(slack: Slack) -> None:
    plan, edge = await _failed_publish(slack)
    assert _thread_posts(slack) == []
    async with slack.services.sessions() as session:
        steps = await repo.list_steps(session=session, campaign_id=plan.campaign_id, platform="meta")
    campaign_ext = next(s.external_id for s in steps if s.object_kind == "campaign")
    assert campaign_ext

    # The job runs: the retry fails again, and the thread gets one alert saying what exists where and what to do.
    now = datetime.now(UTC) + timedelta(minutes=10)
    result = await run_cleanup_alerts(slack.door, now)
    assert result["stuck"] > 0 and result["alerted"] == result["stuck"] and result["resolved"] == 0
    posts = _thread_posts(slack)
    assert len(posts) == 1
    blocks = posts[0]["blocks"]
    assert isinstance(blocks, list)
    validate_blocks(blocks)
    shown = json.dumps(blocks, ensure_ascii=False)
    assert "Cleanup needed" in shown and "Meta" in shown and campaign_ext in shown
    assert "paused, not delivering" in shown and "cannot be deleted" in shown
    assert "adsmanager.facebook.com" in shown and "retrying" in shown

    # Fifteen minutes later: retried (still refused), but nobody is told again.
    result = await run_cleanup_alerts(slack.door, now + retry_interval(1))
    assert result["stuck"] > 0 and result["alerted"] == 0
    assert len(_thread_posts(slack)) == 1

    # Deletes work again: the next due run cleans up, and the thread hears it once.
    edge.refusing = False
    result = await run_cleanup_alerts(slack.door, now + retry_interval(1) + retry_interval(2))
    assert result == {"stuck": 0, "alerted": 0, "resolved": result["resolved"]} and result["resolved"] > 0
    posts = _thread_posts(slack)
    assert len(posts) == 2
    resolution = json.dumps(posts[1]["blocks"], ensure_ascii=False)
    assert "Cleaned up" in resolution and campaign_ext in resolution and "Nothing ADLY created" in resolution
    async with slack.services.sessions() as session:
        steps = await repo.list_steps(session=session, campaign_id=plan.campaign_id, platform="meta")
    assert {s.state for s in steps if s.external_id and s.object_kind in ("campaign", "ad_set", "ad")} == {
        "compensated"}
    assert await run_cleanup_alerts(slack.door, now + timedelta(days=1)) == {"stuck": 0, "alerted": 0,
                                                                             "resolved": 0}
    assert len(_thread_posts(slack)) == 2


def test_the_alert_speaks_arabic_and_says_when_nothing_is_paused() -> None:
    item = StuckCleanup(
        campaign_id="c1", campaign_name="رمضان", workspace_id="w1", conversation_id="v1", platform="tiktok",
        object_kind="ad_set", external_id="1800123", step_key="k1", last_error="boom [40002]",
        since=datetime(2025, 3, 1, 12, 0, tzinfo=UTC), attempts=6, paused=False, status="active",
        ads_manager_url=None, ad_account="7000123", retrying=False,
    )  # fmt: skip
    message = alert_message([item], "ar")
    validate_blocks(message.blocks)
    shown = json.dumps(message.blocks, ensure_ascii=False)
    assert "مطلوب تنظيف" in shown and "تيك توك" in shown and "غير متوقف" in shown
    assert "7000123" in shown and "توقفت ADLY" in shown and "1800123" in shown


def test_the_slack_job_replaces_the_plain_cleanup_job(slack: Slack) -> None:
    plain = build_scheduler(slack.services.ctx)
    with_slack = build_scheduler(slack.services.ctx, extra_jobs=cleanup_jobs(slack.door))
    assert plain.get_job(CLEANUP_JOB) is not None
    job = with_slack.get_job(CLEANUP_JOB)
    assert job is not None and [j.id for j in with_slack.get_jobs()].count(CLEANUP_JOB) == 1
    assert job.trigger.interval == timedelta(minutes=15)
