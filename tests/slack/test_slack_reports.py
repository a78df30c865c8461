"""Performance on demand in Slack: "how is it doing?" in a published campaign's thread (English and Arabic) and
`/adly report [campaign]` are answered with the report and its chart, never taken as a new instruction."""

from __future__ import annotations

import json
from typing import Any

from performance_seed import seed_performance
from slack_harness import CHANNEL, MARKETER, Slack, validate_blocks

from agent.performance.read import campaign_report
from agent.performance.render import render_report
from bot.console import SEED_INSTRUCTION
from bot.slack.blocks import escape
from store import repositories as repo

ARABIC = "أنشئ حملة على إنستغرام وتيك توك لتخفيضات رمضان بميزانية 1000 ريال تستهدف النساء 25-40 في الرياض"


async def _published(slack: Slack, text: str, thread_ts: str) -> Any:
    turn = await slack.drive_to_live(text, thread_ts=thread_ts)
    assert turn.result is not None
    today = slack.services.ctx.clock().date()
    return await seed_performance(slack, turn.result["campaign_id"], today)


async def _ask_in_thread(slack: Slack, thread_ts: str, text: str) -> list[dict[str, Any]]:
    """Ask in the thread; the messages posted into it in answer."""
    before = set(slack.fake.messages)
    await slack.event({"type": "message", "user": MARKETER, "text": text, "ts": "1700000500.000001",
                       "thread_ts": thread_ts, "channel": CHANNEL, "channel_type": "channel"})
    await slack.drain()
    return [m for ts, m in slack.fake.messages.items() if ts not in before and m.get("thread_ts") == thread_ts]


def _shown(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks"), ensure_ascii=False) + str(message.get("text"))


async def _check_report(slack: Slack, campaign_id: str, message: dict[str, Any], language: str) -> None:
    """The message is the campaign's report from the stored rows, in `language`, and its chart went to the thread."""
    validate_blocks(message["blocks"])
    report = await campaign_report(slack.services.ctx, campaign_id)
    assert report is not None and report.has_delivery
    text = render_report(report, language)
    shown = _shown(message)
    assert json.dumps(escape(text.title), ensure_ascii=False)[1:-1] in shown
    for line in [*text.platforms, *text.ads, text.budget]:
        assert json.dumps(escape(line), ensure_ascii=False)[1:-1] in shown, line
    uploads = [c.args for c in slack.fake.named("files.completeUploadExternal")]
    assert uploads and uploads[-1]["thread_ts"] == message.get("thread_ts", message["ts"])
    file_id = uploads[-1]["files"][0]["id"]
    assert slack.fake.uploads[file_id] > 10_000  # a real PNG chart, not an empty file


async def test_how_is_it_doing_in_an_english_thread(slack: Slack) -> None:
    campaign = await _published(slack, SEED_INSTRUCTION, "1700000000.000900")
    replies = await _ask_in_thread(slack, "1700000000.000900", "how is it doing?")
    assert len(replies) == 1
    await _check_report(slack, campaign.id, replies[0], "en")
    shown = _shown(replies[0])
    assert f"How “{campaign.name}” is doing" in shown and "Best ad" in shown


async def test_arabic_question_in_an_arabic_thread(slack: Slack) -> None:
    campaign = await _published(slack, ARABIC, "1700000000.000901")
    replies = await _ask_in_thread(slack, "1700000000.000901", "كيف أداء الحملة؟")
    assert len(replies) == 1
    await _check_report(slack, campaign.id, replies[0], "ar")
    shown = _shown(replies[0])
    assert "أداء «" in shown and "لكل تحويل" in shown and "ر.س." in shown
    assert "How " not in shown


async def test_a_question_is_not_an_instruction(slack: Slack) -> None:
    campaign = await _published(slack, SEED_INSTRUCTION, "1700000000.000902")
    async with slack.services.sessions() as session:
        conversations = await repo.list_conversations(session=session)
    replies = await _ask_in_thread(slack, "1700000000.000902", "كيف الحملة")  # an Arabic question, English thread
    assert len(replies) == 1 and "How “" in _shown(replies[0])  # answered in the thread's language
    async with slack.services.sessions() as session:
        assert len(await repo.list_conversations(session=session)) == len(conversations)
        assert (await repo.get_campaign(session=session, campaign_id=campaign.id)).status == "live"  # type: ignore[union-attr]


async def test_adly_report_by_name_and_by_question(slack: Slack) -> None:
    campaign = await _published(slack, SEED_INSTRUCTION, "1700000000.000903")
    async with slack.services.sessions() as session:
        conversations = len(await repo.list_conversations(session=session))
    for text in ("report Ramadan", "how is my Ramadan campaign doing?", "report"):
        before = set(slack.fake.messages)
        response = await slack.command(text)
        assert response.status_code == 200
        await slack.drain()
        posted = [m for ts, m in slack.fake.messages.items() if ts not in before]
        assert len(posted) == 1 and posted[0]["channel"] == CHANNEL and not posted[0].get("thread_ts")
        await _check_report(slack, campaign.id, posted[0], "en")
    async with slack.services.sessions() as session:
        assert len(await repo.list_conversations(session=session)) == conversations  # no campaign was started


async def test_adly_report_of_an_unknown_campaign_says_so(slack: Slack) -> None:
    await _published(slack, SEED_INSTRUCTION, "1700000000.000904")
    before = set(slack.fake.messages)
    await slack.command("report christmas")
    await slack.drain()
    assert not set(slack.fake.messages) - before
    assert "christmas" in str(slack.ephemerals(MARKETER)[-1].get("text"))
