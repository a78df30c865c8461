"""The HTTP front door (FastAPI): health, OAuth callbacks, and the seed's REST API over the conversation driver."""

from __future__ import annotations

import html
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from agent.conversations import Turn, Where
from agent.oauth import OAuthFailed
from agent.parsing import parse_instruction
from agent.reports import campaign_summary
from bot.services import Services, open_services
from bot.settings import Settings
from store import repositories as repo

log = logging.getLogger(__name__)


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


class ParseBody(BaseModel):
    text: str
    today: date | None = None


class StartBody(BaseModel):
    text: str
    user: str


class DecideBody(BaseModel):
    interrupt_id: str
    decision: dict[str, Any]
    user: str


class ReplyBody(BaseModel):
    text: str
    user: str


def create_app(settings: Settings | None = None, *, services: Services | None = None, port: int | None = None) -> FastAPI:
    """The ASGI app; it opens the services in its lifespan unless given them (tests, Slack sharing one set)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if services is not None:
            app.state.services = services
            yield
            return
        async with open_services(settings, port=port) as opened:
            app.state.services = opened
            yield

    app = FastAPI(title="ADLY", lifespan=lifespan)

    @app.get("/healthz")
    async def healthz(services: ServicesDep) -> dict[str, Any]:
        async with services.sessions() as session:
            await repo.list_workspaces(session=session)
        return {"ok": True, "platforms": {p: ("sandbox" if p in services.sandboxed else "live")
                                          for p in services.platforms}}

    @app.get("/oauth/{platform}/callback", response_class=HTMLResponse)
    async def oauth_callback(platform: str, request: Request, services: ServicesDep) -> HTMLResponse:
        params = request.query_params
        if "error" in params:
            reason = params.get("error_description") or params["error"]
            return _page("Not connected", f"The platform said: {reason}. Go back to the conversation to try again.", 400)
        code = params.get("code") or params.get("auth_code")
        state = params.get("state")
        if not code or not state or platform not in services.platforms:
            return _page("Not connected", "This link is missing its code or state. Start again from the conversation.",
                         400)
        try:
            await services.driver.complete_oauth(platform=platform, code=code, state=state, actor=f"oauth:{platform}")
        except OAuthFailed as exc:
            return _page("Not connected", exc.reason, 400)
        return _page("Connected", "Your ad account is connected. You can close this tab and return to the conversation.")

    @app.post("/workspaces/{workspace_id}/campaigns/parse")
    async def parse(workspace_id: str, body: ParseBody, services: ServicesDep) -> dict[str, Any]:
        workspace = await _workspace(services, workspace_id)
        request = parse_instruction(body.text, today=body.today or services.ctx.clock().date(),
                                    default_currency=workspace.default_currency)
        return request.contract_dict()

    @app.post("/workspaces/{workspace_id}/campaigns")
    async def start(workspace_id: str, body: StartBody, services: ServicesDep) -> Turn:
        await _workspace(services, workspace_id)
        return await services.driver.start(workspace_id=workspace_id, user=body.user, text=body.text,
                                           where=Where("api"))

    @app.get("/workspaces/{workspace_id}/conversations/{conversation_id}")
    async def current(workspace_id: str, conversation_id: str, services: ServicesDep) -> Turn:
        await _owned(services, workspace_id, conversation_id)
        return await services.driver.current(conversation_id)

    @app.post("/workspaces/{workspace_id}/conversations/{conversation_id}/reply")
    async def reply(workspace_id: str, conversation_id: str, body: ReplyBody, services: ServicesDep) -> Turn:
        await _owned(services, workspace_id, conversation_id)
        return await services.driver.reply(conversation_id=conversation_id, text=body.text, actor=body.user)

    @app.post("/workspaces/{workspace_id}/conversations/{conversation_id}/decide")
    async def decide(workspace_id: str, conversation_id: str, body: DecideBody, services: ServicesDep) -> Turn:
        await _owned(services, workspace_id, conversation_id)
        return await services.driver.decide(conversation_id=conversation_id, interrupt_id=body.interrupt_id,
                                            decision=body.decision, actor=body.user)

    @app.get("/workspaces/{workspace_id}/conversations/{conversation_id}/summary")
    async def summary(workspace_id: str, conversation_id: str, services: ServicesDep) -> dict[str, Any]:
        await _owned(services, workspace_id, conversation_id)
        return await campaign_summary(services.ctx, conversation_id)

    return app


async def _workspace(services: Services, workspace_id: str) -> Any:
    async with services.sessions() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
    if workspace is None:
        raise HTTPException(404, "no such workspace")
    return workspace


async def _owned(services: Services, workspace_id: str, conversation_id: str) -> None:
    """Data of one workspace is never visible from another: a foreign conversation is simply not found."""
    async with services.sessions() as session:
        conversation = await repo.get_conversation(session=session, conversation_id=conversation_id)
    if conversation is None or conversation.workspace_id != workspace_id:
        raise HTTPException(404, "no such conversation")


def _page(title: str, message: str, status: int = 200) -> HTMLResponse:
    body = (f"<!doctype html><html><head><meta charset='utf-8'><title>ADLY: {html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1><p>{html.escape(message)}</p></body></html>")
    return HTMLResponse(body, status_code=status)


async def serve(settings: Settings, *, force_http: bool = False, host: str | None = None, port: int | None = None) -> int:
    """`adly serve`: the HTTP API (and, once configured, the Slack app) under uvicorn."""
    import uvicorn

    port = port or settings.adly_port
    app = create_app(settings, port=port)
    config = uvicorn.Config(app, host=host or settings.adly_host, port=port, log_level="info")
    await uvicorn.Server(config).serve()
    return 0
