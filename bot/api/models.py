"""The HTTP API's typed request and response bodies (what /openapi.json publishes)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from agent.models import CreativeType, Gender, LocationKind, MetaPublisher, Objective, Platform


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BudgetIn(_Strict):
    amount: Decimal = Field(gt=0, le=Decimal("1e12"), max_digits=18, decimal_places=6)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    period: Literal["lifetime", "daily"] = "lifetime"


class OfferIn(_Strict):
    """What the sale promises: a discount and/or a "from" price (shown on the creative, never the budget)."""

    discount_percent: int | None = Field(default=None, ge=1, le=95)
    discount_up_to: bool = False
    price: Decimal | None = Field(default=None, gt=0, le=Decimal("1e12"), max_digits=18, decimal_places=6)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")

    @model_validator(mode="after")
    def _price_has_currency(self) -> OfferIn:
        if (self.price is None) != (self.currency is None):
            raise ValueError("a price needs its currency, and a currency its price")
        return self


class ScheduleIn(_Strict):
    start_date: date | None = None
    end_date: date | None = None
    duration_days: int | None = Field(default=None, ge=1, le=366)


class LocationIn(_Strict):
    name: str = Field(min_length=1, max_length=100)
    kind: LocationKind
    country_code: str = Field(pattern=r"^[A-Z]{2}$")


class AudienceIn(_Strict):
    genders: list[Gender] = Field(default_factory=list, max_length=2)
    age_min: int | None = Field(default=None, ge=13, le=65)
    age_max: int | None = Field(default=None, ge=13, le=65)
    locations: list[LocationIn] = Field(default_factory=list, max_length=50)
    interests: list[str] = Field(default_factory=list, max_length=25)


class StructuredRequest(_Strict):
    """A campaign request given field by field (the `adly parse` contract's fields); validated like a parsed one."""

    platforms: list[Platform] = Field(min_length=1, max_length=3)
    publisher_platforms: dict[str, list[MetaPublisher]] = Field(default_factory=dict)
    objective: Objective | None = None
    theme: str | None = Field(default=None, max_length=200)
    budget: BudgetIn | None = None
    schedule: ScheduleIn = Field(default_factory=ScheduleIn)
    audience: AudienceIn = Field(default_factory=AudienceIn)
    languages: list[Literal["ar", "en"]] = Field(default_factory=list, max_length=2)
    creative_types: list[CreativeType] = Field(default_factory=list, max_length=3)
    product: str | None = Field(default=None, max_length=200)
    landing_url: str | None = Field(default=None, max_length=2000)
    offer: OfferIn | None = None
    input_language: Literal["ar", "en"] = "en"


class Brief(_Strict):
    """What to work from: an instruction in English or Arabic, or a structured request (exactly one)."""

    instruction: str | None = Field(default=None, min_length=1, max_length=100_000)
    request: StructuredRequest | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Brief:
        if (self.instruction is None) == (self.request is None):
            raise ValueError("give exactly one of `instruction` or `request`")
        return self


class ParseBody(_Strict):
    text: str = Field(min_length=1, max_length=100_000)
    today: date | None = None


class ReplyBody(_Strict):
    text: str = Field(min_length=1, max_length=4000)


class ApprovalBody(_Strict):
    """An answer to the pending approval: its interrupt id and a decision of the shape its kind takes."""

    interrupt_id: str = Field(min_length=1, max_length=128)
    decision: dict[str, Any] = Field(description="clarify: {text} or {fix}; connect: {connected}; review: "
                                                 "{action: approve|edit|regenerate|cancel, ...}; preview: "
                                                 "{action: adjust|cancel, text} (approve with /publish)")


class PublishBody(_Strict):
    plan_hash: str = Field(min_length=1, max_length=128, description="the hash of the plan shown in the preview")


class JobAccepted(BaseModel):
    job_id: str
    status: str
    status_url: str


class JobView(BaseModel):
    job_id: str
    kind: str
    status: Literal["queued", "running", "succeeded", "failed"]
    status_url: str
    created_at: datetime
    finished_at: datetime | None = None
    campaign_id: str | None = None
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


class PendingApproval(BaseModel):
    interrupt_id: str
    kind: Literal["clarify", "connect", "review", "preview"] | str
    payload: dict[str, Any]


class CampaignSummary(BaseModel):
    id: str = Field(description="the campaign's id in the API (its conversation)")
    name: str | None = None
    status: str
    requested_by: str
    created_at: datetime


class CampaignView(CampaignSummary):
    plan_campaign_id: str | None = Field(default=None, description="the planned campaign's own id, once built")
    language: str
    waiting_for: PendingApproval | None = None
    notice: str | None = None
    platforms: list[dict[str, Any]] = Field(default_factory=list)
    assets: list[dict[str, Any]] = Field(default_factory=list)
    performance: dict[str, Any] | None = Field(
        default=None, description="once published: the `adly report --json` object (spend per platform and day, "
                                  "pacing, results, exceptions); money as strings of major units beside a currency")


class AssetView(BaseModel):
    id: str
    kind: str
    language: str | None = None
    mime: str | None = None
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    provider: str | None = None
    text: dict[str, Any] | None = None
    download_url: str | None = None


class WorkspaceSettingsView(BaseModel):
    """A workspace's settings as they apply (unset ones show the default they fall back to)."""

    name: str
    default_currency: str
    approvers: list[str] = Field(description="user refs (Slack user or user group ids, API key users) who approve")
    self_approval_limit: Decimal = Field(description="a requester may approve their own plan up to this budget")
    max_campaign_budget: Decimal = Field(description="above this total, a workspace admin approves too")
    max_daily_budget: Decimal = Field(description="above this per day, a workspace admin approves too")
    landing_url: str | None = Field(description="where ads link when a request names no page")
    digest_channel: str | None
    digest_hour: int
    timezone: str = Field(default="Asia/Riyadh", description="the IANA time zone of the digests' hour and days")
    brand_name: str = Field(default="ADLY Store", description="the brand on the workspace's ads")
    brand_name_ar: str | None = Field(
        default=None, description="the brand on Arabic ads; null: brand_name written in Arabic letters"
    )
