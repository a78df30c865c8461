"""The Slack harness: the real ASGI app, signed requests as Slack sends them, and the fake Web API."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
from fake_slack import FakeSlack, find_element
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from slack_sdk.signature import SignatureVerifier

from agent.turns import Turn, Where
from bot.console import connect_in_sandbox
from bot.services import Services, open_services
from bot.settings import Settings
from bot.slack.app import SlackFrontDoor
from bot.web import create_app
from tools.sandbox import complete_consent

SECRET = "test-signing-secret"
APPROVER = "UBOSS"
MARKETER = "UMARKETER"
CHANNEL = "C0CAMPAIGNS"


def validate_blocks(blocks: list[dict[str, Any]], limit: int = 50) -> None:
    """Every block as slack_sdk's models see it: unknown types and any limit Slack enforces fail here."""
    assert 0 < len(blocks) <= limit, len(blocks)
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, f"unknown block {raw.get('type')}"
        block.validate_json()


def validate_view(view: dict[str, Any]) -> None:
    View(**view).validate_json()
    validate_blocks(view["blocks"], limit=100)


def signed_headers(body: str, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack signs a request with (v0 HMAC of timestamp and body)."""
    ts = str(timestamp if timestamp is not None else int(time.time()))
    return {"X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)}


def event_body(event: dict[str, Any], *, event_id: str, team: str = "T1") -> str:
    """An Events API envelope around `event`, as Slack posts it."""
    return json.dumps({
        "token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
        "event_id": event_id, "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
        "event": {"event_ts": event.get("ts", "1700000000.000001"), **event},
    })


def mention_event(text: str, *, user: str = MARKETER, ts: str = "1700000000.000100",
                  channel: str = CHANNEL) -> dict[str, Any]:
    return {"type": "app_mention", "user": user, "text": f"<@UBOT> {text}", "ts": ts, "channel": channel}


@asynccontextmanager
async def open_slack(settings: Settings, fake: FakeSlack) -> AsyncIterator[Slack]:
    """The real app with `settings` in front of the fake Web API, driven over ASGI; drained on the way out."""
    async with open_services(settings, port=8780) as services:
        door = SlackFrontDoor(services, port=8780)
        app = create_app(settings, services=services, slack=door)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8780") as http:
            harness = Slack(services, door, http, fake)
            yield harness
            await harness.drain()


class Slack:
    """Plays Slack's side: signs and sends events, clicks and submissions; reads what the bot posted."""

    def __init__(self, services: Services, door: SlackFrontDoor, http: httpx.AsyncClient, fake: FakeSlack) -> None:
        self.services = services
        self.door = door
        self.http = http
        self.fake = fake
        self._ids = itertools.count(1)

    # ------------------------------------------------------------------------------------------ sending

    def sign(self, body: str, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
        return signed_headers(body, secret=secret, timestamp=timestamp)

    async def post(self, body: str, content_type: str, *, headers: dict[str, str] | None = None,
                   secret: str = SECRET) -> httpx.Response:
        return await self.http.post("/slack/events", content=body.encode(),
                                    headers={"Content-Type": content_type, **self.sign(body, secret=secret),
                                             **(headers or {})})

    def event_body(self, event: dict[str, Any], *, event_id: str | None = None, team: str = "T1") -> str:
        return event_body(event, event_id=event_id or f"Ev{next(self._ids):06d}", team=team)

    async def event(self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None,
                    team: str = "T1") -> httpx.Response:
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return await self.post(self.event_body(event, event_id=event_id, team=team), "application/json",
                               headers=headers)

    async def mention(self, text: str, *, user: str = MARKETER, ts: str = "1700000000.000100",
                      event_id: str | None = None, retry: int | None = None) -> httpx.Response:
        return await self.event(mention_event(text, user=user, ts=ts), event_id=event_id, retry=retry)

    async def interact(self, payload: dict[str, Any]) -> httpx.Response:
        return await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    async def click(self, message: dict[str, Any], action_prefix: str, *, user: str = APPROVER, team: str = "T1",
                    option: str | None = None) -> httpx.Response:
        found = find_element(message.get("blocks") or [], action_prefix)
        assert found is not None, f"no {action_prefix} on {message.get('text')}"
        block, element = found
        action: dict[str, Any] = {"type": element["type"], "action_id": element["action_id"],
                                  "block_id": block.get("block_id", "b"), "action_ts": str(time.time())}
        if element["type"] == "button":
            action["value"] = element.get("value")
            action["text"] = element["text"]
        else:
            chosen = next(o for o in element["options"] if o["value"] == option)
            action["selected_option"] = chosen
        return await self.interact({
            "type": "block_actions", "team": {"id": team, "domain": "test"},
            "user": {"id": user, "team_id": team, "username": user.lower()}, "api_app_id": "A1",
            "trigger_id": f"trigger-{next(self._ids)}", "channel": {"id": message["channel"], "name": "campaigns"},
            "container": {"type": "message", "message_ts": message["ts"], "channel_id": message["channel"]},
            "message": {"ts": message["ts"], "thread_ts": message.get("thread_ts"), "text": message.get("text")},
            "response_url": f"{self.fake.url}api/response", "actions": [action],
        })

    async def submit(self, view: dict[str, Any], values: dict[str, dict[str, Any]], *, user: str = APPROVER,
                     team: str = "T1") -> httpx.Response:
        return await self.interact({
            "type": "view_submission", "team": {"id": team, "domain": "test"},
            "user": {"id": user, "team_id": team}, "api_app_id": "A1", "trigger_id": f"trigger-{next(self._ids)}",
            "view": {**view, "id": "V1", "team_id": team, "state": {"values": values}},
        })

    async def command(self, text: str, *, user: str = MARKETER, channel: str = CHANNEL) -> httpx.Response:
        body = urlencode({"token": "legacy", "team_id": "T1", "team_domain": "test", "channel_id": channel,
                          "channel_name": "campaigns", "user_id": user, "user_name": user.lower(),
                          "command": "/adly", "text": text, "api_app_id": "A1",
                          "response_url": f"{self.fake.url}api/response", "trigger_id": f"trigger-{next(self._ids)}"})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def connect(self, card: dict[str, Any], platform: str) -> httpx.Response:
        """The user presses Connect, consents on the (sandbox) platform page, and the browser lands on our callback."""
        _, element = find_element(card["blocks"], f"adly.connect.open.{platform}") or ({}, {})
        assert element, f"no connect button for {platform}"
        redirect = await complete_consent(self.services.sandbox_browsers[platform], element["url"])
        query = parse_qs(urlparse(redirect).query)
        code = (query.get("code") or query.get("auth_code") or [""])[0]
        return await self.http.get(f"/oauth/{platform}/callback", params={"code": code, "state": query["state"][0]})

    async def to_review(self, text: str) -> dict[str, Any]:
        """A mention of `text`, every requested platform connected on its sandbox page: the review card."""
        await self.mention(text)
        await self.drain()
        connect = self.last_card("adly.connect.open.")
        for platform in ("meta", "tiktok", "snapchat"):
            card = self.fake.messages[connect["ts"]]
            if find_element(card["blocks"], f"adly.connect.open.{platform}") is not None:
                await self.connect(card, platform)
                await self.drain()
        return self.last_card("adly.review.approve")

    async def drain(self) -> None:
        await self.services.background.drain()

    async def drive_to_live(self, text: str, *, thread_ts: str, channel: str = CHANNEL) -> Turn:
        """One campaign driven to live through the conversation driver (sandbox connect, every approval)."""
        driver = self.services.driver
        turn = await driver.start(workspace_id=await self.door.workspace_id("T1"), user=MARKETER, text=text,
                                  where=Where("slack", channel, thread_ts))
        while turn.prompt is not None:
            if turn.prompt.kind == "connect":
                turn = await connect_in_sandbox(self.services, turn, MARKETER, lambda _: None)
                continue
            assert turn.prompt.kind in ("review", "preview"), turn.prompt.payload
            payload = turn.prompt.payload
            decision = {k: v for k, v in {"action": "approve", "content_hash": payload.get("content_hash"),
                                          "plan_hash": payload.get("plan_hash")}.items() if v is not None}
            turn = await driver.decide(conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id,
                                       decision=decision, actor=APPROVER)
        assert turn.status == "live", turn
        return turn

    # ------------------------------------------------------------------------------------------ reading

    def ephemerals(self, user: str | None = None) -> list[dict[str, Any]]:
        return [c.args for c in self.fake.named("chat.postEphemeral") if user is None or c.args.get("user") == user]

    def last_card(self, action_prefix: str) -> dict[str, Any]:
        cards = self.fake.cards(action_prefix)
        assert cards, f"no card with {action_prefix}; posted: {[m.get('text') for m in self.fake.posted()]}"
        return cards[-1]

    def modal(self, callback_id: str) -> dict[str, Any]:
        views = [c.args["view"] for c in self.fake.named("views.open") if c.args["view"]["callback_id"] == callback_id]
        assert views, f"no {callback_id} modal opened"
        return views[-1]
