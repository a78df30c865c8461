"""Reports from the store: one campaign's (by id, or by the words of a question), or every reportable campaign of a
workspace for a digest. The reading is here; the rules are in build.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from agent.context import AgentContext
from agent.performance.build import build_report
from agent.performance.digest import Digest, DigestPeriod, build_digest
from agent.performance.model import CampaignReport
from agent.performance.questions import best_match
from store import repositories as repo

# Campaigns with something on the platforms to report on: published (live, or live on some platforms only), or
# paused after publishing.
REPORTABLE = ("live", "partially_live", "paused")
DEFAULT_ZONE = "Asia/Riyadh"


def workspace_zone(workspace: Any | None) -> ZoneInfo:
    """The workspace's time zone (Asia/Riyadh unless set); a name the system does not know falls back to it."""
    try:
        return ZoneInfo((workspace.timezone if workspace is not None else None) or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


@dataclass(frozen=True)
class Window:
    """Which days a report covers: `days` days ending `last` (None: today)."""

    days: int = 7
    last: date | None = None


async def _report(session: AsyncSession, ctx: AgentContext, campaign: Any, snapshots: Sequence[Any],
                  now: datetime, window: Window) -> CampaignReport:
    tree = await repo.campaign_tree(session=session, campaign_id=campaign.id)
    accounts = await repo.get_ad_accounts(session=session,
                                          ad_account_ids=[pc.ad_account_id for pc in tree if pc.ad_account_id])
    fetched = max((s.fetched_at for s in snapshots), default=None)
    return build_report(campaign=campaign, tree=tree, snapshots=snapshots, accounts=accounts, now=now,
                        measured_at=fetched.astimezone(now.tzinfo) if fetched is not None else None,
                        window_last=window.last, window_days=window.days, default_currency=ctx.default_currency)


async def find_campaign(session: AsyncSession, workspace_id: str, query: str | None) -> Any | None:
    """A reportable campaign of the workspace: by its id (or its conversation's), else by the words of `query`
    ("Ramadan"), else (no words) the newest. None when the words match none."""
    query = (query or "").strip()
    if query:
        campaign = await repo.get_campaign(session=session, campaign_id=query)
        if campaign is not None and campaign.workspace_id == workspace_id:
            return campaign
        conversation = await repo.get_conversation(session=session, conversation_id=query)
        if conversation is not None and conversation.workspace_id == workspace_id and conversation.campaign_id:
            return await repo.get_campaign(session=session, campaign_id=conversation.campaign_id)
    campaigns = await repo.campaigns_of_workspace(session=session, workspace_id=workspace_id, statuses=REPORTABLE)
    if not query:
        return campaigns[0] if campaigns else None
    return best_match(query, campaigns, words_of=lambda c: f"{c.name} {(c.theme or '').replace('_', ' ')}")


async def campaign_report(ctx: AgentContext, campaign_id: str, *, window: Window | None = None,
                          now: datetime | None = None) -> CampaignReport | None:
    """The campaign's report as of now (the context's clock, in its workspace's time zone); None if no campaign."""
    async with ctx.reads()() as session:
        campaign = await repo.get_campaign(session=session, campaign_id=campaign_id)
        if campaign is None:
            return None
        workspace = await repo.get_workspace(session=session, workspace_id=campaign.workspace_id)
        local_now = (now or ctx.clock()).astimezone(workspace_zone(workspace))
        snapshots = await repo.list_snapshots(session=session, campaign_id=campaign.id)
        return await _report(session, ctx, campaign, snapshots, local_now, window or Window())


async def workspace_reports(ctx: AgentContext, workspace_id: str, *, window: Window,
                            now: datetime | None = None) -> list[CampaignReport]:
    """Reports of every reportable campaign of the workspace (partially live ones included), newest first."""
    async with ctx.reads()() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
        local_now = (now or ctx.clock()).astimezone(workspace_zone(workspace))
        campaigns = await repo.campaigns_of_workspace(session=session, workspace_id=workspace_id,
                                                      statuses=REPORTABLE)
        snapshots = await repo.list_campaigns_snapshots(session=session, campaign_ids=[c.id for c in campaigns])
        return [await _report(session, ctx, c, snapshots[c.id], local_now, window) for c in campaigns]


async def workspace_language(session: AsyncSession, campaigns: Sequence[Any]) -> str:
    """The workspace's language: that of its most recent campaign's conversation (campaigns come newest first)."""
    for campaign in campaigns:
        if campaign.conversation_id:
            conversation = await repo.get_conversation(session=session, conversation_id=campaign.conversation_id)
            if conversation is not None and conversation.language in ("ar", "en"):
                return str(conversation.language)
    return "en"


async def workspace_digest(ctx: AgentContext, workspace_id: str, period: DigestPeriod, *,
                           now: datetime | None = None) -> Digest:
    """The workspace's digest of `period`, in the workspace's language."""
    reports = await workspace_reports(ctx, workspace_id, window=Window(period.days, period.last), now=now)
    async with ctx.reads()() as session:
        campaigns = await repo.campaigns_of_workspace(session=session, workspace_id=workspace_id,
                                                      statuses=REPORTABLE)
        language = await workspace_language(session, campaigns)
    return build_digest(reports, period, language)
