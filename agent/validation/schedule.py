"""Schedule rules: dates in the past, an end before the start, and the dates assumed when none are given."""

from __future__ import annotations

from datetime import date, timedelta

from agent import messages as msg
from agent.models import CampaignRequest
from agent.parsing.occasions import peak_end
from agent.planning import DEFAULT_DURATION_DAYS, effective_schedule, schedule_days
from agent.validation.issues import ValidationIssue, make_fix, make_issue, schedule_patch


def check_schedule(request: CampaignRequest, today: date) -> tuple[list[ValidationIssue], bool]:
    """(issues, whether the schedule is usable for the budget check)."""
    s = request.schedule
    start, end = effective_schedule(request, today)
    wanted_days = s.duration_days or DEFAULT_DURATION_DAYS
    if s.start_date is not None and s.start_date < today:
        keep = schedule_days(start, end) if end >= start else wanted_days
        fixes = []
        if s.end_date is not None and s.end_date >= today:
            fixes.append(
                make_fix(
                    msg.text("fix_start_on", when="today", when_ar="اليوم", start=today, end=s.end_date),
                    {
                        "schedule": {
                            "start_date": today.isoformat(),
                            "end_date": s.end_date.isoformat(),
                            "duration_days": schedule_days(today, s.end_date),
                        }
                    },
                )
            )
        tomorrow = today + timedelta(days=1)
        for when, when_ar, day in (("today", "اليوم", today), ("tomorrow", "غداً", tomorrow)):
            patch = schedule_patch(day, keep)
            label = msg.text(
                "fix_start_on", when=when, when_ar=when_ar, start=day, end=patch["schedule"]["end_date"]
            )
            if patch not in [f.patch for f in fixes]:
                fixes.append(make_fix(label, patch))
        text = msg.text("date_in_past", start=s.start_date, today=today)
        return [make_issue("schedule.start_date", "date_in_past", "error", text, fixes=fixes)], False
    if end < start:
        patch = schedule_patch(start, wanted_days)
        fixes = [
            make_fix(
                msg.text(
                    "fix_run_days", days=msg.days(wanted_days), start=start, end=patch["schedule"]["end_date"]
                ),
                patch,
            )
        ]
        if end < today:
            text = msg.text("end_in_past", end=end, today=today)
            return [make_issue("schedule.end_date", "date_in_past", "error", text, fixes=fixes)], False
        if s.start_date is not None:
            fixes.append(
                make_fix(
                    msg.text("fix_swap_dates", start=end, end=start),
                    schedule_patch(end, schedule_days(end, start)),
                )
            )
        text = msg.text("end_before_start", start=start, end=end)
        return [make_issue("schedule.end_date", "end_before_start", "error", text, fixes=fixes)], False
    info: tuple[str, str] | None = None
    n_days = msg.days(schedule_days(start, end))
    if s.start_date is None and s.end_date is None and s.duration_days is None:
        info = msg.text("schedule_default_all", start=start, end=end, days=n_days)
    elif s.end_date is None and s.duration_days is None:
        info = msg.text("schedule_default_end", start=start, end=end, days=n_days)
    elif s.start_date is None:
        info = msg.text("schedule_default_start", start=start, end=end)
    issues = [make_issue("schedule", "schedule_default", "info", info)] if info else []
    run_up = peak_end(request.theme, start, end)
    if run_up is not None and run_up[1] == "eid_run_up" and run_up[0] < end:
        # The window holds the run-up and Eid itself ("Eid sale", "للعيد"): say why it starts before Eid.
        before = (run_up[0] - start).days + 1
        issues.append(make_issue("schedule", "eid_run_up_included", "info",
                                 msg.text("eid_run_up_included", start=start, end=end, days=msg.days(before))))
    return issues, True
