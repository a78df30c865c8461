"""Graph error bodies as the error tree (tools/platforms/base.py), keeping Meta's code, subcode and message."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from tools.platforms._common import json_body
from tools.platforms.base import (
    InvalidRequest,
    PermissionMissing,
    PolicyRejected,
    RateLimited,
    TokenExpired,
    TransientError,
)

RATE_LIMIT_CODES = {4, 17, 32, 341, 613, *range(80000, 80015)}
PERMISSION_CODES = {3, 10, 294, *range(200, 300)}


def _retry_after(headers: httpx.Headers) -> float | None:
    """Minutes in X-Business-Use-Case-Usage (estimated_time_to_regain_access), else the ad-account reset."""
    best: float | None = None
    raw = headers.get("x-business-use-case-usage")
    if raw:
        try:
            for entries in json.loads(raw).values():
                for entry in entries:
                    minutes = float(entry.get("estimated_time_to_regain_access") or 0)
                    if minutes > 0:
                        best = max(best or 0.0, minutes * 60)
        except (ValueError, AttributeError, TypeError):
            pass
    raw = headers.get("x-ad-account-usage")
    if best is None and raw:
        try:
            seconds = float(json.loads(raw).get("reset_time_duration") or 0)
            best = seconds or None
        except (ValueError, AttributeError, TypeError):
            pass
    return best


def raise_for_error(response: httpx.Response) -> None:
    """Map a Graph error body into the error tree, keeping Meta's code, subcode and message."""
    body = json_body(response)
    error = body.get("error")
    if response.status_code < 400 and not error:
        return
    if not isinstance(error, dict):
        cls = TransientError if response.status_code >= 500 else InvalidRequest
        raise cls(
            f"meta: HTTP {response.status_code}", platform="meta", http_status=response.status_code, raw=body
        )
    code = int(error.get("code") or 0)
    subcode = error.get("error_subcode")
    message = str(error.get("error_user_msg") or error.get("message") or "error")
    kw: dict[str, Any] = {
        "platform": "meta", "platform_code": f"{code}/{subcode}" if subcode else code,
        "platform_message": str(error.get("message") or message), "http_status": response.status_code, "raw": body,
    }  # fmt: skip
    text = f"meta ({code}{'/' + str(subcode) if subcode else ''}): {message}"
    if code == 190 or code == 102:
        raise TokenExpired(text, **kw)
    if code in RATE_LIMIT_CODES:
        raise RateLimited(text, retry_after_s=_retry_after(response.headers), **kw)
    if code in PERMISSION_CODES:
        raise PermissionMissing(text, **kw)
    if code == 368:
        raise PolicyRejected(text, **kw)
    if code in (1, 2) or error.get("is_transient") or response.status_code >= 500:
        raise TransientError(text, **kw)
    field = None
    blame = (
        (error.get("error_data") or {}).get("blame_field_specs")
        if isinstance(error.get("error_data"), dict)
        else None
    )
    if blame and isinstance(blame, list) and blame[0]:
        field = ".".join(str(p) for p in blame[0])
    else:
        match = re.search(r"param(?:eter)? ([a-z_.\[\]0-9]+)", str(error.get("message") or ""))
        field = match.group(1) if match else None
    raise InvalidRequest(text, field=field, **kw)
