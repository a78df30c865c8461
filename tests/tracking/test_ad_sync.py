"""The ad-level sync: one more call chain per account brings each ad's numbers, stored beside the campaign's and
summing to them; the report then names its best and weakest ad."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from agent.performance.read import campaign_report
from agent.tracking import run_sync
from bot.console import SEED_INSTRUCTION, run_demo
from bot.services import open_services
from bot.settings import Settings
from store import repositories as repo


async def test_ad_rows_are_synced_per_account_and_the_report_names_the_best_ad(
        settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert await run_demo(settings, SEED_INSTRUCTION, as_json=True) == 0
    campaign_id = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["campaign_id"]
    async with open_services(settings) as services:
        async with services.sessions() as session:
            campaign = await repo.get_campaign(session=session, campaign_id=campaign_id)
        assert campaign is not None and campaign.start_date is not None
        # The flight's fourth afternoon, on the app's clock (the in-process platforms run on it too).
        afternoon = datetime.combine(campaign.start_date + timedelta(days=3), time(14), UTC)
        services.ctx.clock = lambda: afternoon
        plain = await run_sync(services.ctx, days=3)
        with_ads = await run_sync(services.ctx, days=3, ads=True)
        async with services.sessions() as session:
            snapshots = await repo.list_snapshots(session=session, campaign_id=campaign_id)
            tree = await repo.campaign_tree(session=session, campaign_id=campaign_id)
        report = await campaign_report(services.ctx, campaign_id)
    # One call chain more per account, whatever the number of ads.
    assert with_ads.accounts == plain.accounts == 2
    assert plain.calls < with_ads.calls <= 2 * plain.calls + 2 * with_ads.accounts
    ad_ids = {ad.external_id for pc in tree for ad_set in pc.ad_sets for ad in ad_set.ads}
    by_level: dict[tuple[str, str], dict[object, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for s in snapshots:
        by_level[(s.platform, s.level)][s.day] += s.spend
        if s.level == "ad":
            assert s.external_object_id in ad_ids
    for platform in ("meta", "tiktok"):
        campaign_days, ad_days = by_level[(platform, "campaign")], by_level[(platform, "ad")]
        assert campaign_days and sum(campaign_days.values()) > 0
        # Each day, the ads' spend is the campaign's (to the cent the platforms round to).
        assert {d: round(v, 2) for d, v in ad_days.items()} == {d: round(v, 2) for d, v in campaign_days.items()}
    # The report (read on that afternoon) ranks the ads by cost per result.
    assert report is not None and report.best_ad is not None and report.worst_ad is not None
    assert report.best_ad.external_id != report.worst_ad.external_id
    assert {report.best_ad.external_id, report.worst_ad.external_id} <= ad_ids
