"""Campaigns, ad groups and ads: creation with TikTok's checks and request_id dedup, /get/ reads, status updates."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from tools.sandbox.delivery import note_status
from tools.sandbox.limits import TIKTOK_MIN_DAILY
from tools.sandbox.tiktok.accounts import REGIONS
from tools.sandbox.tiktok.base import ADVERTISER_ID, ApiError, TikTokSimBase, bad

OBJECTIVES = {"REACH", "TRAFFIC", "VIDEO_VIEWS", "ENGAGEMENT", "LEAD_GENERATION", "APP_PROMOTION", "WEB_CONVERSIONS",
              "PRODUCT_SALES"}  # fmt: skip
BUDGET_MODES = {
    "BUDGET_MODE_INFINITE",
    "BUDGET_MODE_DAY",
    "BUDGET_MODE_TOTAL",
    "BUDGET_MODE_DYNAMIC_DAILY_BUDGET",
}
OPT_GOALS = {"CLICK", "CONVERT", "SHOW", "REACH", "VIDEO_VIEW", "ENGAGED_VIEW", "TRAFFIC_LANDING_PAGE_VIEW",
             "LEAD_GENERATION", "INSTALL", "IN_APP_EVENT", "VALUE", "FOLLOWERS", "PROFILE_VIEWS", "CONVERSATION"}  # fmt: skip
BILLING = {"CPC", "CPM", "OCPM", "CPV"}
PACING = {"PACING_MODE_SMOOTH", "PACING_MODE_FAST"}
GENDERS = {"GENDER_UNLIMITED", "GENDER_MALE", "GENDER_FEMALE"}
AGE_GROUPS = {"AGE_13_17", "AGE_18_24", "AGE_25_34", "AGE_35_44", "AGE_45_54", "AGE_55_100"}
CTAS = {"LEARN_MORE", "SHOP_NOW", "SIGN_UP", "ORDER_NOW", "BOOK_NOW", "CONTACT_US", "APPLY_NOW", "DOWNLOAD_NOW",
        "WATCH_NOW", "GET_QUOTE"}  # fmt: skip
STATUS_PREFIX = {"campaign": "CAMPAIGN_STATUS", "adgroup": "ADGROUP_STATUS", "ad": "AD_STATUS"}
FAULT_KIND = {"campaign": "campaign", "adgroup": "ad_set", "ad": "ad", "image": "image", "video": "video"}
TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


class TikTokObjects(TikTokSimBase):
    """The advertiser's campaigns, ad groups and ads."""

    @staticmethod
    def _budget(params: dict[str, Any]) -> Decimal:
        try:
            return Decimal(str(params["budget"]))
        except (KeyError, InvalidOperation) as exc:
            raise bad("budget", "must be a number in the advertiser's currency.") from exc

    @staticmethod
    def _time(params: dict[str, Any], field: str) -> datetime:
        raw = str(params.get(field) or "")
        if not TIME_RE.fullmatch(raw):
            raise bad(field, "must be 'YYYY-MM-DD HH:MM:SS' (UTC+0).")
        return datetime.strptime(raw, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)

    async def _create(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        if kind not in ("campaign", "adgroup", "ad"):
            raise ApiError(40002, f"Unknown path /{kind}/create/")
        request_id = params.get("request_id")
        if request_id is not None and kind != "ad":
            if not str(request_id).isdigit():
                raise bad("request_id", "must be a numeric string (int64).")
            existing = self.store.dedup_get(kind, str(request_id))
            if existing:
                # A replayed request_id creates nothing new: the original object's ID comes back.
                return {f"{kind}_id": existing}
        obj: dict[str, Any] = {"account_id": ADVERTISER_ID, "advertiser_id": ADVERTISER_ID,
                               "create_time": f"{self.faults.now():%Y-%m-%d %H:%M:%S}"}  # fmt: skip
        if kind == "campaign":
            self._campaign(params, obj)
        elif kind == "adgroup":
            self._adgroup(params, obj)
        else:
            return await self._ads(params)
        n = self.faults.before_create(FAULT_KIND[kind])
        obj["id"] = obj[f"{kind}_id"] = self._new_id()
        note_status(obj, obj["operation_status"], self.faults.now())
        self.store.put(kind, obj)
        if request_id is not None:
            self.store.dedup_put(kind, str(request_id), obj["id"])
        await self.faults.after_create(FAULT_KIND[kind], n)
        return {f"{kind}_id": obj["id"]}

    def _name(self, params: dict[str, Any], field: str) -> str:
        name = str(params.get(field) or "")
        if not name:
            raise bad(field, "this field is required.")
        if len(name) > 512:
            raise bad(field, "must be at most 512 characters.")
        return name

    def _campaign(self, params: dict[str, Any], obj: dict[str, Any]) -> None:
        obj["campaign_name"] = obj["name"] = self._name(params, "campaign_name")
        if params.get("objective_type") not in OBJECTIVES:
            raise bad("objective_type", f"must be one of {sorted(OBJECTIVES)}.")
        mode = params.get("budget_mode", "BUDGET_MODE_INFINITE")
        if mode not in BUDGET_MODES:
            raise bad("budget_mode", f"must be one of {sorted(BUDGET_MODES)}.")
        cbo = bool(params.get("budget_optimize_on"))
        if cbo and mode != "BUDGET_MODE_DAY" and mode != "BUDGET_MODE_TOTAL":
            raise bad(
                "budget_mode", "campaign budget optimization needs BUDGET_MODE_DAY or BUDGET_MODE_TOTAL."
            )
        if mode != "BUDGET_MODE_INFINITE":
            budget = self._budget(params)
            floor = TIKTOK_MIN_DAILY[self.currency]["campaign"]
            if budget < floor:
                raise bad("budget", f"the campaign budget must be at least {floor} {self.currency}.")
            obj["budget"] = float(budget)
        status = params.get("operation_status", "ENABLE")
        if status not in ("ENABLE", "DISABLE"):
            raise bad("operation_status", "must be ENABLE or DISABLE.")
        obj.update(objective_type=params["objective_type"], budget_mode=mode, budget_optimize_on=cbo,
                   operation_status=status, special_industries=params.get("special_industries") or [])  # fmt: skip

    def _adgroup(self, params: dict[str, Any], obj: dict[str, Any]) -> None:
        found = self.store.get("campaign", str(params.get("campaign_id") or ""))
        if found is None or found[1].get("operation_status") == "DELETE":
            raise ApiError(40007, "campaign_id: the campaign does not exist.")
        campaign = found[1]
        obj["adgroup_name"] = obj["name"] = self._name(params, "adgroup_name")
        for field in ("billing_event", "optimization_goal", "schedule_type", "schedule_start_time"):
            if not params.get(field):
                raise bad(field, "this field is required.")
        if params["billing_event"] not in BILLING:
            raise bad("billing_event", f"must be one of {sorted(BILLING)}.")
        if params["optimization_goal"] not in OPT_GOALS:
            raise bad("optimization_goal", f"must be one of {sorted(OPT_GOALS)}.")
        if campaign["objective_type"] in (
            "TRAFFIC",
            "WEB_CONVERSIONS",
            "LEAD_GENERATION",
            "APP_PROMOTION",
            "PRODUCT_SALES",
        ) and not params.get("promotion_type"):
            raise bad("promotion_type", "this field is required for the campaign's objective.")
        placement_type = params.get("placement_type", "PLACEMENT_TYPE_NORMAL")
        if placement_type not in ("PLACEMENT_TYPE_AUTOMATIC", "PLACEMENT_TYPE_NORMAL"):
            raise bad("placement_type", "must be PLACEMENT_TYPE_AUTOMATIC or PLACEMENT_TYPE_NORMAL.")
        if placement_type == "PLACEMENT_TYPE_NORMAL" and not params.get("placements"):
            raise bad("placements", "this field is required with PLACEMENT_TYPE_NORMAL.")
        locations = params.get("location_ids")
        known = {r["location_id"] for r in REGIONS}
        if not isinstance(locations, list) or not locations:
            raise bad("location_ids", "this field is required.")
        if any(str(loc) not in known for loc in locations):
            raise bad(
                "location_ids", f"unknown location IDs {[loc for loc in locations if str(loc) not in known]}."
            )
        if params.get("gender", "GENDER_UNLIMITED") not in GENDERS:
            raise bad("gender", f"must be one of {sorted(GENDERS)}.")
        if any(a not in AGE_GROUPS for a in params.get("age_groups") or []):
            raise bad("age_groups", f"values must be in {sorted(AGE_GROUPS)}.")
        if params.get("operation_status", "ENABLE") not in ("ENABLE", "DISABLE"):
            raise bad("operation_status", "must be ENABLE or DISABLE.")
        start = self._time(params, "schedule_start_time")
        if start < self.faults.now() - timedelta(hours=12):
            raise bad("schedule_start_time", "cannot be more than 12 hours in the past.")
        end = None
        if params["schedule_type"] == "SCHEDULE_START_END":
            end = self._time(params, "schedule_end_time")
            if end <= start:
                raise bad("schedule_end_time", "must be later than schedule_start_time.")
        elif params["schedule_type"] != "SCHEDULE_FROM_NOW":
            raise bad("schedule_type", "must be SCHEDULE_FROM_NOW or SCHEDULE_START_END.")
        if not campaign.get("budget_optimize_on"):
            for field in ("budget_mode", "budget", "pacing"):
                if params.get(field) is None:
                    raise bad(field, "this field is required when campaign budget optimization is off.")
            if params["pacing"] not in PACING:
                raise bad("pacing", f"must be one of {sorted(PACING)}.")
            mode, budget = params["budget_mode"], self._budget(params)
            floor = TIKTOK_MIN_DAILY[self.currency]["adgroup"]
            if mode == "BUDGET_MODE_DAY":
                if budget < floor:
                    raise bad(
                        "budget", f"the daily budget of an ad group must be at least {floor} {self.currency}."
                    )
            elif mode == "BUDGET_MODE_TOTAL":
                if end is None:
                    raise bad("schedule_type", "BUDGET_MODE_TOTAL needs SCHEDULE_START_END.")
                days = max(1, -(-int((end - start).total_seconds()) // 86400))
                if budget < floor * days:
                    raise bad(
                        "budget",
                        f"the lifetime budget must be at least {floor * days} {self.currency} ({floor} x {days} days).",
                    )
            else:
                raise bad("budget_mode", "an ad group needs BUDGET_MODE_DAY or BUDGET_MODE_TOTAL.")
            obj.update(budget=float(budget), budget_mode=mode)
        obj.update(campaign_id=campaign["id"], parent_id=campaign["id"], billing_event=params["billing_event"],
                   optimization_goal=params["optimization_goal"], placement_type=placement_type,
                   placements=params.get("placements") or [], location_ids=[str(x) for x in locations],
                   gender=params.get("gender", "GENDER_UNLIMITED"), age_groups=params.get("age_groups") or [],
                   languages=params.get("languages") or [], schedule_type=params["schedule_type"],
                   schedule_start_time=params["schedule_start_time"], schedule_end_time=params.get("schedule_end_time"),
                   pacing=params.get("pacing"), operation_status=params.get("operation_status", "ENABLE"),
                   promotion_type=params.get("promotion_type"))  # fmt: skip

    async def _ads(self, params: dict[str, Any]) -> dict[str, Any]:
        found = self.store.get("adgroup", str(params.get("adgroup_id") or ""))
        if found is None or found[1].get("operation_status") == "DELETE":
            raise ApiError(40007, "adgroup_id: the ad group does not exist.")
        adgroup = found[1]
        creatives = params.get("creatives")
        if not isinstance(creatives, list) or not creatives:
            raise bad("creatives", "this field is required.")
        for i, c in enumerate(creatives):
            where = f"creatives[{i}]"
            if not c.get("ad_name") or len(c["ad_name"]) > 512:
                raise bad(f"{where}.ad_name", "is required (at most 512 characters).")
            if c.get("identity_type") not in ("CUSTOMIZED_USER", "AUTH_CODE", "TT_USER", "BC_AUTH_TT"):
                raise bad(
                    f"{where}.identity_type", "must be CUSTOMIZED_USER, AUTH_CODE, TT_USER or BC_AUTH_TT."
                )
            if (
                c["identity_type"] == "CUSTOMIZED_USER"
                and self.store.get("identity", str(c.get("identity_id"))) is None
            ):
                raise bad(f"{where}.identity_id", "the identity does not exist.")
            ad_format = c.get("ad_format")
            if ad_format == "SINGLE_VIDEO":
                if self.store.get("video", str(c.get("video_id"))) is None:
                    raise bad(f"{where}.video_id", "the video does not exist in this advertiser's library.")
            elif ad_format == "SINGLE_IMAGE":
                if adgroup.get("placement_type") == "PLACEMENT_TYPE_NORMAL" and adgroup.get("placements") == [
                    "PLACEMENT_TIKTOK"
                ]:
                    raise bad(f"{where}.ad_format", "in-feed ads on TikTok must be SINGLE_VIDEO.")
                if not c.get("image_ids"):
                    raise bad(f"{where}.image_ids", "this field is required for SINGLE_IMAGE.")
            else:
                raise bad(f"{where}.ad_format", "must be SINGLE_VIDEO or SINGLE_IMAGE in the sandbox.")
            for image_id in c.get("image_ids") or []:
                if self.store.get("image", str(image_id)) is None:
                    raise bad(f"{where}.image_ids", f"image {image_id} does not exist.")
            text = str(c.get("ad_text") or "")
            if not 1 <= len(text) <= 100:
                raise bad(f"{where}.ad_text", "length must be between 1 and 100 characters.")
            if re.search("[\U0001f300-\U0001faff]", text):
                raise bad(f"{where}.ad_text", "emoji are not allowed.")
            if c.get("call_to_action") not in CTAS:
                raise bad(f"{where}.call_to_action", f"must be one of {sorted(CTAS)}.")
            if not str(c.get("landing_page_url") or "").startswith(("http://", "https://")):
                raise bad(f"{where}.landing_page_url", "must be an http(s) URL.")
        ids = []
        for c in creatives:
            n = self.faults.before_create("ad")
            obj = {**c, "account_id": ADVERTISER_ID, "advertiser_id": ADVERTISER_ID, "adgroup_id": adgroup["id"],
                   "parent_id": adgroup["id"], "campaign_id": adgroup["campaign_id"], "name": c["ad_name"],
                   "operation_status": c.get("operation_status", "ENABLE"),
                   "create_time": f"{self.faults.now():%Y-%m-%d %H:%M:%S}"}  # fmt: skip
            obj["id"] = obj["ad_id"] = self._new_id()
            note_status(obj, obj["operation_status"], self.faults.now())
            self.store.put("ad", obj)
            ids.append(obj["id"])
            await self.faults.after_create("ad", n)
        return {"ad_ids": ids}

    def _secondary(self, kind: str, obj: dict[str, Any]) -> str:
        prefix, op = STATUS_PREFIX[kind], obj.get("operation_status")
        if op == "DELETE":
            return f"{prefix}_DELETE"
        if op == "DISABLE":
            return f"{prefix}_DISABLE"
        if kind == "campaign":
            return "CAMPAIGN_STATUS_ENABLE"
        # Ad review, as TikTok's reviewers decide it (the sandbox never rejects on its own; tests and demos
        # set audit_status in the state); an ad switched off or deleted reads as that first.
        if kind == "ad" and obj.get("audit_status") in ("AUDIT", "AUDIT_DENY"):
            return f"AD_STATUS_{obj['audit_status']}"
        if kind == "ad":
            adgroup = self.store.get("adgroup", str(obj.get("adgroup_id")))
            if adgroup and adgroup[1].get("operation_status") != "ENABLE":
                return "AD_STATUS_ADGROUP_DISABLE"
        campaign = self.store.get("campaign", str(obj.get("campaign_id")))
        if campaign and campaign[1].get("operation_status") != "ENABLE":
            return f"{prefix}_CAMPAIGN_DISABLE"
        return f"{prefix}_DELIVERY_OK"

    def _get(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        if kind not in STATUS_PREFIX:
            raise ApiError(40002, f"Unknown path /{kind}/get/")
        filtering = params.get("filtering") or {}
        if not isinstance(filtering, dict):
            raise bad("filtering", "must be a JSON object.")
        rows = self.store.list(kind, account_id=ADVERTISER_ID)
        if filtering.get("primary_status") != "STATUS_ALL":
            rows = [r for r in rows if r.get("operation_status") != "DELETE"]
        for field, attr in (
            ("campaign_ids", "campaign_id"),
            ("adgroup_ids", "adgroup_id"),
            ("ad_ids", "ad_id"),
        ):
            if filtering.get(field):
                if len(filtering[field]) > 100:
                    raise ApiError(40011, f"{field}: at most 100 IDs per request.")
                rows = [r for r in rows if str(r.get(attr)) in {str(v) for v in filtering[field]}]
        name_field = f"{kind}_name"
        if filtering.get(name_field):
            rows = [r for r in rows if str(filtering[name_field]) in str(r.get(name_field))]
        # Creation-time bounds, "YYYY-MM-DD HH:MM:SS" (UTC+0, like the schedule times), both inclusive.
        for field, keep in (("creation_filter_start_time", lambda made, bound: made >= bound),
                            ("creation_filter_end_time", lambda made, bound: made <= bound)):  # fmt: skip
            if filtering.get(field) is not None:
                bound = self._time(filtering, field)
                rows = [r for r in rows if keep(self._time(r, "create_time"), bound)]
        page, size = int(params.get("page") or 1), min(1000, int(params.get("page_size") or 10))
        chunk = rows[(page - 1) * size : page * size]
        out = []
        for r in chunk:
            view = {
                k: v
                for k, v in r.items()
                if k not in ("id", "parent_id", "account_id", "created_at", "ever_enabled", "status_history")
            }
            view["secondary_status"] = self._secondary(kind, r)
            out.append(view)
        total_page = max(1, -(-len(rows) // size))
        return {
            "list": out,
            "page_info": {
                "page": page,
                "page_size": size,
                "total_number": len(rows),
                "total_page": total_page,
            },
        }

    def _status(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        if kind not in STATUS_PREFIX:
            raise ApiError(40002, f"Unknown path /{kind}/status/update/")
        field = f"{kind}_ids"
        ids = [str(i) for i in params.get(field) or []]
        if not ids:
            raise bad(field, "this field is required.")
        if len(ids) > 20:
            raise ApiError(40011, f"{field}: at most 20 IDs per request.")
        status = params.get("operation_status")
        if status not in ("ENABLE", "DISABLE", "DELETE"):
            raise bad("operation_status", "must be ENABLE, DISABLE or DELETE.")
        objects = []
        for object_id in ids:
            found = self.store.get(kind, object_id)
            if found is None or found[1].get("operation_status") == "DELETE":
                raise ApiError(40007, f"{field}: {object_id} does not exist.")
            objects.append(found[1])
        now = self.faults.now()
        for obj in objects:
            obj["operation_status"] = status
            note_status(obj, status, now)
            if status == "ENABLE":
                obj["ever_enabled"] = True
            self.store.put(kind, obj)
        return {field: ids, "status": status}
