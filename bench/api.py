"""Throughput and p99 of authenticated HTTP API calls on one process, and what the key check costs per request.

`adly serve --http` runs in its own process on loopback (a fresh data dir, a workspace and an API key made with
the CLI, rate limits raised so they do not shape the numbers). The client sends, with C requests in flight:
- POST /campaigns/parse with the seed sentence (parsing runs in a worker thread), and
- GET /campaigns/{id} of a campaign waiting for its ad accounts (a graph state read and the store's reads).
Then, in this process, against the same SQLite store: the key check a request pays (bot/api/keys.KeyChecker:
a SHA-256 and a constant-time compare, the key re-read at most once a second), and the re-read alone.

    .venv/bin/python bench/api.py [--seconds 5] [--concurrency 1 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = "Create Instagram and TikTok campaign for Ramadan sale with 1000 SAR budget targeting women 25-40 in Riyadh"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _adly(env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    return done.stdout.strip().splitlines()[-1]


def _serve(home: Path, env: dict[str, str], port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
    """`adly serve --http` in its own process (Popen returns at once)."""
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--http", "--port", str(port)], cwd=home,
                            env=env, stdout=log, stderr=subprocess.STDOUT)


async def _load(base: str, key: str, method: str, path: str, body: dict[str, object] | None, seconds: float,
                concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30,
                                 limits=httpx.Limits(max_connections=concurrency)) as http:
        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < deadline:
                started = time.perf_counter()
                response = await http.request(method, path, json=body)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors += 1

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.monotonic() - started
    latencies.sort()
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "errors": errors,
            "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]}


async def _key_check_cost(data_dir: Path, secret: str, rounds: int = 3000) -> dict[str, float]:
    from bot.api.keys import KeyChecker
    from store import api_keys
    from store.db import create_engine, create_session_factory

    engine = create_engine(f"sqlite+aiosqlite:///{data_dir / 'adly.sqlite'}")
    reads = create_session_factory(engine, read_only=True)
    try:
        async with reads() as session:
            assert await api_keys.authenticate(session=session, secret=secret) is not None
        started = time.perf_counter()
        for _ in range(rounds):
            async with reads() as session:
                await api_keys.authenticate(session=session, secret=secret)
        with_read = (time.perf_counter() - started) / rounds
        # What a request pays: the checker re-reads the key at most once a second (ADLY_API_KEY_CACHE_S).
        checker = KeyChecker(reads, create_session_factory(engine), ttl_s=1.0)
        checks, started = 0, time.perf_counter()
        while time.perf_counter() - started < 3.0:
            assert await checker.check(secret) is not None
            checks += 1
        per_request = (time.perf_counter() - started) / checks
    finally:
        await engine.dispose()
    import hashlib
    import hmac

    stored = hashlib.sha256(secret.encode()).hexdigest()
    started = time.perf_counter()
    for _ in range(rounds * 10):
        hmac.compare_digest(hashlib.sha256(secret.encode()).hexdigest(), stored)
    hash_only = (time.perf_counter() - started) / (rounds * 10)
    return {"key_check_ms": per_request * 1000, "key_read_ms": with_read * 1000, "hash_compare_us": hash_only * 1e6}


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="adly-bench-api-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADLY_", "DATABASE_", "SLACK_", "OPENAI_"))}
    env.update({"ADLY_DATA_DIR": str(home / "data"), "ADLY_SCHEDULER_ENABLED": "false",
                "ADLY_API_RATE_PARSE": "1000000/minute", "ADLY_API_RATE_PARSE_WORKSPACE": "1000000/minute",
                "ADLY_API_RATE_GENERATE": "1000/minute", "ADLY_API_RATE_GENERATE_WORKSPACE": "1000/minute"})
    workspace = json.loads(_adly(env, home, "workspaces", "create", "--name", "Bench", "--json"))["id"]
    key = _adly(env, home, "api-keys", "create", "--workspace", workspace, "--user", "UBENCH", "--scopes", "admin")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (home / "serve.log").open("wb")
    server = _serve(home, env, port, log)
    report: dict[str, object] = {}
    try:
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as http:
            for _ in range(300):
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
            job = (await http.post(f"/workspaces/{workspace}/campaigns", json={"instruction": SEED})).json()
            for _ in range(600):
                state = (await http.get(job["status_url"])).json()
                if state["status"] in ("succeeded", "failed"):
                    break
                await asyncio.sleep(0.1)
            campaign = state["result"]["id"]
        for concurrency in args.concurrency:
            parse = await _load(base, key, "POST", f"/workspaces/{workspace}/campaigns/parse", {"text": SEED},
                                args.seconds, concurrency)
            read = await _load(base, key, "GET", f"/workspaces/{workspace}/campaigns/{campaign}", None,
                               args.seconds, concurrency)
            report[f"c{concurrency}"] = {"parse": parse, "campaign_read": read}
            for name, row in (("parse", parse), ("campaign read", read)):
                print(f"C={concurrency:<3} {name:14s} {row['rps']:7.1f} req/s  p50 {row['p50_ms']:6.1f} ms  "
                      f"p99 {row['p99_ms']:6.1f} ms  ({row['requests']:.0f} requests, {row['errors']:.0f} not 200)")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    cost = await _key_check_cost(home / "data", key)
    report["key_check"] = cost
    print(f"key check: {cost['key_check_ms'] * 1000:.1f} µs per request (goal < 1 ms): hash and constant-time "
          f"compare {cost['hash_compare_us']:.1f} µs, plus a re-read of the key ({cost['key_read_ms']:.2f} ms: "
          "session, primary-key read) at most once a second")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
