"""Occasions and themes: words per slug, and each dated occasion's next window on the Umm al-Qura calendar.

Window rules (documented decisions):
- Ramadan: 1 Ramadan to its last day (29 or 30, per Umm al-Qura).
- Eid al-Fitr: 1-3 Shawwal. Eid al-Adha: 10-13 Dhu al-Hijjah. Hajj: 8-13 Dhu al-Hijjah. A bare "Eid"
  means whichever of the two Eids comes next.
- White Friday / Black Friday: the Friday after the fourth Thursday of November (one day; marketers who
  want the whole week say so). Saudi National Day: 23 Sep. Founding Day: 22 Feb. Mother's Day (Arab
  world): 21 Mar. Valentine's: 14 Feb. New Year: 1 Jan. UAE National Day: 2 Dec. Kuwait National Day:
  25 Feb. Qatar National Day: 18 Dec. Bahrain National Day: 16 Dec.
- "Next occurrence": the first window that has not ended by `today`; when `today` falls inside it, the
  schedule starts today (a campaign cannot start in the past) and ends on the window's last day.
- Themes without a date (summer, winter, back_to_school, graduation...) give the slug and no schedule.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from hijridate import Gregorian, Hijri

# slug -> surface forms (English lower-case, Arabic as written; rules folds them).
OCCASION_WORDS: dict[str, tuple[str, ...]] = {
    "ramadan": ("ramadan", "ramadhan", "ramzan", "ramdan", "ramadan kareem", "رمضان", "شهر رمضان", "رمضان كريم",
                "last ten nights", "last 10 nights", "العشر الاواخر", "العشر الأواخر", "ليالي العشر"),
    "eid_al_fitr": ("eid al fitr", "eid al-fitr", "eid ul fitr", "eid ul-fitr", "eid-al-fitr", "eid el fitr",
                    "eid alfitr", "eid fitr", "fitr", "small eid", "عيد الفطر", "الفطر", "العيد الصغير"),
    "eid_al_adha": ("eid al adha", "eid al-adha", "eid ul adha", "eid ul-adha", "eid-al-adha", "eid el adha",
                    "eid aladha", "adha", "big eid", "عيد الاضحى", "الاضحى", "عيد الاضحي", "الاضحي",
                    "العيد الكبير", "dhu al hijjah", "dhu al-hijjah", "dhul hijjah", "ذو الحجه", "ذي الحجه"),
    "eid": ("eid", "eid mubarak", "عيد", "العيد"),
    "hajj": ("hajj", "haj", "hajj season", "حج", "موسم الحج", "يوم عرفه", "عرفه", "arafah", "day of arafah"),
    "white_friday": ("white friday", "الجمعه البيضاء", "جمعه البيضاء", "الجمعه البيضا", "وايت فرايدي"),
    "black_friday": ("black friday", "الجمعه السوداء", "جمعه السوداء", "بلاك فرايدي"),
    "saudi_national_day": ("saudi national day", "ksa national day", "national day", "اليوم الوطني", "العيد الوطني",
                           "اليوم الوطني السعودي", "يوم الوطن", "اليوم الوطني ٩٤", "اليوم الوطني 95"),
    "founding_day": ("founding day", "saudi founding day", "يوم التاسيس", "يوم التأسيس"),
    "uae_national_day": ("uae national day", "eid al etihad", "عيد الاتحاد", "اليوم الوطني الاماراتي"),
    "kuwait_national_day": ("kuwait national day", "العيد الوطني الكويتي", "اليوم الوطني الكويتي"),
    "qatar_national_day": ("qatar national day", "اليوم الوطني القطري"),
    "bahrain_national_day": ("bahrain national day", "العيد الوطني البحريني"),
    "mothers_day": ("mother's day", "mothers day", "mothers' day", "mom's day", "عيد الام", "يوم الام"),
    "valentines": ("valentine's", "valentines", "valentine's day", "valentines day", "valentine", "عيد الحب",
                   "الفالنتاين", "فالنتاين"),
    "new_year": ("new year", "new year's", "new years", "new year's eve", "nye", "راس السنه", "السنه الجديده",
                 "العام الجديد"),
    "singles_day": ("singles day", "singles' day", "يوم العزاب"),
    "back_to_school": ("back to school", "back-to-school", "العوده للمدارس", "العوده الى المدارس",
                       "العوده للمدرسه", "الدراسه", "رجعه المدارس", "بداية المدارس", "المدارس"),
    "summer": ("summer", "الصيف", "صيف", "الصيفيه", "صيفي"),
    "winter": ("winter", "الشتاء", "شتاء", "الشتا", "شتوي"),
    "graduation": ("graduation", "graduates", "grads", "التخرج", "تخرج", "الخريجين"),
    "anniversary": ("anniversary", "ذكرى التاسيس", "الذكرى السنويه"),
    "grand_opening": ("grand opening", "grand reopening", "الافتتاح الكبير", "حفل الافتتاح"),
    "opening": ("opening", "الافتتاح", "افتتاح"),
    "end_of_season": ("end of season", "end-of-season", "نهايه الموسم"),
    "clearance": ("clearance", "clearance sale", "تصفيه"),
    "weekend": ("weekend", "نهايه الاسبوع", "الويكند", "ويكند"),
    "birthday": ("birthday", "عيد ميلاد", "عيد ميلادنا"),
}

# Known slugs the contract lists; others are "a slug of its own words".
KNOWN_SLUGS: frozenset[str] = frozenset(OCCASION_WORDS) - {"eid"}


def _hijri_window(h_month: int, first_day: int, last_day: int | None) -> Callable[[int], tuple[date, date]]:
    """Window generator for a Hijri month; last_day None means the month's last day."""

    def window(h_year: int) -> tuple[date, date]:
        start = Hijri(h_year, h_month, first_day).to_gregorian()
        end_day = last_day if last_day is not None else Hijri(h_year, h_month, 1).month_length()
        end = Hijri(h_year, h_month, end_day).to_gregorian()
        return date(start.year, start.month, start.day), date(end.year, end.month, end.day)

    return window


def _fixed_window(month: int, day: int) -> Callable[[int], tuple[date, date]]:
    def window(year: int) -> tuple[date, date]:
        d = date(year, month, day)
        return d, d

    return window


def _black_friday(year: int) -> tuple[date, date]:
    nov1 = date(year, 11, 1)
    first_thursday = nov1 + timedelta(days=(3 - nov1.weekday()) % 7)
    friday = first_thursday + timedelta(days=22)
    return friday, friday


_HIJRI: dict[str, Callable[[int], tuple[date, date]]] = {
    "ramadan": _hijri_window(9, 1, None),
    "eid_al_fitr": _hijri_window(10, 1, 3),
    "eid_al_adha": _hijri_window(12, 10, 13),
    "hajj": _hijri_window(12, 8, 13),
}
_GREGORIAN: dict[str, Callable[[int], tuple[date, date]]] = {
    "white_friday": _black_friday,
    "black_friday": _black_friday,
    "saudi_national_day": _fixed_window(9, 23),
    "founding_day": _fixed_window(2, 22),
    "mothers_day": _fixed_window(3, 21),
    "valentines": _fixed_window(2, 14),
    "new_year": _fixed_window(1, 1),
    "singles_day": _fixed_window(11, 11),
    "uae_national_day": _fixed_window(12, 2),
    "kuwait_national_day": _fixed_window(2, 25),
    "qatar_national_day": _fixed_window(12, 18),
    "bahrain_national_day": _fixed_window(12, 16),
}

DATED_SLUGS: frozenset[str] = frozenset(_HIJRI) | frozenset(_GREGORIAN)


def next_window(slug: str, today: date) -> tuple[date, date] | None:
    """First window of the occasion that has not ended by `today` (start clipped to today), or None."""
    if slug in _GREGORIAN:
        for year in (today.year, today.year + 1):
            start, end = _GREGORIAN[slug](year)
            if end >= today:
                return max(start, today), end
        return None
    if slug in _HIJRI:
        try:
            h_year = Gregorian.fromdate(today).to_hijri().year
        except (OverflowError, ValueError):  # outside the Umm al-Qura table (1924-2077)
            return None
        for year in (h_year, h_year + 1):
            try:
                start, end = _HIJRI[slug](year)
            except (OverflowError, ValueError):
                return None
            if end >= today:
                return max(start, today), end
    return None


def resolve_eid(today: date) -> str:
    """A bare "Eid": the Eid whose window comes next."""
    fitr = next_window("eid_al_fitr", today)
    adha = next_window("eid_al_adha", today)
    if fitr and adha:
        return "eid_al_fitr" if fitr[0] <= adha[0] else "eid_al_adha"
    return "eid_al_fitr"


def peak_end(slug: str | None, start: date, end: date) -> tuple[date, str] | None:
    """(last day, reason) of the days that matter most in an occasion's window, when they are not its first days.

    Ramadan sales peak in its last ten nights, so a Ramadan window that runs to the month's end keeps its end;
    a window that runs up to an Eid ("للعيد", "before Eid") peaks on the Eid's eve, when people shop for it.
    None: the first days matter most (Eid itself, a national day, Black Friday).
    """
    try:
        h_end = Gregorian.fromdate(end).to_hijri()
        after = Gregorian.fromdate(end + timedelta(days=1)).to_hijri()
    except (OverflowError, ValueError):
        return None
    if slug == "ramadan" and h_end.month == 9 and (after.month, after.day) == (10, 1):
        return end, "ramadan_last_nights"
    eid_first = {"eid_al_fitr": (10, 1), "eid_al_adha": (12, 10)}.get(slug or "")
    if eid_first is None:
        return None
    try:
        first = Hijri(h_end.year, *eid_first).to_gregorian()
    except (OverflowError, ValueError):
        return None
    first_day = date(first.year, first.month, first.day)
    if start < first_day <= end + timedelta(days=1):
        return first_day - timedelta(days=1), "eid_run_up"
    return None
