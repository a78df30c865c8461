"""A publish stopped on an error gets a Retry button in its thread; only those who may retry can, and only once."""

from __future__ import annotations

import json

import httpx
from slack_harness import APPROVER, MARKETER, Slack

from store import repositories as repo

TEXT = "Create Instagram campaign for Ramadan sale with 3000 SAR budget targeting women 25-40 in Riyadh"


async def test_retry_button_resumes_the_publish_from_the_ledger(slack: Slack) -> None:
    slack.services.ctx.publish_backoff_s = 0.001
    meta_down = True

    async def meta_refuses_switching_on(request: httpx.Request) -> None:
        # The tree is created paused; switching it on fails until Meta "recovers".
        try:
            body = request.content
        except httpx.RequestNotRead:
            return  # an upload's streamed body: never a switch-on
        if meta_down and request.method == "POST" and b"ACTIVE" in body:
            raise httpx.ConnectError("refused (test)", request=request)

    slack.services.sandboxed["meta"].event_hooks["request"].insert(0, meta_refuses_switching_on)
    review = await slack.to_review(TEXT)
    await slack.click(review, "adly.review.approve")
    await slack.drain()
    await slack.click(slack.last_card("adly.preview.approve"), "adly.preview.approve")
    await slack.drain()
    notice = slack.last_card("adly.retry")
    assert notice["thread_ts"] == review["thread_ts"]

    # A stranger may not retry someone else's campaign; the click is answered to him alone.
    await slack.click(notice, "adly.retry", user="USTRANGER")
    await slack.drain()
    assert "Only the person who asked" in slack.ephemerals("USTRANGER")[-1]["text"]

    meta_down = False
    await slack.click(notice, "adly.retry", user=MARKETER)
    await slack.drain()
    report = slack.fake.posted()[-1]
    assert "live" in report["text"].lower(), report["text"]
    # The notice lost its button and says who retried; a second click finds nothing to retry.
    updated = slack.fake.messages[str(notice["ts"])]
    assert "adly.retry" not in json.dumps(updated["blocks"]) and "Retried by" in json.dumps(updated["blocks"])
    await slack.click(notice, "adly.retry", user=APPROVER)
    await slack.drain()
    assert "nothing to retry" in slack.ephemerals(APPROVER)[-1]["text"]

    async with slack.services.sessions() as session:
        events = await repo.list_audit_events(session=session, actions=["publish.resumed"])
    assert [e.actor for e in events if e.action == "publish.resumed"] == [MARKETER]
