"""The process dies (SIGKILL) after a create reached the platform but before the ledger heard back."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
import textwrap
from datetime import timedelta
from pathlib import Path
from typing import Any

from saga_helpers import all_statuses, plan_counts, sim_counts, sim_objects, wait_for

from agent.planning import CampaignPlan
from agent.recovery import STALE_AFTER, interrupted_publishes
from bot.recovery import resume_interrupted_publishes
from bot.services import open_services
from bot.settings import Settings
from store import repositories as repo

PLATFORMS = ["meta", "snapchat", "tiktok"]


def _sending_steps(settings: Settings) -> list[tuple[str, str, str]]:
    with sqlite3.connect(settings.app_database_url.split("///", 1)[1]) as db:
        return list(
            db.execute("SELECT platform, object_kind, idempotency_key FROM publish_steps WHERE state = 'sending'")
        )


def _applied_but_unrecorded(settings: Settings) -> bool:
    """A Meta ad set exists on the platform while its ledger step still says "sending" (the ad set carries the
    ad label named after the step's key)."""
    labels = {str(label.get("name")) for r in sim_objects(settings, "meta", "ad_set") for label in r.get("adlabels") or []}
    return any(
        platform == "meta" and kind == "ad_set" and key in labels for platform, kind, key in _sending_steps(settings)
    )


async def test_killed_after_a_write_was_sent_converges_on_restart_without_duplicates(
    cloned: Settings, all_three_template: Any, tmp_path: Path
) -> None:
    conversation_id = all_three_template.conversation_id
    # A child process approves the preview and publishes; Meta stores the first ad set, then never answers
    # (the request hangs), and the other platforms are slowed down so they are mid-flight too.
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from saga_helpers import approve, settings_for
        from bot.services import open_services
        from tools.sandbox import SandboxFaults
        from pathlib import Path

        async def main():
            faults = {{
                "meta": SandboxFaults(latency_ms=20, timeout_after_create_on={{"ad_set": 1}}, timeout_mode="hang",
                                      hang_s=120),
                "tiktok": SandboxFaults(latency_ms=60),
                "snapchat": SandboxFaults(latency_ms=60),
            }}
            async with open_services(settings_for(Path({str(cloned.data_dir)!r})), sandbox_faults=faults) as services:
                turn = await services.driver.current({conversation_id!r})
                print("publishing", flush=True)
                await approve(services, turn)
                print("finished", flush=True)

        asyncio.run(main())
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "META_", "TIKTOK_", "SNAPCHAT_"))}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await wait_for(lambda: _applied_but_unrecorded(cloned) or proc.returncode is not None, limit_s=120)
        if proc.returncode is not None:
            assert proc.stderr is not None
            raise AssertionError("the publishing process ended by itself: " + (await proc.stderr.read()).decode()[-3000:])
        proc.send_signal(signal.SIGKILL)
        _, stderr = await proc.communicate()
    finally:
        if proc.returncode is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL, stderr.decode()[-3000:]
    assert _sending_steps(cloned), "the kill must leave at least one write in flight"

    # Restart: new process state, same data dir. The retry resumes the publish node from its checkpoint.
    async with open_services(cloned) as services:
        services.ctx.publish_backoff_s = 0.01
        turn = await services.driver.current(conversation_id)
        assert turn.prompt is None and turn.status == "error"  # consumed approval; a publish due, not done
        # The scheduler's recovery job leaves a publish alone while it may still be running somewhere; once the
        # campaign and its ledger have been idle longer than the saga ever waits, it resumes it.
        assert await interrupted_publishes(services.ctx, idle_for=STALE_AFTER) == []
        now = services.ctx.clock()
        services.ctx.clock = lambda: now + STALE_AFTER + timedelta(minutes=1)
        assert await interrupted_publishes(services.ctx, idle_for=STALE_AFTER) == [conversation_id]
        # While another process holds the conversation's lease (a publish parked on a rate limit writes no ledger
        # rows for minutes), it is not abandoned, however idle.
        thread_id = turn.thread_id
        later = services.ctx.clock()
        async with services.sessions() as session:
            token = await repo.take_lease(session=session, thread_id=thread_id, holder="elsewhere", now=later,
                                          until=later + timedelta(minutes=1))
        assert token is not None
        assert await interrupted_publishes(services.ctx, idle_for=STALE_AFTER) == []
        async with services.sessions() as session:
            await repo.end_lease(session=session, thread_id=thread_id, holder="elsewhere", token=token, now=later)
        assert await resume_interrupted_publishes(services, None, idle_for=STALE_AFTER) == 1
        turn = await services.driver.current(conversation_id)
        assert turn.status == "live", [(p, o["error"]) for p, o in turn.result["publish"].items()]
        assert await resume_interrupted_publishes(services, None, idle_for=STALE_AFTER) == 0  # done: once
        snapshot = await services.driver.graph.aget_state({"configurable": {"thread_id": turn.thread_id}})
        plan = CampaignPlan.model_validate(snapshot.values["plan"])
    assert sim_counts(cloned, PLATFORMS) == plan_counts(plan)
    assert all_statuses(cloned, PLATFORMS) == {p: {"active"} for p in PLATFORMS}
    assert not _sending_steps(cloned)
    # The ad set the killed process never heard back about was adopted, not made again, and like every object
    # it is named as planned: no key of ours in a name people see in Ads Manager.
    for platform in PLATFORMS:
        for level in ("campaign", "ad_set", "ad"):
            assert not any("[k:" in json.dumps(r, ensure_ascii=False) for r in sim_objects(cloned, platform, level))
