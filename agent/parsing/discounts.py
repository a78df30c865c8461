"""The offer's terms: a discount and a "from" price, read before the budget so neither is taken for the spend."""

from __future__ import annotations

import re
from decimal import Decimal

from agent.models import Offer, Span
from agent.parsing.lexicon import PRODUCT_STOP
from agent.parsing.money import currency_after, currency_before, resolve_currency
from agent.parsing.offer import AR_PRODUCT_STOP, is_value
from agent.parsing.scan import Hit, Scan

# All patterns run on the normalised text: lower case, Arabic letters folded (ى->ي, أ->ا), digits ASCII, ٪ -> %.
_PERCENT = re.compile(r"\s*(?:%|percent\b|per\s+cent\b|بالميه|بالمئه|بالمائه|في\s+الميه|في\s+المئه|في\s+المائه)")
# A percentage is a discount only beside a word that says so: "30% off", "خصم 30%", "discount of 25%".
_DISCOUNT_AFTER = re.compile(r"\s*(?:off\b|discount|sale\b|خصم|تخفيض)")
_DISCOUNT_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:off|discounts?|sale|save|saving|savings)|خصم|خصومات|تخفيض|تخفيضات|تنزيلات|وفر|وفري|عرض|عروض)"
    r"\s*(?:of|by|up\s+to|upto|بنسبه|يصل\s+الي|تصل\s+الي|حتي|الي|لين|لغايه)?\s*$"
)
_UP_TO = re.compile(r"(?:up\s+to|upto|يصل\s+الي|تصل\s+الي|حتي|لين|لغايه|الي)\s*$")
# A price is money said after a price word: "from 149 SAR", "starting at SAR 99", "ابتداءً من ١٤٩ ريال", "بسعر 99 ريال".
_PRICE_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:from|starting\s+(?:at|from)|starts?\s+at|priced\s+(?:at|from)|prices?\s+(?:from|start\s+at)"
    r"|price\s*(?:is|:|of)?|(?:for|at|now)\s+(?:only|just))"
    r"|(?<!\S)(?:(?:ابتداء|ابتداءا|بدءا|يبدا|تبدا|اسعار\s+تبدا|باسعار\s+تبدا)\s+)?من|(?<!\S)(?:بسعر|باسعار|السعر|الاسعار)"
    r"(?:\s+(?:من|ب))?)\s*:?\s*$"
)
_DAILY_AFTER = re.compile(r"\s*(?:/\s*(?:day|d)\b|per\s+day|a\s+day|daily|يوميا|باليوم|في\s+اليوم|كل\s+يوم)")
# Words of the offer itself, which end a product phrase as function words do.
_OFFER_WORDS = frozenset("off percent all our your shop buy get now price prices priced starting starts "
                         "ابتداء ابتداءا بدءا يبدا تبدا من بسعر باسعار سعر اسعار السعر الاسعار خصم تخفيض".split())
_EN_AFTER_DISCOUNT = re.compile(r"\s+(?:(?:on|for|of|across)\s+)?(?:(?:all|our|the|every|selected|your)\s+)*")
_AR_AFTER_DISCOUNT = re.compile(r"\s+(?:علي|لكل|ل|في)\s+(?:(?:جميع|كل|كافه)\s+)?")


def read_offer(scan: Scan, default_currency: str, countries: set[str],
               sources: dict[str, list[Span]]) -> tuple[Offer | None, tuple[str, Span] | None]:
    """The discount and "from" price the text states (their numbers marked used) and the product named with
    them ("30% off abayas", "خصم ٣٠٪ على العبايات", "abayas from 149 SAR"), if any."""
    spans: list[tuple[int, int]] = []
    product: tuple[int, int] | None = None
    discount, up_to = _discount(scan, spans)
    if discount is not None and spans:
        product = _words_after(scan, spans[-1][1])
    price = _price(scan, default_currency, countries, spans)
    if price is not None and product is None:
        product = _words_before(scan, spans[-1][0])
    if discount is None and price is None:
        return None, None
    sources["offer"] = [scan.span(s, e) for s, e in sorted(set(spans))]
    offer = Offer(discount_percent=discount, discount_up_to=up_to,
                  price=price[0] if price else None, currency=price[1] if price else None)
    if product is None:
        return offer, None
    span = scan.span(*product)
    return offer, (_without_preposition(span.text), span)


def _without_preposition(name: str) -> str:
    """"للعطور" (for the perfumes) names العطور: an Arabic product keeps its article, not the preposition."""
    for glued, article in (("لل", "ال"), ("بال", "ال"), ("وال", "ال"), ("فال", "ال")):
        if name.startswith(glued) and len(name) > len(glued) + 2:
            return article + name[len(glued):]
    return name


def _discount(scan: Scan, spans: list[tuple[int, int]]) -> tuple[int | None, bool]:
    text = scan.norm.text
    for num in scan.nums:
        percent = _PERCENT.match(text, num.end)
        if percent is None or num.value != num.value.to_integral_value() or not 1 <= num.value <= 95:
            continue
        before = text[max(0, num.start - 30):num.start]
        cue_before = _DISCOUNT_BEFORE.search(before)
        cue_after = _DISCOUNT_AFTER.match(text, percent.end())
        if cue_before is None and cue_after is None:
            continue
        num.used = True
        start = num.start - len(before) + cue_before.start() if cue_before else num.start
        end = cue_after.end() if cue_after else percent.end()
        spans.append((start, end))
        return int(num.value), bool(_UP_TO.search(before))
    return None, False


def _price(scan: Scan, default_currency: str, countries: set[str],
           spans: list[tuple[int, int]]) -> tuple[Decimal, str] | None:
    text = scan.norm.text
    budget_cues = [h for h in scan.hits if h.cat == "cue" and h.value == "budget"]
    for num in scan.nums:
        if num.used or num.value <= 0:
            continue
        after, before = currency_after(scan, num.end), currency_before(scan, num.start)
        currency = after or before
        if currency is None:
            continue  # a bare number after "from" is a date or an age far more often than a price
        head = before.start if after is None and before is not None else num.start
        tail = after.end if after is not None else num.end
        cue = _PRICE_BEFORE.search(text[max(0, head - 40):head])
        if cue is None or _DAILY_AFTER.match(text, tail):
            continue
        cue_start = head - len(text[max(0, head - 40):head]) + cue.start()
        if _near_budget_cue(text, budget_cues, cue_start, tail):
            continue  # "budget from 1000 SAR", "149 SAR budget": the spend, not a price
        num.used = True
        spans.append((cue_start, tail))
        return num.value, resolve_currency(str(currency.value), countries, default_currency)
    return None


def _near_budget_cue(text: str, cues: list[Hit], start: int, end: int) -> bool:
    """A budget word in the same clause, just before the price word ("budget from 1000 SAR") or just after
    the money ("149 SAR budget"), but not one that has an amount of its own ("بسعر 250 ريال والميزانية 4000")."""
    def same_clause(gap: str, most: int) -> bool:
        return len(gap) <= most and not re.search(r"[,;.،؛]", gap)

    return any((c.end <= start and same_clause(text[c.end:start], 20))
               or (c.start >= end and same_clause(text[end:c.start], 12)
                   and not re.match(r"[^\d,;.،؛]{0,15}\d", text[c.end:]))
               for c in cues)


def _phrase_words(scan: Scan, matches: list[re.Match[str]], offset: int) -> list[tuple[int, int]]:
    """Words of a product phrase up to the first function word or value (a place, a platform, a date)."""
    words: list[tuple[int, int]] = []
    for w in matches:
        word, start = w.group(0), offset + w.start()
        if (word in PRODUCT_STOP or word in AR_PRODUCT_STOP or word in _OFFER_WORDS or is_value(scan, start)
                or any(ch.isdigit() for ch in word)):
            break
        words.append((start, offset + w.end()))
    return words


def _words_after(scan: Scan, pos: int) -> tuple[int, int] | None:
    """The product after a discount: "30% off [abayas]", "خصم 30% على [العبايات]"."""
    text = scan.norm.text
    lead = _AR_AFTER_DISCOUNT.match(text, pos) or _EN_AFTER_DISCOUNT.match(text, pos)
    if lead is None:
        return None
    tail = re.match(r"[^\s,.;:!?،؛]+(?:\s+[^\s,.;:!?،؛]+){0,2}", text[lead.end():])
    if tail is None:
        return None
    words = _phrase_words(scan, list(re.finditer(r"\S+", tail.group(0))), lead.end())
    return (words[0][0], words[-1][1]) if words else None


def _words_before(scan: Scan, pos: int) -> tuple[int, int] | None:
    """The product before a price: "[abayas] from 149 SAR", "[العبايات] ابتداءً من ١٤٩ ريال"."""
    text = scan.norm.text
    head = re.search(r"(?:[^\s,.;:!?،؛%\d]+\s+){1,2}$", text[max(0, pos - 40):pos])
    if head is None:
        return None
    offset = pos - len(text[max(0, pos - 40):pos]) + head.start()
    matches = list(re.finditer(r"\S+", head.group(0)))
    words = list(reversed(_phrase_words(scan, list(reversed(matches)), offset)))
    return (words[0][0], words[-1][1]) if words else None
