"""Snap Marketing API v1 client: Bearer auth, wrapped lists, micro money, errors that can hide in a 200.

The client lives in rooms; import from the package, as callers do (``from tools.platforms.snapchat import
SnapchatClient``):

- ``client``: ``SnapchatClient``, the API and OAuth calls, their order and the lookups and entities they cache.
- ``wire``: the API version and hosts, our objective and CTA words as Snap's enums, wrapped lists.
- ``tree``: campaign, ad squad, creative and ad specs as Snap entities (pure).
- ``reads``: Snap's answers read as object states and insight rows (pure).
- ``errors``: Snap's statuses, item errors and OAuth errors as the error tree.
"""

from __future__ import annotations

from tools.platforms.base import PlatformError
from tools.platforms.snapchat.client import SnapchatClient
from tools.platforms.snapchat.errors import raise_for_error
from tools.platforms.snapchat.wire import API_BASE_URL, API_VERSION, OAUTH_BASE_URL, SCOPE

# PlatformError stays here because the module this package replaced exported it.
__all__ = [
    "API_BASE_URL", "API_VERSION", "OAUTH_BASE_URL", "SCOPE", "PlatformError", "SnapchatClient", "raise_for_error",
]  # fmt: skip
