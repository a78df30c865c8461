"""Conversations completed per minute with one `adly serve` process versus three on one PostgreSQL (and one with
worker processes), and the Slack ack latency under that load next to a trivial Bolt app's on the same machine.

Each run starts a throwaway PostgreSQL 15 cluster, `adly sandbox serve` (the ad platforms, shared) and N `adly serve`
processes with a fake Slack Web API (tests/scale/installation.py). One conversation connects Meta and goes live
first (not timed); then K conversations start at once, mentions spread round-robin over the processes, and each is
approved and published by clicks that land on any process. Timed: the first mention to the last live report.
Meanwhile a probe keeps 20 signed `/adly help` commands in flight (answered in the ack itself), spread over the
processes: their p99 is the ack latency under load. The same probe then runs against a trivial slack-bolt app (an
AsyncApp that only acks, under uvicorn, in its own process) for comparison.

    .venv/bin/python bench/scale.py [--conversations 24] [--setups 1 3 1+2] [--json]

A setup is `P` (P `adly serve` processes, each running its own jobs) or `P+W` (P processes with `--workers W`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "scale"))
sys.path.insert(0, str(ROOT / "tests" / "slack"))

import pg_cluster  # noqa: E402
from installation import FakeSlack, click_body, event_body, installation, mention_event, until  # noqa: E402

# Each conversation a brief of its own (another product, city or age range), so its creative is generated, not
# reused from the cache.
CITIES = ["Riyadh", "Jeddah", "Dammam"]
PRODUCTS = ["abayas", "perfumes", "dates", "coffee", "sweets", "watches"]


def text_for(n: int) -> str:
    return (f"Create Instagram campaign for Ramadan sale of {PRODUCTS[n % len(PRODUCTS)]} with 3000 SAR budget "
            f"targeting women 25-{40 + n % 20} in {CITIES[n % len(CITIES)]}, images only")
FORM = "application/x-www-form-urlencoded"


async def _one(site: Any, n: int, thread_ts: str, acks: list[float], *, connect: bool = False) -> None:
    processes = len(site.servers)
    acks.append(await site.post(n % processes, event_body(mention_event(text_for(n), ts=thread_ts), event_id=thread_ts),
                                "application/json"))
    if connect:
        await site.connect_meta()
    review = (await until("review", lambda: site.in_thread("adly.review.approve", thread_ts), 600))[-1]
    acks.append(await site.post((n + 1) % processes, click_body(review, "adly.review.approve"), FORM))
    preview = (await until("preview", lambda: site.in_thread("adly.preview.approve", thread_ts), 600))[-1]
    acks.append(await site.post((n + 2) % processes, click_body(preview, "adly.preview.approve"), FORM))
    await until("live", lambda: site.live_report(thread_ts), 600)


HELP = "command=%2Fadly&text=help&user_id=UPROBE&channel_id=CPROBE&team_id=T1&trigger_id=t1&response_url=x"
PROBE_CONCURRENCY = 20


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * q))] * 1000, 1)


async def _probe(post: Any, stop: asyncio.Event, latencies: list[float], senders: int = PROBE_CONCURRENCY) -> None:
    """`senders` requests always in flight until `stop`: each sender posts again as soon as it is answered."""
    async def sender(n: int) -> None:
        while not stop.is_set():
            latencies.append(await post(n, HELP))

    await asyncio.gather(*(sender(n) for n in range(senders)))


async def run(setup: str, conversations: int, server_url: str) -> dict[str, Any]:
    processes, _, workers = setup.partition("+")
    serve_args = ("--workers", workers) if workers else ()
    database = pg_cluster.create_database(server_url)
    fake = await FakeSlack().start()
    try:
        with tempfile.TemporaryDirectory(prefix="adly-scale-") as root:
            async with installation(Path(root), database, fake, processes=int(processes),
                                    serve_args=serve_args) as site:
                await _one(site, 0, "1699999999.000100", [], connect=True)
                acks: list[float] = []
                probe: list[float] = []
                stop = asyncio.Event()
                prober = asyncio.create_task(_probe(
                    lambda n, body: site.post(n % len(site.servers), body, FORM), stop, probe))
                started = time.perf_counter()
                await asyncio.gather(*(_one(site, n, f"1700000{n:03d}.000100", acks) for n in range(conversations)))
                wall = time.perf_counter() - started
                stop.set()
                await prober
    finally:
        await fake.close()
    return {"setup": setup, "conversations": conversations, "wall_s": round(wall, 2),
            "per_minute": round(conversations / wall * 60, 1),
            "ack_p50_ms": round(statistics.median(acks) * 1000, 1), "ack_p99_ms": _p(acks, 0.99),
            "probe_requests": len(probe), "probe_p99_ms": _p(probe, 0.99)}


TRIVIAL_BOLT = """
import re, sys, uvicorn
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from starlette.applications import Starlette
from starlette.routing import Route
async def authorize(**kwargs):
    return AuthorizeResult(enterprise_id=None, team_id="T1", bot_token="xoxb-test", bot_user_id="UB", bot_id="B")
app = AsyncApp(signing_secret=sys.argv[2], authorize=authorize, process_before_response=True)
@app.command("/adly")
async def command(ack):
    await ack(text="help")
handler = AsyncSlackRequestHandler(app)
async def events(request):
    return await handler.handle(request)
uvicorn.run(Starlette(routes=[Route("/slack/events", events, methods=["POST"])]), port=int(sys.argv[1]),
            log_level="warning")
"""


async def trivial_bolt(requests: int) -> dict[str, Any]:
    """The same probe against an AsyncApp that only acks: the floor any Bolt app on this machine stands on."""
    import subprocess

    import httpx
    from installation import free_port
    from slack_harness import SECRET, signed_headers

    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", TRIVIAL_BOLT, str(port), SECRET])  # noqa: ASYNC220
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for _ in range(100):
                try:
                    await client.get("/")
                    break
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)

            async def post(n: int, body: str) -> float:
                begun = time.perf_counter()
                answer = await client.post("/slack/events", content=body.encode(),
                                           headers={"Content-Type": FORM, **signed_headers(body)})
                assert answer.status_code == 200, answer.text
                return time.perf_counter() - begun

            latencies: list[float] = []
            stop = asyncio.Event()
            prober = asyncio.create_task(_probe(post, stop, latencies))
            while len(latencies) < requests:  # noqa: ASYNC110 - counting answers, not waiting for one event
                await asyncio.sleep(0.05)
            stop.set()
            await prober
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {"setup": "trivial-bolt", "probe_requests": len(latencies), "probe_p99_ms": _p(latencies, 0.99)}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=24)
    parser.add_argument("--setups", nargs="*", default=["1", "3", "1+2"])
    parser.add_argument("--baseline-requests", type=int, default=4000, help="probe requests sent to the trivial app")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    with pg_cluster.running_cluster() as server_url:
        for setup in args.setups:
            result = await run(setup, args.conversations, server_url)
            results.append(result)
            print(f"{setup}: {result['conversations']} conversations in {result['wall_s']} s = "
                  f"{result['per_minute']}/min; flow acks p50 {result['ack_p50_ms']} ms, p99 {result['ack_p99_ms']} ms;"
                  f" {PROBE_CONCURRENCY} concurrent /adly help: p99 {result['probe_p99_ms']} ms "
                  f"({result['probe_requests']} requests)", flush=True)
    baseline = await trivial_bolt(max([args.baseline_requests, *(r["probe_requests"] for r in results)]))
    results.append(baseline)
    print(f"trivial Bolt app, same probe: p99 {baseline['probe_p99_ms']} ms ({baseline['probe_requests']} requests)")
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    asyncio.run(main())
