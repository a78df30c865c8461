"""Saga fixtures: the real flow runs once to the preview; each test publishes from its own copy of that state."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from saga_helpers import ALL_THREE, Template, build_template

from bot.settings import Settings

# Tests never read a developer's environment: these would switch real services on.
_ENV = ("OPENAI_API_KEY", "META_APP_ID", "TIKTOK_APP_ID", "SNAPCHAT_CLIENT_ID", "ADLY_APPROVERS",
        "DATABASE_URL", "ADLY_ENCRYPTION_KEYS", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")


@pytest.fixture(scope="session")
def all_three_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    root = tmp_path_factory.mktemp("saga-template")
    data_dir = root / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        for name in _ENV:
            mp.delenv(name, raising=False)
        conversation_id = asyncio.run(build_template(data_dir, ALL_THREE))
    return Template(data_dir=data_dir, conversation_id=conversation_id)


@pytest.fixture
def cloned(all_three_template: Template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A fresh copy of the data dir (database, checkpoints, sandbox state, assets, keys) at the preview."""
    monkeypatch.chdir(tmp_path)
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    return all_three_template.clone(tmp_path)
