"""`adly sandbox serve`: the three simulators over HTTP on loopback, each in its own process."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

from agent.texts import platform_name


def _free_port_block() -> int:
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base > 65000:
            continue
        try:
            for offset in (1, 2):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", base + offset))
        except OSError:
            continue
        return base
    raise RuntimeError("no free ports")


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _wait_until_listening(server: subprocess.Popen[str], port: int) -> None:
    """Until the three platforms' ports (port, +1, +2) accept connections; the server must stay up meanwhile."""
    deadline = time.monotonic() + 60
    while not all(_listening(port + i) for i in range(3)):
        assert server.poll() is None, f"the sandbox exited with {server.returncode}"
        assert time.monotonic() < deadline, "the sandbox did not start"
        time.sleep(0.1)


def test_serves_each_platform_on_its_port_and_stops_all_of_them(tmp_path: Path) -> None:
    port = _free_port_block()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("META_", "TIKTOK_", "SNAPCHAT_", "OPENAI_"))}
    env["ADLY_DATA_DIR"] = str(tmp_path)
    server = subprocess.Popen(
        [sys.executable, "-c", "from bot.cli import main; raise SystemExit(main())", "sandbox", "serve",
         "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        _wait_until_listening(server, port)
        with httpx.Client(timeout=10) as http:
            # Each answers in its own platform's wire format (here: a refused token).
            meta = http.get(f"http://127.0.0.1:{port}/v26.0/me", headers={"Authorization": "Bearer nope"})
            assert meta.status_code in (400, 401) and meta.json()["error"]["code"] == 190, meta.text
            tiktok = http.get(
                f"http://127.0.0.1:{port + 1}/open_api/v1.3/advertiser/info/", headers={"Access-Token": "nope"}
            )
            assert tiktok.status_code == 200 and tiktok.json()["code"] != 0, tiktok.text
            snap = http.get(f"http://127.0.0.1:{port + 2}/v1/me", headers={"Authorization": "Bearer nope"})
            assert snap.status_code == 401, snap.text
    finally:
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=30)
    assert "meta" in out and "snapchat" in out
    # SIGTERM to the command stops every platform's process, not only its own.
    deadline = time.monotonic() + 10
    while any(_listening(port + i) for i in range(3)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_listening(port + i) for i in range(3))


THREE_PLATFORMS = ("Create Instagram, TikTok and Snapchat campaign for Ramadan sale with 3000 SAR budget "
                   "targeting women 25-40 in Riyadh")


def _clean_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("META_", "TIKTOK_", "SNAPCHAT_", "OPENAI_", "SLACK_", "ADLY_", "DATABASE_", "SANDBOX_"))}
    env["ADLY_DATA_DIR"] = str(data_dir)
    return env


def _adly(*args: str) -> list[str]:
    return [sys.executable, "-c", "from bot.cli import main; raise SystemExit(main())", *args]


def test_demo_runs_against_a_sandbox_in_another_process_through_base_urls(tmp_path: Path) -> None:
    port = _free_port_block()
    sandbox_dir = tmp_path / "sandbox-process"
    log = tmp_path / "sandbox.log"
    with log.open("w") as out:
        server = subprocess.Popen(_adly("sandbox", "serve", "--port", str(port), "--log-requests"), cwd=tmp_path,
                                  env=_clean_env(sandbox_dir), stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_until_listening(server, port)
        env = _clean_env(tmp_path / "demo")  # no credentials: the sandbox's own are used
        env.update({"META_API_BASE_URL": f"http://127.0.0.1:{port}", "TIKTOK_API_BASE_URL": f"http://127.0.0.1:{port + 1}",
                    "SNAPCHAT_API_BASE_URL": f"http://127.0.0.1:{port + 2}/"})
        demo = subprocess.run(_adly("demo", THREE_PLATFORMS, "--json"), cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=600)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    summary = json.loads(demo.stdout.strip().splitlines()[-1])
    assert summary["status"] == "live"
    assert {p["platform"] for p in summary["platforms"]} == {"meta", "tiktok", "snapchat"}
    # The demo played the browser on the other process's consent pages and says where.
    for platform, offset in (("meta", 0), ("tiktok", 1), ("snapchat", 2)):
        assert f"Connecting {platform_name(platform, 'en')} in the sandbox at 127.0.0.1:{port + offset}" in demo.stdout
    # Every request went to that process: no simulator ran inside the demo, and everything it created is in
    # the other process's state, where its request log shows the consent pages, the exchanges and the creates.
    assert not (tmp_path / "demo" / "sandbox").exists()
    requests = log.read_text().splitlines()
    for line in ("meta GET /v26.0/dialog/oauth 200", "meta POST /v26.0/dialog/oauth 302",
                 "meta POST /v26.0/oauth/access_token 200", "tiktok GET /portal/auth 200",
                 "tiktok POST /portal/auth 302", "tiktok POST /open_api/v1.3/oauth2/access_token/ 200",
                 "snapchat GET /login/oauth2/authorize 200", "snapchat POST /login/oauth2/access_token 200"):
        assert line in requests, line
    for platform in summary["platforms"]:
        with sqlite3.connect(sandbox_dir / "sandbox" / f"{platform['platform']}.sqlite") as db:
            ids = {row[0] for row in db.execute("SELECT id FROM objects")}
        assert platform["external_campaign_id"] in ids
        assert {a["external_id"] for a in platform["ad_sets"] + platform["ads"]} <= ids
    assert any(r.startswith("meta POST /v26.0/act_") and r.endswith("/campaigns 200") for r in requests), requests


def test_demo_says_plainly_when_the_sandbox_at_a_base_url_is_not_running(tmp_path: Path) -> None:
    port = _free_port_block()
    env = _clean_env(tmp_path / "demo")
    env["META_API_BASE_URL"] = f"http://127.0.0.1:{port}"  # nothing listens there
    demo = subprocess.run(_adly("demo", "Create Instagram campaign for Ramadan sale with 1000 SAR budget "
                                        "targeting women 25-40 in Riyadh"),
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert demo.returncode == 3, demo.stdout[-2000:] + demo.stderr[-2000:]
    assert f"127.0.0.1:{port}" in demo.stdout and "adly sandbox serve" in demo.stdout
    assert "Traceback" not in demo.stderr
