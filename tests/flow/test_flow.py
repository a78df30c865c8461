"""The whole flow through the conversation driver, on embedded defaults (sandbox APIs, offline generators)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

from sqlalchemy import func, select

from agent.reports import campaign_summary
from agent.turns import Turn, Where
from bot.console import SEED_INSTRUCTION, connect_in_sandbox, run_demo
from bot.services import Services, open_services
from bot.settings import Settings
from store.models import ContentAsset, GenerationJob, PublishStep

USER = "console:tester"


async def _start(services: Services, text: str = SEED_INSTRUCTION) -> Turn:
    workspace = await services.local_workspace(USER)
    return await services.driver.start(
        workspace_id=workspace.id, user=USER, text=text, where=Where("console", "t", uuid.uuid4().hex)
    )


async def _until(services: Services, turn: Turn, kind: str) -> Turn:
    """Answer prompts like a user would until the one of `kind` is pending."""
    while turn.prompt is not None and turn.prompt.kind != kind:
        if turn.prompt.kind == "connect":
            turn = await connect_in_sandbox(services, turn, USER, lambda _: None)
        elif turn.prompt.kind == "review":
            turn = await _approve(services, turn)
        elif turn.prompt.kind == "preview":
            turn = await _approve(services, turn)
        else:
            raise AssertionError(f"unexpected prompt {turn.prompt.kind}: {turn.prompt.payload}")
    return turn


async def _approve(services: Services, turn: Turn, actor: str = USER) -> Turn:
    assert turn.prompt is not None
    payload = turn.prompt.payload
    decision = {"action": "approve", "content_hash": payload.get("content_hash"), "plan_hash": payload.get("plan_hash")}
    decision = {k: v for k, v in decision.items() if v is not None}
    return await services.driver.decide(
        conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id, decision=decision, actor=actor
    )


async def _count(services: Services, model: type, **where: object) -> int:
    async with services.sessions() as session:
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return int(await session.scalar(stmt) or 0)


async def test_demo_publishes_seed_campaign_live(settings: Settings, capsys) -> None:
    code = await run_demo(settings, SEED_INSTRUCTION, as_json=True)
    out = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(out[-1])
    assert code == 0, "\n".join(out[-40:])
    assert summary["status"] == "live"
    platforms = {p["platform"]: p for p in summary["platforms"]}
    assert set(platforms) == {"meta", "tiktok"}
    for p in platforms.values():
        assert p["external_campaign_id"]
        assert p["ad_sets"] and all(s["external_id"] for s in p["ad_sets"])
        assert p["ads"] and all(a["external_id"] and a["status"] == "active" for a in p["ads"])
    assert len(platforms["meta"]["ad_sets"]) == 2  # the seed: women 25-34 and 35-40
    kinds = {a["kind"] for a in summary["assets"]}
    assert {"copy", "image", "video", "voice"} <= kinds
    assert any("approving" in line.lower() for line in out), "the demo must say it approves on the user's behalf"


async def test_missing_budget_and_platform_gets_one_question_then_merges_the_answer(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _start(services, "Ramadan campaign for women in Riyadh")
        assert turn.prompt is not None and turn.prompt.kind == "clarify"
        payload = turn.prompt.payload
        assert {"budget", "platforms"} <= set(payload["missing"])
        assert payload["question"]
        turn = await services.driver.reply(conversation_id=turn.conversation_id, text="1500 SAR, TikTok only", actor=USER)
        turn = await _until(services, turn, "review")
        assert turn.prompt is not None and turn.prompt.kind == "review"
        snapshot = await services.driver.graph.aget_state({"configurable": {"thread_id": turn.thread_id}})
        request = snapshot.values["request"]
        assert request["platforms"] == ["tiktok"]
        assert request["budget"]["amount"] == 1500 and request["budget"]["currency"] == "SAR"


async def test_double_approval_is_refused_and_changes_nothing(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _until(services, await _start(services), "review")
        first, second = await asyncio.gather(_approve(services, turn), _approve(services, turn))
        outcomes = sorted([first.status, second.status])
        assert outcomes == ["refused", "waiting"], outcomes
        refused = first if first.status == "refused" else second
        assert refused.notice and "already" in refused.notice
        moved = first if first.status == "waiting" else second
        assert moved.prompt is not None and moved.prompt.kind == "preview"
        # The stale review button once more, after the flow moved on: still refused.
        again = await _approve(services, turn)
        assert again.status == "refused"
        after = await services.driver.current(turn.conversation_id)
        assert after.prompt is not None and after.prompt.interrupt_id == moved.prompt.interrupt_id


async def test_non_approver_cannot_approve(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _until(services, await _start(services), "review")
        refused = await _approve(services, turn, actor="console:intruder")
        assert refused.status == "refused" and refused.notice
        still = await services.driver.current(turn.conversation_id)
        assert still.prompt is not None and still.prompt.interrupt_id == turn.prompt.interrupt_id  # type: ignore[union-attr]


async def test_answer_after_the_flow_finished_is_refused(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _until(services, await _start(services), "preview")
        preview_turn = turn
        done = await _approve(services, turn)
        assert done.status == "live"
        steps = await _count(services, PublishStep)
        late = await _approve(services, preview_turn)
        assert late.status == "refused"
        assert await _count(services, PublishStep) == steps  # nothing published twice


async def test_killed_while_waiting_for_review_resumes_without_regenerating(settings: Settings, tmp_path: Path) -> None:
    # A real process runs the flow to the content review, then is killed with SIGKILL.
    script = textwrap.dedent(
        f"""
        import asyncio, os, signal, uuid
        from agent.turns import Where
        from bot.console import SEED_INSTRUCTION, connect_in_sandbox
        from bot.services import open_services
        from bot.settings import Settings

        async def main():
            settings = Settings(_env_file=None, adly_data_dir={str(settings.data_dir)!r},
                                database_url={settings.database_url!r},
                                adly_sandbox_dir={str(settings.sandbox_dir)!r})
            async with open_services(settings) as services:
                ws = await services.local_workspace({USER!r})
                turn = await services.driver.start(workspace_id=ws.id, user={USER!r}, text=SEED_INSTRUCTION,
                                                   where=Where("console", "t", uuid.uuid4().hex))
                while turn.prompt.kind == "connect":
                    turn = await connect_in_sandbox(services, turn, {USER!r}, lambda _: None)
                assert turn.prompt.kind == "review", turn
                print(turn.conversation_id, flush=True)
                os.kill(os.getpid(), signal.SIGKILL)

        asyncio.run(main())
        """
    )
    proc = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-3000:]
    conversation_id = proc.stdout.strip().splitlines()[-1]

    async with open_services(settings) as services:
        jobs_before = await _count(services, GenerationJob)
        assets_before = await _count(services, ContentAsset)
        turn = await services.driver.current(conversation_id)
        assert turn.prompt is not None and turn.prompt.kind == "review"
        turn = await _until(services, await _approve(services, turn), "preview")
        turn = await _approve(services, turn)
        assert turn.status == "live"
        assert await _count(services, GenerationJob) == jobs_before  # nothing regenerated
        assert await _count(services, ContentAsset) == assets_before  # nothing duplicated
        summary = await campaign_summary(services.ctx, conversation_id)
        assert summary["status"] == "live"
        files = [a["path"] for a in summary["assets"] if a["kind"] != "copy"]
        assert files and _all_exist(files)


def _all_exist(paths: list[str]) -> bool:
    return all(os.path.exists(p) for p in paths)


async def test_adly_chat_resume_continues_a_killed_conversation(settings: Settings, tmp_path: Path) -> None:
    """The terminal front door end to end: a killed `adly chat` is continued by `adly chat --resume`."""
    env = {**os.environ, "ADLY_DATA_DIR": str(settings.data_dir)}
    adly = [sys.executable, "-m", "bot.cli", "chat"]
    first = await asyncio.to_thread(
        subprocess.Popen, adly, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=tmp_path, env=env,
    )
    assert first.stdin is not None and first.stdout is not None
    first.stdin.write(SEED_INSTRUCTION + "\ny\n")
    first.stdin.flush()
    # Read until the review card's choices are shown, then kill the process where it waits for the reviewer.
    seen = await asyncio.to_thread(_read_until, first.stdout, "1) approve   2) edit")
    first.kill()
    await asyncio.to_thread(first.wait)
    assert "Square image (1:1), Arabic" in seen  # assets by their human label, not the slot id

    async with open_services(settings) as services:
        jobs_before = await _count(services, GenerationJob)

    second = await asyncio.to_thread(
        subprocess.run, [*adly, "--resume"], input="1\n1\n\n", capture_output=True, text=True, cwd=tmp_path,
        env=env, timeout=300,
    )
    assert second.returncode == 0, second.stderr[-3000:]
    assert "Resuming conversation" in second.stdout
    assert "Campaign is live on" in second.stdout, second.stdout[-3000:]
    async with open_services(settings) as services:
        assert await _count(services, GenerationJob) == jobs_before  # the resumed flow regenerated nothing


def _read_until(stream: object, marker: str) -> str:
    seen: list[str] = []
    for line in stream:  # type: ignore[attr-defined]
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError("the process ended before: " + marker + "\n" + "".join(seen[-40:]))


async def test_a_bare_number_answers_the_budget_question(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _start(services, "TikTok campaign for Eid in Riyadh")
        assert turn.prompt is not None and "budget" in turn.prompt.payload["missing"]
        turn = await services.driver.reply(conversation_id=turn.conversation_id, text="1500", actor=USER)
        snapshot = await services.driver.graph.aget_state({"configurable": {"thread_id": turn.thread_id}})
        assert snapshot.values["request"]["budget"]["amount"] == 1500


async def test_review_edit_is_checked_and_regenerate_touches_one_asset(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _until(services, await _start(services), "review")
        assert turn.prompt is not None
        before = {a["slot"]: a["asset_id"] for a in turn.prompt.payload["assets"]}

        # Snapchat's 34-character headline limit is not in play (Meta and TikTok), but TikTok's ad text is.
        too_long = "x" * 101
        refused = await services.driver.decide(
            conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id,
            decision={"action": "edit", "slot": "copy:en", "edits": {"primary_text": too_long}}, actor=USER,
        )
        assert refused.status == "refused" and refused.notice and "100" in refused.notice

        edited = await services.driver.decide(
            conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id,
            decision={"action": "edit", "slot": "copy:en", "edits": {"headline": "Ramadan nights, brighter"}},
            actor=USER,
        )
        assert edited.prompt is not None and edited.prompt.kind == "review"
        after_edit = {a["slot"]: a for a in edited.prompt.payload["assets"]}
        assert after_edit["copy:en"]["text"]["headline"] == "Ramadan nights, brighter"
        assert after_edit["copy:en"]["asset_id"] != before["copy:en"]
        # The edited English headline reached what shows or says it (tests/flow/test_edit_propagation.py).
        remade = {slot for slot, a in after_edit.items() if a["asset_id"] != before[slot]}
        assert remade == {"copy:en", "image:en:1x1", "image:en:4x5", "image:en:9x16", "voice:en", "video:en"}
        async with services.sessions() as session:
            row = await session.get(ContentAsset, after_edit["copy:en"]["asset_id"])
            assert row is not None and row.edited_by == USER

        regenerated = await services.driver.decide(
            conversation_id=turn.conversation_id, interrupt_id=edited.prompt.interrupt_id,
            decision={"action": "regenerate", "slot": "image:ar:1x1"}, actor=USER,
        )
        assert regenerated.prompt is not None and regenerated.prompt.kind == "review"
        now = {a["slot"]: a["asset_id"] for a in regenerated.prompt.payload["assets"]}
        changed = {slot for slot in now if now[slot] != after_edit[slot]["asset_id"]}
        assert changed == {"image:ar:1x1"}, changed
