"""Typed thread replies in Slack mean what they say: the review's and the preview's own words in Arabic, a way out,
and help instead of a campaign for a question."""

from __future__ import annotations

import json

from slack_harness import APPROVER, CHANNEL, MARKETER, Slack
from sqlalchemy import func, select

from agent.reports import campaign_summary
from store import repositories as repo
from store.models import Conversation

ROOT = "1700000000.000100"
SEED_AR = "أنشئ حملة على انستقرام وتيك توك لتخفيضات رمضان بميزانية ١٠٠٠ ريال تستهدف النساء من ٢٥ إلى ٤٠ في الرياض"


async def _in_thread(slack: Slack, text: str, user: str, ts: str) -> None:
    await slack.event({"type": "message", "channel_type": "channel", "channel": CHANNEL, "user": user,
                       "text": text, "ts": ts, "thread_ts": ROOT})
    await slack.drain()


async def test_arabic_words_typed_in_the_thread_approve_then_cancel(slack: Slack) -> None:
    await slack.to_review(SEED_AR)
    await _in_thread(slack, "موافقة", APPROVER, "1700000000.000201")
    preview = slack.last_card("adly.preview.approve")
    assert "numbered" not in json.dumps(slack.ephemerals(), ensure_ascii=False)
    await _in_thread(slack, "إلغاء", MARKETER, "1700000000.000202")
    async with slack.services.sessions() as session:
        conversation = await repo.find_conversation(session=session, channel_kind="slack", channel_id=CHANNEL,
                                                    thread_ts=ROOT)
    assert conversation is not None
    turn = await slack.services.driver.current(conversation.id)
    assert turn.status == "cancelled" and turn.prompt is None
    assert "adly.preview.approve" not in json.dumps(slack.fake.messages[preview["ts"]]["blocks"])
    summary = await campaign_summary(slack.services.ctx, conversation.id)
    assert summary["status"] == "draft"


async def test_a_question_in_a_mention_gets_help_not_a_campaign(slack: Slack) -> None:
    await slack.mention("what can you do?")
    await slack.drain()
    told = slack.ephemerals(MARKETER)
    assert told and "I create ad campaigns" in told[-1]["text"]
    async with slack.services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Conversation)) == 0
