"""The HTTP front door (FastAPI): health, OAuth callbacks, and the seed's REST API over the conversation driver."""

from __future__ import annotations

import html
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import Receive, Scope, Send

from agent.oauth import OAuthFailed, open_reconnect, state_claims
from agent.oauth_texts import oauth_text, page_language
from bot.api.app import install_api
from bot.api.jobs import fail_abandoned_jobs
from bot.deps import ServicesDep
from bot.oauth_resume import store_and_resume
from bot.platform_wiring import SANDBOX_PAGES_PATH
from bot.services import Services, open_services
from bot.settings import Settings
from store import repositories as repo

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, services: Services | None = None, port: int | None = None,
               slack: SlackFrontDoor | None = None) -> FastAPI:
    """The ASGI app; it opens the services in its lifespan unless given them (tests, Slack sharing one set).

    Slack is served at /slack/events (events, interactivity, commands), /slack/install and
    /slack/oauth_redirect when a front door is given, or built here when Slack is configured.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if services is not None:
            app.state.services = services
            app.state.slack = slack
            yield
            return
        async with open_services(settings, port=port) as opened:
            from bot.slack.app import build_slack

            await fail_abandoned_jobs(opened)
            app.state.services = opened
            app.state.slack = slack or build_slack(opened, port=port)
            yield

    app = FastAPI(
        title="ADLY", lifespan=lifespan, version="1.0",
        description="Campaigns from a sentence, on Meta, TikTok and Snapchat. Every `/workspaces/{id}/...` route "
                    "needs a workspace API key (`adly api-keys create`) as `Authorization: Bearer <key>`; errors are "
                    "RFC 9457 problem details.",
    )
    app.state.slack = slack
    install_api(app, settings or (services.settings if services is not None else Settings()), port=port)
    if services is not None:
        app.state.services = services  # usable without a lifespan run too (ASGI transports in tests)

    async def slack_request(request: Request) -> Response:
        front: SlackFrontDoor | None = request.app.state.slack
        if front is None:
            return Response("Slack is not configured", status_code=404)
        from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler

        return await AsyncSlackRequestHandler(front.app).handle(request)

    app.add_api_route("/slack/events", slack_request, methods=["POST"], include_in_schema=False)
    app.add_api_route("/slack/install", slack_request, methods=["GET"], include_in_schema=False)
    app.add_api_route("/slack/oauth_redirect", slack_request, methods=["GET"], include_in_schema=False)

    # The in-process simulators' consent pages, where a Connect button of a sandboxed platform leads.
    app.mount(SANDBOX_PAGES_PATH, _sandbox_pages, name="sandbox")

    @app.get("/healthz")
    async def healthz(services: ServicesDep) -> dict[str, Any]:
        async with services.sessions() as session:
            await repo.list_workspaces(session=session)
        return {"ok": True, "platforms": {p: services.platform_modes.get(p, "live") for p in services.platforms}}

    @app.get("/oauth/{platform}/callback", response_class=HTMLResponse)
    async def oauth_callback(platform: str, request: Request, services: ServicesDep) -> HTMLResponse:
        params = request.query_params
        code = params.get("code") or params.get("auth_code")
        state = params.get("state")
        language = await _page_language_of(services, request, state)
        if "error" in params:
            reason = params.get("error_description") or params.get("error_reason") or params["error"]
            if platform in services.platforms and state:
                await _decline_oauth(services, request.app.state.slack, platform, state, reason)
            return _page("title_not_connected", oauth_text("page_declined", language, reason=reason), language, 400)
        if not code or not state or platform not in services.platforms:
            return _page("title_not_connected", oauth_text("page_no_code", language), language, 400)
        failure = await store_and_resume(services, request.app.state.slack, platform, code, state)
        if failure is not None:
            return _page("title_not_connected", oauth_text("page_refused", language, reason=failure.text(language)),
                         language, 400)
        return _page("title_connected", oauth_text("page_connected", language), language)

    @app.get("/oauth/{platform}/reconnect", response_class=HTMLResponse, response_model=None)
    async def oauth_reconnect(platform: str, request: Request, services: ServicesDep) -> Response:
        """A Reconnect button of a token warning: a fresh connect link for the account's workspace, opened now."""
        ticket = request.query_params.get("ticket")
        language = page_language(request.headers.get("accept-language"))
        if platform not in services.platforms or not ticket:
            return _page("title_not_connected", oauth_text("page_reconnect_incomplete", language), language, 400)
        try:
            url = await open_reconnect(services.ctx, platform=platform, ticket=ticket)
        except OAuthFailed as exc:
            return _page("title_not_connected", oauth_text("page_refused", language, reason=exc.text(language)),
                         language, 400)
        return RedirectResponse(url, status_code=302)

    return app


async def _decline_oauth(services: Services, slack: SlackFrontDoor | None, platform: str, state: str,
                         reason: str) -> None:
    """Consent declined: the driver records it and says so; a Slack thread is told (the link stays usable)."""
    try:
        turn = await services.driver.decline_oauth(platform=platform, state=state, reason=reason,
                                                   actor=f"oauth:{platform}")
    except OAuthFailed as exc:
        log.info("declined consent for %s not recorded: %s", platform, exc.reason)
        return
    if turn is not None and turn.notice and slack is not None:
        await slack.renderer.deliver_notice(turn.conversation_id, turn.notice)


async def _conversation_of_state(services: Services, state: str) -> str | None:
    try:
        return (await state_claims(services.ctx, state)).conversation_id or None
    except OAuthFailed:  # an invalid state fails properly inside complete_oauth; here it only means "unknown"
        return None


async def _sandbox_pages(scope: Scope, receive: Receive, send: Send) -> None:
    """Looked up per request: the services (and their simulators) open in the lifespan, after routes exist."""
    services: Services | None = getattr(scope["app"].state, "services", None)
    pages = services.sandbox_pages if services is not None else None
    if pages is None:
        await _page("title_not_found", oauth_text("page_no_sandbox", "en"), "en", 404)(scope, receive, send)
        return
    await pages(scope, receive, send)


async def _page_language_of(services: Services, request: Request, state: str | None) -> str:
    """The conversation's language when the state names one (the person who asked), else the browser's."""
    conversation_id = await _conversation_of_state(services, state) if state else None
    if conversation_id is not None:
        async with services.sessions() as session:
            conversation = await repo.get_conversation(session=session, conversation_id=conversation_id)
        if conversation is not None and conversation.language in ("ar", "en"):
            return conversation.language
    return page_language(request.headers.get("accept-language"))


def _page(title_key: str, message: str, language: str, status: int = 200) -> HTMLResponse:
    """A small page in the reader's language, laid out right to left for Arabic."""
    title = oauth_text(title_key, language)
    direction = "rtl" if language == "ar" else "ltr"
    body = (f"<!doctype html><html lang='{language}' dir='{direction}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>ADLY: {html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1><p>{html.escape(message)}</p></body></html>")
    return HTMLResponse(body, status_code=status)


async def serve(settings: Settings, *, force_http: bool = False, host: str | None = None, port: int | None = None,
                workers: int = 0, verbose: bool = False) -> int:
    """`adly serve`: the HTTP API and the Slack app (Socket Mode with an app token, else HTTP) under uvicorn.

    Flow work is deferred to the work queue (bot/work/). On SQLite it runs in this process. On PostgreSQL it runs in
    `workers` child processes (`adly worker`), or, with none, in this process beside the web server."""
    import uvicorn

    from bot.leadership import Leadership, leader_lock
    from bot.recovery import resume_interrupted_publishes
    from bot.scheduler import build_scheduler
    from bot.slack.app import build_slack
    from bot.work.catalogue import register_jobs
    from bot.work.postgres import PostgresQueue
    from bot.work.worker import WorkerProcesses, needs_postgres_message
    from tools.generation.workers import warm_pool

    if workers and not settings.queue_in_postgres:
        print(f"--workers: {needs_postgres_message()}", file=sys.stderr)
        return 2
    port = port or settings.adly_port
    async with open_services(settings, port=port) as services:
        slack = build_slack(services, port=port)
        front_jobs = register_jobs(services, slack)
        socket = None
        if slack is not None:
            if settings.slack_app_token is not None and not force_http:
                from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

                socket = AsyncSocketModeHandler(slack.app, settings.slack_app_token.get_secret_value())
                await socket.connect_async()
                log.warning("Slack: Socket Mode connected")
            elif settings.slack_signing_secret is None:
                print("Slack HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode).")
                return 2
            else:
                log.warning("Slack: HTTP mode at %s/slack/events", settings.public_url(port))
        scheduler = None

        async def elected() -> None:
            nonlocal scheduler
            # The leader resumes what a stopped process left half-published (never two processes at once), at
            # its election and then every few minutes from the scheduler.
            services.background.spawn(resume_interrupted_publishes(services, slack), name="resume-publishes")
            if settings.adly_scheduler_enabled:
                queue = None if services.queue.runs_here else services.queue
                scheduler = build_scheduler(services.ctx, extra_jobs=front_jobs, queue=queue)
                scheduler.start()

        async def lost() -> None:
            nonlocal scheduler
            if scheduler is not None:
                scheduler.shutdown(wait=False)
                scheduler = None

        leadership = Leadership(leader_lock(settings.app_database_url, settings.data_dir), on_elected=elected,
                                on_lost=lost, retry_s=settings.adly_leader_retry_s)
        if await leadership.start() and services.queue.runs_here:
            # In-process API jobs left "running" by a stopped process (only the first leader, at its start: a
            # process elected later has jobs of its own running). Queued in PostgreSQL, they run again instead.
            await fail_abandoned_jobs(services)
        children = WorkerProcesses(workers, verbose=verbose) if workers else None
        local_worker = None
        if children is not None:
            await children.start()
        elif isinstance(services.queue, PostgresQueue):
            local_worker = services.background.spawn(
                services.queue.work(concurrency=settings.adly_worker_concurrency), name="work")
        app = create_app(settings, services=services, port=port, slack=slack)
        warm_pool()
        config = uvicorn.Config(app, host=host or settings.adly_host, port=port, log_level="info")
        try:
            await uvicorn.Server(config).serve()
        finally:
            if children is not None:
                await children.stop()
            if local_worker is not None:
                local_worker.cancel()
            await leadership.stop()
            if socket is not None:
                await socket.close_async()
    return 0
