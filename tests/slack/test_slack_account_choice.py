"""Several ad accounts on one Meta login: the connect card offers a select, and choosing one is what publishes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fake_slack import find_element
from slack_sdk.models.blocks import Block
from sqlalchemy import select

from bot.settings import Settings
from store.models import PlatformCampaign

META_ONLY = "Create Instagram campaign for Ramadan sale with 1000 SAR budget targeting women 25-40 in Riyadh"
MARKETER = "UMARKETER"  # the harness's users (tests/slack/conftest.py)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The sandbox user owns a second Meta ad account.
    return settings.model_copy(update={"sandbox_extra_accounts": 1})


def _valid(blocks: list[dict[str, Any]]) -> None:
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None
        block.validate_json()


async def test_connect_card_offers_a_select_and_the_choice_is_published(slack: Any) -> None:
    fake = slack.fake
    await slack.mention(META_ONLY)
    await slack.drain()
    connect = slack.last_card("adly.connect.open.meta")
    await slack.connect(connect, "meta")
    await slack.drain()

    # The same card now asks which account: one static_select for Meta, ids as values, the ref in block_id.
    card = fake.messages[connect["ts"]]
    _valid(card["blocks"])
    found = find_element(card["blocks"], "adly.connect.choose.meta")
    assert found is not None, json.dumps(card["blocks"])[:2000]
    block, element = found
    assert element["type"] == "static_select" and len(element["options"]) == 2
    assert block["block_id"].startswith("adly.connect.choose|")
    second = element["options"][1]["value"]

    # Choosing the second account goes on to the content review.
    await slack.click(card, "adly.connect.choose.meta", user=MARKETER, option=second)
    await slack.drain()
    assert "adly.connect.choose" not in json.dumps(fake.messages[connect["ts"]]["blocks"])  # answered
    review = slack.last_card("adly.review.approve")
    await slack.click(review, "adly.review.approve")
    await slack.drain()
    preview = slack.last_card("adly.preview.approve")
    await slack.click(preview, "adly.preview.approve")
    await slack.drain()
    async with slack.services.sessions() as session:
        published = list(await session.scalars(select(PlatformCampaign)))
    assert [p.ad_account_id for p in published] == [second]
    assert published[0].external_campaign_id
