"""What a publish tells its caller: each platform's outcome, and the two errors that decide one apart from the
platform's own (`tools.platforms.base.PlatformError`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agent.texts import platform_list, t
from tools.platforms.base import PlatformError


class NeedsReconnect(Exception):
    """The platform token expired and cannot be refreshed: the user must connect the account again."""

    def __init__(self, platform: str) -> None:
        super().__init__(f"{platform} token expired")
        self.platform = platform


class Withdrawn(PlatformError):
    """The step's object was deleted by an earlier compensation: publishing it again needs a new approval."""


@dataclass
class PlatformOutcome:
    platform: str
    ok: bool = False
    external_campaign_id: str | None = None
    ad_sets: dict[str, str] = field(default_factory=dict)  # plan key -> external id
    ads: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    compensated: bool = False  # what was created was paused and deleted
    needs_reconnect: bool = False  # the token is dead: everything stays paused until the user reconnects
    paused: bool = False  # everything exists and is paused; a re-run (retry) can activate it
    ads_manager_url: str | None = None
    why: dict[str, Any] | None = None  # `error` as a sentence key and its values, to say it in the user's language

    def explain(self, key: str, **values: Any) -> None:
        """Why this platform is not live: kept as a key (any language) and in English (`error`, ledger and logs)."""
        self.why = {"key": key, "values": values}
        self.error = reason_text(self.why, "en")

    @property
    def state(self) -> str:
        if self.ok:
            return "live"
        if self.needs_reconnect:
            return "needs_reconnect"
        if self.compensated:
            return "compensated"
        return "paused" if self.paused else "failed"

    def as_dict(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "ok": self.ok,
            "state": self.state,
            "external_campaign_id": self.external_campaign_id,
            "ad_sets": [{"key": k, "external_id": v} for k, v in self.ad_sets.items()],
            "ads": [{"key": k, "external_id": v} for k, v in self.ads.items()],
            "error": self.error,
            "compensated": self.compensated,
            "needs_reconnect": self.needs_reconnect,
            "paused": self.paused,
            "ads_manager_url": self.ads_manager_url,
            "why": self.why,
        }


def reason_text(why: dict[str, Any] | None, language: str | None, fallback: str | None = None) -> str:
    """An outcome's reason in `language`: our sentences translated, the platform's own words quoted as given."""
    if not why:
        return fallback or ""
    values = {k: platform_list(list(v), language) if k == "platforms" else v for k, v in why["values"].items()}
    return t(why["key"], language, **values)


def describe(exc: BaseException) -> str:
    """An error as the ledger, the logs and the user see it: the platform's own words and code, when it has them."""
    if isinstance(exc, PlatformError):
        code = f" [{exc.platform_code}]" if exc.platform_code is not None else ""
        return f"{exc.platform_message}{code}"
    return str(exc) or type(exc).__name__
