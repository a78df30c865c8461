"""Focused table tests for parse_instruction: numbers, money, dates, occasions, platforms, audience, sources."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from agent.parsing import parse_instruction

TODAY = date(2025, 1, 10)
SEED = "Create Instagram and TikTok campaign for Ramadan sale with 1000 SAR budget targeting women 25-40 in Riyadh"


def parse(text: str, today: date = TODAY, currency: str = "SAR"):
    return parse_instruction(text, today=today, default_currency=currency)


def test_seed_sentence() -> None:
    r = parse(SEED)
    assert r.platforms == ["meta", "tiktok"]
    assert r.publisher_platforms == {"meta": ["instagram"]}
    assert (r.theme, r.objective) == ("ramadan", "sales")
    assert r.budget is not None and (r.budget.amount, r.budget.currency, r.budget.period) == (1000, "SAR", "lifetime")
    assert r.audience.genders == ["female"] and (r.audience.age_min, r.audience.age_max) == (25, 40)
    assert [(loc.name, loc.kind, loc.country_code) for loc in r.audience.locations] == [("Riyadh", "city", "SA")]
    assert r.languages == ["ar", "en"] and r.missing == [] and r.input_language == "en"


@pytest.mark.parametrize("text, amount, currency, period", [
    ("TikTok 1,000 SAR", Decimal(1000), "SAR", "lifetime"),
    ("TikTok ١٬٥٠٠ ريال", Decimal(1500), "SAR", "lifetime"),
    ("TikTok 2.5k AED", Decimal(2500), "AED", "lifetime"),
    ("TikTok 20K", Decimal(20000), "SAR", "lifetime"),
    ("TikTok 99.5 USD per day", Decimal("99.5"), "USD", "daily"),
    ("TikTok $300/day", Decimal(300), "USD", "daily"),
    ("TikTok daily budget of 250", Decimal(250), "SAR", "daily"),
    ("سناب بميزانية ألف ريال", Decimal(1000), "SAR", "lifetime"),
    ("سناب بألفين ريال", Decimal(2000), "SAR", "lifetime"),
    ("سناب ٣ آلاف ريال", Decimal(3000), "SAR", "lifetime"),
    ("سناب خمسمية ريال يوميا", Decimal(500), "SAR", "daily"),
    ("سناب ميه ريال في اليوم", Decimal(100), "SAR", "daily"),
    ("سناب ألف وخمسمية ريال", Decimal(1500), "SAR", "lifetime"),
    ("سناب عشرين ألف ريال", Decimal(20000), "SAR", "lifetime"),
    ("سناب ٥٠٠ ر.س", Decimal(500), "SAR", "lifetime"),
    ("سناب ٥٠٠ درهم", Decimal(500), "AED", "lifetime"),
    ("سناب ٢٠٠ دينار كويتي", Decimal(200), "KWD", "lifetime"),
    ("سناب ٥٠٠٠ جنيه", Decimal(5000), "EGP", "lifetime"),
    ("Snapchat 500 ﷼", Decimal(500), "SAR", "lifetime"),
    ("Snapchat 800 QAR", Decimal(800), "QAR", "lifetime"),
    ("Snapchat 80 BHD", Decimal(80), "BHD", "lifetime"),
    ("Snapchat 90 OMR", Decimal(90), "OMR", "lifetime"),
    ("Snapchat €400", Decimal(400), "EUR", "lifetime"),
])
def test_money(text: str, amount: Decimal, currency: str, period: str) -> None:
    b = parse(text).budget
    assert b is not None
    assert (b.amount, b.currency, b.period) == (amount, currency, period)


def test_default_currency_and_percent_is_not_budget() -> None:
    b = parse("Instagram sale 30% off, budget 900", currency="AED").budget
    assert b is not None and (b.amount, b.currency) == (900, "AED")
    assert parse("Instagram 30% off").budget is None


@pytest.mark.parametrize("text, age_min, age_max", [
    ("women 25-40", 25, 40), ("ages 18 to 24", 18, 24), ("between 30 and 45", 30, 45), ("25+", 25, None),
    ("over 30", 30, None), ("above 21", 21, None), ("under 35", None, 34), ("up to 45", None, 45),
    ("18 and above", 18, None), ("من ٢٥ إلى ٤٠", 25, 40), ("بين 20 و 30", 20, 30), ("فوق ٣٠ سنة", 30, None),
    ("أقل من ٣٥", None, 34), ("+18", 18, None), ("ages 18-70", 18, 65), ("for 10-20 days", None, None),
])
def test_ages(text: str, age_min: int | None, age_max: int | None) -> None:
    r = parse(f"TikTok 1000 SAR {text}")
    assert (r.audience.age_min, r.audience.age_max) == (age_min, age_max)


@pytest.mark.parametrize("text, start, end, days", [
    ("for 7 days", None, None, 7), ("for two weeks", None, None, 14), ("for a month", None, None, 30),
    ("لمدة أسبوع", None, None, 7), ("لمدة أسبوعين", None, None, 14), ("لمدة شهر", None, None, 30),
    ("لمدة ١٠ ايام", None, None, 10), ("from March 1 to March 15", "2025-03-01", "2025-03-15", 15),
    ("1-15 April", "2025-04-01", "2025-04-15", 15), ("April 1-10", "2025-04-01", "2025-04-10", 10),
    ("من ١ مارس إلى ١٥ مارس", "2025-03-01", "2025-03-15", 15), ("من 1 الى 10 ابريل", "2025-04-01", "2025-04-10", 10),
    ("starting March 5 for 2 weeks", "2025-03-05", "2025-03-18", 14), ("starting tomorrow", "2025-01-11", None, None),
    ("from 5/2 to 20/2", "2025-02-05", "2025-02-20", 16), ("2025-02-01 to 2025-02-10", "2025-02-01", "2025-02-10", 10),
    ("Jan 5 to Jan 8", "2026-01-05", "2026-01-08", 4), ("Dec 28 - Jan 3", "2025-12-28", "2026-01-03", 7),
    ("من ١ آذار حتى ٢٠ آذار", "2025-03-01", "2025-03-20", 20), ("in March", "2025-03-01", "2025-03-31", 31),
])
def test_schedule(text: str, start: str | None, end: str | None, days: int | None) -> None:
    s = parse(f"Snapchat 1000 SAR {text}").schedule
    assert (str(s.start_date) if s.start_date else None, str(s.end_date) if s.end_date else None, s.duration_days) == \
        (start, end, days)


@pytest.mark.parametrize("text, today, theme, start, end", [
    ("Ramadan sale", date(2025, 1, 10), "ramadan", "2025-03-01", "2025-03-29"),
    ("Ramadan sale", date(2025, 3, 10), "ramadan", "2025-03-10", "2025-03-29"),
    ("Ramadan sale", date(2025, 4, 1), "ramadan", "2026-02-18", "2026-03-19"),
    ("تخفيضات رمضان", date(2025, 1, 10), "ramadan", "2025-03-01", "2025-03-29"),
    ("Eid al-Fitr", date(2025, 1, 10), "eid_al_fitr", "2025-03-30", "2025-04-01"),
    ("عيد الأضحى", date(2025, 1, 10), "eid_al_adha", "2025-06-06", "2025-06-09"),
    ("Eid", date(2025, 5, 1), "eid_al_adha", "2025-06-06", "2025-06-09"),
    ("White Friday", date(2025, 1, 10), "white_friday", "2025-11-28", "2025-11-28"),
    ("Black Friday", date(2026, 1, 10), "black_friday", "2026-11-27", "2026-11-27"),
    ("اليوم الوطني", date(2025, 10, 1), "saudi_national_day", "2026-09-23", "2026-09-23"),
    ("يوم التأسيس", date(2025, 1, 10), "founding_day", "2025-02-22", "2025-02-22"),
    ("summer collection", date(2025, 1, 10), "summer", None, None),
])
def test_occasions(text: str, today: date, theme: str, start: str | None, end: str | None) -> None:
    r = parse(f"Snapchat 1000 SAR {text}", today=today)
    assert r.theme == theme
    assert (str(r.schedule.start_date) if r.schedule.start_date else None,
            str(r.schedule.end_date) if r.schedule.end_date else None) == (start, end)


def test_explicit_dates_beat_the_occasion_window() -> None:
    s = parse("Ramadan campaign on Snapchat from March 10 to March 20, 1000 SAR").schedule
    assert (s.start_date, s.end_date) == (date(2025, 3, 10), date(2025, 3, 20))


@pytest.mark.parametrize("text, platforms, publishers", [
    ("Instagram", ["meta"], {"meta": ["instagram"]}), ("Facebook and Instagram", ["meta"], {"meta": ["facebook", "instagram"]}),
    ("Meta", ["meta"], {}), ("all platforms", ["meta", "snapchat", "tiktok"], {}),
    ("not Instagram, just Facebook", ["meta"], {"meta": ["facebook"]}),
    ("all platforms except Snapchat", ["meta", "tiktok"], {}), ("TikTok, no Snapchat", ["tiktok"], {}),
    ("انستقرام وتيك توك", ["meta", "tiktok"], {"meta": ["instagram"]}), ("انستغرام", ["meta"], {"meta": ["instagram"]}),
    ("سناب", ["snapchat"], {}), ("فيسبوك", ["meta"], {"meta": ["facebook"]}), ("كل المنصات ما عدا تيك توك", ["meta", "snapchat"], {}),
    ("بدون سناب ولا تيك توك، فيس بوك بس", ["meta"], {"meta": ["facebook"]}), ("instagarm", ["meta"], {"meta": ["instagram"]}),
    ("tik-tok", ["tiktok"], {}), ("snap chat", ["snapchat"], {}),
])
def test_platforms(text: str, platforms: list[str], publishers: dict[str, list[str]]) -> None:
    r = parse(f"{text}, 1000 SAR")
    assert r.platforms == platforms
    assert r.publisher_platforms == publishers


@pytest.mark.parametrize("text, genders", [
    ("women", ["female"]), ("ladies", ["female"]), ("للنساء", ["female"]), ("السيدات", ["female"]),
    ("البنات", ["female"]), ("men", ["male"]), ("للرجال", ["male"]), ("men and women", []), ("للجنسين", []),
    ("Mother's Day gifts", []),
])
def test_genders(text: str, genders: list[str]) -> None:
    assert parse(f"TikTok 1000 SAR {text}").audience.genders == genders


@pytest.mark.parametrize("text, expected", [
    ("Riyadh", [("Riyadh", "city", "SA")]), ("بالرياض", [("Riyadh", "city", "SA")]), ("جدة", [("Jeddah", "city", "SA")]),
    ("Jeddah and Dammam", [("Jeddah", "city", "SA"), ("Dammam", "city", "SA")]),
    ("المنطقة الشرقية", [("Eastern Province", "region", "SA")]), ("KSA", [("Saudi Arabia", "country", "SA")]),
    ("عمّان", [("Amman", "city", "JO")]), ("عمان", [("Oman", "country", "OM")]), ("Cairo", [("Cairo", "city", "EG")]),
    ("Beirut", [("Beirut", "city", "LB")]),
])
def test_locations(text: str, expected: list[tuple[str, str, str]]) -> None:
    locs = parse(f"TikTok 1000 SAR {text}").audience.locations
    assert [(loc.name, loc.kind, loc.country_code) for loc in locs] == expected


def test_gcc_expands_to_six_countries() -> None:
    locs = parse("TikTok 1000 SAR GCC").audience.locations
    assert [loc.country_code for loc in locs] == ["SA", "AE", "KW", "QA", "BH", "OM"]
    assert all(loc.kind == "country" for loc in locs)


@pytest.mark.parametrize("text, objective", [
    ("summer sale", "sales"), ("20% discount", "sales"), ("تخفيضات", "sales"), ("عرض خاص", "sales"),
    ("drive website visits", "traffic"), ("launch of our new store", "awareness"), ("brand awareness", "awareness"),
    ("app installs", "app_installs"), ("lead generation", "leads"), ("more followers", "engagement"),
    ("video views", "video_views"), ("a campaign", None),
])
def test_objective(text: str, objective: str | None) -> None:
    assert parse(f"TikTok 1000 SAR {text}").objective == objective


@pytest.mark.parametrize("text, languages, creative", [
    ("", ["ar", "en"], ["image", "video", "voice"]), ("Arabic only", ["ar"], ["image", "video", "voice"]),
    ("English only", ["en"], ["image", "video", "voice"]), ("بالعربي فقط", ["ar"], ["image", "video", "voice"]),
    ("video only", ["ar", "en"], ["video"]), ("no voiceover", ["ar", "en"], ["image", "video"]),
    ("صور فقط", ["ar", "en"], ["image"]), ("images and video", ["ar", "en"], ["image", "video"]),
])
def test_languages_and_creatives(text: str, languages: list[str], creative: list[str]) -> None:
    r = parse(f"TikTok 1000 SAR {text}")
    assert r.languages == languages
    assert r.creative_types == creative


def test_landing_url_product_and_missing() -> None:
    r = parse("Promote our new oud perfume, landing page https://shop.example.sa/oud.")
    assert r.landing_url == "https://shop.example.sa/oud"
    assert r.product == "oud perfume"
    assert r.missing == ["budget", "platforms"]
    assert parse("Instagram, see www.shop.sa").landing_url == "https://www.shop.sa"


def test_input_language() -> None:
    assert parse("حملة سناب بميزانية ألف ريال").input_language == "ar"
    assert parse(SEED).input_language == "en"


def test_sources_point_into_the_text() -> None:
    text = "حملة على انستقرام بميزانية ١٠٠٠ ريال للنساء في جدة لمدة أسبوع"
    r = parse(text)
    for field in ("platforms", "budget", "audience.genders", "audience.locations", "schedule"):
        assert field in r.sources, field
        for span in r.sources[field]:
            assert text[span.start:span.end] == span.text
    assert [s.text for s in r.sources["audience.locations"]] == ["جدة"]
    assert "١٠٠٠" in [s.text for s in r.sources["budget"]]


def test_diacritics_do_not_break_offsets() -> None:
    text = "حملةٌ على سنابْ بميزانيةِ ٥٠٠ ريالٍ يوميًا"
    r = parse(text)
    assert r.budget is not None and r.budget.period == "daily"
    for spans in r.sources.values():
        for span in spans:
            assert text[span.start:span.end] == span.text


def test_empty_and_junk_inputs() -> None:
    for text in ("", "   ", "؟؟؟", "1234567890", "💥🔥"):
        r = parse(text)
        assert r.missing == ["budget", "platforms"] or r.budget is not None
