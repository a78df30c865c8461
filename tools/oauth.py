"""Signed, expiring OAuth `state` values (HMAC-SHA256, base64url); single use is the store's job."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime


class StateError(ValueError):
    """The state value cannot be trusted."""


class StateSignatureError(StateError):
    """Malformed, or not signed with our secret (tampered, or from another deployment)."""


class StateExpiredError(StateError):
    """Correctly signed but past its expiry."""


@dataclass(frozen=True)
class StateClaims:
    nonce: str
    workspace_id: str
    conversation_id: str
    platform: str
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def sign_state(
    secret: bytes, *, nonce: str, workspace_id: str, conversation_id: str, platform: str, expires_at: datetime
) -> str:
    """`<payload>.<mac>`, both base64url; the payload binds workspace, conversation, platform and expiry."""
    payload = json.dumps(
        {
            "n": nonce,
            "w": workspace_id,
            "c": conversation_id,
            "p": platform,
            "e": int(_aware(expires_at).timestamp()),
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    body = _b64(payload)
    mac = hmac.new(secret, body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def verify_state(secret: bytes, token: str, now: datetime) -> StateClaims:
    """The claims of a state we signed; StateSignatureError or StateExpiredError otherwise."""
    try:
        body, mac_text = token.split(".")
        mac = _unb64(mac_text)
    except (ValueError, TypeError) as exc:
        raise StateSignatureError("OAuth state is malformed") from exc
    expected = hmac.new(secret, body.encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(mac, expected):
        raise StateSignatureError("OAuth state signature does not match")
    try:
        data = json.loads(_unb64(body))
        claims = StateClaims(
            nonce=str(data["n"]), workspace_id=str(data["w"]), conversation_id=str(data["c"]),
            platform=str(data["p"]), expires_at=datetime.fromtimestamp(int(data["e"]), UTC),
        )  # fmt: skip
    except (ValueError, KeyError, TypeError) as exc:
        raise StateSignatureError("OAuth state payload is malformed") from exc
    if _aware(now) >= claims.expires_at:
        raise StateExpiredError(f"OAuth state expired at {claims.expires_at.isoformat()}")
    return claims
