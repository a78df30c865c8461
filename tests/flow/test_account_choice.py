"""Several ad accounts on one login: the user chooses one, and the plan and the publish use that one."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from agent.turns import Turn, Where
from bot.console import connect_in_sandbox, render_prompt
from bot.services import Services, open_services
from bot.settings import Settings
from store import repositories as repo
from store.models import PlatformCampaign
from tools.platforms.meta import GRAPH_VERSION
from tools.sandbox import API_BASE_URLS, SandboxFaults

USER = "console:tester"
META_ONLY = "Create Instagram campaign for Ramadan sale with 1000 SAR budget targeting women 25-40 in Riyadh"


async def _approve(services: Services, turn: Turn) -> Turn:
    assert turn.prompt is not None
    payload = turn.prompt.payload
    decision = {"action": "approve", "content_hash": payload.get("content_hash"), "plan_hash": payload.get("plan_hash")}
    return await services.driver.decide(
        conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id,
        decision={k: v for k, v in decision.items() if v is not None}, actor=USER,
    )


async def _choice_prompt(services: Services) -> Turn:
    workspace = await services.local_workspace(USER)
    turn = await services.driver.start(
        workspace_id=workspace.id, user=USER, text=META_ONLY, where=Where("console", "t", uuid.uuid4().hex)
    )
    assert turn.prompt is not None and turn.prompt.kind == "connect", turn
    return await connect_in_sandbox(services, turn, USER, lambda _: None)


async def test_two_meta_accounts_ask_for_a_choice_and_the_second_is_used(settings: Settings) -> None:
    async with open_services(settings, sandbox_faults={"meta": SandboxFaults(extra_accounts=1)}) as services:
        turn = await _choice_prompt(services)

        # Both accounts are stored (encrypted tokens); the prompt asks which one, with no link left.
        assert turn.prompt is not None and turn.prompt.kind == "connect"
        payload = turn.prompt.payload
        assert payload["links"] == []
        choices = payload["choices"]["meta"]
        assert len(choices) == 2 and choices[0]["ad_account_id"] != choices[1]["ad_account_id"]
        async with services.sessions() as session:
            rows = await repo.list_ad_accounts(session=session, workspace_id=(await services.local_workspace(USER)).id,
                                               platform="meta")
        assert {r.id for r in rows} == {c["ad_account_id"] for c in choices}
        assert all(r.access_token_enc and "EAA" not in str(r.access_token_enc) for r in rows)
        lines = render_prompt(turn.prompt)
        assert any(line.strip().startswith("2) Meta (Facebook/Instagram):") for line in lines), lines

        # A foreign id is refused by the driver, and nothing moves.
        refused = await services.driver.decide(
            conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id,
            decision={"connected": {"meta": "not-an-account"}}, actor=USER,
        )
        assert refused.status == "refused" and refused.notice
        assert refused.prompt is not None and refused.prompt.interrupt_id == turn.prompt.interrupt_id

        # Choose the second by its number, as `adly chat` and a Slack thread reply do.
        second = choices[1]
        turn = await services.driver.reply(conversation_id=turn.conversation_id, text="2", actor=USER)
        assert turn.prompt is not None and turn.prompt.kind == "review", turn
        turn = await _approve(services, turn)
        assert turn.prompt is not None and turn.prompt.kind == "preview", turn
        plan_platforms = turn.prompt.payload["plan"]["platforms"]
        assert [p["ad_account_id"] for p in plan_platforms] == [second["ad_account_id"]]
        assert plan_platforms[0]["external_account_id"] == second["external_id"]

        turn = await _approve(services, turn)
        assert turn.status == "live", turn
        async with services.sessions() as session:
            published = list(await session.scalars(select(PlatformCampaign)))
            account = await repo.get_ad_account(session=session, ad_account_id=second["ad_account_id"])
            assert account is not None
            token, _ = repo.read_tokens(cipher=services.ctx.cipher, account=account)
        assert [p.ad_account_id for p in published] == [second["ad_account_id"]]
        # The platform has the campaign in the second account.
        http = services.sandboxed["meta"]
        response = await http.get(f"{API_BASE_URLS['meta']}/{GRAPH_VERSION}/{second['external_id']}/campaigns", params={"access_token": token,
                                                                                "fields": "id,account_id"})
        assert response.status_code == 200, response.text
        ids = [c["id"] for c in response.json()["data"]]
        assert published[0].external_campaign_id in ids


async def test_one_account_is_chosen_without_asking(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _choice_prompt(services)
        assert turn.prompt is not None and turn.prompt.kind == "review", turn
