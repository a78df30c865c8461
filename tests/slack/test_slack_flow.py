"""The seed sentence from an @mention to published, every card's buttons clicked as a user would."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from slack_harness import APPROVER, CHANNEL, MARKETER, Slack, validate_blocks, validate_view

from agent.reports import campaign_summary
from bot.console import SEED_INSTRUCTION
from store import repositories as repo

ROOT = "1700000000.000100"


def _texts(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks") or [], ensure_ascii=False)


def _assert_every_payload_valid(slack: Slack) -> None:
    for call in slack.fake.calls:
        args = call.args
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral") and args.get("blocks"):
            validate_blocks(args["blocks"])
            assert "<!" not in _texts(args) and "<!" not in str(args.get("text"))
        if call.method == "chat.postMessage":
            assert args.get("unfurl_links") is False and args.get("unfurl_media") is False
        if call.method in ("views.open", "views.publish"):
            validate_view(args["view"])


async def test_seed_sentence_from_mention_to_published(slack: Slack) -> None:
    fake = slack.fake
    answer = await slack.mention(SEED_INSTRUCTION)
    assert answer.status_code == 200
    await slack.drain()

    # The status line, then the connect card, both in the mention's thread.
    connect = slack.last_card("adly.connect.open.")
    assert connect["thread_ts"] == ROOT and connect["channel"] == CHANNEL
    assert any("Reading your request" in str(m.get("text")) for m in fake.posted())

    # Connect Meta: the same card updates in place and shows it connected.
    page = await slack.connect(connect, "meta")
    assert page.status_code == 200 and "Connected" in page.text
    await slack.drain()
    updated = fake.messages[connect["ts"]]
    assert "adly.connect.open.meta" not in _texts(updated) and "adly.connect.open.tiktok" in _texts(updated)
    assert any(c.args.get("ts") == connect["ts"] for c in fake.named("chat.update"))

    page = await slack.connect(updated, "tiktok")
    assert page.status_code == 200
    await slack.drain()
    assert "adly.connect" not in _texts(fake.messages[connect["ts"]])  # answered: no buttons left

    # Content review: media uploaded into the thread with files_upload_v2, the card has the copy in both languages.
    review = slack.last_card("adly.review.approve")
    assert review["thread_ts"] == ROOT
    upload_urls = fake.named("files.getUploadURLExternal")
    complete = fake.named("files.completeUploadExternal")
    assert len(upload_urls) >= 6 and complete and len(fake.uploads) == len(upload_urls)
    assert all(n > 0 for n in fake.uploads.values())
    assert complete[-1].args.get("thread_ts") == ROOT
    assert "Brighter Ramadan Nights" in _texts(review) or "Headline" in _texts(review)
    assert any("\u0600" <= ch <= "\u06ff" for ch in _texts(review))  # the Arabic copy is on the card

    # Edit the English copy: an over-long headline is refused inline, a good one makes a new round.
    await slack.click(review, "adly.review.edit.copy:en")
    await slack.drain()
    modal = slack.modal("adly.edit_copy")
    values = {f: {"value": {"type": "plain_text_input", "value": _initial(modal, f)}}
              for f in ("headline", "primary_text", "description", "cta_label")}
    values["headline"]["value"]["value"] = "An extremely long headline that no platform would ever accept"
    refused = await slack.submit(modal, values)
    assert refused.status_code == 200
    assert refused.json()["response_action"] == "errors" and "headline" in refused.json()["errors"]
    await slack.drain()
    values["headline"]["value"]["value"] = "Ramadan Nights Deals"
    assert (await slack.submit(modal, values)).status_code == 200
    await slack.drain()
    second = slack.last_card("adly.review.approve")
    assert second["ts"] != review["ts"] and "Ramadan Nights Deals" in _texts(second)
    assert "adly.review.approve" not in _texts(fake.messages[review["ts"]])  # the old card was resolved

    # Approve (by the approver) -> the preview.
    await slack.click(second, "adly.review.approve")
    await slack.drain()
    preview = slack.last_card("adly.preview.approve")
    _, publish = _element(preview, "adly.preview.approve")
    assert publish.get("confirm") and publish["style"] == "primary"
    assert "1,000 SAR" in json.dumps(publish["confirm"])

    # Publish (the confirm dialog is Slack's; the click arrives after it) -> the final report with external ids.
    await slack.click(preview, "adly.preview.approve")
    await slack.drain()
    report = fake.posted()[-1]
    assert "Campaign is live" in _texts(report)
    summary = await campaign_summary(slack.services.ctx, await _conversation_id(slack))
    assert summary["status"] == "live"
    for platform in summary["platforms"]:
        assert platform["external_campaign_id"] and platform["external_campaign_id"] in _texts(report)
        for ad in platform["ads"]:
            assert ad["external_id"] in _texts(report)
    assert "adly.report.open.meta" in _texts(report)  # a link to each ads manager
    resolved = fake.messages[preview["ts"]]
    assert "adly.preview.approve" not in _texts(resolved) and "Name UBOSS" in _texts(resolved)

    _assert_every_payload_valid(slack)


def _element(message: dict[str, Any], prefix: str) -> tuple[dict[str, Any], dict[str, Any]]:
    from fake_slack import find_element

    found = find_element(message["blocks"], prefix)
    assert found is not None
    return found


def _initial(modal: dict[str, Any], block_id: str) -> str:
    block = next(b for b in modal["blocks"] if b.get("block_id") == block_id)
    return str(block["element"].get("initial_value", ""))


async def _conversation_id(slack: Slack) -> str:
    async with slack.services.sessions() as session:
        conversation = await repo.find_conversation(session=session, channel_kind="slack", channel_id=CHANNEL,
                                                    thread_ts=ROOT)
    assert conversation is not None
    return conversation.id


async def test_non_approver_double_click_and_stale_button(slack: Slack) -> None:
    fake = slack.fake
    review = await slack.to_review(SEED_INSTRUCTION)
    updates_before = len(fake.named("chat.update"))

    # A non-approver's click: an ephemeral explanation to them only; the card and the flow stay as they were.
    await slack.click(review, "adly.review.approve", user=MARKETER)
    await slack.drain()
    told = slack.ephemerals(MARKETER)
    assert told and "approver" in told[-1]["text"].lower() and told[-1]["thread_ts"] == ROOT
    assert len(fake.named("chat.update")) == updates_before
    assert not fake.cards("adly.preview.approve")

    # A double click by the approver: one approval goes through, the other is told it was already handled.
    first, second = await asyncio.gather(slack.click(review, "adly.review.approve"),
                                         slack.click(review, "adly.review.approve"))
    assert first.status_code == second.status_code == 200
    await slack.drain()
    assert len(fake.cards("adly.preview.approve")) == 1
    assert any("already" in e["text"] for e in slack.ephemerals(APPROVER))

    # The stale review button once more, after the flow moved on: refused, nothing new posted.
    posted = len(fake.named("chat.postMessage"))
    await slack.click(review, "adly.review.approve")
    await slack.drain()
    assert len(fake.named("chat.postMessage")) == posted
    assert sum("already" in e["text"] for e in slack.ephemerals(APPROVER)) == 2


async def test_stale_button_after_an_edit_is_refused(slack: Slack) -> None:
    fake = slack.fake
    review = await slack.to_review(SEED_INSTRUCTION)
    await slack.click(review, "adly.review.edit.copy:en")
    await slack.drain()
    modal = slack.modal("adly.edit_copy")
    values = {f: {"value": {"type": "plain_text_input", "value": _initial(modal, f)}}
              for f in ("headline", "primary_text", "description", "cta_label")}
    values["description"]["value"]["value"] = "Offers all month"
    await slack.submit(modal, values)
    await slack.drain()
    new_review = slack.last_card("adly.review.approve")
    assert new_review["ts"] != review["ts"]

    # The old card lost its buttons, but a client that still shows them sends the old ids: refused.
    await slack.click(review, "adly.review.approve")
    await slack.drain()
    assert any("already" in e["text"] for e in slack.ephemerals(APPROVER))
    assert not fake.cards("adly.preview.approve")
    # The current card still works.
    await slack.click(new_review, "adly.review.approve")
    await slack.drain()
    assert fake.cards("adly.preview.approve")
    _assert_every_payload_valid(slack)
