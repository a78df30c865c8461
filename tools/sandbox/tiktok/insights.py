"""The integrated report: what the delivery model says each campaign, ad group and ad delivered, as TikTok reports it."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tools.sandbox.delivery import (
    AdDay,
    AdNode,
    AdSetNode,
    Budget,
    CampaignTree,
    Totals,
    deliver,
    intersect,
    on_spans,
    to_major,
    to_minor,
    window,
)
from tools.sandbox.tiktok.base import ADVERTISER_ID, TIMEZONE, ApiError, TikTokSimBase, bad

# data_level -> (the id dimension, the AdDay field it groups by, the attribute metrics allowed at that level)
LEVELS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "AUCTION_CAMPAIGN": ("campaign_id", "campaign_id", ("campaign_name",)),
    "AUCTION_ADGROUP": ("adgroup_id", "ad_set_id", ("campaign_id", "campaign_name", "adgroup_name")),
    "AUCTION_AD": ("ad_id", "ad_id", ("campaign_id", "campaign_name", "adgroup_id", "adgroup_name", "ad_name")),
}
FILTERS = {"campaign_ids": "campaign_id", "adgroup_ids": "ad_set_id", "ad_ids": "ad_id"}
NOT_DELIVERING_AUDIT = ("AUDIT", "AUDIT_DENY")


def _timestamp(raw: Any) -> float | None:
    """A TikTok schedule time ('YYYY-MM-DD HH:MM:SS', UTC+0); None when not set."""
    if not raw:
        return None
    return datetime.strptime(str(raw), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()


class TikTokInsights(TikTokSimBase):
    """/report/integrated/get/ (BASIC; AUCTION_CAMPAIGN, AUCTION_ADGROUP or AUCTION_AD; by day or in total)."""

    def _delivery_budget(self, obj: dict[str, Any]) -> Budget | None:
        mode, amount = obj.get("budget_mode"), obj.get("budget")
        if amount is None or mode not in ("BUDGET_MODE_DAY", "BUDGET_MODE_TOTAL"):
            return None
        minor = to_minor(Decimal(repr(float(amount))), self.currency)
        return Budget(daily=minor) if mode == "BUDGET_MODE_DAY" else Budget(lifetime=minor)

    def _trees(self) -> list[CampaignTree]:
        """Every campaign of the advertiser with its ad groups and ads, as the delivery model reads them."""
        ads_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for ad in self.store.list("ad", account_id=ADVERTISER_ID):
            ads_of[str(ad.get("adgroup_id"))].append(ad)
        groups_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for group in self.store.list("adgroup", account_id=ADVERTISER_ID):
            groups_of[str(group.get("campaign_id"))].append(group)
        trees = []
        for campaign in self.store.list("campaign", account_id=ADVERTISER_ID):
            groups = []
            for g in groups_of[campaign["id"]]:
                ads = tuple(
                    AdNode(a["id"], a.get("ad_name") or "",
                           () if a.get("audit_status") in NOT_DELIVERING_AUDIT else on_spans(a, "operation_status", ["ENABLE"]))
                    for a in ads_of[g["id"]]
                )  # fmt: skip
                end = _timestamp(g.get("schedule_end_time"))
                on = intersect(
                    on_spans(g, "operation_status", ["ENABLE"]), window(_timestamp(g.get("schedule_start_time")), end)
                )
                groups.append(AdSetNode(g["id"], g.get("adgroup_name") or "", on, end, self._delivery_budget(g), ads))
            trees.append(CampaignTree(campaign["id"], campaign.get("campaign_name") or "",
                                      on_spans(campaign, "operation_status", ["ENABLE"]), self._delivery_budget(campaign),
                                      tuple(groups)))  # fmt: skip
        return trees

    def _report(self, params: dict[str, Any]) -> dict[str, Any]:
        level = str(params.get("data_level"))
        if level not in LEVELS or params.get("report_type") != "BASIC":
            raise bad("data_level", f"the sandbox reports report_type BASIC at data_level {sorted(LEVELS)}.")
        id_dimension, group_key, attributes = LEVELS[level]
        dims = params.get("dimensions") or []
        if id_dimension not in dims or not set(dims) <= {id_dimension, "stat_time_day"}:
            raise bad("dimensions", f'the sandbox needs ["{id_dimension}"] or ["{id_dimension}", "stat_time_day"].')
        try:
            since, until = (
                date.fromisoformat(str(params["start_date"])),
                date.fromisoformat(str(params["end_date"])),
            )
        except (KeyError, ValueError) as exc:
            raise bad("start_date", "start_date and end_date must be YYYY-MM-DD.") from exc
        if until < since or (until - since).days > 365:
            raise bad("end_date", "the date range must be between 1 and 365 days.")
        wanted: dict[str, set[str]] = {}
        for rule in params.get("filtering") or []:
            attr = FILTERS.get(str(rule.get("field_name")))
            if attr is None:
                continue
            raw = rule.get("filter_value")
            values = json.loads(raw) if isinstance(raw, str) else raw
            if len(values) > 100:
                raise ApiError(40011, "filtering: at most 100 IDs per filter.")
            wanted[attr] = {str(v) for v in values}
        metrics = params.get("metrics") or ["spend"]
        unknown = [m for m in metrics if m in {a for _, _, attrs in LEVELS.values() for a in attrs} - set(attributes)]
        if unknown:
            raise bad("metrics", f"{unknown} are not attribute metrics of {level}.")
        tz, now = ZoneInfo(TIMEZONE), self.faults.now()
        ad_days: list[AdDay] = []
        for tree in self._trees():
            if tree.id not in wanted.get("campaign_id", {tree.id}):
                continue
            for row in deliver("tiktok", tree, currency=self.currency, tz=tz, now=now, until=until):
                if row.day >= since and all(str(getattr(row, a)) in v for a, v in wanted.items()):
                    ad_days.append(row)
        rows = self._rows(ad_days, group_key, id_dimension, "stat_time_day" in dims, since, metrics)
        page, size = int(params.get("page") or 1), min(1000, int(params.get("page_size") or 10))
        total_page = max(1, -(-len(rows) // size))
        return {"list": rows[(page - 1) * size : page * size],
                "page_info": {"page": page, "page_size": size, "total_number": len(rows), "total_page": total_page}}  # fmt: skip

    def _rows(
        self, ad_days: list[AdDay], group_key: str, id_dimension: str, daily: bool, since: date, metrics: list[str]
    ) -> list[dict[str, Any]]:
        """A row per object (and day) that delivered: TikTok leaves out rows with nothing in them."""
        grouped: dict[tuple[str, date], Totals] = {}
        first: dict[str, AdDay] = {}
        for row in ad_days:
            object_id = str(getattr(row, group_key))
            first.setdefault(object_id, row)
            grouped.setdefault((object_id, row.day if daily else since), Totals()).add(row)
        out = []
        for (object_id, day), t in sorted(grouped.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            sample = first[object_id]
            spend = to_major(t.spend, self.currency)
            values = {
                "spend": str(spend), "impressions": str(t.impressions), "reach": str(t.reach),
                "clicks": str(t.clicks), "conversion": str(t.conversions), "video_play_actions": str(t.video_views),
                "ctr": f"{100 * t.clicks / t.impressions:.2f}", "cpm": f"{1000 * spend / t.impressions:.2f}",
                "cpc": f"{spend / t.clicks:.2f}" if t.clicks else "0.00",
                "campaign_id": sample.campaign_id, "campaign_name": sample.campaign_name,
                "adgroup_id": sample.ad_set_id, "adgroup_name": sample.ad_set_name, "ad_name": sample.ad_name,
            }  # fmt: skip
            dimensions = {id_dimension: object_id}
            if daily:
                dimensions["stat_time_day"] = f"{day.isoformat()} 00:00:00"
            out.append({"dimensions": dimensions, "metrics": {m: values.get(m, "0") for m in metrics}})
        return out
