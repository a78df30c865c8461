"""TikTok's answers as the error tree (tools/platforms/base.py): codes inside HTTP 200, 4xx for a wrong path."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tools.platforms.base import (
    InvalidRequest,
    OutcomeUnknown,
    PermissionMissing,
    PolicyRejected,
    RateLimited,
    TokenExpired,
    TransientError,
)

RATE_LIMIT_CODES = {40016, 40100, 40133}
TOKEN_CODES = {40102, 40104, 40105}
PERMISSION_CODES = {40001, 40106, 40118, 40119, 40125}
TRANSIENT_CODES = {40201, 40202, 40901, 40902, 40903, 40913, 50000, 50002, 51305, 60001}


def raise_for_code(body: dict[str, Any], response: httpx.Response, *, write: bool = False) -> None:
    """TikTok answers HTTP 200 with `code` != 0 for application errors; 4xx means a wrong path or method."""
    if response.status_code >= 500:
        cls = OutcomeUnknown if write and response.status_code == 504 else TransientError
        raise cls(
            f"tiktok: HTTP {response.status_code}",
            platform="tiktok",
            http_status=response.status_code,
            raw=body,
        )
    if response.status_code >= 400:
        raise InvalidRequest(
            f"tiktok: HTTP {response.status_code} for {response.request.url.path} (wrong path or missing trailing slash?)",
            platform="tiktok", http_status=response.status_code, raw=body,
        )  # fmt: skip
    code = int(body.get("code", -1))
    if code in (0, 20001):
        return
    message = str(body.get("message") or "error")
    kw: dict[str, Any] = {
        "platform": "tiktok", "platform_code": code, "platform_message": message,
        "http_status": response.status_code, "raw": body,
    }  # fmt: skip
    text = f"tiktok ({code}): {message}"
    if code in RATE_LIMIT_CODES:
        # No headers say how long; QPS limits clear within a second, QPM within a minute.
        raise RateLimited(text, retry_after_s=None, **kw)
    if code in TOKEN_CODES:
        raise TokenExpired(text, **kw)
    if code in PERMISSION_CODES:
        raise PermissionMissing(text, **kw)
    if code in TRANSIENT_CODES:
        raise TransientError(text, **kw)
    if code in (40004, 40005) or "policy" in message.lower():
        raise PolicyRejected(text, **kw)
    # Messages name the field first ("budget: ...") or after "field"/"param" ("Invalid param budget").
    match = re.match(r"([a-z_][a-z0-9_.\[\]]*): ", message) or re.search(
        r"(?:field|param|parameter) ([a-z_][a-z0-9_.]*)", message
    )
    field = match.group(1) if match else None
    raise InvalidRequest(text, field=field, **kw)
