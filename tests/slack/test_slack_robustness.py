"""Signatures, redeliveries, escaping, workspaces apart, rate limits, languages, App Home and settings."""

from __future__ import annotations

import json
import time
from decimal import Decimal

from fake_slack import find_element
from slack_harness import APPROVER, CHANNEL, MARKETER, Slack, validate_blocks, validate_view
from sqlalchemy import func, select

from bot.slack import blocks as b
from bot.slack.actions import copy_errors
from store import repositories as repo
from store.models import Conversation


async def _conversations(slack: Slack) -> int:
    async with slack.services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Conversation)) or 0)


async def test_bad_signature_and_stale_timestamp_are_401(slack: Slack) -> None:
    body = slack.event_body({"type": "app_mention", "user": MARKETER, "text": "<@UBOT> hi", "channel": CHANNEL,
                             "ts": "1.1"})
    forged = await slack.post(body, "application/json", secret="not-the-secret")
    assert forged.status_code == 401
    old = slack.sign(body, timestamp=int(time.time()) - 6 * 60)
    replayed = await slack.http.post("/slack/events", content=body.encode(),
                                     headers={"Content-Type": "application/json", **old})
    assert replayed.status_code == 401
    await slack.drain()
    assert await _conversations(slack) == 0 and not slack.fake.named("chat.postMessage")


async def test_duplicate_event_delivery_starts_one_conversation(slack: Slack) -> None:
    text = "Ramadan campaign for women in Riyadh"
    first = await slack.mention(text, event_id="EvSAME")
    again = await slack.mention(text, event_id="EvSAME", retry=1)
    assert first.status_code == again.status_code == 200
    await slack.drain()
    assert await _conversations(slack) == 1
    assert len(slack.fake.cards("adly.clarify.cancel")) == 1


async def test_a_command_run_again_after_its_worker_died_copies_and_starts_once(slack: Slack, monkeypatch) -> None:
    deferred: list[dict] = []
    queue = slack.services.queue
    original = queue.defer

    async def recorded(name: str, payload: dict, **options: object) -> bool:
        if name == "slack.command":
            deferred.append(payload)
        return await original(name, payload, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(queue, "defer", recorded)
    text = "Instagram campaign for Ramadan sale with 3000 SAR budget targeting women 25-40 in Riyadh"
    await slack.command(text)
    await slack.drain()
    roots = [c for c in slack.fake.named("chat.postMessage") if not c.args.get("thread_ts")]
    assert len(roots) == 1 and await _conversations(slack) == 1
    connect_cards = len(slack.fake.cards("adly.connect.open."))
    # The worker running it died after the conversation began; any worker runs the same job again.
    await queue.run("slack.command", deferred[0], attempt=1)
    await slack.drain()
    assert [c for c in slack.fake.named("chat.postMessage") if not c.args.get("thread_ts")] == roots
    assert await _conversations(slack) == 1 and len(slack.fake.cards("adly.connect.open.")) == connect_cards
    # Another /adly with the same words is another request (its own trigger): a second conversation.
    await slack.command(text)
    await slack.drain()
    assert await _conversations(slack) == 2


async def test_ack_comes_before_the_work(slack: Slack) -> None:
    started = time.perf_counter()
    answer = await slack.mention("Ramadan campaign for women in Riyadh")
    elapsed = time.perf_counter() - started
    assert answer.status_code == 200 and elapsed < 1.0
    assert slack.services.background.pending >= 1  # the flow runs after the answer went out
    await slack.drain()


async def test_clarify_in_arabic_then_thread_reply_continues(slack: Slack) -> None:
    await slack.mention("حملة رمضان للنساء في الرياض", ts="1700000000.000300")
    await slack.drain()
    card = slack.last_card("adly.clarify.cancel")
    assert "بعض التفاصيل" in json.dumps(card["blocks"], ensure_ascii=False)
    # The user answers in the thread (no mention): the same conversation continues.
    await slack.event({"type": "message", "channel_type": "channel", "channel": CHANNEL, "user": MARKETER,
                       "text": "1500 ريال، تيك توك فقط", "ts": "1700000000.000301",
                       "thread_ts": "1700000000.000300"})
    await slack.drain()
    assert await _conversations(slack) == 1
    resolved = slack.fake.messages[card["ts"]]
    assert "adly.clarify.cancel" not in json.dumps(resolved["blocks"])
    connect = slack.last_card("adly.connect.open.tiktok")
    assert "اربط" in json.dumps(connect["blocks"], ensure_ascii=False)


async def test_user_text_is_escaped_and_never_unfurled(slack: Slack) -> None:
    await slack.command("Ramadan sale <!channel> <@U0OTHER> & friends http://evil.example budget 1000 SAR")
    await slack.drain()
    root = slack.fake.posted()[0]
    assert "&lt;!channel&gt;" in root["text"] and "<!channel>" not in json.dumps(root)
    assert "<@U0OTHER>" not in json.dumps(root) and "&amp;" in root["text"]
    for call in slack.fake.named("chat.postMessage"):
        assert call.args["unfurl_links"] is False and call.args["unfurl_media"] is False
    assert "&lt;b&gt;" == b.safe("<b>")
    assert b.safe("&" * 10, 12).endswith("…") and len(b.safe("&" * 10, 12)) <= 12


async def test_another_workspace_cannot_touch_a_conversation(slack: Slack) -> None:
    slack.fake.teams["xoxb-other"] = "T2"
    async with slack.services.sessions() as session, session.begin():
        await repo.save_slack_installation(session=session, cipher=slack.services.cipher, team_id="T2",
                                           enterprise_id=None, bot_user_id="UBOT2", bot_token="xoxb-other")
    await slack.mention("Ramadan campaign for women in Riyadh")
    await slack.drain()
    card = slack.last_card("adly.clarify.cancel")
    await slack.click(card, "adly.clarify.cancel", user="UOUTSIDER", team="T2")
    await slack.drain()
    told = slack.ephemerals("UOUTSIDER")
    assert told and "does not exist" in told[-1]["text"]
    assert "adly.clarify.cancel" in json.dumps(slack.fake.messages[card["ts"]]["blocks"])  # untouched
    assert told[-1] and any(c.token == "xoxb-other" for c in slack.fake.named("chat.postEphemeral"))


async def test_rate_limited_calls_are_retried(slack: Slack) -> None:
    slack.fake.rate_limit_next["chat.postMessage"] = 2
    await slack.mention("Ramadan campaign for women in Riyadh")
    await slack.drain()
    assert len(slack.fake.named("chat.postMessage#429")) == 2
    assert slack.fake.cards("adly.clarify.cancel")


async def test_internal_error_gives_a_reference_not_a_trace(slack: Slack) -> None:
    async def broken(**_: object) -> None:
        raise RuntimeError("secret internals")

    slack.services.driver.start = broken  # type: ignore[method-assign,assignment]
    await slack.mention("Ramadan campaign for women in Riyadh")
    await slack.drain()
    said = slack.fake.posted()[-1]
    assert "reference" in said["text"] and "secret internals" not in json.dumps(said)


async def test_app_home_and_settings_modal(slack: Slack) -> None:
    await slack.event({"type": "app_home_opened", "user": APPROVER, "channel": "D1", "tab": "home",
                       "ts": "1700000000.000500"})
    await slack.drain()
    home = slack.fake.named("views.publish")[-1].args
    assert home["user_id"] == APPROVER
    validate_view(home["view"])
    block, button = find_element(home["view"]["blocks"], "adly.home.settings") or ({}, {})
    assert button, "an approver can edit settings"

    await slack.interact({"type": "block_actions", "team": {"id": "T1"}, "user": {"id": APPROVER, "team_id": "T1"},
                          "api_app_id": "A1", "trigger_id": "t-home", "container": {"type": "view"},
                          "actions": [{"type": "button", "action_id": "adly.home.settings", "block_id": "adly.home",
                                       "action_ts": "1"}]})
    await slack.drain()
    modal = slack.modal("adly.settings")
    values = {"currency": {"value": {"type": "plain_text_input", "value": "sarx"}},
              "approvers": {"value": {"type": "multi_users_select", "selected_users": [APPROVER, "UOTHER"]}},
              "limit": {"value": {"type": "number_input", "value": "2500"}},
              "channel": {"value": {"type": "conversations_select", "selected_conversation": "CDIGEST"}},
              "hour": {"value": {"type": "static_select", "selected_option": {"value": "8"}}}}
    values["landing"] = {"value": {"type": "url_text_input", "value": "https://127.0.0.1/shop"}}
    bad = await slack.submit(modal, values)
    assert bad.json()["response_action"] == "errors"
    assert set(bad.json()["errors"]) == {"currency", "landing"}, bad.json()
    assert "not a public website" in bad.json()["errors"]["landing"]
    values["currency"]["value"]["value"] = "aed"
    values["landing"]["value"]["value"] = "https://shop.example.sa/"
    assert (await slack.submit(modal, values)).status_code == 200
    await slack.drain()
    async with slack.services.sessions() as session:
        workspace = await repo.get_or_create_workspace(session=session, name="T1", slack_team_id="T1")
        assert workspace.default_currency == "AED" and workspace.approvers == [APPROVER, "UOTHER"]
        assert workspace.self_approval_limit == Decimal("2500") and workspace.digest_channel == "CDIGEST"
        assert workspace.digest_hour == 8 and workspace.landing_url == "https://shop.example.sa/"

    # A non-approver sees the settings but gets no button to change them.
    await slack.event({"type": "app_home_opened", "user": MARKETER, "channel": "D2", "tab": "home",
                       "ts": "1700000000.000501"})
    await slack.drain()
    view = slack.fake.named("views.publish")[-1].args["view"]
    assert find_element(view["blocks"], "adly.home.settings") is None


async def test_the_settings_modal_edits_the_workspaces_brand_and_its_arabic_name(slack: Slack) -> None:
    await slack.interact({"type": "block_actions", "team": {"id": "T1"}, "user": {"id": APPROVER, "team_id": "T1"},
                          "api_app_id": "A1", "trigger_id": "t-brand", "container": {"type": "view"},
                          "actions": [{"type": "button", "action_id": "adly.home.settings", "block_id": "adly.home",
                                       "action_ts": "1"}]})
    await slack.drain()
    modal = slack.modal("adly.settings")
    blocks = {block.get("block_id"): block for block in modal["blocks"]}
    assert blocks["brand"]["element"]["initial_value"] == "ADLY Store"
    assert "initial_value" not in blocks["brand_ar"]["element"]  # none set: Arabic ads transliterate
    assert blocks["brand_ar"]["element"]["placeholder"]["text"] == "أدلي ستور"
    values = {"currency": {"value": {"type": "plain_text_input", "value": "SAR"}},
              "approvers": {"value": {"type": "multi_users_select", "selected_users": [APPROVER]}},
              "limit": {"value": {"type": "number_input", "value": "5000"}},
              "hour": {"value": {"type": "static_select", "selected_option": {"value": "9"}}},
              "brand": {"value": {"type": "plain_text_input", "value": "Jarir Bookstore"}},
              "brand_ar": {"value": {"type": "plain_text_input", "value": "Jarir"}}}
    bad = await slack.submit(modal, values)
    assert bad.json()["response_action"] == "errors" and set(bad.json()["errors"]) == {"brand_ar"}, bad.json()
    values["brand_ar"]["value"]["value"] = "مكتبة جرير"
    assert (await slack.submit(modal, values)).status_code == 200
    await slack.drain()
    async with slack.services.sessions() as session:
        workspace = await repo.get_or_create_workspace(session=session, name="T1", slack_team_id="T1")
        assert (workspace.brand_name, workspace.brand_name_ar) == ("Jarir Bookstore", "مكتبة جرير")
    home = slack.fake.named("views.publish")[-1].args["view"]
    assert "Jarir Bookstore · مكتبة جرير" in json.dumps(home, ensure_ascii=False)

    # Emptied, the workspace goes back to the deployment's brand (and its transliteration), not a copy of it.
    values["brand"]["value"]["value"] = ""
    values["brand_ar"]["value"]["value"] = ""
    assert (await slack.submit(modal, values)).status_code == 200
    await slack.drain()
    async with slack.services.sessions() as session:
        workspace = await repo.get_or_create_workspace(session=session, name="T1", slack_team_id="T1")
        assert (workspace.brand_name, workspace.brand_name_ar) == (None, None)


def test_edit_modal_validation_uses_platform_limits() -> None:
    meta = {"platforms": ["snapchat"], "cta": "shop_now", "copy_language": "en"}
    good = {"headline": "Ramadan deals", "primary_text": "Shop now", "description": "Offers",
            "cta_label": "Shop Now"}
    assert copy_errors(good, meta, "en") == {}
    errors = copy_errors({**good, "headline": "x" * 60}, meta, "en")
    assert set(errors) == {"headline"}
    assert copy_errors({**good, "headline": ""}, meta, "ar")["headline"] == "لا يمكن ترك هذا الحقل فارغًا."


def test_every_builder_fits_slacks_limits() -> None:
    ref = b.Ref("c" * 32, "i" * 32)
    long = "<!channel> " + "x" * 5000
    cards = [
        b.clarify_card({"language": "en", "question": long, "missing": ["budget"] * 50, "issues": [
            {"field": "f", "code": "c", "severity": "error", "message": long, "fixes": ["fix " * 40] * 30}],
            "request": {}}, ref),
        b.connect_card({"language": "ar", "message": long, "links": [
            {"platform": "meta", "authorize_url": "https://x/" + "a" * 4000, "state": "s"}], "connected": {}}, ref),
        b.review_card({"language": "en", "message": long, "content_hash": "h", "assets": [
            {"slot": f"copy:{n}", "asset_id": str(n), "kind": "copy", "language": "en", "provider": "p",
             "text": {"headline": long, "primary_text": long}, "problems": [long]} for n in range(30)]}, ref),
        b.preview_card({"language": "en", "message": long, "plan": {"currency": "SAR", "total_budget": "1"},
                        "plan_hash": "h", "lines": [long] * 80, "warnings": [long] * 20}, ref),
        b.report_message("live", {"name": long, "platforms": [], "assets": []}, None, "en", long),
        b.status_message(long), b.notice_message(long), b.request_root(long, long, "en"),
    ]
    for message in cards:
        validate_blocks(message.blocks)
        assert "<!channel>" not in json.dumps(message.blocks) and len(message.text) <= 3000
    validate_view(b.adjust_modal(ref, "ar"))
    validate_view(b.edit_modal(ref, "copy:en", {"headline": long}, {}, "en"))
    settings = b.WorkspaceSettings("SAR", ["U1"], "5000", "C1", 9)
    validate_view(b.settings_modal(settings, "ar"))
    validate_view(b.settings_modal(settings, "ar", admin=True))
    validate_view(b.home_view([], [], settings, can_edit=True, language="ar"))


async def test_an_instruction_over_the_limit_gets_a_short_reply_and_starts_nothing(slack: Slack) -> None:
    long = "Create a Ramadan campaign on Instagram for women in Riyadh with 1000 SAR. " * 40
    assert len(long) > 2000
    await slack.mention(long)
    await slack.command(long)
    await slack.drain()
    refusals = [e for e in slack.ephemerals(MARKETER) if "the limit is 2,000" in str(e.get("text"))]
    assert len(refusals) == 2
    assert not slack.fake.named("chat.postMessage")  # nothing posted in the channel, not even the request
    async with slack.services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Conversation)) == 0
