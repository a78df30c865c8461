"""Three `adly serve` processes on one PostgreSQL, the seed flow driven through Slack with clicks landing on
different processes: a double click on Approve and on Publish moves the flow once and publishes once, every time;
when the scheduler's leader is killed, another process takes over.

The ad platforms are `adly sandbox serve` in a process of their own (shared, as real platforms are); Slack is a fake
Web API on this test's loop; every request to ADLY is signed as Slack signs it (tests/scale/installation.py).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from installation import (
    FakeSlack,
    blocks_of,
    click_body,
    event_body,
    find_element,
    installation,
    mention_event,
    until,
)
from sqlalchemy import text

from store.db import create_engine

TEXT = "Create Instagram campaign for Ramadan sale with 3000 SAR budget targeting women 25-40 in Riyadh, images only"
TRIALS = int(os.environ.get("ADLY_DOUBLE_CLICK_TRIALS", "20"))
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    try:
        yield fake
    finally:
        await fake.close()


async def test_clicks_on_different_processes_move_the_flow_once(pg_url: str, tmp_path: Path,
                                                                fake_slack: FakeSlack) -> None:
    engine = create_engine(pg_url)

    async def answered(thread_ts: str, kind: str) -> int:
        async with engine.connect() as conn:
            return int((await conn.execute(text(
                "SELECT count(*) FROM audit_events a JOIN conversations c ON c.id = a.subject_id "
                "WHERE c.thread_ts = :ts AND a.action = :action"),
                {"ts": thread_ts, "action": f"prompt.{kind}.answered"})).scalar() or 0)

    try:
        async with installation(tmp_path, pg_url, fake_slack, extra_env={"ADLY_LEADER_RETRY_S": "0.5"}) as site:
            for trial in range(TRIALS):
                thread_ts = f"1700000{trial:03d}.000100"
                await site.post(trial % 3, event_body(mention_event(TEXT, ts=thread_ts), event_id=f"Ev{trial}"),
                                "application/json")
                if trial == 0:
                    await site.connect_meta()
                review = (await until("the review card", lambda ts=thread_ts: site.in_thread(
                    "adly.review.approve", ts)))[-1]
                # Approve, clicked twice: the two clicks land on two different processes at once.
                body = click_body(review, "adly.review.approve")
                await asyncio.gather(*(site.post(n, body, FORM) for n in ((trial + 1) % 3, (trial + 2) % 3)))
                preview = (await until("the preview card", lambda ts=thread_ts: site.in_thread(
                    "adly.preview.approve", ts)))[-1]
                body = click_body(preview, "adly.preview.approve")
                await asyncio.gather(*(site.post(n, body, FORM) for n in (trial % 3, (trial + 2) % 3)))
                await until("the live report", lambda ts=thread_ts: site.live_report(ts))
                previews = [c for c in fake_slack.named("chat.postMessage") if c.args.get("thread_ts") == thread_ts
                            and find_element(blocks_of(c.args), "adly.preview.approve")]
                assert len(previews) == 1, "the review moved twice"
                assert (await answered(thread_ts, "review"), await answered(thread_ts, "preview")) == (1, 1)

            # One campaign per trial on the platform: nothing was published twice.
            with sqlite3.connect(site.sandbox_home / "data" / "sandbox" / "meta.sqlite") as db:
                campaigns = db.execute("SELECT count(*) FROM objects WHERE kind = 'campaign'").fetchone()[0]
            assert campaigns == TRIALS
            async with engine.connect() as conn:
                statuses = (await conn.execute(text("SELECT status, count(*) FROM campaigns GROUP BY status"))).all()
            assert {status: count for status, count in statuses} == {"live": TRIALS}

            # The scheduler's leader is killed; another process takes over.
            def leaders() -> list[int]:
                return [n for n in range(3) if "scheduler's leader" in site.log(n)]

            first = await until("a leader", leaders)
            assert len(first) == 1, first
            os.killpg(site.servers[first[0]].pid, signal.SIGKILL)
            site.servers[first[0]].wait(timeout=30)
            successors = await until("a new leader", lambda: [n for n in leaders() if n != first[0]], within_s=60)
            assert len(successors) == 1, successors
    finally:
        await engine.dispose()
