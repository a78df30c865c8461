"""Budgets reach each platform exactly, in its unit: Meta minor units, TikTok major units, Snapchat micro."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from saga_helpers import preview_plan, sim_objects

from agent.publishing import publish_plan
from bot.services import open_services
from bot.settings import Settings
from tools.sandbox import SandboxFaults

# Amounts ending in the currency's smallest unit (1 halala, 1 fils, 1 cent; KWD has three decimals), so a
# conversion that rounds, truncates or goes through a binary float anywhere shows up as a wrong wire value.
CASES = {
    "SAR": (Decimal("5000.01"), "500001", 5000.01, 5_000_010_000),
    "AED": (Decimal("5000.01"), "500001", 5000.01, 5_000_010_000),
    "KWD": (Decimal("500.001"), "500001", 500.001, 500_001_000),
    "USD": (Decimal("1000.01"), "100001", 1000.01, 1_000_010_000),
}


@pytest.mark.parametrize("currency", sorted(CASES))
async def test_budgets_convert_exactly_on_each_platform(cloned: Settings, all_three_template: Any, currency: str) -> None:
    amount, meta_minor, tiktok_major, snap_micro = CASES[currency]
    faults = {p: SandboxFaults(account_currency=currency) for p in ("meta", "tiktok", "snapchat")}
    async with open_services(cloned, sandbox_faults=faults) as services:
        plan, plan_hash = await preview_plan(services, all_three_template.conversation_id)
        # The same plan, as if the accounts billed in `currency` (the simulators' accounts now do).
        plan.currency = currency
        for p in plan.platforms:
            p.currency = currency
            for s in p.ad_sets:
                s.currency, s.budget_amount = currency, amount
        outcomes = await publish_plan(services.ctx, plan, plan_hash)
        assert all(o.ok for o in outcomes.values()), {p: o.error for p, o in outcomes.items()}

    meta_sets = sim_objects(cloned, "meta", "ad_set")
    assert meta_sets and {s["lifetime_budget"] for s in meta_sets} == {meta_minor}
    tiktok_sets = sim_objects(cloned, "tiktok", "ad_set")
    assert tiktok_sets and {s["budget"] for s in tiktok_sets} == {tiktok_major}
    assert all(Decimal(repr(s["budget"])) == amount for s in tiktok_sets)
    snap_sets = sim_objects(cloned, "snapchat", "ad_set")
    assert snap_sets and {s["lifetime_budget_micro"] for s in snap_sets} == {snap_micro}
