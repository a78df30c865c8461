"""What is advertised and how: the theme (occasion), objective, product, creative types and landing URL."""

from __future__ import annotations

import re
from datetime import date

import agent.parsing.occasions as occasions
from agent.models import Span
from agent.parsing.lexicon import DEFAULT_CREATIVE_TYPES, PRODUCT_STOP
from agent.parsing.scan import Hit, Scan, has_only, is_negated

# Theme and occasions -----------------------------------------------------------------------------------

_GENERIC_NATIONAL = {"national day", "يوم الوطني", "عيد الوطني", "وطني", "يوم الوطن"}
_NATIONAL_BY_COUNTRY = {"AE": "uae_national_day", "KW": "kuwait_national_day", "QA": "qatar_national_day",
                        "BH": "bahrain_national_day"}


def read_theme(scan: Scan, today: date, countries: set[str],
               sources: dict[str, list[Span]]) -> tuple[str | None, tuple[date, date] | None]:
    chosen: Hit | None = None
    for hit in scan.hits:
        if hit.cat != "occasion" or is_negated(scan, hit, 1):
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


# Objective --------------------------------------------------------------------------------------------

_SALE_THEMES = {"white_friday", "black_friday", "singles_day", "clearance", "end_of_season"}


def read_objective(scan: Scan, theme: str | None, sources: dict[str, list[Span]]) -> str | None:
    best: tuple[int, Hit] | None = None
    for hit in scan.hits:
        if hit.cat != "objective" or is_negated(scan, hit, 1):
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


# Creative types ---------------------------------------------------------------------------------------

def read_creative_types(scan: Scan, objective: str | None, sources: dict[str, list[Span]]) -> list[str]:
    positive: set[str] = set()
    negative: set[str] = set()
    only: set[str] = set()
    spans: list[Span] = []
    for hit in scan.hits:
        if hit.cat != "creative":
            continue
        value = str(hit.value)
        spans.append(scan.span(hit.start, hit.end))
        if is_negated(scan, hit, 2):
            negative.add(value)
        else:
            positive.add(value)
            if has_only(scan, hit):
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
AR_PRODUCT_STOP = frozenset("في علي مع من الي ب ل و حمله حمله اعلان اعلانات بميزانيه ميزانيه لمده للنساء للرجال الجديد الجديده "
                     "تستهدف نستهدف استهداف عبر علي خلال بمناسبه".split())


def read_product(scan: Scan, sources: dict[str, list[Span]]) -> str | None:
    text = scan.norm.text
    for pattern, stop in ((_PRODUCT_EN, PRODUCT_STOP), (_PRODUCT_AR, AR_PRODUCT_STOP)):
        for m in pattern.finditer(text):
            words: list[tuple[int, int]] = []
            for w in re.finditer(r"\S+", m.group("p")):
                word = w.group(0)
                absolute = (m.start("p") + w.start(), m.start("p") + w.end())
                if word in stop or is_value(scan, absolute[0]):
                    break
                words.append(absolute)
            if words:
                start, end = words[0][0], words[-1][1]
                span = scan.span(start, end)
                sources["product"] = [span]
                return span.text
    return None


def is_value(scan: Scan, pos: int) -> bool:
    k = scan.token_at(pos)
    if k >= len(scan.tokens) or scan.tokens[k][0] != pos:
        return False
    return any(h.cat in ("platform", "place", "group", "occasion", "gender", "currency", "month", "cue", "unit")
               for h in scan.by_token[k])


# Landing URL ------------------------------------------------------------------------------------------

_URL = re.compile(
    r"(?:https?://[^\s,;،\"'<>)]+|www\.[^\s,;،\"'<>)]+"
    r"|(?<![\w@.])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|sa|ae|net|org|store|shop|co|io|me|app|qa|kw|eg|jo|bh|om"
    r"|online|site|info|biz|ly|link)(?:\.[a-z]{2})?(?![a-z0-9-])(?:/[^\s,;،\"'<>)]*)?)",
    re.IGNORECASE,
)


def read_landing_url(scan: Scan) -> tuple[str | None, tuple[int, int] | None]:
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
