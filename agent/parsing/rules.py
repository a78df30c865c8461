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
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from agent.models import Audience, Budget, CampaignRequest, Location, Schedule, Span
from agent.parsing import occasions
from agent.parsing.gazetteer import COUNTRY_BY_CODE, PLACES
from agent.parsing.lexicon import (
    AR_PREFIXES,
    AR_SUFFIXES,
    CURRENCY_SYMBOLS,
    DEFAULT_CREATIVE_TYPES,
    LOOKUP,
    META_PUBLISHERS,
    MONTH_WORDS,
    PLATFORM_OF,
    PRODUCT_STOP,
    UNIT_DAYS,
    fuzzy_key,
)
from agent.parsing.numbers import (
    AR_NUMBER_PHRASE,
    EN_NUMBER_PHRASE,
    NUMBER_WORD_HEADS,
    NUMERIC,
    ar_words_value,
    en_words_value,
    numeric_value,
)
from agent.parsing.text import TOKEN, Normalised, fold, input_language, normalise

# ---------------------------------------------------------------------------------------------- scanning


@dataclass(slots=True)
class Hit:
    cat: str
    value: object
    start: int  # offsets in the normalised text
    end: int
    ti: int  # first token index
    tj: int  # token index after the last token
    key: str


@dataclass(slots=True)
class Num:
    value: Decimal
    start: int
    end: int
    used: bool = False
    scaled: bool = False  # "2k", "5 آلاف", "عشرين ألف": sizes people use for money, not ages or days


@dataclass(slots=True)
class Scan:
    norm: Normalised
    tokens: list[tuple[int, int, str]]
    starts: list[int]
    hits: list[Hit]
    by_token: list[list[Hit]]
    nums: list[Num]

    def text(self) -> str:
        return self.norm.text

    def span(self, start: int, end: int) -> Span:
        o_start, o_end = self.norm.span(start, end)
        # Offsets come from the text itself: no validation needed on this hot path.
        return Span.model_construct(start=o_start, end=o_end, text=self.norm.original[o_start:o_end])

    def token_at(self, pos: int) -> int:
        """Index of the first token starting at or after pos."""
        return bisect_left(self.starts, pos)

    def cues_in(self, ti: int, tj: int) -> set[str]:
        found: set[str] = set()
        for k in range(max(ti, 0), min(tj, len(self.tokens))):
            for hit in self.by_token[k]:
                if hit.cat == "cue":
                    found.add(str(hit.value))
        return found

    def hits_of(self, cat: str) -> list[Hit]:
        return [h for h in self.hits if h.cat == cat]


_AR_START = "\u0600"


@lru_cache(maxsize=65536)
def _candidates(token: str, first: bool, last: bool) -> tuple[str, ...]:
    """The token and, for Arabic, the token without attached prefixes (first) / suffixes (last)."""
    out = [token]
    if token[0] >= _AR_START:
        if first:
            out += [token[len(p):] for p in AR_PREFIXES if token.startswith(p) and len(token) - len(p) >= 2]
        if last:
            out += [c[: -len(s)] for c in list(out) for s in AR_SUFFIXES if c.endswith(s) and len(c) - len(s) >= 3]
    return tuple(out)


# Longest phrase that starts with a given word: most words start none, so most positions try one lookup.
_MULTI_N: dict[str, int] = {}
for _key in LOOKUP:
    _words = _key.split(" ")
    if len(_words) > 1:
        _MULTI_N[_words[0]] = max(_MULTI_N.get(_words[0], 1), len(_words))


@lru_cache(maxsize=65536)
def _longest(word: str) -> int:
    return max((_MULTI_N.get(h, 1) for h in _candidates(word, True, False)), default=1)


@lru_cache(maxsize=65536)
def _lookup_single(word: str) -> tuple[str, list[tuple[str, object]]] | None:
    for cand in _candidates(word, True, True):
        entries = LOOKUP.get(cand)
        if entries:
            return cand, entries
    fuzzy = fuzzy_key(word)
    if fuzzy is not None:
        return fuzzy, [(c, v) for c, v in LOOKUP[fuzzy] if c in ("platform", "place", "occasion")]
    return None


def _lookup_multi(words: list[str]) -> tuple[str, list[tuple[str, object]]] | None:
    heads = _candidates(words[0], True, False)
    tails = _candidates(words[-1], True, True)
    middle = " ".join(words[1:-1])
    for head in heads:
        if head not in _MULTI_N:
            continue
        for tail in tails:
            key = f"{head} {tail}" if len(words) == 2 else f"{head} {middle} {tail}"
            entries = LOOKUP.get(key)
            if entries:
                return key, entries
    return None


def _scan(norm: Normalised) -> Scan:
    text = norm.text
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    hits: list[Hit] = []
    by_token: list[list[Hit]] = [[] for _ in tokens]
    i = 0
    n_tokens = len(tokens)
    while i < n_tokens:
        word = tokens[i][2]
        found: tuple[str, list[tuple[str, object]]] | None = None
        n = 1
        for n in range(min(_longest(word), n_tokens - i), 1, -1):
            found = _lookup_multi([t[2] for t in tokens[i:i + n]])
            if found:
                break
        if not found:
            n = 1
            found = _lookup_single(word)
        if found:
            key, entries = found
            for cat, value in entries:
                hit = Hit(cat, value, tokens[i][0], tokens[i + n - 1][1], i, i + n, key)
                hits.append(hit)
                for k in range(i, i + n):
                    by_token[k].append(hit)
        i += n
    return Scan(norm, tokens, [t[0] for t in tokens], hits, by_token, _numbers(text, tokens))


_AR_MULT_AFTER = re.compile(r"\s*(?:ب|و)?(الاف|الف|مليون)(?!\w)")
_EN_MULT_AFTER = re.compile(r"\s*(thousand|million)\b")


def _numbers(text: str, tokens: list[tuple[int, int, str]]) -> list[Num]:
    nums: list[Num] = []
    for m in NUMERIC.finditer(text):
        value = numeric_value(m.group("int"), m.group("frac"), m.group("suffix"))
        if value is None:
            continue
        end = m.end()
        # "5 الاف", "2.5 thousand": a digit amount scaled by a word.
        mult = _AR_MULT_AFTER.match(text, end) or _EN_MULT_AFTER.match(text, end)
        if mult and not m.group("suffix"):
            value *= 1_000_000 if mult.group(1) in ("مليون", "million") else 1000
            end = mult.end()
        nums.append(Num(value, m.start(), end, scaled=bool(m.group("suffix") or mult)))
    has_ar_words = has_en_words = False
    for _, _, word in tokens:
        if word in NUMBER_WORD_HEADS or (word[0] in "وبلف" and word[1:] in NUMBER_WORD_HEADS):
            has_ar_words = has_ar_words or word[0] >= _AR_START
            has_en_words = has_en_words or word[0] < _AR_START
    if has_ar_words:
        for m in AR_NUMBER_PHRASE.finditer(text):
            value = ar_words_value(m.group(0))
            if value is not None and not _overlaps(nums, m.start(), m.end()):
                nums.append(Num(value, m.start(), m.end(), scaled=value >= 100))
        # Words glued to a preposition: "بالف ريال", "وخمسميه".
        for m in re.finditer(r"(?<!\w)[وبلف](" + AR_NUMBER_PHRASE.pattern[7:] + ")", text):
            value = ar_words_value(m.group(1))
            if value is not None and not _overlaps(nums, m.start(1), m.end(1)):
                nums.append(Num(value, m.start(1), m.end(1), scaled=value >= 100))
    if has_en_words:
        for m in EN_NUMBER_PHRASE.finditer(text):
            value = en_words_value(m.group(0))
            if value is not None and not _overlaps(nums, m.start(), m.end()):
                nums.append(Num(value, m.start(), m.end(), scaled=value >= 100))
    nums.sort(key=lambda n: n.start)
    return nums


def _overlaps(nums: list[Num], start: int, end: int) -> bool:
    return any(n.start < end and start < n.end for n in nums)


# ---------------------------------------------------------------------------------------------- parse


@dataclass
class Analysis:
    """Everything parse_instruction found, including what merge_reply needs beyond the request."""

    request: CampaignRequest
    platforms_negated: set[str] = field(default_factory=set)
    publishers_negated: set[str] = field(default_factory=set)
    cues: set[str] = field(default_factory=set)
    locations_negated: list[Location] = field(default_factory=list)
    period_only: str | None = None  # "daily"/"lifetime" said without an amount
    bare_amount: Decimal | None = None  # a lone number (a reply to "what budget?")
    bare_amount_span: Span | None = None
    genders_all: bool = False  # "men and women", "everyone": an explicit "all genders"
    negation_at: int | None = None  # offset of the first negated platform or Meta app (in the folded text)
    only_at: int | None = None  # offset of the first "only"/"just"/"بس" cue


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
    scan = _scan(normalise(text))
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
    scan = _scan(norm)
    sources: dict[str, list[Span]] = {}
    analysis = Analysis(CampaignRequest())

    url, url_span = _landing_url(scan)
    if url_span is not None:
        _consume_numbers(scan, url_span[0], url_span[1])
    _mark_percent(scan)

    places = _locations(scan, analysis, sources)
    countries = {loc.country_code for loc in places}
    schedule_info = _dates(scan, today, sources)
    ages = _ages(scan, sources)
    duration = _duration(scan, sources)
    budget = _budget(scan, default_currency, countries, analysis, sources)
    platforms, publishers = _platforms(scan, analysis, sources)
    theme, window = _theme(scan, today, countries, sources)
    genders = _genders(scan, analysis, sources)
    objective = _objective(scan, theme, sources)
    languages = _languages(scan, sources)
    creative = _creative(scan, objective, sources)
    product = _product(scan, sources)
    if url is not None and url_span is not None:
        sources["landing_url"] = [scan.span(*url_span)]

    schedule = _schedule(schedule_info, duration, window)
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
        missing=missing,
        input_language=input_language(text),  # type: ignore[arg-type]
        sources=sources,
    )
    return analysis


# ---------------------------------------------------------------------------------------------- fields

_URL = re.compile(
    r"(?:https?://[^\s,;،\"'<>)]+|www\.[^\s,;،\"'<>)]+"
    r"|(?<![\w@.])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|sa|ae|net|org|store|shop|co|io|me|app|qa|kw|eg|jo|bh|om"
    r"|online|site|info|biz|ly|link)(?:\.[a-z]{2})?(?![a-z0-9-])(?:/[^\s,;،\"'<>)]*)?)",
    re.IGNORECASE,
)


def _landing_url(scan: Scan) -> tuple[str | None, tuple[int, int] | None]:
    if "." not in scan.norm.text:
        return None, None
    m = _URL.search(scan.norm.text)
    if not m:
        return None, None
    start, end = m.start(), m.end()
    while end > start and scan.norm.text[end - 1] in ".!?:":
        end -= 1
    o_start, o_end = scan.norm.span(start, end)
    url = scan.norm.original[o_start:o_end]
    if not url.lower().startswith(("http://", "https://")):
        url = "https://" + url  # a bare domain is still where the ad should land; make it a usable URL
    # Tokens inside the URL must not read as platforms or places ("instagram.com/shop").
    scan.hits = [h for h in scan.hits if not (h.start >= start and h.end <= end)]
    for k, (t_start, t_end, _) in enumerate(scan.tokens):
        if t_start >= start and t_end <= end:
            scan.by_token[k] = []
    return url, (start, end)


def _consume_numbers(scan: Scan, start: int, end: int) -> None:
    for n in scan.nums:
        if n.start >= start and n.end <= end:
            n.used = True


def _mark_percent(scan: Scan) -> None:
    text = scan.norm.text
    for n in scan.nums:
        rest = text[n.end:n.end + 10].lstrip()
        if rest.startswith(("%", "percent", "بالميه", "بالمئه", "بالمائه", "في المئه", "في المائه")):
            n.used = True


def _place_location(index: int) -> Location:
    return _LOCATIONS[index].model_copy()


_LOCATIONS: tuple[Location, ...] = tuple(
    Location(name=p.name, kind=p.kind, country_code=p.country_code) for p in PLACES  # type: ignore[arg-type]
)


def _negated(scan: Scan, hit: Hit, window: int = 3) -> bool:
    """A negation cue within `window` tokens before the hit, with no other value in between."""
    for k in range(hit.ti - 1, max(hit.ti - 1 - window, -1), -1):
        for other in scan.by_token[k]:
            if other.cat == "cue" and other.value == "neg":
                return True
            if other.cat == "cue" and other.value == "only":
                return False
            if other.cat in ("platform", "place", "gender", "creative", "language", "group", "currency"):
                return False
    return False


def _locations(scan: Scan, analysis: Analysis, sources: dict[str, list[Span]]) -> list[Location]:
    out: list[Location] = []
    spans: list[Span] = []
    has_jordan = any(h.cat == "place" and PLACES[int(h.value)].country_code == "JO"  # type: ignore[call-overload]
                     for h in scan.hits)
    for hit in scan.hits:
        if hit.cat == "place":
            index = int(hit.value)  # type: ignore[call-overload]
            if PLACES[index].name == "Oman" and hit.key == "عمان":
                o_start, o_end = scan.norm.span(hit.start, hit.end)
                # "عمّان" (with shadda) is Amman; a bare "عمان" next to Jordan is Amman too.
                if "\u0651" in scan.norm.original[o_start:o_end] or has_jordan:
                    index = next(i for i, p in enumerate(PLACES) if p.name == "Amman")
            found = [_place_location(index)]
        elif hit.cat == "group":
            found = [_place_location(PLACES.index(COUNTRY_BY_CODE[c])) for c in hit.value]  # type: ignore[attr-defined]
        else:
            continue
        if _negated(scan, hit):
            analysis.locations_negated += found
            continue
        for loc in found:
            if loc not in out:
                out.append(loc)
        spans.append(scan.span(hit.start, hit.end))
    if spans:
        sources["audience.locations"] = spans
    return out


# Dates ------------------------------------------------------------------------------------------------

_ORDINAL = r"(?:st|nd|rd|th|ال)?"
_DAY_BEFORE = re.compile(r"(?<![\d.,/])(\d{1,2})" + _ORDINAL + r"\s*(?:of\s+|من\s+)?(?:شهر\s+)?$")
_DAY_AFTER = re.compile(r"^\s*,?\s*(?:the\s+)?(\d{1,2})" + _ORDINAL + r"(?!\d|[.,:]\d|\s*(?:k\b|%|\$))")
_YEAR_AFTER = re.compile(r"^\s*,?\s*(20\d\d)(?!\d)")
_RANGE_DAY_BEFORE = re.compile(
    r"(?<![\d.,/])(\d{1,2})" + _ORDINAL + r"\s*(?:-|to|till|until|through|thru|الي|حتي|لين|لغايه|ل|و)\s*$"
)
_RANGE_DAY_AFTER = re.compile(
    r"^\s*(?:-|to|till|until|through|thru|الي|حتي|لين|لغايه)\s*(?:the\s+)?(\d{1,2})" + _ORDINAL + r"(?![\d/.])"
)
_ISO = re.compile(r"(?<!\d)(20\d\d)-(\d{1,2})-(\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<![\d/.])(\d{1,2})(?:/(\d{1,2})(?:/(20\d\d|\d\d))?|\.(\d{1,2})\.(20\d\d))(?![\d/.])")
_END_CUE_BEFORE = re.compile(r"(?:until|till|til|through|thru|to|ending|ends|end|by|الي|حتي|لين|لغايه|لحد|تنتهي|ينتهي)"
                             r"(?:\s+on)?\s*$")
_RANGE_SEP = re.compile(r"^\s*(?:-|to|till|until|through|thru|and|الي|حتي|لين|لغايه|و|ل)\s*$")
_IN_MONTH = re.compile(r"(?:\bin|\bduring|\bthroughout|\bfor the month of|\ball of|(?<!\w)في|(?<!\w)خلال|(?<!\w)طوال|"
                       r"(?<!\w)شهر)\s*$")


def _resolve(day: int, month: int, year: int | None, today: date, after: date | None = None) -> date | None:
    years = [year] if year is not None else [today.year, today.year + 1]
    for y in years:
        try:
            candidate = date(y, month, day)
        except ValueError:
            continue
        if year is not None:
            return candidate
        floor = after or today
        if candidate >= floor:
            return candidate
    return None


@dataclass(slots=True)
class Dates:
    start: date | None
    end: date | None
    spans: list[Span]


def _dates(scan: Scan, today: date, sources: dict[str, list[Span]]) -> Dates:
    """Explicit dates: start/end (and their spans). Numbers used as days are consumed."""
    text = scan.norm.text
    found: list[tuple[int, int, int, int, int | None, bool]] = []  # (start, end, day, month, year, end_cue)
    whole_month: tuple[int, int, int] | None = None
    for hit in scan.hits:
        if hit.cat != "month":
            continue
        month = int(hit.value)  # type: ignore[call-overload]
        before = text[max(0, hit.start - 24):hit.start]
        after = text[hit.end:hit.end + 16]
        day: int | None = None
        start, end = hit.start, hit.end
        m = _DAY_BEFORE.search(before)
        if m:
            day = int(m.group(1))
            start = hit.start - len(before) + m.start()
        else:
            m2 = _DAY_AFTER.match(after)
            if m2:
                day = int(m2.group(1))
                end = hit.end + m2.end()
        if day is None or not 1 <= day <= 31:
            if _IN_MONTH.search(before) and hit.key not in ("may", "mar", "jan", "jun", "jul", "اب", "ماي"):
                whole_month = (month, hit.start, hit.end)
            continue
        year_m = _YEAR_AFTER.match(text[end:end + 8])
        year = None
        if year_m:
            year = int(year_m.group(1))
            end += year_m.end()
        end_cue = bool(_END_CUE_BEFORE.search(text[max(0, start - 14):start]))
        found.append((start, end, day, month, year, end_cue))
        # "1-15 March" / "من 1 الي 15 مارس": a lone day before the date opens a range in the same month.
        rm = _RANGE_DAY_BEFORE.search(text[max(0, start - 16):start])
        if rm and not _inside_earlier_date(found, start - 16 + rm.start()):
            first = int(rm.group(1))
            if 1 <= first <= 31 and first <= day:
                r_start = start - len(text[max(0, start - 16):start]) + rm.start()
                found.insert(len(found) - 1, (r_start, r_start + len(rm.group(1)), first, month, year, False))
                found[-1] = (found[-1][0], found[-1][1], day, month, year, True)
        # "March 1-15": a lone day after opens the end of the range.
        ra = _RANGE_DAY_AFTER.match(text[end:end + 16])
        if ra and not _followed_by_month(text, end + ra.end()):
            last = int(ra.group(1))
            if 1 <= last <= 31 and last >= day:
                found.append((end, end + ra.end(), last, month, year, True))
    for m in _ISO.finditer(text):
        found.append((m.start(), m.end(), int(m.group(3)), int(m.group(2)), int(m.group(1)),
                      bool(_END_CUE_BEFORE.search(text[max(0, m.start() - 14):m.start()]))))
    for m in _DMY.finditer(text):
        d, mo = int(m.group(1)), int(m.group(2) or m.group(4))
        if not (1 <= d <= 31 and 1 <= mo <= 12) or any(f[0] <= m.start() < f[1] for f in found):
            continue
        y = m.group(3) or m.group(5)
        year = None if y is None else (int(y) + 2000 if len(y) == 2 else int(y))
        found.append((m.start(), m.end(), d, mo, year, bool(_END_CUE_BEFORE.search(text[max(0, m.start() - 14):m.start()]))))
    found.sort()
    for f in found:
        _consume_numbers(scan, f[0], f[1])

    spans: list[Span] = []
    start_date: date | None = None
    end_date: date | None = None
    for f_start, f_end, day, month, year, end_cue in found:
        if start_date is None and not end_cue:
            start_date = _resolve(day, month, year, today)
            spans.append(scan.span(f_start, f_end))
        elif end_date is None:
            end_date = _resolve(day, month, year, today, after=start_date)
            spans.append(scan.span(f_start, f_end))
    if start_date is None and end_date is None and whole_month is not None:
        month, m_start, m_end = whole_month
        month_start = _resolve(1, month, None, today.replace(day=1))
        if month_start is not None:
            start_date = max(month_start, today)
            nxt = date(month_start.year + (month == 12), month % 12 + 1, 1)
            end_date = nxt - timedelta(days=1)
            spans.append(scan.span(m_start, m_end))
    if start_date is None:
        rel = _relative_start(scan, today)
        if rel is not None:
            start_date = rel[0]
            spans.append(rel[1])
    if start_date is not None and end_date is not None and end_date < start_date:
        end_date = None
    return Dates(start_date, end_date, spans)


def _inside_earlier_date(found: list[tuple[int, int, int, int, int | None, bool]], pos: int) -> bool:
    """Whether a range day candidate is already part of an earlier date."""
    return any(f[0] <= pos < f[1] for f in found[:-1])


_MONTH_START = re.compile(
    r"\s*(?:" + "|".join(sorted({re.escape(fold(w)) for ws in MONTH_WORDS.values() for w in ws if len(w) > 2},
                               key=len, reverse=True)) + ")"
)


def _followed_by_month(text: str, pos: int) -> bool:
    return _MONTH_START.match(text, pos) is not None


_AR_TODAY_CUE = ("من", "ابتداء", "اعتبارا", "يبدا", "تبدا", "نبدا", "بدايه", "تبدي", "يبدي", "بدءا", "تنطلق", "ينطلق")


def _relative_start(scan: Scan, today: date) -> tuple[date, Span] | None:
    for hit in scan.hits:
        if hit.cat == "cue" and hit.value in ("rel0", "rel1", "rel2"):
            if hit.key == "يوم" or hit.key == "اليوم":
                prev = scan.tokens[hit.ti - 1][2] if hit.ti else ""
                if not any(prev.endswith(c) or prev == c for c in _AR_TODAY_CUE):
                    continue
            if _END_CUE_BEFORE.search(scan.norm.text[max(0, hit.start - 10):hit.start]):
                continue
            offset = {"rel0": 0, "rel1": 1, "rel2": 2}[str(hit.value)]
            return today + timedelta(days=offset), scan.span(hit.start, hit.end)
        if hit.cat == "cue" and hit.value == "next" and hit.tj < len(scan.tokens):
            for nxt in scan.by_token[hit.tj] + (scan.by_token[hit.ti - 1] if hit.ti else []):
                if nxt.cat == "unit" and nxt.value == "week":
                    days = (6 - today.weekday()) % 7 or 7  # next Sunday
                    return today + timedelta(days=days), scan.span(min(hit.start, nxt.start), max(hit.end, nxt.end))
                if nxt.cat == "unit" and nxt.value == "month":
                    first = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
                    return first, scan.span(min(hit.start, nxt.start), max(hit.end, nxt.end))
        if hit.cat == "weekday":
            cues_before = scan.cues_in(hit.ti - 2, hit.ti)
            if cues_before & {"start", "next"} or (hit.ti and scan.tokens[hit.ti - 1][2] in ("on", "يوم")):
                days = (int(hit.value) - today.weekday()) % 7 or 7  # type: ignore[call-overload]
                return today + timedelta(days=days), scan.span(hit.start, hit.end)
    return None


# Ages -------------------------------------------------------------------------------------------------

_NOT_AGE_AFTER = re.compile(
    r"^\s*(?:-?\s*(?:days?|weeks?|months?|hours?|يوم|ايام|اسبوع|اسابيع|شهر|اشهر|شهور|ساعه|ساعات)(?!\w)|%|k\b|\$|€|£|﷼)"
)
_AGE_RANGE = re.compile(
    r"(?<![\d.,/:])(?P<a>\d{2})\s*(?:y/?o\s*|years?\s*|سنه\s*)?(?:-|to|until|till|الي|لين|لغايه|حتي|ل|and|و)\s*(?P<b>\d{2})(?!\d|[.,/:]\d)"
)
_AGE_PLUS = re.compile(r"(?<![\d.,/:])(?:(?P<a>\d{2})\s*\+|\+\s*(?P<b>\d{2})(?![\d.,/]))")
_AGE_OVER = re.compile(
    r"(?:over|above|older than|at least|aged over|فوق|اكبر من|اكثر من|من عمر|من سن|min(?:imum)?(?: age)?)\s*(?:the\s+age\s+of\s+|age\s+|سن\s+|عمر\s+)?(?P<a>\d{2})(?!\d|[.,/:]\d)"
)
_AGE_OVER_AFTER = re.compile(
    r"(?<![\d.,/:])(?P<a>\d{2})\s*(?:years?\s*(?:old\s*)?|سنه\s*|عام\s*)?(?:and (?:above|over|up|older)|or (?:older|above|over)|فما فوق|وما فوق|وفوق|و فوق|فاكثر|واكبر|واكبر)"
)
_AGE_UNDER = re.compile(
    r"(?:under|below|younger than|less than|تحت|اقل من|اصغر من|دون)\s*(?:the\s+age\s+of\s+|age\s+|سن\s+|عمر\s+)?(?P<a>\d{2})(?!\d|[.,/:]\d)"
)
_AGE_UPTO = re.compile(r"(?:up to|upto|max(?:imum)?(?: age)?|at most)\s*(?:age\s+)?(?P<a>\d{2})(?!\d|[.,/:]\d)")
_AGE_UPTO_AFTER = re.compile(r"(?<![\d.,/:])(?P<a>\d{2})\s*(?:years?\s*(?:old\s*)?)?(?:and (?:under|below|younger)|or younger)")


def _clamp(age: int) -> int:
    return min(max(age, 13), 65)


def _age_ok(scan: Scan, end: int, value: int) -> bool:
    return 13 <= value <= 99 and not _NOT_AGE_AFTER.match(scan.norm.text[end:end + 12]) and not _currency_after(scan, end)


def _num_free(scan: Scan, start: int, end: int) -> bool:
    return not any(n.used and n.start < end and start < n.end for n in scan.nums)


def _ages(scan: Scan, sources: dict[str, list[Span]]) -> tuple[int | None, int | None]:
    if not any(10 <= n.value < 100 for n in scan.nums if not n.used):
        return None, None  # ages are two-digit numbers; most budgets-only texts skip seven regexes
    text = scan.norm.text
    age_min: int | None = None
    age_max: int | None = None
    span: tuple[int, int] | None = None
    for m in _AGE_RANGE.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        joiner = text[m.start("a") + 2:m.start("b")]
        if ("and" in joiner or "و" in joiner) and not re.search(r"(?:between|بين)\s*$", text[max(0, m.start() - 12):m.start()]):
            continue
        if a < b and 13 <= a and _age_ok(scan, m.end(), b) and _num_free(scan, m.start(), m.end()) \
                and not _followed_by_month(text, m.end()):
            age_min, age_max, span = _clamp(a), _clamp(b), (m.start(), m.end())
            break
    if span is None:
        for pattern, kind in ((_AGE_PLUS, "min"), (_AGE_OVER, "min"), (_AGE_OVER_AFTER, "min"),
                              (_AGE_UNDER, "under"), (_AGE_UPTO, "max"), (_AGE_UPTO_AFTER, "max")):
            for m in pattern.finditer(text):
                raw = m.group("a") or (m.groupdict().get("b") or "")
                if not raw:
                    continue
                value = int(raw)
                number_end = m.end("a") if m.group("a") else m.end("b")
                if not _age_ok(scan, number_end, value) or not _num_free(scan, m.start(), m.end()):
                    continue
                if kind == "min" and age_min is None:
                    age_min = _clamp(value)
                elif kind == "under" and age_max is None:
                    age_max = _clamp(value - 1)
                elif kind == "max" and age_max is None:
                    age_max = _clamp(value)
                else:
                    continue
                span = (m.start(), m.end()) if span is None else (min(span[0], m.start()), max(span[1], m.end()))
                _consume_numbers(scan, m.start(), m.end())
                break
    if span is not None:
        _consume_numbers(scan, *span)
        s = scan.span(*span)
        if age_min is not None:
            sources["audience.age_min"] = [s]
        if age_max is not None:
            sources["audience.age_max"] = [s]
    if age_min is not None and age_max is not None and age_min > age_max:
        age_min, age_max = age_max, age_min
    return age_min, age_max


# Duration ---------------------------------------------------------------------------------------------

_ONE_WORDS = {"a", "an", "one", "واحد", "كامل"}


def _duration(scan: Scan, sources: dict[str, list[Span]]) -> tuple[int, Span] | None:
    text = scan.norm.text
    for hit in scan.hits:
        if hit.cat != "unit":
            continue
        unit = str(hit.value)
        days = UNIT_DAYS[unit]
        if any(h.cat == "cue" and h.value == "next" for k in (hit.ti - 1, hit.tj) if 0 <= k < len(scan.tokens)
               for h in scan.by_token[k]):
            continue
        if unit.startswith("2"):
            sources_span = scan.span(hit.start, hit.end)
            return days, sources_span
        before = text[max(0, hit.start - 16):hit.start]
        num = next((n for n in reversed(scan.nums) if n.end <= hit.start and not n.used
                    and re.fullmatch(r"[\s-]*", text[n.end:hit.start] or "")), None)
        if num is not None and num.value == num.value.to_integral_value() and 0 < num.value <= 365:
            num.used = True
            return int(num.value) * days, scan.span(num.start, hit.end)
        prev = scan.tokens[hit.ti - 1][2] if hit.ti else ""
        nxt = scan.tokens[hit.tj][2] if hit.tj < len(scan.tokens) else ""
        if prev in _ONE_WORDS or nxt in ("واحد", "كامل"):
            start = scan.tokens[hit.ti - 1][0] if prev in _ONE_WORDS else hit.start
            end = scan.tokens[hit.tj][1] if nxt in ("واحد", "كامل") else hit.end
            return days, scan.span(start, end)
        if hit.key in ("اسبوع", "شهر") and re.search(r"(?:لمده|مده|خلال|علي مدي|علي مدار|for|ل)\s*$", before):
            return days, scan.span(hit.start, hit.end)
    return None


# Budget -----------------------------------------------------------------------------------------------

_DAILY_AFTER = re.compile(
    r"^\s*(?:/\s*(?:day|d|يوم)\b|per\s+day|a\s+day|each\s+day|every\s+day|daily|a\s+day|يوميا|يوميه|يومي|في\s+اليوم"
    r"|باليوم|كل\s+يوم|لليوم|للي?وم\s+الواحد|ب?اليوم\s+الواحد)(?!\s*(?:الوطني|العالمي|التاسيس|الام|الاول))"
)
_DAILY_BEFORE = re.compile(r"(?:daily|per\s+day|day|يوميا|يوميه|يومي|اليوميه|اليومي)\s*(?:ad\s+)?(?:budget|spend|cap|ميزانيه|الميزانيه|صرف)?"
                           r"\s*(?:of|is|=|:|at|around|about|ب|هي|تكون)?\s*(?:[a-z]{3}\s*)?$")
_DAILY_BEFORE_AR = re.compile(r"(?:ميزانيه|الميزانيه|صرف)\s*(?:يوميه|يومي|اليوميه)\s*(?:ب|هي|تكون|:)?\s*$")


def _symbol(text: str, pos: int) -> Hit:
    return Hit("currency", CURRENCY_SYMBOLS[text[pos]], pos, pos + 1, -1, -1, text[pos])


def _currency_after(scan: Scan, pos: int) -> Hit | None:
    text = scan.norm.text
    rest = text[pos:pos + 3]
    stripped = rest.lstrip()
    if stripped[:1] in CURRENCY_SYMBOLS:
        return _symbol(text, pos + len(rest) - len(stripped))
    k = scan.token_at(pos)
    if k < len(scan.tokens) and re.fullmatch(r"[\s\-]{0,3}", text[pos:scan.tokens[k][0]]):
        for hit in scan.by_token[k]:
            if hit.cat == "currency" and hit.ti == k:
                return hit
    return None


def _currency_before(scan: Scan, pos: int) -> Hit | None:
    text = scan.norm.text
    head = text[max(0, pos - 3):pos].rstrip()
    if head[-1:] in CURRENCY_SYMBOLS:
        return _symbol(text, max(0, pos - 3) + len(head) - 1)
    k = scan.token_at(pos) - 1
    if k >= 0 and re.fullmatch(r"[\s:.]{0,3}", text[scan.tokens[k][1]:pos]):
        for hit in scan.by_token[k]:
            if hit.cat == "currency" and hit.tj == k + 1:
                return hit
    return None


def _resolve_currency(value: str, countries: set[str], default: str) -> str:
    if value == "riyal":
        for code, cur in (("QA", "QAR"), ("OM", "OMR")):
            if countries == {code}:
                return cur
        return "SAR" if default not in ("QAR", "OMR") else default
    if value == "dinar":
        for code, cur in (("JO", "JOD"), ("BH", "BHD"), ("IQ", "IQD")):
            if countries == {code}:
                return cur
        return "KWD" if default not in ("JOD", "BHD") else default
    if value == "pound":
        return "EGP" if "EG" in countries or default == "EGP" else "GBP"
    return value


def _budget(scan: Scan, default_currency: str, countries: set[str], analysis: Analysis,
            sources: dict[str, list[Span]]) -> Budget | None:
    text = scan.norm.text
    budget_cues = [h for h in scan.hits if h.cat == "cue" and h.value == "budget"]
    best: tuple[int, Num, str, list[tuple[int, int]]] | None = None
    for num in scan.nums:
        if num.used or num.value <= 0:
            continue
        cur = _currency_after(scan, num.end)
        where = "after"
        if cur is None:
            cur = _currency_before(scan, num.start)
            where = "before"
        spans: list[tuple[int, int]] = [(num.start, num.end)]
        score = 0
        code = default_currency
        if cur is not None:
            score = 3
            code = _resolve_currency(str(cur.value), countries, default_currency)
            spans.append((cur.start, cur.end))
        for cue in budget_cues:
            gap = text[cue.end:num.start] if cue.end <= num.start else text[num.end:cue.start]
            if len(gap) <= 28 and not re.search(r"\d", gap):
                score += 2
                spans.append((cue.start, cue.end))
                break
        tail_pos = cur.end if cur is not None and where == "after" else num.end
        daily = _DAILY_AFTER.match(text[tail_pos:tail_pos + 24])
        period = "lifetime"
        if daily:
            period = "daily"
            spans.append((tail_pos + daily.start() + (len(daily.group(0)) - len(daily.group(0).lstrip())),
                          tail_pos + daily.end()))
            score += 1
        else:
            head_start = num.start if where == "after" or cur is None else cur.start
            before = text[max(0, head_start - 40):head_start]
            bm = _DAILY_BEFORE.search(before) or _DAILY_BEFORE_AR.search(before)
            if bm:
                period = "daily"
                spans.append((head_start - len(before) + bm.start(), head_start - len(before) + bm.end()))
                score += 1
        if score == 0 and num.scaled:
            score = 1
        if score == 0 or (score == 1 and period == "daily" and num.value < 10):
            continue
        if best is None or score > best[0]:
            best = (score, num, code + ":" + period, spans)
    if best is None:
        free = [n for n in scan.nums if not n.used]
        if len(free) == 1 and free[0].value >= 100 and scan.hits_of("platform"):
            # "Snapchat, Riyadh, women, 1000": the one number left in a campaign request is its budget.
            best = (1, free[0], default_currency + ":lifetime", [(free[0].start, free[0].end)])
    if best is None:
        _bare_amount(scan, analysis)
        _period_only(scan, analysis)
        return None
    _, num, code_period, spans = best
    num.used = True
    code, period = code_period.split(":")
    sources["budget"] = [scan.span(s, e) for s, e in sorted(set(spans))]
    return Budget(amount=num.value, currency=code, period=period)  # type: ignore[arg-type]


def _bare_amount(scan: Scan, analysis: Analysis) -> None:
    """A reply may be just "1500": remember a lone unused number for merge_reply."""
    free = [n for n in scan.nums if not n.used]
    if len(free) == 1 and free[0].value >= 10:
        analysis.bare_amount = free[0].value
        analysis.bare_amount_span = scan.span(free[0].start, free[0].end)


def _period_only(scan: Scan, analysis: Analysis) -> None:
    for hit in scan.hits:
        if hit.cat == "cue" and hit.value in ("daily", "lifetime"):
            analysis.period_only = str(hit.value)


# Platforms --------------------------------------------------------------------------------------------

def _platforms(scan: Scan, analysis: Analysis, sources: dict[str, list[Span]]) -> tuple[list[str], dict[str, list[str]]]:
    positive: dict[str, None] = {}
    negative: set[str] = set()
    spans: list[Span] = []
    pub_spans: list[Span] = []
    last_negated: Hit | None = None
    for hit in scan.hits:
        if hit.cat != "platform":
            continue
        name = str(hit.value)
        negated = _negated(scan, hit)
        if not negated and last_negated is not None:
            gap = [t[2] for t in scan.tokens[last_negated.tj:hit.ti]]
            # "no Snapchat or TikTok", "بدون سناب ولا تيك توك": the negation covers the coordinated list.
            between = scan.norm.text[last_negated.end:hit.start]
            negated = bool(gap) and "," not in between and all(w in ("or", "and", "nor", "و", "او", "ولا") for w in gap)
        if negated:
            negative.add(name)
            if analysis.negation_at is None:
                analysis.negation_at = hit.start
            last_negated = hit
            continue
        last_negated = None
        positive[name] = None
        if name in META_PUBLISHERS:
            pub_spans.append(scan.span(hit.start, hit.end))
        spans.append(scan.span(hit.start, hit.end))
    analysis.platforms_negated = {PLATFORM_OF.get(n, n) for n in negative if n != "all" and (n not in META_PUBLISHERS
                                                                                         or n == "meta")}
    analysis.publishers_negated = {n for n in negative if n in META_PUBLISHERS}
    selected: set[str] = set()
    if "all" in positive:
        selected = {"meta", "tiktok", "snapchat"}
    for name in positive:
        if name != "all":
            selected.add(PLATFORM_OF[name])
    # "all but Instagram" still leaves Facebook on Meta; "not Meta" removes it entirely.
    for name in negative:
        if name in ("meta", "tiktok", "snapchat"):
            selected.discard(name)
    publishers = [p for p in META_PUBLISHERS if p in positive]
    if "meta" in selected and not publishers and analysis.publishers_negated:
        publishers = [p for p in ("facebook", "instagram") if p not in analysis.publishers_negated]
    platforms = sorted(selected)
    if platforms:
        sources["platforms"] = spans
    pub = {"meta": publishers} if publishers and "meta" in selected else {}
    if pub:
        sources["publisher_platforms"] = pub_spans or spans
    return platforms, pub


# Theme and occasions -----------------------------------------------------------------------------------

_GENERIC_NATIONAL = {"national day", "يوم الوطني", "عيد الوطني", "وطني", "يوم الوطن"}
_NATIONAL_BY_COUNTRY = {"AE": "uae_national_day", "KW": "kuwait_national_day", "QA": "qatar_national_day",
                        "BH": "bahrain_national_day"}


def _theme(scan: Scan, today: date, countries: set[str],
           sources: dict[str, list[Span]]) -> tuple[str | None, tuple[date, date] | None]:
    chosen: Hit | None = None
    for hit in scan.hits:
        if hit.cat != "occasion" or _negated(scan, hit, 1):
            continue
        slug = str(hit.value)
        dated = slug in occasions.DATED_SLUGS or slug == "eid"
        if chosen is None or (dated and str(chosen.value) not in occasions.DATED_SLUGS and chosen.value != "eid"):
            chosen = hit
    if chosen is None:
        return None, None
    slug = str(chosen.value)
    if slug == "eid":
        slug = occasions.resolve_eid(today)
    if slug == "saudi_national_day" and chosen.key in _GENERIC_NATIONAL and len(countries) == 1:
        slug = _NATIONAL_BY_COUNTRY.get(next(iter(countries)), slug)
    sources["theme"] = [scan.span(chosen.start, chosen.end)]
    return slug, occasions.next_window(slug, today)


# Audience genders -------------------------------------------------------------------------------------

def _genders(scan: Scan, analysis: Analysis, sources: dict[str, list[Span]]) -> list[str]:
    found: set[str] = set()
    spans: list[Span] = []
    for hit in scan.hits:
        if hit.cat != "gender" or _negated(scan, hit, 1):
            continue
        found.add(str(hit.value))
        spans.append(scan.span(hit.start, hit.end))
    if not found:
        return []
    sources["audience.genders"] = spans
    if "all" in found or {"female", "male"} <= found:
        analysis.genders_all = True
        return []
    return sorted(found)


# Objective --------------------------------------------------------------------------------------------

_SALE_THEMES = {"white_friday", "black_friday", "singles_day", "clearance", "end_of_season"}


def _objective(scan: Scan, theme: str | None, sources: dict[str, list[Span]]) -> str | None:
    best: tuple[int, Hit] | None = None
    for hit in scan.hits:
        if hit.cat != "objective" or _negated(scan, hit, 1):
            continue
        strength = hit.value[1]  # type: ignore[index]
        if hit.key == "off" and not re.search(r"(?:%|\d)\s*$", scan.norm.text[max(0, hit.start - 4):hit.start]):
            continue
        if best is None or strength > best[0]:
            best = (strength, hit)
    if best is not None:
        sources["objective"] = [scan.span(best[1].start, best[1].end)]
        return str(best[1].value[0])  # type: ignore[index]
    if theme in _SALE_THEMES:
        sources["objective"] = list(sources.get("theme", []))
        return "sales"
    if theme in ("grand_opening", "opening"):
        sources["objective"] = list(sources.get("theme", []))
        return "awareness"
    return None


# Languages and creative types ------------------------------------------------------------------------

_LANG_ORDER = ("ar", "en", "fr")


def _has_only(scan: Scan, hit: Hit) -> bool:
    return "only" in scan.cues_in(hit.ti - 1, hit.ti) or "only" in scan.cues_in(hit.tj, hit.tj + 2)


def _languages(scan: Scan, sources: dict[str, list[Span]]) -> list[str]:
    found: list[str] = []
    spans: list[Span] = []
    only: list[str] = []
    for hit in scan.hits:
        if hit.cat != "language" or _negated(scan, hit, 1):
            continue
        values = ["ar", "en"] if hit.value == "both" else [str(hit.value)]
        found += values
        spans.append(scan.span(hit.start, hit.end))
        if _has_only(scan, hit):
            only += values
    if not found:
        return ["ar", "en"]
    sources["languages"] = spans
    chosen = set(only or found)
    return [lang for lang in _LANG_ORDER if lang in chosen]


def _creative(scan: Scan, objective: str | None, sources: dict[str, list[Span]]) -> list[str]:
    positive: set[str] = set()
    negative: set[str] = set()
    only: set[str] = set()
    spans: list[Span] = []
    for hit in scan.hits:
        if hit.cat != "creative":
            continue
        value = str(hit.value)
        spans.append(scan.span(hit.start, hit.end))
        if _negated(scan, hit, 2):
            negative.add(value)
        else:
            positive.add(value)
            if _has_only(scan, hit):
                only.add(value)
    if only:
        chosen = only
    elif positive:
        chosen = positive - negative
    elif negative:
        chosen = set(DEFAULT_CREATIVE_TYPES) - negative
    elif objective == "video_views":
        chosen = {"video"}
    else:
        return list(DEFAULT_CREATIVE_TYPES)
    if spans:
        sources["creative_types"] = spans
    return [c for c in DEFAULT_CREATIVE_TYPES if c in chosen]


# Product ----------------------------------------------------------------------------------------------

_PRODUCT_EN = re.compile(
    r"\b(?:promote|promoting|advertise|advertising|for|launch|launching|of|selling|sell|introducing|introduce)\s+"
    r"(?:our|my|the)\s+(?:brand[\s-]new\s+|new\s+|latest\s+)?(?P<p>[a-z][a-z'&-]*(?:\s+[a-z][a-z'&-]*){0,3})"
)
_PRODUCT_AR = re.compile(
    r"(?:منتجنا|منتجاتنا|منتج|لمنتج|للترويج\s+ل|ترويج|نروج\s+ل|اطلاق|لاطلاق|اعلان\s+عن|لاعلان)\s+(?:الجديد\s+|الجديده\s+)?"
    r"(?P<p>[\u0621-\u064a]+(?:\s+[\u0621-\u064a]+){0,2})"
)
_AR_STOP = frozenset("في علي مع من الي ب ل و حمله حمله اعلان اعلانات بميزانيه ميزانيه لمده للنساء للرجال الجديد الجديده "
                     "تستهدف نستهدف استهداف عبر علي خلال بمناسبه".split())


def _product(scan: Scan, sources: dict[str, list[Span]]) -> str | None:
    text = scan.norm.text
    for pattern, stop in ((_PRODUCT_EN, PRODUCT_STOP), (_PRODUCT_AR, _AR_STOP)):
        for m in pattern.finditer(text):
            words: list[tuple[int, int]] = []
            for w in re.finditer(r"\S+", m.group("p")):
                word = w.group(0)
                absolute = (m.start("p") + w.start(), m.start("p") + w.end())
                if word in stop or _is_value(scan, absolute[0]):
                    break
                words.append(absolute)
            if words:
                start, end = words[0][0], words[-1][1]
                span = scan.span(start, end)
                sources["product"] = [span]
                return span.text
    return None


def _is_value(scan: Scan, pos: int) -> bool:
    k = scan.token_at(pos)
    if k >= len(scan.tokens) or scan.tokens[k][0] != pos:
        return False
    return any(h.cat in ("platform", "place", "group", "occasion", "gender", "currency", "month", "cue", "unit")
               for h in scan.by_token[k])


# Schedule ---------------------------------------------------------------------------------------------

def _schedule(info: Dates, duration: tuple[int, Span] | None, window: tuple[date, date] | None) -> Schedule:
    start, end = info.start, info.end
    days = duration[0] if duration else None
    if start is None and end is None and window is not None:
        start = window[0]
        if days is None:
            end = window[1]
    if start is not None and end is not None:
        return Schedule(start_date=start, end_date=end, duration_days=(end - start).days + 1)
    if start is not None and days is not None:
        return Schedule(start_date=start, end_date=start + timedelta(days=days - 1), duration_days=days)
    if end is not None and days is not None:
        return Schedule(start_date=end - timedelta(days=days - 1), end_date=end, duration_days=days)
    return Schedule(start_date=start, end_date=end, duration_days=days)
