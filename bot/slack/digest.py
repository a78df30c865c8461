"""Digests in Slack: daily at each workspace's hour in its time zone, weekly on Sunday, each posted once per channel
and period (a claim in digest_sends is taken before posting, across processes, and given back if the post fails)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agent.performance.digest import DigestPeriod, due_digests
from agent.performance.read import workspace_digest, workspace_zone
from bot.slack.renderer import post_options
from bot.slack.report_blocks import digest_message
from store import repositories as repo

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor

log = logging.getLogger(__name__)

# Due digests are looked for this often; a digest is due from its hour on, so a process that was down at the hour
# (or a leader elected later) still sends it, once.
CHECK_EVERY_MINUTES = 15


class NoSlackToken(RuntimeError):
    pass


async def send_digest(door: SlackFrontDoor, workspace: Any, channel: str, period: DigestPeriod, *,
                      now: datetime | None = None) -> bool:
    """Post the workspace's digest of `period` to `channel` unless it was posted already (or is being posted by
    another sender right now). True when this call posted it."""
    holder = uuid.uuid4().hex
    async with door.services.sessions() as session:
        claim = await repo.claim_digest(session=session, workspace_id=workspace.id, channel=channel,
                                        kind=period.kind, period=period.key, holder=holder, now=now)
    if claim is None:
        return False
    try:
        client = await door.client_for_workspace(workspace.id)
        if client is None:
            raise NoSlackToken(f"no Slack token for workspace {workspace.id}")
        digest = await workspace_digest(door.services.ctx, workspace.id, period, now=now)
        message = digest_message(digest)
        posted = await client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks,
                                               **post_options())
    except BaseException:
        # Not posted: the claim goes back, so the next check sends it.
        async with door.services.sessions() as session:
            await repo.release_digest(session=session, claim_id=claim, holder=holder)
        raise
    async with door.services.sessions() as session:
        await repo.finish_digest(session=session, claim_id=claim, message_ts=str(posted["ts"]))
    if digest.entries:
        # After the digest is marked sent: a chart that fails to upload never has the digest posted twice.
        try:
            png = await asyncio.to_thread(digest.chart)
            await client.files_upload_v2(channel=channel, thread_ts=posted["ts"], filename="spend.png",
                                         title=digest.chart_title, file=png)
        except Exception:
            log.exception("the chart of workspace %s's %s digest was not uploaded", workspace.id, period.kind)
    return True


async def run_digests(door: SlackFrontDoor, now: datetime | None = None, *, force: bool = False) -> int:
    """The periodic check: every digest due in each workspace (in its time zone, from its hour on) that was not sent
    yet is sent. `force`: as if the hour had come. Returns how many were posted."""
    now = now or door.services.ctx.clock()
    sent = 0
    async with door.reads() as session:
        workspaces = [w for w in await repo.list_workspaces(session=session) if w.slack_team_id]
    for workspace in workspaces:
        channel = workspace.digest_channel or door.settings.slack_digest_channel
        if not channel:
            continue
        hour = workspace.digest_hour if workspace.digest_hour is not None else door.settings.adly_digest_hour
        local = now.astimezone(workspace_zone(workspace))
        for period in due_digests(local, 0 if force else hour):
            try:
                sent += await send_digest(door, workspace, channel, period, now=now)
            except Exception:
                log.exception("the %s digest of workspace %s failed; the next check retries it", period.kind,
                              workspace.id)
    return sent


def digest_jobs(door: SlackFrontDoor) -> dict[str, tuple[Callable[[], Awaitable[Any]], dict[str, Any]]]:
    """For bot.scheduler.build_scheduler(extra_jobs=...)."""
    return {"slack_digest": (lambda: run_digests(door),
                             {"trigger": "cron", "minute": f"*/{CHECK_EVERY_MINUTES}"})}
