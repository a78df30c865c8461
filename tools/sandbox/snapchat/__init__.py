"""Snap Marketing API v1 simulator: OAuth + refresh, wrapped lists, micro money, per-item errors, stats.

Its rooms, each a part of the simulator class `app.SnapchatSimulator` is made of:

- ``base``: the sandbox organization's ids, Snap's error answer, the state and helpers every room uses.
- ``accounts``: the consent page, the token grants (code, refresh), the ad account; the regions.
- ``objects``: campaigns, ad squads, creatives, ads and media containers: list, create with Snap's checks, update.
- ``media``: the upload that makes a media container READY.
- ``insights``: ad account stats.
- ``app``: the API entry (token, faults), the routing by path, and ``snapchat_app``.
"""

from __future__ import annotations

from tools.sandbox.snapchat.app import snapchat_app

__all__ = ["snapchat_app"]
