"""TikTok API for Business v1.3 simulator: HTTP 200 envelopes with codes, request_id dedup, trailing slashes.

Its rooms, each a part of the simulator class `app.TikTokSimulator` is made of:

- ``base``: the sandbox advertiser, TikTok's error answer, the state every room uses.
- ``accounts``: the consent page and the auth_code exchange; the region tree.
- ``media``: the advertiser's library (image and video uploads, their search) and its identities.
- ``objects``: campaigns, ad groups and ads: creation with TikTok's checks, /get/ reads, status updates.
- ``insights``: the integrated report.
- ``app``: the API entry (version, token, faults), the routing by path, the envelopes, and ``tiktok_app``.
"""

from __future__ import annotations

from tools.sandbox.tiktok.app import tiktok_app

__all__ = ["tiktok_app"]
