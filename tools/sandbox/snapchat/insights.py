"""Ad account stats: what the delivery model says each campaign, ad squad and ad delivered, by day, in micro."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request

from tools.platforms.money import SNAPCHAT_MICRO, iso_exponent
from tools.sandbox.delivery import (
    AdNode,
    AdSetNode,
    Budget,
    CampaignTree,
    deliver,
    intersect,
    on_spans,
    to_minor,
    totals_by,
    window,
)
from tools.sandbox.snapchat.base import AD_ACCOUNT_ID, TIMEZONE, SnapchatSimBase, SnapError, bad

# breakdown -> (the entity type Snap names its children with, the AdDay field they group by)
BREAKDOWNS = {"campaign": ("CAMPAIGN", "campaign_id"), "adsquad": ("AD_SQUAD", "ad_set_id"), "ad": ("AD", "ad_id")}
STAT_FIELDS = ("impressions", "swipes", "spend", "uniques", "video_views", "conversion_purchases")


def _timestamp(raw: Any) -> float | None:
    """A Snap time (ISO-8601, `Z` or an offset); None when not set."""
    return datetime.fromisoformat(str(raw)).timestamp() if raw else None


class SnapchatInsights(SnapchatSimBase):
    """GET /adaccounts/{id}/stats (granularity=DAY; breakdown=campaign, adsquad or ad)."""

    def _micro_budget(self, daily: Any, lifetime: Any) -> Budget | None:
        if daily is None and lifetime is None:
            return None

        def minor(raw: Any) -> int | None:
            return None if raw is None else to_minor(int(raw) / SNAPCHAT_MICRO, self.currency)

        return Budget(daily=minor(daily), lifetime=minor(lifetime))

    def _trees(self) -> list[CampaignTree]:
        """Every campaign of the ad account with its ad squads and ads, as the delivery model reads them."""
        ads_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for ad in self.store.list("ad", account_id=AD_ACCOUNT_ID):
            ads_of[str(ad.get("ad_squad_id"))].append(ad)
        squads_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for squad in self.store.list("adsquad", account_id=AD_ACCOUNT_ID):
            squads_of[str(squad.get("campaign_id"))].append(squad)
        trees = []
        for c in self.store.list("campaign", account_id=AD_ACCOUNT_ID):
            squads = []
            for s in squads_of[c["id"]]:
                ads = tuple(
                    AdNode(a["id"], a.get("name") or "",
                           on_spans(a, "status", ["ACTIVE"]) if a.get("review_status") == "APPROVED" else ())
                    for a in ads_of[s["id"]]
                )  # fmt: skip
                end = _timestamp(s.get("end_time"))
                on = intersect(on_spans(s, "status", ["ACTIVE"]), window(_timestamp(s.get("start_time")), end))
                budget = self._micro_budget(s.get("daily_budget_micro"), s.get("lifetime_budget_micro"))
                squads.append(AdSetNode(s["id"], s.get("name") or "", on, end, budget, ads))
            on = intersect(on_spans(c, "status", ["ACTIVE"]),
                           window(_timestamp(c.get("start_time")), _timestamp(c.get("end_time"))))  # fmt: skip
            budget = self._micro_budget(c.get("daily_budget_micro"), c.get("lifetime_spend_cap_micro"))
            trees.append(CampaignTree(c["id"], c.get("name") or "", on, budget, tuple(squads)))
        return trees

    def _stats(self, request: Request) -> dict[str, Any]:
        q = request.query_params
        breakdown = str(q.get("breakdown"))
        if q.get("granularity") != "DAY" or breakdown not in BREAKDOWNS:
            raise bad(
                "granularity",
                "the sandbox serves granularity=DAY with breakdown=campaign, adsquad or ad on ad account stats.",
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
        fields = [f for f in str(q.get("fields") or ",".join(STAT_FIELDS)).split(",") if f in STAT_FIELDS]
        child_type, key = BREAKDOWNS[breakdown]
        now, last = self.faults.now(), (end - timedelta(days=1)).date()
        rows = []
        ids: list[str] = []  # the breakdown's entities that were ever switched on, zeros or not
        for tree in self._trees():
            rows.extend(deliver("snapchat", tree, currency=self.currency, tz=tz, now=now, until=last))
            if breakdown == "campaign" and tree.on:
                ids.append(tree.id)
            for s in tree.ad_sets if tree.on else ():
                if breakdown == "adsquad" and s.on:
                    ids.append(s.id)
                ids.extend(ad.id for ad in s.ads if breakdown == "ad" and s.on and ad.on)
        totals = totals_by(rows, key)
        series_of = {i: self._series(totals, i, start, end, fields) for i in ids}
        stat = {"id": AD_ACCOUNT_ID, "type": "AD_ACCOUNT", "granularity": "DAY", "start_time": start.isoformat(),
                "end_time": end.isoformat(),
                "breakdown_stats": {breakdown: [{"id": i, "type": child_type, "granularity": "DAY", "timeseries": s}
                                                for i, s in series_of.items()]}}  # fmt: skip
        return {"timeseries_stats": [{"sub_request_status": "SUCCESS", "timeseries_stat": stat}]}

    def _series(
        self, totals: dict[tuple[str, date], Any], object_id: str, start: datetime, end: datetime, fields: list[str]
    ) -> list[dict[str, Any]]:
        """One bucket per day of the window, zeros where nothing was delivered (Snap's default, omit_empty=false)."""
        series, day = [], start
        micro_per_minor = SNAPCHAT_MICRO // 10 ** iso_exponent(self.currency)
        while day < end:
            t = totals.get((object_id, day.date()))
            stats = {
                "impressions": t.impressions if t else 0, "swipes": t.clicks if t else 0,
                "spend": t.spend * micro_per_minor if t else 0, "uniques": t.reach if t else 0,
                "video_views": t.video_views if t else 0, "conversion_purchases": t.conversions if t else 0,
            }  # fmt: skip
            nxt = day + timedelta(days=1)
            series.append({"start_time": day.isoformat(), "end_time": nxt.isoformat(),
                           "stats": {f: stats[f] for f in fields}})  # fmt: skip
            day = nxt
        return series
