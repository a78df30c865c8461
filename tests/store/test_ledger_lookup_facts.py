"""What the ledger tells a lost create's lookup: when the step was first sent, and which ids other steps hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from store import repositories as repo
from tests.store.test_store_repositories import _campaign, factory  # noqa: F401 - the fixture, shared

T0 = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)


async def test_sent_at_is_the_first_send_and_goes_with_a_step_released_unsent(factory) -> None:  # noqa: F811
    """And the name the step was planned with stays with it, for a lookup after the plan changed."""
    _, campaign_id = await _campaign(factory)
    async with factory() as session:
        await repo.plan_steps(session=session, steps=[
            repo.PlannedStep(campaign_id, "snapchat", f"k-{n}", "campaign", "campaign", None, {"name": f"Sale {n}"})
            for n in range(3)
        ])  # fmt: skip
        assert await repo.get_sent_facts(session=session, idempotency_key="k-0") == (None, {"name": "Sale 0"})
        await repo.mark_steps_sending(session=session, idempotency_keys=["k-0", "k-1"], sent_at=T0)
        # A second send (a retry after a lost answer) keeps the first time: the object may come from either.
        await repo.apply_step_changes(
            session=session, changes=[repo.StepChange("k-0", "sending")], sent_at=T0 + timedelta(minutes=3)
        )
        await repo.set_step_state(session=session, idempotency_key="k-2", state="sending", sent_at=T0)
        await repo.set_step_state(
            session=session, idempotency_key="k-2", state="sending", sent_at=T0 + timedelta(hours=1)
        )
        # Premarked but never sent: released, and with it the send time (nothing left, nothing to look up).
        await repo.unmark_steps_sending(session=session, idempotency_keys=["k-1"])
        await session.commit()
    async with factory() as session:
        assert (await repo.get_sent_facts(session=session, idempotency_key="k-0")).sent_at == T0
        assert (await repo.get_sent_facts(session=session, idempotency_key="k-1")).sent_at is None
        assert (await repo.get_sent_facts(session=session, idempotency_key="k-2")).sent_at == T0
        assert (await repo.get_sent_facts(session=session, idempotency_key="k-1")).request == {"name": "Sale 1"}


async def test_ids_other_steps_hold_are_not_offered_to_a_lookup(factory) -> None:  # noqa: F811
    _, campaign_id = await _campaign(factory)
    async with factory() as session:
        await repo.plan_steps(session=session, steps=[
            repo.PlannedStep(campaign_id, "tiktok", "a", "campaign", "campaign"),
            repo.PlannedStep(campaign_id, "tiktok", "b", "campaign", "campaign"),
            repo.PlannedStep(campaign_id, "snapchat", "c", "campaign", "campaign"),
        ])  # fmt: skip
        await repo.apply_step_changes(session=session, changes=[
            repo.StepChange("a", "created", "111"), repo.StepChange("b", "unknown"), repo.StepChange("c", "created", "222"),
        ])  # fmt: skip
        await session.commit()
    async with factory() as session:
        taken = await repo.external_ids_taken(
            session=session, platform="tiktok", object_kind="campaign", external_ids=["111", "222", "333"],
            other_than="b",
        )  # fmt: skip
        assert taken == {"111"}  # another platform's id or an unheld one is no claim
        mine = await repo.external_ids_taken(
            session=session, platform="tiktok", object_kind="campaign", external_ids=["111"], other_than="a"
        )
        assert mine == set()
