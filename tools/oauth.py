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


_TICKET_CONTEXT = b"adly-reconnect-ticket:"  # never verifies as a state, nor a state as a ticket


def sign_ticket(secret: bytes, *, subject: str, expires_at: int) -> str:
    """A reconnect ticket: `<subject>~<expiry epoch s>.<MAC>`, for a link posted long before it is pressed (the
    link opens a fresh, short-lived state when pressed). `subject` is an id without dots or tildes."""
    if not subject or "." in subject or "~" in subject:
        raise ValueError("a ticket subject is a non-empty id without dots or tildes")
    body = f"{subject}~{expires_at}"
    mac = _b64(hmac.new(secret, _TICKET_CONTEXT + body.encode(), hashlib.sha256).digest())
    return f"{body}.{mac}"


def verify_ticket(secret: bytes, ticket: str, *, now: float) -> str:
    """The subject of a ticket we signed that has not expired; StateSignatureError or StateExpiredError otherwise."""
    body, dot, mac = ticket.rpartition(".")
    subject, tilde, expiry = body.partition("~")
    if not dot or not tilde or not subject or not expiry.isdigit() or len(ticket) > 512:
        raise StateSignatureError("reconnect ticket is malformed")
    expected = _b64(hmac.new(secret, _TICKET_CONTEXT + body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(mac.encode(), expected.encode()):
        raise StateSignatureError("reconnect ticket signature does not match")
    if int(expiry) <= now:
        raise StateExpiredError("reconnect ticket has expired")
    return subject
