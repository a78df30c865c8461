"""The daily digest: yesterday's numbers per campaign and a 7-day spend chart, posted to each workspace's channel."""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PIL import Image, ImageDraw, ImageFont

from bot.slack import blocks as b
from bot.slack.renderer import post_options
from bot.slack.texts import st
from store import repositories as repo

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor

log = logging.getLogger(__name__)


def spend_chart(days: list[date], spend: dict[date, Decimal], currency: str) -> bytes:
    """A small bar chart (PNG) of spend per day; drawn with Pillow, which the generators already need."""
    width, height, margin = 800, 400, 60
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=14)
    top = max([spend.get(d, Decimal(0)) for d in days] + [Decimal(1)])
    slot = (width - 2 * margin) / max(1, len(days))
    draw.line([(margin, height - margin), (width - margin, height - margin)], fill="#444", width=2)
    for i, day in enumerate(days):
        value = spend.get(day, Decimal(0))
        bar = float(value / top) * (height - 2 * margin - 20)
        x0 = margin + i * slot + slot * 0.2
        x1 = margin + (i + 1) * slot - slot * 0.2
        draw.rectangle([x0, height - margin - bar, x1, height - margin], fill="#4A90D9")
        draw.text((x0, height - margin + 8), day.strftime("%m-%d"), fill="#222", font=font)
        draw.text((x0, height - margin - bar - 18), f"{value:,.0f}", fill="#222", font=font)
    draw.text((margin, 16), f"Spend per day ({currency})", fill="#222", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "Asia/Riyadh")
    except ZoneInfoNotFoundError:
        return ZoneInfo("UTC")


async def workspace_language(session: Any, campaigns: list[Any]) -> str:
    """The workspace's language: that of its most recent campaign's conversation (campaigns come newest first)."""
    for campaign in campaigns:
        if campaign.conversation_id:
            conversation = await repo.get_conversation(session=session, conversation_id=campaign.conversation_id)
            if conversation is not None and conversation.language in ("ar", "en"):
                return str(conversation.language)
    return "en"


async def post_digest(door: SlackFrontDoor, workspace: Any, channel: str, today: date) -> bool:
    """One workspace's digest for the day before `today`; at most once per workspace and day."""
    async with door.services.sessions() as session:
        if not await repo.mark_event_processed(session=session, event_id=f"digest:{workspace.id}:{today}",
                                               source="digest"):
            return False
    client = await door.client_for_workspace(workspace.id)
    if client is None:
        return False
    yesterday = today - timedelta(days=1)
    week = [yesterday - timedelta(days=n) for n in range(6, -1, -1)]
    lines: list[str] = []
    per_day: dict[date, Decimal] = defaultdict(Decimal)
    currency = workspace.default_currency
    async with door.reads() as session:
        campaigns = await repo.list_campaigns(session=session, workspace_id=workspace.id,
                                              statuses=["live", "paused", "completed"], limit=50)
        language = await workspace_language(session, campaigns)
        for campaign in campaigns:
            totals: dict[str, Any] = defaultdict(int)
            totals["spend"] = Decimal(0)
            for snap in await repo.list_snapshots(session=session, campaign_id=campaign.id):
                if snap.day in week:
                    per_day[snap.day] += snap.spend
                currency = snap.currency
                if snap.day == yesterday:
                    totals["spend"] += snap.spend
                    for name in ("impressions", "clicks", "conversions"):
                        totals[name] += getattr(snap, name)
            if totals["spend"] or totals["impressions"]:
                lines.append(st("digest_line", language, name=b.safe(campaign.name, 200),
                                spend=f"{totals['spend']:,.2f} {currency}", impressions=totals["impressions"],
                                clicks=totals["clicks"], conversions=totals["conversions"]))
    message = b.digest_message(yesterday.isoformat(), lines, language)
    posted = await client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks,
                                           **post_options())
    if lines:
        await client.files_upload_v2(channel=channel, thread_ts=posted["ts"], filename="spend.png",
                                     title=st("digest_chart", language, start=week[0], end=week[-1]),
                                     file=spend_chart(week, per_day, currency))
    return True


async def run_digests(door: SlackFrontDoor, now: datetime | None = None, *, force: bool = False) -> int:
    """The hourly check: every workspace whose digest hour it is (in its time zone) gets its digest."""
    now = now or datetime.now(UTC)
    sent = 0
    async with door.reads() as session:
        workspaces = [w for w in await repo.list_workspaces(session=session) if w.slack_team_id]
    for workspace in workspaces:
        channel = workspace.digest_channel or door.settings.slack_digest_channel
        if not channel:
            continue
        local = now.astimezone(_zone(workspace.timezone))
        hour = workspace.digest_hour if workspace.digest_hour is not None else door.settings.adly_digest_hour
        if not force and local.hour != hour:
            continue
        try:
            sent += await post_digest(door, workspace, channel, local.date())
        except Exception:
            log.exception("digest for workspace %s failed", workspace.id)
    return sent


def digest_jobs(door: SlackFrontDoor) -> dict[str, tuple[Callable[[], Awaitable[Any]], dict[str, Any]]]:
    """For bot.scheduler.build_scheduler(extra_jobs=...): check at the top of every hour."""
    return {"slack_digest": (lambda: run_digests(door), {"trigger": "cron", "minute": 0})}
