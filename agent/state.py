"""CampaignState: what the graph checkpoints. Ids and small JSON values only: no bytes, no tokens, no live objects."""

from __future__ import annotations

from typing import Annotated, Any, TypedDict


def merge_slots(current: dict[str, str] | None, update: dict[str, str] | None) -> dict[str, str]:
    """Fan-out branches each add their slot; a regenerated asset replaces its slot; "" removes the slot."""
    return {k: v for k, v in {**(current or {}), **(update or {})}.items() if v}


class CampaignState(TypedDict, total=False):
    # Who and where (set by the driver when the conversation starts)
    workspace_id: str
    conversation_id: str
    requested_by: str
    language: str  # "en" or "ar": the language the user wrote in; every message follows it
    instruction: str
    today: str  # ISO date fixed at the start, so a resumed thread reasons about the same "today"

    # Parse and validate
    request: dict[str, Any]  # CampaignRequest, contract JSON: what the flow works with (dates fitted to the budget)
    asked_request: dict[str, Any]  # the request as asked and adjusted, before any fitting: validation starts here
    issues: list[dict[str, Any]]  # ValidationIssue dicts from the last validation
    adjustments: list[dict[str, Any]]  # changes the flow made on its own (e.g. dates fitted to the budget)

    # Accounts: platform -> ad_accounts.id
    accounts: dict[str, str]
    oauth_links: list[dict[str, Any]]

    # Content: slot ("copy:ar", "image:ar:1x1", "voice:ar", "video:ar") -> content_assets.id
    assets: Annotated[dict[str, str], merge_slots]
    regenerate_slot: str | None
    variations: dict[str, int]  # slot -> how many times it was regenerated (part of its brief)
    generation_errors: Annotated[
        dict[str, str], merge_slots
    ]  # slot -> why no provider could make it ("" = cleared)
    content_subject: dict[str, Any]  # the theme and product the content was made for: a change makes it again
    review_round: int
    # The last copy edit: {"round", "slot", "language", "fields"}, plus "rebuilt" (the slots remade to show it)
    last_edit: dict[str, Any] | None
    content_approved: bool
    content_approved_by: str | None

    # Structure, approval, publishing
    campaign_id: str | None
    plan: dict[str, Any] | None
    plan_hash: str | None
    plan_approved_by: str | None
    publish: dict[str, Any] | None  # per-platform outcome
    status: str  # parsing ... live | failed | cancelled
    performance: dict[str, Any] | None
