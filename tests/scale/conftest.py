"""Fixtures of the many-processes tests: one throwaway PostgreSQL cluster per run, a fresh database per test."""

from __future__ import annotations

import pg_cluster
import pytest

from bot.settings import Settings


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A new, empty PostgreSQL database (SQLAlchemy URL)."""
    return pg_cluster.create_database(pg_server)


@pytest.fixture
def pg_settings(settings: Settings, pg_url: str) -> Settings:
    return settings.model_copy(update={"database_url": pg_url, "adly_scheduler_enabled": False})
