"""Conversations completed per minute with one `adly serve` process versus three on one PostgreSQL, and the Slack ack
latency under that load.

Each run starts a throwaway PostgreSQL 15 cluster, `adly sandbox serve` (the ad platforms, shared) and N `adly serve`
processes with a fake Slack Web API (tests/scale/installation.py). One conversation connects Meta and goes live
first (not timed); then K conversations start at once, mentions spread round-robin over the processes, and each is
approved and published by clicks that land on any process. Timed: the first mention to the last live report.

    .venv/bin/python bench/scale.py [--conversations 24] [--processes 1 3] [--json]
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


async def run(processes: int, conversations: int, server_url: str) -> dict[str, Any]:
    database = pg_cluster.create_database(server_url)
    fake = await FakeSlack().start()
    try:
        with tempfile.TemporaryDirectory(prefix="adly-scale-") as root:
            async with installation(Path(root), database, fake, processes=processes) as site:
                await _one(site, 0, "1699999999.000100", [], connect=True)
                acks: list[float] = []
                started = time.perf_counter()
                await asyncio.gather(*(_one(site, n, f"1700000{n:03d}.000100", acks) for n in range(conversations)))
                wall = time.perf_counter() - started
    finally:
        await fake.close()
    acks.sort()
    return {"processes": processes, "conversations": conversations, "wall_s": round(wall, 2),
            "per_minute": round(conversations / wall * 60, 1),
            "ack_p50_ms": round(statistics.median(acks) * 1000, 1),
            "ack_p99_ms": round(acks[min(len(acks) - 1, int(len(acks) * 0.99))] * 1000, 1)}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=24)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    with pg_cluster.running_cluster() as server_url:
        for processes in args.processes:
            result = await run(processes, args.conversations, server_url)
            results.append(result)
            print(f"{processes} process(es): {result['conversations']} conversations in {result['wall_s']} s = "
                  f"{result['per_minute']}/min; Slack ack p50 {result['ack_p50_ms']} ms, p99 {result['ack_p99_ms']} ms",
                  flush=True)
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    asyncio.run(main())
