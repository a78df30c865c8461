"""Cleanup alerts: what a failed withdrawal left on a platform, posted once into the campaign's thread.

The scheduler's cleanup job (every 15 minutes) retries stuck compensations (agent/cleanup.py). With Slack
configured this module replaces that job with one that also tells people: each object still stuck gets one
alert in its campaign's conversation thread (what exists where, paused or not, what to do), and once it is
gone, one short resolution. Who was told what is kept in the audit events, so a restart does not repeat it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from agent.cleanup import (
    MAX_CLEANUP_ATTEMPTS,
    ResolvedCleanup,
    StuckCleanup,
    mark_announced,
    mark_resolution_announced,
    resolved_unannounced,
    retry_compensations,
    unannounced,
)
from agent.texts import platform_list, platform_name
from bot.scheduler import CLEANUP_JOB, CLEANUP_TRIGGER
from bot.slack import blocks as b
from bot.slack.texts import st
from bot.slack.threads import conversation_thread

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor

log = logging.getLogger(__name__)

_LINES_PER_SECTION = 8  # each line is at most ~400 characters: a section stays under Slack's 3000


def _kind(kind: str, language: str) -> str:
    return st(f"kind_{kind}", language) if kind in ("campaign", "ad_set", "ad", "creative") else kind


def alert_message(items: Sequence[StuckCleanup], language: str) -> b.Message:
    """One campaign's newly stuck objects: what exists on which platform, paused or not, and what to do."""
    platforms = sorted({i.platform for i in items})
    title = st("cleanup_title", language, platforms=platform_list(platforms, language))
    intro = st("cleanup_intro", language, name=b.safe(items[0].campaign_name, 200))
    order = {"campaign": 0, "ad_set": 1, "ad": 2, "creative": 3}
    items = sorted(items, key=lambda i: (i.platform, order.get(i.object_kind, 9), i.external_id))
    lines = []
    for item in items:
        state = {True: "cleanup_paused", False: "cleanup_not_paused", None: "cleanup_unknown"}[item.paused]
        lines.append("• " + st("cleanup_line", language, platform=platform_name(item.platform, language),
                                kind=_kind(item.object_kind, language), external_id=b.safe(item.external_id, 100),
                                state=st(state, language), since=item.since.strftime("%Y-%m-%d %H:%M UTC"),
                                error=b.safe(item.last_error or st("cleanup_no_error", language), 250)))
    blocks: list[b.Block] = [b.header(title), b.section(f":warning: {intro}")]
    for n in range(0, len(lines), _LINES_PER_SECTION):
        blocks.append(b.section("\n".join(lines[n : n + _LINES_PER_SECTION])))
    for platform in platforms:
        of_platform = [i for i in items if i.platform == platform]
        url = next((i.ads_manager_url for i in of_platform if i.ads_manager_url), None)
        name = platform_name(platform, language)
        if url:
            link = b.safe(url.replace("|", "%7C"), 1000)  # mrkdwn: & < > escaped, and | would end the link
            blocks.append(b.section(st("cleanup_action_url", language, platform=name, url=link)))
        else:
            account = next((i.ad_account for i in of_platform if i.ad_account), None) or "-"
            blocks.append(b.section(st("cleanup_action", language, platform=name, account=b.safe(account, 100))))
    attempts = max(i.attempts for i in items)
    if all(i.retrying for i in items):
        blocks.append(b.context(st("cleanup_retrying", language, attempts=attempts, limit=MAX_CLEANUP_ATTEMPTS)))
    else:
        blocks.append(b.context(st("cleanup_gave_up", language, attempts=attempts)))
    return b.Message(text=b.safe(f"{title}: {intro}", b.FALLBACK_TEXT), blocks=blocks[:50])


def resolution_message(items: Sequence[ResolvedCleanup], language: str) -> b.Message:
    platforms = sorted({i.platform for i in items})
    objects = ", ".join(f"{_kind(i.object_kind, language)} `{b.safe(i.external_id, 100)}`" for i in items[:30])
    text = st("cleanup_resolved", language, objects=objects, platforms=platform_list(platforms, language))
    if all(i.campaign_clear for i in items):
        text += " " + st("cleanup_all_clear", language)
    return b.Message(text=b.safe(text, b.FALLBACK_TEXT), blocks=[b.section(f":white_check_mark: {text}")])


async def _thread(door: SlackFrontDoor, workspace_id: str, conversation_id: str | None,
                  campaign_id: str) -> tuple[AsyncWebClient, Any] | None:
    """The Slack client and conversation of a campaign's thread, or None (said in the log) when there is none."""
    found = await conversation_thread(door, workspace_id, conversation_id)
    if isinstance(found, str):
        log.warning("campaign %s has objects that need cleaning up; the alert was not posted: %s (see the "
                    "warnings above)", campaign_id, found)
        return None
    return found


async def run_cleanup_alerts(door: SlackFrontDoor, now: datetime | None = None) -> dict[str, int]:
    """The cleanup job with Slack: retry what is due, alert about new stuck objects, confirm the cleaned ones."""
    ctx = door.services.ctx
    stuck = await retry_compensations(ctx, now=now)
    fresh: dict[str, list[StuckCleanup]] = defaultdict(list)
    for item in await unannounced(ctx, stuck):
        fresh[item.campaign_id].append(item)
    alerted = resolved = 0
    for campaign_id, items in fresh.items():
        found = await _thread(door, items[0].workspace_id, items[0].conversation_id, campaign_id)
        if found is None:
            continue
        client, conversation = found
        try:
            ts = await door.renderer.post(client, conversation.channel_id, conversation.thread_ts,
                                          alert_message(items, conversation.language))
        except SlackApiError as exc:
            log.warning("posting the cleanup alert of campaign %s failed: %s", campaign_id,
                        exc.response.get("error"))
            continue  # not marked: the next run tries again
        await mark_announced(ctx, items, where=f"slack:{conversation.channel_id}:{ts}")
        alerted += len(items)
    done: dict[str, list[ResolvedCleanup]] = defaultdict(list)
    for gone in await resolved_unannounced(ctx):
        done[gone.campaign_id].append(gone)
    for campaign_id, cleaned in done.items():
        found = await _thread(door, cleaned[0].workspace_id, cleaned[0].conversation_id, campaign_id)
        if found is None:
            continue
        client, conversation = found
        try:
            ts = await door.renderer.post(client, conversation.channel_id, conversation.thread_ts,
                                          resolution_message(cleaned, conversation.language))
        except SlackApiError as exc:
            log.warning("posting the cleanup resolution of campaign %s failed: %s", campaign_id,
                        exc.response.get("error"))
            continue
        await mark_resolution_announced(ctx, cleaned, where=f"slack:{conversation.channel_id}:{ts}")
        resolved += len(cleaned)
    return {"stuck": len(stuck), "alerted": alerted, "resolved": resolved}


def cleanup_jobs(door: SlackFrontDoor) -> dict[str, tuple[Callable[[], Awaitable[Any]], dict[str, Any]]]:
    """For bot.scheduler.build_scheduler(extra_jobs=...): replaces the plain cleanup job with the alerting one."""
    return {CLEANUP_JOB: (lambda: run_cleanup_alerts(door), dict(CLEANUP_TRIGGER))}
