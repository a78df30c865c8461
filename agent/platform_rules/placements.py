"""Placements and chat destinations per platform, in our words: what each platform can be told (clients map them).

Sources: shared/reference/ad-platform-apis.md.
- Meta: targeting `publisher_platforms` plus `facebook_positions` (feed, story, facebook_reels, ...) and
  `instagram_positions` (stream, story, reels, explore, ...); omitted positions mean all [ref 1.3 targeting
  spec, doc placement-targeting]. Our words: feed, stories, reels, explore (Instagram only).
- TikTok: ad groups take `placements` [PLACEMENT_TIKTOK, PLACEMENT_PANGLE, PLACEMENT_GLOBAL_APP_BUNDLE]
  [ref 2.3]: it has no Reels or Stories; a marketer who names placements gets the TikTok app only ("tiktok").
- Snapchat: `placement_v2` CUSTOM's structure is unconfirmed in the reference [ref 3.3], so ADLY keeps
  AUTOMATIC and says so.
- Chats: Meta ad sets take `destination_type` WHATSAPP, MESSENGER or INSTAGRAM_DIRECT under
  OUTCOME_ENGAGEMENT [ref 1.3]. TikTok's and Snapchat's references list no chat destination for our flow, so
  a chat campaign runs as traffic there and validation says so.
"""

from __future__ import annotations

from collections.abc import Sequence

META_PLACEMENTS: tuple[str, ...] = ("feed", "stories", "reels", "explore")
# Full-screen vertical placements: an image made for a feed (1:1) is not what they show.
VERTICAL_PLACEMENTS = frozenset({"stories", "reels"})
CHAT_DESTINATIONS: tuple[str, ...] = ("whatsapp", "messenger", "instagram_direct")
CHAT_PLATFORMS = frozenset({"meta"})
# What a chat campaign becomes where chats cannot be the destination.
CHAT_FALLBACK_OBJECTIVE = "traffic"


def placements_for(platform: str, asked: Sequence[str]) -> list[str]:
    """The placements `platform` will be told, from the words asked; [] = the platform places automatically."""
    if not asked:
        return []
    if platform == "meta":
        return [p for p in META_PLACEMENTS if p in asked]
    if platform == "tiktok":
        return ["tiktok"]
    return []


def vertical_only(placements: Sequence[str]) -> bool:
    return bool(placements) and set(placements) <= VERTICAL_PLACEMENTS


def destination_for(platform: str, destination: str | None) -> str | None:
    """Where the ad's chat opens on `platform`, or None (a website, as for every other objective)."""
    return destination if destination in CHAT_DESTINATIONS and platform in CHAT_PLATFORMS else None


def objective_on(platform: str, objective: str, destination: str | None) -> str:
    """The objective `platform` runs: a chat campaign is traffic where the platform has no chat destination."""
    if destination in CHAT_DESTINATIONS and platform not in CHAT_PLATFORMS:
        return CHAT_FALLBACK_OBJECTIVE
    return objective
