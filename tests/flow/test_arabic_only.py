"""An Arabic speaker reads Arabic only: every line of an Arabic conversation in the terminal, scanned for Latin words.

Allowed: brand names, URLs and file paths, the ad account's own name (the platform's data), and the English ads'
copy (the marketer asked for ads in both languages; that copy is the product under review, not our words).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import Any

import pytest
from latin_scan import latin_words, user_data_phrases

from agent.localize import money_text, slot_label
from agent.parsing.gazetteer import PLACES
from agent.place_names import ARABIC_PLACE_NAMES
from agent.planning import COUNTRY_NAMES
from agent.platform_rules.snapchat import CITY_REGIONS
from bot.console import run_chat, run_demo
from bot.services import open_services
from bot.settings import Settings

ARABIC_REQUEST = "أبغى حملة انستغرام وتيك توك لتخفيضات رمضان بميزانية 1000 ريال للنساء 25-40 في الرياض"


async def _user_data_phrases(settings: Settings) -> list[str]:
    async with open_services(settings) as services:
        return await user_data_phrases(services)


async def test_arabic_demo_shows_no_latin_words(settings: Settings) -> None:
    shown: list[str] = []
    code = await run_demo(settings, ARABIC_REQUEST, as_json=False, say=shown.append)
    assert code == 0, "\n".join(shown[-30:])
    text = "\n".join(shown)
    assert "تخفيضات رمضان" in text and "نساء 25-34، الرياض" in text  # Arabic names for the campaign and audience
    assert money_text(1000, "SAR", "ar") in text and "SAR" not in text
    assert latin_words(shown, await _user_data_phrases(settings)) == []


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[list[str], list[str]]]:
    """The terminal's keyboard: scripted answers to `input`, and every question it was asked (shown too)."""
    answers: list[str] = []
    asked: list[str] = []

    def fake_input(prompt: str = "") -> str:
        asked.append(prompt)
        if not answers:
            raise EOFError
        return answers.pop(0)

    monkeypatch.setattr(builtins, "input", fake_input)
    yield answers, asked


async def test_arabic_chat_shows_no_latin_words(settings: Settings, typed: tuple[list[str], list[str]]) -> None:
    answers, asked = typed
    answers.extend([
        ARABIC_REQUEST,
        "نعم",  # connect in the sandbox
        "إعادة 2",  # regenerate the second asset shown (the Arabic square image), by its number
        "تعديل 1 العنوان=ليالي رمضان معنا أحلى",  # edit the Arabic headline in Arabic words
        "موافقة",
        "1",  # approve and publish
        "",  # no further campaign
    ])
    shown: list[str] = []
    code = await run_chat(settings, resume=None, say=shown.append)
    assert code == 0 and not answers, "\n".join(shown[-30:])
    text = "\n".join(shown)
    assert slot_label("image:ar:1x1", "ar") in text  # "Regenerating ..." names the asset as people do
    assert "ليالي رمضان معنا أحلى" in text
    assert "«تخفيضات رمضان 2027»: تعمل" in text  # the final summary, in Arabic, without our campaign id
    # The first question comes before anyone's language is known: it is asked in both; every later one in Arabic.
    assert latin_words(shown + asked[1:], await _user_data_phrases(settings)) == []


def test_every_place_the_plan_can_name_has_an_arabic_name() -> None:
    names = {p.name for p in PLACES} | set(CITY_REGIONS.values()) | set(COUNTRY_NAMES.values())
    assert sorted(names - set(ARABIC_PLACE_NAMES)) == []


def test_slot_labels_are_human() -> None:
    labels: dict[str, Any] = {s: (slot_label(s, "ar"), slot_label(s, "en"))
                              for s in ("copy:ar", "copy:en", "image:ar:1x1", "image:en:4x5", "video:ar", "voice:en")}
    assert labels["copy:ar"] == ("النص العربي", "Arabic copy")
    assert labels["image:ar:1x1"][0].startswith("صورة مربعة") and labels["image:en:4x5"][1].startswith("Portrait")
    assert not any(":" in ar.replace("(9:16)", "").replace("(4:5)", "") for ar, _ in labels.values())


def test_places_in_arabic_sentences_are_arabic() -> None:
    from agent import messages as msg

    _, ar = msg.text("location_widened", platform=msg.Bi("Snapchat", "سناب شات"), location="Jeddah",
                     wider="Makkah Province", ad_set=msg.Bi("ad squad", "المجموعة الإعلانية"))
    assert "جدة" in ar and "منطقة مكة المكرمة" in ar and latin_words([ar]) == []
