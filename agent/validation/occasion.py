"""An adjustment that moves an occasion's campaign out of the occasion ("start next Sunday" for a Ramadan sale) is
asked about first: keep the occasion's dates, or run on the new dates as a campaign without the occasion."""

from __future__ import annotations

from datetime import date
from typing import Any

from agent.localize import date_text
from agent.models import CampaignRequest
from agent.parsing.occasions import next_window
from agent.planning import effective_schedule
from agent.validation.issues import ValidationIssue, make_fix, make_issue
from agent.validation.request import _occasion_names


def _overlaps(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def occasion_moved_issue(
    request: CampaignRequest, previous_plan: dict[str, Any] | None, today: date
) -> ValidationIssue | None:
    """A blocking question when the plan shown ran within the request's occasion and the new dates do not touch it.

    Only a change does this: a first request's dates are the marketer's own (a pre-Ramadan teaser is a choice).
    """
    if not previous_plan or not request.theme:
        return None
    window = next_window(request.theme, today)
    if window is None:
        return None
    shown = (date.fromisoformat(str(previous_plan["start_date"])), date.fromisoformat(str(previous_plan["end_date"])))
    wanted = effective_schedule(request, today)
    if not _overlaps(shown, window) or _overlaps(wanted, window):
        return None
    en, ar = _occasion_names(request.theme)
    a_shown, a_wanted, a_window = ([date_text(d, "ar") for d in pair] for pair in (shown, wanted, window))
    keep_days = (shown[1] - shown[0]).days + 1
    keep = make_fix(
        (f"Keep the {en} dates ({shown[0]} to {shown[1]})", f"أبقِ تواريخ {ar} ({a_shown[0]} إلى {a_shown[1]})"),
        {"schedule": {"start_date": shown[0].isoformat(), "end_date": shown[1].isoformat(),
                      "duration_days": keep_days}},
    )
    move = make_fix(
        (f"Run from {wanted[0]} to {wanted[1]} as a campaign that is not about {en}",
         f"شغّلها من {a_wanted[0]} إلى {a_wanted[1]} كحملة لا تخص {ar}"),
        {"theme": None},
    )
    text = (
        f"The new dates ({wanted[0]} to {wanted[1]}) are outside {en} ({window[0]} to {window[1]}): a {en} "
        f"campaign would run when {en} is not on. Which do you want?",
        f"التواريخ الجديدة ({a_wanted[0]} إلى {a_wanted[1]}) خارج {ar} ({a_window[0]} إلى {a_window[1]}): حملة {ar} "
        f"ستعمل في غير وقتها. أيهما تريد؟",
    )
    return make_issue("schedule", "schedule_outside_occasion", "error", text, fixes=[keep, move])
