"""The integrated report: deterministic daily numbers per campaign that was ever enabled."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from tools.sandbox.core import daily_stats
from tools.sandbox.tiktok.base import ADVERTISER_ID, ApiError, TikTokSimBase, bad


class TikTokInsights(TikTokSimBase):
    """/report/integrated/get/ (BASIC, AUCTION_CAMPAIGN by campaign and day)."""

    def _report(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("data_level") != "AUCTION_CAMPAIGN" or params.get("report_type") != "BASIC":
            raise bad(
                "data_level", "the sandbox reports report_type BASIC at data_level AUCTION_CAMPAIGN only."
            )
        dims = params.get("dimensions") or []
        if "campaign_id" not in dims or "stat_time_day" not in dims:
            raise bad("dimensions", 'the sandbox needs ["campaign_id", "stat_time_day"].')
        try:
            since, until = (
                date.fromisoformat(str(params["start_date"])),
                date.fromisoformat(str(params["end_date"])),
            )
        except (KeyError, ValueError) as exc:
            raise bad("start_date", "start_date and end_date must be YYYY-MM-DD.") from exc
        if until < since or (until - since).days > 365:
            raise bad("end_date", "the date range must be between 1 and 365 days.")
        wanted: set[str] | None = None
        for rule in params.get("filtering") or []:
            if rule.get("field_name") == "campaign_ids":
                values = (
                    json.loads(rule["filter_value"])
                    if isinstance(rule.get("filter_value"), str)
                    else rule.get("filter_value")
                )
                if len(values) > 100:
                    raise ApiError(40011, "filtering: at most 100 IDs per filter.")
                wanted = {str(v) for v in values}
        metrics = params.get("metrics") or ["spend"]
        rows = []
        for campaign in self.store.list("campaign", account_id=ADVERTISER_ID):
            if (wanted is not None and campaign["id"] not in wanted) or not campaign.get("ever_enabled"):
                continue
            cap = campaign.get("budget") or sum(
                a.get("budget") or 0 for a in self.store.list("adgroup", parent_id=campaign["id"])
            )
            day = since
            while day <= until:
                s = daily_stats("tiktok", campaign["id"], day, float(cap) if cap else None)
                values = {"spend": f"{s['spend']:.2f}", "impressions": str(s["impressions"]), "clicks": str(s["clicks"]),
                          "conversion": str(s["conversions"]), "video_play_actions": str(s["video_views"]),
                          "ctr": f"{100 * s['clicks'] / max(1, s['impressions']):.2f}",
                          "cpc": f"{s['spend'] / max(1, s['clicks']):.2f}",
                          "cpm": f"{1000 * s['spend'] / max(1, s['impressions']):.2f}"}  # fmt: skip
                rows.append({"dimensions": {"campaign_id": campaign["id"], "stat_time_day": f"{day.isoformat()} 00:00:00"},
                             "metrics": {m: values.get(m, "0") for m in metrics}})  # fmt: skip
                day += timedelta(days=1)
        page, size = int(params.get("page") or 1), min(1000, int(params.get("page_size") or 10))
        total_page = max(1, -(-len(rows) // size))
        return {"list": rows[(page - 1) * size : page * size],
                "page_info": {"page": page, "page_size": size, "total_number": len(rows), "total_page": total_page}}  # fmt: skip
