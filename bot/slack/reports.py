"""Performance on demand in Slack: "how is it doing?" in a published campaign's thread, and `/adly report [campaign]`,
answered with the report and its spend chart."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from agent.performance.chart import report_chart
from agent.performance.model import CampaignReport
from agent.performance.questions import is_performance_question
from agent.performance.read import REPORTABLE, campaign_report, find_campaign
from agent.performance.render import render_report
from agent.performance.texts import pt
from bot.slack.report_blocks import report_message
from bot.slack.texts import st
from store import repositories as repo

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor


async def post_report(door: SlackFrontDoor, client: AsyncWebClient, channel: str, thread_ts: str | None,
                      report: CampaignReport, language: str) -> str:
    """The report as a message (in `thread_ts`, or as a new message), its chart uploaded into the same thread."""
    ts = await door.renderer.post(client, channel, thread_ts, report_message(render_report(report, language),
                                                                             language))
    if report.has_delivery:
        png = await asyncio.to_thread(report_chart, report, language)  # drawing takes ~0.1 s: off the event loop
        await client.files_upload_v2(channel=channel, thread_ts=thread_ts or ts, filename="spend.png",
                                     title=pt("chart_title", language), file=png)
    return ts


async def answer_question(door: SlackFrontDoor, client: AsyncWebClient, conversation: Any, text: str) -> bool:
    """Answer `text` with the report when it asks how the thread's campaign is doing and that campaign is published
    (in the thread's language); False, answering nothing, otherwise (the conversation driver takes it)."""
    if not conversation.campaign_id or not is_performance_question(text):
        return False
    async with door.reads() as session:
        campaign = await repo.get_campaign(session=session, campaign_id=conversation.campaign_id)
    if campaign is None or campaign.status not in REPORTABLE:
        return False
    report = await campaign_report(door.services.ctx, campaign.id)
    if report is None:
        return False
    await post_report(door, client, conversation.channel_id, conversation.thread_ts, report, conversation.language)
    return True


async def report_command(door: SlackFrontDoor, client: AsyncWebClient, team_id: str | None, channel: str, user: str,
                         query: str, language: str) -> None:
    """`/adly report [campaign name or id]` (or `/adly how is my Ramadan campaign doing?`): the campaign's report in
    the channel; without words, the newest published campaign's."""
    workspace_id = await door.workspace_id(team_id, client)
    async with door.reads() as session:
        campaign = await find_campaign(session, workspace_id, query)
    if campaign is None:
        key, values = ("report_not_found", {"query": query[:100]}) if query else ("report_none", {})
        await door.renderer.ephemeral(client, channel, user, pt(key, language, **values))
        return
    report = await campaign_report(door.services.ctx, campaign.id)
    if report is None:
        return
    try:
        await post_report(door, client, channel, None, report, language)
    except SlackApiError as exc:
        if exc.response.get("error") in ("not_in_channel", "channel_not_found"):
            await door.renderer.ephemeral(client, channel, user, st("not_in_channel", language))
            return
        raise
