"""The HTTP API harness: the real app over ASGI, a workspace with keys of every kind, job polling, consent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from bot.services import Services
from store import api_keys
from tools.sandbox import complete_consent

BASE = "http://127.0.0.1:8780"
BOSS, MARKETER = "UBOSS", "UMARKETER"


@dataclass
class Api:
    """The app, a workspace and keys: `keys[name]` is a secret; `headers(name)` the header that sends it."""

    services: Services
    http: httpx.AsyncClient
    workspace_id: str
    other_workspace_id: str
    keys: dict[str, str] = field(default_factory=dict)
    key_ids: dict[str, str] = field(default_factory=dict)

    def headers(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[key]}"}

    def url(self, path: str, workspace_id: str | None = None) -> str:
        return f"/workspaces/{workspace_id or self.workspace_id}{path}"

    async def job(self, accepted: httpx.Response, key: str = "boss") -> dict[str, Any]:
        """Wait for the job a 202 answered with; its final state."""
        assert accepted.status_code == 202, accepted.text
        await self.services.background.drain()
        polled = await self.http.get(accepted.json()["status_url"], headers=self.headers(key))
        assert polled.status_code == 200, polled.text
        job: dict[str, Any] = polled.json()
        assert job["status"] in ("succeeded", "failed"), job
        return job

    async def connect_everything(self, campaign: dict[str, Any]) -> dict[str, Any]:
        """A person consents on each sandbox page ADLY serves; the campaign goes on. Its view afterwards."""
        waiting = campaign["waiting_for"]
        assert waiting["kind"] == "connect", waiting
        for link in waiting["payload"]["links"]:
            redirect = await complete_consent(self.http, link["authorize_url"])
            landing = await self.http.get(redirect)
            assert "Connected" in landing.text, landing.text
            assert parse_qs(urlsplit(redirect).query)["state"]
        await self.services.background.drain()
        view = await self.http.get(self.url(f"/campaigns/{campaign['id']}"), headers=self.headers("boss"))
        return dict(view.json())


async def make_key(services: Services, workspace_id: str, user: str, scopes: list[str]) -> tuple[str, str]:
    async with services.sessions() as session, session.begin():
        issued = await api_keys.create_api_key(session=session, workspace_id=workspace_id, user_ref=user,
                                               scopes=scopes)
    return issued.key.id, issued.secret


