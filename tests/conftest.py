"""Shared fixtures: a fresh data dir per test, and settings that point everything at it (embedded mode)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    # Tests never read a developer's .env or environment: every setting is explicit here.
    monkeypatch.chdir(tmp_path)
    for name in ("OPENAI_API_KEY", "META_APP_ID", "TIKTOK_APP_ID", "SNAPCHAT_CLIENT_ID", "ADLY_APPROVERS",
                 "DATABASE_URL", "ADLY_ENCRYPTION_KEYS", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN",
                 "ADLY_BRAND_LOGO"):
        monkeypatch.delenv(name, raising=False)
    return Settings(_env_file=None, adly_data_dir=tmp_path / "data")  # type: ignore[call-arg]
