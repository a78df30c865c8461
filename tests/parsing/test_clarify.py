"""Clarification depth (issue 3): one question for everything missing, replies merged, swaps, Arabic replies."""

from __future__ import annotations

import re
from datetime import date

import pytest

from agent.parsing import merge_reply, parse_instruction
from agent.validation import clarification_question, missing_fields, validate_request

TODAY = date(2025, 1, 10)
BASE = "Create Instagram and TikTok campaign for Ramadan sale with 1000 SAR budget targeting women 25-40 in Riyadh"


def base(text: str = BASE):
    return parse_instruction(text, today=TODAY)


@pytest.mark.parametrize("text, language, intro", [
    ("Ramadan campaign for women", "en", "To set up the campaign I still need:"),
    ("حملة رمضان للنساء", "ar", "لإعداد الحملة أحتاج إلى:"),
])
def test_one_question_lists_every_missing_field_in_the_users_language(text: str, language: str, intro: str) -> None:
    r = base(text)
    assert r.input_language == language
    assert missing_fields(r) == ["budget", "platforms", "audience.locations"]
    question = clarification_question(r, r.input_language)
    assert question is not None
    lines = question.splitlines()
    assert lines[0] == intro
    assert [line[:2] for line in lines[1:4]] == ["1)", "2)", "3)"] and len(lines) == 5
    if language == "ar":
        assert not re.search(r"[A-Za-z]", question)  # nothing in English in an Arabic question
    # Every missing field is also a blocking issue, and nothing is asked twice over.
    issues = [i for i in validate_request(r, today=TODAY, default_landing_url="https://example.com")
              if i.code == "missing"]
    assert [i.field for i in issues] == ["budget", "platforms", "audience.locations"]


@pytest.mark.parametrize("text, language", [("Ramadan campaign for women", "en"), ("حملة رمضان للنساء", "ar")])
def test_the_questions_own_example_answers_it(text: str, language: str) -> None:
    r = base(text)
    question = clarification_question(r, language)
    assert question is not None
    example = re.findall(r"[“«]([^”»]+)[”»]", question.splitlines()[-1])[0]
    m = merge_reply(r, example, today=TODAY)
    assert missing_fields(m) == [] and m.platforms == ["meta", "tiktok"]
    assert m.budget is not None and m.budget.amount == 1500 and m.budget.period == "lifetime"
    assert [loc.name for loc in m.audience.locations] == ["Riyadh", "Jeddah"]
    assert m.theme == "ramadan" and m.audience.genders == ["female"]


@pytest.mark.parametrize("reply", ["1500 SAR, TikTok only", "١٥٠٠ ريال، تيك توك فقط", "TikTok, 1500"])
def test_one_reply_answers_budget_and_platforms(reply: str) -> None:
    r = base("Ramadan sale for women in Riyadh")
    m = merge_reply(r, reply, today=TODAY)
    assert m.platforms == ["tiktok"] and m.budget is not None
    assert (m.budget.amount, m.budget.currency) == (1500, "SAR") and m.missing == []
    assert m.audience.genders == ["female"] and [loc.name for loc in m.audience.locations] == ["Riyadh"]


@pytest.mark.parametrize("reply, platforms, publishers", [
    # A correction that names what goes out and what comes in swaps those two; TikTok stays.
    ("not Instagram, just Facebook", ["meta", "tiktok"], {"meta": ["facebook"]}),
    ("not Instagram, only Facebook", ["meta", "tiktok"], {"meta": ["facebook"]}),
    ("Facebook, not Instagram", ["meta", "tiktok"], {"meta": ["facebook"]}),
    ("no Instagram, Facebook instead", ["meta", "tiktok"], {"meta": ["facebook"]}),
    ("swap Instagram for Facebook", ["meta", "tiktok"], {"meta": ["facebook"]}),
    ("Facebook instead of Instagram", ["meta", "tiktok"], {"meta": ["facebook"]}),
    ("replace TikTok with Snapchat", ["meta", "snapchat"], {"meta": ["instagram"]}),
    ("not TikTok, just Snapchat", ["meta", "snapchat"], {"meta": ["instagram"]}),
    ("مو انستقرام، فيسبوك بس", ["meta", "tiktok"], {"meta": ["facebook"]}),
    ("سناب بدل تيك توك", ["meta", "snapchat"], {"meta": ["instagram"]}),
    # "only" that clearly speaks about the whole selection replaces it.
    ("just Facebook", ["meta"], {"meta": ["facebook"]}),
    ("Facebook only", ["meta"], {"meta": ["facebook"]}),
    ("only Facebook, not Instagram", ["meta"], {"meta": ["facebook"]}),
    ("TikTok only, not Instagram", ["tiktok"], {}),
    ("فيسبوك بس", ["meta"], {"meta": ["facebook"]}),
    # Negating something that is not selected corrects nothing: the named platform is the answer.
    ("not Snapchat, just Facebook", ["meta"], {"meta": ["facebook"]}),
])
def test_not_x_just_y_is_a_swap_unless_only_clearly_means_only(
    reply: str, platforms: list[str], publishers: dict[str, list[str]]
) -> None:
    m = merge_reply(base(), reply, today=TODAY)
    assert (m.platforms, m.publisher_platforms) == (platforms, publishers)
    assert m.budget == base().budget and m.missing == []


def test_swap_when_meta_meant_every_app() -> None:
    r = base("Meta and TikTok campaign, 1000 SAR, Riyadh")
    assert r.publisher_platforms == {}
    m = merge_reply(r, "not Instagram, just Facebook", today=TODAY)
    assert (m.platforms, m.publisher_platforms) == (["meta", "tiktok"], {"meta": ["facebook"]})
    m = merge_reply(base(), "not TikTok, just Meta", today=TODAY)
    assert (m.platforms, m.publisher_platforms) == (["meta"], {})


@pytest.mark.parametrize("reply, amount, platforms, publishers", [
    ("خلها ١٥٠٠ ريال", 1500, ["meta", "tiktok"], {"meta": ["instagram"]}),
    ("خليها ألفين", 2000, ["meta", "tiktok"], {"meta": ["instagram"]}),
    ("شيل تيك توك", 1000, ["meta"], {"meta": ["instagram"]}),
    ("أضف سناب", 1000, ["meta", "snapchat", "tiktok"], {"meta": ["instagram"]}),
    ("ضيف سناب شات", 1000, ["meta", "snapchat", "tiktok"], {"meta": ["instagram"]}),
    ("خلها ١٥٠٠ ريال وشيل تيك توك", 1500, ["meta"], {"meta": ["instagram"]}),
    ("١٥٠٠ ريال وأضف سناب", 1500, ["meta", "snapchat", "tiktok"], {"meta": ["instagram"]}),
])
def test_arabic_replies(reply: str, amount: int, platforms: list[str], publishers: dict[str, list[str]]) -> None:
    m = merge_reply(base(), reply, today=TODAY)
    assert m.budget is not None and (m.budget.amount, m.budget.currency) == (amount, "SAR")
    assert (m.platforms, m.publisher_platforms) == (platforms, publishers)
    assert m.theme == "ramadan" and m.audience.genders == ["female"]


def test_arabic_reply_to_arabic_question_with_daily_budget() -> None:
    r = base("حملة رمضان للنساء في الرياض")
    m = merge_reply(r, "٢٠٠ ريال يوميا على سناب", today=TODAY)
    assert m.budget is not None and (m.budget.amount, m.budget.period) == (200, "daily")
    assert m.platforms == ["snapchat"] and missing_fields(m) == []


def test_a_bare_amount_keeps_the_budgets_currency_and_period_when_it_answers() -> None:
    r = base("Snapchat, Riyadh, 100 AED per day")
    data = r.model_dump()
    data["missing"] = ["budget.amount"]  # as an open question about the amount leaves it
    asked = type(r).model_validate(data)
    m = merge_reply(asked, "150", today=TODAY)
    assert m.budget is not None and (m.budget.amount, m.budget.currency, m.budget.period) == (150, "AED", "daily")
    assert m.missing == []
