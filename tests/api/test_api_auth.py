"""Every route of the API behind its key: none, wrong, revoked, another workspace's, or lacking the scope."""

from __future__ import annotations

import re
from typing import Any

import pytest
from api_harness import Api
from sqlalchemy import select

from store.models import AuditEvent

# The scope each route needs (admin holds all): the API's whole surface, checked against /openapi.json below.
SCOPES = {
    ("post", "/campaigns/parse"): "read",
    ("post", "/generate/text"): "create",
    ("post", "/generate/image"): "create",
    ("post", "/generate/video"): "create",
    ("post", "/campaigns"): "create",
    ("get", "/campaigns"): "read",
    ("get", "/campaigns/{campaign_id}"): "read",
    ("get", "/campaigns/{campaign_id}/approval"): "read",
    ("post", "/campaigns/{campaign_id}/approval"): "approve",
    ("post", "/campaigns/{campaign_id}/reply"): "create",
    ("post", "/campaigns/{campaign_id}/publish"): "publish",
    ("post", "/campaigns/{campaign_id}/retry"): "publish",
    ("get", "/jobs/{job_id}"): "read",
    ("get", "/assets/{asset_id}"): "read",
    ("get", "/settings"): "read",
    ("patch", "/settings"): "approve",
}


def _routes(openapi: dict[str, Any]) -> set[tuple[str, str]]:
    prefix = "/workspaces/{workspace_id}"
    return {(method, path.removeprefix(prefix)) for path, item in openapi["paths"].items()
            if path.startswith(prefix) for method in item}


def _path(template: str) -> str:
    return re.sub(r"\{[a-z_]+\}", "0123456789abcdef0123456789abcdef", template)


async def test_the_openapi_document_lists_these_routes_and_declares_the_bearer_scheme(api: Api) -> None:
    openapi = (await api.http.get("/openapi.json")).json()
    assert _routes(openapi) == set(SCOPES)
    schemes = openapi["components"]["securitySchemes"]
    assert schemes["apiKey"]["type"] == "http" and schemes["apiKey"]["scheme"] == "bearer"
    for path, item in openapi["paths"].items():
        if path.startswith("/workspaces/"):
            for operation in item.values():
                assert {"apiKey": []} in operation.get("security", []), path
    docs = await api.http.get("/docs")
    assert docs.status_code == 200


@pytest.mark.parametrize(("method", "template"), sorted(SCOPES))
async def test_each_route_refuses_every_caller_but_the_right_one(api: Api, method: str, template: str) -> None:
    url = api.url(_path(template))
    send = getattr(api.http, method)
    kwargs: dict[str, Any] = {"json": {}} if method in ("post", "patch") else {}

    async def answer(headers: dict[str, str], workspace_id: str | None = None) -> Any:
        target = api.url(_path(template), workspace_id) if workspace_id else url
        return await send(target, headers=headers, **kwargs)

    for headers in ({}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer nonsense"},
                    {"Authorization": "Bearer adly_0123456789ab_" + "x" * 43},
                    {"Authorization": f"Bearer {api.keys['boss'][:-1]}{'A' if api.keys['boss'][-1] != 'A' else 'B'}"},
                    api.headers("revoked")):
        response = await answer(headers)
        assert response.status_code == 401, (headers, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["code"] == "unauthorized"
    # Another workspace's key: this workspace does not exist for it; nor does a made-up one for ours.
    response = await answer(api.headers("other"))
    assert response.status_code == 404 and response.json()["code"] == "not_found", response.text
    response = await answer(api.headers("boss"), workspace_id="f" * 32)
    assert response.status_code == 404, response.text
    # The wrong scope.
    needed = SCOPES[(method, template)]
    lacking = "creator" if needed == "read" else "reader"
    response = await answer(api.headers(lacking))
    assert response.status_code == 403 and response.json()["code"] == "missing_scope", response.text
    # The right key gets past authentication (a real answer: a 404 for made-up ids, a 422 for an empty body).
    response = await answer(api.headers("boss"))
    assert response.status_code not in (401, 403), response.text
    assert response.status_code < 500, response.text


async def test_a_forged_user_field_has_no_effect(api: Api) -> None:
    # A body naming someone else is refused as an unknown field, and a decision's own `actor` is overwritten.
    forged = await api.http.post(api.url("/campaigns"), headers=api.headers("marketer"),
                                 json={"instruction": "Create TikTok campaign for Eid with 3000 SAR", "user": "UBOSS"})
    assert forged.status_code == 422 and forged.json()["field"] == "user", forged.text
    job = await api.job(await api.http.post(
        api.url("/campaigns"), headers=api.headers("marketer"),
        json={"instruction": "Create Instagram campaign for Ramadan sale with 3000 SAR budget targeting women 25-40 "
                             "in Riyadh"}))
    assert job["status"] == "succeeded", job
    async with api.services.sessions() as session:
        events = list(await session.scalars(select(AuditEvent).where(AuditEvent.action.in_(
            ("api.campaign", "conversation.started")))))
    assert {e.actor for e in events} == {"UMARKETER"}
    assert any(e.details.get("api_key") == api.key_ids["marketer"] for e in events)


async def test_errors_are_problem_details_that_name_the_field(api: Api) -> None:
    response = await api.http.post(api.url("/campaigns/parse"), headers=api.headers("boss"), json={"text": 5})
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert {"type", "title", "status", "detail", "code", "field"} <= set(problem)
    assert problem["field"] == "text" and problem["code"] == "invalid_request"
    both = await api.http.post(api.url("/campaigns"), headers=api.headers("boss"),
                               json={"instruction": "x", "request": {"platforms": ["meta"]}})
    assert both.status_code == 422 and "exactly one" in both.json()["detail"]
    long = await api.http.post(api.url("/campaigns/parse"), headers=api.headers("boss"), json={"text": "a" * 5000})
    assert long.status_code == 422 and long.json()["code"] == "instruction_too_long" and long.json()["field"] == "text"
    unknown = await api.http.get("/no/such/route")
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"


async def test_a_host_this_server_does_not_serve_is_refused(api: Api) -> None:
    refused = await api.http.get(api.url("/campaigns"), headers={**api.headers("boss"), "Host": "evil.example"})
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_host"
    for host in ("127.0.0.1:8780", "localhost"):
        ok = await api.http.get(api.url("/campaigns"), headers={**api.headers("boss"), "Host": host})
        assert ok.status_code == 200, ok.text
    # Health probes name the pod's IP: they are answered whatever the Host.
    assert (await api.http.get("/healthz", headers={"Host": "10.1.2.3:8780"})).status_code == 200
