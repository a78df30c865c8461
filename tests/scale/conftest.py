"""Fixtures of the many-processes tests: one throwaway PostgreSQL cluster per run, a fresh database per test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pg_cluster  # noqa: E402

from bot.settings import Settings  # noqa: E402


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    if not pg_cluster.available():
        pytest.skip("PostgreSQL (initdb, pg_ctl) is not installed on this machine")
    with pg_cluster.running_cluster() as url:
        yield url


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A new, empty PostgreSQL database (SQLAlchemy URL)."""
    return pg_cluster.create_database(pg_server)


@pytest.fixture
def pg_settings(settings: Settings, pg_url: str) -> Settings:
    return settings.model_copy(update={"database_url": pg_url, "adly_scheduler_enabled": False})
