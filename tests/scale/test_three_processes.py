"""Three `adly serve` processes on one PostgreSQL, the seed flow driven through Slack with clicks landing on
different processes: a double click on Approve and on Publish moves the flow once and publishes once, every time;
when the scheduler's leader is killed, another process takes over.

The ad platforms are `adly sandbox serve` in a process of its own (shared, as real platforms are); Slack is a fake
Web API on this test's loop; every request to ADLY is signed as Slack signs it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets
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
import pytest
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "slack"))

from fake_slack import FakeSlack, find_element  # noqa: E402
from slack_harness import APPROVER, SECRET, event_body, mention_event, signed_headers  # noqa: E402

from store.db import create_engine  # noqa: E402
from tools.sandbox import complete_consent  # noqa: E402

TEXT = "Create Instagram campaign for Ramadan sale with 3000 SAR budget targeting women 25-40 in Riyadh, images only"
TRIALS = int(os.environ.get("ADLY_DOUBLE_CLICK_TRIALS", "20"))


def _free_port(run: int = 1) -> int:
    """A port with `run` consecutive free ports from it."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = int(probe.getsockname()[1])
        if base + run > 65535:
            continue
        try:
            for offset in range(1, run):
                with socket.socket() as other:
                    other.bind(("127.0.0.1", base + offset))
        except OSError:
            continue
        return base
    raise AssertionError("no free ports")


async def _until(what: str, found: Callable[[], Any], within_s: float = 180) -> Any:
    deadline = time.monotonic() + within_s
    while not (result := found()):
        assert time.monotonic() < deadline, f"no {what} within {within_s}s"
        await asyncio.sleep(0.1)
    return result


def _in_thread(fake: FakeSlack, prefix: str, thread_ts: str) -> list[dict[str, Any]]:
    return [m for m in fake.cards(prefix) if m.get("thread_ts") == thread_ts]


def _blocks(args: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = args.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def _click_payload(message: dict[str, Any], prefix: str) -> str:
    block, element = find_element(message["blocks"], prefix) or ({}, {})
    payload = {"type": "block_actions", "team": {"id": "T1", "domain": "t"},
               "user": {"id": APPROVER, "team_id": "T1", "username": "boss"}, "api_app_id": "A1",
               "trigger_id": "t1", "channel": {"id": message["channel"], "name": "c"},
               "container": {"type": "message", "message_ts": message["ts"], "channel_id": message["channel"]},
               "message": {"ts": message["ts"], "thread_ts": message.get("thread_ts")},
               "response_url": "http://127.0.0.1:9/api/response",
               "actions": [{"type": "button", "action_id": element["action_id"], "value": element["value"],
                            "block_id": block.get("block_id", "b"), "text": element["text"],
                            "action_ts": str(time.time())}]}
    return urlencode({"payload": json.dumps(payload)})


@pytest.fixture
async def fake_slack() -> Any:
    fake = await FakeSlack().start()
    try:
        yield fake
    finally:
        await fake.close()


async def test_clicks_on_different_processes_move_the_flow_once(pg_url: str, tmp_path: Path,
                                                                fake_slack: FakeSlack) -> None:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("META_", "TIKTOK_", "SNAPCHAT_", "OPENAI_", "SLACK_", "ADLY_", "DATABASE_",
                                  "SANDBOX_"))}
    sandbox_port = _free_port(3)
    sandbox_home = tmp_path / "platforms"
    sandbox_home.mkdir()
    sandbox_log = (sandbox_home / "log").open("wb")
    sandbox = subprocess.Popen(  # noqa: ASYNC220 - started once, before the loop has anything to do
        [sys.executable, "-m", "bot.cli", "sandbox", "serve", "--port", str(sandbox_port)], cwd=sandbox_home,
        env={**clean, "ADLY_DATA_DIR": str(sandbox_home / "data")}, stdout=sandbox_log, stderr=subprocess.STDOUT,
        start_new_session=True)
    # Processes of one installation share its secrets (each would otherwise generate its own in its data dir).
    shared_secrets = {"ADLY_ENCRYPTION_KEYS": f"k1:{base64.b64encode(secrets.token_bytes(32)).decode()}",
                      "ADLY_OAUTH_SECRET": secrets.token_hex(32), "ADLY_ASSET_DIR": str(tmp_path / "shared-assets")}
    ports = [_free_port() for _ in range(3)]
    servers: list[subprocess.Popen[bytes]] = []
    for n, port in enumerate(ports):
        home = tmp_path / f"app{n}"
        home.mkdir()
        env = {**clean, "ADLY_DATA_DIR": str(home / "data"), "ADLY_PUBLIC_URL": f"http://127.0.0.1:{port}",
               "DATABASE_URL": pg_url, "ADLY_APPROVERS": APPROVER, **shared_secrets, "ADLY_LEADER_RETRY_S": "0.5",
               "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake_slack.api_url,
               "META_API_BASE_URL": f"http://127.0.0.1:{sandbox_port}",
               "TIKTOK_API_BASE_URL": f"http://127.0.0.1:{sandbox_port + 1}",
               "SNAPCHAT_API_BASE_URL": f"http://127.0.0.1:{sandbox_port + 2}"}
        with (home / "log").open("wb") as log:
            servers.append(subprocess.Popen(  # noqa: ASYNC220
                [sys.executable, "-m", "bot.cli", "serve", "--http", "--port", str(port)], cwd=home, env=env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    clients = [httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) for port in ports]
    engine = create_engine(pg_url)
    try:
        async def healthy() -> None:
            deadline = time.monotonic() + 120
            for server, http in zip(servers, clients, strict=True):
                while True:
                    assert server.poll() is None, "adly serve exited"
                    try:
                        if (await http.get("/healthz")).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    assert time.monotonic() < deadline, "adly serve did not start"
                    await asyncio.sleep(0.2)

        async def post(n: int, body: str, content_type: str) -> None:
            answer = await clients[n].post("/slack/events", content=body.encode(),
                                           headers={"Content-Type": content_type, **signed_headers(body)})
            assert answer.status_code == 200, answer.text

        async def answered(thread_ts: str, kind: str) -> int:
            async with engine.connect() as conn:
                return int((await conn.execute(text(
                    "SELECT count(*) FROM audit_events a JOIN conversations c ON c.id = a.subject_id "
                    "WHERE c.thread_ts = :ts AND a.action = :action"),
                    {"ts": thread_ts, "action": f"prompt.{kind}.answered"})).scalar() or 0)

        await healthy()
        for trial in range(TRIALS):
            thread_ts = f"1700000{trial:03d}.000100"
            await post(trial % 3, event_body(mention_event(TEXT, ts=thread_ts), event_id=f"Ev{trial}"),
                       "application/json")
            if trial == 0:
                def link() -> str | None:
                    for message in reversed(fake_slack.posted()):
                        found = find_element(message.get("blocks") or [], "adly.connect.open.meta")
                        if found:
                            return str(found[1]["url"])
                    return None

                url = await _until("the Meta Connect button", link)
                async with httpx.AsyncClient(timeout=60) as browser:
                    landing = await browser.get(await complete_consent(browser, url))
                assert "Connected" in landing.text
            review = (await _until("the review card", lambda ts=thread_ts: _in_thread(
                fake_slack, "adly.review.approve", ts)))[-1]
            # Approve, clicked twice: the two clicks land on two different processes at once.
            body = _click_payload(review, "adly.review.approve")
            await asyncio.gather(*(post(n, body, "application/x-www-form-urlencoded")
                                   for n in ((trial + 1) % 3, (trial + 2) % 3)))
            preview = (await _until("the preview card", lambda ts=thread_ts: _in_thread(
                fake_slack, "adly.preview.approve", ts)))[-1]
            body = _click_payload(preview, "adly.preview.approve")
            await asyncio.gather(*(post(n, body, "application/x-www-form-urlencoded")
                                   for n in (trial % 3, (trial + 2) % 3)))
            await _until("the live report", lambda ts=thread_ts: [
                m for m in fake_slack.posted() if m.get("thread_ts") == ts
                and "report" in json.dumps(m.get("blocks") or []).lower() and "live" in str(m.get("text")).lower()])
            previews = [c for c in fake_slack.named("chat.postMessage") if c.args.get("thread_ts") == thread_ts
                        and find_element(_blocks(c.args), "adly.preview.approve")]
            assert len(previews) == 1, "the review moved twice"
            assert (await answered(thread_ts, "review"), await answered(thread_ts, "preview")) == (1, 1)

        # One campaign per trial on the platform: nothing was published twice.
        with sqlite3.connect(sandbox_home / "data" / "sandbox" / "meta.sqlite") as db:
            campaigns = db.execute("SELECT count(*) FROM objects WHERE kind = 'campaign'").fetchone()[0]
        assert campaigns == TRIALS
        async with engine.connect() as conn:
            statuses = (await conn.execute(text("SELECT status, count(*) FROM campaigns GROUP BY status"))).all()
        assert dict(statuses) == {"live": TRIALS}  # type: ignore[arg-type]

        # The scheduler's leader is killed; another process takes over.
        def leaders() -> list[int]:
            return [n for n in range(3)
                    if "scheduler's leader" in (tmp_path / f"app{n}" / "log").read_text(errors="replace")]

        first = (await _until("a leader", leaders))
        assert len(first) == 1, first
        os.killpg(servers[first[0]].pid, signal.SIGKILL)
        servers[first[0]].wait(timeout=30)
        successors = await _until("a new leader", lambda: [n for n in leaders() if n != first[0]], within_s=60)
        assert len(successors) == 1, successors
    finally:
        for client in clients:
            await client.aclose()
        await engine.dispose()
        for process in [*servers, sandbox]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*servers, sandbox]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        sandbox_log.close()
