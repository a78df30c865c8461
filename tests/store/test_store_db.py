"""Engine, pragmas, migrations and column types of the store."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from store import repositories as repo
from store.db import alembic_config, create_engine, create_session_factory, is_sqlite, upgrade_database
from store.models import Base, OAuthState


def _url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'dir' / 'app.db'}"


@pytest.fixture
async def engine(tmp_path: Path):
    url = _url(tmp_path)
    await upgrade_database(url)
    engine = create_engine(url)
    yield engine
    await engine.dispose()


async def test_upgrade_creates_file_and_is_idempotent(tmp_path: Path) -> None:
    url = _url(tmp_path)
    await upgrade_database(url)
    await upgrade_database(url)
    assert (tmp_path / "nested" / "dir" / "app.db").exists()
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert versions == [ScriptDirectory.from_config(alembic_config()).get_current_head()]
        assert set(Base.metadata.tables) <= tables
    finally:
        await engine.dispose()


async def test_concurrent_upgrades_do_not_collide(tmp_path: Path) -> None:
    url = _url(tmp_path)
    await asyncio.gather(upgrade_database(url), upgrade_database(url))
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM alembic_version"))).scalar() == 1
    finally:
        await engine.dispose()


async def test_pragmas(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
        assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
        assert (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar() == 10000
        assert (await conn.exec_driver_sql("PRAGMA synchronous")).scalar() == 1  # NORMAL


async def test_migrated_schema_matches_models(engine: AsyncEngine) -> None:
    def diff(sync_conn):
        context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as conn:
        diffs = await conn.run_sync(diff)
    assert diffs == []


async def test_write_transactions_take_the_lock_at_begin(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    async with factory() as first:
        await first.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: the write lock is ours already
        async with engine.connect() as other:
            # Shorten the wait on the raw driver connection, so this does not begin a transaction.
            await other.run_sync(lambda c: c.connection.dbapi_connection.cursor().execute("PRAGMA busy_timeout=50"))
            with pytest.raises(Exception, match="locked"):
                await other.execute(text("SELECT 1"))


async def test_read_only_sessions_run_beside_a_writer(engine: AsyncEngine) -> None:
    writer = create_session_factory(engine)
    reader = create_session_factory(engine, read_only=True)
    async with reader() as r:
        await r.execute(text("SELECT count(*) FROM workspaces"))
        async with writer() as w:
            await repo.get_or_create_workspace(session=w, name="acme")
            await w.commit()
        await r.commit()


async def test_money_and_datetimes_round_trip(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    async with factory() as session:
        ws = await repo.get_or_create_workspace(session=session, name="acme")
        ws_id = ws.id
        await repo.update_workspace(session=session, workspace_id=ws_id, self_approval_limit=Decimal("1000.125"))
        await session.commit()
    async with factory() as session:
        ws2 = await repo.get_workspace(session=session, workspace_id=ws_id)
        assert ws2 is not None
        assert ws2.self_approval_limit == Decimal("1000.125")
        assert isinstance(ws2.self_approval_limit, Decimal)
        assert ws2.created_at.tzinfo is not None and ws2.created_at.utcoffset() == timedelta(0)
        with pytest.raises(Exception, match="float"):
            await repo.update_workspace(session=session, workspace_id=ws_id, self_approval_limit=1.5)
        await session.rollback()


async def test_naive_datetimes_are_refused_and_offsets_normalised(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    async with factory() as session:
        ws = await repo.get_or_create_workspace(session=session, name="acme")
        riyadh = timezone(timedelta(hours=3))
        state = await repo.create_oauth_state(
            session=session, workspace_id=ws.id, conversation_id=None, platform="meta", redirect_uri="http://x"
        )
        state.expires_at = datetime(2030, 1, 1, 15, 0, tzinfo=riyadh)
        await session.commit()
        state_id = state.id
    async with factory() as session:
        fresh = await session.get(OAuthState, state_id)
        assert fresh is not None
        assert fresh.expires_at == datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
        fresh.expires_at = datetime(2030, 1, 1)
        with pytest.raises(Exception, match="naive"):
            await session.flush()


def test_postgres_urls_are_not_sqlite() -> None:
    assert not is_sqlite("postgresql+asyncpg://u:p@localhost/adly")
    assert is_sqlite("sqlite+aiosqlite:///x.db")
