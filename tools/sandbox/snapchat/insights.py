"""Ad account stats: deterministic daily numbers per campaign that was ever active, in micro."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request

from tools.sandbox.core import daily_stats
from tools.sandbox.snapchat.base import AD_ACCOUNT_ID, TIMEZONE, SnapchatSimBase, SnapError, bad


class SnapchatInsights(SnapchatSimBase):
    """GET /adaccounts/{id}/stats (granularity=DAY, breakdown=campaign)."""

    def _stats(self, request: Request) -> dict[str, Any]:
        q = request.query_params
        if q.get("granularity") != "DAY" or q.get("breakdown") != "campaign":
            raise bad(
                "granularity", "the sandbox serves granularity=DAY&breakdown=campaign on ad account stats."
            )
        tz = ZoneInfo(TIMEZONE)
        try:
            start = datetime.fromisoformat(str(q.get("start_time"))).astimezone(tz)
            end = datetime.fromisoformat(str(q.get("end_time"))).astimezone(tz)
        except ValueError as exc:
            raise bad("start_time", "start_time and end_time must be ISO-8601.") from exc
        if end <= start:
            raise SnapError(400, "E1008", "Unsupported Stats Query: end_time must be after start_time.")
        if (start.hour, start.minute) != (0, 0) or (end.hour, end.minute) != (0, 0):
            raise SnapError(
                400,
                "E1008",
                "Unsupported Stats Query: DAY windows must start and end at midnight in the account time zone.",
            )
        if (end - start).days > 32:
            raise SnapError(
                400, "E1008", "Unsupported Stats Query: DAY queries cannot span more than 32 days."
            )
        children = []
        for campaign in self.store.list("campaign", account_id=AD_ACCOUNT_ID):
            if not campaign.get("ever_active"):
                continue
            cap = campaign.get("daily_budget_micro") or sum(
                int(s.get("daily_budget_micro") or 0)
                for s in self.store.list("adsquad", parent_id=campaign["id"])
            )
            series, day = [], start
            while day < end:
                s = daily_stats("snapchat", campaign["id"], day.date(), cap / 1_000_000 if cap else None)
                series.append({"start_time": day.isoformat(), "end_time": (day + timedelta(days=1)).isoformat(),
                               "stats": {"impressions": s["impressions"], "swipes": s["clicks"],
                                         "spend": int(round(s["spend"] * 100)) * 10_000,
                                         "video_views": s["video_views"], "conversion_purchases": s["conversions"]}})  # fmt: skip
                day += timedelta(days=1)
            children.append(
                {"id": campaign["id"], "type": "CAMPAIGN", "granularity": "DAY", "timeseries": series}
            )
        stat = {"id": AD_ACCOUNT_ID, "type": "AD_ACCOUNT", "granularity": "DAY", "start_time": start.isoformat(),
                "end_time": end.isoformat(), "breakdown_stats": {"campaign": children}}  # fmt: skip
        return {"timeseries_stats": [{"sub_request_status": "SUCCESS", "timeseries_stat": stat}]}
