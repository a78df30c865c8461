"""PostgreSQL first-class: every table and every checkpoint there; any number of processes start on it at once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

from sqlalchemy import text

from agent.turns import Where
from bot.console import SEED_INSTRUCTION, connect_in_sandbox
from bot.services import open_services
from bot.settings import Settings

START = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    from bot.services import open_services
    from bot.settings import Settings

    async def main():
        settings = Settings(_env_file=None, adly_data_dir=Path(sys.argv[1]), database_url=sys.argv[2],
                            adly_scheduler_enabled=False)
        async with open_services(settings) as services:
            workspace = await services.local_workspace("console:" + sys.argv[3])
            print("ok", workspace.id, flush=True)

    asyncio.run(main())
""")


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("ADLY_", "DATABASE_URL", "META_", "TIKTOK_",
                                                                       "SNAPCHAT_", "SLACK_", "OPENAI_"))}


def test_four_processes_start_at_once_on_an_empty_database(pg_url: str, tmp_path: Path) -> None:
    env = {**_env(), "XDG_STATE_HOME": str(tmp_path / "state")}
    procs = [subprocess.Popen([sys.executable, "-c", START, str(tmp_path / f"data{n}"), pg_url, str(n)],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n in range(4)]
    outcomes = [p.communicate(timeout=180) for p in procs]
    for proc, (out, err) in zip(procs, outcomes, strict=True):
        assert proc.returncode == 0 and out.startswith("ok"), err[-3000:]
    # No SQLite file in any data dir: the app and LangGraph are in PostgreSQL. The in-process sandbox platforms (the
    # outside world, not ADLY's memory) keep their state outside the data dir, one place for the installation's
    # processes on this host, as real platforms are shared.
    in_data_dirs = [p for n in range(4) for p in (tmp_path / f"data{n}").rglob("*.sqlite*")]
    assert not in_data_dirs, in_data_dirs
    assert len(list((tmp_path / "state" / "adly").glob("sandbox-*"))) == 1


async def test_a_conversation_started_on_one_process_goes_on_in_another(pg_settings: Settings) -> None:
    async with open_services(pg_settings) as first, open_services(pg_settings) as second:
        async with first.engine.connect() as conn:
            tables = set((await conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))).scalars())
        assert {"campaigns", "publish_steps", "checkpoints", "checkpoint_writes"} <= tables
        workspace = await first.local_workspace("console:you")
        turn = await first.driver.start(workspace_id=workspace.id, user="console:you", text=SEED_INSTRUCTION,
                                        where=Where("console", "t", uuid.uuid4().hex))
        while turn.prompt is not None and turn.prompt.kind == "connect":
            turn = await connect_in_sandbox(first, turn, "console:you", lambda _: None)
        assert turn.prompt is not None and turn.prompt.kind == "review"

        # The other process reads the same thread from the shared checkpoints and takes the answer.
        seen = await second.driver.current(turn.conversation_id)
        assert seen.prompt is not None and seen.prompt.interrupt_id == turn.prompt.interrupt_id
        approved = await second.driver.decide(
            conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id, actor="console:you",
            decision={"action": "approve", "content_hash": turn.prompt.payload["content_hash"]})
        assert approved.prompt is not None and approved.prompt.kind == "preview", approved
        # The first process sees the new question too, and the old answer is refused there.
        again = await first.driver.decide(
            conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id, actor="console:you",
            decision={"action": "approve", "content_hash": turn.prompt.payload["content_hash"]})
        assert again.status == "refused"
        assert (await first.driver.current(turn.conversation_id)).prompt.kind == "preview"  # type: ignore[union-attr]
    await asyncio.sleep(0)
