"""The landing page is asked once per workspace and remembered: later campaigns link to it without asking."""

from __future__ import annotations

import uuid

from pydantic import SecretStr

from agent.turns import Turn, Where
from bot.console import connect_in_sandbox
from bot.services import Services, open_services
from bot.settings import Settings
from store import repositories as repo

USER = "console:you"
SHOP = "https://shop.example.sa/ramadan"
TEXT = "Create Instagram campaign for Ramadan sale with 3000 SAR budget targeting women 25-40 in Riyadh"


async def _start(services: Services, text: str) -> Turn:
    workspace = await services.local_workspace(USER)
    return await services.driver.start(workspace_id=workspace.id, user=USER, text=text,
                                       where=Where("console", "t", uuid.uuid4().hex))


async def _to_preview(services: Services, turn: Turn) -> Turn:
    while turn.prompt is not None and turn.prompt.kind != "preview":
        if turn.prompt.kind == "connect":
            turn = await connect_in_sandbox(services, turn, USER, lambda _: None)
        else:
            assert turn.prompt.kind == "review", turn.prompt
            payload = turn.prompt.payload
            turn = await services.driver.decide(
                conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id, actor=USER,
                decision={"action": "approve", "content_hash": payload["content_hash"]})
    assert turn.prompt is not None
    return turn


async def _landing_of(services: Services) -> str | None:
    async with services.sessions() as session:
        workspace = await services.local_workspace(USER)
        row = await repo.get_workspace(session=session, workspace_id=workspace.id)
        assert row is not None
        return row.landing_url


async def test_the_page_named_once_is_the_default_of_the_next_campaign(settings: Settings) -> None:
    async with open_services(settings) as services:
        # The sandbox's example page is never remembered: it is not the shop's page.
        await _to_preview(services, await _start(services, TEXT))
        assert await _landing_of(services) is None

        first = await _to_preview(services, await _start(services, f"{TEXT}, landing page {SHOP}"))
        assert first.prompt is not None and first.prompt.payload["plan"]["landing_url"] == SHOP
        assert await _landing_of(services) == SHOP

        second = await _to_preview(services, await _start(services, TEXT))
        assert second.prompt is not None and second.prompt.payload["plan"]["landing_url"] == SHOP

    # A real platform, which is never given a placeholder, is not asked again either.
    live = settings.model_copy(update={"meta_app_id": "123", "meta_app_secret": SecretStr("s3cret-value")})
    async with open_services(live) as services:
        turn = await _start(services, TEXT)
        # Nothing to ask: on to the (already connected) account's content review.
        assert turn.prompt is not None and turn.prompt.kind == "review", turn.prompt


async def test_a_remembered_page_that_fails_the_rules_is_not_used(settings: Settings) -> None:
    live = settings.model_copy(update={"meta_app_id": "123", "meta_app_secret": SecretStr("s3cret-value")})
    async with open_services(live) as services:
        workspace = await services.local_workspace(USER)
        async with services.sessions() as session, session.begin():
            await repo.update_workspace(session=session, workspace_id=workspace.id,
                                        landing_url="https://127.0.0.1/offer")
        turn = await _start(services, TEXT)
        assert turn.prompt is not None and turn.prompt.kind == "clarify", turn.prompt
        assert any(i["field"] == "landing_url" and i["severity"] == "error" for i in turn.prompt.payload["issues"])
