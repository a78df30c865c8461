"""`adly worker` and `adly serve --workers N`: processes that run queued jobs from PostgreSQL, off the ack path."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys

from bot.settings import Settings
from bot.work.postgres import PostgresQueue

log = logging.getLogger(__name__)

RESTART_DELAY_S = 1.0


def needs_postgres_message() -> str:
    return ("adly worker runs jobs from a PostgreSQL queue: set DATABASE_URL=postgresql+asyncpg://... "
            "(pip install -e '.[postgres]'). On the embedded SQLite default, `adly serve` runs the jobs itself.")


async def run_worker(settings: Settings, *, concurrency: int | None = None) -> int:
    """Run jobs until SIGTERM or SIGINT; a job running then finishes first (or is run again by another worker)."""
    from bot.services import open_services
    from bot.slack.app import build_slack
    from bot.work.catalogue import register_jobs

    if not settings.queue_in_postgres:
        print(needs_postgres_message(), file=sys.stderr)
        return 2
    async with open_services(settings) as services:
        slack = build_slack(services)
        register_jobs(services, slack)
        queue = services.queue
        assert isinstance(queue, PostgresQueue)
        work = asyncio.create_task(queue.work(concurrency=concurrency or settings.adly_worker_concurrency,
                                              name=f"worker-{os.getpid()}"))
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, work.cancel)
        log.warning("worker %d: running jobs (concurrency %d)", os.getpid(),
                    concurrency or settings.adly_worker_concurrency)
        with contextlib.suppress(asyncio.CancelledError):
            await work
        await services.background.drain()
    return 0


class WorkerProcesses:
    """`adly serve --workers N`: N `adly worker` children, each started again when it dies, stopped with serve."""

    def __init__(self, count: int, *, verbose: bool = False) -> None:
        self.count = count
        self.argv = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]
        if verbose:
            self.argv.append("--verbose")
        self.argv.append("worker")
        self._watchers: list[asyncio.Task[None]] = []
        self._children: dict[int, asyncio.subprocess.Process] = {}
        self._stopping = False

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self._children.values() if p.returncode is None]

    async def start(self) -> None:
        for slot in range(self.count):
            self._watchers.append(asyncio.create_task(self._keep(slot), name=f"worker-slot-{slot}"))

    async def _keep(self, slot: int) -> None:
        while not self._stopping:
            process = await asyncio.create_subprocess_exec(*self.argv, env=os.environ.copy())
            self._children[slot] = process
            code = await process.wait()
            if self._stopping:
                return
            # Its jobs go back to the queue once its heartbeat is missed; a new worker takes its place meanwhile.
            log.warning("worker %d exited with %s: starting another", process.pid, code)
            await asyncio.sleep(RESTART_DELAY_S)

    async def stop(self, timeout_s: float = 20.0) -> None:
        self._stopping = True
        for process in self._children.values():
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in self._children.values():
            try:
                await asyncio.wait_for(process.wait(), timeout_s)
            except TimeoutError:
                process.kill()
                await process.wait()
        for watcher in self._watchers:
            watcher.cancel()
