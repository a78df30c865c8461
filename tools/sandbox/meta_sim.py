"""Meta Graph API simulator (v24.0+ paths): OAuth dialog, ad accounts, objects, uploads, insights, errors."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tools.platforms.money import meta_offset
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
from tools.sandbox.limits import META_GOAL_CLASS, META_MIN_DAILY

USER_ID = "10000000000000001"
AD_ACCOUNT_NUMBER = "20000000000000001"
AD_ACCOUNT_ID = f"act_{AD_ACCOUNT_NUMBER}"
# The ad account the request's path names (act_...): objects are stored and listed under it.
_ACCOUNT: ContextVar[str] = ContextVar("meta_sim_account", default=AD_ACCOUNT_ID)


def account_ids(extra: int) -> list[str]:
    """The sandbox user's ad accounts: the main one, then `SandboxFaults.extra_accounts` more."""
    return [AD_ACCOUNT_ID] + [f"act_{int(AD_ACCOUNT_NUMBER) + n}" for n in range(1, extra + 1)]
PAGE_ID = "30000000000000001"
CURRENCY = "SAR"  # the default; SandboxFaults.account_currency bills the account in another
TIMEZONE = "Asia/Riyadh"
SHORT_TOKEN_S = 2 * 3600
LONG_TOKEN_S = 60 * 24 * 3600
SCOPES = ["ads_management", "ads_read", "business_management", "pages_show_list", "pages_read_engagement"]
# Sandbox geo keys (not Meta's real keys): the client must look them up, never hard-code them.
GEO: list[dict[str, Any]] = [
    {"key": "1001001", "name": "Riyadh", "type": "city", "country_code": "SA", "region": "Riyadh Region", "region_id": 4001},
    {"key": "1001002", "name": "Jeddah", "type": "city", "country_code": "SA", "region": "Makkah Region", "region_id": 4002},
    {"key": "1001003", "name": "Dammam", "type": "city", "country_code": "SA", "region": "Eastern Province", "region_id": 4003},
    {"key": "1001004", "name": "Mecca", "type": "city", "country_code": "SA", "region": "Makkah Region", "region_id": 4002},
    {"key": "1002001", "name": "Dubai", "type": "city", "country_code": "AE", "region": "Dubai", "region_id": 4101},
    {"key": "1002002", "name": "Abu Dhabi", "type": "city", "country_code": "AE", "region": "Abu Dhabi", "region_id": 4102},
    {"key": "1003001", "name": "Kuwait City", "type": "city", "country_code": "KW", "region": "Al Asimah", "region_id": 4201},
    {"key": "4001", "name": "Riyadh Region", "type": "region", "country_code": "SA"},
    {"key": "4002", "name": "Makkah Region", "type": "region", "country_code": "SA"},
    {"key": "4003", "name": "Eastern Province", "type": "region", "country_code": "SA"},
    {"key": "4101", "name": "Dubai", "type": "region", "country_code": "AE"},
]  # fmt: skip
OBJECTIVES = {"OUTCOME_APP_PROMOTION", "OUTCOME_AWARENESS", "OUTCOME_ENGAGEMENT", "OUTCOME_LEADS", "OUTCOME_SALES",
              "OUTCOME_TRAFFIC"}  # fmt: skip
SPECIAL_CATEGORIES = {"NONE", "CREDIT", "EMPLOYMENT", "HOUSING", "ISSUES_ELECTIONS_POLITICS",
                      "FINANCIAL_PRODUCTS_SERVICES", "ONLINE_GAMBLING_AND_GAMING"}  # fmt: skip
BILLING_EVENTS = {"APP_INSTALLS", "CLICKS", "IMPRESSIONS", "LINK_CLICKS", "LISTING_INTERACTION", "NONE", "OFFER_CLAIMS",
                  "PAGE_LIKES", "POST_ENGAGEMENT", "PURCHASE", "THRUPLAY"}  # fmt: skip
OPT_GOALS = {"LINK_CLICKS", "LANDING_PAGE_VIEWS", "IMPRESSIONS", "REACH", "OFFSITE_CONVERSIONS", "VALUE",
             "LEAD_GENERATION", "QUALITY_LEAD", "THRUPLAY", "POST_ENGAGEMENT", "CONVERSATIONS", "APP_INSTALLS",
             "AD_RECALL_LIFT", "PROFILE_VISIT"}  # fmt: skip
BID_STRATEGIES = {
    "LOWEST_COST_WITHOUT_CAP",
    "LOWEST_COST_WITH_BID_CAP",
    "COST_CAP",
    "LOWEST_COST_WITH_MIN_ROAS",
}
CTA_TYPES = {"LEARN_MORE", "SHOP_NOW", "SIGN_UP", "BOOK_NOW", "CONTACT_US", "ORDER_NOW", "APPLY_NOW", "GET_OFFER",
             "DOWNLOAD", "SUBSCRIBE", "WHATSAPP_MESSAGE", "NO_BUTTON"}  # fmt: skip
WRITABLE_STATUS = {"ACTIVE", "PAUSED", "ARCHIVED", "DELETED"}
KINDS = {"campaigns": "campaign", "adsets": "adset", "ads": "ad", "adcreatives": "adcreative"}
FAULT_KIND = {"campaign": "campaign", "adset": "ad_set", "ad": "ad", "adcreative": "creative", "adimage": "image",
              "advideo": "video"}  # fmt: skip


class GraphError(Exception):
    def __init__(
        self,
        code: int,
        message: str,
        *,
        subcode: int | None = None,
        status: int = 400,
        field: str | None = None,
        user_msg: str | None = None,
        transient: bool = False,
        headers: dict[str, str] | None = None,
        error_type: str = "OAuthException",
    ) -> None:
        super().__init__(message)
        self.body: dict[str, Any] = {
            "message": message, "type": error_type, "code": code,
            "fbtrace_id": base64.b64encode(secrets.token_bytes(9)).decode(),
        }  # fmt: skip
        if subcode is not None:
            self.body["error_subcode"] = subcode
        if user_msg:
            self.body["error_user_title"] = "Invalid parameter"
            self.body["error_user_msg"] = user_msg
        if field:
            self.body["error_data"] = {"blame_field_specs": [[field]]}
        if transient:
            self.body["is_transient"] = True
        self.status = status
        self.headers = headers or {}


def _invalid(field: str, message: str, subcode: int | None = None) -> GraphError:
    return GraphError(100, f"(#100) {message}", subcode=subcode, field=field, user_msg=message)


class MetaSimulator:
    def __init__(self, state_dir: Path, faults: SandboxFaults | None) -> None:
        self.store = SandboxStore(state_dir, "meta")
        self.faults = FaultState(faults)

    @property
    def currency(self) -> str:
        return self.faults.faults.account_currency or CURRENCY

    # ------------------------------------------------------------------------------------------ helpers

    def _new_id(self) -> str:
        return f"1202{self.store.next_number('object'):014d}"

    def _usage_header(self, pct: int, regain_minutes: float = 0) -> dict[str, str]:
        usage = {
            AD_ACCOUNT_NUMBER: [
                {"type": "ads_management", "call_count": pct, "total_cputime": max(1, pct // 2),
                 "total_time": max(1, pct // 2), "estimated_time_to_regain_access": regain_minutes,
                 "ads_api_access_tier": "standard_access"}
            ]
        }  # fmt: skip
        return {"X-Business-Use-Case-Usage": json.dumps(usage, separators=(",", ":"))}

    async def _params(self, request: Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        params: dict[str, Any] = dict(request.query_params)
        files: dict[str, tuple[str, bytes]] = {}
        if request.method == "POST":
            form = await read_form(request)
            for key, value in form.multi_items():
                if isinstance(value, str):
                    params[key] = value
                else:
                    files[key] = (value.filename or key, await value.read())
        return params, files

    @staticmethod
    def _json(params: dict[str, Any], key: str, default: Any = None) -> Any:
        raw = params.get(key)
        if raw is None:
            return default
        if isinstance(raw, str) and raw[:1] in "[{":
            try:
                return json.loads(raw)
            except ValueError as exc:
                raise _invalid(key, f"param {key} must be JSON-encoded") from exc
        return raw

    def _auth(self, request: Request, params: dict[str, Any]) -> str:
        token = params.get("access_token")
        header = request.headers.get("authorization", "")
        if not token and header.lower().startswith("bearer "):
            token = header[7:]
        if not token:
            raise GraphError(104, "An access token is required to request this resource.", status=400)
        found = self.store.get_token(token, "access")
        if found is None:
            raise GraphError(190, "Invalid OAuth access token - Cannot parse access token", subcode=467)
        if found[1] != "ok":
            raise GraphError(
                190, "Error validating access token: Session has expired.", subcode=463,
                user_msg="Your session has expired. Please log in again.",
            )  # fmt: skip
        return str(token)

    # ------------------------------------------------------------------------------------------ entry

    async def dialog(self, request: Request) -> Response:
        if request.method == "GET":
            return consent_page(
                request,
                platform_title="Facebook",
                app_field="client_id",
                scopes=request.query_params.get("scope", ""),
            )
        form = dict((await request.form()).items())
        redirect_uri, state = str(form.get("redirect_uri", "")), str(form.get("state", ""))
        if form.get("decision") != "allow":
            return redirect_with(
                redirect_uri, {"error": "access_denied", "error_reason": "user_denied", "state": state}
            )
        code = secrets.token_urlsafe(24)
        self.store.put_token(
            code,
            "code",
            time.time() + 600,
            {"client_id": form.get("client_id"), "redirect_uri": redirect_uri},
        )
        return redirect_with(redirect_uri, {"code": code, "state": state})

    @with_latency
    async def graph(self, request: Request) -> Response:
        version, path = request.path_params["version"], request.path_params["path"].strip("/")
        try:
            match = re.fullmatch(r"v(\d+)\.0", version)
            if not match:
                raise GraphError(2500, f"Unknown path components: /{version}", status=400)
            if int(match.group(1)) < 24:
                raise GraphError(
                    2635,
                    "(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: v26.0.",
                )
            params, files = await self._params(request)
            if path == "oauth/access_token":
                return JSONResponse(self._token_exchange(params))
            token = self._auth(request, params)
            fault = self.faults.on_call(path)
            if fault == "expire":
                self.store.expire_token(token)
                self._auth(request, params)
            if fault == "rate_limit":
                minutes = self.faults.faults.rate_limit_wait_minutes
                raise GraphError(
                    80004, "(#80004) There have been too many calls to this ad-account. Wait a bit and try again.",
                    subcode=2446079, headers=self._usage_header(100, minutes),
                )  # fmt: skip
            if fault == "transient":
                raise GraphError(
                    2,
                    "An unexpected error has occurred. Please retry your request later.",
                    status=500,
                    transient=True,
                )
            first = path.split("/")[0]
            scope = _ACCOUNT.set(first if first.startswith("act_") else AD_ACCOUNT_ID)
            try:
                body = await self._route(request.method, path, params, files)
            finally:
                _ACCOUNT.reset(scope)
            return JSONResponse(body, headers=self._usage_header(min(99, self.faults.calls % 100)))
        except GraphError as exc:
            return JSONResponse(
                {"error": exc.body},
                status_code=exc.status,
                headers={"WWW-Authenticate": "OAuth", **exc.headers},
            )

    def _token_exchange(self, params: dict[str, Any]) -> dict[str, Any]:
        for key in ("client_id", "client_secret"):
            if not params.get(key):
                raise GraphError(101, f"Missing {key} parameter.", field=key)
        if params.get("grant_type") == "fb_exchange_token":
            old = self.store.get_token(str(params.get("fb_exchange_token", "")), "access")
            if old is None or old[1] != "ok":
                raise GraphError(190, "Error validating access token: Session has expired.", subcode=463)
            ttl = LONG_TOKEN_S
        else:
            code = str(params.get("code", ""))
            found = self.store.get_token(code, "code")
            if found is None or found[1] != "ok":
                raise GraphError(100, "Invalid verification code format.", subcode=36007, field="code")
            if found[0].get("redirect_uri") != params.get("redirect_uri") or found[0].get(
                "client_id"
            ) != params.get("client_id"):
                raise GraphError(
                    100,
                    "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
                    subcode=36008,
                    field="redirect_uri",
                )
            self.store.revoke_token(code)  # a code is usable once
            ttl = SHORT_TOKEN_S
        token = "EAA" + secrets.token_urlsafe(32)
        self.store.put_token(token, "access", time.time() + ttl, {"user_id": USER_ID, "scopes": SCOPES})
        return {"access_token": token, "token_type": "bearer", "expires_in": ttl}

    # ------------------------------------------------------------------------------------------ routing

    async def _route(
        self, method: str, path: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> Any:
        parts = path.split("/")
        if parts[0] == "me":
            if len(parts) == 1:
                return {"id": USER_ID, "name": "Sandbox User"}
            if parts[1] == "adaccounts":
                ids = account_ids(self.faults.faults.extra_accounts)
                return self._page([self._account(params, i) for i in ids], params)
            if parts[1] == "permissions":
                return {"data": [{"permission": s, "status": "granted"} for s in SCOPES]}
        if path == "search":
            return self._search(params)
        if path == "" and method == "POST" and "batch" in params:
            return await self._batch(params)
        if path == "" and method == "GET" and params.get("ids"):
            # Multi-ID read: one answer keyed by id; one unknown id fails the whole request, as on Graph.
            ids = [i for i in str(params["ids"]).split(",") if i]
            missing = [i for i in ids if self.store.get(None, i) is None]
            if missing:
                raise GraphError(100, f"(#100) Some of the aliases you requested do not exist: {','.join(missing)}")
            return {i: await self._node("GET", i, params) for i in ids}
        if parts[0].startswith("act_"):
            if parts[0] not in account_ids(self.faults.faults.extra_accounts):
                raise GraphError(
                    100,
                    "(#100) Ad account owner has NOT grant ads_management or ads_read permission",
                    subcode=33,
                    status=400,
                )
            if len(parts) == 1:
                return self._account(params, parts[0])
            edge = parts[1]
            if edge == "promote_pages":
                return self._page([{"id": PAGE_ID, "name": "Sandbox Brand"}], params)
            if edge == "minimum_budgets":
                return {
                    "data": [
                        {
                            "currency": self.currency,
                            **{
                                f"min_daily_budget_{k}": int(v * meta_offset(self.currency))
                                for k, v in META_MIN_DAILY[self.currency].items()
                            },
                        }
                    ]
                }
            if edge == "insights" and method == "GET":
                return self._insights(params)
            if edge == "adimages":
                return await self._adimages(method, params, files)
            if edge == "advideos":
                return await self._advideos(method, params, files)
            if edge in KINDS:
                kind = KINDS[edge]
                if method == "POST":
                    return await self._create(kind, params)
                return self._page(self._filter(kind, params), params)
        if len(parts) == 1 and parts[0].isdigit():
            return await self._node(method, parts[0], params)
        raise GraphError(
            100,
            f"(#100) Unsupported {method.lower()} request. Object with ID '{path}' does not exist, cannot be loaded due to missing permissions, or does not support this operation",
            subcode=33,
        )

    async def _batch(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Graph batch: up to 50 requests run in order; each answers with its own code, headers and body."""
        requests = self._json(params, "batch", None)
        if not isinstance(requests, list) or not requests:
            raise _invalid("batch", "param batch must be a non-empty JSON array of requests")
        if len(requests) > 50:
            raise GraphError(1, "Too many requests in batch message. Maximum batch size is 50")
        answers: list[dict[str, Any]] = []
        for item in requests:
            method = str(item.get("method") or "GET").upper()
            relative = str(item.get("relative_url") or "").lstrip("/")
            relative = re.sub(r"^v\d+\.0/", "", relative)
            path, _, query = relative.partition("?")
            item_params = {**dict(parse_qsl(query)), **dict(parse_qsl(str(item.get("body") or "")))}
            try:
                body: Any = await self._route(method, path.strip("/"), item_params, {})
                code = 200
            except GraphError as exc:
                body, code = {"error": exc.body}, exc.status
            answers.append({
                "code": code, "headers": [{"name": "Content-Type", "value": "application/json; charset=UTF-8"}],
                "body": json.dumps(body),
            })  # fmt: skip
        return answers

    def _account(self, params: dict[str, Any], account_id: str = AD_ACCOUNT_ID) -> dict[str, Any]:
        number = account_id.removeprefix("act_")
        name = "ADLY Sandbox (Meta)" if account_id == AD_ACCOUNT_ID else f"ADLY Sandbox (Meta) {int(number) - int(AD_ACCOUNT_NUMBER) + 1}"
        return {
            "id": account_id, "account_id": number, "name": name, "currency": self.currency,
            "timezone_name": TIMEZONE, "account_status": 1, "min_daily_budget": int(META_MIN_DAILY[self.currency]["imp"] * meta_offset(self.currency)),
        }  # fmt: skip

    def _page(self, rows: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
        limit = int(params.get("limit") or 25)
        offset = int(base64.b64decode(params["after"]).decode()) if params.get("after") else 0
        chunk = rows[offset : offset + limit]
        body: dict[str, Any] = {"data": chunk}
        if rows:
            cursors = {"before": base64.b64encode(str(offset).encode()).decode(),
                       "after": base64.b64encode(str(offset + len(chunk)).encode()).decode()}  # fmt: skip
            body["paging"] = {"cursors": cursors}
            if offset + len(chunk) < len(rows):
                body["paging"]["next"] = f"https://graph.facebook.com/v26.0/page?after={cursors['after']}"
        return body

    def _search(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("type") != "adgeolocation":
            raise _invalid("type", "param type must be one of {adgeolocation, ...} in the sandbox")
        query = str(params.get("q", "")).casefold()
        types = self._json(params, "location_types", ["city", "region", "country"])
        country = str(params.get("country_code", "")).upper()
        rows = [
            {**g, "country_name": {"SA": "Saudi Arabia", "AE": "United Arab Emirates", "KW": "Kuwait"}[g["country_code"]],
             "supports_city": True, "supports_region": True}
            for g in GEO
            if query in g["name"].casefold() and g["type"] in types and (not country or g["country_code"] == country)
        ]  # fmt: skip
        return {"data": rows}

    # ------------------------------------------------------------------------------------------ objects

    def _money(self, params: dict[str, Any], field: str) -> int | None:
        raw = params.get(field)
        if raw is None:
            return None
        if not str(raw).isdigit():
            raise _invalid(
                field, f"param {field} must be a non-negative integer in the account currency's minor units"
            )
        return int(raw)

    def _check_budget(self, params: dict[str, Any], goal: str | None, days: int = 1) -> None:
        floor = META_MIN_DAILY[self.currency][META_GOAL_CLASS.get(goal or "IMPRESSIONS", "imp")]
        floor_minor = int(floor * meta_offset(self.currency))
        daily, lifetime = self._money(params, "daily_budget"), self._money(params, "lifetime_budget")
        if daily is not None and lifetime is not None:
            raise _invalid("daily_budget", "Only one of daily_budget or lifetime_budget can be set")
        if daily is not None and daily < floor_minor:
            raise _invalid(
                "daily_budget",
                f"param daily_budget: the minimum daily budget is {floor_minor} ({floor} {self.currency})",
                1885272,
            )
        if lifetime is not None and lifetime < floor_minor * max(1, days):
            raise _invalid(
                "lifetime_budget",
                f"param lifetime_budget: the minimum is {floor_minor * max(1, days)} for {days} day(s)",
                1885272,
            )

    @staticmethod
    def _parse_time(raw: Any, field: str) -> float:
        text = str(raw)
        try:
            if text.isdigit():
                return float(text)
            return datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z").timestamp()
        except ValueError as exc:
            raise _invalid(
                field, f"param {field} must be ISO-8601 with an offset or a Unix timestamp"
            ) from exc

    async def _create(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        name = str(params.get("name") or "")
        status = str(params.get("status") or "ACTIVE")
        if status not in ("ACTIVE", "PAUSED"):
            raise _invalid("status", "param status must be one of {ACTIVE, PAUSED}")
        obj: dict[str, Any] = {"name": name, "status": status, "account_id": _ACCOUNT.get(),
                               "created_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")}  # fmt: skip
        if kind != "adcreative" and not name:
            raise _invalid("name", "param name is required")
        if kind == "campaign":
            objective = params.get("objective")
            if objective not in OBJECTIVES:
                raise _invalid("objective", f"param objective must be one of {sorted(OBJECTIVES)}")
            if "special_ad_categories" not in params:
                raise _invalid(
                    "special_ad_categories", "param special_ad_categories is required (use [] for none)"
                )
            cats = self._json(params, "special_ad_categories")
            if not isinstance(cats, list) or any(c not in SPECIAL_CATEGORIES for c in cats):
                raise _invalid(
                    "special_ad_categories", "param special_ad_categories must be a JSON list of categories"
                )
            bid = params.get("bid_strategy")
            if bid is not None and bid not in BID_STRATEGIES:
                raise _invalid("bid_strategy", f"param bid_strategy must be one of {sorted(BID_STRATEGIES)}")
            self._check_budget(params, "IMPRESSIONS")
            obj.update(objective=objective, special_ad_categories=cats, bid_strategy=bid,
                       daily_budget=params.get("daily_budget"), lifetime_budget=params.get("lifetime_budget"),
                       buying_type=params.get("buying_type", "AUCTION"))  # fmt: skip
        elif kind == "adset":
            found = self.store.get("campaign", str(params.get("campaign_id", "")))
            if found is None or found[1].get("status") == "DELETED":
                raise _invalid("campaign_id", "param campaign_id must be a valid campaign in this ad account")
            campaign = found[1]
            for field in ("billing_event", "optimization_goal", "targeting"):
                if field not in params:
                    raise _invalid(field, f"param {field} is required")
            if params["billing_event"] not in BILLING_EVENTS:
                raise _invalid(
                    "billing_event", f"param billing_event must be one of {sorted(BILLING_EVENTS)}"
                )
            if params["optimization_goal"] not in OPT_GOALS:
                raise _invalid(
                    "optimization_goal", f"param optimization_goal must be one of {sorted(OPT_GOALS)}"
                )
            targeting = self._json(params, "targeting")
            if not isinstance(targeting, dict) or not (targeting.get("geo_locations") or {}):
                raise _invalid("targeting", "param targeting must include geo_locations", 1487756)
            self._check_geo(targeting["geo_locations"])
            has_campaign_budget = bool(campaign.get("daily_budget") or campaign.get("lifetime_budget"))
            has_budget = params.get("daily_budget") is not None or params.get("lifetime_budget") is not None
            if has_campaign_budget and has_budget:
                raise _invalid(
                    "daily_budget", "Budgets go on the campaign or on its ad sets, not both", 1885621
                )
            if not has_campaign_budget and not has_budget:
                raise _invalid("daily_budget", "param daily_budget or lifetime_budget is required", 1885272)
            start = self._parse_time(params.get("start_time") or time.time(), "start_time")
            end = self._parse_time(params["end_time"], "end_time") if params.get("end_time") else None
            if params.get("lifetime_budget") is not None and end is None:
                raise _invalid("end_time", "param end_time is required with a lifetime_budget", 1487166)
            if end is not None and end <= start:
                raise _invalid("end_time", "param end_time must be after start_time")
            days = max(1, int(((end or start) - start + 86399) // 86400))
            self._check_budget(params, params["optimization_goal"], days)
            obj.update(campaign_id=campaign["id"], parent_id=campaign["id"], billing_event=params["billing_event"],
                       optimization_goal=params["optimization_goal"], targeting=targeting,
                       daily_budget=params.get("daily_budget"), lifetime_budget=params.get("lifetime_budget"),
                       start_time=params.get("start_time"), end_time=params.get("end_time"),
                       destination_type=params.get("destination_type"))  # fmt: skip
        elif kind == "adcreative":
            spec = self._json(params, "object_story_spec")
            if not isinstance(spec, dict):
                raise _invalid("object_story_spec", "param object_story_spec is required")
            self._check_story(spec)
            obj.update(object_story_spec=spec, name=name or f"Creative {datetime.now(UTC):%Y-%m-%d}")
            obj.pop("status")
            obj["status"] = "ACTIVE"
        elif kind == "ad":
            found = self.store.get("adset", str(params.get("adset_id", "")))
            if found is None or found[1].get("status") == "DELETED":
                raise _invalid("adset_id", "param adset_id must be a valid ad set in this ad account")
            creative = self._json(params, "creative")
            if (
                not isinstance(creative, dict)
                or self.store.get("adcreative", str(creative.get("creative_id"))) is None
            ):
                raise _invalid(
                    "creative", 'param creative must be {"creative_id": <id>} of an existing creative'
                )
            obj.update(adset_id=found[1]["id"], campaign_id=found[1]["campaign_id"], parent_id=found[1]["id"],
                       creative={"id": str(creative["creative_id"])})  # fmt: skip
        n = self.faults.before_create(FAULT_KIND[kind])
        obj["id"] = self._new_id()
        self.store.put(kind, obj)
        await self.faults.after_create(FAULT_KIND[kind], n)
        return {"id": obj["id"]}

    def _check_geo(self, geo: dict[str, Any]) -> None:
        keys = {g["key"] for g in GEO}
        for field in ("cities", "regions"):
            for entry in geo.get(field) or []:
                if not isinstance(entry, dict) or str(entry.get("key")) not in keys:
                    raise _invalid(
                        f"targeting.geo_locations.{field}", f"Invalid {field[:-1]} key {entry!r}", 1487079
                    )
        for country in geo.get("countries") or []:
            if not re.fullmatch(r"[A-Z]{2}", str(country)):
                raise _invalid("targeting.geo_locations.countries", f"Invalid country code {country!r}")

    def _check_story(self, spec: dict[str, Any]) -> None:
        if str(spec.get("page_id")) != PAGE_ID:
            raise _invalid(
                "object_story_spec.page_id",
                "param object_story_spec[page_id] must be a Page you can advertise for",
            )
        data = spec.get("link_data") or spec.get("video_data")
        if not isinstance(data, dict):
            raise _invalid("object_story_spec", "object_story_spec needs link_data, video_data or photo_data")
        cta = data.get("call_to_action")
        if cta is not None and (not isinstance(cta, dict) or cta.get("type") not in CTA_TYPES):
            raise _invalid("object_story_spec.call_to_action.type", "Invalid call_to_action type")
        if "link_data" in spec:
            if not data.get("link"):
                raise _invalid("object_story_spec.link_data.link", "link_data[link] is required")
        else:
            video = self.store.get("advideo", str(data.get("video_id")))
            if video is None:
                raise _invalid(
                    "object_story_spec.video_data.video_id",
                    "video_data[video_id] is not a video of this account",
                )
            if not data.get("image_hash") and not data.get("image_url"):
                raise _invalid(
                    "object_story_spec.video_data.image_hash",
                    "video_data needs a thumbnail: image_hash or image_url",
                    1443226,
                )
        image_hash = data.get("image_hash")
        if image_hash and self.store.get("adimage", str(image_hash)) is None:
            raise _invalid(
                "object_story_spec.image_hash",
                f"Image hash {image_hash} was not found in this ad account",
                1487242,
            )

    def _effective(self, kind: str, obj: dict[str, Any]) -> str:
        status = str(obj.get("status"))
        # Ad review, as Meta's reviewers decide it: a rejected ad reads DISAPPROVED whatever its switch says
        # (the sandbox never rejects on its own; tests and demos set review_status in the state).
        if kind == "ad" and obj.get("review_status") in ("DISAPPROVED", "PENDING_REVIEW") and status != "DELETED":
            return str(obj["review_status"])
        if status != "ACTIVE" or kind not in ("adset", "ad"):
            return status
        if kind == "ad":
            adset = self.store.get("adset", str(obj.get("adset_id")))
            if adset and adset[1].get("status") != "ACTIVE":
                return "ADSET_PAUSED"
        campaign = self.store.get("campaign", str(obj.get("campaign_id")))
        if campaign and campaign[1].get("status") != "ACTIVE":
            return "CAMPAIGN_PAUSED"
        return "ACTIVE"

    def _view(self, kind: str, obj: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
        full = {
            k: v
            for k, v in obj.items()
            if v is not None and k not in ("parent_id", "created_at", "account_id")
        }
        full["account_id"] = str(obj.get("account_id") or AD_ACCOUNT_ID).removeprefix("act_")
        if kind in ("campaign", "adset", "ad"):
            full["effective_status"] = self._effective(kind, obj)
            full["configured_status"] = obj.get("status")
        fields = [f for f in str(params.get("fields") or "id,name").split(",") if f]
        return {f: full[f] for f in fields if f in full} | {"id": obj["id"]}

    def _filter(self, kind: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        rows = [r for r in self.store.list(kind, account_id=_ACCOUNT.get()) if r.get("status") != "DELETED"]
        for rule in self._json(params, "filtering", []) or []:
            field, op, value = rule.get("field"), str(rule.get("operator", "")).upper(), rule.get("value")
            attr = {"campaign.id": "campaign_id", "adset.id": "adset_id", "id": "id"}.get(
                str(field), str(field)
            )
            if field == "name" and op == "CONTAIN":
                rows = [r for r in rows if str(value) in str(r.get("name", ""))]
            elif op == "EQUAL":
                rows = [r for r in rows if str(r.get(attr)) == str(value)]
            elif op == "IN":
                rows = [r for r in rows if str(r.get(attr)) in {str(v) for v in value}]
            else:
                raise _invalid("filtering", f"Unsupported filtering operator {op} in the sandbox")
        statuses = self._json(params, "effective_status")
        if statuses:
            rows = [r for r in rows if self._effective(kind, r) in statuses]
        return [self._view(kind, r, params) for r in rows]

    async def _node(self, method: str, object_id: str, params: dict[str, Any]) -> dict[str, Any]:
        found = self.store.get(None, object_id)
        if found is None or found[1].get("status") == "DELETED" and method != "GET":
            raise GraphError(
                100,
                f"(#100) Object with ID '{object_id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation",
                subcode=33,
            )
        kind, obj = found
        if method == "GET":
            return self._view(kind, obj, params)
        if method == "DELETE":
            obj["status"] = "DELETED"
            self.store.put(kind, obj)
            return {"success": True}
        if "status" in params:
            if params["status"] not in WRITABLE_STATUS:
                raise _invalid("status", f"param status must be one of {sorted(WRITABLE_STATUS)}")
            obj["status"] = params["status"]
            if obj["status"] == "ACTIVE":
                obj["ever_active"] = True
        for field in ("daily_budget", "lifetime_budget"):
            if field in params and kind in ("campaign", "adset"):
                self._check_budget({field: params[field]}, obj.get("optimization_goal"))
                obj[field] = params[field]
        if "name" in params:
            obj["name"] = params["name"]
        self.store.put(kind, obj)
        return {"success": True}

    # ------------------------------------------------------------------------------------------ media

    async def _adimages(
        self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> dict[str, Any]:
        if method == "GET":
            rows = [
                r
                for r in self.store.list("adimage", account_id=_ACCOUNT.get())
                if r.get("status") != "DELETED"
            ]
            hashes = self._json(params, "hashes")
            if hashes:
                rows = [r for r in rows if r["id"] in hashes]
            fields = str(params.get("fields") or "hash,name").split(",")
            return self._page([{f: r.get(f) for f in fields if f in r} for r in rows], params)
        if method == "DELETE":
            found = self.store.get("adimage", str(params.get("hash")))
            if found:
                found[1]["status"] = "DELETED"
                self.store.put("adimage", found[1])
            return {"success": True}
        uploads = list(files.items())
        if params.get("bytes"):
            uploads.append(
                (
                    str(params.get("name") or "image"),
                    (str(params.get("name") or "image"), base64.b64decode(params["bytes"])),
                )
            )
        if not uploads:
            raise _invalid("bytes", "param bytes or a file upload is required")
        out: dict[str, Any] = {}
        for key, (_filename, content) in uploads:
            if not content:
                raise _invalid("bytes", "the uploaded image is empty")
            n = self.faults.before_create("image")
            digest = hashlib.md5(content).hexdigest()  # noqa: S324 - Meta image hashes are content hashes
            obj = {"id": digest, "hash": digest, "name": key, "status": "ACTIVE", "account_id": _ACCOUNT.get(),
                   "url": f"https://scontent.sandbox.fbcdn.net/{digest}.jpg"}  # fmt: skip
            self.store.put("adimage", obj)
            out[key] = {"hash": digest, "url": obj["url"]}
            await self.faults.after_create("image", n)
        return {"images": out}

    async def _advideos(
        self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> dict[str, Any]:
        if method == "GET":
            rows = [
                r
                for r in self.store.list("advideo", account_id=_ACCOUNT.get())
                if r.get("status") != "DELETED"
            ]
            return self._page(
                [{"id": r["id"], "title": r.get("title"), "name": r.get("name")} for r in rows], params
            )
        if "source" not in files and not params.get("file_url"):
            raise _invalid("source", "param source (a video file) or file_url is required")
        n = self.faults.before_create("video")
        obj = {"id": self._new_id(), "name": params.get("name"), "title": params.get("title") or params.get("name"),
               "status": "ready", "account_id": _ACCOUNT.get(), "size": len(files.get("source", ("", b""))[1])}  # fmt: skip
        self.store.put("advideo", obj)
        await self.faults.after_create("video", n)
        return {"id": obj["id"]}

    # ------------------------------------------------------------------------------------------ insights

    def _insights(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("level", "campaign") != "campaign":
            raise _invalid("level", "the sandbox reports level=campaign only")
        time_range = self._json(params, "time_range") or {}
        try:
            since, until = date.fromisoformat(time_range["since"]), date.fromisoformat(time_range["until"])
        except (KeyError, ValueError, TypeError) as exc:
            raise _invalid(
                "time_range", 'param time_range must be {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}'
            ) from exc
        if until < since or (until - since).days > 400:
            raise _invalid("time_range", "time_range is invalid or longer than 37 months", 1487534)
        wanted: set[str] | None = None
        for rule in self._json(params, "filtering", []) or []:
            if rule.get("field") == "campaign.id":
                wanted = {str(v) for v in rule.get("value") or []}
        rows = []
        for campaign in self.store.list("campaign", account_id=_ACCOUNT.get()):
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


def meta_app(state_dir: Path, faults: SandboxFaults | None = None) -> Starlette:
    sim = MetaSimulator(state_dir, faults)
    return Starlette(
        routes=[
            Route("/{version}/dialog/oauth", sim.dialog, methods=["GET", "POST"]),
            Route("/{version}/{path:path}", sim.graph, methods=["GET", "POST", "DELETE"]),
        ]
    )
