"""Issue 17's measured parsing failures: "friday 1500", reversed ages, youth words, placements, chat objectives."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from agent.parsing import merge_reply, parse_instruction
from agent.validation import validate_request

TODAY = date(2026, 12, 6)


def parse(text: str):
    return parse_instruction(text, today=TODAY)


def test_friday_before_the_amount_is_not_a_daily_budget() -> None:
    r = parse("Instagram and TikTok campaign for black friday 1500 SAR women 25-40 in Riyadh")
    assert r.budget is not None and (r.budget.amount, r.budget.period) == (Decimal(1500), "lifetime")
    assert r.theme == "black_friday"


@pytest.mark.parametrize("text", ["TikTok daily budget 200 SAR", "TikTok 200 SAR per day", "TikTok يوميا 200 ريال",
                                  "TikTok day budget 200 SAR"])
def test_daily_cues_still_make_a_daily_budget(text: str) -> None:
    r = parse(text)
    assert r.budget is not None and (r.budget.amount, r.budget.period) == (Decimal(200), "daily")


@pytest.mark.parametrize("text", ["Instagram women 45-25 1000 SAR", "انستقرام نساء ٤٥-٢٥ ١٠٠٠ ريال"])
def test_a_reversed_age_range_is_sorted(text: str) -> None:
    r = parse(text)
    assert (r.audience.age_min, r.audience.age_max) == (25, 45)
    assert r.budget is not None and r.budget.amount == 1000


@pytest.mark.parametrize("text, words", [
    ("سناب للشباب في الرياض ١٠٠٠ ريال", "للشباب"),
    ("Snapchat young people in Riyadh 1000 SAR", "young people"),
    ("TikTok for the youth of Jeddah, 1000 SAR", "youth"),
])
def test_youth_words_are_ages_18_to_34_with_a_note(text: str, words: str) -> None:
    r = parse(text)
    assert (r.audience.age_min, r.audience.age_max) == (18, 34)
    assert [s.text for s in r.sources["audience.age_min"]] == [words]
    notes = [i for i in validate_request(r, today=TODAY, default_landing_url="https://x.sa") if i.code == "ages_assumed"]
    assert len(notes) == 1 and notes[0].severity == "info"
    assert words in notes[0].message_en and "18-34" in notes[0].message_en
    assert words in notes[0].message_ar and "18-34" in notes[0].message_ar
    changed = merge_reply(r, "ages 25-40", today=TODAY)
    assert (changed.audience.age_min, changed.audience.age_max) == (25, 40)
    assert not [i for i in validate_request(changed, today=TODAY, default_landing_url="https://x.sa")
                if i.code == "ages_assumed"]


def test_numbers_beat_youth_words() -> None:
    r = parse("اعلان سناب للشباب والبنات من ١٨ إلى ٢٥ في الكويت ٣٠٠ دينار")
    assert (r.audience.age_min, r.audience.age_max) == (18, 25)
    assert not [i for i in validate_request(r, today=TODAY, default_landing_url="https://x.sa")
                if i.code == "ages_assumed"]


@pytest.mark.parametrize("text, placements", [
    ("Instagram Reels only, 1000 SAR", ["reels"]),
    ("Instagram stories + reels, 1000 SAR", ["stories", "reels"]),
    ("Facebook feed ads, 1000 SAR", ["feed"]),
    ("انستقرام ستوري وريلز ١٠٠٠ ريال", ["stories", "reels"]),
    ("Instagram explore and feed, 1000 SAR", ["feed", "explore"]),
])
def test_placements_are_carried_in_the_request(text: str, placements: list[str]) -> None:
    r = parse(text)
    assert r.contract_dict()["placements"] == placements
    assert r.sources["placements"]


def test_no_placement_words_keep_the_contract_shape() -> None:
    out = parse("Instagram 1000 SAR in Riyadh").contract_dict()
    assert "placements" not in out and "message_destination" not in out
    assert "placements" not in parse("Instagram, no stories, 1000 SAR").contract_dict()


def test_a_reply_sets_placements() -> None:
    r = parse("Instagram 1000 SAR in Riyadh")
    merged = merge_reply(r, "Reels only", today=TODAY)
    assert merged.contract_dict()["placements"] == ["reels"]
    assert merged.platforms == ["meta"] and merged.budget == r.budget


@pytest.mark.parametrize("text, destination, platforms, publishers", [
    ("Instagram WhatsApp messages, 1000 SAR", "whatsapp", ["meta"], {"meta": ["instagram"]}),
    ("حملة واتساب بميزانية ١٠٠٠ ريال", "whatsapp", ["meta"], {}),
    ("Messenger messages campaign, 1000 SAR", "messenger", ["meta"], {}),
    ("Facebook ads so people message us on Messenger, 1000 SAR", "messenger", ["meta"], {"meta": ["facebook"]}),
    ("TikTok and Instagram, get WhatsApp chats, 3000 SAR", "whatsapp", ["meta", "tiktok"], {"meta": ["instagram"]}),
])
def test_chat_requests_get_a_messaging_objective(text: str, destination: str, platforms: list[str],
                                                 publishers: dict[str, list[str]]) -> None:
    r = parse(text)
    out = r.contract_dict()
    assert out["objective"] == "engagement"
    assert out["message_destination"] == destination
    assert r.platforms == platforms and r.publisher_platforms == publishers
    assert r.missing == []


def test_chat_notes_per_platform() -> None:
    r = parse("Instagram, TikTok and Snapchat WhatsApp messages, 3000 SAR in Riyadh")
    issues = {i.code: i for i in validate_request(r, today=TODAY, default_landing_url="https://x.sa")}
    assert issues["chat_objective"].platform == "meta"
    unavailable = issues["chat_objective_unavailable"]
    assert unavailable.severity == "warning"
    assert "TikTok" in unavailable.message_en and "Snapchat" in unavailable.message_en
    assert "traffic" in unavailable.message_en and "واتساب" in unavailable.message_ar
