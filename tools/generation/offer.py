"""The offer on a creative: discount, price and product, worded in the creative's language."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from tools.generation.text import language_key, localize_product

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


class Offer(BaseModel):
    """What a sale creative promises. Money is a Decimal with its currency, never a float."""

    discount_percent: int | None = Field(default=None, ge=1, le=95)
    price: Decimal | None = Field(default=None, gt=0)
    currency: str | None = None  # ISO 4217, required with a price

    @property
    def empty(self) -> bool:
        return self.discount_percent is None and self.price is None


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


def discount_label(percent: int, language: str) -> str:
    return f"خصم {percent}%" if language.startswith("ar") else f"{percent}% OFF"


def product_line(product: str | None, offer: Offer | None, language: str, register: str = "gulf") -> str:
    """ "Abayas from SAR 149" / "العبايات ابتداءً من 149 ر.س": the product slot, with the price when known."""
    name = localize_product(product, language_key(language, register)) if product else None
    if language.startswith("en") and name:
        name = name[:1].upper() + name[1:]
    price = (
        format_price(offer.price, offer.currency, language)
        if offer is not None and offer.price is not None and offer.currency
        else None
    )
    if language.startswith("ar"):
        if name and price:
            return f"{name} ابتداءً من {price}"
        return name or (f"ابتداءً من {price}" if price else "")
    if name and price:
        return f"{name} from {price}"
    return name or (f"From {price}" if price else "")
