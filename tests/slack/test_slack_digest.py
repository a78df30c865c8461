"""The daily digest: a live campaign's numbers in the digest channel, and the spend chart uploaded beside them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from slack_harness import Slack

from agent.tracking import sync_all
from bot.console import SEED_INSTRUCTION
from bot.slack.digest import run_digests
from store import repositories as repo

DIGEST_CHANNEL = "C0DIGEST"


async def _digest(slack: Slack, text: str) -> tuple[list[dict[str, object]], str]:
    workspace_id = await slack.door.workspace_id("T1")
    async with slack.services.sessions() as session, session.begin():
        await repo.update_workspace(session=session, workspace_id=workspace_id, digest_channel=DIGEST_CHANNEL)
    turn = await slack.drive_to_live(text, thread_ts="1700000000.000900")
    assert turn.result is not None
    async with slack.services.sessions() as session:
        campaign = await repo.get_campaign(session=session, campaign_id=turn.result["campaign_id"])
    assert campaign is not None and campaign.start_date is not None
    # The platforms spend only once the flight has begun: sync on its third afternoon (the sandbox runs on
    # the app's clock, so moving it moves the platforms' days too).
    third_afternoon = datetime.combine(campaign.start_date + timedelta(days=2), time(13), UTC)
    slack.services.ctx.clock = lambda: third_afternoon
    assert await sync_all(slack.services.ctx) >= 1
    async with slack.services.sessions() as session:
        snapshots = await repo.list_snapshots(session=session, campaign_id=campaign.id)
    assert snapshots, "sync_all stored no performance"
    # The digest covers the day before the one it runs on: run it the morning after the synced day.
    day = max(s.day for s in snapshots)
    now = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(days=1)
    assert await run_digests(slack.door, now, force=True) == 1
    assert await run_digests(slack.door, now, force=True) == 0  # once per workspace and day
    posts = [c.args for c in slack.fake.named("chat.postMessage") if c.args.get("channel") == DIGEST_CHANNEL]
    assert len(posts) == 1
    message = posts[0]
    spend = sum((s.spend for s in snapshots if s.day == day), start=Decimal(0))
    impressions = sum(s.impressions for s in snapshots if s.day == day)
    shown = json.dumps(message.get("blocks"), ensure_ascii=False) + str(message.get("text"))
    assert campaign.name in shown or campaign.name[:50] in shown
    assert f"{spend:,.2f}" in shown and str(impressions) in shown

    # The chart: files_upload_v2's three steps, into the digest message's thread.
    urls = slack.fake.named("files.getUploadURLExternal")
    complete = slack.fake.named("files.completeUploadExternal")
    assert urls and urls[-1].args.get("filename") == "spend.png"
    file_id = complete[-1].args["files"][0]["id"]
    assert slack.fake.uploads.get(file_id, 0) > 0
    posted = [m for m in slack.fake.posted() if m.get("channel") == DIGEST_CHANNEL]
    assert complete[-1].args.get("channel_id") == DIGEST_CHANNEL
    assert complete[-1].args.get("thread_ts") == posted[0]["ts"]
    return posts, shown


async def test_daily_digest_posts_numbers_and_chart(slack: Slack) -> None:
    _, shown = await _digest(slack, SEED_INSTRUCTION)
    assert "Daily campaign digest" in shown and "impressions" in shown


async def test_daily_digest_speaks_the_workspace_language(slack: Slack) -> None:
    arabic = "أنشئ حملة على إنستغرام وتيك توك لتخفيضات رمضان بميزانية 1000 ريال تستهدف النساء 25-40 في الرياض"
    _, shown = await _digest(slack, arabic)
    assert "الملخص اليومي" in shown and "ظهور" in shown
