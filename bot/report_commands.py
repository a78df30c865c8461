"""`adly report` and `adly digest`: a campaign's performance and a workspace's digest, in the terminal or in Slack."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from agent.performance.chart import report_chart
from agent.performance.contract import report_json
from agent.performance.digest import DigestPeriod, due_digests
from agent.performance.read import (
    REPORTABLE,
    Window,
    campaign_report,
    find_campaign,
    workspace_digest,
    workspace_zone,
)
from agent.performance.render import render_report
from bot.settings import Settings
from store import repositories as repo


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("campaign", nargs="?", default=None, metavar="CAMPAIGN_ID",
                        help="the campaign (its id, or its conversation's; default: the newest campaign)")
    parser.add_argument("--json", action="store_true", help="the report as JSON on the last line")
    parser.add_argument("--language", choices=("en", "ar"), default="en", help="the report's language")
    parser.add_argument("--chart", type=Path, default=None, metavar="PNG", help="also write the spend chart here")
    parser.add_argument("--days", type=int, default=7, help="days the report's period covers (default 7)")


def add_digest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", default=None, metavar="ID",
                        help="the workspace (default: that of the newest published campaign)")
    parser.add_argument("--print", action="store_true", dest="print_only",
                        help="write it to the terminal and the chart to a PNG (whose path is printed) instead of "
                             "posting it to the workspace's digest channel")
    parser.add_argument("--weekly", action="store_true", help="the weekly digest (the last 7 days) instead of "
                                                              "the daily one (yesterday)")


async def _newest_campaign(session: Any) -> Any | None:
    """The newest published campaign of any workspace, else the newest campaign at all."""
    found = []
    for workspace in await repo.list_workspaces(session=session):
        found += (await repo.campaigns_of_workspace(session=session, workspace_id=workspace.id, statuses=REPORTABLE)
                  or await repo.list_campaigns(session=session, workspace_id=workspace.id, limit=1))
    return max(found, key=lambda c: c.created_at, default=None)


async def _campaign(session: Any, wanted: str | None) -> Any | None:
    if not wanted:
        return await _newest_campaign(session)
    campaign = await repo.get_campaign(session=session, campaign_id=wanted)
    if campaign is not None:
        return campaign
    conversation = await repo.get_conversation(session=session, conversation_id=wanted)
    if conversation is not None:
        return await find_campaign(session, conversation.workspace_id, wanted)
    return None


async def run_report(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import open_services

    async with open_services(settings) as services:
        async with services.ctx.reads()() as session:
            campaign = await _campaign(session, args.campaign)
        if campaign is None:
            print(f"adly: no campaign {args.campaign}" if args.campaign else "adly: no campaign yet", file=sys.stderr)
            return 1
        report = await campaign_report(services.ctx, campaign.id, window=Window(max(1, args.days)))
        assert report is not None
        print("\n".join(render_report(report, args.language).lines()))
        if args.chart is not None:
            args.chart.write_bytes(report_chart(report, args.language))
            print(f"chart: {args.chart}")
        if args.json:
            print(json.dumps(report_json(report), ensure_ascii=False))
    return 0


async def _workspace(session: Any, wanted: str | None) -> Any | None:
    if wanted:
        return await repo.get_workspace(session=session, workspace_id=wanted)
    newest = await _newest_campaign(session)
    if newest is not None:
        return await repo.get_workspace(session=session, workspace_id=newest.workspace_id)
    workspaces = await repo.list_workspaces(session=session)
    return workspaces[0] if workspaces else None


async def run_digest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import open_services

    async with open_services(settings) as services:
        async with services.ctx.reads()() as session:
            workspace = await _workspace(session, args.workspace)
        if workspace is None:
            print(f"adly: no workspace {args.workspace}" if args.workspace else "adly: no workspace yet",
                  file=sys.stderr)
            return 1
        local = services.ctx.clock().astimezone(workspace_zone(workspace))
        daily = due_digests(local, 0)[0]
        period = DigestPeriod("weekly", daily.last - timedelta(days=6), daily.last) if args.weekly else daily
        if args.print_only:
            digest = await workspace_digest(services.ctx, workspace.id, period)
            print("\n".join(digest.lines()))
            path = settings.data_dir / "digests" / f"{workspace.id}-{period.kind}-{period.key}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(digest.chart())
            print(path)
            return 0
        from bot.slack.app import build_slack
        from bot.slack.digest import send_digest

        slack = build_slack(services)
        channel = workspace.digest_channel or settings.slack_digest_channel
        if slack is None or not channel:
            print("adly: Slack or the workspace's digest channel is not configured; --print writes the digest here",
                  file=sys.stderr)
            return 2
        posted = await send_digest(slack, workspace, channel, period)
        print(f"posted the {period.kind} digest of {period.key} to {channel}" if posted
              else f"the {period.kind} digest of {period.key} was already posted to {channel}")
    return 0

