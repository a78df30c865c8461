"""Property-based: schemathesis generates requests from /openapi.json against `adly serve`; none may get a 5xx.

The server runs in a process of its own on a loopback port with a workspace and a valid admin key (so requests
reach the routes' own logic, not only the key check). Valid and invalid inputs both; bounded to a few minutes.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

schemathesis = pytest.importorskip("schemathesis", reason="pip install -e '.[test]'")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

EXAMPLES = 40  # per operation and mode: up to ~1,200 requests, well under a minute here


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    home = tmp_path_factory.mktemp("fuzz")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ADLY_", "DATABASE_", "SLACK_", "META_", "TIKTOK_", "SNAPCHAT_", "OPENAI_"))}
    env.update({"ADLY_DATA_DIR": str(home / "data"), "ADLY_SCHEDULER_ENABLED": "false"})

    def adly(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=home, env=env, capture_output=True,
                              text=True, timeout=120, check=True)
        return done.stdout.strip().splitlines()[-1]

    workspace = json.loads(adly("workspaces", "create", "--name", "Fuzz", "--json"))["id"]
    key = adly("api-keys", "create", "--workspace", workspace, "--user", "UFUZZ", "--scopes", "admin")
    port = _free_port()
    log = (home / "serve.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--http", "--port", str(port)], cwd=home,
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, (home / "serve.log").read_text()
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "adly serve did not start"
            time.sleep(0.2)
        yield base, workspace, key
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        errors = [line for line in (home / "serve.log").read_text().splitlines() if "Traceback" in line]
        assert not errors, (home / "serve.log").read_text()[-5000:]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_no_request_the_schema_allows_or_breaks_gets_a_server_error(served: tuple[str, str, str],
                                                                     mode: GenerationMode) -> None:
    base, workspace, key = served
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    seen: list[tuple[str, int]] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            if "workspace_id" in (case.path_parameters or {}):
                case.path_parameters = {**case.path_parameters, "workspace_id": workspace}
            response = case.call(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=30)
            seen.append((f"{case.method} {case.operation.path}", response.status_code))
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:500]}"
            if response.status_code >= 400 and case.formatted_path.startswith("/workspaces/"):
                content_type = response.headers.get("content-type") or [""]
                assert content_type[0] == "application/problem+json", response.text[:300]
                assert response.json()["code"], response.text[:300]

        try:
            check()
        except Unsatisfiable:
            assert mode == GenerationMode.NEGATIVE  # nothing to break in an operation that takes no input
    operations = {name for name, _ in seen}
    assert len(operations) >= (13 if mode == GenerationMode.POSITIVE else 8), operations
    assert any(status < 300 for _, status in seen)  # the runs reached the routes' own logic
