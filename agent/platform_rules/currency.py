"""Currency facts for budget rules: minor units (from babel) and fixed USD pegs for converting minimums."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision

# Units of each currency per 1 USD. Platforms publish most minimums in USD only ("convert to your
# currency"), so we convert with these official pegs rather than a live rate: the check must be
# deterministic and offline, and for pegged currencies the peg *is* the rate. KWD is pegged to an
# undisclosed basket, so 0.307 is approximate; JOD is pegged at 0.709. A currency missing here
# (EGP floats, for one) has no known minimum and validation says so instead of guessing.
USD_PEGS: dict[str, Decimal] = {
    "USD": Decimal("1"),
    "SAR": Decimal("3.75"),
    "AED": Decimal("3.6725"),
    "QAR": Decimal("3.64"),
    "BHD": Decimal("0.376"),
    "OMR": Decimal("0.3845"),
    "KWD": Decimal("0.307"),
    "JOD": Decimal("0.709"),
}


def minor_digits(currency: str) -> int:
    """Decimal places of the currency's minor unit (KWD, BHD, OMR, JOD: 3; SAR: 2)."""
    return int(get_currency_precision(currency))


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_digits(currency))


def round_down(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(quantum(currency), rounding=ROUND_FLOOR)


def round_up(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(quantum(currency), rounding=ROUND_CEILING)


def round_nearest(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def usd_minimum_in(amount_usd: Decimal, currency: str) -> Decimal | None:
    """A USD minimum in `currency`, rounded UP so it is never understated; None if the rate is unknown."""
    rate = USD_PEGS.get(currency)
    if rate is None:
        return None
    return round_up(amount_usd * rate, currency)


def convert(amount: Decimal, from_currency: str, to_currency: str) -> Decimal | None:
    """Convert through USD with the pegs, rounded to the target's minor unit; None if a rate is unknown."""
    if from_currency == to_currency:
        return amount
    src, dst = USD_PEGS.get(from_currency), USD_PEGS.get(to_currency)
    if src is None or dst is None:
        return None
    return round_nearest(amount / src * dst, to_currency)
