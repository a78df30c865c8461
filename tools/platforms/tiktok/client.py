"""TikTokClient: the TikTok API for Business v1.3 calls, JSON bodies under the Access-Token header.

What goes on the wire is built in the rooms beside this one (wire, tree) and what comes back is read there
too (errors, reads); this room holds the calls, their order, the retries that adopt an earlier attempt's
object, and the lookups they cache (currency, locations, the brand identity).

Campaign and ad group creates carry a request_id (TikTok's dedup token) derived from the idempotency key; a
create whose answer was lost is found by its exact name under its parent, made since it was sent
(`creation_filter_start_time`), for ads too [ref 2.7]. Uploaded files are named by their content, so a
re-upload meets 40911 and adopts the first one. No name carries a key of ours."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

import httpx

from tools.platforms._common import (
    SingleFlight,
    content_file_name,
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
    OutcomeUnknown,
    PlatformError,
    PlatformName,
    TokenExpired,
    TokenSet,
)
from tools.platforms.tiktok.errors import raise_for_code
from tools.platforms.tiktok.reads import insight_row, object_state
from tools.platforms.tiktok.tree import (
    ad_group_payload,
    ad_payload,
    budget_amount,
    campaign_payload,
    identity_name,
    objective_for,
    utc_time,
)
from tools.platforms.tiktok.wire import API_VERSION, ID_FILTER_MAX, LEVELS, NAME_MAX, encode_query


class TikTokClient:
    """`AdPlatformClient` for TikTok. `base_url` is the host; paths are /open_api/v1.3/<path>/."""

    platform: PlatformName = "tiktok"
    separate_creatives = False
    images_per_upload = 1  # one file per upload call
    # Campaign ids per integrated report call: "an ID filter takes up to 100 IDs" (API docs; error 40011).
    campaign_filter_max: int | None = ID_FILTER_MAX

    def __init__(
        self, http: httpx.AsyncClient, *, base_url: str, oauth_base_url: str, app_id: str, app_secret: str
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._oauth_base = oauth_base_url.rstrip("/")
        self._app_id = app_id
        self._secret = app_secret
        self._geo_cache: dict[tuple[str, str, str], str] = {}
        self._identity_cache: dict[tuple[str, str], str] = {}
        self._currency_cache: dict[str, str] = {}
        self._flight = SingleFlight()

    def _url(self, path: str) -> str:
        return f"{self._base}/open_api/{API_VERSION}/{path.strip('/')}/"

    async def _get(self, path: str, token: str | None, params: dict[str, Any]) -> dict[str, Any]:
        query = encode_query(params)
        headers = {"Access-Token": token} if token else {}
        response = await send(
            self._http, "GET", self._url(path), platform="tiktok", write=False, params=query, headers=headers
        )
        body = json_body(response)
        raise_for_code(body, response)
        return dict(body.get("data") or {})

    async def _post(
        self, path: str, token: str | None, payload: dict[str, Any], *, files: Any = None
    ) -> dict[str, Any]:
        headers = {"Access-Token": token} if token else {}
        if files is not None:
            kwargs: dict[str, Any] = {"data": {k: str(v) for k, v in payload.items()}, "files": files}
        else:
            kwargs = {"json": payload}
        response = await send(
            self._http, "POST", self._url(path), platform="tiktok", write=True, headers=headers, **kwargs
        )
        body = json_body(response)
        raise_for_code(body, response, write=True)
        data = body.get("data")
        return data if isinstance(data, dict) else {"list": data or []}

    # ------------------------------------------------------------------------------------------ oauth

    def authorize_url(self, *, state: str, redirect_uri: str) -> str:
        query = {"app_id": self._app_id, "state": state, "redirect_uri": redirect_uri}
        return f"{self._oauth_base}/portal/auth?{urlencode(query)}"

    async def exchange_code(self, *, code: str, redirect_uri: str) -> TokenSet:
        data = await self._post(
            "oauth2/access_token", None, {"app_id": self._app_id, "secret": self._secret, "auth_code": code}
        )
        # Advertiser tokens are long-term: the answer carries no expiry and no refresh token (reference 2.2); a
        # token lasts until the advertiser revokes it. Should an answer ever say `expires_in`, it is kept.
        expires_in = data.get("expires_in")
        return TokenSet(
            access_token=str(data["access_token"]), scopes=[str(s) for s in data.get("scope") or []],
            expires_at=datetime.now(UTC) + timedelta(seconds=int(expires_in)) if expires_in else None,
        )

    async def refresh(self, *, tokens: TokenSet) -> TokenSet:
        raise TokenExpired(
            "tiktok: advertiser tokens cannot be refreshed; the advertiser must re-authorize",
            platform="tiktok", platform_code=40107,
        )  # fmt: skip

    async def list_ad_accounts(self, *, token: str) -> list[AdAccountInfo]:
        data = await self._get(
            "oauth2/advertiser/get", token, {"app_id": self._app_id, "secret": self._secret}
        )
        ids = [str(a["advertiser_id"]) for a in data.get("list") or []]
        if not ids:
            return []
        info = await self._get(
            "advertiser/info", token,
            {"advertiser_ids": ids, "fields": ["advertiser_id", "name", "currency", "timezone", "status"]},
        )  # fmt: skip
        accounts = []
        for row in info.get("list") or []:
            self._currency_cache[str(row["advertiser_id"])] = str(row["currency"])
            status = str(row.get("status") or "")
            accounts.append(
                AdAccountInfo(
                    external_id=str(row["advertiser_id"]), name=str(row.get("name") or row["advertiser_id"]),
                    currency=str(row["currency"]), timezone=str(row.get("timezone") or "UTC"),
                    status="active" if status == "STATUS_ENABLE" else status.lower() or "unknown",
                    can_create_ads=status == "STATUS_ENABLE",
                )
            )  # fmt: skip
        return accounts

    async def prefetch(
        self, *, token: str, account_id: str, brand_name: str, brand_avatar: Path | None = None
    ) -> None:
        """Warm the lookups creates need (currency, the brand identity) so they run beside the first create."""
        await asyncio.gather(
            self._currency(token, account_id),
            self._identity(token, account_id, identity_name(brand_name), brand_avatar),
        )

    async def _currency(self, token: str, account_id: str) -> str:
        async with self._flight.lock(("currency", account_id)):
            return await self._currency_unlocked(token, account_id)

    async def _currency_unlocked(self, token: str, account_id: str) -> str:
        if account_id not in self._currency_cache:
            info = await self._get(
                "advertiser/info", token, {"advertiser_ids": [account_id], "fields": ["currency"]}
            )
            self._currency_cache[account_id] = str((info.get("list") or [{}])[0].get("currency", ""))
        return self._currency_cache[account_id]

    async def resolve_location(self, *, token: str, account_id: str, location: GeoTarget) -> str:
        cache_key = (location.kind, location.country_code.upper(), location.name.casefold())
        async with self._flight.lock(("geo", account_id)):
            return await self._resolve(token, account_id, location, cache_key)

    async def _resolve(
        self, token: str, account_id: str, location: GeoTarget, cache_key: tuple[str, str, str]
    ) -> str:
        if cache_key in self._geo_cache:
            return self._geo_cache[cache_key]
        data = await self._get(
            "tool/region", token,
            {
                "advertiser_id": account_id, "placements": ["PLACEMENT_TIKTOK"], "objective_type": "TRAFFIC",
                "level_range": "TO_CITY", "language": "en",
            },
        )  # fmt: skip
        levels = {"country": "COUNTRY", "region": "PROVINCE", "city": "CITY"}
        regions = data.get("region_info") or []
        for row in regions:
            if (
                str(row.get("level")) == levels[location.kind]
                and str(row.get("region_code", "")).upper() == cache_key[1]
                and (location.kind == "country" or str(row.get("name", "")).casefold() == cache_key[2])
            ):
                self._geo_cache[cache_key] = str(row["location_id"])
                return str(row["location_id"])
        raise InvalidRequest(
            f"tiktok: no {location.kind} named {location.name!r} in {location.country_code}",
            platform="tiktok", field="location_ids",
        )  # fmt: skip

    # ------------------------------------------------------------------------------------------ writes

    async def upload_media(self, *, token: str, account_id: str, spec: MediaSpec) -> MediaRef:
        content = await read_media(spec.path)
        # A file_name unique to the bytes makes a re-upload show up as 40911 instead of a silent duplicate
        # [ref 2.7]; named after the asset, it says what the file is in the advertiser's library.
        file_name = await asyncio.to_thread(content_file_name, spec.name, content, spec.path.suffix)
        try:
            return await self._upload(token, account_id, spec, content, file_name)
        except PlatformError as exc:
            if exc.platform_code != 40911:
                raise
            # 40911 "duplicated material name": these very bytes are in the library already (an earlier
            # attempt, or another campaign's upload of the same asset). Adopt that file.
            found = await self._find_upload(token, account_id, spec.kind, lambda name: name == file_name)
            if found is None:
                raise
            return MediaRef(kind=spec.kind, external_id=found)

    async def upload_images(self, *, token: str, account_id: str, specs: Sequence[MediaSpec]) -> list[MediaRef]:
        return await upload_each(self.upload_media, token=token, account_id=account_id, specs=specs)

    async def _upload(
        self, token: str, account_id: str, spec: MediaSpec, content: bytes, file_name: str
    ) -> MediaRef:
        # TikTok's required file signature; hashed off the loop, like the read.
        signature = await asyncio.to_thread(lambda: hashlib.md5(content).hexdigest())  # noqa: S324
        if spec.kind == "image":
            data = await self._post(
                "file/image/ad/upload", token,
                {"advertiser_id": account_id, "upload_type": "UPLOAD_BY_FILE", "image_signature": signature,
                 "file_name": file_name},
                files={"image_file": (spec.path.name, content, "application/octet-stream")},
            )  # fmt: skip
            return MediaRef(kind="image", external_id=str(data["image_id"]))
        data = await self._post(
            "file/video/ad/upload", token,
            {"advertiser_id": account_id, "upload_type": "UPLOAD_BY_FILE", "video_signature": signature,
             "file_name": file_name},
            files={"video_file": (spec.path.name, content, "application/octet-stream")},
        )  # fmt: skip
        rows = data.get("list") or [data]
        return MediaRef(kind="video", external_id=str(rows[0]["video_id"]))

    async def create_campaign(self, *, token: str, account_id: str, spec: CampaignSpec) -> str:
        objective = objective_for(spec.objective, field="objective_type")
        budget = None
        if spec.budget is not None:  # the campaign carries the budget (CBO): in the advertiser's currency
            budget = budget_amount(spec.budget, await self._currency(token, account_id), "budget")
        payload = campaign_payload(spec, account_id, objective, budget)
        data = await self._create("campaign/create", token, payload)
        return str(data["campaign_id"])

    async def create_ad_set(self, *, token: str, account_id: str, spec: AdSetSpec) -> str:
        objective = objective_for(spec.objective, field="optimization_goal")
        location_ids = [
            await self.resolve_location(token=token, account_id=account_id, location=loc)
            for loc in spec.targeting.locations
        ]
        budget = budget_amount(spec.budget, await self._currency(token, account_id), "budget")
        payload = ad_group_payload(spec, account_id, objective, location_ids, budget)
        data = await self._create("adgroup/create", token, payload)
        return str(data["adgroup_id"])

    async def _create(self, path: str, token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """A create under a request_id. 40050 ("duplicated request") says an earlier send of this very request
        was taken: the object exists, its id unknown here, so it is an unknown outcome to look up, never a
        failure to retry blindly."""
        try:
            return await self._post(path, token, payload)
        except PlatformError as exc:
            if exc.platform_code == 40050:
                raise OutcomeUnknown(
                    f"tiktok: {path} was already taken under this request_id: {exc.platform_message}",
                    platform="tiktok", platform_code=40050,
                ) from exc
            raise

    async def _identity(self, token: str, account_id: str, display_name: str, avatar: Path | None) -> str:
        """A CUSTOMIZED_USER identity named after the brand, with its avatar (non-Spark ads need one).

        Created once; an identity already named so is reused as it is (no API call changes its picture)."""
        cache_key = (account_id, display_name)
        # Single flight: two ads created at once must not each create an identity.
        async with self._flight.lock(("identity", cache_key)):
            return await self._identity_unlocked(token, account_id, display_name, avatar, cache_key)

    async def _identity_unlocked(
        self, token: str, account_id: str, display_name: str, avatar: Path | None, cache_key: tuple[str, str]
    ) -> str:
        if cache_key in self._identity_cache:
            return self._identity_cache[cache_key]
        data = await self._get(
            "identity/get", token, {"advertiser_id": account_id, "identity_type": "CUSTOMIZED_USER"}
        )
        for row in data.get("identity_list") or data.get("list") or []:
            if row.get("display_name") == display_name:
                self._identity_cache[cache_key] = str(row["identity_id"])
                return self._identity_cache[cache_key]
        if avatar is None:
            raise InvalidRequest(
                f"tiktok: creating the identity {display_name!r} needs an avatar image (image_uri), "
                "and no brand avatar was given", platform="tiktok", field="image_uri",
            )  # fmt: skip
        image_id = await self._avatar_image(token, account_id, avatar)
        created = await self._post(
            "identity/create", token,
            {"advertiser_id": account_id, "display_name": display_name, "image_uri": image_id},
        )  # fmt: skip
        self._identity_cache[cache_key] = str(created["identity_id"])
        return self._identity_cache[cache_key]

    async def _avatar_image(self, token: str, account_id: str, avatar: Path) -> str:
        """The image_id of the avatar in the advertiser's library, uploaded unless an earlier run did."""
        content = await read_media(avatar)
        # Both hashes off the loop, like the read. The file_name comes from the content, so a retry or
        # another process uploading the same avatar meets 40911 and reuses the first upload.
        digest, signature = await asyncio.to_thread(
            lambda: (hashlib.sha256(content).hexdigest(), hashlib.md5(content).hexdigest())  # noqa: S324
        )
        file_name = f"adly-avatar-{digest[:12]}{avatar.suffix or '.png'}"
        try:
            data = await self._post(
                "file/image/ad/upload", token,
                {"advertiser_id": account_id, "upload_type": "UPLOAD_BY_FILE", "image_signature": signature,
                 "file_name": file_name},
                files={"image_file": (file_name, content, "application/octet-stream")},
            )  # fmt: skip
        except PlatformError as exc:
            if exc.platform_code != 40911:
                raise
            found = await self._find_upload(token, account_id, "image", lambda name: name == file_name)
            if found is None:
                raise
            return found
        return str(data["image_id"])

    async def _find_upload(
        self, token: str, account_id: str, kind: Literal["image", "video"], matches: Callable[[str], bool]
    ) -> str | None:
        """The id of the first file in the advertiser's library whose file_name `matches`: the search
        endpoint filters by id, not by name, so the library is paged."""
        page = 1
        while True:
            data = await self._get(
                f"file/{kind}/ad/search", token, {"advertiser_id": account_id, "page": page, "page_size": 100}
            )
            for row in data.get("list") or []:
                if matches(str(row.get("file_name") or "")):
                    return str(row[f"{kind}_id"])
            if page >= int((data.get("page_info") or {}).get("total_page") or 1):
                return None
            page += 1

    async def create_creative(self, *, token: str, account_id: str, spec: CreativeSpec) -> str:
        raise InvalidRequest(
            "tiktok: an ad carries its creative inline (there is no creative object to create)",
            platform="tiktok", field="creatives",
        )  # fmt: skip

    async def create_ad(self, *, token: str, account_id: str, spec: AdSpec) -> AdCreated:
        """One ad per language (TikTok has no multi-language creative); ads are created DISABLE."""
        identity_id = await self._identity(token, account_id, identity_name(spec.brand_name), spec.brand_avatar)
        data = await self._post("ad/create", token, ad_payload(spec, account_id, identity_id))
        return AdCreated(ad_id=str(data["ad_ids"][0]))

    # ------------------------------------------------------------------------------------------ reads

    async def _list(
        self, kind: str, token: str, account_id: str, filtering: dict[str, Any]
    ) -> list[dict[str, Any]]:
        path = LEVELS[kind][0]
        rows: list[dict[str, Any]] = []
        page = 1
        while True:
            data = await self._get(
                path,
                token,
                {"advertiser_id": account_id, "filtering": filtering, "page": page, "page_size": 1000},
            )
            rows.extend(data.get("list") or [])
            info = data.get("page_info") or {}
            if page >= int(info.get("total_page") or 1):
                return rows
            page += 1

    async def find_created(self, *, token: str, account_id: str, lookup: CreatedLookup) -> list[str]:
        """Campaigns, ad groups and ads named exactly so under their parent, made since the send (the /get/
        name filter matches loosely, so the exact name is checked here). Uploads: none (a re-upload of the
        same bytes meets 40911 and adopts the first file); creatives live inside their ad."""
        if lookup.kind not in LEVELS:
            return []
        _, id_field, name_field, _ = LEVELS[lookup.kind]
        name = display_name(lookup.name, NAME_MAX)
        filtering: dict[str, Any] = {}
        if lookup.kind != "ad":  # ads have no name filter [ref 2.7]: matched on ad_name below
            filtering[name_field] = name
        if lookup.parent_id:
            filtering["campaign_ids" if lookup.kind == "ad_set" else "adgroup_ids"] = [lookup.parent_id]
        if lookup.created_since is not None:
            filtering["creation_filter_start_time"] = utc_time(lookup.created_since)
        rows = [r for r in await self._list(lookup.kind, token, account_id, filtering) if r.get(name_field) == name]
        return [str(r[id_field]) for r in sorted(rows, key=lambda r: str(r.get("create_time") or ""))]

    async def get_state(
        self, *, token: str, account_id: str, kind: ObjectKind, external_id: str
    ) -> ObjectState:
        return (await self.get_states(token=token, account_id=account_id, objects=[(kind, external_id)]))[0]

    async def get_states(
        self, *, token: str, account_id: str, objects: list[tuple[ObjectKind, str]]
    ) -> list[ObjectState]:
        """One filtered /get/ call per level (up to 100 ids each), all levels at once."""
        wanted: dict[str, list[str]] = {}
        for kind, external_id in objects:
            if kind in LEVELS:
                wanted.setdefault(kind, []).append(external_id)
        batches = [(kind, ids[n : n + 100]) for kind, ids in wanted.items() for n in range(0, len(ids), 100)]
        results = await asyncio.gather(
            *(self._list(kind, token, account_id, {LEVELS[kind][3]: ids}) for kind, ids in batches)
        )
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for (level, _), listed in zip(batches, results, strict=True):
            id_field = LEVELS[level][1]
            rows.update({(level, str(row.get(id_field))): row for row in listed})
        return [object_state(kind, external_id, rows.get((kind, external_id))) for kind, external_id in objects]

    async def list_states(
        self, *, token: str, account_id: str, kind: ObjectKind, external_ids: list[str]
    ) -> list[ObjectState]:
        """Many objects of one level: one filtered /get/ per ID_FILTER_MAX ids, 1,000 a page, one call after
        another (TikTok's QPS limits are per app). An id not listed is reported deleted. In the order asked."""
        if kind not in LEVELS:
            return await self.get_states(token=token, account_id=account_id, objects=[(kind, i) for i in external_ids])
        id_field, id_filter = LEVELS[kind][1], LEVELS[kind][3]
        rows: dict[str, dict[str, Any]] = {}
        for n in range(0, len(external_ids), ID_FILTER_MAX):
            listed = await self._list(kind, token, account_id, {id_filter: external_ids[n : n + ID_FILTER_MAX]})
            rows.update({str(row.get(id_field)): row for row in listed})
        return [object_state(kind, i, rows.get(i)) for i in external_ids]

    async def _status(self, token: str, account_id: str, kind: ObjectKind, ids: list[str], wire: str) -> None:
        paths = {"campaign": ("campaign/status/update", "campaign_ids"), "ad_set": ("adgroup/status/update", "adgroup_ids"),
                 "ad": ("ad/status/update", "ad_ids")}  # fmt: skip
        if kind not in paths:
            raise InvalidRequest(f"tiktok: {kind} has no status", platform="tiktok", field="operation_status")
        path, field = paths[kind]
        # The status endpoints take at most 20 IDs per call.
        await asyncio.gather(
            *(
                self._post(
                    path,
                    token,
                    {"advertiser_id": account_id, field: ids[i : i + 20], "operation_status": wire},
                )
                for i in range(0, len(ids), 20)
            )
        )

    async def set_status(
        self,
        *,
        token: str,
        account_id: str,
        kind: ObjectKind,
        external_ids: list[str],
        status: Literal["active", "paused"],
    ) -> None:
        await self._status(
            token, account_id, kind, external_ids, "ENABLE" if status == "active" else "DISABLE"
        )

    async def delete(self, *, token: str, account_id: str, kind: ObjectKind, external_id: str) -> None:
        if kind in ("image", "video", "creative"):
            return  # library assets cannot be deleted through the API and never deliver
        await self._status(token, account_id, kind, [external_id], "DELETE")

    async def insights(
        self, *, token: str, account_id: str, campaign_ids: list[str], since: date, until: date,
        level: InsightLevel = "campaign",
    ) -> list[InsightRow]:
        """The integrated report by campaign (or ad) and day, 100 campaign ids per filter, pages followed."""
        currency = await self._currency(token, account_id)
        data_level, dimension = ("AUCTION_AD", "ad_id") if level == "ad" else ("AUCTION_CAMPAIGN", "campaign_id")
        metrics = ["spend", "impressions", "reach", "clicks", "conversion", "video_play_actions", "campaign_name"]
        if level == "ad":
            metrics += ["campaign_id", "ad_name"]  # attribute metrics: which campaign an ad row belongs to
        out: list[InsightRow] = []
        for i in range(0, len(campaign_ids), 100):  # an ID filter takes at most 100 IDs
            page = 1
            while True:
                data = await self._get(
                    "report/integrated/get", token,
                    {
                        "advertiser_id": account_id, "service_type": "AUCTION", "report_type": "BASIC",
                        "data_level": data_level, "dimensions": [dimension, "stat_time_day"], "metrics": metrics,
                        "start_date": since.isoformat(), "end_date": until.isoformat(),
                        "filtering": [{"field_name": "campaign_ids", "filter_type": "IN",
                                       "filter_value": json.dumps(campaign_ids[i : i + 100])}],
                        "page": page, "page_size": 1000,
                    },
                )  # fmt: skip
                out.extend(insight_row(row, currency, level) for row in data.get("list") or [])
                if page >= int((data.get("page_info") or {}).get("total_page") or 1):
                    break
                page += 1
        return out

    def ads_manager_url(self, *, account_id: str, campaign_id: str) -> str:
        return f"https://ads.tiktok.com/i18n/perf/campaign?aadvid={account_id}&keyword={campaign_id}"
