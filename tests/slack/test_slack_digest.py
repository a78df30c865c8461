"""Digests: daily at the workspace's hour in its time zone and weekly on Sunday, each posted once per channel and
period (two runs, two senders at once, a restart), the claim given back when the post fails; partially live
campaigns included, with the spend chart in the digest's thread."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from performance_seed import seed_performance
from slack_harness import Slack, validate_blocks

from agent.performance.digest import SUNDAY
from bot.console import SEED_INSTRUCTION
from bot.slack.app import SlackFrontDoor
from bot.slack.digest import run_digests
from store import repositories as repo

DIGEST_CHANNEL = "C0DIGEST"
ARABIC = "أنشئ حملة على إنستغرام وتيك توك لتخفيضات رمضان بميزانية 1000 ريال تستهدف النساء 25-40 في الرياض"


def _next(weekday: int, after: date) -> date:
    return after + timedelta(days=(weekday - after.weekday()) % 7 or 7)


async def _workspace(slack: Slack, *, hour: int = 9, zone: str = "Asia/Riyadh") -> str:
    workspace_id = await slack.door.workspace_id("T1")
    async with slack.services.sessions() as session, session.begin():
        await repo.update_workspace(session=session, workspace_id=workspace_id, digest_channel=DIGEST_CHANNEL,
                                    digest_hour=hour, timezone=zone)
    return workspace_id


async def _live(slack: Slack, text: str, last: date, thread_ts: str = "1700000000.000900") -> Any:
    turn = await slack.drive_to_live(text, thread_ts=thread_ts)
    assert turn.result is not None
    return await seed_performance(slack, turn.result["campaign_id"], last, days=10)


def _digests(slack: Slack) -> list[dict[str, Any]]:
    return [c.args for c in slack.fake.named("chat.postMessage") if c.args.get("channel") == DIGEST_CHANNEL]


def _shown(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks"), ensure_ascii=False) + str(message.get("text"))


async def test_daily_digest_at_the_workspace_hour_once_per_period(slack: Slack) -> None:
    # Asia/Dubai is UTC+4: a 9 o'clock digest is due from 05:00 UTC. A Monday, so no weekly digest is due.
    workspace_id = await _workspace(slack, zone="Asia/Dubai")
    monday = _next(0, slack.services.ctx.clock().date())
    campaign = await _live(slack, SEED_INSTRUCTION, monday - timedelta(days=1))
    nine = datetime(monday.year, monday.month, monday.day, 5, tzinfo=UTC)
    assert await run_digests(slack.door, nine - timedelta(minutes=1)) == 0  # 08:59 in Dubai
    assert await run_digests(slack.door, nine) == 1
    assert await run_digests(slack.door, nine + timedelta(minutes=15)) == 0  # the next check: already sent
    assert await run_digests(slack.door, nine + timedelta(hours=10)) == 0  # a restart later that day
    posts = _digests(slack)
    assert len(posts) == 1
    validate_blocks(posts[0]["blocks"])
    shown = _shown(posts[0])
    assert "Daily digest for" in shown and campaign.name in shown and "(live)" in shown
    # Yesterday alone (of the ten seeded days): Meta 180.50 + TikTok 140.50 SAR, 12 + 9 conversions.
    assert "321.00 SAR spent · 21 conversions at 15.29 SAR each" in shown
    # The chart went into the digest's thread.
    complete = slack.fake.named("files.completeUploadExternal")[-1].args
    posted = [m for m in slack.fake.posted() if m.get("channel") == DIGEST_CHANNEL]
    assert complete["channel_id"] == DIGEST_CHANNEL and complete["thread_ts"] == posted[0]["ts"]
    assert slack.fake.uploads[complete["files"][0]["id"]] > 10_000
    async with slack.services.sessions() as session:
        sends = await repo.list_digest_sends(session=session, workspace_id=workspace_id)
    assert [(s.kind, s.period, s.status) for s in sends] == [("daily", (monday - timedelta(days=1)).isoformat(),
                                                                "sent")]


async def test_two_senders_at_once_post_one_digest(slack: Slack) -> None:
    await _workspace(slack)
    monday = _next(0, slack.services.ctx.clock().date())
    await _live(slack, SEED_INSTRUCTION, monday - timedelta(days=1))
    # Another process's front door over the same database: both check at the same moment.
    other = SlackFrontDoor(slack.services, port=8780)
    nine = datetime(monday.year, monday.month, monday.day, 6, 5, tzinfo=UTC)  # 09:05 in Riyadh
    results = await asyncio.gather(run_digests(slack.door, nine), run_digests(other, nine),
                                   run_digests(slack.door, nine))
    assert sorted(results) == [0, 0, 1]
    assert len(_digests(slack)) == 1


async def test_a_failed_post_gives_the_claim_back(slack: Slack) -> None:
    workspace_id = await _workspace(slack)
    monday = _next(0, slack.services.ctx.clock().date())
    await _live(slack, SEED_INSTRUCTION, monday - timedelta(days=1))
    nine = datetime(monday.year, monday.month, monday.day, 6, 5, tzinfo=UTC)
    slack.fake.rate_limit_next["chat.postMessage"] = 10  # more 429s than the client retries
    assert await run_digests(slack.door, nine) == 0
    async with slack.services.sessions() as session:
        assert await repo.list_digest_sends(session=session, workspace_id=workspace_id) == []
    slack.fake.rate_limit_next["chat.postMessage"] = 0
    assert await run_digests(slack.door, nine + timedelta(minutes=15)) == 1
    assert await run_digests(slack.door, nine + timedelta(minutes=30)) == 0
    assert len(_digests(slack)) == 1


async def test_a_claim_left_by_a_dead_process_is_taken_over(slack: Slack) -> None:
    workspace_id = await _workspace(slack)
    monday = _next(0, slack.services.ctx.clock().date())
    await _live(slack, SEED_INSTRUCTION, monday - timedelta(days=1))
    nine = datetime(monday.year, monday.month, monday.day, 6, 5, tzinfo=UTC)
    yesterday = (monday - timedelta(days=1)).isoformat()
    async with slack.services.sessions() as session:
        # Another process claimed it and is posting right now: this one leaves it alone.
        assert await repo.claim_digest(session=session, workspace_id=workspace_id, channel=DIGEST_CHANNEL,
                                       kind="daily", period=yesterday, holder="other", now=nine)
    assert await run_digests(slack.door, nine + timedelta(minutes=5)) == 0
    # That process died mid-post: once its claim is stale, the digest is sent, once.
    assert await run_digests(slack.door, nine + timedelta(minutes=30)) == 1
    assert await run_digests(slack.door, nine + timedelta(minutes=45)) == 0
    assert len(_digests(slack)) == 1


async def test_weekly_digest_on_sunday_in_arabic_with_partially_live_campaigns(slack: Slack) -> None:
    await _workspace(slack)
    sunday = _next(SUNDAY, slack.services.ctx.clock().date())
    campaign = await _live(slack, ARABIC, sunday - timedelta(days=1))
    async with slack.services.sessions() as session, session.begin():
        await repo.update_campaign(session=session, campaign_id=campaign.id, status="partially_live")
        tree = await repo.campaign_tree(session=session, campaign_id=campaign.id)
        failed = tree[-1]
        await repo.upsert_platform_campaign(session=session, campaign_id=campaign.id, platform=failed.platform,
                                            ad_account_id=failed.ad_account_id, status="failed")
    nine = datetime(sunday.year, sunday.month, sunday.day, 6, tzinfo=UTC)
    assert await run_digests(slack.door, nine) == 2  # the daily and the weekly
    assert await run_digests(slack.door, nine + timedelta(hours=1)) == 0
    daily, weekly = _digests(slack)
    assert "الملخص اليومي" in _shown(daily) and "الملخص الأسبوعي" in _shown(weekly)
    shown = _shown(weekly)
    assert campaign.name in shown and "تعمل على" in shown and "فقط" in shown  # live on some platforms only
    assert "ر.س." in shown
