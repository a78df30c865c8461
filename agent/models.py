"""Domain types: the parsed campaign request (the `adly parse` contract) and its parts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

Platform = Literal["meta", "snapchat", "tiktok"]
PLATFORMS: tuple[Platform, ...] = ("meta", "snapchat", "tiktok")
MetaPublisher = Literal["facebook", "instagram", "messenger", "audience_network"]
Objective = Literal["sales", "traffic", "awareness", "engagement", "leads", "app_installs", "video_views"]
Gender = Literal["female", "male"]
BudgetPeriod = Literal["lifetime", "daily"]
CreativeType = Literal["image", "video", "voice"]
LocationKind = Literal["country", "region", "city"]


def _decimal_to_json_number(value: Decimal) -> int | float:
    """JSON has numbers, not decimals: integral amounts stay integers, others become the nearest float."""
    return int(value) if value == value.to_integral_value() else float(value)


JsonDecimal = Annotated[Decimal, PlainSerializer(_decimal_to_json_number, when_used="json")]


class Span(BaseModel):
    """Where in the instruction a value came from (character offsets, end exclusive)."""

    start: int
    end: int
    text: str


class Budget(BaseModel):
    amount: JsonDecimal = Field(gt=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    period: BudgetPeriod = "lifetime"


class Schedule(BaseModel):
    start_date: date | None = None
    end_date: date | None = None  # inclusive
    duration_days: int | None = Field(default=None, ge=1)


class Location(BaseModel):
    name: str
    kind: LocationKind
    country_code: str = Field(pattern=r"^[A-Z]{2}$")


class Audience(BaseModel):
    genders: list[Gender] = Field(default_factory=list)  # empty means all genders
    age_min: int | None = Field(default=None, ge=13, le=65)
    age_max: int | None = Field(default=None, ge=13, le=65)
    locations: list[Location] = Field(default_factory=list)
    interests: list[str] = Field(default_factory=list)


class Offer(BaseModel):
    """What a sale promises, as the text says it: a discount ("30% off", "up to 50%") and/or a "from" price.

    Neither is a budget: the parser reads them first, so their numbers are never taken for the spend.
    """

    discount_percent: int | None = Field(default=None, ge=1, le=95)
    discount_up_to: bool = False  # "up to 50% off": the creative must say "up to", not promise 50% on all
    price: JsonDecimal | None = Field(default=None, gt=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")  # set with a price


class CampaignRequest(BaseModel):
    """What the marketer asked for, normalised. Serialised exactly per contracts/campaign-request.schema.json."""

    model_config = ConfigDict(extra="allow")

    platforms: list[Platform] = Field(default_factory=list)
    publisher_platforms: dict[str, list[MetaPublisher]] = Field(default_factory=dict)
    objective: Objective | None = None
    theme: str | None = None
    budget: Budget | None = None
    schedule: Schedule = Field(default_factory=Schedule)
    audience: Audience = Field(default_factory=Audience)
    languages: list[str] = Field(default_factory=list)
    creative_types: list[CreativeType] = Field(default_factory=list)
    product: str | None = None
    landing_url: str | None = None
    missing: list[str] = Field(default_factory=list)
    # Extensions (allowed by the schema): the offer, the instruction's language and where each field came from.
    offer: Offer | None = None
    input_language: Literal["ar", "en"] = "en"
    sources: dict[str, list[Span]] = Field(default_factory=dict)

    def contract_dict(self) -> dict[str, Any]:
        """The JSON object `adly parse --json` prints."""
        return self.model_dump(mode="json")
