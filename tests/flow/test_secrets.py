"""Tokens never leak: not into checkpoints, app tables (only ciphertext), logs, or anything the user sees."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.console import SEED_INSTRUCTION, run_demo
from bot.settings import Settings


def _platform_tokens(sandbox_dir: Path) -> list[str]:
    """Every access and refresh token the sandbox platforms issued (their side of the OAuth exchange)."""
    tokens: list[str] = []
    for path in sandbox_dir.glob("*.sqlite"):
        with sqlite3.connect(path) as db:
            rows = db.execute("SELECT token FROM tokens WHERE kind != 'code'").fetchall()
        tokens.extend(token for (token,) in rows)
    return tokens


async def test_tokens_appear_nowhere_but_encrypted(
    settings: Settings, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert await run_demo(settings, SEED_INSTRUCTION, as_json=True) == 0
    out = capsys.readouterr().out
    tokens = _platform_tokens(settings.sandbox_dir)
    assert len(tokens) >= 2, "the demo connected Meta and TikTok, so their tokens exist"

    checkpoints = settings.checkpoint_path.read_bytes()
    app_db = (settings.data_dir / "adly.sqlite").read_bytes()
    wal = settings.data_dir / "adly.sqlite-wal"
    app_db += wal.read_bytes() if wal.exists() else b""
    logs = caplog.text
    summary = json.loads(out.strip().splitlines()[-1])
    for token in tokens:
        assert token.encode() not in checkpoints, "a token reached the graph's checkpoints"
        assert token.encode() not in app_db, "a token is stored in plaintext"
        assert token not in logs, "a token was logged"
        assert token not in out, "a token was printed"
        assert token not in json.dumps(summary)

    with sqlite3.connect(settings.data_dir / "adly.sqlite") as db:
        stored = db.execute("SELECT access_token_enc FROM ad_accounts").fetchall()
    assert stored and all(value.startswith("v1.") for (value,) in stored), "tokens are stored as ciphertext"
