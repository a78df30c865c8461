"""Meta Marketing API (Graph) client: form-encoded writes, act_<id> paths, everything created PAUSED.

The client lives in rooms; import from the package, as callers do (``from tools.platforms.meta import MetaClient``):

- ``client``: ``MetaClient``, the Graph calls, their order and the lookups they cache.
- ``wire``: the Graph version and hosts, our objective, CTA and locale words as Graph's enums, form encoding.
- ``tree``: campaign, ad set, creative and ad specs as Graph params (pure).
- ``reads``: Graph's answers read as object states and insight rows (pure).
- ``errors``: Graph error bodies as the error tree.
"""

from __future__ import annotations

from tools.platforms.meta.client import MetaClient
from tools.platforms.meta.errors import raise_for_error
from tools.platforms.meta.wire import (
    API_BASE_URL,
    GRAPH_VERSION,
    OAUTH_BASE_URL,
    SCOPES,
    VIDEO_BASE_URL,
    act,
    encode_params,
)

__all__ = [
    "API_BASE_URL", "GRAPH_VERSION", "OAUTH_BASE_URL", "SCOPES", "VIDEO_BASE_URL", "MetaClient", "act",
    "encode_params", "raise_for_error",
]  # fmt: skip
