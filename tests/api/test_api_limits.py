"""What one caller cannot do to everyone else: oversized bodies, request floods; and the operator's CLI."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from api_harness import Api, make_key

from bot.services import open_services
from bot.settings import Settings
from bot.web import create_app
from store import repositories as repo


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def served(api_settings: Settings) -> AsyncIterator[tuple[str, str, str]]:
    """The app under uvicorn on a loopback port (a real socket, real HTTP): (base URL, workspace id, key)."""
    port = _free_port()
    settings = api_settings.model_copy(update={"adly_public_url": f"http://127.0.0.1:{port}"})
    async with open_services(settings, port=port) as services:
        async with services.sessions() as session, session.begin():
            workspace = await repo.create_workspace(session=session, name="Acme")
        _, key = await make_key(services, workspace.id, "U1", ["read", "create"])
        server = uvicorn.Server(uvicorn.Config(create_app(settings, services=services, port=port), host="127.0.0.1",
                                               port=port, log_level="warning", lifespan="off"))
        task = asyncio.create_task(server.serve())
        for _ in range(200):  # uvicorn sets `started` and offers no event to wait on
            if server.started:
                break
            await asyncio.sleep(0.05)
        assert server.started, "uvicorn did not start"
        try:
            yield f"http://127.0.0.1:{port}", workspace.id, key
        finally:
            server.should_exit = True
            await task


async def test_a_5mb_body_is_refused_at_once_while_health_keeps_answering(served: tuple[str, str, str]) -> None:
    base, workspace_id, key = served
    url = f"{base}/workspaces/{workspace_id}/campaigns/parse"
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    body = b'{"text": "' + b"a" * (5 * 1024 * 1024) + b'"}'

    async def trickle() -> AsyncIterator[bytes]:
        # No Content-Length (chunked), and slow: the limit must be found while the body streams.
        for start in range(0, len(body), 64 * 1024):
            yield body[start:start + 64 * 1024]
            await asyncio.sleep(0.01)

    async with httpx.AsyncClient(timeout=10) as http:
        started = time.monotonic()
        declared = await http.post(url, content=body, headers=headers)
        assert declared.status_code == 413 and declared.json()["code"] == "body_too_large"
        assert time.monotonic() - started < 1.0
        streamed = asyncio.create_task(http.post(url, content=trickle(), headers=headers))
        for _ in range(5):
            health_started = time.monotonic()
            assert (await http.get(f"{base}/healthz")).status_code == 200
            assert time.monotonic() - health_started < 0.5
        answer = await streamed
        assert answer.status_code == 413, answer.text
        assert time.monotonic() - started < 3.0
        # Within the limit, the same route works.
        ok = await http.post(url, json={"text": "Create TikTok campaign with 3000 SAR"}, headers=headers)
        assert ok.status_code == 200 and ok.json()["budget"]["amount"] == 3000


async def test_rate_limits_answer_429_with_retry_after_and_recover(api_settings: Settings) -> None:
    settings = api_settings.model_copy(update={"adly_api_rate_parse": "3/second",
                                               "adly_api_rate_parse_workspace": "5/second"})
    async with open_services(settings, port=8780) as services:
        async with services.sessions() as session, session.begin():
            workspace = await repo.create_workspace(session=session, name="Acme")
        keys = [(await make_key(services, workspace.id, f"U{i}", ["read"]))[1] for i in range(2)]
        app = create_app(settings, services=services, port=8780)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8780") as http:
            url = f"/workspaces/{workspace.id}/campaigns/parse"

            async def parse(key: str) -> httpx.Response:
                return await http.post(url, json={"text": "TikTok, 3000 SAR"}, headers={"Authorization": f"Bearer {key}"})

            answers = [await parse(keys[0]) for _ in range(4)]
            assert [a.status_code for a in answers] == [200, 200, 200, 429]
            limited = answers[-1]
            assert limited.json()["code"] == "rate_limited" and "this API key" in limited.json()["detail"]
            assert 1 <= int(limited.headers["Retry-After"]) <= 2
            # Another key of the same workspace still has its own allowance, up to the workspace's.
            others = [await parse(keys[1]) for _ in range(3)]
            assert [a.status_code for a in others] == [200, 200, 429]
            assert "this workspace" in others[-1].json()["detail"]
            await asyncio.sleep(int(limited.headers["Retry-After"]) + 0.1)
            assert (await parse(keys[0])).status_code == 200


def test_the_cli_makes_workspaces_and_keys_that_the_api_accepts(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADLY_", "DATABASE_", "SLACK_", "META_"))}
    env["ADLY_DATA_DIR"] = str(tmp_path / "data")

    def adly(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120)

    made = adly("workspaces", "create", "--name", "Acme KSA", "--currency", "aed", "--approvers", "UBOSS, U2",
                "--json")
    assert made.returncode == 0, made.stderr
    workspace = json.loads(made.stdout.strip().splitlines()[-1])
    assert workspace["name"] == "Acme KSA" and workspace["default_currency"] == "AED"
    assert workspace["approvers"] == ["UBOSS", "U2"]
    listed = json.loads(adly("workspaces", "list", "--json").stdout.strip().splitlines()[-1])
    assert [w["id"] for w in listed] == [workspace["id"]]
    created = adly("api-keys", "create", "--workspace", workspace["id"], "--user", "U1", "--scopes", "read,create")
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("adly_") and secret not in created.stderr
    key_id = secret.split("_")[1]
    keys = json.loads(adly("api-keys", "list", "--workspace", workspace["id"], "--json").stdout.strip().splitlines()[-1])
    assert [(k["id"], k["scopes"], k["revoked_at"]) for k in keys] == [(key_id, ["read", "create"], None)]
    assert secret not in json.dumps(keys)
    bad = adly("api-keys", "create", "--workspace", workspace["id"], "--user", "U1", "--scopes", "read,root")
    assert bad.returncode == 2 and "unknown scope 'root'" in bad.stderr
    assert adly("api-keys", "revoke", key_id).returncode == 0
    keys = json.loads(adly("api-keys", "list", "--workspace", workspace["id"], "--json").stdout.strip().splitlines()[-1])
    assert keys[0]["revoked_at"] is not None
    # Only a hash is stored.
    import sqlite3

    with sqlite3.connect(tmp_path / "data" / "adly.sqlite") as db:
        stored = db.execute("SELECT secret_hash FROM api_keys").fetchone()[0]
    assert secret not in stored and len(stored) == 64


async def test_a_revoked_key_stops_working_within_a_second(api: Api) -> None:
    url = api.url("/campaigns")
    assert (await api.http.get(url, headers=api.headers("reader"))).status_code == 200
    from store import api_keys

    # Revoked by another process (the CLI): this one re-reads a key at least every ADLY_API_KEY_CACHE_S.
    async with api.services.sessions() as session, session.begin():
        await api_keys.revoke_api_key(session=session, key_id=api.key_ids["reader"])
    await asyncio.sleep(api.services.api_keys.ttl_s + 0.05)
    assert (await api.http.get(url, headers=api.headers("reader"))).status_code == 401
    # A key that checked out once is still compared in full every time: a wrong secret with its id fails.
    boss = api.keys["boss"]
    assert (await api.http.get(url, headers=api.headers("boss"))).status_code == 200
    forged = {"Authorization": f"Bearer {boss[:-4]}XXXX"}
    assert (await api.http.get(url, headers=forged)).status_code == 401
