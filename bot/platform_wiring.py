"""How each ad platform is reached: its real API, a sandbox over HTTP at a base URL, or the in-process simulator.

The rule (contract: "Ad platform base URLs"):
- `<PLATFORM>_API_BASE_URL` set: real HTTP to that URL, with the app credentials when set, else the sandbox's
  own (`sandbox-<platform>-app` / `sandbox-secret`); without credentials the OAuth pages default to that URL
  too (`adly sandbox serve` serves both), so a person or `adly demo` consents there.
- No base URL, app credentials set: the platform's real hosts.
- Neither: the in-process simulator. Its consent pages are served by ADLY itself under
  `<ADLY_PUBLIC_URL>/sandbox/<platform>/...` (bot/web.py mounts them), so a Connect button in Slack opens a page
  a browser can reach; `adly demo` and `adly chat` play that same page in-process.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

import httpx
from starlette.types import ASGIApp

from agent.publishing import hold_for_backoff
from agent.tracking import pace_tracked_call, read_usage
from bot.settings import Settings
from tools.platforms.base import AdPlatformClient
from tools.platforms.registry import make_client
from tools.sandbox import (
    API_BASE_URLS,
    OAUTH_BASE_URLS,
    SandboxFaults,
    browser_client,
    consent_pages,
    sandbox_app,
    sandbox_http_client,
)

PLATFORMS = ("meta", "tiktok", "snapchat")
SANDBOX_PAGES_PATH = "/sandbox"  # where bot/web.py mounts the in-process simulators' consent pages

Mode = Literal["live", "sandbox-http", "sandbox"]


@dataclass(frozen=True)
class PlatformRoute:
    """Where one platform's calls and consent pages go, and as which app."""

    platform: str
    mode: Mode  # live: real credentials; sandbox-http: sandbox credentials over HTTP; sandbox: in-process
    api_base_url: str
    oauth_base_url: str
    app_id: str
    app_secret: str = field(repr=False)
    token_base_url: str | None = None  # where codes are exchanged, when not at oauth_base_url (in-process sandbox)

    @property
    def sandbox_credentials(self) -> bool:
        return self.mode != "live"


def _credentials(settings: Settings, platform: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(app id, app secret, API base URL, OAuth base URL) of a platform from settings."""
    if platform == "meta":
        secret = settings.meta_app_secret
        return (settings.meta_app_id, secret.get_secret_value() if secret else None,
                settings.meta_api_base_url, settings.meta_oauth_base_url)
    if platform == "tiktok":
        secret = settings.tiktok_app_secret
        return (settings.tiktok_app_id, secret.get_secret_value() if secret else None,
                settings.tiktok_api_base_url, settings.tiktok_oauth_base_url)
    secret = settings.snapchat_client_secret
    return (settings.snapchat_client_id, secret.get_secret_value() if secret else None,
            settings.snapchat_api_base_url, settings.snapchat_oauth_base_url)


def platform_route(settings: Settings, platform: str, *, public_url: str) -> PlatformRoute:
    """The rule of the module docstring for one platform (pure: settings in, route out)."""
    app_id, app_secret, api_url, oauth_url = _credentials(settings, platform)
    api_url = api_url.rstrip("/") if api_url else None
    oauth_url = oauth_url.rstrip("/") if oauth_url else None
    if app_id and app_secret:
        return PlatformRoute(
            platform, "live", api_url or API_BASE_URLS[platform], oauth_url or OAUTH_BASE_URLS[platform],
            app_id, app_secret,
        )  # fmt: skip
    sandbox_id, sandbox_secret = f"sandbox-{platform}-app", "sandbox-secret"
    if api_url:
        return PlatformRoute(platform, "sandbox-http", api_url, oauth_url or api_url, sandbox_id, sandbox_secret)
    pages = f"{public_url.rstrip('/')}{SANDBOX_PAGES_PATH}/{platform}"
    return PlatformRoute(
        platform, "sandbox", API_BASE_URLS[platform], oauth_url or pages, sandbox_id, sandbox_secret,
        token_base_url=OAUTH_BASE_URLS[platform],  # the simulator's own OAuth host, reached in-process
    )


def _faults(
    settings: Settings, platform: str, overrides: dict[str, SandboxFaults] | None,
    clock: Callable[[], datetime] | None,
) -> SandboxFaults:  # fmt: skip
    """The simulator's faults (a test's override, else the settings'), on the app's clock unless told another."""
    if overrides and platform in overrides:
        faults = overrides[platform]
        # Set on the very object, not a copy: tests change their faults while the simulator runs.
        if faults.clock is None:
            faults.clock = clock
        return faults
    return SandboxFaults(
        latency_ms=settings.sandbox_latency_ms, error_rate=settings.sandbox_error_rate, seed=settings.sandbox_seed,
        extra_accounts=settings.sandbox_extra_accounts, clock=clock,
    )


@dataclass
class PlatformWiring:
    """What the composition root keeps of the platforms: clients, and the sandbox's browser side."""

    routes: dict[str, PlatformRoute]
    clients: dict[str, AdPlatformClient]
    sandboxed: dict[str, httpx.AsyncClient]  # API clients of the in-process simulators (fault hooks, tests)
    browsers: dict[str, httpx.AsyncClient]  # plays a person's browser on a sandbox consent page (demo, chat)
    pages: ASGIApp | None  # the in-process simulators' consent pages, served by `adly serve` at /sandbox


async def wire_platforms(
    settings: Settings, stack: AsyncExitStack, *, public_url: str, redirect_uris: dict[str, str],
    sandbox_faults: dict[str, SandboxFaults] | None = None, clock: Callable[[], datetime] | None = None,
) -> PlatformWiring:
    """Open one HTTP client per platform (closed by `stack`) and the sandbox pages, per `platform_route`.

    `clock`: the app's clock; the in-process simulators date status changes and deliver by it, so the days
    they report are the app's days.
    """
    routes = {p: platform_route(settings, p, public_url=public_url) for p in PLATFORMS}
    clients: dict[str, AdPlatformClient] = {}
    sandboxed: dict[str, httpx.AsyncClient] = {}
    simulators: dict[str, ASGIApp] = {}
    browsers: dict[str, httpx.AsyncClient] = {}
    web_browser: httpx.AsyncClient | None = None
    for platform, route in routes.items():
        if route.mode == "sandbox":
            simulators[platform] = sandbox_app(
                platform, state_dir=settings.sandbox_dir, faults=_faults(settings, platform, sandbox_faults, clock)
            )
            http = await stack.enter_async_context(
                sandbox_http_client(platform, state_dir=settings.sandbox_dir, app=simulators[platform])
            )
            sandboxed[platform] = http
        else:
            http = await stack.enter_async_context(httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0)))
        # Calls made for a publishing account wait while the saga has it parked (rate limits).
        http.event_hooks["request"].append(hold_for_backoff)
        # Tracking's calls are counted and paced per account, on the usage the platform reports (agent/tracking).
        http.event_hooks["request"].append(pace_tracked_call)
        http.event_hooks["response"].append(read_usage)
        clients[platform] = make_client(
            platform, http=http, base_url=route.api_base_url, oauth_base_url=route.oauth_base_url,
            app_id=route.app_id, app_secret=route.app_secret, token_base_url=route.token_base_url,
        )  # fmt: skip
        in_process_pages = route.mode == "sandbox" and route.oauth_base_url.startswith(public_url.rstrip("/"))
        if route.sandbox_credentials and not in_process_pages:
            # The consent page is at a URL of its own (`adly sandbox serve`): a browser reaches it over HTTP.
            if web_browser is None:
                web_browser = await stack.enter_async_context(httpx.AsyncClient(timeout=30.0))
            browsers[platform] = web_browser
    pages = None
    if simulators:
        pages = consent_pages(simulators, {p: redirect_uris[p] for p in simulators})
        mounted_at = urlsplit(public_url).path.rstrip("/") + SANDBOX_PAGES_PATH
        in_process = await stack.enter_async_context(browser_client(pages, mounted_at=mounted_at))
        for platform in simulators:
            browsers.setdefault(platform, in_process)
    return PlatformWiring(routes, clients, sandboxed, browsers, pages)
