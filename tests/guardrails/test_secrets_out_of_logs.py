"""Secrets out of logs: a full run with -v, every log line captured, and not one token, secret, code or state."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from bot.log_redaction import MASK, Redactor

SEED = "Create Instagram and TikTok campaign for Ramadan sale with 1000 SAR budget targeting women 25-40 in Riyadh"


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ADLY_", "DATABASE_", "SLACK_", "META_", "TIKTOK_", "SNAPCHAT_", "OPENAI_"))}
    env.update({"ADLY_DATA_DIR": str(data_dir), "ADLY_SCHEDULER_ENABLED": "false"})
    return env


def _everything_secret(data_dir: Path) -> set[str]:
    """Every token, code and secret the run made or used: the sandbox's store, our key files, API keys."""
    found = {"sandbox-secret"}
    for db_file in (data_dir / "sandbox").glob("*.sqlite"):
        with sqlite3.connect(db_file) as db:
            found |= {row[0] for row in db.execute("SELECT token FROM tokens")}
    keys = json.loads((data_dir / "keys.json").read_text())
    found |= set(keys["keys"].values())
    found.add((data_dir / "oauth_secret").read_text().strip())
    with sqlite3.connect(data_dir / "adly.sqlite") as db:
        found |= {row[0] for row in db.execute("SELECT id FROM oauth_states")}  # the states' references
    return {s for s in found if len(s) >= 8}


def test_a_verbose_demo_logs_no_secret(tmp_path: Path) -> None:
    data = tmp_path / "data"
    demo = subprocess.run([sys.executable, "-m", "bot.cli", "-v", "demo", SEED], cwd=tmp_path, env=_env(data),
                          capture_output=True, text=True, timeout=600)
    assert demo.returncode == 0, demo.stderr[-3000:]
    logs = demo.stderr
    assert "HTTP Request:" in logs  # httpx logged every call: the URLs are there, redacted
    # (stdout is the product's own output: it shows the Connect links, as the Slack card does)
    leaked = [s for s in _everything_secret(data) if s in logs]
    assert not leaked, f"{len(leaked)} secret(s) in the logs, e.g. {leaked[0][:6]}..."
    assert "secret=" + MASK in logs  # TikTok's oauth2/advertiser/get takes the app secret in its query


def test_a_verbose_server_logs_no_key_code_or_state(tmp_path: Path) -> None:
    data, env = tmp_path / "data", _env(tmp_path / "data")
    cli = [sys.executable, "-m", "bot.cli"]
    workspace = json.loads(subprocess.run([*cli, "workspaces", "create", "--name", "W", "--json"], cwd=tmp_path,
                                          env=env, capture_output=True, text=True, check=True).stdout.splitlines()[-1])
    key = subprocess.run([*cli, "api-keys", "create", "--workspace", workspace["id"], "--user", "U1", "--scopes",
                          "admin"], cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.split()[-1]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen([*cli, "-v", "serve", "--http", "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        with httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {key}"}) as http:
            for _ in range(300):
                try:
                    if http.get("/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            job = http.post(f"/workspaces/{workspace['id']}/campaigns", json={"instruction": SEED}).json()
            for _ in range(300):
                state = http.get(job["status_url"]).json()
                if state["status"] != "queued" and state["status"] != "running":
                    break
                time.sleep(0.2)
            links = state["result"]["waiting_for"]["payload"]["links"]
            for link in links:  # a browser on ADLY's own sandbox pages, over real HTTP: codes and states in URLs
                page = http.get(link["authorize_url"])
                fields = dict(parse_qs(urlsplit(link["authorize_url"]).query))
                form = {k: v[0] for k, v in fields.items()} | {"decision": "allow"}
                action = str(page.url).rsplit("/", 1)[0] + "/" + urlsplit(link["authorize_url"]).path.rsplit("/", 1)[1]
                redirect = http.post(action, data=form, follow_redirects=False).headers["location"]
                assert "Connected" in http.get(redirect).text
            http.get(f"/workspaces/{workspace['id']}/campaigns?access_token=do-not-log-me-please")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    logs = (tmp_path / "serve.log").read_text()
    assert "/oauth/meta/callback" in logs and "GET /workspaces/" in logs  # the access log was written
    secrets = _everything_secret(data) | {key, "do-not-log-me-please"}
    leaked = [s for s in secrets if s in logs]
    assert not leaked, f"{len(leaked)} secret(s) in the server's log, e.g. {leaked[0][:6]}..."


def test_the_redactor_on_the_shapes_secrets_come_in() -> None:
    redact = Redactor(["my-long-app-secret"])
    cases = {
        "GET /v26.0/me?access_token=EAAB123&fields=id": "access_token=" + MASK + "&fields=id",
        "oauth2/advertiser/get/?app_id=1&secret=abcdef123": "secret=" + MASK,
        'callback?code=xyz&state=abc.def': "code=" + MASK + "&state=" + MASK,
        "Authorization: Bearer adly_0123456789ab_secretpart": "Bearer " + MASK,
        "key adly_0123456789ab_secretpart used": "adly_0123456789ab_" + MASK,
        "token xoxb-1234-abcd": "xoxb-" + MASK,
        '{"access_token": "tok123", "x": 1}': '"access_token": "' + MASK,
        "the app secret is my-long-app-secret": MASK,
        "redirect_uri=https%3A%2F%2Fa%2Fcb%3Fcode%3Dq1w2e3": "code%3D" + MASK,
    }
    for text, expected in cases.items():
        assert expected in redact(text), (text, redact(text))
    assert redact.arg(5) == 5 and redact.arg("GET") == "GET"  # numbers stay numbers for %d; plain args untouched
