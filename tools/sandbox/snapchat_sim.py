"""Snap Marketing API v1 simulator: OAuth + refresh, wrapped lists, micro money, per-item errors, stats."""

from __future__ import annotations

import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
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
from tools.sandbox.limits import SNAPCHAT_MIN_ADSQUAD_DAILY_MICRO, SNAPCHAT_MIN_CAMPAIGN_DAILY_MICRO

NS = uuid.UUID("5a0d1e5c-0000-4000-8000-0000000ad1e5")
USER_ID = str(uuid.uuid5(NS, "user"))
ORG_ID = str(uuid.uuid5(NS, "organization"))
AD_ACCOUNT_ID = str(uuid.uuid5(NS, "adaccount"))
PROFILE_ID = str(uuid.uuid5(NS, "public_profile"))
CURRENCY = "SAR"  # the default; SandboxFaults.account_currency bills the account in another
TIMEZONE = "Asia/Riyadh"
ACCESS_TTL_S = 3600
# Snap region IDs for SA (sandbox values; real ones come from /targeting/geo/sa/region).
REGIONS = [
    {"id": "3371", "name": "Riyadh Region", "aliases": ["Riyadh", "Ar Riyad"], "country_code": "sa"},
    {"id": "3372", "name": "Makkah Region", "aliases": ["Mecca", "Jeddah", "Makkah"], "country_code": "sa"},
    {"id": "3373", "name": "Eastern Province", "aliases": ["Dammam", "Ash Sharqiyah"], "country_code": "sa"},
    {"id": "4101", "name": "Dubai", "aliases": [], "country_code": "ae"},
]
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


class SnapError(Exception):
    def __init__(self, status: int, code: str, message: str, *, items: tuple[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.items = status, code, message, items


def _bad(field: str, message: str) -> SnapError:
    return SnapError(400, "E1001", f"{field}: {message}")


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class SnapchatSimulator:
    def __init__(self, state_dir: Path, faults: SandboxFaults | None) -> None:
        self.store = SandboxStore(state_dir, "snapchat")
        self.faults = FaultState(faults)

    @property
    def currency(self) -> str:
        return self.faults.faults.account_currency or CURRENCY

    def _new_id(self, kind: str) -> str:
        return str(uuid.uuid5(NS, f"{kind}:{self.store.next_number(kind)}"))

    # ------------------------------------------------------------------------------------------ oauth

    async def authorize(self, request: Request) -> Response:
        if request.method == "GET":
            return consent_page(
                request,
                platform_title="Snapchat",
                app_field="client_id",
                scopes=request.query_params.get("scope", ""),
            )
        form = dict((await request.form()).items())
        redirect_uri, state = str(form.get("redirect_uri", "")), str(form.get("state", ""))
        if form.get("decision") != "allow":
            return redirect_with(redirect_uri, {"error": "access_denied", "state": state})
        code = secrets.token_urlsafe(24)
        self.store.put_token(
            code,
            "code",
            time.time() + 600,
            {"client_id": form.get("client_id"), "redirect_uri": redirect_uri},
        )
        return redirect_with(redirect_uri, {"code": code, "state": state})

    @with_latency
    async def access_token(self, request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        if not form.get("client_id") or not form.get("client_secret"):
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Client authentication failed"},
                status_code=401,
            )
        grant = form.get("grant_type")
        if grant == "authorization_code":
            found = self.store.get_token(form.get("code", ""), "code")
            if found is None or found[1] != "ok" or found[0].get("redirect_uri") != form.get("redirect_uri"):
                return JSONResponse(
                    {"error": "invalid_grant", "error_description": "Invalid authorization code"},
                    status_code=400,
                )
            self.store.revoke_token(form["code"])
            refresh = secrets.token_urlsafe(32)
            self.store.put_token(refresh, "refresh", None, {"user_id": USER_ID})
        elif grant == "refresh_token":
            refresh = form.get("refresh_token", "")
            found = self.store.get_token(refresh, "refresh")
            if found is None or found[1] != "ok":
                return JSONResponse(
                    {"error": "invalid_grant", "error_description": "Invalid refresh token"}, status_code=400
                )
        else:
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        access = secrets.token_urlsafe(32)
        self.store.put_token(access, "access", time.time() + ACCESS_TTL_S, {"user_id": USER_ID})
        return JSONResponse({"access_token": access, "token_type": "Bearer", "expires_in": ACCESS_TTL_S,
                             "refresh_token": refresh, "scope": "snapchat-marketing-api"})  # fmt: skip

    # ------------------------------------------------------------------------------------------ api

    @with_latency
    async def api(self, request: Request) -> Response:
        request_id = secrets.token_hex(12)
        try:
            header = request.headers.get("authorization", "")
            token = header[7:] if header.lower().startswith("bearer ") else ""
            found = self.store.get_token(token, "access") if token else None
            if found is None or found[1] != "ok":
                raise SnapError(401, "E0001", "Unauthorized: the access token is invalid or expired.")
            fault = self.faults.on_call(request.path_params["path"])
            if fault == "expire":
                self.store.expire_token(token)
                raise SnapError(401, "E0001", "Unauthorized: the access token is invalid or expired.")
            if fault == "rate_limit":
                raise SnapError(429, "E0429", "Too many requests.")
            if fault == "transient":
                raise SnapError(503, "E0503", "Service unavailable.")
            body: dict[str, Any] = {}
            if request.method in ("POST", "PUT") and request.headers.get("content-type", "").startswith(
                "application/json"
            ):
                body = await request.json()
            result = await self._route(request, request.path_params["path"].strip("/").split("/"), body)
            return JSONResponse({"request_status": "SUCCESS", "request_id": request_id, **result})
        except SnapError as exc:
            payload: dict[str, Any] = {"request_status": "ERROR", "request_id": request_id, "debug_message": exc.message,
                                       "display_message": exc.message, "error_code": exc.code}  # fmt: skip
            if exc.items:
                plural, singular = exc.items
                payload[plural] = [{"sub_request_status": "ERROR", "sub_request_error_reason": exc.message}]
            return JSONResponse(payload, status_code=exc.status)

    @staticmethod
    def _wrap(plural: str, singular: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
        return {plural: [{"sub_request_status": "SUCCESS", singular: r} for r in rows]}

    def _view(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {
            k: v for k, v in obj.items() if k not in ("parent_id", "account_id", "created_at", "ever_active")
        }

    def _adaccount(self) -> dict[str, Any]:
        return {"id": AD_ACCOUNT_ID, "name": "ADLY Sandbox (Snapchat)", "organization_id": ORG_ID, "currency": self.currency,
                "timezone": TIMEZONE, "status": "ACTIVE", "type": "PARTNER"}  # fmt: skip

    async def _route(self, request: Request, parts: list[str], body: dict[str, Any]) -> dict[str, Any]:
        method = request.method
        if parts == ["me"]:
            return {"me": {"id": USER_ID, "organization_id": ORG_ID, "display_name": "Sandbox User"}}
        if parts == ["me", "organizations"]:
            org: dict[str, Any] = {"id": ORG_ID, "name": "ADLY Sandbox Org"}
            if request.query_params.get("with_ad_accounts") == "true":
                org["ad_accounts"] = [self._adaccount()]
            return self._wrap("organizations", "organization", [org])
        if len(parts) == 3 and parts[0] == "organizations":
            if parts[1] != ORG_ID:
                raise SnapError(403, "E3002", "No permission for this organization.")
            if parts[2] == "adaccounts":
                return self._wrap("adaccounts", "adaccount", [self._adaccount()])
            if parts[2] == "public_profiles":
                return self._wrap(
                    "public_profiles", "public_profile", [{"id": PROFILE_ID, "display_name": "Sandbox Brand"}]
                )
        if len(parts) == 4 and parts[:2] == ["targeting", "geo"] and parts[3] == "region":
            rows = [
                {"id": r["id"], "name": r["name"], "aliases": r["aliases"]}
                for r in REGIONS
                if r["country_code"] == parts[2]
            ]
            return {"targeting_dimensions": [{"sub_request_status": "SUCCESS", "region": r} for r in rows]}
        if parts[0] == "adaccounts" and len(parts) >= 2 and parts[1] != AD_ACCOUNT_ID:
            raise SnapError(403, "E3002", "No permission for this ad account.")
        if parts == ["adaccounts", AD_ACCOUNT_ID]:
            return self._wrap("adaccounts", "adaccount", [self._adaccount()])
        if len(parts) == 3 and parts[0] == "adaccounts" and parts[2] == "stats":
            return self._stats(request)
        if len(parts) == 3 and parts[0] == "media" and parts[2] == "upload" and method == "POST":
            return await self._upload(request, parts[1])
        if len(parts) == 3 and parts[0] in ("adaccounts", "campaigns", "adsquads") and parts[2] in ENTITY:
            child = parts[2]
            if method == "GET":
                return self._list(request, parts[0], parts[1], child)
            if method == "POST":
                return await self._create(parts[0], parts[1], child, body)
            if method == "PUT":
                return self._update(parts[0], parts[1], child, body)
        if len(parts) == 2 and parts[0] in ENTITY:
            singular = ENTITY[parts[0]]
            found = self.store.get(singular, parts[1])
            if found is None or found[1].get("deleted"):
                raise SnapError(404, "E1004", f"{singular} {parts[1]} not found.")
            if method == "GET":
                return self._wrap(parts[0], singular, [self._view(found[1])])
            if method == "DELETE" and parts[0] in ("campaigns", "adsquads", "ads"):
                found[1]["deleted"] = True
                found[1]["status"] = "PAUSED"
                self.store.put(singular, found[1])
                return self._wrap(parts[0], singular, [self._view(found[1])])
        raise SnapError(404, "E1004", f"Unknown resource /v1/{'/'.join(parts)}")

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
            obj["created_at_iso"] = obj["updated_at"] = _now_iso()
            self.store.put(singular, obj)
            created.append(obj)
            await self.faults.after_create(kind, n)
        return self._wrap(child, singular, [self._view(o) for o in created])

    def _name(self, item: dict[str, Any]) -> str:
        name = str(item.get("name") or "")
        if not name or len(name) > 375:
            raise _bad("name", "is required (at most 375 characters).")
        return name

    def _status(self, item: dict[str, Any]) -> str:
        status = item.get("status")
        if status not in ("ACTIVE", "PAUSED"):
            raise _bad("status", "must be ACTIVE or PAUSED.")
        return str(status)

    def _validate(self, parent: str, parent_id: str, singular: str, item: dict[str, Any]) -> dict[str, Any]:
        item.pop("id", None)
        if singular == "media":
            if item.get("type") not in ("IMAGE", "VIDEO"):
                raise _bad("type", "must be IMAGE or VIDEO.")
            return {**item, "name": self._name(item), "ad_account_id": AD_ACCOUNT_ID, "account_id": AD_ACCOUNT_ID,
                    "parent_id": AD_ACCOUNT_ID, "media_status": "PENDING_UPLOAD"}  # fmt: skip
        if singular == "campaign":
            self._name(item)
            self._status(item)
            if not item.get("start_time"):
                raise _bad("start_time", "is required.")
            daily = item.get("daily_budget_micro")
            if daily is not None and (
                not isinstance(daily, int) or daily < SNAPCHAT_MIN_CAMPAIGN_DAILY_MICRO
            ):
                raise _bad(
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
                    raise _bad(field, "is required.")
            if item["optimization_goal"] not in OPT_GOALS:
                raise _bad("optimization_goal", f"must be one of {sorted(OPT_GOALS)}.")
            if item.get("bid_strategy", "AUTO_BID") != "AUTO_BID" and not item.get("bid_micro"):
                raise _bad("bid_micro", "is required unless bid_strategy is AUTO_BID.")
            geos = (item.get("targeting") or {}).get("geos")
            if not geos:
                raise _bad("targeting.geos", "at least one geo is required.")
            known = {r["id"] for r in REGIONS}
            for geo in geos:
                if any(str(r) not in known for r in geo.get("region_id") or []):
                    raise _bad("targeting.geos.region_id", "unknown region id.")
            daily, lifetime = item.get("daily_budget_micro"), item.get("lifetime_budget_micro")
            if (daily is None) == (lifetime is None):
                raise _bad(
                    "daily_budget_micro",
                    "exactly one of daily_budget_micro or lifetime_budget_micro is required.",
                )
            if daily is not None and (not isinstance(daily, int) or daily < SNAPCHAT_MIN_ADSQUAD_DAILY_MICRO):
                raise _bad(
                    "daily_budget_micro",
                    f"must be an integer of at least {SNAPCHAT_MIN_ADSQUAD_DAILY_MICRO} micro.",
                )
            if lifetime is not None:
                if not item.get("end_time"):
                    raise _bad("end_time", "is required with lifetime_budget_micro.")
                if not isinstance(lifetime, int) or lifetime < SNAPCHAT_MIN_ADSQUAD_DAILY_MICRO:
                    raise _bad(
                        "lifetime_budget_micro",
                        f"must be an integer of at least {SNAPCHAT_MIN_ADSQUAD_DAILY_MICRO} micro.",
                    )
            return {**item, "campaign_id": parent_id, "account_id": AD_ACCOUNT_ID, "parent_id": parent_id}
        if singular == "creative":
            self._name(item)
            if item.get("type") != "WEB_VIEW" and item.get("type") != "SNAP_AD":
                raise _bad("type", "the sandbox supports WEB_VIEW and SNAP_AD creatives.")
            if not item.get("brand_name") or len(item["brand_name"]) > 32:
                raise _bad("brand_name", "is required (at most 32 characters).")
            if not item.get("headline") or len(item["headline"]) > 34:
                raise _bad("headline", "is required (at most 34 characters).")
            if (item.get("profile_properties") or {}).get("profile_id") != PROFILE_ID:
                raise _bad("profile_properties.profile_id", "must be a public profile of the organization.")
            media = self.store.get("media", str(item.get("top_snap_media_id")))
            if media is None or media[1].get("media_status") != "READY":
                raise _bad("top_snap_media_id", "must be an uploaded media in READY state.")
            if item["type"] == "WEB_VIEW":
                if not str((item.get("web_view_properties") or {}).get("url", "")).startswith("https://"):
                    raise _bad("web_view_properties.url", "an https URL is required for WEB_VIEW.")
                if item.get("call_to_action") not in CTAS:
                    raise _bad("call_to_action", f"must be one of {sorted(CTAS)}.")
            return {**item, "ad_account_id": AD_ACCOUNT_ID, "account_id": AD_ACCOUNT_ID, "parent_id": AD_ACCOUNT_ID,
                    "review_status": "APPROVED"}  # fmt: skip
        found = self.store.get("adsquad", parent_id)
        if found is None or found[1].get("deleted"):
            raise SnapError(404, "E1004", f"ad squad {parent_id} not found.")
        self._name(item)
        self._status(item)
        if self.store.get("creative", str(item.get("creative_id"))) is None:
            raise _bad("creative_id", "must be an existing creative.")
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
            if status == "ACTIVE":
                obj["ever_active"] = True
                if singular == "ad":
                    obj["review_status"] = "APPROVED"
            obj["updated_at"] = _now_iso()
            self.store.put(singular, obj)
            updated.append(obj)
        return self._wrap(child, singular, [self._view(o) for o in updated])

    async def _upload(self, request: Request, media_id: str) -> dict[str, Any]:
        found = self.store.get("media", media_id)
        if found is None:
            raise SnapError(404, "E1004", f"media {media_id} not found.")
        form = await read_form(request)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise _bad("file", "a multipart file is required.")
        content = await upload.read()
        if not content:
            raise _bad("file", "the file is empty.")
        obj = found[1]
        obj.update(media_status="READY", file_name=upload.filename, file_size_in_bytes=len(content))
        self.store.put("media", obj)
        return {"result": self._view(obj)}

    def _stats(self, request: Request) -> dict[str, Any]:
        q = request.query_params
        if q.get("granularity") != "DAY" or q.get("breakdown") != "campaign":
            raise _bad(
                "granularity", "the sandbox serves granularity=DAY&breakdown=campaign on ad account stats."
            )
        tz = ZoneInfo(TIMEZONE)
        try:
            start = datetime.fromisoformat(str(q.get("start_time"))).astimezone(tz)
            end = datetime.fromisoformat(str(q.get("end_time"))).astimezone(tz)
        except ValueError as exc:
            raise _bad("start_time", "start_time and end_time must be ISO-8601.") from exc
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


def snapchat_app(state_dir: Path, faults: SandboxFaults | None = None) -> Starlette:
    sim = SnapchatSimulator(state_dir, faults)
    return Starlette(
        routes=[
            Route("/login/oauth2/authorize", sim.authorize, methods=["GET", "POST"]),
            Route("/login/oauth2/access_token", sim.access_token, methods=["POST"]),
            Route("/v1/{path:path}", sim.api, methods=["GET", "POST", "PUT", "DELETE"]),
        ]
    )
