"""merge_reply and describe_changes: thread replies that answer or adjust a parsed request."""

from __future__ import annotations

from datetime import date

import pytest

from agent.parsing import describe_changes, merge_reply, parse_instruction

TODAY = date(2025, 1, 10)
BASE = "Create Instagram and TikTok campaign for Ramadan sale with 1000 SAR budget targeting women 25-40 in Riyadh"


def base(text: str = BASE):
    return parse_instruction(text, today=TODAY)


def test_answer_to_missing_budget_and_platforms() -> None:
    r = base("Ramadan sale for women in Riyadh")
    assert r.missing == ["budget", "platforms"]
    m = merge_reply(r, "1500 SAR, TikTok only", today=TODAY)
    assert m.platforms == ["tiktok"] and m.budget is not None and m.budget.amount == 1500
    assert m.missing == [] and m.theme == "ramadan" and m.audience.genders == ["female"]


@pytest.mark.parametrize("reply, platforms, publishers", [
    ("drop TikTok", ["meta"], {"meta": ["instagram"]}),
    ("add Snapchat", ["meta", "snapchat", "tiktok"], {"meta": ["instagram"]}),
    ("TikTok only", ["tiktok"], {}),
    ("also Facebook", ["meta", "tiktok"], {"meta": ["facebook", "instagram"]}),
    ("no TikTok", ["meta"], {"meta": ["instagram"]}),
    ("احذف تيك توك", ["meta"], {"meta": ["instagram"]}),
    ("أضف سناب", ["meta", "snapchat", "tiktok"], {"meta": ["instagram"]}),
    ("سناب بس", ["snapchat"], {}),
    ("remove Instagram", ["tiktok"], {}),
])
def test_platform_edits(reply: str, platforms: list[str], publishers: dict[str, list[str]]) -> None:
    m = merge_reply(base(), reply, today=TODAY)
    assert m.platforms == platforms
    assert m.publisher_platforms == publishers


@pytest.mark.parametrize("reply, amount, period", [
    ("make it 1500 SAR", 1500, "lifetime"), ("خليها ٢٠٠٠ ريال", 2000, "lifetime"),
    ("500 SAR per day", 500, "daily"), ("make it daily", 1000, "daily"),
])
def test_budget_edits(reply: str, amount: int, period: str) -> None:
    m = merge_reply(base(), reply, today=TODAY)
    assert m.budget is not None and (m.budget.amount, m.budget.period) == (amount, period)


def test_bare_number_does_not_overwrite_an_existing_budget() -> None:
    assert merge_reply(base(), "1500", today=TODAY).budget.amount == 1000  # type: ignore[union-attr]


def test_audience_and_schedule_edits() -> None:
    r = base()
    assert merge_reply(r, "men and women", today=TODAY).audience.genders == []
    assert merge_reply(r, "men only", today=TODAY).audience.genders == ["male"]
    assert merge_reply(r, "للرجال فقط", today=TODAY).audience.genders == ["male"]
    m = merge_reply(r, "ages 18-30", today=TODAY)
    assert (m.audience.age_min, m.audience.age_max) == (18, 30)
    assert [loc.name for loc in merge_reply(r, "also Jeddah", today=TODAY).audience.locations] == ["Riyadh", "Jeddah"]
    assert [loc.name for loc in merge_reply(r, "Dubai instead", today=TODAY).audience.locations] == ["Dubai"]
    m = merge_reply(r, "7 days", today=TODAY)
    assert (m.schedule.start_date, m.schedule.end_date, m.schedule.duration_days) == \
        (date(2025, 3, 1), date(2025, 3, 7), 7)
    m = merge_reply(r, "لمدة أسبوعين", today=TODAY)
    assert m.schedule.duration_days == 14


def test_unrelated_fields_and_sources_are_kept() -> None:
    r = base()
    m = merge_reply(r, "add Snapchat", today=TODAY)
    assert m.budget == r.budget and m.theme == r.theme and m.languages == r.languages
    assert m.sources["budget"] == r.sources["budget"]
    assert [s.text for s in m.sources["platforms"]] == ["Snapchat"]


def test_describe_changes() -> None:
    r = base()
    m = merge_reply(r, "make it 1500 SAR, drop TikTok, add Snapchat", today=TODAY)
    lines = describe_changes(r, m)
    assert "Budget: 1,000 SAR total -> 1,500 SAR total" in lines
    assert describe_changes(r, r) == []
