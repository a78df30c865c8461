"""The API entry: version and trailing slash, token, faults, routing by path, HTTP 200 envelopes; the app."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tools.sandbox.core import SandboxFaults, read_form, with_latency
from tools.sandbox.tiktok.accounts import REGIONS, TikTokAccounts
from tools.sandbox.tiktok.base import ADVERTISER_ID, TIMEZONE, ApiError, bad
from tools.sandbox.tiktok.insights import TikTokInsights
from tools.sandbox.tiktok.media import TikTokMedia
from tools.sandbox.tiktok.objects import TikTokObjects


def envelope(code: int, message: str, data: Any) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "request_id": f"{datetime.now(UTC):%Y%m%d%H%M%S}{secrets.token_hex(8).upper()}",
        "data": data,
    }


class TikTokSimulator(TikTokAccounts, TikTokMedia, TikTokObjects, TikTokInsights):
    """TikTok's API as the sandbox answers it: every room's routes behind one entry."""

    @with_latency
    async def api(self, request: Request) -> Response:
        path = request.path_params["path"]
        if request.path_params["version"] != "v1.3" or not path.endswith("/"):
            return PlainTextResponse("404 page not found", status_code=404)
        path = path.strip("/")
        try:
            params = await self._params(request)
            if path == "oauth2/access_token":
                return JSONResponse(envelope(0, "OK", self._exchange(params)))
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
            return JSONResponse(envelope(0, "OK", data))
        except ApiError as exc:
            # TikTok reports application errors with HTTP 200.
            return JSONResponse(envelope(exc.code, exc.message, {}))

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

    def _advertiser(self, params: dict[str, Any]) -> str:
        advertiser = str(params.get("advertiser_id") or "")
        if not advertiser:
            raise bad("advertiser_id", "this field is required.")
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


def tiktok_app(state_dir: Path, faults: SandboxFaults | None = None) -> Starlette:
    sim = TikTokSimulator(state_dir, faults)
    return Starlette(
        routes=[
            Route("/portal/auth", sim.auth_page, methods=["GET", "POST"]),
            Route("/open_api/{version}/{path:path}", sim.api, methods=["GET", "POST"]),
        ]
    )
