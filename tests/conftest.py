"""Shared fixtures: a fresh data dir per test, and settings that point everything at it (embedded mode)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pg_cluster  # noqa: E402

# ADLY_TEST_DB=postgres runs the suite on PostgreSQL: every test's settings get a fresh database on a cluster
# started once for the run (the embedded SQLite default otherwise).
ON_POSTGRES = os.environ.get("ADLY_TEST_DB", "sqlite") == "postgres"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    if not pg_cluster.available():
        pytest.skip("PostgreSQL (initdb, pg_ctl) is not installed on this machine")
    with pg_cluster.running_cluster() as url:
        yield url


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Settings:
    # Tests never read a developer's .env or environment: every setting is explicit here.
    monkeypatch.chdir(tmp_path)
    for name in ("OPENAI_API_KEY", "META_APP_ID", "TIKTOK_APP_ID", "SNAPCHAT_CLIENT_ID", "ADLY_APPROVERS",
                 "DATABASE_URL", "ADLY_ENCRYPTION_KEYS", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN",
                 "ADLY_BRAND_LOGO"):
        monkeypatch.delenv(name, raising=False)
    database_url = pg_cluster.create_database(request.getfixturevalue("pg_server")) if ON_POSTGRES else None
    # On PostgreSQL too, a test's jobs run in its own process (drainable); tests/scale runs the durable queue.
    # The sandbox platforms' state stays in the test's own dir on PostgreSQL too (not under ~/.local/state).
    return Settings(_env_file=None, adly_data_dir=tmp_path / "data", database_url=database_url,  # type: ignore[call-arg]
                    adly_work_queue="inprocess", adly_sandbox_dir=tmp_path / "data" / "sandbox")
