"""The audience: locations, ages, genders and languages."""

from __future__ import annotations

import re

from agent.models import Location, Span
from agent.parsing.analysis import Analysis
from agent.parsing.dates import followed_by_month
from agent.parsing.gazetteer import COUNTRY_BY_CODE, PLACES
from agent.parsing.money import currency_after
from agent.parsing.scan import Scan, consume_numbers, has_only, is_negated

# Locations --------------------------------------------------------------------------------------------

def _place_location(index: int) -> Location:
    return _LOCATIONS[index].model_copy()


_LOCATIONS: tuple[Location, ...] = tuple(
    Location(name=p.name, kind=p.kind, country_code=p.country_code) for p in PLACES  # type: ignore[arg-type]
)


def read_locations(scan: Scan, analysis: Analysis, sources: dict[str, list[Span]]) -> list[Location]:
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
        if is_negated(scan, hit):
            analysis.locations_negated += found
            continue
        for loc in found:
            if loc not in out:
                out.append(loc)
        spans.append(scan.span(hit.start, hit.end))
    if spans:
        sources["audience.locations"] = spans
    return out


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
    return (13 <= value <= 99 and not _NOT_AGE_AFTER.match(scan.norm.text[end:end + 12])
            and not currency_after(scan, end))


def _num_free(scan: Scan, start: int, end: int) -> bool:
    return not any(n.used and n.start < end and start < n.end for n in scan.nums)


# "Young people" without ages: the 18-34 brackets every platform targets; validation says it is an assumption.
YOUTH_AGES = (18, 34)
_YOUTH = re.compile(
    r"(?<![a-z])(?:young\s+(?:people|adults|audience|crowd|generation|ones|men|women|guys|girls|ladies)|youth|youngsters"
    r"|gen[\s-]?z)(?![a-z])|(?<!\S)[وبلف]?(?:ال|لل)?(?:شباب|شبان|شابات)(?!\S)|الجيل\s+الجديد|(?:فئه|الفئه)\s+الشبابيه"
)


def read_ages(scan: Scan, sources: dict[str, list[Span]]) -> tuple[int | None, int | None]:
    ages = _read_age_numbers(scan, sources)
    if ages == (None, None):
        m = _YOUTH.search(scan.norm.text)
        if m is not None:
            span = scan.span(m.start(), m.end())
            sources["audience.age_min"] = [span]
            sources["audience.age_max"] = [span]
            return YOUTH_AGES
    return ages


def _read_age_numbers(scan: Scan, sources: dict[str, list[Span]]) -> tuple[int | None, int | None]:
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
        a, b = min(a, b), max(a, b)  # "women 45-25": a reversed range is still the range
        if a < b and 13 <= a and _age_ok(scan, m.end(), b) and _num_free(scan, m.start(), m.end()) \
                and not followed_by_month(text, m.end()):
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
                consume_numbers(scan, m.start(), m.end())
                break
    if span is not None:
        consume_numbers(scan, *span)
        s = scan.span(*span)
        if age_min is not None:
            sources["audience.age_min"] = [s]
        if age_max is not None:
            sources["audience.age_max"] = [s]
    if age_min is not None and age_max is not None and age_min > age_max:
        age_min, age_max = age_max, age_min
    return age_min, age_max


# Genders ---------------------------------------------------------------------------------------------

def read_genders(scan: Scan, analysis: Analysis, sources: dict[str, list[Span]]) -> list[str]:
    found: set[str] = set()
    spans: list[Span] = []
    for hit in scan.hits:
        if hit.cat != "gender" or is_negated(scan, hit, 1):
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


# Languages --------------------------------------------------------------------------------------------

_LANG_ORDER = ("ar", "en", "fr")


def read_languages(scan: Scan, sources: dict[str, list[Span]]) -> list[str]:
    found: list[str] = []
    spans: list[Span] = []
    only: list[str] = []
    for hit in scan.hits:
        if hit.cat != "language" or is_negated(scan, hit, 1):
            continue
        values = ["ar", "en"] if hit.value == "both" else [str(hit.value)]
        found += values
        spans.append(scan.span(hit.start, hit.end))
        if has_only(scan, hit):
            only += values
    if not found:
        return ["ar", "en"]
    sources["languages"] = spans
    chosen = set(only or found)
    return [lang for lang in _LANG_ORDER if lang in chosen]
