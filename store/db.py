"""Async engine and session factory from a URL, SQLite pragmas, and the Alembic migration runner.

SQLite transactions: every transaction on a SQLite engine starts with ``BEGIN IMMEDIATE``.
A deferred transaction that reads and later writes can fail with SQLITE_BUSY at the moment it
upgrades its lock, and busy_timeout does not help there; taking the write lock up front turns
that failure into a short wait. The cost is that transactions serialise, so keep sessions short
(never hold one open across an HTTP call or an LLM call). Pure readers that want to run beside a
writer can use ``create_session_factory(engine, read_only=True)``, whose transactions begin
DEFERRED (WAL lets them read while someone writes); they must not write.

PostgreSQL URLs get none of this and pass straight to SQLAlchemy; their migrations run under an advisory lock.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Execution option read by the BEGIN listener; set on an engine or connection to pick the mode.
BEGIN_MODE_OPTION = "adly_sqlite_begin"
_BEGIN_MODES = {"IMMEDIATE", "DEFERRED", "EXCLUSIVE"}

BUSY_TIMEOUT_MS = 10_000

# PostgreSQL advisory lock keys (64-bit), one per purpose: "ADLYMIGR" and "ADLYLEAD" as ASCII.
MIGRATION_LOCK_KEY = int.from_bytes(b"ADLYMIGR", "big") & 0x7FFF_FFFF_FFFF_FFFF
LEADER_LOCK_KEY = int.from_bytes(b"ADLYLEAD", "big") & 0x7FFF_FFFF_FFFF_FFFF


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_file(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _json_default(value: Any) -> Any:
    # Decimal as a string keeps money exact; dates as ISO text. Anything else is a caller bug.
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_dumps(value: Any) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False)


def create_engine(url: str, *, foreign_keys: bool = True, **kwargs: Any) -> AsyncEngine:
    """Build the async engine; SQLite gets its directory, pragmas and BEGIN IMMEDIATE."""
    parsed = make_url(url)
    kwargs.setdefault("json_serializer", json_dumps)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_async_engine(url, **kwargs)

    path = _sqlite_file(parsed)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, **kwargs)
    _install_sqlite_hooks(engine, foreign_keys=foreign_keys)
    return engine


def _install_sqlite_hooks(engine: AsyncEngine, *, foreign_keys: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN away from the driver so _on_begin decides how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            # busy_timeout first, so switching to WAL waits for a lock instead of failing.
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = str(conn.get_execution_options().get(BEGIN_MODE_OPTION, "IMMEDIATE")).upper()
        if mode not in _BEGIN_MODES:
            raise ValueError(f"unknown SQLite begin mode {mode!r}")
        conn.exec_driver_sql(f"BEGIN {mode}")


def create_session_factory(engine: AsyncEngine, *, read_only: bool = False) -> async_sessionmaker[AsyncSession]:
    """Sessions with expire_on_commit=False; read_only sessions begin DEFERRED on SQLite."""
    bind = engine.execution_options(**{BEGIN_MODE_OPTION: "DEFERRED"}) if read_only else engine
    return async_sessionmaker(bind, expire_on_commit=False)


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config built in code, so migrations run from an installed package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # ConfigParser treats % as interpolation; URL-encoded passwords contain it.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade_database(url: str, revision: str = "head") -> None:
    """Migrate the database at url to revision; safe on every start and on a missing file."""
    # Foreign keys off while migrating: SQLite batch migrations rebuild tables, and a rebuild
    # with enforcement on would cascade deletes. The check below catches any real breakage.
    engine = create_engine(url, foreign_keys=False, poolclass=NullPool)
    config = alembic_config(url)
    try:
        async with engine.begin() as conn:
            if not is_sqlite(url):
                # Any number of processes may start at once on an empty database: one migrates, the others wait
                # for it and then find nothing to do (the lock ends with the transaction).
                await conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
            await conn.run_sync(_run_upgrade, config, revision)
            if is_sqlite(url):
                broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).fetchall()
                if broken:
                    raise RuntimeError(f"foreign key violations after migration: {broken[:5]}")
    finally:
        await engine.dispose()


def _run_upgrade(connection: Connection, config: Config, revision: str) -> None:
    # env.py uses this connection (and its open transaction) instead of making its own engine.
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
