"""TikTok API for Business v1.3 simulator: HTTP 200 envelopes with codes, request_id dedup, trailing slashes."""

from __future__ import annotations

import hashlib
import io
import json
import re
import secrets
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tools.sandbox.core import (
    FaultState,
    SandboxFaults,
    SandboxStore,
    consent_page,
    daily_stats,
    read_form,
    redirect_with,
    with_latency,
)
from tools.sandbox.limits import TIKTOK_MIN_DAILY

ADVERTISER_ID = "7000000000000000001"
CURRENCY = "SAR"  # the default; SandboxFaults.account_currency bills the account in another
TIMEZONE = "Asia/Riyadh"
SCOPE_IDS = [1, 2, 3, 4, 5]  # numeric permission-group IDs, as TikTok returns them
# location_id values follow GeoNames (TikTok's IDs look like GeoNames IDs): SA 102358, Riyadh city 108410.
REGIONS: list[dict[str, Any]] = [
    {
        "location_id": "102358",
        "name": "Saudi Arabia",
        "level": "COUNTRY",
        "region_code": "SA",
        "parent_id": "0",
    },
    {
        "location_id": "108411",
        "name": "Riyadh Region",
        "level": "PROVINCE",
        "region_code": "SA",
        "parent_id": "102358",
    },
    {"location_id": "108410", "name": "Riyadh", "level": "CITY", "region_code": "SA", "parent_id": "108411"},
    {"location_id": "105343", "name": "Jeddah", "level": "CITY", "region_code": "SA", "parent_id": "104514"},
    {
        "location_id": "104514",
        "name": "Makkah Region",
        "level": "PROVINCE",
        "region_code": "SA",
        "parent_id": "102358",
    },
    {"location_id": "110336", "name": "Dammam", "level": "CITY", "region_code": "SA", "parent_id": "109435"},
    {
        "location_id": "109435",
        "name": "Eastern Province",
        "level": "PROVINCE",
        "region_code": "SA",
        "parent_id": "102358",
    },
    {
        "location_id": "290557",
        "name": "United Arab Emirates",
        "level": "COUNTRY",
        "region_code": "AE",
        "parent_id": "0",
    },
    {"location_id": "292223", "name": "Dubai", "level": "CITY", "region_code": "AE", "parent_id": "292224"},
    {
        "location_id": "292224",
        "name": "Dubai",
        "level": "PROVINCE",
        "region_code": "AE",
        "parent_id": "290557",
    },
    {"location_id": "285570", "name": "Kuwait", "level": "COUNTRY", "region_code": "KW", "parent_id": "0"},
]
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


class ApiError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _bad(field: str, message: str, code: int = 40002) -> ApiError:
    return ApiError(code, f"{field}: {message}")


def _image_size(content: bytes) -> tuple[int | None, int | None]:
    """An uploaded image's pixel size from its header; (None, None) when the bytes are no readable image."""
    try:
        with Image.open(io.BytesIO(content)) as img:
            return img.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        return None, None


def _envelope(code: int, message: str, data: Any) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "request_id": f"{datetime.now(UTC):%Y%m%d%H%M%S}{secrets.token_hex(8).upper()}",
        "data": data,
    }


class TikTokSimulator:
    def __init__(self, state_dir: Path, faults: SandboxFaults | None) -> None:
        self.store = SandboxStore(state_dir, "tiktok")
        self.faults = FaultState(faults)

    @property
    def currency(self) -> str:
        return self.faults.faults.account_currency or CURRENCY

    def _new_id(self) -> str:
        return f"17{self.store.next_number('object'):017d}"

    # ------------------------------------------------------------------------------------------ oauth page

    async def auth_page(self, request: Request) -> Response:
        if request.method == "GET":
            return consent_page(
                request,
                platform_title="TikTok For Business",
                app_field="app_id",
                scopes="Ads Management, Reporting",
            )
        form = dict((await request.form()).items())
        redirect_uri, state = str(form.get("redirect_uri", "")), str(form.get("state", ""))
        if form.get("decision") != "allow":
            return redirect_with(redirect_uri, {"error": "access_denied", "state": state})
        code = secrets.token_hex(20)
        self.store.put_token(code, "code", time.time() + 3600, {"app_id": form.get("app_id")})
        # TikTok sends the code as auth_code (and code) on the redirect.
        return redirect_with(redirect_uri, {"auth_code": code, "code": code, "state": state})

    # ------------------------------------------------------------------------------------------ entry

    @with_latency
    async def api(self, request: Request) -> Response:
        path = request.path_params["path"]
        if request.path_params["version"] != "v1.3" or not path.endswith("/"):
            return PlainTextResponse("404 page not found", status_code=404)
        path = path.strip("/")
        try:
            params = await self._params(request)
            if path == "oauth2/access_token":
                return JSONResponse(_envelope(0, "OK", self._exchange(params)))
            token = request.headers.get("access-token")
            if not token:
                raise ApiError(40104, "Access token is null. Please pass the Access-Token header.")
            found = self.store.get_token(token, "access")
            if found is None or found[1] != "ok":
                raise ApiError(40105, "The access token is invalid or has been revoked.")
            fault = self.faults.on_call(path)
            if fault == "expire":
                self.store.expire_token(token)
                raise ApiError(40105, "The access token is invalid or has been revoked.")
            if fault == "rate_limit":
                raise ApiError(40100, "Requests made too frequently. Please try again later.")
            if fault == "transient":
                raise ApiError(50000, "System error. Please try again later.")
            data = await self._route(request.method, path, params)
            return JSONResponse(_envelope(0, "OK", data))
        except ApiError as exc:
            # TikTok reports application errors with HTTP 200.
            return JSONResponse(_envelope(exc.code, exc.message, {}))

    async def _params(self, request: Request) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for key, value in request.query_params.items():
            params[key] = json.loads(value) if value[:1] in "[{" else value
        if request.method == "POST":
            ctype = request.headers.get("content-type", "")
            if ctype.startswith("application/json"):
                try:
                    body = json.loads(await request.body() or b"{}")
                except ValueError as exc:
                    raise ApiError(40002, "Request body is not valid JSON.") from exc
                params.update(body if isinstance(body, dict) else {})
            elif ctype.startswith("multipart/form-data"):
                form = await read_form(request)
                for key, item in form.multi_items():
                    params[key] = item if isinstance(item, str) else (item.filename, await item.read())
            else:
                raise ApiError(40002, "Content-Type must be application/json.")
        return params

    def _exchange(self, params: dict[str, Any]) -> dict[str, Any]:
        for field in ("app_id", "secret", "auth_code"):
            if not params.get(field):
                raise _bad(field, "this field is required.")
        found = self.store.get_token(str(params["auth_code"]), "code")
        if found is None or found[1] != "ok":
            raise ApiError(40110, "auth_code is invalid or has been used.")
        if found[0].get("app_id") != str(params["app_id"]):
            raise ApiError(40101, "app_id and secret do not match the auth_code.")
        self.store.revoke_token(str(params["auth_code"]))
        token = secrets.token_hex(20)
        self.store.put_token(
            token, "access", None, {"advertiser_ids": [ADVERTISER_ID], "app_id": params["app_id"]}
        )
        return {"access_token": token, "advertiser_ids": [ADVERTISER_ID], "scope": SCOPE_IDS}

    def _advertiser(self, params: dict[str, Any]) -> str:
        advertiser = str(params.get("advertiser_id") or "")
        if not advertiser:
            raise _bad("advertiser_id", "this field is required.")
        if advertiser != ADVERTISER_ID:
            raise ApiError(40001, f"No permission to operate advertiser {advertiser}.")
        return advertiser

    async def _route(self, method: str, path: str, params: dict[str, Any]) -> Any:
        gets = {"oauth2/advertiser/get", "advertiser/info", "tool/region", "identity/get", "campaign/get",
                "adgroup/get", "ad/get", "report/integrated/get", "file/image/ad/search",
                "file/video/ad/search"}  # fmt: skip
        if (path in gets) != (method == "GET"):
            raise ApiError(40002, f"Method {method} is not allowed for /{path}/.")
        if path == "oauth2/advertiser/get":
            return {"list": [{"advertiser_id": ADVERTISER_ID, "advertiser_name": "ADLY Sandbox (TikTok)"}]}
        if path == "advertiser/info":
            ids = params.get("advertiser_ids") or []
            return {"list": [
                {"advertiser_id": ADVERTISER_ID, "name": "ADLY Sandbox (TikTok)", "currency": self.currency, "timezone": TIMEZONE,
                 "display_timezone": TIMEZONE, "status": "STATUS_ENABLE", "country": "SA"}
            ] if ADVERTISER_ID in [str(i) for i in ids] else []}  # fmt: skip
        self._advertiser(params)
        if path == "tool/region":
            return {"region_info": REGIONS}
        if path == "identity/get":
            rows = self.store.list("identity", account_id=ADVERTISER_ID)
            return {
                "identity_list": rows,
                "page_info": {"page": 1, "page_size": len(rows), "total_number": len(rows), "total_page": 1},
            }
        if path == "identity/create":
            return self._identity(params)
        if path in ("file/image/ad/search", "file/video/ad/search"):
            return self._media_search(path.split("/")[1], params)
        if path == "file/image/ad/upload":
            return await self._upload("image", params)
        if path == "file/video/ad/upload":
            return [await self._upload("video", params)]
        if path == "report/integrated/get":
            return self._report(params)
        if path.endswith("/create"):
            return await self._create(path.split("/")[0], params)
        if path.endswith("/get"):
            return self._get(path.split("/")[0], params)
        if path.endswith("/status/update"):
            return self._status(path.split("/")[0], params)
        raise ApiError(40002, f"Unknown path /{path}/")

    # ------------------------------------------------------------------------------------------ writes

    def _identity(self, params: dict[str, Any]) -> dict[str, Any]:
        """A CUSTOMIZED_USER identity: a display name and an avatar, a 1:1 image from the library."""
        name = str(params.get("display_name") or "")
        if not 1 <= len(name) <= 40:
            raise _bad("display_name", "length must be between 1 and 40.")
        image_uri = str(params.get("image_uri") or "")
        if not image_uri:
            raise _bad(
                "image_uri", "this field is required (the avatar's image_id from /file/image/ad/upload/)."
            )
        found = self.store.get("image", image_uri)
        if found is None or found[1].get("account_id") != ADVERTISER_ID:
            raise _bad("image_uri", f"image {image_uri} is not in this advertiser's library.")
        image = found[1]
        if image.get("width") is None or image.get("width") != image.get("height"):
            raise _bad("image_uri", "the avatar's width and height ratio must be 1:1.")
        obj = {"id": self._new_id(), "account_id": ADVERTISER_ID, "display_name": name,
               "identity_type": "CUSTOMIZED_USER", "image_uri": image_uri,
               "profile_image": image["url"]}  # fmt: skip
        obj["identity_id"] = obj["id"]
        self.store.put("identity", obj)
        return {"identity_id": obj["id"]}

    async def _upload(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        upload = params.get(f"{kind}_file")
        if params.get("upload_type", "UPLOAD_BY_FILE") != "UPLOAD_BY_FILE" or not isinstance(upload, tuple):
            raise _bad(f"{kind}_file", "a file is required with upload_type UPLOAD_BY_FILE.")
        content = upload[1]
        digest = hashlib.md5(content).hexdigest()  # noqa: S324 - TikTok's signature is MD5
        if params.get(f"{kind}_signature") != digest:
            raise ApiError(40900, f"{kind}_signature: the file signature does not match the file.")
        file_name = str(params.get("file_name") or upload[0])
        for row in self.store.list(kind, account_id=ADVERTISER_ID):
            if row.get("file_name") == file_name:
                raise ApiError(40911, f"file_name: duplicated material name {file_name}.")
        n = self.faults.before_create(kind)
        object_id = f"ad-site-i18n-sg/{digest}" if kind == "image" else f"v10033g50000{digest[:20]}"
        width, height = _image_size(content) if kind == "image" else (1080, 1920)
        obj = {"id": object_id, f"{kind}_id": object_id, "account_id": ADVERTISER_ID, "file_name": file_name,
               "signature": digest, "size": len(content), "width": width, "height": height,
               "url": f"https://p16-sandbox.tiktokcdn.com/{digest}"}  # fmt: skip
        if kind == "video":
            obj["duration"] = 15.0
        self.store.put(kind, obj)
        await self.faults.after_create(kind, n)
        return {k: v for k, v in obj.items() if k not in ("id", "account_id", "created_at")}

    def _media_search(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        """The account's material library, paged (the real search filters by ids; we list and match names)."""
        rows = [
            {k: v for k, v in r.items() if k not in ("id", "account_id", "created_at")}
            for r in self.store.list(kind, account_id=ADVERTISER_ID)
        ]
        page, size = int(params.get("page") or 1), min(100, int(params.get("page_size") or 20))
        return {
            "list": rows[(page - 1) * size : page * size],
            "page_info": {"page": page, "page_size": size, "total_number": len(rows),
                          "total_page": max(1, -(-len(rows) // size))},
        }  # fmt: skip

    @staticmethod
    def _budget(params: dict[str, Any]) -> Decimal:
        try:
            return Decimal(str(params["budget"]))
        except (KeyError, InvalidOperation) as exc:
            raise _bad("budget", "must be a number in the advertiser's currency.") from exc

    @staticmethod
    def _time(params: dict[str, Any], field: str) -> datetime:
        raw = str(params.get(field) or "")
        if not TIME_RE.fullmatch(raw):
            raise _bad(field, "must be 'YYYY-MM-DD HH:MM:SS' (UTC+0).")
        return datetime.strptime(raw, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)

    async def _create(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        if kind not in ("campaign", "adgroup", "ad"):
            raise ApiError(40002, f"Unknown path /{kind}/create/")
        request_id = params.get("request_id")
        if request_id is not None and kind != "ad":
            if not str(request_id).isdigit():
                raise _bad("request_id", "must be a numeric string (int64).")
            existing = self.store.dedup_get(kind, str(request_id))
            if existing:
                # A replayed request_id creates nothing new: the original object's ID comes back.
                return {f"{kind}_id": existing}
        obj: dict[str, Any] = {"account_id": ADVERTISER_ID, "advertiser_id": ADVERTISER_ID,
                               "create_time": f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S}"}  # fmt: skip
        if kind == "campaign":
            self._campaign(params, obj)
        elif kind == "adgroup":
            self._adgroup(params, obj)
        else:
            return await self._ads(params)
        n = self.faults.before_create(FAULT_KIND[kind])
        obj["id"] = obj[f"{kind}_id"] = self._new_id()
        self.store.put(kind, obj)
        if request_id is not None:
            self.store.dedup_put(kind, str(request_id), obj["id"])
        await self.faults.after_create(FAULT_KIND[kind], n)
        return {f"{kind}_id": obj["id"]}

    def _name(self, params: dict[str, Any], field: str) -> str:
        name = str(params.get(field) or "")
        if not name:
            raise _bad(field, "this field is required.")
        if len(name) > 512:
            raise _bad(field, "must be at most 512 characters.")
        return name

    def _campaign(self, params: dict[str, Any], obj: dict[str, Any]) -> None:
        obj["campaign_name"] = obj["name"] = self._name(params, "campaign_name")
        if params.get("objective_type") not in OBJECTIVES:
            raise _bad("objective_type", f"must be one of {sorted(OBJECTIVES)}.")
        mode = params.get("budget_mode", "BUDGET_MODE_INFINITE")
        if mode not in BUDGET_MODES:
            raise _bad("budget_mode", f"must be one of {sorted(BUDGET_MODES)}.")
        cbo = bool(params.get("budget_optimize_on"))
        if cbo and mode != "BUDGET_MODE_DAY" and mode != "BUDGET_MODE_TOTAL":
            raise _bad(
                "budget_mode", "campaign budget optimization needs BUDGET_MODE_DAY or BUDGET_MODE_TOTAL."
            )
        if mode != "BUDGET_MODE_INFINITE":
            budget = self._budget(params)
            floor = TIKTOK_MIN_DAILY[self.currency]["campaign"]
            if budget < floor:
                raise _bad("budget", f"the campaign budget must be at least {floor} {self.currency}.")
            obj["budget"] = float(budget)
        status = params.get("operation_status", "ENABLE")
        if status not in ("ENABLE", "DISABLE"):
            raise _bad("operation_status", "must be ENABLE or DISABLE.")
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
                raise _bad(field, "this field is required.")
        if params["billing_event"] not in BILLING:
            raise _bad("billing_event", f"must be one of {sorted(BILLING)}.")
        if params["optimization_goal"] not in OPT_GOALS:
            raise _bad("optimization_goal", f"must be one of {sorted(OPT_GOALS)}.")
        if campaign["objective_type"] in (
            "TRAFFIC",
            "WEB_CONVERSIONS",
            "LEAD_GENERATION",
            "APP_PROMOTION",
            "PRODUCT_SALES",
        ) and not params.get("promotion_type"):
            raise _bad("promotion_type", "this field is required for the campaign's objective.")
        placement_type = params.get("placement_type", "PLACEMENT_TYPE_NORMAL")
        if placement_type not in ("PLACEMENT_TYPE_AUTOMATIC", "PLACEMENT_TYPE_NORMAL"):
            raise _bad("placement_type", "must be PLACEMENT_TYPE_AUTOMATIC or PLACEMENT_TYPE_NORMAL.")
        if placement_type == "PLACEMENT_TYPE_NORMAL" and not params.get("placements"):
            raise _bad("placements", "this field is required with PLACEMENT_TYPE_NORMAL.")
        locations = params.get("location_ids")
        known = {r["location_id"] for r in REGIONS}
        if not isinstance(locations, list) or not locations:
            raise _bad("location_ids", "this field is required.")
        if any(str(loc) not in known for loc in locations):
            raise _bad(
                "location_ids", f"unknown location IDs {[loc for loc in locations if str(loc) not in known]}."
            )
        if params.get("gender", "GENDER_UNLIMITED") not in GENDERS:
            raise _bad("gender", f"must be one of {sorted(GENDERS)}.")
        if any(a not in AGE_GROUPS for a in params.get("age_groups") or []):
            raise _bad("age_groups", f"values must be in {sorted(AGE_GROUPS)}.")
        if params.get("operation_status", "ENABLE") not in ("ENABLE", "DISABLE"):
            raise _bad("operation_status", "must be ENABLE or DISABLE.")
        start = self._time(params, "schedule_start_time")
        if start < datetime.now(UTC) - timedelta(hours=12):
            raise _bad("schedule_start_time", "cannot be more than 12 hours in the past.")
        end = None
        if params["schedule_type"] == "SCHEDULE_START_END":
            end = self._time(params, "schedule_end_time")
            if end <= start:
                raise _bad("schedule_end_time", "must be later than schedule_start_time.")
        elif params["schedule_type"] != "SCHEDULE_FROM_NOW":
            raise _bad("schedule_type", "must be SCHEDULE_FROM_NOW or SCHEDULE_START_END.")
        if not campaign.get("budget_optimize_on"):
            for field in ("budget_mode", "budget", "pacing"):
                if params.get(field) is None:
                    raise _bad(field, "this field is required when campaign budget optimization is off.")
            if params["pacing"] not in PACING:
                raise _bad("pacing", f"must be one of {sorted(PACING)}.")
            mode, budget = params["budget_mode"], self._budget(params)
            floor = TIKTOK_MIN_DAILY[self.currency]["adgroup"]
            if mode == "BUDGET_MODE_DAY":
                if budget < floor:
                    raise _bad(
                        "budget", f"the daily budget of an ad group must be at least {floor} {self.currency}."
                    )
            elif mode == "BUDGET_MODE_TOTAL":
                if end is None:
                    raise _bad("schedule_type", "BUDGET_MODE_TOTAL needs SCHEDULE_START_END.")
                days = max(1, -(-int((end - start).total_seconds()) // 86400))
                if budget < floor * days:
                    raise _bad(
                        "budget",
                        f"the lifetime budget must be at least {floor * days} {self.currency} ({floor} x {days} days).",
                    )
            else:
                raise _bad("budget_mode", "an ad group needs BUDGET_MODE_DAY or BUDGET_MODE_TOTAL.")
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
            raise _bad("creatives", "this field is required.")
        for i, c in enumerate(creatives):
            where = f"creatives[{i}]"
            if not c.get("ad_name") or len(c["ad_name"]) > 512:
                raise _bad(f"{where}.ad_name", "is required (at most 512 characters).")
            if c.get("identity_type") not in ("CUSTOMIZED_USER", "AUTH_CODE", "TT_USER", "BC_AUTH_TT"):
                raise _bad(
                    f"{where}.identity_type", "must be CUSTOMIZED_USER, AUTH_CODE, TT_USER or BC_AUTH_TT."
                )
            if (
                c["identity_type"] == "CUSTOMIZED_USER"
                and self.store.get("identity", str(c.get("identity_id"))) is None
            ):
                raise _bad(f"{where}.identity_id", "the identity does not exist.")
            ad_format = c.get("ad_format")
            if ad_format == "SINGLE_VIDEO":
                if self.store.get("video", str(c.get("video_id"))) is None:
                    raise _bad(f"{where}.video_id", "the video does not exist in this advertiser's library.")
            elif ad_format == "SINGLE_IMAGE":
                if adgroup.get("placement_type") == "PLACEMENT_TYPE_NORMAL" and adgroup.get("placements") == [
                    "PLACEMENT_TIKTOK"
                ]:
                    raise _bad(f"{where}.ad_format", "in-feed ads on TikTok must be SINGLE_VIDEO.")
                if not c.get("image_ids"):
                    raise _bad(f"{where}.image_ids", "this field is required for SINGLE_IMAGE.")
            else:
                raise _bad(f"{where}.ad_format", "must be SINGLE_VIDEO or SINGLE_IMAGE in the sandbox.")
            for image_id in c.get("image_ids") or []:
                if self.store.get("image", str(image_id)) is None:
                    raise _bad(f"{where}.image_ids", f"image {image_id} does not exist.")
            text = str(c.get("ad_text") or "")
            if not 1 <= len(text) <= 100:
                raise _bad(f"{where}.ad_text", "length must be between 1 and 100 characters.")
            if re.search("[\U0001f300-\U0001faff]", text):
                raise _bad(f"{where}.ad_text", "emoji are not allowed.")
            if c.get("call_to_action") not in CTAS:
                raise _bad(f"{where}.call_to_action", f"must be one of {sorted(CTAS)}.")
            if not str(c.get("landing_page_url") or "").startswith(("http://", "https://")):
                raise _bad(f"{where}.landing_page_url", "must be an http(s) URL.")
        ids = []
        for c in creatives:
            n = self.faults.before_create("ad")
            obj = {**c, "account_id": ADVERTISER_ID, "advertiser_id": ADVERTISER_ID, "adgroup_id": adgroup["id"],
                   "parent_id": adgroup["id"], "campaign_id": adgroup["campaign_id"], "name": c["ad_name"],
                   "operation_status": c.get("operation_status", "ENABLE"),
                   "create_time": f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S}"}  # fmt: skip
            obj["id"] = obj["ad_id"] = self._new_id()
            self.store.put("ad", obj)
            ids.append(obj["id"])
            await self.faults.after_create("ad", n)
        return {"ad_ids": ids}

    # ------------------------------------------------------------------------------------------ reads

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
            raise _bad("filtering", "must be a JSON object.")
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
        page, size = int(params.get("page") or 1), min(1000, int(params.get("page_size") or 10))
        chunk = rows[(page - 1) * size : page * size]
        out = []
        for r in chunk:
            view = {
                k: v
                for k, v in r.items()
                if k not in ("id", "parent_id", "account_id", "created_at", "ever_enabled")
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
            raise _bad(field, "this field is required.")
        if len(ids) > 20:
            raise ApiError(40011, f"{field}: at most 20 IDs per request.")
        status = params.get("operation_status")
        if status not in ("ENABLE", "DISABLE", "DELETE"):
            raise _bad("operation_status", "must be ENABLE, DISABLE or DELETE.")
        objects = []
        for object_id in ids:
            found = self.store.get(kind, object_id)
            if found is None or found[1].get("operation_status") == "DELETE":
                raise ApiError(40007, f"{field}: {object_id} does not exist.")
            objects.append(found[1])
        for obj in objects:
            obj["operation_status"] = status
            if status == "ENABLE":
                obj["ever_enabled"] = True
            self.store.put(kind, obj)
        return {field: ids, "status": status}

    def _report(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("data_level") != "AUCTION_CAMPAIGN" or params.get("report_type") != "BASIC":
            raise _bad(
                "data_level", "the sandbox reports report_type BASIC at data_level AUCTION_CAMPAIGN only."
            )
        dims = params.get("dimensions") or []
        if "campaign_id" not in dims or "stat_time_day" not in dims:
            raise _bad("dimensions", 'the sandbox needs ["campaign_id", "stat_time_day"].')
        try:
            since, until = (
                date.fromisoformat(str(params["start_date"])),
                date.fromisoformat(str(params["end_date"])),
            )
        except (KeyError, ValueError) as exc:
            raise _bad("start_date", "start_date and end_date must be YYYY-MM-DD.") from exc
        if until < since or (until - since).days > 365:
            raise _bad("end_date", "the date range must be between 1 and 365 days.")
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


def tiktok_app(state_dir: Path, faults: SandboxFaults | None = None) -> Starlette:
    sim = TikTokSimulator(state_dir, faults)
    return Starlette(
        routes=[
            Route("/portal/auth", sim.auth_page, methods=["GET", "POST"]),
            Route("/open_api/{version}/{path:path}", sim.api, methods=["GET", "POST"]),
        ]
    )
