"""Where LangGraph keeps its checkpoints: beside the app tables in PostgreSQL, or in their own SQLite file.

With a PostgreSQL database every process of a team sees every conversation (one started on host A answers on host
B); the embedded default keeps checkpoints in `.adly/checkpoints.sqlite`, apart from the app tables' writers.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from typing import Any

from sqlalchemy.engine import make_url

from bot.settings import Settings
from store.db import is_sqlite

# A pool per process: the saver takes a connection per call, so concurrent conversations never queue on one.
POOL_MAX = 20


def checkpoint_url(settings: Settings) -> str:
    """CHECKPOINT_URL, else the app database when it is PostgreSQL, else the SQLite file in the data dir."""
    if settings.checkpoint_url:
        return settings.checkpoint_url
    if not is_sqlite(settings.app_database_url):
        return settings.app_database_url
    return f"sqlite:///{settings.checkpoint_path}"


def libpq_url(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL (postgresql+asyncpg://...) as libpq spells it, for psycopg."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


async def open_checkpointer(settings: Settings, stack: AsyncExitStack) -> Any:
    """The checkpointer, closed with `stack`; its tables are created (or migrated) on first use."""
    url = checkpoint_url(settings)
    if is_sqlite(url):
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

        path = make_url(url).database or str(settings.checkpoint_path)
        return await stack.enter_async_context(AsyncSqliteSaver.from_conn_string(path))
    try:
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import AsyncConnectionPool
    except ImportError as exc:  # pragma: no cover - the message is the point
        raise RuntimeError("A PostgreSQL DATABASE_URL needs the postgres extra: pip install -e '.[postgres]'") from exc

    pool = AsyncConnectionPool(libpq_url(url), min_size=1, max_size=POOL_MAX, open=False,
                               kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row})
    await pool.open(wait=True)
    stack.push_async_callback(pool.close)
    saver = AsyncPostgresSaver(pool)  # type: ignore[arg-type]
    async with pool.connection() as conn:
        # Every process runs setup at start; the lock makes the first one create the tables while the rest wait.
        # The others poll instead of blocking: setup builds indexes CONCURRENTLY, which waits for every running
        # statement to end, a blocked lock request included (the two would wait for each other for ever).
        while not await _try_lock(conn, CHECKPOINT_LOCK_KEY):  # noqa: ASYNC110 - another process holds it
            await asyncio.sleep(0.1)
        try:
            await saver.setup()
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (CHECKPOINT_LOCK_KEY,))
    return saver


async def _try_lock(conn: Any, key: int) -> bool:
    row: Any = await (await conn.execute("SELECT pg_try_advisory_lock(%s) AS got", (key,))).fetchone()
    return bool(row and row["got"])


CHECKPOINT_LOCK_KEY = int.from_bytes(b"ADLYCKPT", "big") & 0x7FFF_FFFF_FFFF_FFFF
