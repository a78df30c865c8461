"""Sandbox ad platforms: ASGI simulators of Meta, TikTok and Snapchat, and an httpx client wired to them."""

from __future__ import annotations

from pathlib import Path

import httpx
from starlette.types import ASGIApp

from tools.platforms.meta import API_BASE_URL as META_API_BASE_URL
from tools.platforms.meta import OAUTH_BASE_URL as META_OAUTH_BASE_URL
from tools.platforms.snapchat import API_BASE_URL as SNAPCHAT_API_BASE_URL
from tools.platforms.snapchat import OAUTH_BASE_URL as SNAPCHAT_OAUTH_BASE_URL
from tools.platforms.tiktok import API_BASE_URL as TIKTOK_API_BASE_URL
from tools.platforms.tiktok import OAUTH_BASE_URL as TIKTOK_OAUTH_BASE_URL
from tools.sandbox.core import SandboxFaults, SandboxTransport, complete_consent
from tools.sandbox.pages import browser_client, consent_pages

API_BASE_URLS = {"meta": META_API_BASE_URL, "tiktok": TIKTOK_API_BASE_URL, "snapchat": SNAPCHAT_API_BASE_URL}
OAUTH_BASE_URLS = {
    "meta": META_OAUTH_BASE_URL,
    "tiktok": TIKTOK_OAUTH_BASE_URL,
    "snapchat": SNAPCHAT_OAUTH_BASE_URL,
}

__all__ = [
    "API_BASE_URLS", "META_API_BASE_URL", "META_OAUTH_BASE_URL", "OAUTH_BASE_URLS", "SNAPCHAT_API_BASE_URL",
    "SNAPCHAT_OAUTH_BASE_URL", "TIKTOK_API_BASE_URL", "TIKTOK_OAUTH_BASE_URL", "SandboxFaults", "browser_client",
    "complete_consent", "consent_pages", "sandbox_app", "sandbox_http_client",
]  # fmt: skip


def _warm_up() -> None:
    """Load now what the first requests would load mid-flight (the form parser, currency data): a fresh
    simulator then answers at its configured latency from the first call, as a live platform does."""
    import starlette.formparsers  # noqa: F401 - imports python-multipart

    from tools.platforms.money import meta_offset

    meta_offset("SAR")


def sandbox_app(platform: str, *, state_dir: Path, faults: SandboxFaults | None = None) -> ASGIApp:
    """The simulator for one platform; its state lives in `state_dir/<platform>.sqlite`."""
    _warm_up()
    if platform == "meta":
        from tools.sandbox.meta import meta_app

        return meta_app(state_dir, faults)
    if platform == "tiktok":
        from tools.sandbox.tiktok import tiktok_app

        return tiktok_app(state_dir, faults)
    if platform == "snapchat":
        from tools.sandbox.snapchat import snapchat_app

        return snapchat_app(state_dir, faults)
    raise ValueError(f"unknown platform {platform!r}")


def sandbox_http_client(
    platform: str, *, state_dir: Path, faults: SandboxFaults | None = None, timeout: float = 30.0,
    app: ASGIApp | None = None,
) -> httpx.AsyncClient:
    """An AsyncClient whose every request (whatever the host) goes in-process to the platform's simulator.

    base_url is the platform's real API host, so clients are built with the real base URLs. ASGITransport
    applies no timeouts; the `timeout_after_create_on` fault raises httpx.ReadTimeout instead. `app` is a
    simulator already built (its consent pages served elsewhere share its state); else one is built here.
    """
    app = app or sandbox_app(platform, state_dir=state_dir, faults=faults)
    return httpx.AsyncClient(
        transport=SandboxTransport(app=app), base_url=API_BASE_URLS[platform], timeout=timeout
    )
