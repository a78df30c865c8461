"""The API entry: Bearer token, faults, routing by path, request and item statuses; the simulator's app."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tools.sandbox.core import SandboxFaults, with_latency
from tools.sandbox.delivery import note_status
from tools.sandbox.snapchat.accounts import REGIONS, SnapchatAccounts
from tools.sandbox.snapchat.base import AD_ACCOUNT_ID, ORG_ID, PROFILE_ID, USER_ID, SnapError
from tools.sandbox.snapchat.insights import SnapchatInsights
from tools.sandbox.snapchat.media import SnapchatMedia
from tools.sandbox.snapchat.objects import ENTITY, SnapchatObjects


class SnapchatSimulator(SnapchatAccounts, SnapchatObjects, SnapchatMedia, SnapchatInsights):
    """Snap's Marketing API as the sandbox answers it: every room's routes behind one entry."""

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
                note_status(found[1], "PAUSED", self.faults.now())
                self.store.put(singular, found[1])
                return self._wrap(parts[0], singular, [self._view(found[1])])
        raise SnapError(404, "E1004", f"Unknown resource /v1/{'/'.join(parts)}")


def snapchat_app(state_dir: Path, faults: SandboxFaults | None = None) -> Starlette:
    sim = SnapchatSimulator(state_dir, faults)
    return Starlette(
        routes=[
            Route("/login/oauth2/authorize", sim.authorize, methods=["GET", "POST"]),
            Route("/login/oauth2/access_token", sim.access_token, methods=["POST"]),
            Route("/v1/{path:path}", sim.api, methods=["GET", "POST", "PUT", "DELETE"]),
        ]
    )
