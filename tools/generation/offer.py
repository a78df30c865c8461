"""The offer on a creative: discount, price and product, worded in the creative's language."""

from __future__ import annotations

from tools.generation.base import Offer
from tools.generation.offer_words import discount_label, format_price, states_discount
from tools.generation.text import language_key, localize_product

__all__ = ["Offer", "discount_label", "format_price", "product_line"]


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


def offer_title(
    offer: Offer | None, product: str | None, language: str, register: str = "gulf", headline: str = ""
) -> str | None:
    """What the video's offer scene shows big, saying what the hook (the headline) has not: the discount
    ("30% OFF", "خصم 30%"), else the "from" price ("Abayas from SAR 149", or "From SAR 149" when the headline
    named the product); None without an offer, or when the headline has said all of it."""
    if offer is None or offer.empty:
        return None
    if offer.discount_percent is not None and not states_discount(headline, offer.discount_percent):
        return discount_label(offer.discount_percent, language, offer.discount_up_to)
    if offer.price is None or not offer.currency:
        return None
    said = headline.casefold()
    if format_price(offer.price, offer.currency, language).casefold() in said:
        return None
    name = localize_product(product, language_key(language, register)) if product else None
    named = name is not None and name.casefold() in said
    return product_line(None if named or offer.discount_percent is not None else product, offer, language, register)
