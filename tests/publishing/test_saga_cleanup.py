"""A compensation whose deletes fail stays "compensating"; the cleanup job retries it with backoff, then stops.

No sandbox fault makes deletes fail, so an edge wrapper around Meta's sandbox transport refuses every DELETE
with Meta's own error shape (the real client maps it as it would a real refusal).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
from saga_helpers import plan_counts, preview_plan, sim_counts, sim_objects
from sqlalchemy import select

from agent.cleanup import (
    ATTEMPT,
    CHECK_INTERVAL,
    GAVE_UP,
    MAX_CLEANUP_ATTEMPTS,
    retry_compensations,
    retry_interval,
)
from agent.planning import CampaignPlan
from agent.publishing import publish_plan
from bot.services import Services, open_services
from bot.settings import Settings
from store import repositories as repo
from store.models import PublishStep
from tools.sandbox import SandboxFaults

PLATFORMS = ["meta", "snapchat", "tiktok"]
DELETABLE = ("campaign", "ad_set", "ad", "creative")


class RefuseDeletes(httpx.AsyncBaseTransport):
    """The edge between Meta's client and its simulator: while `refusing`, every DELETE gets Meta's error."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.refusing = True
        self.deletes = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            self.deletes += 1
            if self.refusing:
                error = {"message": "(#100) The object cannot be deleted right now", "type": "OAuthException",
                         "code": 100, "fbtrace_id": "AdlyTest"}
                return httpx.Response(400, json={"error": error}, request=request)
        return await self.inner.handle_async_request(request)


async def _publish_with_stuck_meta(services: Services, conversation_id: str) -> tuple[CampaignPlan, RefuseDeletes]:
    """TikTok refuses an ad group (terminal), so everything is withdrawn; Meta refuses every delete."""
    services.ctx.publish_backoff_s = 0.01
    http = services.sandboxed["meta"]
    edge = RefuseDeletes(http._transport)
    http._transport = edge
    plan, plan_hash = await preview_plan(services, conversation_id)
    tiktok = next(p for p in plan.platforms if p.platform == "tiktok")
    tiktok.ad_sets[0].budget_amount = Decimal("1.00")
    outcomes = await publish_plan(services.ctx, plan, plan_hash)
    assert outcomes["tiktok"].state == "compensated" and outcomes["snapchat"].state == "compensated"
    assert outcomes["meta"].state == "failed" and not outcomes["meta"].compensated
    return plan, edge


async def _meta_steps(services: Services, plan: CampaignPlan) -> list[PublishStep]:
    async with services.sessions() as session:
        steps = await repo.list_steps(session=session, campaign_id=plan.campaign_id, platform="meta")
    return [s for s in steps if s.object_kind in DELETABLE and s.external_id]


async def test_stuck_compensation_is_retried_with_backoff_and_cleaned_up_once_deletes_work(
    cloned: Settings, all_three_template: Any
) -> None:
    faults = {"tiktok": SandboxFaults(latency_ms=40)}
    async with open_services(cloned, sandbox_faults=faults) as services:
        plan, edge = await _publish_with_stuck_meta(services, all_three_template.conversation_id)

        # The saga could not delete anything on Meta: the ledger says so, and it all still exists, paused.
        stuck_steps = await _meta_steps(services, plan)
        assert stuck_steps and {s.state for s in stuck_steps} == {"compensating"}
        assert sim_counts(cloned, ["meta"]) == {"meta": plan_counts(plan)["meta"]}
        assert sim_objects(cloned, "meta", "campaign")[0]["status"] == "PAUSED"
        assert sim_counts(cloned, ["snapchat", "tiktok"]) == {p: {"campaign": 0, "ad_set": 0, "ad": 0}
                                                             for p in ("snapchat", "tiktok")}

        # First cleanup run, deletes still refused: one record per object, saying what, where, and why.
        now = datetime.now(UTC) + timedelta(minutes=10)
        refused = edge.deletes
        stuck = await retry_compensations(services.ctx, now=now)
        assert edge.deletes > refused  # it did retry
        assert {s.step_key for s in stuck} == {s.idempotency_key for s in stuck_steps}
        campaign_ext = next(s.external_id for s in stuck_steps if s.object_kind == "campaign")
        for item in stuck:
            assert item.platform == "meta" and item.campaign_id == plan.campaign_id
            assert item.conversation_id == all_three_template.conversation_id
            assert item.paused is True and item.retrying and item.attempts == 1
            assert "cannot be deleted" in (item.last_error or ""), item
            assert item.since <= now
            assert item.ads_manager_url and campaign_ext in item.ads_manager_url
        assert {s.object_kind for s in stuck} >= {"campaign", "ad_set", "ad"}

        # Backoff: a run a minute later does not touch the platform, and still reports the same objects.
        calls = edge.deletes
        again = await retry_compensations(services.ctx, now=now + timedelta(minutes=1))
        assert edge.deletes == calls
        assert {(s.step_key, s.last_error, s.attempts) for s in again} == {
            (s.step_key, s.last_error, s.attempts) for s in stuck}

        # Deletes work again: the next due run finishes the withdrawal through the ledger.
        edge.refusing = False
        assert await retry_compensations(services.ctx, now=now + retry_interval(1)) == []
        assert {s.state for s in await _meta_steps(services, plan)} == {"compensated"}
        assert sim_counts(cloned, PLATFORMS) == {p: {"campaign": 0, "ad_set": 0, "ad": 0} for p in PLATFORMS}
        async with services.sessions() as session:
            tree = await repo.campaign_tree(session=session, campaign_id=plan.campaign_id)
            attempts = await repo.list_audit_events(session=session, actions=[ATTEMPT], subject_id=plan.campaign_id)
            left = list(await session.scalars(select(PublishStep).where(PublishStep.state == "compensating")))
        meta = next(pc for pc in tree if pc.platform == "meta")
        assert meta.status == "deleted" and {a.status for s in meta.ad_sets for a in s.ads} == {"deleted"}
        assert [e.details["attempt"] for e in attempts] == [1, 2] and not left
        assert attempts[-1].details["cleaned"] == sorted(s.idempotency_key for s in stuck_steps)
        # Nothing is left to retry.
        assert await retry_compensations(services.ctx, now=now + timedelta(days=1)) == []


async def test_retries_stop_after_the_limit_and_a_delete_by_hand_is_noticed(
    cloned: Settings, all_three_template: Any
) -> None:
    faults = {"tiktok": SandboxFaults(latency_ms=40)}
    async with open_services(cloned, sandbox_faults=faults) as services:
        plan, edge = await _publish_with_stuck_meta(services, all_three_template.conversation_id)
        now = datetime.now(UTC) + timedelta(minutes=10)
        for attempt in range(1, MAX_CLEANUP_ATTEMPTS + 1):
            stuck = await retry_compensations(services.ctx, now=now)
            assert stuck and {s.attempts for s in stuck} == {attempt}
            now += retry_interval(attempt)
        assert not any(s.retrying for s in stuck)  # purely an alert for a human now

        # No more deletes from ADLY, however long it waits; the records stay (the alert's substance).
        calls = edge.deletes
        later = await retry_compensations(services.ctx, now=now + timedelta(hours=1))
        assert edge.deletes == calls and {s.step_key for s in later} == {s.step_key for s in stuck}

        # A person deletes everything in the Ads Manager; the slow read-only check notices and settles the ledger.
        edge.refusing = False
        async with services.sessions() as session:
            account = await repo.get_ad_account(
                session=session, ad_account_id=next(p.ad_account_id for p in plan.platforms if p.platform == "meta"))
            assert account is not None
            token, _ = repo.read_tokens(cipher=services.ctx.cipher, account=account)
        assert token
        meta = services.platforms["meta"]
        for item in sorted(stuck, key=lambda s: DELETABLE.index(s.object_kind), reverse=True):
            await meta.delete(token=token, account_id=account.external_account_id, kind=item.object_kind,  # type: ignore[arg-type]
                              external_id=item.external_id)
        by_hand = edge.deletes
        assert await retry_compensations(services.ctx, now=now + CHECK_INTERVAL) == []
        assert edge.deletes == by_hand  # the check only read
        assert {s.state for s in await _meta_steps(services, plan)} == {"compensated"}
        async with services.sessions() as session:
            gave_up = await repo.list_audit_events(session=session, actions=[GAVE_UP], subject_id=plan.campaign_id)
        assert len(gave_up) == 1 and gave_up[0].details["attempts"] == MAX_CLEANUP_ATTEMPTS
