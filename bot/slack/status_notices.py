"""Status notices: a platform changed a live campaign or one of its ads (review, pause, delete), told in its thread.

The scheduler's status check (every 15 minutes, agent/tracking.check_statuses) reads each tracked campaign's
objects back per platform and stores what changed. With Slack configured this module replaces that job with one
that also tells people: one message per campaign with changes, in the campaign's conversation thread. The check
stores the new status, so each change is reported once and no bookkeeping of its own is needed here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from agent.texts import platform_list, platform_name
from agent.tracking import check_statuses
from bot.scheduler import STATUS_JOB, STATUS_TRIGGER
from bot.slack import blocks as b
from bot.slack.texts import st
from bot.slack.threads import conversation_thread

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor

log = logging.getLogger(__name__)

_KNOWN = ("active", "paused", "deleted", "archived", "pending_review", "rejected", "unknown")
_STOPPED = ("paused", "deleted", "archived")


def _status(status: Any, language: str) -> str:
    return st(f"status_{status}", language) if status in _KNOWN else b.safe(str(status), 50)


def _line(change: dict[str, Any], platform: str, language: str) -> str:
    old, new = _status(change.get("from"), language), _status(change.get("to"), language)
    level = str(change.get("level") or "campaign")
    if level == "campaign":
        return st("status_line", language, platform=platform, old=old, new=new)
    name = b.safe(str(change.get("object_name") or "-"), 80)
    if change.get("language"):
        name = f"{name} ({b.language_name(str(change['language']), language)})"
    return st("status_line_object", language, platform=platform, kind=st(f"kind_{level}", language), name=name,
              old=old, new=new)


def status_change_message(changes: Sequence[dict[str, Any]], language: str) -> b.Message:
    """One campaign's status changes (dicts from check_statuses): which platform or ad went from what to what."""
    order = {"campaign": 0, "ad_set": 1, "ad": 2}
    changes = sorted(changes, key=lambda c: (str(c["platform"]), order.get(str(c.get("level") or "campaign"), 3)))
    platforms = sorted({str(c["platform"]) for c in changes})
    title = st("status_title", language, platforms=platform_list(platforms, language))
    intro = st("status_intro", language, name=b.safe(changes[0].get("campaign_name") or "-", 200))
    lines: list[str] = []
    hints: dict[str, None] = {}  # in order, each once (several ads of a platform share a hint)
    for change in changes:
        name = platform_name(str(change["platform"]), language)
        lines.append("• " + _line(change, name, language))
        if change.get("to") == "rejected":
            hints[st("status_hint_rejected", language, platform=name)] = None
        elif change.get("to") in _STOPPED:
            hints[st("status_hint_stopped", language, platform=name)] = None
        elif change.get("to") == "active":
            hints[st("status_hint_active", language, platform=name)] = None
    if len(lines) > 20:  # a section holds 3,000 characters: the rest is counted, not dropped silently
        lines = [*lines[:19], f"• … (+{len(lines) - 19})"]
    icon = ":no_entry:" if any(c.get("to") == "rejected" for c in changes) else ":information_source:"
    blocks: list[b.Block] = [b.header(title), b.section(f"{icon} {intro}\n" + "\n".join(lines))]
    if hints:
        blocks.append(b.context(b.safe(" ".join(hints), 2900)))
    return b.Message(text=b.safe(f"{title}: {intro}", b.FALLBACK_TEXT), blocks=blocks)


async def run_status_notices(door: SlackFrontDoor) -> dict[str, int]:
    """The status check with Slack: read statuses back, and post each campaign's changes in its thread.

    A post Slack refuses leaves the changes unstored (see `check_statuses(tell=...)`), so the next run tells
    them again. A campaign with no Slack thread to tell (started in the console, or its workspace gone) has
    its changes logged and stored: there is nobody to retry for.
    """
    posted = 0

    async def tell(items: list[dict[str, Any]]) -> bool:
        nonlocal posted
        campaign_id = str(items[0]["campaign_id"])
        found = await conversation_thread(door, str(items[0]["workspace_id"]), items[0].get("conversation_id"))
        if isinstance(found, str):
            log.warning("campaign %s changed status (%s); the notice was not posted: %s", campaign_id,
                        ", ".join(f"{c['platform']} {c.get('level', 'campaign')} {c['from']}->{c['to']}"
                                  for c in items), found)
            return True
        client, conversation = found
        try:
            await door.renderer.post(client, conversation.channel_id, conversation.thread_ts,
                                     status_change_message(items, conversation.language))
        except SlackApiError as exc:
            log.warning("posting the status notice of campaign %s failed (told again next run): %s", campaign_id,
                        exc.response.get("error"))
            return False
        posted += 1
        return True

    changes = await check_statuses(door.services.ctx, tell=tell)
    return {"changes": len(changes), "posted": posted}


def status_jobs(door: SlackFrontDoor) -> dict[str, tuple[Callable[[], Awaitable[Any]], dict[str, Any]]]:
    """For bot.scheduler.build_scheduler(extra_jobs=...): replaces the plain status check with the noticing one."""
    return {STATUS_JOB: (lambda: run_status_notices(door), dict(STATUS_TRIGGER))}
