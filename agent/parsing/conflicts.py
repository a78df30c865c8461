"""Where the rules and the LLM read a number or a platform differently: recorded, asked about, never guessed.

A conflict lives on the request as the extension `conflicts: [{"field", "rules", "llm"}]` (contract values:
numbers, ISO dates, platform lists) and its field is named in `missing`. It is open exactly while its
field is in `missing`: a reply that gives the field, or a picked fix that patches it, closes it.
The request keeps the rules' value meanwhile (the rules are the ground truth for numbers).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from agent.models import CampaignRequest

__all__ = ["CONFLICT_FIELDS", "add_conflicts", "conflicts_of", "open_conflicts", "settle"]

CONFLICT_FIELDS = ("budget.amount", "audience.age_min", "audience.age_max", "schedule", "platforms")


def conflicts_of(request: CampaignRequest) -> list[dict[str, Any]]:
    raw = (request.model_extra or {}).get("conflicts")
    if not isinstance(raw, list):
        return []
    return [c for c in raw if isinstance(c, dict) and isinstance(c.get("field"), str) and "rules" in c and "llm" in c]


def open_conflicts(request: CampaignRequest) -> list[dict[str, Any]]:
    """Conflicts still waiting for the marketer's answer, in the order they were found."""
    missing = set(request.missing)
    return [c for c in conflicts_of(request) if c["field"] in missing]


def add_conflicts(request: CampaignRequest, conflicts: Iterable[dict[str, Any]]) -> CampaignRequest:
    """The request with `conflicts` recorded and their fields added to `missing`."""
    found = list(conflicts)
    if not found:
        return request
    data = request.model_dump(mode="json")
    known = {c["field"] for c in conflicts_of(request)}
    data["conflicts"] = [*conflicts_of(request), *(c for c in found if c["field"] not in known)]
    data["missing"] = list(dict.fromkeys([*request.missing, *(c["field"] for c in found)]))
    return CampaignRequest.model_validate(data)


def settle(data: dict[str, Any], answered: Iterable[str]) -> dict[str, Any]:
    """Request data (a model dump) with the conflicts on `answered` fields, or on their parents, closed."""
    heads = set(answered)

    def answered_field(name: str) -> bool:
        return name in heads or name.split(".", 1)[0] in heads

    conflicts = [c for c in data.get("conflicts") or [] if not answered_field(str(c.get("field")))]
    closed = {str(c.get("field")) for c in data.get("conflicts") or []} - {str(c.get("field")) for c in conflicts}
    data["missing"] = [m for m in data.get("missing", []) if m not in closed]
    if "conflicts" in data:
        data["conflicts"] = conflicts
    return data
