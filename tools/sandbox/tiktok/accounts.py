"""The sandbox advertiser's authorization: the consent page and the auth_code exchange; the region tree."""

from __future__ import annotations

import secrets
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from tools.sandbox.core import consent_page, redirect_with
from tools.sandbox.tiktok.base import ADVERTISER_ID, ApiError, TikTokSimBase, bad

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


class TikTokAccounts(TikTokSimBase):
    """The consent page at /portal/auth and the auth_code exchange."""

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

    def _exchange(self, params: dict[str, Any]) -> dict[str, Any]:
        for field in ("app_id", "secret", "auth_code"):
            if not params.get(field):
                raise bad(field, "this field is required.")
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
