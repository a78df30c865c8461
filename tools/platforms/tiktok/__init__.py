"""TikTok API for Business v1.3 client: JSON bodies, Access-Token header, errors inside HTTP 200.

The client lives in rooms; import from the package, as callers do (``from tools.platforms.tiktok import
TikTokClient``):

- ``client``: ``TikTokClient``, the API calls, their order and the lookups they cache.
- ``wire``: the API version and hosts, our objective and CTA words as TikTok's enums, query encoding.
- ``tree``: campaign, ad group and ad specs as TikTok payloads (pure).
- ``reads``: TikTok's answers read as object states and insight rows (pure).
- ``errors``: TikTok's codes and HTTP statuses as the error tree.
"""

from __future__ import annotations

from tools.platforms.tiktok.client import TikTokClient
from tools.platforms.tiktok.errors import raise_for_code
from tools.platforms.tiktok.wire import API_BASE_URL, API_VERSION, OAUTH_BASE_URL, SANDBOX_API_BASE_URL

__all__ = ["API_BASE_URL", "API_VERSION", "OAUTH_BASE_URL", "SANDBOX_API_BASE_URL", "TikTokClient", "raise_for_code"]
