"""Puts the HTTP API on the app: its routes, problem details for every error, and the request guards."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import FastAPI

from bot.api import problems, routes, settings_routes
from bot.api.guards import LOOPBACK_HOSTS, BodyLimit, HostCheck
from bot.settings import Settings


def allowed_hosts(settings: Settings, port: int | None) -> list[str]:
    """ADLY_PUBLIC_URL's host, loopback, and ADLY_ALLOWED_HOSTS."""
    public = urlsplit(settings.public_url(port)).hostname or ""
    extra = [h.strip() for h in settings.adly_allowed_hosts.split(",") if h.strip()]
    return [public, *LOOPBACK_HOSTS, *extra]


def install_api(app: FastAPI, settings: Settings, *, port: int | None = None) -> None:
    problems.install(app)
    app.include_router(routes.router)
    app.include_router(settings_routes.router)
    # Last added runs first: the Host is checked before a byte of the body is read.
    app.add_middleware(BodyLimit, max_bytes=settings.adly_api_max_body_bytes)
    app.add_middleware(HostCheck, allowed=allowed_hosts(settings, port))
