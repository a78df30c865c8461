"""The PostgreSQL work queue (bot/work/postgres.py) on a real PostgreSQL: jobs deferred by one queue run on another
queue's worker, a scheduler tick waits once, a failing job is reported, and any number of processes may create
the queue's schema at once."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.checkpoints import libpq_url
from bot.work.postgres import PostgresQueue, ensure_schema
from bot.work.queue import JobRun, UnknownJob


async def test_jobs_deferred_anywhere_run_on_a_worker_and_failures_are_reported(pg_url: str) -> None:
    conninfo = libpq_url(pg_url)
    await asyncio.gather(*(ensure_schema(conninfo) for _ in range(4)))  # four processes starting at once
    web, worker = PostgresQueue(conninfo, heartbeat_s=0.5), PostgresQueue(conninfo, heartbeat_s=0.5)
    ran: list[tuple[str, Any, int]] = []
    reported: list[tuple[dict[str, Any], str]] = []

    async def echo(payload: dict[str, Any], run: JobRun) -> None:
        ran.append((run.name, payload["n"], run.attempt))

    async def report_nothing(payload: dict[str, Any], run: JobRun) -> None:
        raise AssertionError("replaced by a later registration")

    async def broken(payload: dict[str, Any], run: JobRun) -> None:
        raise RuntimeError("boom")

    async def report(payload: dict[str, Any], exc: BaseException, reference: str) -> None:
        reported.append((payload, reference))

    for queue in (web, worker):
        await queue.open()
        queue.register("t.echo", report_nothing)
        queue.register("t.echo", echo)  # registered again (a door built twice): the newer handler runs
        queue.register("t.broken", broken, on_error=report)
    try:
        try:
            await web.defer("t.unknown", {})
        except UnknownJob:
            pass
        else:
            raise AssertionError("an unknown job was queued")
        for n in range(5):
            assert await web.defer("t.echo", {"n": n}, lock="thread-1")
        # A scheduler tick whose last run still waits is not queued twice.
        assert await web.defer("t.echo", {"n": "tick"}, single=True)
        assert not await web.defer("t.echo", {"n": "tick"}, single=True)
        await web.defer("t.broken", {"n": "x", "where": {"channel": "C1"}})
        running = asyncio.create_task(worker.work(concurrency=4))
        deadline = asyncio.get_running_loop().time() + 30
        while len(ran) < 6 or not reported:
            assert asyncio.get_running_loop().time() < deadline, (ran, reported)
            await asyncio.sleep(0.05)
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        # Jobs sharing a lock ran one at a time, in the order they were deferred.
        assert [n for name, n, _ in ran if n != "tick"] == [0, 1, 2, 3, 4]
        assert [n for _, n, _ in ran].count("tick") == 1
        assert all(attempt == 0 for _, _, attempt in ran)
        assert reported[0][0]["where"] == {"channel": "C1"} and len(reported[0][1]) == 8
        # Once a tick ran, the next one is queued again.
        assert await web.defer("t.echo", {"n": "tick"}, single=True)
    finally:
        await web.close()
        await worker.close()
