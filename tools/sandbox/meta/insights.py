"""The insights edge: deterministic daily numbers per campaign that was ever switched on."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tools.sandbox.core import daily_stats
from tools.sandbox.meta.base import REQUEST_ACCOUNT, MetaSimBase, invalid


class MetaInsights(MetaSimBase):
    """The insights edge of an ad account (level=campaign)."""

    def _insights(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("level", "campaign") != "campaign":
            raise invalid("level", "the sandbox reports level=campaign only")
        time_range = self._json(params, "time_range") or {}
        try:
            since, until = date.fromisoformat(time_range["since"]), date.fromisoformat(time_range["until"])
        except (KeyError, ValueError, TypeError) as exc:
            raise invalid(
                "time_range", 'param time_range must be {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}'
            ) from exc
        if until < since or (until - since).days > 400:
            raise invalid("time_range", "time_range is invalid or longer than 37 months", 1487534)
        wanted: set[str] | None = None
        for rule in self._json(params, "filtering", []) or []:
            if rule.get("field") == "campaign.id":
                wanted = {str(v) for v in rule.get("value") or []}
        rows = []
        for campaign in self.store.list("campaign", account_id=REQUEST_ACCOUNT.get()):
            if (wanted is not None and campaign["id"] not in wanted) or not campaign.get("ever_active"):
                continue
            cap = campaign.get("daily_budget") or sum(
                int(a.get("daily_budget") or 0) for a in self.store.list("adset", parent_id=campaign["id"])
            )
            day = since
            while day <= until:
                s = daily_stats("meta", campaign["id"], day, int(cap) / 100 if cap else None)
                rows.append({
                    "campaign_id": campaign["id"], "campaign_name": campaign["name"], "account_currency": self.currency,
                    "spend": f"{Decimal(str(s['spend'])):.2f}", "impressions": str(s["impressions"]),
                    "clicks": str(s["clicks"]), "date_start": day.isoformat(), "date_stop": day.isoformat(),
                    "actions": [{"action_type": "link_click", "value": str(s["clicks"])},
                                {"action_type": "offsite_conversion.fb_pixel_purchase", "value": str(s["conversions"])},
                                {"action_type": "video_view", "value": str(s["video_views"])}],
                })  # fmt: skip
                day += timedelta(days=1)
        fields = set(str(params.get("fields") or "spend,impressions").split(",")) | {
            "date_start",
            "date_stop",
        }
        return self._page([{k: v for k, v in r.items() if k in fields} for r in rows], params)
