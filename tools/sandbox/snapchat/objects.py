"""Campaigns, ad squads, creatives, ads and media containers: listing, creation with Snap's checks, updates."""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request

from tools.sandbox.delivery import note_status
from tools.sandbox.limits import SNAPCHAT_MIN_ADSQUAD_DAILY_MICRO, SNAPCHAT_MIN_CAMPAIGN_DAILY_MICRO
from tools.sandbox.snapchat.accounts import REGIONS
from tools.sandbox.snapchat.base import AD_ACCOUNT_ID, PROFILE_ID, SnapchatSimBase, SnapError, bad, now_iso

OPT_GOALS = {"IMPRESSIONS", "SWIPES", "APP_INSTALLS", "VIDEO_VIEWS", "VIDEO_VIEWS_15_SEC", "USES", "STORY_OPENS",
             "PIXEL_PAGE_VIEW", "PIXEL_ADD_TO_CART", "LANDING_PAGE_VIEW", "PIXEL_PURCHASE", "PIXEL_SIGNUP"}  # fmt: skip
CTAS = {"SHOP_NOW", "LEARN_MORE", "SIGN_UP", "ORDER_NOW", "BOOK_NOW", "GET_NOW", "DOWNLOAD", "VIEW", "WATCH",
        "APPLY_NOW", "MORE"}  # fmt: skip
ENTITY = {"campaigns": "campaign", "adsquads": "adsquad", "ads": "ad", "creatives": "creative", "media": "media",
          "adaccounts": "adaccount"}  # fmt: skip
FAULT_KIND = {
    "campaign": "campaign",
    "adsquad": "ad_set",
    "ad": "ad",
    "creative": "creative",
    "media": "image",
}


class SnapchatObjects(SnapchatSimBase):
    """The ad account's entities: list, create, update."""

    def _list(self, request: Request, parent: str, parent_id: str, child: str) -> dict[str, Any]:
        singular = ENTITY[child]
        if parent == "adaccounts":
            rows = self.store.list(singular, account_id=AD_ACCOUNT_ID)
        else:
            rows = self.store.list(singular, parent_id=parent_id)
        if request.query_params.get("read_deleted_entities") != "true":
            rows = [r for r in rows if not r.get("deleted")]
        limit = min(1000, max(50, int(request.query_params.get("limit") or 50)))
        offset = int(request.query_params.get("cursor") or 0)
        result = self._wrap(child, singular, [self._view(r) for r in rows[offset : offset + limit]])
        if offset + limit < len(rows):
            base = str(request.url).split("?")[0]
            result["paging"] = {"next_link": f"{base}?limit={limit}&cursor={offset + limit}"}
        return result

    def _items(self, body: dict[str, Any], child: str) -> list[dict[str, Any]]:
        items = body.get(child)
        if not isinstance(items, list) or not items:
            raise SnapError(400, "E1001", f'{child}: the body must be {{"{child}": [ ... ]}}.')
        return items

    async def _create(self, parent: str, parent_id: str, child: str, body: dict[str, Any]) -> dict[str, Any]:
        singular = ENTITY[child]
        allowed = {("adaccounts", "campaigns"), ("adaccounts", "creatives"), ("adaccounts", "media"),
                   ("campaigns", "adsquads"), ("adsquads", "ads")}  # fmt: skip
        if (parent, child) not in allowed:
            raise SnapError(405, "E1005", f"POST is not allowed on /{parent}/{{id}}/{child}")
        created = []
        for item in self._items(body, child):
            try:
                obj = self._validate(parent, parent_id, singular, dict(item))
            except SnapError as exc:
                exc.items = (child, singular)
                raise
            kind = (
                FAULT_KIND[singular]
                if singular != "media"
                else ("video" if obj.get("type") == "VIDEO" else "image")
            )
            n = self.faults.before_create(kind)
            obj["id"] = self._new_id(singular)
            obj.setdefault("created_at", time.time())
            obj["created_at_iso"] = obj["updated_at"] = now_iso(self.faults.now())
            if singular in ("campaign", "adsquad", "ad"):
                note_status(obj, obj["status"], self.faults.now())
            self.store.put(singular, obj)
            created.append(obj)
            await self.faults.after_create(kind, n)
        return self._wrap(child, singular, [self._view(o) for o in created])

    def _name(self, item: dict[str, Any]) -> str:
        name = str(item.get("name") or "")
        if not name or len(name) > 375:
            raise bad("name", "is required (at most 375 characters).")
        return name

    def _status(self, item: dict[str, Any]) -> str:
        status = item.get("status")
        if status not in ("ACTIVE", "PAUSED"):
            raise bad("status", "must be ACTIVE or PAUSED.")
        return str(status)

    def _validate(self, parent: str, parent_id: str, singular: str, item: dict[str, Any]) -> dict[str, Any]:
        item.pop("id", None)
        if singular == "media":
            if item.get("type") not in ("IMAGE", "VIDEO"):
                raise bad("type", "must be IMAGE or VIDEO.")
            return {**item, "name": self._name(item), "ad_account_id": AD_ACCOUNT_ID, "account_id": AD_ACCOUNT_ID,
                    "parent_id": AD_ACCOUNT_ID, "media_status": "PENDING_UPLOAD"}  # fmt: skip
        if singular == "campaign":
            self._name(item)
            self._status(item)
            if not item.get("start_time"):
                raise bad("start_time", "is required.")
            daily = item.get("daily_budget_micro")
            if daily is not None and (
                not isinstance(daily, int) or daily < SNAPCHAT_MIN_CAMPAIGN_DAILY_MICRO
            ):
                raise bad(
                    "daily_budget_micro",
                    f"must be an integer of at least {SNAPCHAT_MIN_CAMPAIGN_DAILY_MICRO} micro.",
                )
            return {
                **item,
                "ad_account_id": AD_ACCOUNT_ID,
                "account_id": AD_ACCOUNT_ID,
                "parent_id": AD_ACCOUNT_ID,
            }
        if singular == "adsquad":
            found = self.store.get("campaign", parent_id)
            if found is None or found[1].get("deleted"):
                raise SnapError(404, "E1004", f"campaign {parent_id} not found.")
            self._name(item)
            self._status(item)
            for field in (
                "type",
                "placement_v2",
                "optimization_goal",
                "billing_event",
                "targeting",
                "start_time",
            ):
                if not item.get(field):
                    raise bad(field, "is required.")
            if item["optimization_goal"] not in OPT_GOALS:
                raise bad("optimization_goal", f"must be one of {sorted(OPT_GOALS)}.")
            if item.get("bid_strategy", "AUTO_BID") != "AUTO_BID" and not item.get("bid_micro"):
                raise bad("bid_micro", "is required unless bid_strategy is AUTO_BID.")
            geos = (item.get("targeting") or {}).get("geos")
            if not geos:
                raise bad("targeting.geos", "at least one geo is required.")
            known = {r["id"] for r in REGIONS}
            for geo in geos:
                if any(str(r) not in known for r in geo.get("region_id") or []):
                    raise bad("targeting.geos.region_id", "unknown region id.")
            daily, lifetime = item.get("daily_budget_micro"), item.get("lifetime_budget_micro")
            if (daily is None) == (lifetime is None):
                raise bad(
                    "daily_budget_micro",
                    "exactly one of daily_budget_micro or lifetime_budget_micro is required.",
                )
            if daily is not None and (not isinstance(daily, int) or daily < SNAPCHAT_MIN_ADSQUAD_DAILY_MICRO):
                raise bad(
                    "daily_budget_micro",
                    f"must be an integer of at least {SNAPCHAT_MIN_ADSQUAD_DAILY_MICRO} micro.",
                )
            if lifetime is not None:
                if not item.get("end_time"):
                    raise bad("end_time", "is required with lifetime_budget_micro.")
                if not isinstance(lifetime, int) or lifetime < SNAPCHAT_MIN_ADSQUAD_DAILY_MICRO:
                    raise bad(
                        "lifetime_budget_micro",
                        f"must be an integer of at least {SNAPCHAT_MIN_ADSQUAD_DAILY_MICRO} micro.",
                    )
            return {**item, "campaign_id": parent_id, "account_id": AD_ACCOUNT_ID, "parent_id": parent_id}
        if singular == "creative":
            self._name(item)
            if item.get("type") != "WEB_VIEW" and item.get("type") != "SNAP_AD":
                raise bad("type", "the sandbox supports WEB_VIEW and SNAP_AD creatives.")
            if not item.get("brand_name") or len(item["brand_name"]) > 32:
                raise bad("brand_name", "is required (at most 32 characters).")
            if not item.get("headline") or len(item["headline"]) > 34:
                raise bad("headline", "is required (at most 34 characters).")
            if (item.get("profile_properties") or {}).get("profile_id") != PROFILE_ID:
                raise bad("profile_properties.profile_id", "must be a public profile of the organization.")
            media = self.store.get("media", str(item.get("top_snap_media_id")))
            if media is None or media[1].get("media_status") != "READY":
                raise bad("top_snap_media_id", "must be an uploaded media in READY state.")
            if item["type"] == "WEB_VIEW":
                if not str((item.get("web_view_properties") or {}).get("url", "")).startswith("https://"):
                    raise bad("web_view_properties.url", "an https URL is required for WEB_VIEW.")
                if item.get("call_to_action") not in CTAS:
                    raise bad("call_to_action", f"must be one of {sorted(CTAS)}.")
            return {**item, "ad_account_id": AD_ACCOUNT_ID, "account_id": AD_ACCOUNT_ID, "parent_id": AD_ACCOUNT_ID,
                    "review_status": "APPROVED"}  # fmt: skip
        found = self.store.get("adsquad", parent_id)
        if found is None or found[1].get("deleted"):
            raise SnapError(404, "E1004", f"ad squad {parent_id} not found.")
        self._name(item)
        self._status(item)
        if self.store.get("creative", str(item.get("creative_id"))) is None:
            raise bad("creative_id", "must be an existing creative.")
        return {**item, "ad_squad_id": parent_id, "campaign_id": found[1]["campaign_id"], "account_id": AD_ACCOUNT_ID,
                "parent_id": parent_id, "review_status": "PENDING"}  # fmt: skip

    def _update(self, parent: str, parent_id: str, child: str, body: dict[str, Any]) -> dict[str, Any]:
        singular = ENTITY[child]
        updated = []
        for item in self._items(body, child):
            found = self.store.get(singular, str(item.get("id")))
            if found is None or found[1].get("deleted") or str(found[1].get("parent_id")) != parent_id:
                raise SnapError(404, "E1004", f"{singular} {item.get('id')} not found under {parent}/{parent_id}.",
                                items=(child, singular))  # fmt: skip
            obj = found[1]
            for immutable in ("campaign_id", "ad_squad_id", "ad_account_id", "creative_id"):
                if immutable in item and item[immutable] != obj.get(immutable):
                    raise SnapError(400, "E2023", f"{immutable}: cannot be changed.", items=(child, singular))
            status = self._status(item)
            for field in ("name", "daily_budget_micro", "lifetime_budget_micro", "end_time", "targeting"):
                if field in item:
                    obj[field] = item[field]
            if (
                obj.get("daily_budget_micro") is not None
                and singular == "adsquad"
                and obj["daily_budget_micro"] < SNAPCHAT_MIN_ADSQUAD_DAILY_MICRO
            ):
                raise SnapError(
                    400,
                    "E1001",
                    f"daily_budget_micro: must be at least {SNAPCHAT_MIN_ADSQUAD_DAILY_MICRO}.",
                    items=(child, singular),
                )
            obj["status"] = status
            if singular in ("campaign", "adsquad", "ad"):
                note_status(obj, status, self.faults.now())
            if status == "ACTIVE":
                obj["ever_active"] = True
                if singular == "ad":
                    obj["review_status"] = "APPROVED"
            obj["updated_at"] = now_iso(self.faults.now())
            self.store.put(singular, obj)
            updated.append(obj)
        return self._wrap(child, singular, [self._view(o) for o in updated])
