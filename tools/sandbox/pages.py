"""The sandbox consent pages, mounted where a person's browser reaches them (`/sandbox/<platform>/...`).

With no app credentials for a platform, ADLY talks to that platform's in-process simulator. A person in Slack
still has to press Connect, see a consent page and press Allow, so `adly serve` mounts the simulators' consent
pages, and only those, under its own public URL. The page answers from the same simulator instance the API
calls use, so the code it hands out is the one the token exchange accepts.

Only the browser half of OAuth is exposed: the simulated API (tokens, campaigns) stays in-process. And a page
redirects only to ADLY's own callback for that platform, as a real platform redirects only to the URIs
registered for the app: these pages must not become an open redirect on ADLY's domain.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from urllib.parse import parse_qs

import httpx
from starlette._utils import get_route_path
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Where each simulator serves its consent page (the path the platform client's authorize_url builds).
CONSENT_PATHS = {
    "meta": re.compile(r"/v\d+\.0/dialog/oauth"),
    "tiktok": re.compile(r"/portal/auth"),
    "snapchat": re.compile(r"/login/oauth2/authorize"),
}
MAX_FORM_BYTES = 64 * 1024  # a consent form is a few hidden fields; anything bigger is not one


def _page(title: str, message: str, status: int) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(message)}</p></body></html>",
        status_code=status,
    )


class ConsentOnly:
    """One simulator's consent page and nothing else of it; refuses redirects other than `redirect_uri`."""

    def __init__(self, app: ASGIApp, platform: str, redirect_uri: str) -> None:
        self.app = app
        self.platform = platform
        self.redirect_uri = redirect_uri

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if not CONSENT_PATHS[self.platform].fullmatch(get_route_path(scope)) or scope["method"] not in (
            "GET", "POST",
        ):
            await _page("Not found", "There is no sandbox page here.", 404)(scope, receive, send)
            return
        body = b""
        if scope["method"] == "GET":
            fields = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        else:
            chunks: list[bytes] = []
            size, more = 0, True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > MAX_FORM_BYTES:
                    await _page("Too large", "This is not a consent form.", 413)(scope, receive, send)
                    return
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            fields = parse_qs(body.decode("latin-1"))
        if fields.get("redirect_uri") != [self.redirect_uri]:
            await _page(
                "Invalid request",
                "This sandbox page only sends you back to ADLY; start again from the Connect button.",
                400,
            )(scope, receive, send)
            return
        if scope["method"] == "GET":
            await self.app(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def consent_pages(apps: Mapping[str, ASGIApp], redirect_uris: Mapping[str, str]) -> Router:
    """`/<platform>/<consent path>` for every simulator in `apps` (ADLY mounts it at `/sandbox`)."""
    return Router(
        routes=[
            Mount(f"/{platform}", app=ConsentOnly(app, platform, redirect_uris[platform]))
            for platform, app in apps.items()
        ]
    )


def browser_client(pages: ASGIApp, *, mounted_at: str) -> httpx.AsyncClient:
    """A browser for the pages without a server: every request goes in-process to `pages` at `mounted_at`.

    `adly demo` and `adly chat` have no HTTP server, yet play the person's browser on the very URL a Connect
    button links to (`<ADLY_PUBLIC_URL>/sandbox/...`), so they take the path a person takes.
    """
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=Router(routes=[Mount(mounted_at, app=pages)])), timeout=30.0
    )
