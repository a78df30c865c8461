"""SnapchatClient: the Snap Marketing API v1 calls, Bearer auth, one entity per write, OAuth with refresh.

What goes on the wire is built in the rooms beside this one (wire, tree) and what comes back is read there
too (errors, reads); this room holds the calls, their order and the lookups and entities they cache.

Snap has no idempotency key and no name filter: a create whose answer was lost is found by listing its
parent's children and matching the exact name and a creation time no earlier than the send [ref 3.7]; the
caller drops ids its ledger already gives to other steps (two campaigns may share a name)."""

from __future__ import annotations

import asyncio
import mimetypes
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import monotonic
from typing import Any, Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import httpx

from tools.platforms._common import (
    SingleFlight,
    display_name,
    json_body,
    read_media,
    send,
    upload_each,
)
from tools.platforms.base import (
    AdAccountInfo,
    AdCreated,
    AdSetSpec,
    AdSpec,
    CampaignSpec,
    CreatedLookup,
    CreativeSpec,
    GeoTarget,
    InsightLevel,
    InsightRow,
    InvalidRequest,
    MediaRef,
    MediaSpec,
    ObjectKind,
    ObjectState,
    PermissionMissing,
    PlatformName,
    TokenExpired,
    TokenSet,
)
from tools.platforms.snapchat.errors import raise_for_error, raise_for_token_error
from tools.platforms.snapchat.reads import insight_rows, object_state
from tools.platforms.snapchat.tree import (
    ad_entity,
    ad_squad_budget,
    ad_squad_entity,
    campaign_budget,
    campaign_entity,
    creative_entity,
    objective_for,
    targeting_spec,
    top_snap_media,
)
from tools.platforms.snapchat.wire import API_VERSION, ENTITIES, NAME_MAX, SCOPE, unwrap

SEEN_TTL_S = 60.0  # how long an entity we read or wrote may stand in for a fresh read before a PUT

_REGION_WORDS = re.compile(r"\b(province|region|governorate|emirate|municipality)\b")


def _region_key(name: str) -> str:
    """A region name without its administrative word: "Riyadh Province" and "Riyadh Region" name one place."""
    return " ".join(_REGION_WORDS.sub(" ", name.casefold()).split())


class SnapchatClient:
    """`AdPlatformClient` for Snapchat. `base_url` is the API host; OAuth lives on `oauth_base_url`.

    `token_base_url` is where the code is exchanged, when it is not where the browser consents (the
    in-process sandbox: ADLY serves the consent page, the simulator answers the exchange)."""

    platform: PlatformName = "snapchat"
    separate_creatives = True
    images_per_upload = 1  # one file per upload call
    # Account stats have no campaign filter: one call answers for every campaign of the account (by day).
    campaign_filter_max: int | None = None

    def __init__(
        self, http: httpx.AsyncClient, *, base_url: str, oauth_base_url: str, app_id: str, app_secret: str,
        token_base_url: str | None = None,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._oauth_base = oauth_base_url.rstrip("/")
        self._token_base = (token_base_url or oauth_base_url).rstrip("/")
        self._client_id = app_id
        self._secret = app_secret
        self._geo_cache: dict[tuple[str, str, str], str] = {}
        self._accounts: dict[str, dict[str, Any]] = {}
        self._profiles: dict[str, str] = {}
        self._flight = SingleFlight()
        # Entities as last read or written (monotonic time, body): a status change PUTs the whole entity, and
        # one read moments ago (the saga reads everything back before activating) spares another GET.
        self._seen: dict[str, tuple[float, dict[str, Any]]] = {}

    def _url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self._base}/{API_VERSION}/{path.strip('/')}"

    async def _call(
        self, method: str, path: str, token: str, *, write: bool = False, **kwargs: Any
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"}
        response = await send(
            self._http, method, self._url(path), platform="snapchat", write=write, headers=headers, **kwargs
        )
        body = json_body(response)
        raise_for_error(response, body, write=write)
        return body

    async def _create_one(
        self, path: str, token: str, plural: str, singular: str, obj: dict[str, Any]
    ) -> dict[str, Any]:
        # One entity per request, so a failure is never partial.
        body = await self._call("POST", path, token, write=True, json={plural: [obj]})
        items = unwrap(body, plural, singular)
        if not items:
            raise InvalidRequest(f"snapchat: create returned no {singular}", platform="snapchat", raw=body)
        self._remember(items[0])
        return items[0]

    def _remember(self, row: dict[str, Any]) -> None:
        if row.get("id"):
            self._seen[str(row["id"])] = (monotonic(), row)

    def _recent(self, object_id: str) -> dict[str, Any] | None:
        seen = self._seen.get(object_id)
        return seen[1] if seen is not None and monotonic() - seen[0] < SEEN_TTL_S else None

    async def _list(self, path: str, token: str, plural: str, singular: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        url: str | None = path
        params: dict[str, Any] | None = {"limit": 1000}
        while url:
            body = await self._call("GET", url, token, params=params)
            rows.extend(unwrap(body, plural, singular))
            url, params = (body.get("paging") or {}).get("next_link"), None
        return rows

    # ------------------------------------------------------------------------------------------ oauth

    def authorize_url(self, *, state: str, redirect_uri: str) -> str:
        query = {
            "client_id": self._client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": SCOPE,
            "state": state,
        }
        return f"{self._oauth_base}/login/oauth2/authorize?{urlencode(query)}"

    async def _token(self, form: dict[str, str], previous_refresh: str | None = None) -> TokenSet:
        form = {**form, "client_id": self._client_id, "client_secret": self._secret}
        response = await send(
            self._http,
            "POST",
            f"{self._token_base}/login/oauth2/access_token",
            platform="snapchat",
            write=False,
            data=form,
        )
        body = json_body(response)
        raise_for_token_error(response, body, grant_type=form.get("grant_type"))
        return TokenSet(
            access_token=str(body["access_token"]),
            # The refresh token may not come back on refresh; the old one stays valid.
            refresh_token=str(body.get("refresh_token") or previous_refresh or "") or None,
            expires_at=datetime.now(UTC) + timedelta(seconds=int(body.get("expires_in") or 1800)),
            scopes=str(body.get("scope") or SCOPE).split(),
        )

    async def exchange_code(self, *, code: str, redirect_uri: str) -> TokenSet:
        return await self._token(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        )

    async def refresh(self, *, tokens: TokenSet) -> TokenSet:
        if not tokens.refresh_token:
            raise TokenExpired("snapchat: no refresh token; reconnect", platform="snapchat")
        return await self._token(
            {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}, tokens.refresh_token
        )

    async def list_ad_accounts(self, *, token: str) -> list[AdAccountInfo]:
        body = await self._call("GET", "me/organizations", token, params={"with_ad_accounts": "true"})
        accounts = []
        for org in unwrap(body, "organizations", "organization"):
            for row in org.get("ad_accounts") or []:
                self._accounts[row["id"]] = row
                status = str(row.get("status") or "")
                accounts.append(
                    AdAccountInfo(
                        external_id=row["id"], name=row.get("name") or row["id"], currency=row["currency"],
                        timezone=row.get("timezone") or "UTC", status=status.lower() or "unknown",
                        can_create_ads=status == "ACTIVE",
                    )
                )  # fmt: skip
        return accounts

    async def prefetch(
        self, *, token: str, account_id: str, brand_name: str, brand_avatar: Path | None = None
    ) -> None:
        """Warm the lookups creates need (account currency, public profile) beside the first create."""
        await self._profile_id(token, account_id)

    async def _account(self, token: str, account_id: str) -> dict[str, Any]:
        async with self._flight.lock(("account", account_id)):
            return await self._account_unlocked(token, account_id)

    async def _account_unlocked(self, token: str, account_id: str) -> dict[str, Any]:
        if account_id not in self._accounts:
            body = await self._call("GET", f"adaccounts/{account_id}", token)
            self._accounts[account_id] = unwrap(body, "adaccounts", "adaccount")[0]
        return self._accounts[account_id]

    async def resolve_location(self, *, token: str, account_id: str, location: GeoTarget) -> str:
        """Countries are their lowercase code; regions and cities resolve to a region_id (Riyadh -> Riyadh region)."""
        country = location.country_code.lower()
        if location.kind == "country":
            return country
        cache_key = (location.kind, country, location.name.casefold())
        async with self._flight.lock(("geo", country)):
            return await self._resolve(token, location, country, cache_key)

    async def _resolve(
        self, token: str, location: GeoTarget, country: str, cache_key: tuple[str, str, str]
    ) -> str:
        if cache_key not in self._geo_cache:
            body = await self._call("GET", f"targeting/geo/{country}/region", token)
            for dim in body.get("targeting_dimensions") or []:
                region = dim.get("region") or {}
                names = {
                    _region_key(str(region.get("name", ""))),
                    *[_region_key(str(a)) for a in region.get("aliases") or []],
                }
                if _region_key(location.name) in names:
                    self._geo_cache[cache_key] = str(region["id"])
                    break
            else:
                raise InvalidRequest(
                    f"snapchat: no region for {location.name!r} in {location.country_code}",
                    platform="snapchat", field="targeting.geos",
                )  # fmt: skip
        return self._geo_cache[cache_key]

    # ------------------------------------------------------------------------------------------ writes

    async def upload_media(self, *, token: str, account_id: str, spec: MediaSpec) -> MediaRef:
        # The file is read while the container is created: the container needs only its name.
        reading = asyncio.ensure_future(read_media(spec.path))
        try:
            media = await self._create_one(
                f"adaccounts/{account_id}/media", token, "media", "media",
                {"name": display_name(spec.name, NAME_MAX), "type": spec.kind.upper(),
                 "ad_account_id": account_id},
            )  # fmt: skip
        except BaseException:
            reading.cancel()
            raise
        content = await reading
        mime = mimetypes.guess_type(spec.path.name)[0] or "application/octet-stream"
        await self._call(
            "POST",
            f"media/{media['id']}/upload",
            token,
            write=True,
            files={"file": (spec.path.name, content, mime)},
        )
        return MediaRef(kind=spec.kind, external_id=str(media["id"]))

    async def upload_images(self, *, token: str, account_id: str, specs: Sequence[MediaSpec]) -> list[MediaRef]:
        return await upload_each(self.upload_media, token=token, account_id=account_id, specs=specs)

    async def create_campaign(self, *, token: str, account_id: str, spec: CampaignSpec) -> str:
        objective = objective_for(spec.objective, field="objective")
        budget = None
        if spec.budget is not None:  # the campaign carries the budget: in the account's currency
            currency = (await self._account(token, account_id))["currency"]
            budget = campaign_budget(spec.budget, spec.budget_period, currency)
        created = await self._create_one(
            f"adaccounts/{account_id}/campaigns", token, "campaigns", "campaign",
            campaign_entity(spec, account_id, objective, budget),
        )  # fmt: skip
        return str(created["id"])

    async def create_ad_set(self, *, token: str, account_id: str, spec: AdSetSpec) -> str:
        objective = objective_for(spec.objective, field="optimization_goal")
        currency = (await self._account(token, account_id))["currency"]
        region_ids = [
            await self.resolve_location(token=token, account_id=account_id, location=location)
            for location in spec.targeting.locations
        ]
        targeting = targeting_spec(spec.targeting, region_ids)
        budget = ad_squad_budget(spec.budget, spec.budget_period, currency)
        created = await self._create_one(
            f"campaigns/{spec.campaign_id}/adsquads", token, "adsquads", "adsquad",
            ad_squad_entity(spec, objective, targeting, budget),
        )  # fmt: skip
        return str(created["id"])

    async def _profile_id(self, token: str, account_id: str) -> str:
        async with self._flight.lock(("profile", account_id)):
            return await self._profile_id_unlocked(token, account_id)

    async def _profile_id_unlocked(self, token: str, account_id: str) -> str:
        if account_id not in self._profiles:
            org = (await self._account(token, account_id))["organization_id"]
            body = await self._call("GET", f"organizations/{org}/public_profiles", token)
            profiles = unwrap(body, "public_profiles", "public_profile")
            if not profiles:
                raise PermissionMissing(
                    "snapchat: the organization has no public profile", platform="snapchat"
                )
            self._profiles[account_id] = str(profiles[0]["id"])
        return self._profiles[account_id]

    async def create_creative(self, *, token: str, account_id: str, spec: CreativeSpec) -> str:
        """A WEB_VIEW creative on the video (or else the image); one per language (no multi-language creative)."""
        media_id = top_snap_media(spec)
        profile_id = await self._profile_id(token, account_id)
        creative = await self._create_one(
            f"adaccounts/{account_id}/creatives", token, "creatives", "creative",
            creative_entity(spec, account_id, media_id, profile_id),
        )  # fmt: skip
        return str(creative["id"])

    async def create_ad(self, *, token: str, account_id: str, spec: AdSpec) -> AdCreated:
        """The ad, PAUSED, on its creative (made here first when the spec does not name one)."""
        creative_id = spec.creative_id
        if creative_id is None:
            creative_id = await self.create_creative(token=token, account_id=account_id, spec=spec.creative())
        ad = await self._create_one(
            f"adsquads/{spec.ad_set_id}/ads", token, "ads", "ad", ad_entity(spec, creative_id)
        )
        return AdCreated(ad_id=str(ad["id"]), creative_id=creative_id)

    # ------------------------------------------------------------------------------------------ reads

    async def find_created(self, *, token: str, account_id: str, lookup: CreatedLookup) -> list[str]:
        """The parent's children (campaigns, creatives and media in the ad account, ad squads in their campaign,
        ads in their ad squad) named exactly so and created since the send, oldest first."""
        plural, singular = ENTITIES[lookup.kind]
        parent = {"ad_set": "campaigns", "ad": "adsquads"}.get(lookup.kind)
        path = (
            f"{parent}/{lookup.parent_id}/{plural}"
            if parent and lookup.parent_id
            else f"adaccounts/{account_id}/{plural}"
        )
        name = display_name(lookup.name, NAME_MAX)
        found: list[tuple[datetime, str]] = []
        for row in await self._list(path, token, plural, singular):
            if row.get("name") != name:
                continue
            if lookup.kind in ("image", "video") and (
                str(row.get("type") or "") != lookup.kind.upper()
                # A container whose upload never finished is not the step's result: an ad cannot use it.
                or str(row.get("media_status") or "READY") != "READY"
            ):
                continue
            made = _created_at(row)
            if lookup.created_since is not None and made is not None and made < _aware(lookup.created_since):
                continue
            found.append((made or datetime.min.replace(tzinfo=UTC), str(row["id"])))
        return [object_id for _, object_id in sorted(found)]

    async def _get(self, token: str, kind: str, external_id: str) -> dict[str, Any] | None:
        plural, singular = ENTITIES[kind]
        try:
            body = await self._call("GET", f"{plural}/{external_id}", token)
        except InvalidRequest as exc:
            if exc.http_status == 404:
                return None
            raise
        items = unwrap(body, plural, singular)
        if items:
            self._remember(items[0])
        return items[0] if items else None

    async def get_state(
        self, *, token: str, account_id: str, kind: ObjectKind, external_id: str
    ) -> ObjectState:
        return object_state(kind, external_id, await self._get(token, kind, external_id))

    async def get_states(
        self, *, token: str, account_id: str, objects: list[tuple[ObjectKind, str]]
    ) -> list[ObjectState]:
        """Snapchat reads one entity per call (each answer is kept for the PUT that switches it on)."""
        return list(
            await asyncio.gather(
                *(self.get_state(token=token, account_id=account_id, kind=k, external_id=i) for k, i in objects)
            )
        )

    async def list_states(
        self, *, token: str, account_id: str, kind: ObjectKind, external_ids: list[str]
    ) -> list[ObjectState]:
        """Many objects of one level: Snap filters lists by parent only, so the account's whole list of that
        level (`adaccounts/<id>/campaigns|adsquads|ads`, 1,000 a page) is read and the ids picked from it. An id
        not listed (deleted ones are not) is reported deleted. In the order asked."""
        if kind not in ("campaign", "ad_set", "ad"):
            return await self.get_states(token=token, account_id=account_id, objects=[(kind, i) for i in external_ids])
        plural, singular = ENTITIES[kind]
        wanted = set(external_ids)
        rows: dict[str, dict[str, Any]] = {}
        url: str | None = f"adaccounts/{account_id}/{plural}"
        params: dict[str, Any] | None = {"limit": 1000}
        while url:
            body = await self._call("GET", url, token, params=params)
            for row in unwrap(body, plural, singular):
                if str(row.get("id")) in wanted:
                    self._remember(row)
                    rows[str(row["id"])] = row
            url, params = (body.get("paging") or {}).get("next_link"), None
        return [object_state(kind, i, rows.get(i)) for i in external_ids]

    async def set_status(
        self,
        *,
        token: str,
        account_id: str,
        kind: ObjectKind,
        external_ids: list[str],
        status: Literal["active", "paused"],
    ) -> None:
        if kind not in ("campaign", "ad_set", "ad"):
            raise InvalidRequest(f"snapchat: {kind} has no status", platform="snapchat", field="status")
        plural, singular = ENTITIES[kind]

        async def one(object_id: str) -> None:
            # PUT takes the full object: the one read (or written) moments ago, else read it first.
            row = self._recent(object_id) or await self._get(token, kind, object_id)
            if row is None:
                raise InvalidRequest(
                    f"snapchat: {singular} {object_id} not found", platform="snapchat", http_status=404
                )
            parent = {"campaign": f"adaccounts/{row.get('ad_account_id')}", "ad_set": f"campaigns/{row.get('campaign_id')}",
                      "ad": f"adsquads/{row.get('ad_squad_id')}"}[kind]  # fmt: skip
            updated = {**row, "status": "ACTIVE" if status == "active" else "PAUSED"}
            body = await self._call("PUT", f"{parent}/{plural}", token, write=True, json={plural: [updated]})
            for item in unwrap(body, plural, singular):
                self._remember(item)

        await asyncio.gather(*(one(i) for i in external_ids))

    async def delete(self, *, token: str, account_id: str, kind: ObjectKind, external_id: str) -> None:
        if kind in ("image", "video", "creative"):
            # Media and creatives cannot be deleted through the API; without an ad they deliver nothing.
            return
        plural, _ = ENTITIES[kind]
        await self._call("DELETE", f"{plural}/{external_id}", token, write=True)

    async def insights(
        self, *, token: str, account_id: str, campaign_ids: list[str], since: date, until: date,
        level: InsightLevel = "campaign",
    ) -> list[InsightRow]:
        """One account-level stats call per 31 days, broken down by campaign (or by ad); spend arrives in micro.

        Snap's ad breakdown names only the ad, so for level="ad" the account's ad squads and ads are listed
        first (a call each, pages followed) to know which campaign each ad belongs to.
        """
        account = await self._account(token, account_id)
        tz, currency = ZoneInfo(account.get("timezone") or "UTC"), account["currency"]
        wanted = set(campaign_ids)
        campaign_of: dict[str, str] = {c: c for c in wanted}
        if level == "ad" and wanted:
            squads, ads = await asyncio.gather(
                self._list(f"adaccounts/{account_id}/adsquads", token, "adsquads", "adsquad"),
                self._list(f"adaccounts/{account_id}/ads", token, "ads", "ad"),
            )
            squad_campaign = {str(s["id"]): str(s.get("campaign_id")) for s in squads}
            campaign_of = {str(a["id"]): squad_campaign.get(str(a.get("ad_squad_id")), "") for a in ads}
            campaign_of = {ad: c for ad, c in campaign_of.items() if c in wanted}
        out: list[InsightRow] = []
        start = since
        while start <= until and campaign_of:
            end = min(until, start + timedelta(days=30))
            body = await self._call(
                "GET", f"adaccounts/{account_id}/stats", token,
                params={
                    "breakdown": level, "granularity": "DAY",
                    "fields": "impressions,swipes,spend,uniques,video_views,conversion_purchases",
                    "start_time": datetime.combine(start, time(), tz).isoformat(),
                    "end_time": datetime.combine(end + timedelta(days=1), time(), tz).isoformat(),
                },
            )  # fmt: skip
            out.extend(insight_rows(body, campaign_of, currency, level))
            start = end + timedelta(days=1)
        return out

    def ads_manager_url(self, *, account_id: str, campaign_id: str) -> str:
        return f"https://ads.snapchat.com/{account_id}/campaigns/{campaign_id}"


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _created_at(row: dict[str, Any]) -> datetime | None:
    """An entity's `created_at` (ISO-8601, e.g. 2026-12-05T10:00:00.000Z); None when absent or unreadable."""
    raw = str(row.get("created_at") or "")
    try:
        return _aware(datetime.fromisoformat(raw.replace("Z", "+00:00")))
    except ValueError:
        return None
