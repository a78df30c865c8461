"""Money conversion per currency and platform: exact, and refusing amounts finer than the currency."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tools.platforms.base import Money
from tools.platforms.money import MoneyError, from_wire, meta_offset, to_wire


@pytest.mark.parametrize(
    ("currency", "meta", "tiktok", "snapchat"),
    [
        ("SAR", 100, 1.0, 1_000_000),
        ("AED", 100, 1.0, 1_000_000),
        ("USD", 100, 1.0, 1_000_000),
        ("KWD", 1000, 1.0, 1_000_000),  # not in Meta's table: ISO exponent 3
        ("OMR", 1000, 1.0, 1_000_000),
        ("BHD", 100, 1.0, 1_000_000),  # Meta's table lists BHD at offset 100
        ("JPY", 1, 1.0, 1_000_000),
    ],
)
def test_one_unit_on_each_platform(currency: str, meta: int, tiktok: float, snapchat: int) -> None:
    one = Money(Decimal("1"), currency)
    assert to_wire(one, "meta") == meta
    assert to_wire(one, "tiktok") == tiktok
    assert to_wire(one, "snapchat") == snapchat
    for platform in ("meta", "tiktok", "snapchat"):
        assert from_wire(to_wire(one, platform), currency, platform) == Decimal("1")


def test_sar_budget_values() -> None:
    budget = Money(Decimal("150.25"), "SAR")
    assert to_wire(budget, "meta") == 15025
    assert to_wire(budget, "tiktok") == 150.25
    assert to_wire(budget, "snapchat") == 150_250_000
    assert from_wire("15025", "SAR", "meta") == Decimal("150.25")
    assert from_wire(150_250_000, "SAR", "snapchat") == Decimal("150.25")


def test_kwd_three_decimals_exact() -> None:
    budget = Money(Decimal("12.345"), "KWD")
    assert to_wire(budget, "meta") == 12345
    assert to_wire(budget, "tiktok") == 12.345
    assert to_wire(budget, "snapchat") == 12_345_000


@pytest.mark.parametrize(
    ("amount", "currency", "platform"),
    [("1.005", "SAR", "meta"), ("1.005", "SAR", "tiktok"), ("1.005", "SAR", "snapchat"), ("1.5", "JPY", "meta"),
     ("1.0001", "KWD", "snapchat"), ("1.005", "BHD", "meta"), ("-1", "SAR", "meta"), ("1", "XXQ", "meta")],
)  # fmt: skip
def test_rejects_what_cannot_be_exact(amount: str, currency: str, platform: str) -> None:
    with pytest.raises(MoneyError):
        to_wire(Money(Decimal(amount), currency), platform)


def test_meta_zero_decimal_table_differs_from_iso() -> None:
    assert meta_offset("HUF") == 1 and meta_offset("TWD") == 1 and meta_offset("SAR") == 100
