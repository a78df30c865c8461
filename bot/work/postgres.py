"""The durable work queue on PostgreSQL, through procrastinate: jobs as rows, workers with heartbeats.

Why procrastinate: it keeps the queue in the PostgreSQL we already run (no broker to operate), is asyncio-native
(our handlers are coroutines sharing the engine and checkpointer of the process), wakes workers with LISTEN/NOTIFY
instead of polling hard, has per-job `lock`s (one job at a time per conversation) and `queueing_lock`s (one waiting
scheduler tick per job), and its workers write heartbeats, so a dead worker's jobs can be found and run again.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

from bot.work.queue import UnknownJob, WorkQueue

log = logging.getLogger(__name__)

QUEUE = "adly"
SCHEMA_LOCK_KEY = int.from_bytes(b"ADLYQUEU", "big") & 0x7FFF_FFFF_FFFF_FFFF
# Procrastinate's own ordering: a worker writes a heartbeat every interval; one silent for STALLED_AFTER heartbeats
# is dead, and its jobs go back to the queue.
STALLED_AFTER = 3


async def ensure_schema(conninfo: str) -> None:
    """Procrastinate's tables, created once: the first process to start creates them while the others wait."""
    import psycopg
    from procrastinate.schema import SchemaManager

    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
        await conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_KEY,))
        try:
            row = await (await conn.execute("SELECT to_regclass('procrastinate_jobs')")).fetchone()
            if row is None or row[0] is None:
                await conn.execute(SchemaManager.get_schema().encode())
                log.info("work queue: procrastinate schema created")
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))


class PostgresQueue(WorkQueue):
    """Deferring writes a row; `work()` runs a worker in this process until cancelled."""

    def __init__(self, conninfo: str, *, heartbeat_s: float = 10.0, pool_max: int = 10) -> None:
        super().__init__()
        import procrastinate
        from procrastinate.psycopg_connector import PsycopgConnector

        self.conninfo = conninfo
        self.heartbeat_s = heartbeat_s
        self.app = procrastinate.App(connector=PsycopgConnector(conninfo=conninfo, min_size=1, max_size=pool_max))
        self._opened = False

    async def open(self) -> None:
        await ensure_schema(self.conninfo)
        await self.app.open_async()
        self._opened = True

    async def close(self) -> None:
        if self._opened:
            await self.app.close_async()
            self._opened = False

    def register(self, name: str, handler: Any, *, on_error: Any = None) -> None:
        known = name in self.handlers
        super().register(name, handler, on_error=on_error)
        if known:
            return  # the task looks its handler up when it runs: replacing the handler is enough

        async def task(context: Any, payload: dict[str, Any]) -> None:
            # The job's attempts count its earlier runs: more than none means a worker died running it.
            await self.run(name, payload, attempt=int(context.job.attempts or 0))

        self.app.task(name=name, queue=QUEUE, pass_context=True)(task)

    async def defer(self, name: str, payload: dict[str, Any], *, lock: str | None = None,
                    single: bool = False) -> bool:
        from procrastinate.exceptions import AlreadyEnqueued

        if name not in self.handlers:
            raise UnknownJob(name)
        deferrer = self.app.configure_task(name, lock=lock, queueing_lock=f"single:{name}" if single else None)
        try:
            await deferrer.defer_async(payload=payload)
        except AlreadyEnqueued:
            return False
        return True

    async def work(self, *, concurrency: int, name: str | None = None) -> None:
        """Run jobs until cancelled, and put the jobs of dead workers back in the queue meanwhile."""
        sweeper = asyncio.create_task(self._sweep_stalled(), name="work-sweep")
        try:
            await self.app.run_worker_async(
                queues=[QUEUE], concurrency=concurrency, name=name or f"{socket.gethostname()}:{id(self):x}",
                wait=True, install_signal_handlers=False, update_heartbeat_interval=self.heartbeat_s,
                stalled_worker_timeout=self.heartbeat_s * STALLED_AFTER, fetch_job_polling_interval=2.0,
                delete_jobs="successful",
            )
        finally:
            sweeper.cancel()

    async def _sweep_stalled(self) -> None:
        """Every few heartbeats: jobs whose worker stopped beating are queued again (any live worker may do it;
        a job already put back is simply not found twice)."""
        while True:
            await asyncio.sleep(self.heartbeat_s)
            try:
                stalled = await self.app.job_manager.get_stalled_jobs(
                    queue=QUEUE, seconds_since_heartbeat=self.heartbeat_s * STALLED_AFTER)
                for job in stalled:
                    try:
                        await self.app.job_manager.retry_job(job)
                        log.warning("job %s (%s) was running on a worker that died: queued again", job.id,
                                    job.task_name)
                    except Exception:
                        log.info("job %s was queued again by another worker", job.id)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("sweeping stalled jobs failed; trying again in %.0f s", self.heartbeat_s)
