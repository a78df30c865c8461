"""What the graph asks people (typed interrupt payloads) and what it accepts back (typed resume values)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

PromptKind = Literal["clarify", "connect", "review", "preview", "over_ceiling"]
EDITABLE_COPY_FIELDS: tuple[str, ...] = ("headline", "primary_text", "description", "cta_label")
# Prompts whose answer commits money or content: only approvers may answer them.
APPROVAL_KINDS: frozenset[str] = frozenset({"review", "preview"})
# Prompts only a workspace admin may approve.
ADMIN_KINDS: frozenset[str] = frozenset({"over_ceiling"})


# ------------------------------------------------------------------------------------------ payloads


class IssueView(BaseModel):
    field: str
    code: str
    severity: Literal["error", "warning", "info"]
    platform: str | None = None
    message: str  # already in the user's language
    fixes: list[str] = Field(default_factory=list)  # labels, in order; answer with the number


class AskClarification(BaseModel):
    """The request is incomplete or breaks a platform rule: one question, every problem listed."""

    kind: Literal["clarify"] = "clarify"
    language: str
    question: str
    missing: list[str] = Field(default_factory=list)
    issues: list[IssueView] = Field(default_factory=list)
    request: dict[str, Any]


class ConnectLink(BaseModel):
    platform: str
    authorize_url: str
    state: str


class AccountChoice(BaseModel):
    ad_account_id: str  # ADLY's id of the ad_accounts row: what the answer sends back
    name: str
    currency: str | None = None
    external_id: str


class ConnectAccounts(BaseModel):
    """Some requested platforms have no ad account yet (one link each) or several (choose one)."""

    kind: Literal["connect"] = "connect"
    language: str
    message: str
    links: list[ConnectLink]
    connected: dict[str, str] = Field(default_factory=dict)  # platform -> account name, already done
    # Platforms connected with several ad accounts: answer with AccountsReply.connected {platform: ad_account_id}.
    choices: dict[str, list[AccountChoice]] = Field(default_factory=dict)


def numbered_choices(payload: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """A connect payload's account choices as (platform, choice), numbered from 1 in this order everywhere."""
    return [(platform, choice) for platform, options in (payload.get("choices") or {}).items() for choice in options]


class AssetView(BaseModel):
    slot: str
    asset_id: str
    kind: Literal["copy", "image", "video", "voice"]
    language: str | None
    provider: str
    path: str | None = None
    mime: str | None = None
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    text: dict[str, str] | None = None
    draft: bool = False  # offline voice: a draft, say so
    problems: list[str] = Field(default_factory=list)  # limit violations, in the user's language


class ReviewContent(BaseModel):
    """The generated bundle, for approval, an edit of any copy field, or regenerating one asset."""

    kind: Literal["review"] = "review"
    language: str
    message: str
    round: int = 1
    platforms: list[str] = Field(default_factory=list)  # copy limits are checked against each
    assets: list[AssetView]
    content_hash: str  # the approval binds to exactly this content
    rebuilt: list[str] = Field(default_factory=list)  # slots remade to show the last copy edit
    failed: list[str] = Field(default_factory=list)  # slots that could not be made: regenerating tries again
    missing_media: list[str] = Field(default_factory=list)  # platforms left with nothing to show: approval waits


class PreviewCampaign(BaseModel):
    """The frozen plan (structure, budget split, schedule, targeting, creative per ad) for final approval."""

    kind: Literal["preview"] = "preview"
    language: str
    message: str
    plan: dict[str, Any]
    plan_hash: str
    lines: list[str]  # the plan as readable lines in the user's language
    warnings: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # why: the budget split, the ad-set and format split


class OverCeiling(BaseModel):
    """The approved plan is above the workspace's budget ceilings: an admin's approval is a step of its own."""

    kind: Literal["over_ceiling"] = "over_ceiling"
    language: str
    message: str
    reason: str  # which ceiling, in the user's language
    plan_hash: str
    total_budget: str
    per_day: str
    currency: str
    max_campaign_budget: str
    max_daily_budget: str
    ceiling_currency: str
    approved_by: str | None = None  # who approved the plan itself


Payload = AskClarification | ConnectAccounts | ReviewContent | PreviewCampaign | OverCeiling
PAYLOAD_TYPES: dict[str, type[BaseModel]] = {
    "clarify": AskClarification,
    "connect": ConnectAccounts,
    "review": ReviewContent,
    "preview": PreviewCampaign,
    "over_ceiling": OverCeiling,
}


# ------------------------------------------------------------------------------------------ replies


class ClarificationReply(BaseModel):
    text: str = ""  # the user's answer, merged into the request
    fix: int | None = None  # 1-based index into the issues' offered fixes, in order
    cancel: bool = False


class AccountsReply(BaseModel):
    connected: dict[str, str] = Field(default_factory=dict)  # platform -> ad_accounts.id (set by the driver)
    cancel: bool = False


class ReviewDecision(BaseModel):
    action: Literal["approve", "edit", "regenerate", "cancel"]
    slot: str | None = None  # for edit and regenerate
    edits: dict[str, str] = Field(default_factory=dict)  # copy field -> new text
    actor: str = ""  # filled by the driver, never by the client
    content_hash: str | None = None


class PreviewDecision(BaseModel):
    action: Literal["approve", "adjust", "cancel"]
    text: str = ""  # the adjustment, in the user's words
    plan_hash: str | None = None  # the plan the approver saw; must match the pending one
    actor: str = ""


class CeilingDecision(BaseModel):
    action: Literal["approve", "cancel"]
    plan_hash: str | None = None  # the plan the admin saw; must match the pending one
    actor: str = ""


REPLY_TYPES: dict[str, type[BaseModel]] = {
    "clarify": ClarificationReply,
    "connect": AccountsReply,
    "review": ReviewDecision,
    "preview": PreviewDecision,
    "over_ceiling": CeilingDecision,
}
