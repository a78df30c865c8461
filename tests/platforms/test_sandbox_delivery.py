"""The simulators deliver like the platforms: inside the schedule, only while on, under every budget, paced
through the day, with plausible Gulf rates in the account currency; ad rows add up to their campaign's.

Driven through the real clients against the sandbox apps, over 30 simulated days on the sandbox's clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.platforms.conftest import Connected, ad_spec, avatar_file, connect, riyadh, upload
from tools.platforms.base import AdSetSpec, CampaignSpec, InsightRow, Money
from tools.sandbox import SandboxFaults
from tools.sandbox.delivery import USD_RATES

PLATFORMS = ["meta", "tiktok", "snapchat"]
RIYADH = ZoneInfo("Asia/Riyadh")  # every sandbox account's time zone: the days rows are reported in


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=RIYADH)


BUILT = at(date(2030, 3, 1), 9)  # the campaign is built and switched on two days before it starts
FLIGHT_START, FLIGHT_END = date(2030, 3, 3), date(2030, 3, 22)  # 20 days, end day included
PAUSED_AT, RESUMED_AT = at(date(2030, 3, 10), 14), at(date(2030, 3, 13), 10)
FULLY_PAUSED = {date(2030, 3, 11), date(2030, 3, 12)}
LAST_LOOK = at(date(2030, 3, 31), 12)  # 30 days after it was built


class Clock:
    """The sandbox's now, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now.astimezone(UTC)


async def build(
    c: Connected, tmp_path: Path, clock: Clock, *, amount: str, period: str, currency: str = "SAR",
    campaign_budget: tuple[str, str] | None = None, ad_sets: int = 1,
) -> tuple[str, list[str]]:  # fmt: skip
    """A campaign with `ad_sets` ad sets of two ads each (Arabic, English) for the flight, switched on."""
    clock.now = BUILT
    media = await upload(c, tmp_path)
    budget = Money(Decimal(campaign_budget[0]), currency) if campaign_budget else None
    campaign_id = await c.client.create_campaign(
        token=c.token, account_id=c.account_id,
        spec=CampaignSpec(name="Ramadan sale", objective="traffic", budget=budget,
                          budget_period=campaign_budget[1] if campaign_budget else "daily", idempotency_key="c"),  # type: ignore[arg-type]
    )  # fmt: skip
    objects: list[tuple[str, str]] = []
    ad_ids: list[str] = []
    for n in range(ad_sets):
        ad_set_id = await c.client.create_ad_set(
            token=c.token, account_id=c.account_id,
            spec=AdSetSpec(name=f"Riyadh {n}", campaign_id=campaign_id, objective="traffic",
                           budget=Money(Decimal(amount), currency), budget_period=period,  # type: ignore[arg-type]
                           start_time=at(FLIGHT_START, 0), end_time=at(FLIGHT_END + timedelta(days=1), 0),
                           targeting=riyadh(), idempotency_key=f"s{n}"),
        )  # fmt: skip
        for language in ("ar", "en"):
            spec = ad_spec(ad_set_id, media, key=f"a{n}{language}", language=language, brand_avatar=avatar_file(tmp_path))
            ad_ids.append((await c.client.create_ad(token=c.token, account_id=c.account_id, spec=spec)).ad_id)
        objects.append(("ad_set", ad_set_id))
    for kind, ids in (("ad", ad_ids), ("ad_set", [i for _, i in objects]), ("campaign", [campaign_id])):
        await c.client.set_status(token=c.token, account_id=c.account_id, kind=kind, external_ids=ids, status="active")  # type: ignore[arg-type]
    return campaign_id, ad_ids


async def switch(c: Connected, clock: Clock, when: datetime, campaign_id: str, status: str) -> None:
    clock.now = when
    await c.client.set_status(token=c.token, account_id=c.account_id, kind="campaign", external_ids=[campaign_id],
                              status=status)  # type: ignore[arg-type]  # fmt: skip


async def report(
    c: Connected, campaign_id: str, *, level: str = "campaign",
    since: date = date(2030, 2, 27), until: date = date(2030, 4, 2),
) -> list[InsightRow]:  # fmt: skip
    return await c.client.insights(token=c.token, account_id=c.account_id, campaign_ids=[campaign_id],  # type: ignore[no-any-return]
                                   since=since, until=until, level=level)  # fmt: skip


def spend_by_day(rows: Iterable[InsightRow]) -> dict[date, Decimal]:
    out: dict[date, Decimal] = defaultdict(Decimal)
    for row in rows:
        if row.spend:
            out[row.day] += row.spend
    return dict(out)


def sums_by_day(rows: Iterable[InsightRow]) -> dict[date, tuple[Any, ...]]:
    out: dict[date, list[Any]] = defaultdict(lambda: [Decimal(0), 0, 0, 0, 0, 0])
    for r in rows:
        for i, value in enumerate((r.spend, r.impressions, r.reach, r.clicks, r.conversions, r.video_views)):
            out[r.day][i] += value
    return {day: tuple(v) for day, v in out.items() if v[1]}


def check_invariants(rows: Iterable[InsightRow]) -> None:
    for r in rows:
        assert 0 <= r.reach <= r.impressions and 0 <= r.clicks <= r.impressions, r
        assert 0 <= r.conversions <= r.clicks and r.spend >= 0, r
        assert (r.spend > 0) == (r.impressions > 0), r


@pytest.mark.parametrize("period", ["daily", "lifetime"])
@pytest.mark.parametrize("platform", PLATFORMS)
async def test_thirty_days_inside_schedule_while_on_and_under_budget(platform: str, period: str, tmp_path: Path) -> None:
    clock = Clock(BUILT)
    async with connect(platform, tmp_path / "sandbox", SandboxFaults(clock=clock)) as c:
        amount = "200" if period == "daily" else "2000"
        campaign_id, ad_ids = await build(c, tmp_path, clock, amount=amount, period=period)
        clock.now = at(FLIGHT_START, 0) - timedelta(minutes=1)
        assert spend_by_day(await report(c, campaign_id)) == {}, "nothing before the flight starts"
        await switch(c, clock, PAUSED_AT, campaign_id, "paused")
        await switch(c, clock, RESUMED_AT, campaign_id, "active")
        clock.now = LAST_LOOK
        rows = await report(c, campaign_id)
        spent = spend_by_day(rows)

        assert min(spent) == FLIGHT_START and max(spent) == FLIGHT_END, sorted(spent)
        assert not FULLY_PAUSED & set(spent), "no spend while paused"
        assert PAUSED_AT.date() in spent and RESUMED_AT.date() in spent  # the part of those days it was on
        full_days = [d for d in spent if d not in (PAUSED_AT.date(), RESUMED_AT.date())]
        if period == "daily":
            assert all(s <= Decimal(amount) for s in spent.values()), spent
            assert all(spent[d] >= Decimal(amount) * Decimal("0.8") for d in full_days), spent
            assert spent[PAUSED_AT.date()] < min(spent[d] for d in full_days)
        else:
            total = sum(spent.values(), Decimal(0))
            assert Decimal(amount) * Decimal("0.8") <= total <= Decimal(amount), total
        check_invariants(rows)
        assert {r.campaign_id for r in rows} == {campaign_id} and {r.currency for r in rows} == {"SAR"}
        assert rows == await report(c, campaign_id), "the same numbers twice"

        ads = await report(c, campaign_id, level="ad")
        check_invariants(ads)
        assert {r.level for r in ads} == {"ad"} and {r.campaign_id for r in ads} == {campaign_id}
        assert {r.external_id for r in ads if r.spend} == set(ad_ids)
        assert sums_by_day(ads) == sums_by_day(rows), "ad rows add up to the campaign's, day by day"


@pytest.mark.parametrize(
    ("platform", "campaign_budget"),
    [("tiktok", ("300", "daily")), ("tiktok", ("3000", "lifetime")),
     ("snapchat", ("100", "daily")), ("snapchat", ("1500", "lifetime"))],
)  # fmt: skip
async def test_a_campaign_budget_caps_its_ad_sets(platform: str, campaign_budget: tuple[str, str], tmp_path: Path) -> None:
    """TikTok's campaign budget optimisation and Snapchat's campaign spend caps, over two ad sets."""
    clock = Clock(BUILT)
    async with connect(platform, tmp_path / "sandbox", SandboxFaults(clock=clock)) as c:
        campaign_id, _ = await build(
            c, tmp_path, clock, amount="200", period="daily", campaign_budget=campaign_budget, ad_sets=2
        )
        clock.now = LAST_LOOK
        rows = await report(c, campaign_id)
        spent = spend_by_day(rows)
        cap = Decimal(campaign_budget[0])
        flight = {FLIGHT_START + timedelta(days=n) for n in range(20)}
        if campaign_budget[1] == "daily":
            assert set(spent) == flight
            assert all(cap * Decimal("0.8") <= s <= cap for s in spent.values()), spent
        else:
            assert cap * Decimal("0.8") <= sum(spent.values(), Decimal(0)) <= cap
            if platform == "tiktok":  # a total budget optimised over the campaign is paced over the flight
                assert set(spent) == flight
            else:  # a lifetime spend cap over ad squads spending ~380 a day stops them once reached
                assert min(spent) == FLIGHT_START and len(spent) < 10, sorted(spent)
        check_invariants(rows)
        assert sums_by_day(await report(c, campaign_id, level="ad")) == sums_by_day(rows)


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_today_fills_in_by_the_hour_and_tomorrow_is_empty(platform: str, tmp_path: Path) -> None:
    clock = Clock(BUILT)
    async with connect(platform, tmp_path / "sandbox", SandboxFaults(clock=clock)) as c:
        campaign_id, _ = await build(c, tmp_path, clock, amount="200", period="daily")
        day = FLIGHT_START + timedelta(days=2)
        seen = []
        for hour in (3, 9, 15, 21):
            clock.now = at(day, hour)
            spent = spend_by_day(await report(c, campaign_id, since=day, until=day + timedelta(days=3)))
            assert set(spent) <= {day}, "nothing after now"
            seen.append(spent.get(day, Decimal(0)))
        assert seen == sorted(seen) and seen[0] < seen[-1] <= Decimal(200), seen
        assert seen[1] < Decimal(100), "by 9 in the morning, well under half the day's budget is spent"


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_a_kwd_account_pays_what_a_sar_account_pays_in_usd(platform: str, tmp_path: Path) -> None:
    cpm_usd = {}
    for currency, amount in (("SAR", "200"), ("KWD", "16.400")):
        clock = Clock(BUILT)
        faults = SandboxFaults(clock=clock, account_currency=currency)
        async with connect(platform, tmp_path / currency, faults) as c:
            campaign_id, _ = await build(c, tmp_path, clock, amount=amount, period="daily", currency=currency)
            clock.now = LAST_LOOK
            rows = await report(c, campaign_id)
        assert {r.currency for r in rows} == {currency}
        spend = sum((r.spend for r in rows), Decimal(0))
        impressions = sum(r.impressions for r in rows)
        cpm_usd[currency] = spend / impressions * 1000 / USD_RATES[currency]
        assert sum(r.clicks for r in rows) / impressions < 0.02  # CTR under 2%
    assert all(Decimal(3) <= v <= Decimal("9.5") for v in cpm_usd.values()), cpm_usd
    # The same flight in the two currencies differs by its own draws only, not by 12x (3.75 / 0.307).
    assert Decimal("0.67") < cpm_usd["KWD"] / cpm_usd["SAR"] < Decimal("1.5"), cpm_usd


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_sixty_campaigns_come_back_in_a_few_calls_pages_followed(platform: str, tmp_path: Path) -> None:
    """One account, 60 live campaigns over 20 days (1,200 campaign-days) and 60 ids it does not know: the
    client's calls grow with pages and ID-filter chunks, not with campaigns."""
    clock = Clock(BUILT)
    async with connect(platform, tmp_path / "sandbox", SandboxFaults(clock=clock)) as c:
        media, avatar = await upload(c, tmp_path), avatar_file(tmp_path)
        ids: dict[str, list[str]] = {"campaign": [], "ad_set": [], "ad": []}
        for n in range(60):
            campaign_id = await c.client.create_campaign(
                token=c.token, account_id=c.account_id,
                spec=CampaignSpec(name=f"Sale {n}", objective="traffic", idempotency_key=f"c{n}"),
            )  # fmt: skip
            ad_set_id = await c.client.create_ad_set(
                token=c.token, account_id=c.account_id,
                spec=AdSetSpec(name=f"Riyadh {n}", campaign_id=campaign_id, objective="traffic",
                               budget=Money(Decimal("100"), "SAR"), budget_period="daily",
                               start_time=at(FLIGHT_START, 0), end_time=at(FLIGHT_END + timedelta(days=1), 0),
                               targeting=riyadh(), idempotency_key=f"s{n}"),
            )  # fmt: skip
            spec = ad_spec(ad_set_id, media, key=f"a{n}", brand_avatar=avatar)
            ids["ad"].append((await c.client.create_ad(token=c.token, account_id=c.account_id, spec=spec)).ad_id)
            ids["ad_set"].append(ad_set_id)
            ids["campaign"].append(campaign_id)
        for kind in ("ad", "ad_set", "campaign"):
            for i in range(0, 60, 20):
                await c.client.set_status(token=c.token, account_id=c.account_id, kind=kind,  # type: ignore[arg-type]
                                          external_ids=ids[kind][i : i + 20], status="active")  # fmt: skip
        clock.now = LAST_LOOK
        calls: list[str] = []

        async def count(request: Any) -> None:
            if any(p in request.url.path for p in ("/insights", "/report/integrated/get", "/stats")):
                calls.append(request.url.path)

        c.http.event_hooks["request"].append(count)
        unknown = [f"{9000 + n}" for n in range(60)]
        for level in ("campaign", "ad"):
            calls.clear()
            rows = await c.client.insights(token=c.token, account_id=c.account_id, campaign_ids=ids["campaign"] + unknown,
                                           since=FLIGHT_START, until=FLIGHT_END, level=level)  # fmt: skip
            delivered = {(r.external_id, r.day) for r in rows if r.spend}
            assert len(delivered) == 60 * 20, (level, len(delivered))
            assert {r.external_id for r in rows} == set(ids[level]) and {r.campaign_id for r in rows} == set(ids["campaign"])
            # Meta: 1,200 rows at 500 a page; TikTok: 100 ids per filter, 1,000 rows a page; Snapchat: one
            # account stats call per 31 days, whatever the number of campaigns.
            assert len(calls) == {"meta": 3, "tiktok": 3, "snapchat": 1}[platform], (level, calls)
