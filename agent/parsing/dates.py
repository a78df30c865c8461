"""The schedule: explicit dates, relative starts ("tomorrow", "next week"), durations, and how they add up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from agent.models import Schedule, Span
from agent.parsing.hijri_phrases import HijriDates
from agent.parsing.lexicon import MONTH_WORDS, UNIT_DAYS
from agent.parsing.scan import Hit, Scan, consume_numbers
from agent.parsing.text import fold

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


def read_dates(scan: Scan, today: date, sources: dict[str, list[Span]]) -> Dates:
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
        if ra and not followed_by_month(text, end + ra.end()):
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
        consume_numbers(scan, f[0], f[1])

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


def followed_by_month(text: str, pos: int) -> bool:
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
                if nxt.cat == "unit" and _counted(scan, hit, nxt):
                    continue  # "next 2 weeks", "الايام العشره الجايه": a span (read_duration), not a start
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


def _counted(scan: Scan, cue: Hit, unit: Hit) -> bool:
    """Whether "next" and a unit make a span: a number between or beside them, or a dual/plural unit word."""
    if str(unit.value).startswith("2") or unit.key in ("weeks", "days", "months", "ايام", "اسابيع", "اشهر", "شهور"):
        return True
    text = scan.norm.text
    for n in scan.nums:
        between = cue.end <= n.start and n.end <= unit.start  # "next 2 weeks"
        before = n.end <= unit.start and not text[n.end:unit.start].strip() and cue.start >= unit.end  # "10 ايام الجايه"
        if between or before:
            return True
    return False


# Duration ---------------------------------------------------------------------------------------------

_ONE_WORDS = {"a", "an", "one", "واحد", "كامل"}


def read_duration(scan: Scan, sources: dict[str, list[Span]]) -> tuple[int, Span] | None:
    text = scan.norm.text
    for hit in scan.hits:
        if hit.cat != "unit":
            continue
        unit = str(hit.value)
        days = UNIT_DAYS[unit]
        if any(h.cat == "cue" and h.value == "next" and not _counted(scan, h, hit) for k in (hit.ti - 1, hit.tj)
               if 0 <= k < len(scan.tokens) for h in scan.by_token[k]):
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


# Season phrases --------------------------------------------------------------------------------------

def with_season(info: Dates, hijri: HijriDates | None, weekend: tuple[date, date, Span] | None) -> Dates:
    """Explicit dates completed by Hijri phrases ("from 1 March until Eid eve") or the weekend."""
    start, end, spans = info.start, info.end, list(info.spans)
    if hijri is not None and (hijri.start or hijri.end):
        if start is None and end is None and hijri.inferred:
            return Dates(hijri.start, hijri.end, spans + hijri.spans)
        start, end = start or hijri.start, end or hijri.end
        spans += hijri.spans
    elif weekend is not None and start is None and end is None:
        start, end = weekend[0], weekend[1]
        spans.append(weekend[2])
    return Dates(start, end, spans)


# Schedule ---------------------------------------------------------------------------------------------

def build_schedule(info: Dates, duration: tuple[int, Span] | None,
                   window: tuple[date, date] | None) -> Schedule:
    start, end = info.start, info.end
    days = duration[0] if duration else None
    if start is None and end is None and window is not None:
        start = window[0]
        if days is None:
            end = window[1]
    if start is not None and end is None and days is None and window is not None and window[0] <= start <= window[1]:
        end = window[1]  # "from 20 Ramadan", "Ramadan sale from 1 March": to the occasion's end
    if start is not None and end is not None:
        return Schedule(start_date=start, end_date=end, duration_days=(end - start).days + 1)
    if start is not None and days is not None:
        return Schedule(start_date=start, end_date=start + timedelta(days=days - 1), duration_days=days)
    if end is not None and days is not None:
        return Schedule(start_date=end - timedelta(days=days - 1), end_date=end, duration_days=days)
    return Schedule(start_date=start, end_date=end, duration_days=days)
