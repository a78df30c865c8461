"""Fixtures of the Slack tests: a fake Web API on loopback and the real app in front of it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fake_slack import FakeSlack
from pydantic import SecretStr
from slack_harness import APPROVER, SECRET, Slack, open_slack

from bot.settings import Settings


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
    async with open_slack(slack_settings, fake_slack) as harness:
        yield harness
