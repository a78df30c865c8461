"""Approvers as a Slack user group: membership is looked up when someone clicks (cached briefly), not at setup."""

from __future__ import annotations

import pytest
from fake_slack import FakeSlack
from slack_harness import CHANNEL, MARKETER, Slack

from bot.console import SEED_INSTRUCTION
from bot.settings import Settings
from store import repositories as repo

GROUP = "SAPPROVERS"
MEMBER = "UGROUPIE"
ROOT = "1700000000.000100"


@pytest.fixture
def slack_settings(slack_settings: Settings) -> Settings:
    # ADLY_APPROVERS names a user group; the harness's Slack fixture is built from these settings.
    return slack_settings.model_copy(update={"adly_approvers": GROUP})


async def test_group_member_approves_and_a_non_member_is_refused(slack: Slack, fake_slack: FakeSlack) -> None:
    fake = slack.fake
    fake.usergroups[GROUP] = [MEMBER, "UANOTHER"]
    await slack.mention(SEED_INSTRUCTION)
    await slack.drain()
    connect = slack.last_card("adly.connect.open.")
    await slack.connect(connect, "meta")
    await slack.drain()
    await slack.connect(fake.messages[connect["ts"]], "tiktok")
    await slack.drain()
    review = slack.last_card("adly.review.approve")

    async with slack.services.sessions() as session:
        conversation = await repo.find_conversation(session=session, channel_kind="slack", channel_id=CHANNEL,
                                                    thread_ts=ROOT)
        assert conversation is not None
        workspace = await repo.get_workspace(session=session, workspace_id=conversation.workspace_id)
    assert workspace is not None and workspace.approvers == [GROUP]  # kept as the group, not frozen members

    # Not in the group: an ephemeral explanation, nothing moves.
    await slack.click(review, "adly.review.approve", user=MARKETER)
    await slack.drain()
    told = slack.ephemerals(MARKETER)
    assert told and "approver" in told[-1]["text"].lower()
    assert not fake.cards("adly.preview.approve")
    lookups = fake.named("usergroups.users.list")
    assert lookups and lookups[-1].args.get("usergroup") == GROUP

    # A member of the group approves; the membership answer is cached (no second lookup within minutes).
    await slack.click(review, "adly.review.approve", user=MEMBER)
    await slack.drain()
    preview = slack.last_card("adly.preview.approve")
    assert len(fake.named("usergroups.users.list")) == len(lookups)

    # The group changes in Slack: once the cache has expired, the new membership applies.
    fake.usergroups[GROUP] = ["UANOTHER"]
    slack.door.approvers.forget()
    await slack.click(preview, "adly.preview.approve", user=MEMBER)
    await slack.drain()
    assert any("approver" in e["text"].lower() for e in slack.ephemerals(MEMBER))
    assert slack.fake.cards("adly.preview.approve")
    assert not any("Campaign is live" in str(m.get("blocks")) for m in fake.posted())
    await slack.click(preview, "adly.preview.approve", user="UANOTHER")
    await slack.drain()
    assert "Campaign is live" in str(fake.posted()[-1].get("blocks"))
