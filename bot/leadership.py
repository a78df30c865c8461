"""Who runs the scheduler: one process at a time, and another takes over when it dies.

- PostgreSQL: a session advisory lock held on a connection of its own; the server drops it when the process or
  its connection dies, so the lock follows the database every process shares (not a data dir).
- SQLite: an exclusive `flock` on a file in the data dir; the kernel drops it when the process dies.

A process that is not the leader tries again every `retry_s`; a leader that finds its lock gone (its connection
dropped) stops its jobs at once, before another process starts them.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.pool import NullPool

from store.db import LEADER_LOCK_KEY, create_engine, is_sqlite

log = logging.getLogger(__name__)


class LeaderLock(Protocol):
    async def try_acquire(self) -> bool: ...

    async def held(self) -> bool: ...

    async def release(self) -> None: ...


class FileLeaderLock:
    """An exclusive, non-blocking flock: held while this process lives (and keeps the file open)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    async def try_acquire(self) -> bool:
        if self._handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115, ASYNC230 - held open for the life of the lock
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.truncate(0)
        handle.write(str(os.getpid()))  # for people reading the file; the lock is the flock, not this
        handle.flush()
        self._handle = handle
        return True

    async def held(self) -> bool:
        return self._handle is not None

    async def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


class PostgresLeaderLock:
    """pg_try_advisory_lock on a connection kept for the purpose (autocommit: it never sits in a transaction)."""

    def __init__(self, url: str, key: int = LEADER_LOCK_KEY) -> None:
        self.engine = create_engine(url, poolclass=NullPool)
        self.key = key
        self._conn: AsyncConnection | None = None

    async def try_acquire(self) -> bool:
        if self._conn is not None:
            return await self.held()
        conn = await self.engine.connect()
        try:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            got = (await conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({self.key})")).scalar()
        except Exception:
            await conn.close()
            raise
        if not got:
            await conn.close()
            return False
        self._conn = conn
        return True

    async def held(self) -> bool:
        if self._conn is None:
            return False
        try:
            await self._conn.exec_driver_sql("SELECT 1")
            return True
        except Exception:
            # The connection is gone, and the server released the lock with it.
            log.warning("the scheduler's leader lock connection dropped", exc_info=True)
            await self._drop()
            return False

    async def release(self) -> None:
        if self._conn is not None:
            try:
                await self._conn.exec_driver_sql(f"SELECT pg_advisory_unlock({self.key})")
            except Exception:
                log.debug("unlock failed (the connection is gone, and the lock with it)", exc_info=True)
            await self._drop()
        await self.engine.dispose()

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close()
            except Exception:
                log.debug("closing a dropped connection failed", exc_info=True)


def leader_lock(database_url: str, data_dir: Path) -> LeaderLock:
    """The lock every process of one installation contends for: the shared database's, or the data dir's file."""
    if is_sqlite(database_url):
        return FileLeaderLock(data_dir / "scheduler.lock")
    return PostgresLeaderLock(database_url)


class Leadership:
    """Runs `on_elected` when this process becomes the leader and `on_lost` when it stops being one."""

    def __init__(self, lock: LeaderLock, *, on_elected: Callable[[], Awaitable[None]],
                 on_lost: Callable[[], Awaitable[None]], retry_s: float = 15.0) -> None:
        self.lock = lock
        self.on_elected = on_elected
        self.on_lost = on_lost
        self.retry_s = retry_s
        self.leader = False
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> bool:
        """One election now (so a lone process leads from its first second); then a watch in the background."""
        await self._tick()
        self._task = asyncio.create_task(self._watch(), name="leadership")
        return self.leader

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.retry_s)
            try:
                await self._tick()
            except Exception:
                log.exception("leader election failed; trying again in %.0f s", self.retry_s)

    async def _tick(self) -> None:
        if self.leader:
            if not await self.lock.held():
                self.leader = False
                log.warning("this process lost the scheduler's leader lock: its jobs stop")
                await self.on_lost()
            return
        if await self.lock.try_acquire():
            self.leader = True
            log.warning("this process is the scheduler's leader (pid %d)", os.getpid())
            await self.on_elected()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        if self.leader:
            self.leader = False
            await self.on_lost()
        await self.lock.release()
