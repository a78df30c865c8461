"""`adly report [CAMPAIGN_ID] [--json]` and `adly digest --print` after `adly demo`: the contract's JSON on the last
line, money in major units of the campaign currency; the digest in the terminal and its chart as a PNG file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from agent.tracking import run_sync
from bot.cli import _build_parser
from bot.console import SEED_INSTRUCTION, run_demo
from bot.report_commands import run_digest, run_report
from bot.services import open_services
from bot.settings import Settings
from store import repositories as repo

CONTRACT_TOP = {"campaign_id", "name", "currency", "budget", "schedule", "platforms"}
CONTRACT_PLATFORM = {"platform", "spend", "impressions", "clicks", "conversions", "days"}
CONTRACT_DAY = {"date", "spend", "impressions", "clicks", "conversions"}


async def _sync_into_the_flight(settings: Settings, campaign_id: str) -> None:
    """The platforms deliver only once the flight begins (the seed's is Ramadan): one sync on its third afternoon,
    the in-process platforms running on the app's clock."""
    async with open_services(settings) as services:
        async with services.sessions() as session:
            campaign = await repo.get_campaign(session=session, campaign_id=campaign_id)
        assert campaign is not None and campaign.start_date is not None
        afternoon = datetime.combine(campaign.start_date + timedelta(days=2), time(13), UTC)
        services.ctx.clock = lambda: afternoon
        assert (await run_sync(services.ctx)).campaigns == 1


async def test_adly_report_json_matches_the_contract(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert await run_demo(settings, SEED_INSTRUCTION, as_json=True) == 0
    campaign_id = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["campaign_id"]
    await _sync_into_the_flight(settings, campaign_id)
    assert await run_report(_build_parser().parse_args(["report", "--json"]), settings) == 0
    out = capsys.readouterr().out.strip().splitlines()
    report = json.loads(out[-1])
    assert CONTRACT_TOP <= set(report) and report["campaign_id"] == campaign_id
    assert report["currency"] == "SAR" and set(report["budget"]) == {"amount", "period"}
    assert Decimal(report["budget"]["amount"]) == Decimal("1000") and report["budget"]["period"] in ("lifetime", "daily")
    assert set(report["schedule"]) == {"start_date", "end_date"}
    assert report["platforms"], "synced on the flight's third afternoon: there are numbers"
    async with open_services(settings) as services, services.sessions() as session:
        snapshots = await repo.list_snapshots(session=session, campaign_id=campaign_id)
    for platform in report["platforms"]:
        assert CONTRACT_PLATFORM <= set(platform) and platform["days"]
        assert all(set(day) >= CONTRACT_DAY for day in platform["days"])
        rows = [s for s in snapshots if s.platform == platform["platform"] and s.level == "campaign"]
        # Same numbers as the store, in major units (a string of the currency's two decimals).
        assert Decimal(platform["spend"]) == sum((s.spend for s in rows), start=Decimal(0)).quantize(Decimal("0.01"))
        assert platform["impressions"] == sum(s.impressions for s in rows)
        assert [d["date"] for d in platform["days"]] == sorted(s.day.isoformat() for s in rows)
        assert all(len(d["spend"].split(".")[1]) == 2 for d in platform["days"])
    # The report is also readable above the JSON line, and by id.
    assert out[0].startswith("How “")
    assert await run_report(_build_parser().parse_args(["report", campaign_id, "--json"]), settings) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["campaign_id"] == campaign_id
    assert await run_report(_build_parser().parse_args(["report", "nope"]), settings) == 1


async def test_adly_digest_print(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert await run_demo(settings, SEED_INSTRUCTION, as_json=True) == 0
    capsys.readouterr()
    assert await run_digest(_build_parser().parse_args(["digest", "--print", "--weekly"]), settings) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0].startswith("Weekly digest")
    assert any("Ramadan" in line for line in out)
    chart = Path(out[-1])
    assert chart.suffix == ".png" and chart.is_file()  # noqa: ASYNC240 - one stat of a local file
    with Image.open(chart) as image:
        assert image.format == "PNG" and image.width == 1100
    # Without Slack configured, posting is refused with a pointer to --print.
    assert await run_digest(_build_parser().parse_args(["digest"]), settings) == 2
