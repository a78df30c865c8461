"""Graph's usage headers read as one number: how much of the tightest quota the calls so far have used.

Meta answers every Marketing API call with `X-Business-Use-Case-Usage` (per business: `call_count`,
`total_cputime`, `total_time` in percent, and `estimated_time_to_regain_access` in minutes once throttled),
`X-Ad-Account-Usage` (`acc_id_util_pct`, `reset_time_duration` in seconds) and `X-App-Usage` (percentages).
A caller that paces itself on these never reaches the throttle (reference: ad-platform-apis.md, 1.6).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Usage:
    """The highest percentage any quota reports, and how long Meta says access is blocked (0: not blocked)."""

    pct: float
    blocked_s: float = 0.0


def _numbers(entry: Any, names: tuple[str, ...]) -> list[float]:
    out = []
    if isinstance(entry, dict):
        for name in names:
            try:
                out.append(float(entry.get(name) or 0))
            except (TypeError, ValueError):
                continue
    return out


def _json(raw: str | None) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def usage_of(headers: httpx.Headers) -> Usage | None:
    """The usage one answer reports; None when it carries no usage header (other platforms, OAuth calls)."""
    percents: list[float] = []
    blocked = 0.0
    seen = False
    business = _json(headers.get("x-business-use-case-usage"))
    if isinstance(business, dict):
        seen = True
        for entries in business.values():
            for entry in entries if isinstance(entries, list) else []:
                percents += _numbers(entry, ("call_count", "total_cputime", "total_time"))
                blocked = max(blocked, 60 * max(_numbers(entry, ("estimated_time_to_regain_access",)) or [0]))
    account = _json(headers.get("x-ad-account-usage"))
    if isinstance(account, dict):
        seen = True
        percents += _numbers(account, ("acc_id_util_pct",))
        if (max(_numbers(account, ("acc_id_util_pct",)) or [0])) >= 100:
            blocked = max(blocked, max(_numbers(account, ("reset_time_duration",)) or [0]))
    app = _json(headers.get("x-app-usage"))
    if isinstance(app, dict):
        seen = True
        percents += _numbers(app, ("call_count", "total_cputime", "total_time"))
    if not seen:
        return None
    return Usage(pct=max(percents or [0.0]), blocked_s=blocked)
