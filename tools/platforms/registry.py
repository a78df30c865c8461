"""Build the client for a platform by name; the caller owns the httpx client and the URLs."""

from __future__ import annotations

import httpx

from tools.platforms.base import AdPlatformClient


def make_client(
    platform: str,
    *,
    http: httpx.AsyncClient,
    base_url: str,
    oauth_base_url: str,
    app_id: str,
    app_secret: str,
    token_base_url: str | None = None,
) -> AdPlatformClient:
    """A client speaking `platform`'s wire format to `base_url` (real host, proxy or sandbox).

    `oauth_base_url` is where a browser consents; `token_base_url` where the code is exchanged, when that is
    elsewhere (only Snapchat exchanges codes on its OAuth host; Meta and TikTok do it on the API host)."""
    kwargs = {
        "base_url": base_url,
        "oauth_base_url": oauth_base_url,
        "app_id": app_id,
        "app_secret": app_secret,
    }
    if platform == "meta":
        from tools.platforms.meta import MetaClient

        return MetaClient(http, **kwargs)
    if platform == "tiktok":
        from tools.platforms.tiktok import TikTokClient

        return TikTokClient(http, **kwargs)
    if platform == "snapchat":
        from tools.platforms.snapchat import SnapchatClient

        return SnapchatClient(http, **kwargs, token_base_url=token_base_url)
    raise ValueError(f"unknown platform {platform!r}")


DEFAULT_BASE_URLS = {
    "meta": ("https://graph.facebook.com", "https://www.facebook.com"),
    "tiktok": ("https://business-api.tiktok.com", "https://business-api.tiktok.com"),
    "snapchat": ("https://adsapi.snapchat.com", "https://accounts.snapchat.com"),
}
