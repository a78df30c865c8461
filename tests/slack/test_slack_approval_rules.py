"""Approval rules that hold with any configuration: no approvers, the requester alone, a stranger's cancel."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from fake_slack import FakeSlack
from slack_harness import APPROVER, MARKETER, Slack, open_slack

from agent.turns import Where
from bot.console import SEED_INSTRUCTION, connect_in_sandbox
from bot.services import open_services
from bot.settings import Settings
from store import repositories as repo

ROOT = "1700000000.000100"


@pytest.fixture
async def unconfigured(slack_settings: Settings, fake_slack: FakeSlack) -> AsyncIterator[Slack]:
    """A Slack workspace as it starts when ADLY_APPROVERS is unset; UADMIN is an admin (ADLY_ADMINS)."""
    settings = slack_settings.model_copy(update={"adly_approvers": "", "adly_admins": "UADMIN"})
    async with open_slack(settings, fake_slack) as harness:
        yield harness


async def test_no_approvers_means_nobody_approves_until_an_admin_names_them(unconfigured: Slack) -> None:
    slack = unconfigured
    review = await slack.to_review(SEED_INSTRUCTION)
    assert "Nobody can approve yet" in json.dumps(review["blocks"])  # said on the card itself
    for user in (MARKETER, APPROVER, "URANDOM"):
        await slack.click(review, "adly.review.approve", user=user)
        await slack.drain()
        assert "no approvers" in slack.ephemerals(user)[-1]["text"]
    assert not slack.fake.cards("adly.preview.approve")
    # The admin names an approver in the App Home settings; then that approver's click goes through.
    door = slack.door
    async with slack.services.sessions() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=await door.workspace_id("T1"))
    from bot.slack.home import may_edit_settings

    assert await may_edit_settings(door, workspace, "UADMIN")
    assert not await may_edit_settings(door, workspace, MARKETER)
    async with slack.services.sessions() as session, session.begin():
        await repo.update_workspace(session=session, workspace_id=workspace.id, approvers=[APPROVER])
    await slack.click(slack.fake.messages[str(review["ts"])], "adly.review.approve", user=APPROVER)
    await slack.drain()
    assert slack.fake.cards("adly.preview.approve")


async def test_the_requester_never_approves_her_own_plan_above_the_limit(slack_settings: Settings) -> None:
    # The requester is the only approver named: four eyes still hold, and she is told an admin must add one.
    settings = slack_settings.model_copy(update={"adly_approvers": MARKETER})
    async with open_services(settings) as services:
        workspace = await services.local_workspace(MARKETER)
        turn = await services.driver.start(
            workspace_id=workspace.id, user=MARKETER, where=Where("console"),
            text="Create Instagram campaign for Ramadan sale with 90000 SAR budget targeting women 25-40 in Riyadh")
        while turn.prompt is not None and turn.prompt.kind != "preview":
            if turn.prompt.kind == "connect":
                turn = await connect_in_sandbox(services, turn, MARKETER, lambda _: None)
                continue
            assert turn.prompt.kind == "review", turn.prompt.payload
            turn = await services.driver.decide(
                conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id, actor=MARKETER,
                decision={"action": "approve", "content_hash": turn.prompt.payload["content_hash"]})
        assert turn.prompt is not None
        refused = await services.driver.decide(
            conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id, actor=MARKETER,
            decision={"action": "approve", "plan_hash": turn.prompt.payload["plan_hash"]})
        assert refused.status == "refused" and "only one named" in (refused.notice or "")
        still = await services.driver.current(turn.conversation_id)
        assert still.prompt is not None and still.prompt.kind == "preview"


async def test_only_the_requester_an_approver_or_an_admin_cancels(slack: Slack) -> None:
    review = await slack.to_review(SEED_INSTRUCTION)
    await slack.click(review, "adly.review.cancel", user="USTRANGER")
    await slack.drain()
    assert "Only the person who asked" in slack.ephemerals("USTRANGER")[-1]["text"]
    assert "adly.review.approve" in json.dumps(slack.fake.messages[str(review["ts"])]["blocks"])  # untouched
    conversation_id = (await slack.services.driver.current(
        await _conversation_id(slack))).conversation_id
    assert (await slack.services.driver.current(conversation_id)).status == "waiting"
    await slack.click(review, "adly.review.cancel", user=MARKETER)  # the requester may
    await slack.drain()
    assert (await slack.services.driver.current(conversation_id)).status == "cancelled"


async def _conversation_id(slack: Slack) -> str:
    async with slack.services.sessions() as session:
        conversation = await repo.find_conversation(session=session, channel_kind="slack", channel_id="C0CAMPAIGNS",
                                                    thread_ts=ROOT)
    assert conversation is not None
    return str(conversation.id)


@pytest.fixture
async def with_admin(slack_settings: Settings, fake_slack: FakeSlack) -> AsyncIterator[Slack]:
    settings = slack_settings.model_copy(update={"adly_admins": "UADMIN"})
    async with open_slack(settings, fake_slack) as harness:
        yield harness


async def test_above_the_ceiling_an_admin_approves_as_a_step_of_its_own(with_admin: Slack) -> None:
    slack = with_admin
    review = await slack.to_review("Create Instagram campaign for Ramadan sale with 60000 SAR budget targeting "
                                   "women 25-40 in Riyadh")
    await slack.click(review, "adly.review.approve", user=APPROVER)
    await slack.drain()
    await slack.click(slack.last_card("adly.preview.approve"), "adly.preview.approve", user=APPROVER)
    await slack.drain()
    ceiling = slack.last_card("adly.ceiling.approve")
    text = json.dumps(ceiling["blocks"], ensure_ascii=False)
    assert "60,000 SAR" in text and "50,000 SAR" in text
    conversation_id = await _conversation_id(slack)
    assert (await slack.services.driver.current(conversation_id)).prompt.kind == "over_ceiling"  # type: ignore[union-attr]
    # An approver is not an admin: told so, nothing published.
    await slack.click(ceiling, "adly.ceiling.approve", user=APPROVER)
    await slack.drain()
    assert "Only a workspace admin" in slack.ephemerals(APPROVER)[-1]["text"]
    async with slack.services.sessions() as session:
        campaign = await repo.list_campaigns(session=session, workspace_id=await slack.door.workspace_id("T1"))
    assert campaign[0].status != "live"
    await slack.click(ceiling, "adly.ceiling.approve", user="UADMIN")
    await slack.drain()
    assert (await slack.services.driver.current(conversation_id)).status == "live"
    assert "(admin)" in json.dumps(slack.fake.messages[str(ceiling["ts"])]["blocks"])


async def _open_settings(slack: Slack, user: str) -> dict[str, object]:
    await slack.interact({"type": "block_actions", "team": {"id": "T1"}, "user": {"id": user, "team_id": "T1"},
                          "api_app_id": "A1", "trigger_id": f"t-{user}", "container": {"type": "view"},
                          "actions": [{"type": "button", "action_id": "adly.home.settings", "block_id": "adly.home",
                                       "action_ts": "1"}]})
    await slack.drain()
    return slack.modal("adly.settings")


def _values(campaign: str | None, daily: str | None, zone: str | None = None) -> dict[str, dict[str, object]]:
    values: dict[str, dict[str, object]] = {
        "currency": {"value": {"type": "plain_text_input", "value": "SAR"}},
        "approvers": {"value": {"type": "multi_users_select", "selected_users": [APPROVER]}},
        "limit": {"value": {"type": "number_input", "value": "5000"}},
        "channel": {"value": {"type": "conversations_select", "selected_conversation": None}},
        "hour": {"value": {"type": "static_select", "selected_option": {"value": "9"}}}}
    if zone is not None:
        values["timezone"] = {"value": {"type": "static_select", "selected_option": {"value": zone}}}
    if campaign is not None:
        values["campaign_ceiling"] = {"value": {"type": "number_input", "value": campaign}}
        values["daily_ceiling"] = {"value": {"type": "number_input", "value": daily}}
    return values


async def test_only_an_admin_sets_the_budget_ceilings(with_admin: Slack) -> None:
    slack = with_admin
    modal = await _open_settings(slack, "UADMIN")
    assert "campaign_ceiling" in json.dumps(modal["blocks"])
    assert (await slack.submit(modal, _values("80000", "0"), user="UADMIN")).json()["response_action"] == "errors"
    assert (await slack.submit(modal, _values("80000", "12000"), user="UADMIN")).status_code == 200
    await slack.drain()
    workspace_id = await slack.door.workspace_id("T1")
    async with slack.services.sessions() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
    assert workspace is not None and (workspace.max_campaign_budget, workspace.max_daily_budget) == (80000, 12000)
    # An approver edits the other settings; the form has no ceilings, and a forged one changes none.
    approver_modal = await _open_settings(slack, APPROVER)
    assert "campaign_ceiling" not in json.dumps(approver_modal["blocks"])
    assert (await slack.submit(approver_modal, _values("9999999", "9999999"), user=APPROVER)).status_code == 200
    await slack.drain()
    async with slack.services.sessions() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
    assert workspace is not None and (workspace.max_campaign_budget, workspace.max_daily_budget) == (80000, 12000)


async def test_the_digest_time_zone_is_chosen_in_the_settings_form(with_admin: Slack) -> None:
    slack = with_admin
    modal = await _open_settings(slack, "UADMIN")
    shown = json.dumps(modal["blocks"])
    assert '"block_id": "timezone"' in shown and "Asia/Riyadh" in shown and "Asia/Dubai" in shown
    assert (await slack.submit(modal, _values("80000", "12000", zone="Asia/Dubai"), user="UADMIN")).status_code == 200
    await slack.drain()
    async with slack.services.sessions() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=await slack.door.workspace_id("T1"))
    assert workspace is not None and workspace.timezone == "Asia/Dubai"
    # The form opens on the zone chosen; a form without the field (an older one) keeps it.
    reopened = await _open_settings(slack, "UADMIN")
    zone_block = next(b for b in reopened["blocks"] if b.get("block_id") == "timezone")  # type: ignore[union-attr]
    assert zone_block["element"]["initial_option"]["value"] == "Asia/Dubai"  # type: ignore[index]
    assert (await slack.submit(reopened, _values("80000", "12000"), user="UADMIN")).status_code == 200
    await slack.drain()
    async with slack.services.sessions() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=await slack.door.workspace_id("T1"))
    assert workspace is not None and workspace.timezone == "Asia/Dubai"
