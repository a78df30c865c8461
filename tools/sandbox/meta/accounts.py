"""The sandbox user and their ad accounts: the OAuth dialog and token exchange, account reads, the geo search."""

from __future__ import annotations

import secrets
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from tools.platforms.money import meta_offset
from tools.sandbox.core import consent_page, redirect_with
from tools.sandbox.limits import META_MIN_DAILY
from tools.sandbox.meta.base import (
    AD_ACCOUNT_ID,
    AD_ACCOUNT_NUMBER,
    TIMEZONE,
    USER_ID,
    GraphError,
    MetaSimBase,
    invalid,
)

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


class MetaAccounts(MetaSimBase):
    """The OAuth dialog and token exchange, the ad accounts, the targeting search."""

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

    def _account(self, params: dict[str, Any], account_id: str = AD_ACCOUNT_ID) -> dict[str, Any]:
        number = account_id.removeprefix("act_")
        name = "ADLY Sandbox (Meta)" if account_id == AD_ACCOUNT_ID else f"ADLY Sandbox (Meta) {int(number) - int(AD_ACCOUNT_NUMBER) + 1}"
        return {
            "id": account_id, "account_id": number, "name": name, "currency": self.currency,
            "timezone_name": TIMEZONE, "account_status": 1, "min_daily_budget": int(META_MIN_DAILY[self.currency]["imp"] * meta_offset(self.currency)),
        }  # fmt: skip

    def _search(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("type") != "adgeolocation":
            raise invalid("type", "param type must be one of {adgeolocation, ...} in the sandbox")
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
