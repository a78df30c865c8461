"""The scheduler runs in one process at a time, and another takes over when that one dies (or loses its lock)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.leadership import FileLeaderLock, LeaderLock, Leadership, PostgresLeaderLock
from store.db import create_engine

HOLDER = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    from bot.leadership import FileLeaderLock, PostgresLeaderLock

    async def main():
        lock = PostgresLeaderLock(sys.argv[2]) if sys.argv[1] == "pg" else FileLeaderLock(Path(sys.argv[2]))
        assert await lock.try_acquire()
        print("leading", flush=True)
        await asyncio.sleep(600)

    asyncio.run(main())
""")


class Events:
    def __init__(self) -> None:
        self.seen: list[str] = []

    async def elected(self) -> None:
        self.seen.append("elected")

    async def lost(self) -> None:
        self.seen.append("lost")


async def _until(check: object, limit_s: float = 20.0) -> None:
    for _ in range(int(limit_s / 0.05)):
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


@pytest.mark.parametrize("kind", ["pg", "file"])
async def test_the_next_process_takes_over_when_the_leader_is_killed(kind: str, request: pytest.FixtureRequest,
                                                                    tmp_path: Path) -> None:
    where = request.getfixturevalue("pg_url") if kind == "pg" else str(tmp_path / "scheduler.lock")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADLY_")}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, kind, where], env=env, cwd=tmp_path,  # noqa: ASYNC220
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "leading", holder.stderr
        lock: LeaderLock = PostgresLeaderLock(where) if kind == "pg" else FileLeaderLock(Path(where))
        events = Events()
        follower = Leadership(lock, on_elected=events.elected, on_lost=events.lost, retry_s=0.1)
        assert await follower.start() is False
        await asyncio.sleep(0.5)
        assert events.seen == []  # the leader lives: nobody else runs the jobs

        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        await _until(lambda: events.seen == ["elected"])
        await follower.stop()
        assert events.seen == ["elected", "lost"]
    finally:
        if holder.poll() is None:
            holder.kill()


async def test_a_leader_whose_connection_drops_stops_its_jobs_and_another_takes_over(pg_url: str) -> None:
    first_events, second_events = Events(), Events()
    first = Leadership(PostgresLeaderLock(pg_url), on_elected=first_events.elected, on_lost=first_events.lost,
                       retry_s=0.1)
    second = Leadership(PostgresLeaderLock(pg_url), on_elected=second_events.elected, on_lost=second_events.lost,
                        retry_s=0.1)
    assert await first.start() is True
    assert await second.start() is False
    # The database ends the leader's session (a failover, a network cut): its lock goes with it.
    admin = create_engine(pg_url)
    async with admin.begin() as conn:
        await conn.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted"))
    await admin.dispose()
    await _until(lambda: first_events.seen == ["elected", "lost"] and second_events.seen == ["elected"])
    await first.stop()
    await second.stop()
    assert second_events.seen == ["elected", "lost"]
