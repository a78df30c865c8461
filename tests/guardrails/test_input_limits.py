"""Inputs that cannot hurt: over-long instructions are refused at every door, and no word is too long to parse."""

from __future__ import annotations

import os
import random
import string
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from agent.instructions import InstructionTooLong
from agent.parsing import parse_instruction
from agent.parsing.lexicon import fuzzy_key
from agent.turns import Where
from bot.services import open_services
from bot.settings import Settings
from store.models import Conversation


def _cli(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADLY_", "OPENAI_", "META_", "TIKTOK_"))}
    env["ADLY_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=tmp_path, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_a_single_long_word_costs_linear_time() -> None:
    # Fuzzy matching built every deletion of a word: 40k random letters took seconds and 1.5 GB, 160k minutes.
    word = "".join(random.Random(7).choice(string.ascii_letters) for _ in range(160_000))
    started = time.monotonic()
    parse_instruction(word, today=date(2026, 12, 5), default_currency="SAR")
    assert time.monotonic() - started < 2.0  # generous: linear work takes ~0.1 s here
    assert fuzzy_key(word) is None
    assert fuzzy_key("jeddahh") == "jeddah" and fuzzy_key("dhahrn") == "dhahran"  # typos are still found


def test_adly_parse_refuses_a_5mb_instruction_naming_the_limit(tmp_path: Path) -> None:
    done = _cli(tmp_path, "parse", "-", "--json", stdin="TikTok 1000 SAR\n" + "x" * 5_000_000 + "\n")
    assert done.returncode == 2 and done.stdout == ""
    assert "line 2" in done.stderr and "5,000,000" in done.stderr and "ADLY_MAX_INSTRUCTION_CHARS" in done.stderr
    demo = _cli(tmp_path, "demo", "Create TikTok campaign " + "with a very long description " * 100)
    assert demo.returncode == 2 and "the limit is 2,000" in demo.stderr, demo.stderr


async def test_the_driver_refuses_before_creating_anything(settings: Settings) -> None:
    async with open_services(settings) as services:
        workspace = await services.local_workspace("console:you")
        with pytest.raises(InstructionTooLong) as refused:
            await services.driver.start(workspace_id=workspace.id, user="console:you", text="ر" * 2001,
                                        where=Where("console"))
        assert "2,001" in refused.value.text("ar") and "الحد الأقصى" in refused.value.text("ar")
        async with services.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(Conversation)) == 0
        # A reply in the thread is held to the same limit.
        turn = await services.driver.start(workspace_id=workspace.id, user="console:you",
                                           text="Ramadan campaign for women", where=Where("console"))
        assert turn.prompt is not None
        refused_reply = await services.driver.reply(conversation_id=turn.conversation_id, text="1" * 5000,
                                                    actor="console:you")
        assert refused_reply.status == "refused" and "5,000" in (refused_reply.notice or "")
        still = await services.driver.current(turn.conversation_id)
        assert still.prompt is not None and still.prompt.interrupt_id == turn.prompt.interrupt_id
