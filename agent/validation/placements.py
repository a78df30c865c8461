"""Placement and chat notes: which placements each platform takes, and where a chat campaign runs as traffic."""

from __future__ import annotations

from agent import messages as msg
from agent.messages import Bi
from agent.models import CampaignRequest
from agent.planning import request_destination, request_placements
from agent.platform_rules import placements as placement_rules
from agent.validation.issues import ValidationIssue, make_issue, platform_names

PLACEMENT_NAMES: dict[str, Bi] = {
    "feed": Bi("Feed", "الخلاصة (فيد)"),
    "stories": Bi("Stories", "القصص (ستوري)"),
    "reels": Bi("Reels", "ريلز"),
    "explore": Bi("Explore", "استكشاف (إكسبلور)"),
}
DESTINATION_NAMES: dict[str, Bi] = {
    "whatsapp": Bi("WhatsApp", "واتساب"),
    "messenger": Bi("Messenger", "ماسنجر"),
    "instagram_direct": Bi("Instagram Direct", "رسائل إنستغرام المباشرة"),
}


def _names(items: list[Bi]) -> Bi:
    return Bi(", ".join(i.en for i in items), "، ".join(i.ar for i in items))


def placement_issues(request: CampaignRequest) -> list[ValidationIssue]:
    """Info notes that say where the ads will show, and where a chat campaign cannot be one."""
    issues: list[ValidationIssue] = []
    asked = request_placements(request)
    if asked:
        meta = placement_rules.placements_for("meta", asked)
        if "meta" in request.platforms and meta:
            text = msg.text("placements_meta", placements=_names([PLACEMENT_NAMES[p] for p in meta]))
            issues.append(make_issue("placements", "placements_meta", "info", text, platform="meta"))
        if "tiktok" in request.platforms:
            issues.append(make_issue("placements", "placements_tiktok", "info", msg.text("placements_tiktok"),
                                     platform="tiktok"))
        if "snapchat" in request.platforms:
            issues.append(make_issue("placements", "placements_snapchat", "info", msg.text("placements_snapchat"),
                                     platform="snapchat"))
    destination = request_destination(request)
    if destination in DESTINATION_NAMES:
        app = DESTINATION_NAMES[destination]
        if "meta" in request.platforms:
            issues.append(make_issue("objective", "chat_objective", "info", msg.text("chat_objective_meta", app=app),
                                     platform="meta"))
        others = [p for p in request.platforms if placement_rules.destination_for(p, destination) is None]
        if others:
            text = msg.text("chat_objective_unavailable", app=app, platforms=platform_names(others))
            issues.append(make_issue("objective", "chat_objective_unavailable", "warning", text))
    return issues


def placement_line(placements: list[str], destination: str | None) -> Bi | None:
    """One plan line: where a platform's ads show and where their chat opens; None when both are automatic."""
    parts: list[Bi] = []
    shown = [PLACEMENT_NAMES[p] for p in placements if p in PLACEMENT_NAMES]
    if placements == ["tiktok"]:
        shown = [Bi("the TikTok app", "تطبيق تيك توك")]
    if shown:
        parts.append(msg.bi("plan_placements", placements=_names(shown)))
    if destination in DESTINATION_NAMES:
        parts.append(msg.bi("plan_chat", app=DESTINATION_NAMES[destination]))
    if not parts:
        return None
    return Bi("; ".join(p.en for p in parts), "؛ ".join(p.ar for p in parts))
