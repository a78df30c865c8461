"""The Gulf weekend (Friday and Saturday): "this weekend", "next weekend", "نهاية الأسبوع", "الويكند".

Decisions: "this weekend" (or "the weekend", a bare "weekend") is the coming Friday and Saturday, or just
today when today is Saturday. "next weekend" is the Friday and Saturday of next week, which in the Gulf
starts on Sunday (as "next week" does in dates.py). The words are dates, not a theme.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from agent.models import Span
from agent.parsing.scan import Scan

_NEXT_AR = r"(?:الجاي|القادم|المقبل|الجايه|القادمه|المقبله|الياي)"
_WEEKEND = re.compile(
    r"(?:(?P<next>next|the\s+coming|coming|upcoming)\s+|(?:this|the)\s+)?(?<![a-z])week(?:-|\s)?ends?(?![a-z])(?!\s+(?:on|by|at|in|with)\b)"
    rf"|(?:[وبلف]?(?:ال|لل)?ويكند|(?:[وبلف]?ب?)نهايه\s+(?:ال|هال|هذا\s+ال)?اسبوع)(?:\s+(?P<next_ar>{_NEXT_AR}))?"
)
FRIDAY, SATURDAY = 4, 5


def weekend_dates(today: date, *, next_week: bool) -> tuple[date, date]:
    """(Friday, Saturday) of the weekend meant; (today, today) on a Saturday's "this weekend"."""
    if next_week:
        sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
        friday = sunday + timedelta(days=5)
        return friday, friday + timedelta(days=1)
    if today.weekday() == SATURDAY:
        return today, today
    friday = today + timedelta(days=(FRIDAY - today.weekday()) % 7)
    return friday, friday + timedelta(days=1)


def read_weekend(scan: Scan, today: date) -> tuple[date, date, Span] | None:
    """The weekend's dates and where they were said; its words stop being a theme or a relative start."""
    m = _WEEKEND.search(scan.norm.text)
    if m is None:
        return None
    start, end = weekend_dates(today, next_week=bool(m.group("next") or m.group("next_ar")))
    scan.hits = [h for h in scan.hits if not (m.start() <= h.start and h.end <= m.end())]
    return start, end, scan.span(m.start(), m.end())
