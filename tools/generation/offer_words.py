"""How an offer is worded in the creative's language: the discount label and the price with its currency."""

from __future__ import annotations

from decimal import Decimal

# How Gulf shoppers read each currency after an Arabic price (the ISO code stays on English creative).
_CURRENCY_AR = {
    "SAR": "ر.س",
    "AED": "د.إ",
    "KWD": "د.ك",
    "QAR": "ر.ق",
    "BHD": "د.ب",
    "OMR": "ر.ع",
    "EGP": "ج.م",
    "USD": "دولار",
}


def format_price(price: Decimal, currency: str, language: str) -> str:
    """149 SAR as the creative writes it: "SAR 149" in English, "149 ر.س" in Arabic (no float ever)."""
    amount = (
        price.quantize(Decimal(1)) if price == price.to_integral_value() else price.quantize(Decimal("0.01"))
    )
    number = f"{amount:,}"
    code = currency.upper()
    if language.startswith("ar"):
        return f"{number} {_CURRENCY_AR.get(code, code)}"
    return f"{code} {number}"


def discount_label(percent: int, language: str, up_to: bool = False) -> str:
    """"30% OFF" / "خصم 30%"; "UP TO 50% OFF" / "خصم حتى 50%" when the text said "up to" (an honest claim)."""
    if language.startswith("ar"):
        return f"خصم حتى {percent}%" if up_to else f"خصم {percent}%"
    return f"UP TO {percent}% OFF" if up_to else f"{percent}% OFF"


# An edited Arabic headline may write the discount in Arabic-Indic digits: "٣٠٪" states "30%" too.
_WESTERN_DIGITS = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                                 **{chr(0x06F0 + i): str(i) for i in range(10)}, "٪": "%"})


def states_discount(text: str, percent: int) -> bool:
    """Whether `text` (a headline) already says the discount: a creative then says it once, not twice."""
    return f"{percent}%" in text.translate(_WESTERN_DIGITS)
