"""A small ADLY installation for tests and benchmarks: N `adly serve` processes on one PostgreSQL, the ad platforms
as `adly sandbox serve` in a process of their own, Slack as a fake Web API; requests signed as Slack signs them."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "slack"))

from fake_slack import FakeSlack, find_element  # noqa: E402
from slack_harness import APPROVER, SECRET, event_body, mention_event, signed_headers  # noqa: E402

from tools.sandbox import complete_consent  # noqa: E402

__all__ = ["APPROVER", "FakeSlack", "Installation", "blocks_of", "click_body", "event_body", "find_element",
           "free_port", "installation", "mention_event", "until"]


def free_port(run: int = 1) -> int:
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


async def until(what: str, found: Callable[[], Any], within_s: float = 180) -> Any:
    deadline = time.monotonic() + within_s
    while not (result := found()):
        assert time.monotonic() < deadline, f"no {what} within {within_s}s"
        await asyncio.sleep(0.05)
    return result


def blocks_of(args: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = args.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def click_body(message: dict[str, Any], prefix: str, user: str = APPROVER) -> str:
    block, element = find_element(message["blocks"], prefix) or ({}, {})
    payload = {"type": "block_actions", "team": {"id": "T1", "domain": "t"},
               "user": {"id": user, "team_id": "T1", "username": user.lower()}, "api_app_id": "A1",
               "trigger_id": "t1", "channel": {"id": message["channel"], "name": "c"},
               "container": {"type": "message", "message_ts": message["ts"], "channel_id": message["channel"]},
               "message": {"ts": message["ts"], "thread_ts": message.get("thread_ts")},
               "response_url": "http://127.0.0.1:9/api/response",
               "actions": [{"type": "button", "action_id": element["action_id"], "value": element["value"],
                            "block_id": block.get("block_id", "b"), "text": element["text"],
                            "action_ts": str(time.time())}]}
    return urlencode({"payload": json.dumps(payload)})


@dataclass
class Installation:
    root: Path
    fake: FakeSlack
    sandbox_home: Path
    servers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    def log(self, n: int) -> str:
        return (self.root / f"app{n}" / "log").read_text(errors="replace")

    async def post(self, n: int, body: str, content_type: str) -> float:
        """Send a signed request to process `n`; the seconds until it answered (the ack)."""
        started = time.perf_counter()
        answer = await self.clients[n].post("/slack/events", content=body.encode(),
                                            headers={"Content-Type": content_type, **signed_headers(body)})
        assert answer.status_code == 200, answer.text
        return time.perf_counter() - started

    def in_thread(self, prefix: str, thread_ts: str) -> list[dict[str, Any]]:
        return [m for m in self.fake.cards(prefix) if m.get("thread_ts") == thread_ts]

    def live_report(self, thread_ts: str) -> bool:
        return any(m.get("thread_ts") == thread_ts and "report" in json.dumps(m.get("blocks") or []).lower()
                   and "live" in str(m.get("text")).lower() for m in self.fake.posted())

    async def connect_meta(self) -> None:
        """A person presses the Meta Connect button and consents on the sandbox page."""
        def link() -> str | None:
            for message in reversed(self.fake.posted()):
                found = find_element(message.get("blocks") or [], "adly.connect.open.meta")
                if found:
                    return str(found[1]["url"])
            return None

        url = await until("the Meta Connect button", link)
        async with httpx.AsyncClient(timeout=60) as browser:
            landing = await browser.get(await complete_consent(browser, url))
        assert "Connected" in landing.text


@asynccontextmanager
async def installation(root: Path, database_url: str, fake: FakeSlack, *, processes: int = 3,
                       extra_env: dict[str, str] | None = None, serve_args: tuple[str, ...] = (),
                       sandbox_env: dict[str, str] | None = None) -> AsyncIterator[Installation]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("META_", "TIKTOK_", "SNAPCHAT_", "OPENAI_", "SLACK_", "ADLY_", "DATABASE_",
                                  "SANDBOX_"))}
    sandbox_port = free_port(3)
    sandbox_home = root / "platforms"
    sandbox_home.mkdir(parents=True)
    site = Installation(root, fake, sandbox_home)
    with (sandbox_home / "log").open("wb") as log:
        sandbox = subprocess.Popen(  # noqa: ASYNC220 - started once, before anything runs on the loop
            [sys.executable, "-m", "bot.cli", "sandbox", "serve", "--port", str(sandbox_port)], cwd=sandbox_home,
            env={**clean, "ADLY_DATA_DIR": str(sandbox_home / "data"), **(sandbox_env or {})}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
    # Processes of one installation share its secrets and its generated files.
    shared = {"ADLY_ENCRYPTION_KEYS": f"k1:{base64.b64encode(secrets.token_bytes(32)).decode()}",
              "ADLY_OAUTH_SECRET": secrets.token_hex(32), "ADLY_ASSET_DIR": str(root / "shared-assets")}
    ports = [free_port() for _ in range(processes)]
    try:
        for n, port in enumerate(ports):
            home = root / f"app{n}"
            home.mkdir()
            env = {**clean, **shared, "ADLY_DATA_DIR": str(home / "data"),
                   "ADLY_PUBLIC_URL": f"http://127.0.0.1:{port}", "DATABASE_URL": database_url,
                   "ADLY_APPROVERS": APPROVER, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET,
                   "SLACK_API_URL": fake.api_url, "META_API_BASE_URL": f"http://127.0.0.1:{sandbox_port}",
                   "TIKTOK_API_BASE_URL": f"http://127.0.0.1:{sandbox_port + 1}",
                   "SNAPCHAT_API_BASE_URL": f"http://127.0.0.1:{sandbox_port + 2}", **(extra_env or {})}
            with (home / "log").open("wb") as log:
                site.servers.append(subprocess.Popen(  # noqa: ASYNC220
                    [sys.executable, "-m", "bot.cli", "serve", "--http", "--port", str(port), *serve_args], cwd=home,
                    env=env,
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        site.clients = [httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) for port in ports]
        deadline = time.monotonic() + 120
        for server, http in zip(site.servers, site.clients, strict=True):
            while True:
                assert server.poll() is None, "adly serve exited"
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "adly serve did not start"
                await asyncio.sleep(0.2)
        yield site
    finally:
        for client in site.clients:
            await client.aclose()
        everything = [*site.servers, sandbox]
        for process in everything:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in everything:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
