"""The offer in an instruction: discounts and "from" prices, in English and Arabic (either digit set), never
taken for the budget; and a reply that changes part of it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from agent.parsing import describe_changes, merge_reply, parse_instruction

TODAY = date(2026, 12, 5)

# text, offer (discount, up to, price, currency) or None, budget amount or None, product or None
CASES: list[tuple[str, tuple[int | None, bool, int | None, str | None] | None, int | None, str | None]] = [
    ("1000 SAR budget on Instagram for Ramadan, 30% off abayas from 149 SAR", (30, False, 149, "SAR"), 1000, "abayas"),
    ("حملة رمضان على سناب بميزانية ١٠٠٠ ريال خصم ٣٠٪ على العبايات ابتداءً من ١٤٩ ريال",
     (30, False, 149, "SAR"), 1000, "العبايات"),
    ("حملة رمضان على سناب بميزانية 1000 ريال خصم 30% على العبايات ابتداءً من 149 ريال",
     (30, False, 149, "SAR"), 1000, "العبايات"),
    ("TikTok, abayas from SAR 149, 1,500 SAR", (None, False, 149, "SAR"), 1500, "abayas"),
    ("Instagram: up to 50% off shoes, 2000 SAR", (50, True, None, None), 2000, "shoes"),
    ("تخفيضات تصل الى 70% على الأحذية في سناب بميزانية 5000", (70, True, None, None), 5000, "الأحذية"),
    ("سناب، عبايات بسعر ٩٩ ريال، الميزانية ٣٠٠٠ ريال", (None, False, 99, "SAR"), 3000, "عبايات"),
    ("خصم 25 بالمية على العطور عبر تيك توك والميزانية 2000 ريال", (25, False, None, None), 2000, "العطور"),
    ("TikTok ads for our perfume starting at 199 AED with a 3000 AED budget in Dubai",
     (None, False, 199, "AED"), 3000, "perfume"),
    ("Sale campaign with 20% off on TikTok, 3000 SAR", (20, False, None, None), 3000, None),
    ("Black Friday: everything 40% off! TikTok 10k SAR", (40, False, None, None), 10000, None),
    ("عرض ٢٠٪ على الساعات بسناب ٣٠٠٠ ريال", (20, False, None, None), 3000, "الساعات"),
    # The budget word after the price has its own amount: it is the budget's, not a sign the price is one.
    ("ابغى اعلان تيك توك للعطور بسعر 250 ريال والميزانية 4000", (None, False, 250, "SAR"), 4000, "العطور"),
    ("Snap, abayas at just 99 SAR budget 3000", (None, False, 99, "SAR"), 3000, "abayas"),
    ("TikTok, only 149 SAR budget", None, 149, None),
    # A price with no budget is a price, and the budget is asked for.
    ("Snapchat ad: abayas from 149 SAR", (None, False, 149, "SAR"), None, "abayas"),
    # Not offers: a percentage without a discount word, dates and budgets after "from", a budget "from".
    ("Put 60% of the budget on TikTok and the rest on Snapchat, 2000 SAR", None, 2000, None),
    ("Campaign on Facebook from 10 to 20 February, 1000 SAR", None, 1000, None),
    ("حملة سناب ابتداءً من ١ مارس لمدة شهر بميزانية ٩٠٠٠ ريال", None, 9000, None),
    ("budget from 1000 SAR on tiktok", None, 1000, None),
    ("Snapchat campaign, 400 SAR per day, from 5/2 to 20/2", None, 400, None),
]


@pytest.mark.parametrize(("text", "offer", "budget", "product"), CASES, ids=[c[0][:40] for c in CASES])
def test_offer_table(text: str, offer: tuple[Any, ...] | None, budget: int | None, product: str | None) -> None:
    request = parse_instruction(text, today=TODAY)
    out = request.contract_dict()
    if offer is None:
        assert out["offer"] is None, out["offer"]
    else:
        discount, up_to, price, currency = offer
        assert out["offer"] == {"discount_percent": discount, "discount_up_to": up_to, "price": price,
                                "currency": currency}
        assert request.sources["offer"], "the offer's words are its source"
    assert (out["budget"] or {}).get("amount") == budget
    assert ("budget" in out["missing"]) == (budget is None)
    assert out["product"] == product


def test_the_price_is_a_decimal_with_its_currency_and_a_json_number() -> None:
    request = parse_instruction("Instagram, 1000 SAR, abayas from 149.50 SAR", today=TODAY)
    assert request.offer is not None and str(request.offer.price) == "149.50" and request.offer.currency == "SAR"
    assert request.contract_dict()["offer"]["price"] == 149.5


def test_a_reply_changes_only_the_part_of_the_offer_it_names() -> None:
    request = parse_instruction("Instagram, 1000 SAR, 30% off abayas from 149 SAR", today=TODAY)
    merged = merge_reply(request, "make it 40% off", today=TODAY)
    assert merged.offer is not None
    assert (merged.offer.discount_percent, merged.offer.price) == (40, 149)
    assert merged.budget is not None and merged.budget.amount == 1000
    assert describe_changes(request, merged) == ["Offer: 30% off, from 149 SAR -> 40% off, from 149 SAR"]
    arabic = merge_reply(request, "خلها خصم حتى ٥٠٪", today=TODAY)
    assert arabic.offer is not None and (arabic.offer.discount_percent, arabic.offer.discount_up_to) == (50, True)
    assert arabic.budget == request.budget
