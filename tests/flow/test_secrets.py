"""Tokens never leak: not into checkpoints, app tables (only ciphertext), logs, or anything the user sees."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.checkpoints import libpq_url
from bot.console import SEED_INSTRUCTION, run_demo
from bot.settings import Settings
from store.db import create_engine, is_sqlite


def _platform_tokens(sandbox_dir: Path) -> list[str]:
    """Every access and refresh token the sandbox platforms issued (their side of the OAuth exchange)."""
    tokens: list[str] = []
    for path in sandbox_dir.glob("*.sqlite"):
        with sqlite3.connect(path) as db:
            rows = db.execute("SELECT token FROM tokens WHERE kind != 'code'").fetchall()
        tokens.extend(token for (token,) in rows)
    return tokens


def _stored(settings: Settings) -> tuple[bytes, bytes]:
    """Every byte the checkpoints and the app tables hold: their SQLite files, or a dump of the PostgreSQL database."""
    if not is_sqlite(settings.app_database_url):
        dumped = subprocess.run(["pg_dump", "--data-only", libpq_url(settings.app_database_url)],
                                capture_output=True, check=True).stdout
        return dumped, dumped
    app_db = (settings.data_dir / "adly.sqlite").read_bytes()
    wal = settings.data_dir / "adly.sqlite-wal"
    app_db += wal.read_bytes() if wal.exists() else b""
    return settings.checkpoint_path.read_bytes(), app_db


async def test_tokens_appear_nowhere_but_encrypted(
    settings: Settings, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert await run_demo(settings, SEED_INSTRUCTION, as_json=True) == 0
    out = capsys.readouterr().out
    tokens = _platform_tokens(settings.sandbox_dir)
    assert len(tokens) >= 2, "the demo connected Meta and TikTok, so their tokens exist"

    checkpoints, app_db = _stored(settings)
    logs = caplog.text
    summary = json.loads(out.strip().splitlines()[-1])
    for token in tokens:
        assert token.encode() not in checkpoints, "a token reached the graph's checkpoints"
        assert token.encode() not in app_db, "a token is stored in plaintext"
        assert token not in logs, "a token was logged"
        assert token not in out, "a token was printed"
        assert token not in json.dumps(summary)

    engine = create_engine(settings.app_database_url)
    async with engine.connect() as conn:
        stored = (await conn.execute(text("SELECT access_token_enc FROM ad_accounts"))).all()
    await engine.dispose()
    assert stored and all(value.startswith("v1.") for (value,) in stored), "tokens are stored as ciphertext"
