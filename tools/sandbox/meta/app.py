"""The Graph entry: version check, token, faults, then routing by path (batches included); the simulator's app."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tools.platforms.money import meta_offset
from tools.sandbox.core import SandboxFaults, read_form, with_latency
from tools.sandbox.limits import META_MIN_DAILY
from tools.sandbox.meta.accounts import SCOPES, MetaAccounts
from tools.sandbox.meta.base import (
    AD_ACCOUNT_ID,
    AD_ACCOUNT_NUMBER,
    PAGE_ID,
    REQUEST_ACCOUNT,
    USER_ID,
    GraphError,
    account_ids,
    invalid,
)
from tools.sandbox.meta.insights import MetaInsights
from tools.sandbox.meta.labels import BY_LABELS
from tools.sandbox.meta.media import MetaMedia
from tools.sandbox.meta.objects import KINDS, MetaObjects


class MetaSimulator(MetaAccounts, MetaObjects, MetaMedia, MetaInsights):
    """The Graph API as the sandbox answers it: every room's routes behind one entry."""

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
            scope = REQUEST_ACCOUNT.set(first if first.startswith("act_") else AD_ACCOUNT_ID)
            try:
                body = await self._route(request.method, path, params, files)
            finally:
                REQUEST_ACCOUNT.reset(scope)
            return JSONResponse(body, headers=self._usage_header(min(99, self.faults.calls % 100)))
        except GraphError as exc:
            return JSONResponse(
                {"error": exc.body},
                status_code=exc.status,
                headers={"WWW-Authenticate": "OAuth", **exc.headers},
            )

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
            if edge == "adlabels":
                return self._adlabels(method, params)
            if edge in BY_LABELS and method == "GET":
                return self._page([self._view(k, r, params) for k, r in self._by_labels(edge, params)], params)
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
            raise invalid("batch", "param batch must be a non-empty JSON array of requests")
        if len(requests) > 50:
            raise GraphError(1, "Too many requests in batch message. Maximum batch size is 50")
        answers: list[dict[str, Any]] = []
        for item in requests:
            method = str(item.get("method") or "GET").upper()
            relative = str(item.get("relative_url") or "").lstrip("/")
            relative = re.sub(r"^v\d+\.0/", "", relative)
            path, _, query = relative.partition("?")
            item_params = {**dict(parse_qsl(query)), **dict(parse_qsl(str(item.get("body") or "")))}
            # Each item is a request of its own: an act_<id> path is that account's, as at the top level.
            first = path.strip("/").split("/")[0]
            scope = REQUEST_ACCOUNT.set(first if first.startswith("act_") else AD_ACCOUNT_ID)
            try:
                body: Any = await self._route(method, path.strip("/"), item_params, {})
                code = 200
            except GraphError as exc:
                body, code = {"error": exc.body}, exc.status
            finally:
                REQUEST_ACCOUNT.reset(scope)
            answers.append({
                "code": code, "headers": [{"name": "Content-Type", "value": "application/json; charset=UTF-8"}],
                "body": json.dumps(body),
            })  # fmt: skip
        return answers


def meta_app(state_dir: Path, faults: SandboxFaults | None = None) -> Starlette:
    sim = MetaSimulator(state_dir, faults)
    return Starlette(
        routes=[
            Route("/{version}/dialog/oauth", sim.dialog, methods=["GET", "POST"]),
            Route("/{version}/{path:path}", sim.graph, methods=["GET", "POST", "DELETE"]),
        ]
    )
