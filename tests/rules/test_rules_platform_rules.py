"""Platform rule data: minimums per currency, age expression, currency pegs, category detection."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agent.platform_rules import rules_for
from agent.platform_rules import tiktok as tiktok_rules
from agent.platform_rules.currency import convert, usd_minimum_in
from agent.platform_rules.special_categories import detect


@pytest.mark.parametrize(
    ("platform", "currency", "objective", "minimum"),
    [
        ("tiktok", "SAR", "sales", "75.00"),  # $20 x 3.75
        ("tiktok", "AED", "sales", "73.45"),  # $20 x 3.6725
        ("tiktok", "QAR", "sales", "72.80"),
        ("tiktok", "KWD", "sales", "6.140"),  # $20 x 0.307, three decimals
        ("tiktok", "BHD", "sales", "7.520"),
        ("tiktok", "OMR", "sales", "7.690"),
        ("tiktok", "USD", "sales", "20.00"),
        ("tiktok", "EGP", "sales", None),  # floating currency: unknown, not guessed
        ("meta", "SAR", "sales", "18.75"),  # $5 clicks tier x 3.75 (USD tier for every currency: conservative)
        ("meta", "SAR", "app_installs", "150.00"),  # $40 low-frequency tier
        ("meta", "USD", "traffic", "5.00"),  # USD group: $5 clicks tier
        ("meta", "KWD", "sales", "1.535"),  # $5 x 0.307, rounded up to 3 decimals
        ("snapchat", "SAR", "sales", "5.00"),  # 5,000,000 micro in every currency
        ("snapchat", "KWD", "sales", "5.000"),
    ],
)
def test_ad_set_daily_minimums(platform: str, currency: str, objective: str, minimum: str | None) -> None:
    got = rules_for(platform).ad_set_min_daily(currency, objective)
    assert got == (Decimal(minimum) if minimum is not None else None)
    if got is not None:
        assert str(got) == minimum  # scale = the currency's minor unit


def test_tiktok_campaign_minimum_is_kept_as_data() -> None:
    assert rules_for("tiktok").campaign_min("SAR", "daily") == Decimal("187.50")
    assert rules_for("meta").campaign_min("SAR", "daily") is None


@pytest.mark.parametrize(
    ("ages", "groups", "expressed"),
    [
        ((25, 40), ["AGE_25_34", "AGE_35_44"], (25, 44)),
        ((18, 24), ["AGE_18_24"], (18, 24)),
        ((13, 17), ["AGE_13_17"], (13, 17)),
        ((30, 65), ["AGE_25_34", "AGE_35_44", "AGE_45_54", "AGE_55_100"], (25, None)),
        ((25, None), ["AGE_25_34", "AGE_35_44", "AGE_45_54", "AGE_55_100"], (25, None)),
        ((None, None), [], (None, None)),
    ],
)
def test_tiktok_age_groups(
    ages: tuple[int | None, int | None], groups: list[str], expressed: tuple[int | None, int | None]
) -> None:
    assert tiktok_rules.age_groups_for(*ages) == groups
    assert rules_for("tiktok").express_ages(*ages) == expressed


def test_pegs_convert_and_round_up_minimums() -> None:
    assert usd_minimum_in(Decimal("2.50"), "SAR") == Decimal("9.38")
    assert convert(Decimal("1000"), "SAR", "AED") == Decimal("979.33")
    assert convert(Decimal("100"), "SAR", "KWD") == Decimal("8.187")
    assert convert(Decimal("100"), "SAR", "EGP") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Off-plan apartments in Dubai Marina", {"housing"}),
        ("فلل فاخرة للبيع", {"housing"}),
        ("والشقق المفروشة", {"housing"}),  # conjunction + article attached
        ("Join our team: careers at Almarai", {"employment"}),
        ("فرص عمل للسعوديين", {"employment"}),
        ("Car finance with 0% down", {"credit"}),
        ("التمويل الشخصي بدون كفيل", {"credit"}),
        ("Mortgage for your first home", {"credit"}),
        ("Ramadan sale on perfumes", set()),
        ("تخفيضات اليوم الوطني على العطور", set()),
        ("Pay in 4 instalments with Tabby", set()),  # BNPL at checkout is retail, not a credit ad
    ],
)
def test_special_category_words(text: str, expected: set[str]) -> None:
    assert set(detect([text])) == expected


def test_rules_for_unknown_platform() -> None:
    with pytest.raises(KeyError):
        rules_for("myspace")
    for name in ("meta", "tiktok", "snapchat"):
        rules = rules_for(name)
        assert rules.platform == name and set(rules.objectives) >= {"sales", "traffic", "awareness"}
