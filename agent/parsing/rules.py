"""Deterministic bilingual (English/Arabic) parser: one instruction in, a CampaignRequest with sources out.

Conventions a reader of the output needs (decisions, not accidents):
- Budget: an amount with a currency (code, name or symbol, either side), or a bare amount next to a
  budget word ("budget 5000", "بميزانيه ٥٠٠٠"); no currency -> the workspace default. Daily when a
  daily cue touches it ("per day", "/day", "يوميا", "daily budget"), else lifetime.
- Ages: "25-40", "between 25 and 40", "من 25 الي 40" -> 25..40; "25+", "over/above 25", "فوق 25" -> min 25;
  "under/below 35", "اقل من 35" -> max 34 (strictly under); "up to 45" -> max 45. Clamped to 13..65.
- Dates without a year: the next occurrence on or after `today`. "DD/MM" is day first (Gulf usage).
  A bare duration ("for 7 days") sets duration_days only; the start is the flow's to choose, unless an
  occasion or a start date anchors it. "next week" starts on the next Sunday (the Gulf working week).
- Occasions set the theme and, when the text gives no dates, the schedule (see occasions.py).
- languages default to ["ar", "en"] (the audience is in the Arab world); creative_types default to
  image, video and voice (everything the generator can make) unless the text narrows them.
- missing: "budget" and/or "platforms" (the flow cannot go on without them).
- Extensions, present only when the text says them: `placements` (placements.py) and
  `message_destination` (messaging.py). `offer` (discounts.py) is always printed, null when the text
  states no discount or "from" price; its numbers are never the budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from agent.models import Audience, CampaignRequest, Span
from agent.parsing.analysis import Analysis
from agent.parsing.audience import read_ages, read_genders, read_languages, read_locations
from agent.parsing.dates import build_schedule, read_dates, read_duration, with_season
from agent.parsing.discounts import read_offer
from agent.parsing.hijri_phrases import read_hijri_dates
from agent.parsing.lexicon import CURRENCY_SYMBOLS
from agent.parsing.messaging import read_message_destination
from agent.parsing.money import read_budget
from agent.parsing.offer import (
    read_creative_types,
    read_landing_url,
    read_objective,
    read_product,
    read_theme,
)
from agent.parsing.placements import read_placements
from agent.parsing.platforms import read_platforms
from agent.parsing.scan import consume_numbers, mark_percent, scan_text
from agent.parsing.text import input_language, normalise
from agent.parsing.weekend import read_weekend


def parse_instruction(text: str, *, today: date, default_currency: str = "SAR") -> CampaignRequest:
    """Parse one campaign instruction (English, Arabic or mixed) into a CampaignRequest."""
    return analyse(text, today=today, default_currency=default_currency).request


@dataclass(frozen=True, slots=True)
class TextFacts:
    """What a text states, read as the parser reads it: the yardstick for values proposed by the LLM."""

    numbers: frozenset[Decimal]  # digits in either script, separators, decimals, "2.5k", "5 آلاف", number words
    months: frozenset[int]  # months named by word
    currencies: frozenset[str]  # ISO codes the text names or could mean ("riyal" -> SAR, QAR, OMR)


_NUMERIC_DATE = re.compile(r"(?<![\d.,])(\d{1,2})[/-](\d{1,2})(?:[/-](\d{2,4}))?(?![\d,.])")
_CURRENCY_FAMILIES = {"riyal": ("SAR", "QAR", "OMR"), "dinar": ("KWD", "BHD", "JOD", "IQD"), "pound": ("EGP", "GBP")}


def text_facts(text: str) -> TextFacts:
    scan = scan_text(normalise(text))
    months = frozenset(int(h.value) for h in scan.hits if h.cat == "month")  # type: ignore[call-overload]
    currencies: set[str] = {code for symbol, code in CURRENCY_SYMBOLS.items() if symbol in text}
    for h in scan.hits:
        if h.cat == "currency":
            currencies.update(_CURRENCY_FAMILIES.get(str(h.value), (str(h.value),)))
    # Numeric dates ("1/4", "5-3-2025") give their day and month, whatever the number reader made of them.
    digits = {Decimal(d) for m in _NUMERIC_DATE.finditer(scan.norm.text) for d in m.groups() if d}
    return TextFacts(frozenset(n.value for n in scan.nums) | digits, months, frozenset(currencies))


def analyse(text: str, *, today: date, default_currency: str = "SAR") -> Analysis:
    """parse_instruction plus the negations and edit cues a thread reply needs."""
    norm = normalise(text)
    scan = scan_text(norm)
    sources: dict[str, list[Span]] = {}
    analysis = Analysis(CampaignRequest())

    url, url_span = read_landing_url(scan)
    if url_span is not None:
        consume_numbers(scan, url_span[0], url_span[1])
    mark_percent(scan)

    # The order matters: places come first (their countries resolve "riyal" and "national day"), and each
    # reader marks the numbers it takes, so a date's day or an age is not read again as a duration or budget.
    places = read_locations(scan, analysis, sources)
    countries = {loc.country_code for loc in places}
    hijri = read_hijri_dates(scan, today)
    weekend = read_weekend(scan, today)
    schedule_info = with_season(read_dates(scan, today, sources), hijri, weekend)
    ages = read_ages(scan, sources)
    duration = read_duration(scan, sources)
    # A discount and a "from" price are read before the budget: "30% off abayas from 149 SAR" is not a spend.
    offer, offer_product = read_offer(scan, default_currency, countries, sources)
    budget = read_budget(scan, default_currency, countries, analysis, sources)
    platforms, publishers = read_platforms(scan, analysis, sources)
    theme, window = read_theme(scan, today, countries, sources)
    genders = read_genders(scan, analysis, sources)
    objective = read_objective(scan, theme, sources)
    languages = read_languages(scan, sources)
    creative = read_creative_types(scan, objective, sources)
    product = read_product(scan, sources)
    if product is None and offer_product is not None:
        product, product_span = offer_product
        sources["product"] = [product_span]
    placements = read_placements(scan, sources)
    destination = read_message_destination(scan, sources)
    extensions: dict[str, object] = {"placements": placements} if placements else {}
    if destination is not None:
        # A chat is the goal, whatever else the words hint at; WhatsApp ads are Meta's.
        objective = "engagement"
        sources["objective"] = list(sources["message_destination"])
        extensions["message_destination"] = destination
        if destination == "messenger" and "messenger" in publishers.get("meta", []):
            # The chat opens in Messenger: the ads still show on Facebook and Instagram, not in its inbox.
            apps = [p for p in publishers["meta"] if p != "messenger"]
            publishers = {"meta": apps} if apps else {}
            if not apps:
                sources.pop("publisher_platforms", None)
        if not platforms and destination == "whatsapp":
            platforms = ["meta"]
            sources["platforms"] = list(sources["message_destination"])
    if url is not None and url_span is not None:
        sources["landing_url"] = [scan.span(*url_span)]

    schedule = build_schedule(schedule_info, duration, window)
    spans = list(schedule_info.spans)
    if duration:
        spans.append(duration[1])
    if window and schedule_info.start is None and schedule_info.end is None:
        spans += sources.get("theme", [])
    if spans:
        sources["schedule"] = spans

    missing = [name for name, absent in (("budget", budget is None), ("platforms", not platforms)) if absent]
    analysis.cues = {str(h.value) for h in scan.hits if h.cat == "cue"}
    if "only" in analysis.cues:
        analysis.only_at = next(h.start for h in scan.hits if h.cat == "cue" and h.value == "only")
    analysis.request = CampaignRequest(
        platforms=platforms,  # type: ignore[arg-type]
        publisher_platforms=publishers,  # type: ignore[arg-type]
        objective=objective,  # type: ignore[arg-type]
        theme=theme,
        budget=budget,
        schedule=schedule,
        audience=Audience(genders=genders, age_min=ages[0], age_max=ages[1], locations=places),  # type: ignore[arg-type]
        languages=languages,
        creative_types=creative,  # type: ignore[arg-type]
        product=product,
        landing_url=url,
        offer=offer,
        missing=missing,
        input_language=input_language(text),  # type: ignore[arg-type]
        sources=sources,
        **extensions,
    )
    return analysis
