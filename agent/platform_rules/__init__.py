"""Per-platform advertising rules (one data module each, sources in their comments) and `rules_for`."""

from __future__ import annotations

from agent.platform_rules import meta, snapchat, tiktok
from agent.platform_rules.base import PlatformRules

_RULES: dict[str, PlatformRules] = {
    "meta": meta.RULES,
    "tiktok": tiktok.RULES,
    "snapchat": snapchat.RULES,
}


def rules_for(platform: str) -> PlatformRules:
    """The rules of `platform` ("meta", "tiktok", "snapchat"); KeyError for any other name."""
    return _RULES[platform]


__all__ = ["PlatformRules", "rules_for"]
