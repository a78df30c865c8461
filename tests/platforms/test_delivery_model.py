"""The sandbox's delivery model on its own: campaign budgets shared among ad sets (Meta CBO), an ad paused while
its sibling runs, exact splits. The simulators' wire shapes are tested through the clients elsewhere."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tools.sandbox.delivery import (
    ALWAYS,
    AdNode,
    AdSetNode,
    Budget,
    CampaignTree,
    deliver,
    split,
    window,
)

RIYADH = ZoneInfo("Asia/Riyadh")
START = datetime(2030, 5, 1, tzinfo=RIYADH)
NOW = START + timedelta(days=12, hours=12)


def ad_set(n: int, budget: Budget | None, *, end: datetime | None = None, ads: tuple[AdNode, ...] = ()) -> AdSetNode:
    on = window(START.timestamp(), end.timestamp() if end else None)
    ads = ads or (AdNode(f"ad{n}a", "a", ALWAYS), AdNode(f"ad{n}b", "b", ALWAYS))
    return AdSetNode(f"set{n}", f"set {n}", on, end.timestamp() if end else None, budget, ads)


def by_day(rows: list, key: str = "campaign_id") -> dict[tuple[str, date], int]:
    out: dict[tuple[str, date], int] = defaultdict(int)
    for r in rows:
        out[(getattr(r, key), r.day)] += r.spend
    return dict(out)


def test_a_daily_campaign_budget_is_shared_among_ad_sets_without_one() -> None:
    tree = CampaignTree("c1", "cbo", ALWAYS, Budget(daily=30_000), (ad_set(1, None), ad_set(2, None)))
    rows = deliver("meta", tree, currency="SAR", tz=RIYADH, now=NOW, until=date(2030, 6, 1))
    days = by_day(rows)
    assert len(days) == 13 and max(d for _, d in days) == NOW.date()  # nothing after now
    full = {d: s for (_, d), s in days.items() if d < NOW.date()}
    assert all(24_000 <= s <= 30_000 for s in full.values()), full
    assert days[("c1", NOW.date())] < 30_000 * 0.6  # noon: about a third of the day's traffic
    per_set = by_day(rows, "ad_set_id")
    assert all(per_set.get((s, d), 0) > 0 for s in ("set1", "set2") for d in full)


def test_a_lifetime_campaign_budget_is_paced_over_the_flight_and_never_passed() -> None:
    end = START + timedelta(days=10)
    tree = CampaignTree("c2", "cbo", ALWAYS, Budget(lifetime=500_000), (ad_set(1, None, end=end), ad_set(2, None, end=end)))
    rows = deliver("meta", tree, currency="SAR", tz=RIYADH, now=NOW, until=date(2030, 6, 1))
    days = by_day(rows)
    assert {d for _, d in days} == {START.date() + timedelta(days=n) for n in range(10)}
    assert 0.9 * 500_000 <= sum(days.values()) <= 500_000
    assert max(days.values()) < 500_000 / 10 * 1.3, "paced, not spent up front"


def test_a_campaign_cap_scales_ad_sets_with_their_own_budgets() -> None:
    tree = CampaignTree("c3", "cap", ALWAYS, Budget(daily=10_000),
                        (ad_set(1, Budget(daily=20_000)), ad_set(2, Budget(daily=20_000))))  # fmt: skip
    days = by_day(deliver("snapchat", tree, currency="SAR", tz=RIYADH, now=NOW, until=NOW.date()))
    assert all(s <= 10_000 for s in days.values()) and len(days) == 13


def test_a_paused_ad_hands_its_share_to_its_sibling() -> None:
    paused_from = (START + timedelta(days=5)).timestamp()
    ads = (AdNode("keeps", "a", ALWAYS), AdNode("stops", "b", ((START.timestamp(), paused_from),)))
    tree = CampaignTree("c4", "ads", ALWAYS, None, (ad_set(1, Budget(daily=20_000), ads=ads),))
    rows = deliver("tiktok", tree, currency="SAR", tz=RIYADH, now=NOW, until=NOW.date())
    stops = {r.day for r in rows if r.ad_id == "stops"}
    assert max(stops) == START.date() + timedelta(days=4)
    set_days = by_day(rows)
    assert all(s <= 20_000 for s in set_days.values())
    later = START.date() + timedelta(days=7)
    assert set_days[("c4", later)] == sum(r.spend for r in rows if r.day == later and r.ad_id == "keeps") > 16_000


def test_nothing_is_delivered_before_switch_on_or_in_the_future() -> None:
    tree = CampaignTree("c5", "later", window(NOW.timestamp() + 3600, None), None, (ad_set(1, Budget(daily=20_000)),))
    assert deliver("meta", tree, currency="SAR", tz=RIYADH, now=NOW, until=date(2031, 1, 1)) == []


def test_split_sums_exactly() -> None:
    assert split(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(split(99_999, [0.3, 1.7, 0.01, 2])) == 99_999
    assert split(5, [0, 0]) == [0, 0] and split(0, [1]) == [0]


def test_the_same_day_twice_is_the_same() -> None:
    tree = CampaignTree("c6", "same", ALWAYS, None, (ad_set(1, Budget(daily=20_000)),))
    first = deliver("meta", tree, currency="KWD", tz=RIYADH, now=NOW.astimezone(UTC), until=NOW.date())
    assert first == deliver("meta", tree, currency="KWD", tz=RIYADH, now=NOW.astimezone(UTC), until=NOW.date())
