"""Work off the ack path on PostgreSQL: `adly serve --workers 2` acks Slack and queues the flow; a worker killed
mid-publish is replaced, its job runs again on a live worker, and the publish finishes from the ledger with
nothing created twice on the platform."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from installation import FakeSlack, click_body, event_body, installation, mention_event, until
from sqlalchemy import text

from store.db import create_engine

TEXT = "Create Instagram campaign for Ramadan sale with 3000 SAR budget targeting women 25-40 in Riyadh, images only"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    try:
        yield fake
    finally:
        await fake.close()


async def test_a_worker_killed_mid_publish_is_replaced_and_the_publish_finishes_once(
        pg_url: str, tmp_path: Path, fake_slack: FakeSlack) -> None:
    engine = create_engine(pg_url)

    async def scalar(sql: str, **params: object) -> object:
        async with engine.connect() as conn:
            return (await conn.execute(text(sql), params)).scalar()

    async def publishing_holder() -> int | None:
        """The pid of the worker publishing now: its conversation lease names it, once some steps are done."""
        if not await scalar("SELECT count(*) FROM publish_steps WHERE state = 'created'"):
            return None
        holder = await scalar("SELECT l.holder FROM conversation_leases l JOIN conversations c "
                              "ON c.thread_id = l.thread_id JOIN campaigns k ON k.id = c.campaign_id "
                              "WHERE k.status = 'publishing'")
        return int(str(holder).split(":")[1]) if holder else None

    env = {"ADLY_WORKER_HEARTBEAT_S": "0.5", "ADLY_LEASE_TTL_S": "3", "ADLY_WORKER_CONCURRENCY": "4"}
    try:
        async with installation(tmp_path, pg_url, fake_slack, processes=1, extra_env=env,
                                serve_args=("--workers", "2"),
                                # Slow platforms: the publish takes long enough to be caught half-way.
                                sandbox_env={"SANDBOX_LATENCY_MS": "400"}) as site:
            thread_ts = "1700000001.000100"
            ack = await site.post(0, event_body(mention_event(TEXT, ts=thread_ts), event_id="EvW1"),
                                  "application/json")
            assert ack < 3
            await site.connect_meta()
            review = (await until("the review card", lambda: site.in_thread("adly.review.approve", thread_ts)))[-1]
            await site.post(0, click_body(review, "adly.review.approve"), FORM)
            preview = (await until("the preview card",
                                   lambda: site.in_thread("adly.preview.approve", thread_ts)))[-1]
            await site.post(0, click_body(preview, "adly.preview.approve"), FORM)

            deadline = asyncio.get_running_loop().time() + 120
            while (victim := await publishing_holder()) is None:
                assert asyncio.get_running_loop().time() < deadline, "the publish never started"
                await asyncio.sleep(0.05)
            serve_pid = site.servers[0].pid
            assert victim != serve_pid, "the web process ran the publish itself"
            os.kill(victim, signal.SIGKILL)

            await until("the live report", lambda: site.live_report(thread_ts), within_s=180)
            assert await scalar("SELECT status FROM campaigns") == "live"
            # The job ran twice: once on the killed worker, then put back in the queue for a live one.
            assert "queued again" in site.log(0)
            with sqlite3.connect(site.sandbox_home / "data" / "sandbox" / "meta.sqlite") as db:
                kinds = dict(db.execute("SELECT kind, count(*) FROM objects GROUP BY kind").fetchall())
            # One campaign, and exactly the ad sets and ads the plan has (stored with their external ids).
            assert kinds["campaign"] == 1
            assert kinds["adset"] == await scalar("SELECT count(*) FROM ad_sets WHERE external_id IS NOT NULL")
            assert kinds["ad"] == await scalar("SELECT count(*) FROM ads WHERE external_id IS NOT NULL")
            # The killed worker was replaced: two workers run again.
            assert site.log(0).count("starting another") >= 1
    finally:
        await engine.dispose()
