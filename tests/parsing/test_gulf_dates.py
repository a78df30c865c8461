"""Gulf date phrases (English and Arabic, either digits) and their windows: Ramadan, Eid al-Fitr and Eid al-Adha of
1448 and 1449 AH on the Umm al-Qura calendar, the Friday-Saturday weekend and relative spans (issue 17)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hijridate import Hijri

from agent.parsing import parse_instruction

# A day well before each year's Ramadan: every phrase means that year's season.
TODAY_BY_YEAR = {1448: date(2026, 12, 5), 1449: date(2027, 12, 1)}


def h(year: int, month: int, day: int) -> date:
    """The Gregorian date of a Hijri one (Umm al-Qura): expected windows defined by Hijri dates come from here."""
    g = Hijri(year, month, day).to_gregorian()
    return date(g.year, g.month, g.day)


def ramadan_end(year: int) -> date:
    return h(year, 10, 1) - timedelta(days=1)


Window = Callable[[int], tuple[date, date]]
PHRASES: list[tuple[str, Window]] = [
    ("Snapchat 1-10 Ramadan, 1000 SAR", lambda y: (h(y, 9, 1), h(y, 9, 10))),
    ("Snapchat Ramadan 1-10, 1000 SAR", lambda y: (h(y, 9, 1), h(y, 9, 10))),
    ("Snapchat from 1 Ramadan to 10 Ramadan, 1000 SAR", lambda y: (h(y, 9, 1), h(y, 9, 10))),
    ("سناب من ١ رمضان إلى ١٠ رمضان بميزانية ١٠٠٠ ريال", lambda y: (h(y, 9, 1), h(y, 9, 10))),
    ("سناب من 1 الى 10 رمضان بميزانية 1000 ريال", lambda y: (h(y, 9, 1), h(y, 9, 10))),
    ("last 10 days of Ramadan on Snapchat, 1000 SAR", lambda y: (ramadan_end(y) - timedelta(days=9), ramadan_end(y))),
    ("سناب آخر ١٠ أيام من رمضان ١٠٠٠ ريال", lambda y: (ramadan_end(y) - timedelta(days=9), ramadan_end(y))),
    ("Snapchat last week of Ramadan 1000 SAR", lambda y: (ramadan_end(y) - timedelta(days=6), ramadan_end(y))),
    ("Instagram the last ten nights, 2000 SAR", lambda y: (h(y, 9, 21), ramadan_end(y))),
    ("انستقرام العشر الأواخر من رمضان ٢٠٠٠ ريال", lambda y: (h(y, 9, 21), ramadan_end(y))),
    ("Snapchat first week of Ramadan 1000 SAR", lambda y: (h(y, 9, 1), h(y, 9, 7))),
    ("سناب أول أسبوع من رمضان ١٠٠٠ ريال", lambda y: (h(y, 9, 1), h(y, 9, 7))),
    ("first 3 days of Eid on TikTok, 3000 SAR", lambda y: (h(y, 10, 1), h(y, 10, 3))),
    ("اول ٣ ايام من العيد على تيك توك ٣٠٠٠ ريال", lambda y: (h(y, 10, 1), h(y, 10, 3))),
    ("سناب أول يومين من عيد الفطر ٣٠٠٠ ريال", lambda y: (h(y, 10, 1), h(y, 10, 2))),
    ("from 20 Ramadan until Eid eve, Snapchat 3000 SAR", lambda y: (h(y, 9, 20), ramadan_end(y))),
    ("خلها تبدأ من ٢٠ رمضان لين ليلة العيد، سناب ٣٠٠٠ ريال", lambda y: (h(y, 9, 20), ramadan_end(y))),
    ("Snapchat before Eid, 3000 SAR", lambda y: (h(y, 9, 21), ramadan_end(y))),
    ("سناب قبل العيد ٣٠٠٠ ريال", lambda y: (h(y, 9, 21), ramadan_end(y))),
    ("سناب قبل العيد بأسبوع ٣٠٠٠ ريال", lambda y: (ramadan_end(y) - timedelta(days=6), ramadan_end(y))),
    ("حملة سناب للعيد بميزانية ٢٠٠٠ ريال", lambda y: (h(y, 9, 21), h(y, 10, 3))),
    ("Snapchat Eid shopping campaign, 2000 SAR", lambda y: (h(y, 9, 21), h(y, 10, 3))),
    # An Eid sale is shopping for Eid: the run-up and Eid's days; "only Eid days" said outright outranks it.
    ("Snapchat Eid sale, 2000 SAR", lambda y: (h(y, 9, 21), h(y, 10, 3))),
    ("سناب تخفيضات العيد بميزانية ٢٠٠٠ ريال", lambda y: (h(y, 9, 21), h(y, 10, 3))),
    ("عروض عيد الأضحى على سناب ٣٠٠٠ ريال", lambda y: (h(y, 12, 1), h(y, 12, 13))),
    ("Snapchat Eid sale 2000 SAR, only Eid days", lambda y: (h(y, 10, 1), h(y, 10, 3))),
    ("سناب تخفيضات العيد ٢٠٠٠ ريال أيام العيد فقط", lambda y: (h(y, 10, 1), h(y, 10, 3))),
    ("Eid al-Adha offers on Snapchat 3000 SAR only during Eid", lambda y: (h(y, 12, 10), h(y, 12, 13))),
    ("Snapchat Eid al-Fitr, 1000 SAR", lambda y: (h(y, 10, 1), h(y, 10, 3))),
    ("Snapchat Eid al-Adha, 1000 SAR", lambda y: (h(y, 12, 10), h(y, 12, 13))),
    ("Eid al-Adha and the first ten days of Dhu al-Hijjah, Snapchat 3000 SAR", lambda y: (h(y, 12, 1), h(y, 12, 13))),
    ("سناب عشر ذي الحجة ٣٠٠٠ ريال", lambda y: (h(y, 12, 1), h(y, 12, 10))),
    ("حملة لعيد الأضحى على سناب ٣٠٠٠ ريال", lambda y: (h(y, 12, 1), h(y, 12, 13))),
    ("a week before Eid al-Adha, TikTok 3000 SAR", lambda y: (h(y, 12, 3), h(y, 12, 9))),
    ("first day of Eid al-Adha, Snapchat 500 SAR", lambda y: (h(y, 12, 10), h(y, 12, 10))),
    ("سناب يوم عرفة ٥٠٠ ريال", lambda y: (h(y, 12, 9), h(y, 12, 9))),
    ("Snapchat Ramadan sale, 1000 SAR", lambda y: (h(y, 9, 1), ramadan_end(y))),
]


@pytest.mark.parametrize("year", sorted(TODAY_BY_YEAR))
@pytest.mark.parametrize("text, window", PHRASES, ids=[p[0] for p in PHRASES])
def test_gulf_phrase_window(text: str, window: Window, year: int) -> None:
    r = parse_instruction(text, today=TODAY_BY_YEAR[year])
    start, end = window(year)
    assert (r.schedule.start_date, r.schedule.end_date) == (start, end)
    assert r.schedule.duration_days == (end - start).days + 1
    assert r.budget is not None and r.budget.period == "lifetime"  # no day number was read as money
    assert "schedule" in r.sources


@pytest.mark.parametrize("text, today, start, end", [
    # Literal dates checked against the Umm al-Qura table: 1 Ramadan 1448 = 2027-02-08, Ramadan 1448 has 29 days,
    # 1 Shawwal 1448 = 2027-03-09, 10 Dhu al-Hijjah 1448 = 2027-05-16; 1 Ramadan 1449 = 2028-01-28,
    # 1 Shawwal 1449 = 2028-02-26, 1 Dhu al-Hijjah 1449 = 2028-04-26 (a 29-day month).
    ("Snapchat 1-10 Ramadan, 1000 SAR", date(2026, 12, 5), date(2027, 2, 8), date(2027, 2, 17)),
    ("last 10 days of Ramadan on Snapchat, 1000 SAR", date(2026, 12, 5), date(2027, 2, 27), date(2027, 3, 8)),
    ("خلها تبدأ من ٢٠ رمضان لين ليلة العيد، سناب ٣٠٠٠ ريال", date(2026, 12, 5), date(2027, 2, 27), date(2027, 3, 8)),
    ("حملة سناب للعيد بميزانية ٢٠٠٠ ريال", date(2026, 12, 5), date(2027, 2, 28), date(2027, 3, 11)),
    ("Snapchat Eid al-Adha, 1000 SAR", date(2026, 12, 5), date(2027, 5, 16), date(2027, 5, 19)),
    ("Snapchat first week of Ramadan 1000 SAR", date(2027, 12, 1), date(2028, 1, 28), date(2028, 2, 3)),
    ("first 3 days of Eid on TikTok, 3000 SAR", date(2027, 12, 1), date(2028, 2, 26), date(2028, 2, 28)),
    ("Eid al-Adha and the first ten days of Dhu al-Hijjah, Snapchat 3000 SAR", date(2027, 12, 1),
     date(2028, 4, 26), date(2028, 5, 8)),
])
def test_pinned_gregorian_dates(text: str, today: date, start: date, end: date) -> None:
    r = parse_instruction(text, today=today)
    assert (r.schedule.start_date, r.schedule.end_date) == (start, end)


def test_a_window_already_under_way_starts_today() -> None:
    today = date(2027, 3, 4)  # 25 Ramadan 1448
    r = parse_instruction("Instagram the last ten nights, 2000 SAR", today=today)
    assert (r.schedule.start_date, r.schedule.end_date) == (today, date(2027, 3, 8))


def test_season_themes() -> None:
    assert parse_instruction("Instagram the last ten nights, 2000 SAR", today=date(2026, 12, 5)).theme == "ramadan"
    assert parse_instruction("from 20 Ramadan until Eid eve, Snapchat", today=date(2026, 12, 5)).theme == "ramadan"
    assert parse_instruction("حملة سناب للعيد", today=date(2026, 12, 5)).theme == "eid_al_fitr"


@pytest.mark.parametrize("text", ["TikTok women 18-25 Ramadan sale 5000 SAR", "TikTok Ramadan 18-25 women 5000 SAR",
                                  "تيك توك رمضان ١٨-٢٥ سنة ٥٠٠٠ ريال"])
def test_ages_next_to_ramadan_stay_ages(text: str) -> None:
    r = parse_instruction(text, today=date(2026, 12, 5))
    assert (r.audience.age_min, r.audience.age_max) == (18, 25)
    assert (r.schedule.start_date, r.schedule.end_date) == (date(2027, 2, 8), date(2027, 3, 8))


# The Gulf weekend: Friday and Saturday ---------------------------------------------------------------------

SUNDAY, FRIDAY, SATURDAY = date(2026, 12, 6), date(2026, 12, 11), date(2026, 12, 12)


@pytest.mark.parametrize("text, today, start, end", [
    ("Instagram this weekend 1000 SAR", SUNDAY, FRIDAY, SATURDAY),
    ("Instagram the weekend 1000 SAR", date(2026, 12, 9), FRIDAY, SATURDAY),
    ("Instagram this weekend 1000 SAR", FRIDAY, FRIDAY, SATURDAY),
    ("Instagram this weekend 1000 SAR", SATURDAY, SATURDAY, SATURDAY),
    ("Instagram next weekend 1000 SAR", SUNDAY, date(2026, 12, 18), date(2026, 12, 19)),
    ("انستقرام نهاية الأسبوع ١٠٠٠ ريال", SUNDAY, FRIDAY, SATURDAY),
    ("انستقرام الويكند ١٠٠٠ ريال", date(2026, 12, 10), FRIDAY, SATURDAY),
    ("انستقرام الويكند الجاي ١٠٠٠ ريال", SUNDAY, date(2026, 12, 18), date(2026, 12, 19)),
])
def test_gulf_weekend(text: str, today: date, start: date, end: date) -> None:
    r = parse_instruction(text, today=today)
    assert (r.schedule.start_date, r.schedule.end_date) == (start, end)
    assert r.theme is None  # a weekend is when the ads run, not what they are about
    assert r.budget is not None and r.budget.amount == 1000


# Relative spans ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, days", [
    ("Instagram next 2 weeks 1000 SAR", 14),
    ("Instagram for the next 10 days, 1000 SAR", 10),
    ("انستقرام الأسبوعين الجايين ١٠٠٠ ريال", 14),
    ("انستقرام خلال ١٠ أيام القادمة ١٠٠٠ ريال", 10),
    ("Instagram for 10 days 1000 SAR", 10),
])
def test_relative_spans_are_durations(text: str, days: int) -> None:
    r = parse_instruction(text, today=SUNDAY)
    assert r.schedule.duration_days == days
    assert r.schedule.start_date is None  # the flow starts it tomorrow and says so
    assert r.budget is not None and r.budget.amount == 1000


def test_next_week_still_starts_next_sunday() -> None:
    r = parse_instruction("Instagram next week 1000 SAR", today=date(2026, 12, 9))
    assert r.schedule.start_date == date(2026, 12, 13)
