"""Ack latency of /slack/events under concurrent signed requests (events, clicks, commands), and no lost work.

The real app (Bolt, signature check, authorize, dedupe, the driver) runs under uvicorn on loopback in its own
process, talking to a fake Slack Web API (a thread of this process); the client measures time to response.
The mix: app_mention events (each starts a real conversation; 15% are redeliveries of an earlier event_id with
X-Slack-Retry-Num), button clicks, and `/adly help` commands. Afterwards it checks that every new event made
exactly one conversation and every click exactly one (ephemeral) answer.

    .venv/bin/python bench/slack_ack.py [--requests 400] [--concurrency 20 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import SecretStr
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "slack"))
from fake_slack import FakeSlack  # noqa: E402

from bot.services import Services, open_services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.slack.app import SlackFrontDoor  # noqa: E402
from bot.web import create_app  # noqa: E402
from store.models import Conversation  # noqa: E402

SECRET = "bench-secret"
INSTRUCTION = "Ramadan campaign for women in Riyadh"  # incomplete on purpose: parse, validate, ask (real work)


class FakeThread:
    """The fake Slack Web API in its own thread and loop (it is the outside world, not the app under test)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.fake = FakeSlack()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> FakeSlack:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.fake.start(), self.loop).result(30)
        return self.fake

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.close(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)


def serve(port: int, data_dir: Path, slack_api_url: str) -> None:
    """The app under test, alone in its process: uvicorn, Bolt, the driver; plus a drain hook for the bench."""
    import uvicorn

    async def main() -> None:
        settings = Settings(_env_file=None, adly_data_dir=data_dir,  # type: ignore[call-arg]
                            slack_bot_token=SecretStr("xoxb-test"), slack_signing_secret=SecretStr(SECRET),
                            slack_api_url=slack_api_url, adly_scheduler_enabled=False)
        async with open_services(settings, port=port) as services:
            app = create_app(settings, services=services, slack=SlackFrontDoor(services, port=port))

            async def drain(channel: str) -> dict[str, int]:
                await services.background.drain()
                return {"conversations": await _count_conversations(services, channel)}

            app.add_api_route("/bench/drain/{channel}", drain, methods=["POST"])
            config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
            await uvicorn.Server(config).serve()

    asyncio.run(main())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Load:
    """Builds a signed request mix; remembers what work each should cause, to check none is lost or doubled."""

    def __init__(self, run: str, seed: int = 7, events: float = 0.45) -> None:
        self.run = run
        self.events = events
        self.rng = random.Random(seed)
        self.verifier = SignatureVerifier(SECRET)
        self.event_ids: list[str] = []
        self.expected_conversations = 0
        self.expected_ephemerals = 0
        self.counter = 0

    def next(self) -> tuple[str, str, bytes, dict[str, str]]:
        self.counter += 1
        n = self.counter
        roll = self.rng.random()
        retry = {}
        if roll < self.events or (not self.event_ids and self.events > 0):
            kind = "event"
            if self.event_ids and self.rng.random() < 0.15:
                event_id, retry = self.rng.choice(self.event_ids), {"X-Slack-Retry-Num": "1"}  # a redelivery
                kind = "event-retry"
            else:
                event_id = f"Ev{self.run}{n:06d}"
                self.event_ids.append(event_id)
                self.expected_conversations += 1
            ts = f"17{abs(hash(event_id)) % 10**8:08d}.{n:06d}"
            body = json.dumps({"team_id": "T1", "api_app_id": "A1", "type": "event_callback", "event_id": event_id,
                               "event_time": int(time.time()),
                               "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
                               "event": {"type": "app_mention", "user": "UBENCH", "text": f"<@UBOT> {INSTRUCTION}",
                                         "ts": ts, "channel": f"C{self.run}", "event_ts": ts}})
            ctype = "application/json"
        elif roll < self.events + (1 - self.events) * 0.6:
            kind = "click"
            self.expected_ephemerals += 1  # a button of a conversation that is not there: told so, ephemerally
            value = json.dumps({"c": f"missing{n}", "i": "x", "x": ""})
            payload = {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "UBENCH", "team_id": "T1"},
                       "api_app_id": "A1", "trigger_id": f"t{n}", "channel": {"id": "CB"},
                       "container": {"type": "message", "message_ts": "1.1", "channel_id": "CB"},
                       "actions": [{"type": "button", "action_id": "adly.review.cancel", "block_id": "b",
                                    "value": value, "action_ts": "1"}]}
            body = urlencode({"payload": json.dumps(payload)})
            ctype = "application/x-www-form-urlencoded"
        else:
            kind = "command"
            body = urlencode({"team_id": "T1", "channel_id": "CB", "user_id": "UBENCH", "command": "/adly",
                              "text": "help", "trigger_id": f"t{n}", "response_url": "http://127.0.0.1:9/x"})
            ctype = "application/x-www-form-urlencoded"
        ts_header = str(int(time.time()))
        headers = {"Content-Type": ctype, "X-Slack-Request-Timestamp": ts_header,
                   "X-Slack-Signature": self.verifier.generate_signature(timestamp=ts_header, body=body), **retry}
        return kind, "/slack/events", body.encode(), headers


async def measure(port: int, load: Load, total: int, concurrency: int) -> dict[str, Any]:
    """Closed loop: `concurrency` workers, each sending its next request when the previous one is answered.

    aiohttp as the client: httpx's pool costs more CPU per request than the server under test at this rate.
    """
    import aiohttp

    latencies: dict[str, list[float]] = {}
    statuses: dict[int, int] = {}
    queue = [load.next() for _ in range(total)]
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}", connector=connector) as client:

        async def worker() -> None:
            while queue:
                kind, path, body, headers = queue.pop()
                started = time.perf_counter()
                async with client.post(path, data=body, headers=headers) as response:
                    await response.read()
                latencies.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
                statuses[response.status] = statuses.get(response.status, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    every = sorted(v for values in latencies.values() for v in values)
    return {"concurrency": concurrency, "requests": total, "throughput_rps": round(total / elapsed, 1),
            "p50_ms": round(_pct(every, 50), 1), "p95_ms": round(_pct(every, 95), 1),
            "p99_ms": round(_pct(every, 99), 1), "max_ms": round(every[-1], 1), "statuses": statuses,
            "by_kind_p99_ms": {k: round(_pct(sorted(v), 99), 1) for k, v in latencies.items()}}


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


async def _count_conversations(services: Services, channel: str) -> int:
    async with services.sessions() as session:
        stmt = select(func.count()).select_from(Conversation).where(Conversation.channel_id == channel)
        return int(await session.scalar(stmt) or 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--events", type=float, default=0.45, help="share of requests that are events")
    parser.add_argument("--serve", nargs=3, metavar=("PORT", "DATA_DIR", "SLACK_API_URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(int(args.serve[0]), Path(args.serve[1]), args.serve[2])
        return 0
    fake_thread = FakeThread()
    fake = fake_thread.start()
    port = _free_port()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), str(Path(tmp) / "data"),
                                   fake.api_url])
        try:
            _wait_healthy(port)
            # Warm-up (first auth.test, lazy imports, connection pools), not measured.
            asyncio.run(measure(port, Load(run="WARM", events=0.0), 100, 10))
            httpx.post(f"http://127.0.0.1:{port}/bench/drain/CWARM", timeout=600)
            for concurrency in args.concurrency:
                load = Load(run=f"R{concurrency}", events=args.events)
                ephemerals_before = len(fake.named("chat.postEphemeral"))
                result = asyncio.run(measure(port, load, args.requests, concurrency))
                drained = httpx.post(f"http://127.0.0.1:{port}/bench/drain/C{load.run}", timeout=600).json()
                ephemerals = len(fake.named("chat.postEphemeral")) - ephemerals_before
                result["work"] = {"conversations": drained["conversations"],
                                  "expected_conversations": load.expected_conversations,
                                  "ephemerals": ephemerals, "expected_ephemerals": load.expected_ephemerals}
                lost_or_doubled = (drained["conversations"] != load.expected_conversations
                                   or ephemerals != load.expected_ephemerals)
                result["no_lost_or_duplicated_work"] = not lost_or_doubled
                ok = ok and not lost_or_doubled and set(result["statuses"]) == {200}
                print(json.dumps(result), flush=True)
        finally:
            server.terminate()
            server.wait(60)
            fake_thread.stop()
    return 0 if ok else 1


def _wait_healthy(port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the app did not come up")


if __name__ == "__main__":
    sys.exit(main())
