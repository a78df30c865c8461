"""Fixtures of the Slack tests: a fake Web API on loopback and the real app in front of it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fake_slack import FakeSlack
from pydantic import SecretStr
from slack_harness import APPROVER, SECRET, Slack

from bot.services import open_services
from bot.settings import Settings
from bot.slack import SlackFrontDoor
from bot.web import create_app


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
def slack_settings(settings: Settings, fake_slack: FakeSlack) -> Settings:
    return settings.model_copy(update={
        "slack_bot_token": SecretStr("xoxb-test"), "slack_signing_secret": SecretStr(SECRET),
        "slack_api_url": fake_slack.api_url, "adly_approvers": APPROVER, "adly_scheduler_enabled": False,
    })


@pytest.fixture
async def slack(slack_settings: Settings, fake_slack: FakeSlack) -> AsyncIterator[Slack]:
    async with open_services(slack_settings, port=8780) as services:
        door = SlackFrontDoor(services, port=8780)
        app = create_app(slack_settings, services=services, slack=door)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8780") as http:
            harness = Slack(services, door, http, fake_slack)
            yield harness
            await harness.drain()
