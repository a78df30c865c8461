"""Snap's answers as the error tree (tools/platforms/base.py): HTTP status, request and item statuses, OAuth."""

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


def retry_after(response: httpx.Response) -> float | None:
    """Seconds from a `Retry-After: <seconds>` header, if any."""
    try:
        seconds = float(response.headers.get("retry-after") or "")
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def raise_for_error(response: httpx.Response, body: dict[str, Any], *, write: bool = False) -> None:
    """HTTP status first; then `request_status` and each item's `sub_request_status` (a 200 can hide failures)."""
    status = response.status_code
    failed_items = [
        item for key, items in body.items() if isinstance(items, list)
        for item in items if isinstance(item, dict) and item.get("sub_request_status") == "ERROR"
    ]  # fmt: skip
    if status < 400 and body.get("request_status", "SUCCESS") != "ERROR" and not failed_items:
        return
    reason = ""
    if failed_items:
        reason = str(failed_items[0].get("sub_request_error_reason") or "")
    message = str(body.get("display_message") or body.get("debug_message") or reason or f"HTTP {status}")
    code = body.get("error_code")
    kw: dict[str, Any] = {"platform": "snapchat", "platform_code": code, "platform_message": message,
                          "http_status": status, "raw": body}  # fmt: skip
    text = f"snapchat ({status}{' ' + str(code) if code else ''}): {message}"
    if status == 401:
        raise TokenExpired(text, **kw)
    if status == 403:
        raise PermissionMissing(text, **kw)
    if status == 429:
        # Snap is said to send no Retry-After (reference 3.6); one that does is honoured.
        raise RateLimited(text, retry_after_s=retry_after(response), **kw)
    if status >= 500:
        raise (OutcomeUnknown if write and status == 504 else TransientError)(text, **kw)
    if "policy" in message.lower():
        raise PolicyRejected(text, **kw)
    match = re.match(r"([a-z_][a-z0-9_.\[\]]*): ", reason or message)
    raise InvalidRequest(text, field=match.group(1) if match else None, **kw)


def raise_for_token_error(response: httpx.Response, body: dict[str, Any], *, grant_type: str | None) -> None:
    """An OAuth token answer that carries no access token: invalid_grant means the user must reconnect."""
    if response.status_code < 400 and "access_token" in body:
        return
    message = str(
        body.get("error_description") or body.get("error") or f"HTTP {response.status_code}"
    )
    kw: dict[str, Any] = {
        "platform": "snapchat",
        "platform_code": body.get("error"),
        "http_status": response.status_code,
        "raw": body,
    }
    if response.status_code >= 500:
        raise TransientError(f"snapchat oauth: {message}", **kw)
    if body.get("error") == "invalid_grant":
        raise TokenExpired(f"snapchat oauth: {message}", **kw)
    raise InvalidRequest(f"snapchat oauth: {message}", field=grant_type, **kw)
