"""MetaClient: the Meta Marketing API (Graph) calls, form-encoded writes on act_<id> paths, everything PAUSED.

What goes on the wire is built in the rooms beside this one (wire, tree) and what comes back is read there
too (errors, reads); this room holds the calls, their order and the lookups they cache.

Graph has no idempotency key. Each campaign, ad set, creative and ad carries an ad label named after its
idempotency key (made once per key, before the create), so a create whose answer was lost is found by label
(`campaignsbylabels` and its siblings), while its name stays the human one [ref 1.7]."""

from __future__ import annotations

import asyncio
import json
import mimetypes
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

import httpx

from tools.platforms._common import SingleFlight, content_file_name, display_name, json_body, read_media, send
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
    PlatformError,
    PlatformName,
    TokenExpired,
    TokenSet,
    TransientError,
)
from tools.platforms.meta.errors import raise_for_error
from tools.platforms.meta.reads import image_state, insight_row, made_since, object_state
from tools.platforms.meta.tree import (
    ad_params,
    ad_set_params,
    budget_params,
    campaign_params,
    creative_params,
    objective_for,
    targeting_spec,
)
from tools.platforms.meta.wire import (
    BATCH_MAX,
    BY_LABELS,
    EDGES,
    EFFECTIVE_STATUSES,
    GRAPH_VERSION,
    ID_FILTER_MAX,
    MULTI_ID_MAX,
    PARENT_FIELDS,
    SCOPES,
    VIDEO_NAME_MAX,
    act,
    encode_params,
)


class MetaClient:
    """`AdPlatformClient` for Meta. `base_url` is the Graph host (no version); the version is GRAPH_VERSION."""

    platform: PlatformName = "meta"
    separate_creatives = True
    # Files per adimages call: one call answers each file name with its hash. Kept small so one
    # call's body stays a few megabytes.
    images_per_upload = 10
    # Campaign ids per insights call (its `campaign.id IN` filter); see wire.ID_FILTER_MAX.
    campaign_filter_max: int | None = ID_FILTER_MAX

    def __init__(
        self, http: httpx.AsyncClient, *, base_url: str, oauth_base_url: str, app_id: str, app_secret: str
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._video_base = self._base.replace("://graph.facebook.com", "://graph-video.facebook.com")
        self._oauth_base = oauth_base_url.rstrip("/")
        self._app_id = app_id
        self._app_secret = app_secret
        self._geo_cache: dict[tuple[str, str, str], str] = {}
        self._page_cache: dict[str, str] = {}
        self._currency_cache: dict[str, str] = {}
        self._labels: dict[tuple[str, str], str] = {}  # (act_<id>, idempotency key) -> ad label id
        # Labels being made by `prepare_keys`' batch: a create needing one waits for it instead of a call.
        self._labels_coming: dict[tuple[str, str], asyncio.Future[None]] = {}
        self._flight = SingleFlight()

    # ------------------------------------------------------------------------------------------ plumbing

    def _url(self, path: str, *, video: bool = False) -> str:
        return f"{self._video_base if video else self._base}/{GRAPH_VERSION}/{path.lstrip('/')}"

    async def _get(
        self, path: str, token: str | None, params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        query = encode_params(params or {})
        # The token goes in a header, never the URL: URLs end up in logs (httpx logs every request line).
        headers = {"Authorization": f"Bearer {token}"} if token else None
        response = await send(
            self._http, "GET", self._url(path), platform="meta", write=False, params=query, headers=headers
        )
        raise_for_error(response)
        return json_body(response)

    async def _post(
        self, path: str, token: str, params: dict[str, Any], *, files: Any = None, video: bool = False
    ) -> dict[str, Any]:
        data = encode_params(params)
        data["access_token"] = token
        response = await send(
            self._http,
            "POST",
            self._url(path, video=video),
            platform="meta",
            write=True,
            data=data,
            files=files,
        )
        raise_for_error(response)
        return json_body(response)

    async def _list(self, path: str, token: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        params = {**params, "limit": params.get("limit", 200)}
        while True:
            body = await self._get(path, token, params)
            rows.extend(body.get("data") or [])
            after = ((body.get("paging") or {}).get("cursors") or {}).get("after")
            if not after or not (body.get("paging") or {}).get("next"):
                return rows
            params["after"] = after

    # ------------------------------------------------------------------------------------------ oauth

    def authorize_url(self, *, state: str, redirect_uri: str) -> str:
        query = {
            "client_id": self._app_id, "redirect_uri": redirect_uri, "state": state,
            "scope": ",".join(SCOPES), "response_type": "code",
        }  # fmt: skip
        return f"{self._oauth_base}/{GRAPH_VERSION}/dialog/oauth?{urlencode(query)}"

    async def _post_public(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        """A call without a user token (OAuth exchanges): the app secret goes in the body, never the URL."""
        response = await send(
            self._http, "POST", self._url(path), platform="meta", write=False, data=encode_params(params)
        )
        raise_for_error(response)
        return json_body(response)

    async def exchange_code(self, *, code: str, redirect_uri: str) -> TokenSet:
        short = await self._post_public(
            "oauth/access_token",
            {
                "client_id": self._app_id,
                "redirect_uri": redirect_uri,
                "client_secret": self._app_secret,
                "code": code,
            },
        )
        return await self._long_lived(str(short["access_token"]))

    async def _long_lived(self, token: str) -> TokenSet:
        body = await self._post_public(
            "oauth/access_token",
            {
                "grant_type": "fb_exchange_token", "client_id": self._app_id,
                "client_secret": self._app_secret, "fb_exchange_token": token,
            },
        )  # fmt: skip
        access = str(body["access_token"])
        expires_in = body.get("expires_in")
        scopes: list[str] = []
        try:
            perms = await self._get("me/permissions", access)
            scopes = [p["permission"] for p in perms.get("data", []) if p.get("status") == "granted"]
        except PlatformError:
            scopes = []
        return TokenSet(
            access_token=access,
            expires_at=datetime.now(UTC) + timedelta(seconds=int(expires_in)) if expires_in else None,
            scopes=scopes,
        )

    async def refresh(self, *, tokens: TokenSet) -> TokenSet:
        """Meta has no refresh grant: a still-valid long-lived token is exchanged for a fresh one."""
        if tokens.expires_at and tokens.expires_at <= datetime.now(UTC):
            raise TokenExpired(
                "meta: token expired; the user must log in again", platform="meta", platform_code=190
            )
        return await self._long_lived(tokens.access_token)

    async def list_ad_accounts(self, *, token: str) -> list[AdAccountInfo]:
        rows = await self._list(
            "me/adaccounts", token, {"fields": "id,account_id,name,currency,timezone_name,account_status"}
        )
        accounts = []
        for row in rows:
            status = int(row.get("account_status") or 0)
            self._currency_cache[row["id"]] = row["currency"]
            accounts.append(
                AdAccountInfo(
                    external_id=row["id"], name=row.get("name") or row["id"], currency=row["currency"],
                    timezone=row.get("timezone_name") or "UTC",
                    status={1: "active", 2: "disabled", 3: "unsettled"}.get(status, f"status_{status}"),
                    can_create_ads=status == 1,
                )
            )  # fmt: skip
        return accounts

    # ------------------------------------------------------------------------------------------ lookups

    async def resolve_location(self, *, token: str, account_id: str, location: GeoTarget) -> str:
        if location.kind == "country":
            return location.country_code.upper()
        cache_key = (location.kind, location.country_code.upper(), location.name.casefold())
        async with self._flight.lock(("geo", cache_key)):
            return await self._resolve(token, location, cache_key)

    async def _resolve(self, token: str, location: GeoTarget, cache_key: tuple[str, str, str]) -> str:
        if cache_key in self._geo_cache:
            return self._geo_cache[cache_key]
        body = await self._get(
            "search",
            token,
            {
                "type": "adgeolocation", "q": location.name, "location_types": [location.kind],
                "country_code": location.country_code.upper(),
            },
        )  # fmt: skip
        for row in body.get("data") or []:
            if row.get("type") == location.kind and str(row.get("country_code", "")).upper() == cache_key[1]:
                self._geo_cache[cache_key] = str(row["key"])
                return str(row["key"])
        raise InvalidRequest(
            f"meta: no {location.kind} named {location.name!r} in {location.country_code}",
            platform="meta", field="targeting.geo_locations",
        )  # fmt: skip

    async def prefetch(
        self, *, token: str, account_id: str, brand_name: str, brand_avatar: Path | None = None
    ) -> None:
        """Warm the lookups creates need (account currency, the Page), so they run beside the first create."""
        await asyncio.gather(self._currency(token, account_id), self._page_id(token, account_id))

    async def _page_id(self, token: str, account_id: str) -> str:
        async with self._flight.lock(("page", account_id)):
            return await self._page_id_unlocked(token, account_id)

    async def _page_id_unlocked(self, token: str, account_id: str) -> str:
        if account_id not in self._page_cache:
            rows = await self._list(f"{act(account_id)}/promote_pages", token, {"fields": "id,name"})
            if not rows:
                raise PermissionMissing(
                    "meta: the ad account has no Facebook Page to publish from",
                    platform="meta",
                    platform_code=200,
                )
            self._page_cache[account_id] = str(rows[0]["id"])
        return self._page_cache[account_id]

    async def _currency(self, token: str, account_id: str) -> str:
        async with self._flight.lock(("currency", act(account_id))):
            if act(account_id) not in self._currency_cache:
                body = await self._get(act(account_id), token, {"fields": "currency"})
                self._currency_cache[act(account_id)] = str(body["currency"])
            return self._currency_cache[act(account_id)]

    # ------------------------------------------------------------------------------------------ writes

    async def upload_media(self, *, token: str, account_id: str, spec: MediaSpec) -> MediaRef:
        if spec.kind == "image":
            return (await self.upload_images(token=token, account_id=account_id, specs=[spec]))[0]
        content = await read_media(spec.path)
        name = display_name(spec.name, VIDEO_NAME_MAX)
        mime = mimetypes.guess_type(spec.path.name)[0] or "application/octet-stream"
        body = await self._post(
            f"{act(account_id)}/advideos", token, {"name": name, "title": name},
            files={"source": (spec.path.name, content, mime)}, video=True,
        )  # fmt: skip
        return MediaRef(kind="video", external_id=str(body["id"]))

    async def upload_images(self, *, token: str, account_id: str, specs: Sequence[MediaSpec]) -> list[MediaRef]:
        """Up to `images_per_upload` images in one adimages call: each file goes under its own name (its name
        and content hash: one name per distinct file) and the answer maps every name to the image's hash.

        Meta's image hash is the content's, so a re-upload answers the same hash: no key needs to ride along."""
        if not 0 < len(specs) <= self.images_per_upload:
            raise ValueError(f"meta: 1 to {self.images_per_upload} images per upload, not {len(specs)}")
        contents = await asyncio.gather(*(read_media(spec.path) for spec in specs))
        files: dict[str, tuple[str, bytes, str]] = {}
        names: list[str] = []
        for spec, content in zip(specs, contents, strict=True):
            filename = content_file_name(spec.name, content, spec.path.suffix)
            names.append(filename)
            files[filename] = (filename, content, mimetypes.guess_type(spec.path.name)[0] or "application/octet-stream")
        body = await self._post(f"{act(account_id)}/adimages", token, {}, files=files)
        images = body.get("images") or {}
        missing = [name for name in files if not (images.get(name) or {}).get("hash")]
        if missing:
            raise InvalidRequest(
                f"meta: image upload returned no hash for {', '.join(missing)}", platform="meta", field="bytes",
                raw=body,
            )  # fmt: skip
        return [MediaRef(kind="image", external_id=str(images[name]["hash"])) for name in names]

    async def create_campaign(self, *, token: str, account_id: str, spec: CampaignSpec) -> str:
        objective = objective_for(spec.objective)
        budget = None
        if spec.budget is not None:  # the campaign carries the budget (CBO): in the account's currency
            budget = budget_params(spec.budget, spec.budget_period, await self._currency(token, account_id))
        label = await self._label(token, account_id, spec.idempotency_key)
        body = await self._post(
            f"{act(account_id)}/campaigns", token, campaign_params(spec, objective, budget, label)
        )
        return str(body["id"])

    async def create_ad_set(self, *, token: str, account_id: str, spec: AdSetSpec) -> str:
        objective = objective_for(spec.objective, spec.message_destination)
        keys = [
            await self.resolve_location(token=token, account_id=account_id, location=location)
            for location in spec.targeting.locations
        ]
        targeting = targeting_spec(spec.targeting, keys)
        budget = budget_params(spec.budget, spec.budget_period, await self._currency(token, account_id))
        label = await self._label(token, account_id, spec.idempotency_key)
        body = await self._post(
            f"{act(account_id)}/adsets", token, ad_set_params(spec, objective, targeting, budget, label)
        )
        return str(body["id"])

    async def create_creative(self, *, token: str, account_id: str, spec: CreativeSpec) -> str:
        """An ad creative (object_story_spec). One per language: Arabic and English copy become two ads."""
        page_id = await self._page_id(token, account_id)
        label = await self._label(token, account_id, spec.idempotency_key)
        creative = await self._post(
            f"{act(account_id)}/adcreatives", token, creative_params(spec, page_id, label)
        )
        return str(creative["id"])

    async def create_ad(self, *, token: str, account_id: str, spec: AdSpec) -> AdCreated:
        """The ad, PAUSED, on its creative (made here first when the spec does not name one)."""
        creative_id = spec.creative_id
        if creative_id is None:
            creative_id = await self.create_creative(token=token, account_id=account_id, spec=spec.creative())
        label = await self._label(token, account_id, spec.idempotency_key)
        ad = await self._post(f"{act(account_id)}/ads", token, ad_params(spec, creative_id, label))
        return AdCreated(ad_id=str(ad["id"]), creative_id=creative_id)

    # ------------------------------------------------------------------------------------------ ad labels

    async def prepare_keys(self, *, token: str, account_id: str, idempotency_keys: Sequence[str]) -> None:
        """Make the ad labels of creates about to be sent, BATCH_MAX to a Graph batch call, beside the first
        create: an ad set or an ad then finds its label made instead of waiting for a call of its own.

        A head start only: a label the batch could not make (it exists already, a refused item) is made or
        looked up by the create that needs it."""
        account = act(account_id)
        todo = [
            k for k in dict.fromkeys(idempotency_keys)
            if (account, k) not in self._labels and (account, k) not in self._labels_coming
        ]  # fmt: skip
        if not todo:
            return
        loop = asyncio.get_running_loop()
        coming = {k: loop.create_future() for k in todo}
        self._labels_coming.update({(account, k): f for k, f in coming.items()})
        try:
            for n in range(0, len(todo), BATCH_MAX):
                chunk = todo[n : n + BATCH_MAX]
                answers = await self._batch_answers(
                    token,
                    [{"method": "POST", "relative_url": f"{account}/adlabels", "body": urlencode({"name": k})}
                     for k in chunk],
                )  # fmt: skip
                for key, answer in zip(chunk, answers, strict=True):
                    if answer is not None and answer.is_success and json_body(answer).get("id"):
                        self._labels[(account, key)] = str(json_body(answer)["id"])
        finally:
            for key, future in coming.items():
                self._labels_coming.pop((account, key), None)
                future.set_result(None)

    async def _label(self, token: str, account_id: str, idempotency_key: str) -> str:
        """The id of the ad label named after the key: made once (POST adlabels), then reused by every retry.

        A label of that name may already exist (an earlier process made it and stopped): Graph refuses a
        second one [unconfirmed: the sandbox refuses it with #100], and it is looked up and reused instead."""
        cache_key = (act(account_id), idempotency_key)
        coming = self._labels_coming.get(cache_key)
        if coming is not None:
            await coming
        async with self._flight.lock(("label", cache_key)):
            if cache_key not in self._labels:
                try:
                    body = await self._post(f"{act(account_id)}/adlabels", token, {"name": idempotency_key})
                    self._labels[cache_key] = str(body["id"])
                except InvalidRequest:
                    found = await self._labels_named(token, account_id, idempotency_key)
                    if not found:
                        raise
                    self._labels[cache_key] = found[0]
            return self._labels[cache_key]

    async def _labels_named(self, token: str, account_id: str, idempotency_key: str) -> list[str]:
        """The ids of the account's ad labels named after the key (the edge has no name filter: it is paged)."""
        cache_key = (act(account_id), idempotency_key)
        if cache_key in self._labels:
            return [self._labels[cache_key]]
        rows = await self._list(f"{act(account_id)}/adlabels", token, {"fields": "id,name", "limit": 500})
        found = [str(row["id"]) for row in rows if row.get("name") == idempotency_key]
        if found:
            self._labels[cache_key] = found[0]
        return found

    # ------------------------------------------------------------------------------------------ reads

    async def find_created(self, *, token: str, account_id: str, lookup: CreatedLookup) -> list[str]:
        """Campaigns, ad sets, creatives and ads by the key's ad label (exact); videos by name and upload time;
        images never (a re-upload answers the same content hash)."""
        if lookup.kind == "image":
            return []
        if lookup.kind == "video":
            name = display_name(lookup.name, VIDEO_NAME_MAX)
            rows = await self._list(f"{act(account_id)}/advideos", token, {"fields": "id,name,title,created_time"})
            rows = [r for r in rows if name in (r.get("name"), r.get("title")) and made_since(r, lookup.created_since)]
            return [str(r["id"]) for r in sorted(rows, key=lambda r: str(r.get("created_time") or ""))]
        labels = await self._labels_named(token, account_id, lookup.idempotency_key)
        if not labels:
            return []  # no label, so no object of this key: the create never got that far
        parent_field = PARENT_FIELDS.get(lookup.kind)
        fields = ",".join(["id", "name", "created_time", *([parent_field] if parent_field else [])])
        rows = await self._list(
            f"{act(account_id)}/{BY_LABELS[lookup.kind]}", token,
            {"ad_label_ids": labels, "operator": "ANY", "fields": fields},
        )  # fmt: skip
        if parent_field and lookup.parent_id:
            rows = [r for r in rows if str(r.get(parent_field)) == lookup.parent_id]
        return [str(r["id"]) for r in sorted(rows, key=lambda r: str(r.get("created_time") or ""))]

    async def get_state(
        self, *, token: str, account_id: str, kind: ObjectKind, external_id: str
    ) -> ObjectState:
        if kind == "image":
            rows = await self._get(
                f"{act(account_id)}/adimages", token, {"hashes": [external_id], "fields": "hash,name,status"}
            )
            return image_state(external_id, rows)
        fields = "id,name,status" if kind in ("video", "creative") else "id,name,status,effective_status"
        body = await self._get(external_id, token, {"fields": fields})
        return object_state(kind, external_id, body)

    async def get_states(
        self, *, token: str, account_id: str, objects: list[tuple[ObjectKind, str]]
    ) -> list[ObjectState]:
        """Campaigns, ad sets and ads through the Graph multi-ID read (`?ids=`, 50 per call); others one by one."""
        nodes = [(k, i) for k, i in objects if k in ("campaign", "ad_set", "ad")]
        chunks = [nodes[n : n + MULTI_ID_MAX] for n in range(0, len(nodes), MULTI_ID_MAX)]
        bodies = await asyncio.gather(
            *(
                self._get("", token, {"ids": ",".join(i for _, i in chunk), "fields": "id,name,status,effective_status"})
                for chunk in chunks
            )
        )
        found: dict[tuple[str, str], ObjectState] = {}
        for chunk, body in zip(chunks, bodies, strict=True):
            for kind, external_id in chunk:
                found[(kind, external_id)] = object_state(kind, external_id, body.get(external_id) or {})
        rest = [(k, i) for k, i in objects if (k, i) not in found]
        singles = await asyncio.gather(
            *(self.get_state(token=token, account_id=account_id, kind=k, external_id=i) for k, i in rest)
        )
        found.update({(s.kind, s.external_id): s for s in singles})
        return [found[(k, i)] for k, i in objects]

    async def list_states(
        self, *, token: str, account_id: str, kind: ObjectKind, external_ids: list[str]
    ) -> list[ObjectState]:
        """Many objects of one level read from the account's edge (`act_<id>/campaigns|adsets|ads`), filtered by
        id (ID_FILTER_MAX per call) over every effective status, 500 a page: calls grow with pages, not objects.
        An id the edge does not list is reported deleted. In the order asked."""
        if kind not in ("campaign", "ad_set", "ad"):
            return await self.get_states(token=token, account_id=account_id, objects=[(kind, i) for i in external_ids])
        found: dict[str, dict[str, Any]] = {}
        for n in range(0, len(external_ids), ID_FILTER_MAX):
            rows = await self._list(
                f"{act(account_id)}/{EDGES[kind]}", token,
                {"fields": "id,name,status,effective_status", "effective_status": list(EFFECTIVE_STATUSES),
                 "filtering": [{"field": "id", "operator": "IN", "value": external_ids[n : n + ID_FILTER_MAX]}],
                 "limit": 500},
            )  # fmt: skip
            found.update({str(row.get("id")): row for row in rows})
        return [
            object_state(kind, i, found[i]) if i in found
            else ObjectState(kind=kind, external_id=i, status="deleted", raw_status="NOT_LISTED")
            for i in external_ids
        ]  # fmt: skip

    async def set_status(
        self,
        *,
        token: str,
        account_id: str,
        kind: ObjectKind,
        external_ids: list[str],
        status: Literal["active", "paused"],
    ) -> None:
        wire = "ACTIVE" if status == "active" else "PAUSED"
        # One Graph batch request per 50 objects: one round trip instead of one per object (each item still
        # counts against the rate limits). A failed item raises; the update is idempotent, so a retry of the
        # whole batch is safe.
        chunks = [external_ids[n : n + BATCH_MAX] for n in range(0, len(external_ids), BATCH_MAX)]
        await asyncio.gather(
            *(
                self._batch(token, [{"method": "POST", "relative_url": i, "body": f"status={wire}"} for i in chunk])
                for chunk in chunks
            )
        )

    async def _batch(self, token: str, requests: list[dict[str, str]]) -> list[dict[str, Any]]:
        """A Graph batch request; each item's answer is checked like a response of its own."""
        bodies: list[dict[str, Any]] = []
        for answer in await self._batch_answers(token, requests):
            if answer is None:  # Graph answers null for an item it did not get to in time
                raise TransientError("meta: a batch item timed out", platform="meta")
            raise_for_error(answer)
            bodies.append(json_body(answer))
        return bodies

    async def _batch_answers(self, token: str, requests: list[dict[str, str]]) -> list[httpx.Response | None]:
        """A Graph batch request's items as responses of their own, unchecked (None: an item Graph did not run)."""
        response = await send(
            self._http, "POST", self._url(""), platform="meta", write=True,
            data={"batch": json.dumps(requests), "access_token": token},
        )  # fmt: skip
        raise_for_error(response)
        try:
            items = response.json()
        except ValueError:
            items = None
        if not isinstance(items, list) or len(items) != len(requests):
            raise TransientError("meta: malformed batch answer", platform="meta", http_status=response.status_code)
        answers: list[httpx.Response | None] = []
        for item in items:
            if item is None:
                answers.append(None)
                continue
            headers = {str(h.get("name")): str(h.get("value")) for h in item.get("headers") or []}
            answers.append(
                httpx.Response(int(item.get("code") or 500), headers=headers, content=str(item.get("body") or "").encode())
            )
        return answers

    async def delete(self, *, token: str, account_id: str, kind: ObjectKind, external_id: str) -> None:
        query: dict[str, str] = {}
        if kind == "image":
            query = {"hash": external_id}
            url = self._url(f"{act(account_id)}/adimages")
        else:
            url = self._url(external_id)
        response = await send(
            self._http, "DELETE", url, platform="meta", write=True, params=query,
            headers={"Authorization": f"Bearer {token}"},
        )
        raise_for_error(response)

    async def insights(
        self, *, token: str, account_id: str, campaign_ids: list[str], since: date, until: date,
        level: InsightLevel = "campaign",
    ) -> list[InsightRow]:
        """Account-level insights filtered to the campaigns, a row per object and day (time_increment=1), pages
        followed; a few hundred campaigns per call (ID_FILTER_MAX)."""
        fields = "campaign_id,campaign_name,account_currency,spend,impressions,reach,clicks,actions,date_start"
        if level == "ad":
            fields += ",adset_id,ad_id,ad_name"
        rows: list[dict[str, Any]] = []
        for i in range(0, len(campaign_ids), ID_FILTER_MAX):
            rows += await self._list(
                f"{act(account_id)}/insights",
                token,
                {
                    "level": level,
                    "fields": fields,
                    "time_range": {"since": since.isoformat(), "until": until.isoformat()},
                    "time_increment": 1,
                    "filtering": [
                        {"field": "campaign.id", "operator": "IN", "value": campaign_ids[i : i + ID_FILTER_MAX]}
                    ],
                    "limit": 500,
                },
            )
        return [insight_row(row, level) for row in rows]

    def ads_manager_url(self, *, account_id: str, campaign_id: str) -> str:
        numeric = account_id.removeprefix("act_")
        return f"https://adsmanager.facebook.com/adsmanager/manage/campaigns?act={numeric}&selected_campaign_ids={campaign_id}"
