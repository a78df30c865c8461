"""Signed, opaque OAuth `state` values: `<reference>.<HMAC-SHA256>`, both base64url.

The state travels in URLs a person can read (Connect links posted in Slack, the platform's redirect), so it
carries nothing but a random reference to the store's row, which holds the workspace, the conversation, the
platform and the expiry. The MAC lets a forged or altered state be refused before the store is asked; single
use and expiry are the store's job.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

_CONTEXT = b"adly-oauth-state:"  # a MAC made for another purpose with the same key never verifies here


class StateError(ValueError):
    """The state value cannot be trusted."""


class StateSignatureError(StateError):
    """Malformed, or not signed with our secret (tampered, or from another deployment)."""


class StateExpiredError(StateError):
    """Correctly signed, but its link has expired or was already used (decided by the store)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _mac(secret: bytes, reference: str) -> str:
    return _b64(hmac.new(secret, _CONTEXT + reference.encode(), hashlib.sha256).digest())


def sign_state(secret: bytes, *, reference: str) -> str:
    """The state for `reference` (a random, unguessable id without dots: the store's row id)."""
    if not reference or "." in reference:
        raise ValueError("an OAuth state reference is a non-empty id without dots")
    return f"{reference}.{_mac(secret, reference)}"


def verify_state(secret: bytes, token: str) -> str:
    """The reference inside a state we signed; StateSignatureError otherwise."""
    reference, dot, mac = token.rpartition(".")
    if not dot or not reference or not mac or len(token) > 512:
        raise StateSignatureError("OAuth state is malformed")
    if not hmac.compare_digest(mac.encode(), _mac(secret, reference).encode()):
        raise StateSignatureError("OAuth state signature does not match")
    return reference
