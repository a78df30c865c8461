"""Fixtures of the HTTP API tests: the real app over ASGI with a workspace and keys of every kind."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from api_harness import BASE, BOSS, MARKETER, Api, make_key

from bot.services import open_services
from bot.settings import Settings
from bot.web import create_app
from store import api_keys
from store import repositories as repo


@pytest.fixture
def api_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"adly_scheduler_enabled": False})


@pytest.fixture
async def api(api_settings: Settings) -> AsyncIterator[Api]:
    async with open_services(api_settings, port=8780) as services:
        services.ctx.publish_backoff_s = 0.01
        async with services.sessions() as session, session.begin():
            workspace = await repo.create_workspace(session=session, name="Acme KSA", approvers=[BOSS, MARKETER])
            other = await repo.create_workspace(session=session, name="Other Co")
        app = create_app(api_settings, services=services, port=8780)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as http:
            harness = Api(services, http, workspace.id, other.id)
            for name, user, scopes, where in (
                ("boss", BOSS, ["read", "create", "approve", "publish"], workspace.id),
                ("marketer", MARKETER, ["read", "create", "approve", "publish"], workspace.id),
                ("reader", MARKETER, ["read"], workspace.id),
                ("creator", MARKETER, ["create"], workspace.id),
                ("other", "UOTHER", ["read", "create", "approve", "publish", "admin"], other.id),
                ("revoked", BOSS, ["read", "create", "approve", "publish"], workspace.id),
            ):
                harness.key_ids[name], harness.keys[name] = await make_key(services, where, user, scopes)
            async with services.sessions() as session, session.begin():
                await api_keys.revoke_api_key(session=session, key_id=harness.key_ids["revoked"])
            yield harness
            await services.background.drain()
