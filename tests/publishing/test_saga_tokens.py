"""A token expires between the campaign and its ad set: Snapchat refreshes and goes on; Meta pauses and asks."""

from __future__ import annotations

from typing import Any

import httpx
from saga_helpers import USER, all_statuses, approve, plan_counts, preview_plan, sim_counts, sim_objects

from bot.console import connect_in_sandbox
from bot.services import Services, open_services
from bot.settings import Settings
from store import repositories as repo
from tools.sandbox import SandboxFaults

PLATFORMS = ["meta", "snapchat", "tiktok"]


def expire_after_campaign(services: Services, platform: str, faults: SandboxFaults) -> None:
    """Once the platform answered the campaign create, the next call finds the token expired."""

    async def on_response(response: httpx.Response) -> None:
        path = response.request.url.path
        if response.request.method == "POST" and path.endswith("/campaigns") and response.status_code == 200:
            faults.expire_token_after_calls = 0

    services.sandboxed[platform].event_hooks["response"].append(on_response)




async def _tokens(services: Services, platform: str, ad_account_id: str) -> tuple[str, str]:
    async with services.sessions() as session:
        row = await repo.get_ad_account(session=session, ad_account_id=ad_account_id)
        assert row is not None
        access, _ = repo.read_tokens(cipher=services.cipher, account=row)
        return str(access), row.status


async def test_snapchat_token_expiry_mid_publish_refreshes_once_and_continues(
    cloned: Settings, all_three_template: Any
) -> None:
    snap = SandboxFaults()
    async with open_services(cloned, sandbox_faults={"snapchat": snap}) as services:
        plan, _ = await preview_plan(services, all_three_template.conversation_id)
        account_id = next(p.ad_account_id for p in plan.platforms if p.platform == "snapchat")
        before, _ = await _tokens(services, "snapchat", account_id)
        expire_after_campaign(services, "snapchat", snap)
        turn = await approve(services, await services.driver.current(all_three_template.conversation_id))
        assert turn.status == "live", turn
        after, status = await _tokens(services, "snapchat", account_id)
    assert after != before and status == "active"  # refreshed, stored (encrypted), account still usable
    assert sim_counts(cloned, PLATFORMS) == plan_counts(plan)
    assert all_statuses(cloned, PLATFORMS) == {p: {"active"} for p in PLATFORMS}


async def test_meta_token_expiry_mid_publish_pauses_asks_to_reconnect_then_continues(
    cloned: Settings, all_three_template: Any
) -> None:
    meta = SandboxFaults()
    async with open_services(cloned, sandbox_faults={"meta": meta}) as services:
        plan, _ = await preview_plan(services, all_three_template.conversation_id)
        account_id = next(p.ad_account_id for p in plan.platforms if p.platform == "meta")
        expire_after_campaign(services, "meta", meta)
        turn = await approve(services, await services.driver.current(all_three_template.conversation_id))

        # Paused and asking: a "connect" prompt for Meta, the account marked, nothing delivering anywhere.
        assert turn.status == "waiting" and turn.prompt is not None and turn.prompt.kind == "connect", turn
        assert [link["platform"] for link in turn.prompt.payload["links"]] == ["meta"]
        _, status = await _tokens(services, "meta", account_id)
        assert status == "needs_reconnect"
        assert len(sim_objects(cloned, "meta", "campaign")) == 1
        statuses = all_statuses(cloned, PLATFORMS)
        assert all(s <= {"paused"} for s in statuses.values()), statuses
        snapshot = await services.driver.graph.aget_state({"configurable": {"thread_id": turn.thread_id}})
        publish = snapshot.values["publish"]
        assert publish["meta"]["needs_reconnect"] and publish["meta"]["external_campaign_id"]
        assert publish["tiktok"]["paused"] and publish["snapchat"]["paused"]

        # The user reconnects Meta in the sandbox: publishing continues from the ledger with the same keys.
        turn = await connect_in_sandbox(services, turn, USER, lambda _: None)
        assert turn.status == "live", turn
        _, status = await _tokens(services, "meta", account_id)
        assert status == "active"
    assert sim_counts(cloned, PLATFORMS) == plan_counts(plan)
    assert all_statuses(cloned, PLATFORMS) == {p: {"active"} for p in PLATFORMS}
