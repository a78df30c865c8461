"""Tracking at scale against the in-process simulators: batched syncs and status checks, tokens refreshed once on a
refusal, accounts that need reconnecting marked and skipped with their reason.

Campaigns are created and switched on through the real clients (tests/tracking/fleet.py); the sync then runs in
freshly opened services on the same data dir (a restart: cold caches, the simulators' counters at zero). Calls
are counted twice: by tracking itself (its report) and by an httpx hook of the test on each platform's client.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from math import ceil

import httpx
import pytest
from fleet import connect_account, launch_fleet, token_of

from agent.tracking import care_for_tokens, check_statuses, run_sync
from agent.tracking.calls import pause_for
from bot.services import Services, open_services
from bot.settings import Settings
from store import repositories as repo
from tools.platforms.meta.usage import Usage, usage_of
from tools.sandbox import SandboxFaults


class Seen(Counter[str]):
    """Platform requests counted per platform and per "platform path", and their order."""

    def __init__(self) -> None:
        super().__init__()
        self.order: list[str] = []


@asynccontextmanager
async def counted(settings: Settings, faults: dict[str, SandboxFaults] | None = None
                  ) -> AsyncIterator[tuple[Services, Seen]]:
    """Services whose every platform request is counted (the test's own count, beside tracking's)."""
    seen = Seen()
    async with open_services(settings, sandbox_faults=faults) as services:
        for platform, http in services.sandboxed.items():
            async def hook(request: httpx.Request, platform: str = platform) -> None:
                seen[platform] += 1
                seen[f"{platform} {request.url.path}"] += 1
                seen.order.append(f"{platform} {request.url.path}")
            http.event_hooks["request"].append(hook)
        yield services, seen


async def _fleet(settings: Settings, platform: str, count: int) -> tuple[str, str, list[str]]:
    """(workspace id, ad account id, campaign ids) of `count` live campaigns on one account of `platform`."""
    async with open_services(settings) as services:
        workspace = await services.local_workspace("tests:tracking")
        account = await connect_account(services, workspace.id, platform)
        ids = await launch_fleet(services, workspace.id, account, platform, count)
    return workspace.id, account, ids


# Calls of one campaign-level sync of N campaigns over D days on one account (the stated bound): the campaign ids
# go in filter pieces of the platform's limit, each piece's rows come in pages, plus one lookup of the account:
#   Meta:     pieces of 250 ids (wire.ID_FILTER_MAX, our choice), 500 rows a page, no lookup (rows carry the currency)
#   TikTok:   pieces of 100 ids (the documented limit), 1,000 rows a page, + 1 currency lookup
#   Snapchat: no filter: one account stats call per 31 days (every campaign at once), + 1 account lookup
def call_bound(platform: str, n: int, days: int = 2) -> int:
    piece, page, lookups = {"meta": (250, 500, 0), "tiktok": (100, 1000, 1), "snapchat": (n, 10**9, 1)}[platform]
    sizes = [min(piece, n - start) for start in range(0, n, piece)]
    return sum(ceil(size * days / page) for size in sizes) + lookups


@pytest.mark.parametrize("platform", ["meta", "tiktok", "snapchat"])
async def test_a_sync_of_300_campaigns_on_one_account_uses_a_bounded_number_of_calls(
    settings: Settings, platform: str
) -> None:
    _, account, ids = await _fleet(settings, platform, 300)
    async with counted(settings) as (services, seen):
        report = await run_sync(services.ctx)
        async with services.sessions() as session:
            rows = [s for c in ids for s in await repo.list_snapshots(session=session, campaign_id=c)]
    bound = call_bound(platform, 300)
    assert bound <= 4  # against 300+ calls for one call per campaign
    assert report.campaigns == 300 and report.accounts == 1 and not report.skipped, report.as_json()
    assert report.calls == seen[platform] <= bound, (report.calls, seen)
    # Every campaign got its two days (yesterday and today), one row per campaign and day.
    assert report.rows == len(rows) == 600
    assert Counter(r.campaign_id for r in rows) == Counter({c: 2 for c in ids})
    assert {r.platform for r in rows} == {platform} and all(r.level == "campaign" for r in rows)


async def test_an_expired_token_during_sync_is_refreshed_once_and_the_sync_completes(settings: Settings) -> None:
    _, account, ids = await _fleet(settings, "snapchat", 5)
    async with open_services(settings) as services:
        before, external = await token_of(services, account)
    # The simulator lets the token in use expire at the first call of the restarted process.
    faults = {"snapchat": SandboxFaults(expire_token_after_calls=0)}
    async with counted(settings, faults) as (services, seen):
        report = await run_sync(services.ctx)
        after, _ = await token_of(services, account)
        async with services.sessions() as session:
            row = await repo.get_ad_account(session=session, ad_account_id=account)
            snapshots = [s for c in ids for s in await repo.list_snapshots(session=session, campaign_id=c)]
    assert not report.skipped and report.campaigns == 5 and report.rows == 10 == len(snapshots)
    # The first call (the account lookup the stats call starts with) is refused; the token is refreshed once and
    # the call chain runs once more.
    assert [p.split("/")[-1] if "/adaccounts/" in p else p for p in seen.order] == [
        external, "snapchat /login/oauth2/access_token", external, "stats"], seen.order
    assert after != before and row is not None and row.status == "active" and row.status_reason is None


async def test_an_account_whose_token_cannot_be_renewed_is_marked_and_skipped_with_its_reason(
    settings: Settings
) -> None:
    _, account, ids = await _fleet(settings, "meta", 3)
    # Meta has no refresh grant: a token that expired cannot be exchanged; the user must log in again.
    faults = {"meta": SandboxFaults(expire_token_after_calls=0)}
    async with counted(settings, faults) as (services, seen):
        first = await run_sync(services.ctx)
        second = await run_sync(services.ctx)
        statuses = await check_statuses(services.ctx)
        care = await care_for_tokens(services.ctx)
        async with services.sessions() as session:
            row = await repo.get_ad_account(session=session, ad_account_id=account)
            snapshots = [s for c in ids for s in await repo.list_snapshots(session=session, campaign_id=c)]
    assert row is not None and row.status == "needs_reconnect"
    assert row.status_reason and "cannot be renewed" in row.status_reason and "reconnect" in row.status_reason
    assert first.campaigns == 0 and not snapshots
    assert [s["reason"] for s in first.skipped] == [row.status_reason]
    # Marked: later runs skip it at once, with the same reason, without calling Meta.
    calls_after_first = seen["meta"]
    assert [s["reason"] for s in second.skipped] == [row.status_reason] and second.calls == 0
    assert statuses == [] and seen["meta"] == calls_after_first
    assert [(w.ad_account_id, w.kind) for w in care.warnings] == [(account, "lapsed")]


# Reads of the status check of 120 campaigns on one account: Meta one filtered read (250 ids a piece, 500 a page),
# TikTok two (100 ids a piece), Snapchat one (the account's whole list, 1,000 a page); not 120.
@pytest.mark.parametrize(("platform", "expected_reads"), [("meta", 1), ("tiktok", 2), ("snapchat", 1)])
async def test_the_status_check_of_many_campaigns_is_batched(
    settings: Settings, platform: str, expected_reads: int
) -> None:
    workspace_id, account, ids = await _fleet(settings, platform, 120)
    async with open_services(settings) as services:
        token, external_account = await token_of(services, account)
        async with services.sessions() as session:
            paused = [pc.external_campaign_id
                      for c in ids[:2] for pc in await repo.campaign_tree(session=session, campaign_id=c)]
        # Two campaigns paused by hand in the Ads Manager.
        await services.ctx.platforms[platform].set_status(token=token, account_id=external_account,
                                                          kind="campaign", external_ids=[str(i) for i in paused],
                                                          status="paused")
    told: list[list[dict[str, object]]] = []

    async def tell(changes: list[dict[str, object]]) -> bool:
        told.append(changes)
        return True

    async with counted(settings) as (services, seen):
        changes = await check_statuses(services.ctx, tell=tell)
        reads = seen[platform]
        again = await check_statuses(services.ctx, tell=tell)
        async with services.sessions() as session:
            stored = {c: (await repo.campaign_tree(session=session, campaign_id=c))[0].status for c in ids[:3]}
    assert reads == expected_reads, seen
    assert sorted((c["campaign_id"], c["from"], c["to"]) for c in changes) == sorted(
        (c, "active", "paused") for c in ids[:2])
    assert len(told) == 2 and all(len(t) == 1 for t in told)  # one notice per campaign
    assert again == [] and stored == {ids[0]: "paused", ids[1]: "paused", ids[2]: "active"}


async def test_a_campaign_deleted_on_the_platform_reads_as_deleted(settings: Settings) -> None:
    _, account, ids = await _fleet(settings, "tiktok", 3)
    async with open_services(settings) as services:
        async with services.sessions() as session:
            gone = (await repo.campaign_tree(session=session, campaign_id=ids[0]))[0].external_campaign_id
    # Deleted in the Ads Manager: the platform no longer lists it.
    with sqlite3.connect(settings.sandbox_dir / "tiktok.sqlite") as db:
        db.execute("DELETE FROM objects WHERE kind = 'campaign' AND id = ?", (gone,))
    async with open_services(settings) as services:
        changes = await check_statuses(services.ctx)
    assert [(c["campaign_id"], c["to"]) for c in changes] == [(ids[0], "deleted")]


async def test_a_rate_limit_is_waited_out_as_the_platform_asks(settings: Settings) -> None:
    _, account, ids = await _fleet(settings, "meta", 3)
    # The first call after the restart is refused with Meta's 80004 and "regain access in 0.02 minutes" (1.2 s).
    faults = {"meta": SandboxFaults(rate_limit_after_calls=0, rate_limit_calls=1, rate_limit_wait_minutes=0.02)}
    async with counted(settings, faults) as (services, seen):
        loop = asyncio.get_running_loop()
        started = loop.time()
        report = await run_sync(services.ctx)
        waited = loop.time() - started
    assert not report.skipped and report.campaigns == 3 and report.rows == 6
    assert seen["meta"] == report.calls == 2  # the refused call, then the same call after the wait
    assert waited >= 1.2


def test_calls_slow_down_as_meta_usage_climbs() -> None:
    def usage(pct: int, regain_minutes: float = 0) -> httpx.Headers:
        entry = {"type": "ads_insights", "call_count": pct, "total_cputime": 10, "total_time": 10,
                 "estimated_time_to_regain_access": regain_minutes}
        return httpx.Headers({"x-business-use-case-usage": json.dumps({"123": [entry]})})

    pauses = [pause_for(u) for u in (usage_of(usage(p)) for p in (10, 75, 80, 90, 99)) if u is not None]
    assert pauses[:2] == [0.0, 0.0] and pauses == sorted(pauses) and 0 < pauses[2] < pauses[4] <= 5.0
    assert pause_for(Usage(pct=100)) == 60.0
    blocked = usage_of(usage(100, regain_minutes=3))
    assert blocked is not None and pause_for(blocked) == 180.0
    account = usage_of(httpx.Headers({"x-ad-account-usage": '{"acc_id_util_pct": 100, "reset_time_duration": 42}'}))
    assert account is not None and pause_for(account) == 42.0
    assert usage_of(httpx.Headers({"content-type": "application/json"})) is None
