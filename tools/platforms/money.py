"""Money at the platform edge: exact Decimal conversion to and from each platform's wire units."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision, is_currency

from tools.platforms.base import Money

# Meta's own offset table (developers.facebook.com/docs/marketing-api/currencies). It is NOT the ISO 4217
# exponent: HUF/TWD/COP/IDR/CRC are ISO 2-decimal but Meta counts them in whole units, and BHD/JOD are
# ISO 3-decimal but Meta lists them at offset 100. Currencies Meta does not list (KWD, OMR, ...) fall back
# to the ISO exponent, so a KWD amount is never silently rounded.
META_OFFSET_1 = frozenset({"CLP", "COP", "CRC", "HUF", "IDR", "ISK", "JPY", "KRW", "PYG", "TWD", "VND"})
META_OFFSET_100 = frozenset(
    {
        "AED", "ARS", "AUD", "BDT", "BGN", "BHD", "BOB", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "DZD",
        "EGP", "EUR", "GBP", "GTQ", "HKD", "HNL", "HRK", "ILS", "INR", "JOD", "KES", "LTL", "LVL", "MOP",
        "MXN", "MYR", "NGN", "NIO", "NOK", "NZD", "PEN", "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB",
        "SAR", "SEK", "SGD", "SKK", "THB", "TRY", "UAH", "USD", "UYU", "VEF", "VES", "ZAR",
    }
)  # fmt: skip
SNAPCHAT_MICRO = 1_000_000


class MoneyError(ValueError):
    """An amount the platform cannot represent exactly (too fine, negative, unknown currency)."""


def _currency(code: str) -> str:
    code = code.upper()
    if len(code) != 3 or not is_currency(code):
        raise MoneyError(f"unknown ISO 4217 currency {code!r}")
    return code


def iso_exponent(currency: str) -> int:
    """Digits after the decimal point in ISO 4217 (SAR 2, KWD 3, JPY 0)."""
    return int(get_currency_precision(_currency(currency)))


def meta_offset(currency: str) -> int:
    """Meta minor units per major unit for this currency."""
    code = _currency(currency)
    if code in META_OFFSET_1:
        return 1
    if code in META_OFFSET_100:
        return 100
    return int(10 ** iso_exponent(code))


def _exact(amount: Decimal, factor: int, what: str) -> int:
    scaled = amount * factor
    if scaled != scaled.to_integral_value():
        raise MoneyError(f"{amount} is finer than {what} allows")
    return int(scaled)


def _check(money: Money) -> tuple[Decimal, str]:
    try:
        amount = Decimal(money.amount)
    except (InvalidOperation, TypeError) as exc:
        raise MoneyError(f"not an amount: {money.amount!r}") from exc
    if not amount.is_finite() or amount < 0:
        raise MoneyError(f"amount must be a finite non-negative number, got {amount}")
    code = _currency(money.currency)
    # Nothing finer than the currency's own smallest unit is ever sent, whatever the platform's unit.
    _exact(amount, 10 ** iso_exponent(code), f"{code} (ISO 4217 exponent {iso_exponent(code)})")
    return amount, code


def to_wire(money: Money, platform: str) -> int | float | str:
    """Meta: int minor units by Meta's offset; TikTok: float major units; Snapchat: int micro units."""
    amount, code = _check(money)
    if platform == "meta":
        return _exact(amount, meta_offset(code), f"Meta's {code} offset {meta_offset(code)}")
    if platform == "tiktok":
        # float() of a Decimal with <= 3 decimals round-trips through JSON's shortest repr exactly.
        value = float(amount)
        if Decimal(repr(value)) != amount:
            raise MoneyError(f"{amount} {code} cannot be sent exactly as a JSON number")
        return value
    if platform == "snapchat":
        return _exact(amount, SNAPCHAT_MICRO, "Snapchat micro units")
    raise MoneyError(f"unknown platform {platform!r}")


def from_wire(value: int | float | str, currency: str, platform: str) -> Decimal:
    """The inverse of `to_wire` for budget fields (Meta minor, TikTok major, Snapchat micro)."""
    code = _currency(currency)
    try:
        raw = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except InvalidOperation as exc:
        raise MoneyError(f"not a wire amount: {value!r}") from exc
    if platform == "meta":
        return raw / meta_offset(code)
    if platform == "tiktok":
        return raw
    if platform == "snapchat":
        return raw / SNAPCHAT_MICRO
    raise MoneyError(f"unknown platform {platform!r}")


def to_money(value: int | float | str, currency: str, platform: str) -> Money:
    return Money(amount=from_wire(value, currency, platform), currency=_currency(currency))
