"""The sandbox organization and its ad account: the OAuth consent page and token grants (code, refresh); regions."""

from __future__ import annotations

import secrets
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tools.sandbox.core import consent_page, redirect_with, with_latency
from tools.sandbox.snapchat.base import AD_ACCOUNT_ID, ORG_ID, TIMEZONE, USER_ID, SnapchatSimBase

ACCESS_TTL_S = 3600
# Snap region IDs for SA (sandbox values; real ones come from /targeting/geo/sa/region).
REGIONS = [
    {"id": "3371", "name": "Riyadh Region", "aliases": ["Riyadh", "Ar Riyad"], "country_code": "sa"},
    {"id": "3372", "name": "Makkah Region", "aliases": ["Mecca", "Jeddah", "Makkah"], "country_code": "sa"},
    {"id": "3373", "name": "Eastern Province", "aliases": ["Dammam", "Ash Sharqiyah"], "country_code": "sa"},
    {"id": "4101", "name": "Dubai", "aliases": [], "country_code": "ae"},
]


class SnapchatAccounts(SnapchatSimBase):
    """The consent page, the token endpoint and the ad account."""

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

    def _adaccount(self) -> dict[str, Any]:
        return {"id": AD_ACCOUNT_ID, "name": "ADLY Sandbox (Snapchat)", "organization_id": ORG_ID, "currency": self.currency,
                "timezone": TIMEZONE, "status": "ACTIVE", "type": "PARTNER"}  # fmt: skip
