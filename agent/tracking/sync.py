"""The performance sync: daily numbers of every tracked campaign, fetched per ad account and stored as snapshots.

One insights call chain per account covers all of its tracked campaigns (Meta account-level insights filtered on
campaign.id with a daily breakdown, TikTok's integrated report, Snapchat's account stats broken down by
campaign), following pages; the campaign-id filter is cut where a platform limits it (the client's
`campaign_filter_max`). Calls grow with accounts and pages, not with campaigns. Accounts are synced a few at a
time; within an account one call follows another (see agent/tracking/calls.py for pacing and tokens).

The hourly sync is at campaign level (what budgets, pacing and digests read). With `ads=True` (a job every few
hours, and `adly sync --ads`) each account gets one more call chain at ad level, mapped to our campaigns through
the campaign id each ad row carries: the reports' best and weakest ad.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agent.context import AgentContext
from agent.tracking.calls import AccountLink, AccountSkipped
from agent.tracking.scope import AccountWork, tracked_work
from agent.tracking.tokens import refresh_link, skip_account
from store import repositories as repo
from tools.platforms.base import InsightLevel, InsightRow, PlatformError

log = logging.getLogger(__name__)

ACCOUNTS_AT_ONCE = 4  # accounts synced side by side (each one's calls go one after another)


@dataclass
class SyncReport:
    """What one sync did: campaigns and accounts synced, platform calls made, snapshot rows stored, and the
    accounts left out with why (`skipped`: {"ad_account_id", "platform", "reason"})."""

    campaign_ids: set[str] = field(default_factory=set)
    accounts: int = 0
    calls: int = 0
    rows: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    totals: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # campaign -> platform -> sums

    @property
    def campaigns(self) -> int:
        """Campaigns synced on at least one of their accounts."""
        return len(self.campaign_ids)

    def as_json(self) -> dict[str, Any]:
        """The contract's fields (`adly sync --json`) and, beside them, the skipped accounts."""
        return {"campaigns": self.campaigns, "accounts": self.accounts, "calls": self.calls, "rows": self.rows,
                "skipped": self.skipped}


def account_today(now: datetime, timezone: str | None) -> date:
    """Today where the account reports: platforms cut days in the ad account's time zone."""
    try:
        zone = ZoneInfo(timezone) if timezone else None
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    return now.astimezone(zone).date() if zone else now.date()


def chunks(ids: list[str], size: int | None) -> list[list[str]]:
    """`ids` cut to a filter's limit (None: no limit, one piece)."""
    if not ids:
        return []
    if not size:
        return [ids]
    return [ids[n : n + size] for n in range(0, len(ids), size)]


async def _fetch(ctx: AgentContext, link: AccountLink, campaign_ids: list[str], since: date,
                 until: date, level: InsightLevel = "campaign") -> list[InsightRow]:
    """The account's rows at `level` for these campaigns and days: one call chain per filter piece."""
    client = ctx.platforms[link.platform]
    rows: list[InsightRow] = []
    for piece in chunks(campaign_ids, client.campaign_filter_max):

        async def report(token: str, piece: list[str] = piece) -> list[InsightRow]:
            return await client.insights(token=token, account_id=link.external_id, campaign_ids=piece,
                                         since=since, until=until, level=level)

        rows += await link.call(ctx, report, lambda lk: refresh_link(ctx, lk))
    return rows


async def _sync_account(ctx: AgentContext, work: AccountWork, days: int, report: SyncReport, *,
                        ads: bool = False) -> None:
    account = work.account
    if account is None:
        report.skipped.append({"ad_account_id": work.ad_account_id, "platform": work.platform,
                               "reason": "the ad account is no longer connected"})
        return
    link: AccountLink | None = None
    try:
        link = AccountLink.of(ctx, account)
        until = account_today(ctx.clock(), account.timezone)
        campaign_of = work.campaign_of()
        since = until - timedelta(days=days - 1)
        rows = await _fetch(ctx, link, list(campaign_of), since, until)
        if ads:
            rows += await _fetch(ctx, link, list(campaign_of), since, until, level="ad")
    except AccountSkipped as exc:
        await skip_account(ctx, account, exc, "sync")
        report.skipped.append({"ad_account_id": work.ad_account_id, "platform": work.platform, "reason": exc.reason})
        return
    except PlatformError as exc:
        log.warning("sync of %s account %s failed: %s", work.platform, work.ad_account_id, exc.platform_message)
        report.skipped.append({"ad_account_id": work.ad_account_id, "platform": work.platform,
                               "reason": f"{work.platform} refused the report: {exc.platform_message}"})
        return
    finally:
        if link is not None:
            report.calls += link.calls
    snapshots = []
    for row in rows:
        campaign_id = campaign_of.get(row.external_id if row.level == "campaign" else row.campaign_id or "")
        if campaign_id is None:  # a platform that answers for every campaign of the account (Snapchat)
            continue
        currency = row.currency or account.currency
        if not currency:  # money is never stored without its currency, nor given one by guess
            log.warning("%s row of campaign %s on %s has no currency; not stored", work.platform, row.external_id,
                        row.day)
            continue
        snapshots.append({
            "campaign_id": campaign_id, "platform": work.platform, "level": row.level,
            "external_object_id": row.external_id, "day": row.day, "impressions": row.impressions,
            "clicks": row.clicks, "spend": row.spend, "currency": currency,
            "conversions": row.conversions, "video_views": row.video_views,
        })  # fmt: skip
        if row.level != "campaign":
            continue  # the totals are the campaign rows' (an ad's numbers are in its campaign's already)
        sums = report.totals.setdefault(campaign_id, {}).setdefault(
            work.platform, {"impressions": 0, "clicks": 0, "conversions": 0, "video_views": 0,
                            "spend": Decimal(0), "currency": currency})
        for name in ("impressions", "clicks", "conversions", "video_views"):
            sums[name] += getattr(row, name)
        sums["spend"] += row.spend
    async with ctx.sessions() as session, session.begin():
        written = await repo.upsert_snapshots(session=session, rows=snapshots)
    report.rows += written  # not `+= await`: accounts run side by side, and that would read `rows` before waiting
    report.accounts += 1
    report.campaign_ids.update(c.id for _, c in work.parts)


async def run_sync(ctx: AgentContext, *, days: int = 2, campaign_ids: list[str] | None = None,
                   ads: bool = False) -> SyncReport:
    """One sync of every tracked campaign (or of `campaign_ids`): the last `days` days (today and yesterday by
    default, in each account's time zone), stored as daily snapshots; with `ads`, each ad's rows too."""
    works = await tracked_work(ctx, campaign_ids=campaign_ids)
    report = SyncReport()
    gate = asyncio.Semaphore(ACCOUNTS_AT_ONCE)

    async def one(work: AccountWork) -> None:
        async with gate:
            await _sync_account(ctx, work, days, report, ads=ads)

    await asyncio.gather(*(one(w) for w in works))
    return report


async def sync_all(ctx: AgentContext) -> int:
    """The hourly job's count: how many campaigns one sync of everything tracked covered."""
    return (await run_sync(ctx)).campaigns


async def sync_job(ctx: AgentContext) -> dict[str, Any]:
    """The hourly job: one sync; its report (for the log)."""
    return (await run_sync(ctx)).as_json()


async def ad_sync_job(ctx: AgentContext) -> dict[str, Any]:
    """The ad-level job (every few hours): the campaigns' rows and each ad's, for the best and weakest ad."""
    return (await run_sync(ctx, ads=True)).as_json()


async def sync_campaign(ctx: AgentContext, campaign_id: str, *, since: date, until: date) -> dict[str, Any]:
    """One campaign right after it went live: sums per platform of the days synced (`{"error": ...}` for a
    platform that could not be read)."""
    report = await run_sync(ctx, days=max(1, (until - since).days + 1), campaign_ids=[campaign_id])
    totals: dict[str, Any] = defaultdict(dict)
    for platform, sums in report.totals.get(campaign_id, {}).items():
        totals[platform] = {**sums, "spend": str(sums["spend"])}
    for skipped in report.skipped:
        totals.setdefault(skipped["platform"], {"error": skipped["reason"]})
    return dict(totals)
