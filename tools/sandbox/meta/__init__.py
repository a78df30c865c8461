"""Meta Graph API simulator (v24.0+ paths): OAuth dialog, ad accounts, objects, uploads, insights, errors.

Its rooms, each a part of the simulator class `app.MetaSimulator` is made of:

- ``base``: the sandbox user's ids, Graph's error answer, the state and helpers every room uses.
- ``accounts``: the OAuth dialog and token exchange, the ad accounts, the geo search.
- ``objects``: campaigns, ad sets, creatives and ads: creation with Graph's checks, reads, updates, deletes.
- ``media``: ad images and videos.
- ``insights``: the insights edge.
- ``app``: the Graph entry (version, token, faults), the routing by path and batch, and ``meta_app``.
"""

from __future__ import annotations

from tools.sandbox.meta.app import meta_app

__all__ = ["meta_app"]
