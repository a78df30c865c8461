"""kill -9 of `adly serve` mid-publish, then a restart: the campaign finishes, nothing twice, the thread is told.

`adly serve --http` runs in its own process group with a fake Slack Web API (this test's loop) and slow sandbox
platforms (300 ms a call), so publishing takes seconds. The conversation goes from a mention to publishing the
way a person drives it (signed events and clicks, the sandbox consent pages over HTTP); the process group is
killed with SIGKILL once the ledger has objects created and others still to come; a new `adly serve` starts
on the same data dir.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from fake_slack import FakeSlack, find_element
from slack_harness import APPROVER, SECRET, event_body, mention_event, signed_headers

from tools.sandbox import complete_consent

TEXT = "Create Instagram and TikTok campaign for Ramadan sale with 3000 SAR budget targeting women 25-40 in Riyadh"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(home: Path, env: dict[str, str], port: int, name: str) -> subprocess.Popen[bytes]:
    with (home / f"{name}.log").open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--http", "--port", str(port)], cwd=home,
                                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


async def _until(what: str, found: Callable[[], Any], within_s: float = 180) -> Any:
    deadline = time.monotonic() + within_s
    while not (result := found()):
        assert time.monotonic() < deadline, f"no {what} within {within_s}s"
        await asyncio.sleep(0.1)
    return result


def _steps(data: Path) -> dict[str, int]:
    with sqlite3.connect(data / "adly.sqlite") as db:
        return dict(db.execute("SELECT state, count(*) FROM publish_steps GROUP BY state").fetchall())


def _sandbox_count(data: Path, platform: str, kind: str) -> int:
    with sqlite3.connect(data / "sandbox" / f"{platform}.sqlite") as db:
        return int(db.execute("SELECT count(*) FROM objects WHERE kind = ?", (kind,)).fetchone()[0])


async def test_a_killed_publish_is_finished_by_the_next_start_with_nothing_twice(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    port = _free_port()
    base, data = f"http://127.0.0.1:{port}", tmp_path / "data"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("META_", "TIKTOK_", "SNAPCHAT_", "OPENAI_", "SLACK_", "ADLY_", "DATABASE_", "SANDBOX_"))}
    env.update({"ADLY_DATA_DIR": str(data), "ADLY_PUBLIC_URL": base, "ADLY_APPROVERS": APPROVER,
                "ADLY_SCHEDULER_ENABLED": "false", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": fake_slack.api_url, "SANDBOX_LATENCY_MS": "300"})
    server = _start(tmp_path, env, port, "first")
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        async def wait_healthy(process: subprocess.Popen[bytes]) -> None:
            deadline = time.monotonic() + 90
            while True:
                assert process.poll() is None, "adly serve exited"
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "adly serve did not start"
                await asyncio.sleep(0.2)

        async def post_signed(body: str, content_type: str) -> None:
            answer = await http.post("/slack/events", content=body.encode(),
                                     headers={"Content-Type": content_type, **signed_headers(body)})
            assert answer.status_code == 200, answer.text

        async def click(prefix: str) -> None:
            message = await _until(f"{prefix} card", lambda: (fake_slack.cards(prefix) or [None])[-1])
            block, element = find_element(message["blocks"], prefix) or ({}, {})
            payload = {"type": "block_actions", "team": {"id": "T1", "domain": "t"},
                       "user": {"id": APPROVER, "team_id": "T1", "username": "boss"}, "api_app_id": "A1",
                       "trigger_id": "t1", "channel": {"id": message["channel"], "name": "c"},
                       "container": {"type": "message", "message_ts": message["ts"], "channel_id": message["channel"]},
                       "message": {"ts": message["ts"], "thread_ts": message.get("thread_ts")},
                       "response_url": f"{fake_slack.url}api/response",
                       "actions": [{"type": "button", "action_id": element["action_id"], "value": element["value"],
                                    "block_id": block.get("block_id", "b"), "text": element["text"],
                                    "action_ts": str(time.time())}]}
            await post_signed(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

        try:
            await wait_healthy(server)
            await post_signed(event_body(mention_event(TEXT), event_id="Ev1"), "application/json")
            for platform in ("meta", "tiktok"):
                def link(p: str = platform) -> str | None:
                    for message in reversed(fake_slack.posted()):
                        found = find_element(message.get("blocks") or [], f"adly.connect.open.{p}")
                        if found:
                            return str(found[1]["url"])
                    return None

                url = await _until(f"{platform} Connect button", link)
                landing = await http.get(await complete_consent(http, url))
                assert "Connected" in landing.text
            await click("adly.review.approve")
            await click("adly.preview.approve")
            # Mid-publish: some objects exist, the rest is still to come.
            await _until("a half-done publish", lambda: _steps(data).get("created", 0) >= 3
                         and sum(_steps(data).values()) > _steps(data).get("created", 0))
        finally:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
        half = _steps(data)
        assert half.get("created", 0) < sum(half.values()), half  # it really was stopped halfway

        restarted = _start(tmp_path, env, port, "second")
        try:
            await wait_healthy(restarted)
            resumed = await _until("the thread told of the resume", lambda: [
                m for m in fake_slack.posted() if "interrupted when ADLY stopped" in str(m.get("text"))])
            assert resumed[0]["thread_ts"] == "1700000000.000100"
            await _until("the live report", lambda: [
                m for m in fake_slack.posted() if "live" in str(m.get("text")).lower() and m is not resumed[0]
                and "report" in json.dumps(m.get("blocks") or []).lower()] or (
                _steps(data).get("created", 0) == sum(_steps(data).values())
                and not [s for s in _steps(data) if s in ("sending", "unknown", "planned")]))
        finally:
            restarted.send_signal(signal.SIGTERM)
            restarted.wait(timeout=30)
    with sqlite3.connect(data / "adly.sqlite") as db:
        status = db.execute("SELECT status FROM campaigns").fetchone()[0]
        planned_ads = db.execute("SELECT count(*) FROM ads").fetchone()[0]
        planned_sets = db.execute("SELECT count(*) FROM ad_sets").fetchone()[0]
    assert status == "live", (status, _steps(data), (tmp_path / "second.log").read_text()[-3000:])
    # Nothing twice: one campaign per platform, exactly the planned ad sets and ads.
    for platform in ("meta", "tiktok"):
        assert _sandbox_count(data, platform, "campaign") == 1
    sets = _sandbox_count(data, "meta", "adset") + _sandbox_count(data, "tiktok", "adgroup")
    ads = _sandbox_count(data, "meta", "ad") + _sandbox_count(data, "tiktok", "ad")
    assert (sets, ads) == (planned_sets, planned_ads)
