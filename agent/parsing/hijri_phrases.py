"""Dates said by the Hijri season: day ranges and parts of Ramadan, Shawwal and Dhu al-Hijjah, Eid's eve and lead-up.

Decisions (Umm al-Qura calendar through hijridate; every phrase in English and Arabic, any digits):
- "1-10 Ramadan", "Ramadan 1-10", "from 1 Ramadan to 10 Ramadan", "من ١ رمضان إلى ١٠ رمضان": those days.
- "last N days of Ramadan", "آخر ١٠ أيام من رمضان": the month's last N days; "last week of": its last 7.
- "the last ten nights", "العشر الأواخر": 21 Ramadan to the month's last day (the nights from the 21st).
- "first week of Ramadan", "first 3 days of Eid", "أول يومين من العيد": the first N days from day 1.
- "the first ten days of Dhu al-Hijjah", "عشر ذي الحجة": 1-10 Dhu al-Hijjah.
- "Eid eve", "ليلة العيد", "وقفة العيد": the day before Eid's first day (Eid al-Adha's eve is Arafah, 9 Dhu al-Hijjah).
  "until Eid" ends on the eve too (the shopping stops when Eid begins); "until the end of Eid" on its last day.
- "before Eid", "قبل العيد": the run-up to Eid: Eid al-Fitr's is the last ten nights (21 Ramadan to the eve),
  Eid al-Adha's the first nine days of Dhu al-Hijjah. "a week before Eid", "قبل العيد بأسبوع": that many days
  ending on the eve.
- "للعيد" (for Eid: shopping to dress for it), "Eid shopping": the run-up plus Eid's own days.
- A bare "Eid" is Eid al-Fitr next to Ramadan or Shawwal, Eid al-Adha next to Dhu al-Hijjah or Hajj, else
  whichever comes next. All parts of one sentence are resolved in the same Hijri year: the first year whose
  result has not ended by `today`; a start in the past is moved to today.
- Several windows in one sentence ("the last ten nights and Eid") join into one; a start or end said on its
  own ("from 20 Ramadan", "لين ليلة العيد") takes precedence over a window's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from hijridate import Gregorian, Hijri

from agent.models import Span
from agent.parsing.occasions import resolve_eid
from agent.parsing.scan import Scan, consume_numbers

# Names (folded text: see text.fold) -----------------------------------------------------------------------

_RAMADAN = r"(?:ramadan|ramadhan|ramzan|ramdan|[وبلف]?رمضان)"
_SHAWWAL = r"(?:shawwal|shawal|[وبلف]?شوال)"
_DHUL = (r"(?:dhu[\s-]?al[\s-]?hijj?ah?|dhul[\s-]?hijj?ah?|zul[\s-]?hijj?ah?|thul[\s-]?hijj?ah?|"
         r"[وبلف]?(?:ذو|ذي|ذا)\s*الحجه)")
_MONTH = rf"(?:(?:the\s+month\s+of\s+)?(?:شهر\s+)?(?:{_RAMADAN}|{_SHAWWAL}|{_DHUL}))"
_NOT_OTHER_EID = r"(?!\s+(?:الوطني|الام|الحب|ميلاد|الاتحاد|national|al[\s-]etihad))"
_EID = (rf"(?:(?:the\s+)?(?<![a-z])eid(?:\s+(?:al|ul|el)?[\s-]*(?:fitr|adha))?{_NOT_OTHER_EID}"
        rf"|[وبلف]?(?:ال|لل)?عيد(?:\s+(?:الفطر|الاضحي))?{_NOT_OTHER_EID})")
_TARGET = rf"(?:{_MONTH}|{_EID})"

_WORDS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "واحد": 1, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6,
    "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10,
}
_NUM = r"(?:\d{1,2}|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + ")"
_DAY = r"(?<![\d.,/])(\d{1,2})(?:st|nd|rd|th)?"
_TO = r"(?:-|to|till|until|through|thru|and|الي|حتي|لين|لغايه|لحد|ل|و)"
_EN_UNIT = r"(?:days?|nights?|weeks?)"
_AR_UNIT = r"(?:ايام|يوم|يومين|ليالي|ليال|ليله|اسبوع|اسبوعين)"
_OF = r"(?:\s+(?:of|in)\s+(?:the\s+)?|\s+(?:من|في)\s+|\s+)"
_START_CUE = re.compile(r"(?:from|starting|start|starts|begin|begins|beginning|من|يبدا|تبدا|تبدي|ابتداء|اعتبارا|بدءا)"
                        r"(?:\s+(?:on|from|من))?\s*$")
_END_CUE = re.compile(r"(?:to|till|til|until|through|thru|ending|ends|end|by|الي|حتي|لين|لغايه|لحد|تنتهي|ينتهي)"
                      r"(?:\s+on)?\s*$")


def _n(raw: str | None, unit: str) -> int | None:
    """Days in "N units" ("2 weeks" -> 14, "يومين" -> 2); None when neither number nor unit says how many."""
    base = 7 if unit.startswith(("week", "اسبوع")) else 1
    if unit in ("يومين", "اسبوعين"):
        return 2 * base
    if raw is None:
        return base if unit in ("day", "night", "week", "يوم", "ليله", "اسبوع") else None
    value = int(raw) if raw.isdigit() else _WORDS.get(raw)
    return None if value is None or not 0 < value <= 30 else value * base


# One Hijri year's dates ----------------------------------------------------------------------------------

def _g(h_year: int, month: int, day: int) -> date:
    g = Hijri(h_year, month, day).to_gregorian()
    return date(g.year, g.month, g.day)


def _month_end(h_year: int, month: int) -> date:
    return _g(h_year, month, Hijri(h_year, month, 1).month_length())


@dataclass(frozen=True, slots=True)
class _Eid:
    first: Callable[[int], date]  # Eid's first day in a Hijri year
    last: Callable[[int], date]
    run_up: Callable[[int], date]  # the first day of its run-up


_EIDS = {
    "eid_al_fitr": _Eid(lambda y: _g(y, 10, 1), lambda y: _g(y, 10, 3), lambda y: _g(y, 9, 21)),
    "eid_al_adha": _Eid(lambda y: _g(y, 12, 10), lambda y: _g(y, 12, 13), lambda y: _g(y, 12, 1)),
}

Window = Callable[[int], tuple[date, date]]  # Hijri year -> (first day, last day)


@dataclass(slots=True)
class _Found:
    start: int  # offsets in the folded text
    end: int
    window: Window
    role: str  # "window", "start", "end" or "day" (a single day whose role the cues decide)
    inferred: bool = False  # a window the occasion implies ("للعيد"), not dates the marketer gave


@dataclass(slots=True)
class HijriDates:
    start: date | None
    end: date | None
    spans: list[Span]
    inferred: bool  # the dates come from the occasion alone: a short budget may shorten them


class _Reader:
    def __init__(self, scan: Scan, today: date) -> None:
        self.scan = scan
        self.text = scan.norm.text
        self.today = today
        self.found: list[_Found] = []
        self.taken: list[tuple[int, int]] = []
        t = self.text
        self.fitr_context = bool(re.search(rf"{_RAMADAN}|{_SHAWWAL}|fitr|الفطر", t))
        self.adha_context = bool(re.search(rf"{_DHUL}|adha|الاضحي|hajj|حج|عرفه|arafa", t))

    # What a matched name means --------------------------------------------------------------------------

    def eid(self, name: str) -> _Eid:
        if "fitr" in name or "الفطر" in name:
            return _EIDS["eid_al_fitr"]
        if "adha" in name or "الاضحي" in name:
            return _EIDS["eid_al_adha"]
        if self.fitr_context and not self.adha_context:
            return _EIDS["eid_al_fitr"]
        if self.adha_context and not self.fitr_context:
            return _EIDS["eid_al_adha"]
        return _EIDS[resolve_eid(self.today)]

    @staticmethod
    def month(name: str) -> int:
        if re.search(_DHUL, name):
            return 12
        return 10 if re.search(_SHAWWAL, name) else 9

    def target(self, name: str) -> tuple[Window, Callable[[int], date]]:
        """(whole window, first day) of a month or an Eid named in the text."""
        if re.fullmatch(_EID, name.strip()):
            eid = self.eid(name)
            return (lambda y: (eid.first(y), eid.last(y))), eid.first
        m = self.month(name)
        return (lambda y: (_g(y, m, 1), _month_end(y, m))), (lambda y: _g(y, m, 1))

    def after_audience_word(self, pos: int) -> bool:
        """ "women 18-25 Ramadan sale": numbers right after a gender or age word are ages, not Hijri days."""
        return any(h.end <= pos and not self.text[h.end:pos].strip(" ,:(") and
                   (h.cat == "gender" or (h.cat == "cue" and h.value in ("age", "between", "over", "under")))
                   for h in self.scan.hits)

    def before_audience_word(self, pos: int) -> bool:
        """ "Ramadan 18-25 women", "رمضان ١٨-٢٥ سنه": numbers right before a gender or age word are ages."""
        return any(h.start >= pos and not self.text[pos:h.start].strip(" ,:)") and
                   (h.cat == "gender" or (h.cat == "cue" and h.value == "age")) for h in self.scan.hits)

    # Matching -------------------------------------------------------------------------------------------

    def add(self, match: re.Match[str], window: Window, role: str, inferred: bool = False) -> None:
        self.found.append(_Found(match.start(), match.end(), window, role, inferred))
        self.taken.append((match.start(), match.end()))

    def free(self, match: re.Match[str]) -> bool:
        return not any(s < match.end() and match.start() < e for s, e in self.taken)

    def each(self, pattern: str) -> list[re.Match[str]]:
        return [m for m in re.finditer(pattern, self.text) if self.free(m)]

    def read(self) -> None:
        self.ranges()
        self.last_parts()
        self.first_parts()
        self.eid_phrases()
        self.single_days()
        self.joined_eids()

    def joined_eids(self) -> None:
        """ "the first ten days of Dhu al-Hijjah and Eid al-Adha": an Eid joined to a window is part of it."""
        windows = [f for f in self.found if f.role == "window" and not f.inferred]
        for h in self.scan.hits:
            if h.cat != "occasion" or h.value not in ("eid", "eid_al_fitr", "eid_al_adha"):
                continue
            if any(f.start <= h.start < f.end for f in self.found):
                continue
            joined = any(re.fullmatch(r"\s*(?:and|&|\+|,|plus|و)?\s*(?:the\s+)?", self.text[a:b])
                         for f in windows for a, b in ((f.end, h.start), (h.end, f.start)) if a <= b)
            if joined:
                eid = self.eid(self.text[h.start:h.end])
                self.found.append(_Found(h.start, h.end, lambda y, e=eid: (e.first(y), e.last(y)), "window"))  # type: ignore[misc]

    def ranges(self) -> None:
        for m in self.each(rf"{_DAY}\s*{_TO}\s*{_DAY}\s*(?:of\s+|من\s+|في\s+)?(?P<t>{_MONTH})"):
            self._range(m, int(m.group(1)), int(m.group(2)))
        for m in self.each(rf"(?P<t>{_MONTH})\s+(\d{{1,2}})\s*(?:-|to|till|until|through|الي|حتي|لين)\s*(\d{{1,2}})"
                           r"(?![\d/.%])"):
            self._range(m, int(m.group(2)), int(m.group(3)))

    def _range(self, m: re.Match[str], a: int, b: int) -> None:
        month = self.month(m.group("t"))
        if 1 <= a <= b <= 30 and not self.after_audience_word(m.start()) and not self.before_audience_word(m.end()):
            self.add(m, lambda y: (_g(y, month, a), min(_g(y, month, 1) + timedelta(days=b - 1),
                                                         _month_end(y, month))), "window")

    def last_parts(self) -> None:
        ten_nights = (rf"(?:the\s+)?last\s+(?:ten|10)\s+nights(?:{_OF}(?P<t>{_MONTH}))?"
                      rf"|(?:[وبلف]?(?:ال|لل)?ليالي\s+)?[وبلف]?(?:ال|لل)?عشر\s+(?:الاواخر|الاخيره|الاخير)"
                      rf"(?:{_OF}(?P<t2>{_MONTH}))?|(?:ال)?ليالي\s+العشر")
        for m in self.each(ten_nights):
            month = self.month(m.group("t") or m.group("t2") or "رمضان")
            self.add(m, lambda y, mo=month: (_g(y, mo, 21), _month_end(y, mo)), "window")  # type: ignore[misc]
        parts = (rf"(?:the\s+)?(?:last|final)\s+(?:(?P<n>{_NUM})\s+)?(?P<u>{_EN_UNIT}){_OF}(?P<t>{_MONTH})"
                 rf"|(?:ب|في\s+)?اخر\s+(?:(?P<n2>{_NUM})\s+)?(?P<u2>{_AR_UNIT}){_OF}(?P<t2>{_MONTH})"
                 rf"|(?:ال)?(?P<u3>اسبوع|ايام|عشر)\s+(?:الاخير|الاخيره|الاواخر){_OF}(?P<t3>{_MONTH})")
        for m in self.each(parts):
            unit = m.group("u") or m.group("u2") or ("اسبوع" if m.group("u3") == "اسبوع" else "يوم")
            raw = m.group("n") or m.group("n2") or ("10" if m.group("u3") in ("ايام", "عشر") else None)
            n = _n(raw, unit.rstrip("s"))
            if n is None:
                continue
            month = self.month(m.group("t") or m.group("t2") or m.group("t3"))
            self.add(m, lambda y, mo=month, k=n: (max(_g(y, mo, 1), _month_end(y, mo) - timedelta(days=k - 1)),  # type: ignore[misc]
                                                  _month_end(y, mo)), "window")
        # "last 10 days" with no month: Ramadan's, when the sentence is about Ramadan.
        if re.search(_RAMADAN, self.text):
            for m in self.each(rf"(?:the\s+)?(?:last|final)\s+(?P<n>{_NUM})\s+(?P<u>{_EN_UNIT})(?!\s+(?:of|in|before))"
                               rf"|(?:ب|في\s+)?اخر\s+(?P<n2>{_NUM})\s+(?P<u2>{_AR_UNIT})(?!\s+(?:من|في|قبل))"):
                n = _n(m.group("n") or m.group("n2"), (m.group("u") or m.group("u2")).rstrip("s"))
                if n is not None:
                    self.add(m, lambda y, k=n: (max(_g(y, 9, 1), _month_end(y, 9) - timedelta(days=k - 1)),  # type: ignore[misc]
                                                _month_end(y, 9)), "window")

    def first_parts(self) -> None:
        tenth = (rf"(?:the\s+)?first\s+(?:ten|10)\s+days{_OF}(?P<t>{_DHUL})"
                 rf"|(?:[وبلف]?(?:ال|لل)?عشر\s+(?:الاوائل|الاول)\s+(?:من\s+)?|[وبلف]?(?:ال|لل)?عشر\s+)(?P<t2>{_DHUL})")
        for m in self.each(tenth):
            self.add(m, lambda y: (_g(y, 12, 1), _g(y, 12, 10)), "window")
        parts = (rf"(?:the\s+)?first\s+(?:(?P<n>{_NUM})\s+)?(?P<u>{_EN_UNIT}){_OF}(?P<t>{_TARGET})"
                 rf"|(?:ب|في\s+)?اول\s+(?:(?P<n2>{_NUM})\s+)?(?P<u2>{_AR_UNIT})(?:{_OF})?(?P<t2>{_TARGET})"
                 rf"|(?:ال)?(?P<u3>اسبوع|يوم)\s+(?:الاول|الاولي){_OF}(?P<t3>{_TARGET})")
        for m in self.each(parts):
            unit = m.group("u") or m.group("u2") or m.group("u3")
            n = _n(m.group("n") or m.group("n2"), unit.rstrip("s") if unit.isascii() else unit)
            if n is None:
                continue
            _, first = self.target(m.group("t") or m.group("t2") or m.group("t3"))
            self.add(m, lambda y, f=first, k=n: (f(y), f(y) + timedelta(days=k - 1)), "window")  # type: ignore[misc]

    def eid_phrases(self) -> None:
        eve = (rf"(?:the\s+)?eve\s+of\s+(?P<t>{_EID})|(?P<t2>{_EID})\s+eve"
               rf"|(?:ليله|وقفه|عشيه)\s+(?P<t3>{_EID})|(?P<arafa>(?:يوم\s+)?عرفه|(?:the\s+)?day\s+of\s+arafah?|arafah?\s+day)")
        for m in self.each(eve):
            eid = _EIDS["eid_al_adha"] if m.group("arafa") else self.eid(m.group("t") or m.group("t2") or m.group("t3"))
            self.add(m, lambda y, e=eid: (e.first(y) - timedelta(days=1),) * 2, "day")  # type: ignore[misc]
        until = rf"(?:until|till|til|to|through|thru|الي|حتي|لين|لغايه|لحد)\s+(?P<end>(?:the\s+)?end\s+of\s+|نهايه\s+|اخر\s+)?(?P<t>{_EID})"
        for m in self.each(until):
            eid = self.eid(m.group("t"))
            if m.group("end"):
                self.add(m, lambda y, e=eid: (e.last(y),) * 2, "end")  # type: ignore[misc]
            else:
                self.add(m, lambda y, e=eid: (e.first(y) - timedelta(days=1),) * 2, "end")  # type: ignore[misc]
        month_end = rf"(?:until|till|til|to|through|thru|الي|حتي|لين|لغايه|لحد)\s+(?:the\s+)?(?:end\s+of\s+|نهايه\s+|اخر\s+)(?P<t>{_MONTH})"
        for m in self.each(month_end):
            month = self.month(m.group("t"))
            self.add(m, lambda y, mo=month: (_month_end(y, mo),) * 2, "end")  # type: ignore[misc]
        before = (rf"(?:(?P<n>{_NUM})\s+(?P<u>{_EN_UNIT})\s+|an?\s+(?P<u1>week|day)\s+)?"
                  rf"(?:before|ahead\s+of|leading\s+up\s+to|(?:in\s+)?the\s+run[\s-]up\s+to|run[\s-]up\s+to|lead[\s-]up\s+to|pre[\s-])"
                  rf"\s*(?P<t>{_EID})"
                  rf"|قبل\s+(?P<t2>{_EID})(?:\s+ب\s*(?:(?P<n2>{_NUM})\s+)?(?P<u2>{_AR_UNIT}))?")
        for m in self.each(before):
            eid = self.eid(m.group("t") or m.group("t2"))
            unit = m.group("u") or m.group("u1") or m.group("u2")
            n = _n(m.group("n") or m.group("n2"), unit.rstrip("s") if unit and unit.isascii() else unit) if unit else None
            if n is None:
                self.add(m, lambda y, e=eid: (e.run_up(y), e.first(y) - timedelta(days=1)), "window", inferred=True)  # type: ignore[misc]
            else:
                self.add(m, lambda y, e=eid, k=n: (e.first(y) - timedelta(days=k), e.first(y) - timedelta(days=1)),  # type: ignore[misc]
                         "window")
        # "only Eid days", "during Eid only", "أيام العيد فقط": Eid's own days, said on purpose (not inferred).
        days_only = (rf"(?:only\s+(?:during|on|in)\s+(?P<t>{_EID})(?:\s+days)?|(?:only\s+)?(?P<t2>{_EID})\s+days\s+only"
                     rf"|only\s+(?P<t3>{_EID})\s+days|(?:خلال\s+|في\s+)?ايام\s+(?P<t4>{_EID})\s+(?:فقط|بس))")
        for m in self.each(days_only):
            eid = self.eid(m.group("t") or m.group("t2") or m.group("t3") or m.group("t4"))
            self.add(m, lambda y, e=eid: (e.first(y), e.last(y)), "window")  # type: ignore[misc]
        dress = (rf"(?<!\S)و?لل?عيد(?:\s+(?:الفطر|الاضحي))?{_NOT_OTHER_EID}"
                 rf"|(?P<t>{_EID})\s+shopping|get(?:ting)?\s+ready\s+for\s+(?P<t2>{_EID})|shop(?:ping)?\s+for\s+(?P<t3>{_EID})"
                 # An Eid sale is shopping for Eid too: Gulf shoppers buy in the run-up (clothes, gifts, عيدية).
                 rf"|(?P<t4>{_EID})\s+(?:sales?|offers?|deals?|discounts?|promotions?)\b"
                 rf"|(?:تخفيضات|عروض|خصومات|تنزيلات)\s+(?P<t5>{_EID})")
        for m in self.each(dress):
            eid = self.eid(m.group("t") or m.group("t2") or m.group("t3") or m.group("t4") or m.group("t5")
                           or m.group(0))
            self.add(m, lambda y, e=eid: (e.run_up(y), e.last(y)), "window", inferred=True)  # type: ignore[misc]

    def single_days(self) -> None:
        for m in self.each(rf"{_DAY}\s*(?:of\s+|من\s+)?(?P<t>{_MONTH})"):
            day, month = int(m.group(1)), self.month(m.group("t"))
            if re.search(r"\d\s*(?:-|to|الي|و)\s*$", self.text[max(0, m.start() - 6):m.start()]):
                continue  # the end of a range read as ages ("women 18-25 Ramadan sale"), not a day
            if 1 <= day <= 30:
                self.add(m, lambda y, d=day, mo=month: (min(_g(y, mo, 1) + timedelta(days=d - 1),  # type: ignore[misc]
                                                            _month_end(y, mo)),) * 2, "day")

    # Putting it together --------------------------------------------------------------------------------

    def role(self, f: _Found) -> str:
        if f.role != "day":
            return f.role
        before = self.text[max(0, f.start - 16):f.start]
        if _END_CUE.search(before):
            return "end"
        if _START_CUE.search(before):
            return "start"
        return "day"

    def resolve(self, h_year: int) -> tuple[date | None, date | None]:
        said = [f for f in self.found if f.role == "window" and not f.inferred]
        # Dates said outright ("only Eid days") outrank the window an occasion implies ("Eid sale").
        windows = [f.window(h_year) for f in (said or [f for f in self.found if f.role == "window"])]
        starts: list[date] = []
        ends: list[date] = []
        loose: list[date] = []
        for f in self.found:
            role = self.role(f)
            if role == "start":
                starts.append(f.window(h_year)[0])
            elif role == "end":
                ends.append(f.window(h_year)[1])
            elif role == "day":
                loose.append(f.window(h_year)[0])
        alone = len(loose) == 1 and not starts and not ends and not windows
        for day in loose:  # "1 Ramadan ... 10 Ramadan" with no cue: the first one starts, the next one ends
            (ends if starts and not ends else starts).append(day)
        start = starts[0] if starts else (min(w[0] for w in windows) if windows else None)
        end = ends[0] if ends else (max(w[1] for w in windows) if windows else None)
        if alone:
            end = start  # "Eid eve" alone: that one day
        return start, end


def read_hijri_dates(scan: Scan, today: date) -> HijriDates | None:
    """The dates Hijri phrases give, or None; their numbers and unit words are taken (not a budget or duration)."""
    if not re.search(r"ramad|ramz|shaw|hij|eid|arafa|nights|رمضان|شوال|الحجه|عيد|عرفه|عشر|ليالي", scan.norm.text):
        return None
    reader = _Reader(scan, today)
    reader.read()
    if not reader.found:
        return None
    try:
        h_year = Gregorian.fromdate(today).to_hijri().year
    except (OverflowError, ValueError):  # outside the Umm al-Qura table (1924-2077)
        return None
    start: date | None = None
    end: date | None = None
    for year in (h_year - 1, h_year, h_year + 1):
        try:
            start, end = reader.resolve(year)
        except (OverflowError, ValueError):
            continue
        if (end or start or today) >= today:
            break
    if start is not None and start < today <= (end or start):
        start = today
    spans: list[Span] = []
    for f in sorted(reader.found, key=lambda f: f.start):
        consume_numbers(scan, f.start, f.end)
        spans.append(_span_of(scan, f))
    # Words inside the phrases are read: "10 days" is not a duration again, "from" not a relative start.
    scan.hits = [h for h in scan.hits
                 if h.cat in ("occasion", "objective")  # "Eid sale": the sale is still the objective
                 or not any(f.start <= h.start and h.end <= f.end for f in reader.found)]
    inferred = all(f.inferred for f in reader.found)
    return HijriDates(start, end, spans, inferred)


def _span_of(scan: Scan, f: _Found) -> Span:
    """The phrase's span; an inferred window points at its occasion word, as an occasion's window does."""
    if f.inferred:
        for h in scan.hits:
            if h.cat == "occasion" and f.start <= h.start and h.end <= f.end:
                return scan.span(h.start, h.end)
    return scan.span(f.start, f.end)
