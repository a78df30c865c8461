"""The insights edge: what the delivery model says each campaign, ad set and ad delivered, as Graph reports it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tools.platforms.money import meta_offset
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
from tools.sandbox.meta.base import REQUEST_ACCOUNT, TIMEZONE, MetaSimBase, invalid

LEVELS = {"campaign": "campaign_id", "adset": "ad_set_id", "ad": "ad_id"}
FILTER_FIELDS = {"campaign.id": "campaign_id", "adset.id": "ad_set_id", "ad.id": "ad_id"}
NOT_DELIVERING_REVIEW = ("DISAPPROVED", "PENDING_REVIEW")


def _timestamp(raw: Any) -> float | None:
    """A Graph time as stored (ISO-8601 with an offset, or Unix seconds); None when not set."""
    if raw in (None, ""):
        return None
    text = str(raw)
    if text.isdigit():
        return float(text)
    return datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z").timestamp()


class MetaInsights(MetaSimBase):
    """GET /act_{id}/insights at level campaign, adset or ad; time_increment=1 (a row per day) or the whole range."""

    def _delivery_budget(self, obj: dict[str, Any]) -> Budget | None:
        daily, lifetime = obj.get("daily_budget"), obj.get("lifetime_budget")
        if daily is None and lifetime is None:
            return None

        def minor(raw: Any) -> int | None:
            if raw is None:
                return None
            return to_minor(Decimal(str(raw)) / meta_offset(self.currency), self.currency)

        return Budget(daily=minor(daily), lifetime=minor(lifetime))

    def _trees(self, account_id: str) -> list[CampaignTree]:
        """Every campaign of the account with its ad sets and ads, as the delivery model reads them."""
        ads_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for ad in self.store.list("ad", account_id=account_id):
            ads_of[str(ad.get("adset_id"))].append(ad)
        sets_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for ad_set in self.store.list("adset", account_id=account_id):
            sets_of[str(ad_set.get("campaign_id"))].append(ad_set)
        trees = []
        for campaign in self.store.list("campaign", account_id=account_id):
            ad_sets = []
            for s in sets_of[campaign["id"]]:
                ads = tuple(
                    AdNode(a["id"], a.get("name") or "",
                           () if a.get("review_status") in NOT_DELIVERING_REVIEW else on_spans(a, "status", ["ACTIVE"]))
                    for a in ads_of[s["id"]]
                )  # fmt: skip
                end = _timestamp(s.get("end_time"))
                on = intersect(on_spans(s, "status", ["ACTIVE"]), window(_timestamp(s.get("start_time")), end))
                ad_sets.append(AdSetNode(s["id"], s.get("name") or "", on, end, self._delivery_budget(s), ads))
            trees.append(CampaignTree(campaign["id"], campaign.get("name") or "", on_spans(campaign, "status", ["ACTIVE"]),
                                      self._delivery_budget(campaign), tuple(ad_sets)))  # fmt: skip
        return trees

    def _insights(self, params: dict[str, Any]) -> dict[str, Any]:
        level = str(params.get("level") or "campaign")
        if level not in LEVELS:
            raise invalid("level", "the sandbox reports level=campaign, adset or ad")
        time_range = self._json(params, "time_range") or {}
        try:
            since, until = date.fromisoformat(time_range["since"]), date.fromisoformat(time_range["until"])
        except (KeyError, ValueError, TypeError) as exc:
            raise invalid(
                "time_range", 'param time_range must be {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}'
            ) from exc
        if until < since or (until - since).days > 400:
            raise invalid("time_range", "time_range is invalid or longer than 37 months", 1487534)
        increment = str(params.get("time_increment") or "all_days")
        if increment not in ("1", "all_days"):
            raise invalid("time_increment", "the sandbox reports time_increment=1 or all_days")
        wanted: dict[str, set[str]] = {}
        for rule in self._json(params, "filtering", []) or []:
            attr, op = FILTER_FIELDS.get(str(rule.get("field"))), str(rule.get("operator", "")).upper()
            if attr is None or op not in ("IN", "EQUAL"):
                raise invalid("filtering", f"the sandbox filters on {sorted(FILTER_FIELDS)} with IN or EQUAL")
            values = rule.get("value")
            wanted[attr] = {str(v) for v in values} if op == "IN" and isinstance(values, list) else {str(values)}
        ad_days: list[AdDay] = []
        tz, now = ZoneInfo(TIMEZONE), self.faults.now()
        for tree in self._trees(REQUEST_ACCOUNT.get()):
            if tree.id not in wanted.get("campaign_id", {tree.id}):
                continue
            for row in deliver("meta", tree, currency=self.currency, tz=tz, now=now, until=until):
                if row.day >= since and all(str(getattr(row, a)) in v for a, v in wanted.items()):
                    ad_days.append(row)
        rows = self._rows(ad_days, level, increment == "1", since, until)
        fields = set(str(params.get("fields") or "spend,impressions").split(",")) | {"date_start", "date_stop"}
        return self._page([{k: v for k, v in r.items() if k in fields} for r in rows], params)

    def _rows(
        self, ad_days: list[AdDay], level: str, daily: bool, since: date, until: date
    ) -> list[dict[str, Any]]:
        """Graph's rows: one per object (and day with time_increment=1) that delivered anything; Graph leaves
        out objects and days without impressions."""
        grouped: dict[tuple[str, date], Totals] = {}
        first: dict[str, AdDay] = {}
        for ad_day in ad_days:
            object_id = str(getattr(ad_day, LEVELS[level]))
            first.setdefault(object_id, ad_day)
            grouped.setdefault((object_id, ad_day.day if daily else since), Totals()).add(ad_day)
        out = []
        for (object_id, day), t in sorted(grouped.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            sample = first[object_id]
            spend = to_major(t.spend, self.currency)
            row: dict[str, Any] = {
                "account_currency": self.currency, "campaign_id": sample.campaign_id,
                "campaign_name": sample.campaign_name, "spend": str(spend), "impressions": str(t.impressions),
                "reach": str(t.reach), "clicks": str(t.clicks),
                "ctr": f"{100 * t.clicks / t.impressions:.6f}", "cpm": f"{1000 * spend / t.impressions:.6f}",
                "cpc": f"{spend / t.clicks:.6f}" if t.clicks else "0",
                "actions": [{"action_type": "link_click", "value": str(t.clicks)},
                            {"action_type": "offsite_conversion.fb_pixel_purchase", "value": str(t.conversions)},
                            {"action_type": "video_view", "value": str(t.video_views)}],
                "date_start": day.isoformat(), "date_stop": (day if daily else until).isoformat(),
            }  # fmt: skip
            if level in ("adset", "ad"):
                row.update(adset_id=sample.ad_set_id, adset_name=sample.ad_set_name)
            if level == "ad":
                row.update(ad_id=sample.ad_id, ad_name=sample.ad_name)
            out.append(row)
        return out

