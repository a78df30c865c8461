"""What every ad platform client accepts and returns: neutral specs, results, the client protocol, the error tree.

Error tree (every client raises only these; the platform's own message and code are kept):

    PlatformError                 anything the platform (or the way to it) refused
    ├── RateLimited               back off; `retry_after_s` when the platform says how long
    ├── TokenExpired              refresh once, or ask the user to reconnect
    ├── PermissionMissing         the token lacks a scope or a role on the ad account
    ├── PolicyRejected            the content or targeting breaks a platform policy
    ├── InvalidRequest            a field is wrong; `field` names it when the platform does
    └── TransientError            5xx, connection refused before sending: retry with the same key
        └── OutcomeUnknown        the request may have been applied (timeout after sending): reconcile first
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

PlatformName = Literal["meta", "tiktok", "snapchat"]
ObjectKind = Literal["campaign", "ad_set", "ad", "creative", "image", "video"]
NeutralStatus = Literal["active", "paused", "deleted", "archived", "pending_review", "rejected", "unknown"]
BudgetPeriod = Literal["daily", "lifetime"]
InsightLevel = Literal["campaign", "ad"]  # the levels `insights` reports at
# Our CTA vocabulary; each client maps it to the platform's enum.
Cta = Literal["shop_now", "learn_more", "sign_up", "order_now", "book_now", "contact_us", "download", "get_offer"]


# ---------------------------------------------------------------------------------------------- errors


class PlatformError(Exception):
    """A platform refused a request; `platform_code` and `platform_message` are the platform's own words."""

    def __init__(
        self,
        message: str,
        *,
        platform: str,
        platform_code: str | int | None = None,
        platform_message: str | None = None,
        http_status: int | None = None,
        raw: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.platform = platform
        self.platform_code = platform_code
        self.platform_message = platform_message or message
        self.http_status = http_status
        self.raw = raw or {}


class RateLimited(PlatformError):
    def __init__(self, message: str, *, retry_after_s: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after_s = retry_after_s


class TokenExpired(PlatformError):
    pass


class PermissionMissing(PlatformError):
    pass


class PolicyRejected(PlatformError):
    pass


class InvalidRequest(PlatformError):
    def __init__(self, message: str, *, field: str | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.field = field


class TransientError(PlatformError):
    pass


class OutcomeUnknown(TransientError):
    """The request was sent and no answer came back: the object may exist. Reconcile before retrying."""


# ---------------------------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Money:
    """An amount in an ISO 4217 currency. Conversion to wire units happens only inside the clients."""

    amount: Decimal
    currency: str


class TokenSet(BaseModel):
    access_token: str = Field(repr=False)
    refresh_token: str | None = Field(default=None, repr=False)
    expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None
    scopes: list[str] = Field(default_factory=list)


class AdAccountInfo(BaseModel):
    external_id: str  # act_123 (Meta), advertiser_id (TikTok), ad account UUID (Snapchat)
    name: str
    currency: str
    timezone: str
    status: str = "active"
    can_create_ads: bool = True


class GeoTarget(BaseModel):
    """A location as the parser names it; the client resolves it to the platform's key."""

    name: str
    kind: Literal["country", "region", "city"]
    country_code: str


class Targeting(BaseModel):
    age_min: int | None = None
    age_max: int | None = None
    genders: list[Literal["female", "male"]] = Field(default_factory=list)  # empty: all
    locations: list[GeoTarget] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)  # ISO 639-1 of the people reached
    publisher_platforms: list[str] = Field(default_factory=list)  # Meta only: facebook, instagram...
    # Our placement words (agent.platform_rules.placements): Meta feed/stories/reels/explore, TikTok "tiktok";
    # empty: the platform places automatically.
    placements: list[str] = Field(default_factory=list)


class CampaignSpec(BaseModel):
    name: str
    objective: str  # our vocabulary: sales, traffic, awareness, engagement, leads, app_installs, video_views
    budget: Money | None = None  # campaign-level budget (None: budgets live on ad sets)
    budget_period: BudgetPeriod = "lifetime"
    special_ad_categories: list[str] = Field(default_factory=list)
    idempotency_key: str


class AdSetSpec(BaseModel):
    name: str
    campaign_id: str  # external id of the parent campaign
    objective: str
    budget: Money
    budget_period: BudgetPeriod
    start_time: datetime
    end_time: datetime | None = None
    targeting: Targeting
    idempotency_key: str
    message_destination: str | None = None  # whatsapp, messenger, instagram_direct: the ads open a chat there


class MediaSpec(BaseModel):
    kind: Literal["image", "video"]
    path: Path
    name: str
    idempotency_key: str


class MediaRef(BaseModel):
    kind: Literal["image", "video"]
    external_id: str  # Meta image hash or video id; TikTok image_id / video_id; Snapchat media id


class CreativeSpec(BaseModel):
    """What an ad shows: copy, call to action, media. Meta and Snapchat make it an object of its own."""

    name: str
    language: str
    headline: str
    primary_text: str
    description: str | None = None
    cta: Cta = "shop_now"
    landing_url: str
    brand_name: str
    # The brand's square avatar image (TikTok makes its ad identity's picture from it); None: none configured.
    brand_avatar: Path | None = None
    media: list[MediaRef]
    idempotency_key: str
    message_destination: str | None = None  # the button opens a chat there (Meta: WhatsApp's own button)


class AdSpec(CreativeSpec):
    ad_set_id: str  # external id of the parent ad set / ad group / ad squad
    # A creative made beforehand with create_creative (its own ledger step); None: the client makes one.
    creative_id: str | None = None

    def creative(self) -> CreativeSpec:
        """The creative this ad shows, named after the ad, for a client that makes it on the ad's behalf."""
        fields = self.model_dump(exclude={"ad_set_id", "creative_id"})
        return CreativeSpec.model_validate({**fields, "name": f"{self.name} creative"})


class CreatedLookup(BaseModel):
    """What a create whose answer was lost is looked for by: the name it sent, under its parent, made since it
    was sent. Names carry no key of ours (they are what people see in Ads Manager); each platform finds the
    object its own way (Meta: the key's ad label; TikTok and Snapchat: name, parent and creation time)."""

    kind: ObjectKind
    idempotency_key: str
    name: str  # the display name the create sent (before the platform's length limit)
    parent_id: str | None = None  # the campaign of an ad set, the ad set of an ad
    # No object of this create can be older (the ledger's first send, less clock skew); None: no bound.
    created_since: datetime | None = None


class AdCreated(BaseModel):
    ad_id: str
    creative_id: str | None = None  # Meta and Snapchat create a creative object first


class ObjectState(BaseModel):
    kind: ObjectKind
    external_id: str
    status: NeutralStatus
    raw_status: str | None = None
    name: str | None = None


class InsightRow(BaseModel):
    """One object's numbers for one day, as the platform reports them."""

    level: Literal["campaign", "ad_set", "ad"] = "campaign"
    external_id: str  # the object's id at `level`
    campaign_id: str | None = None  # the platform campaign the object belongs to (a campaign row: its own id)
    name: str | None = None  # the object's name on the platform, when the report carries it
    day: date
    impressions: int = 0
    reach: int = 0  # people reached that day (never above impressions)
    clicks: int = 0
    spend: Decimal = Decimal("0")  # major units of `currency`
    currency: str
    conversions: int = 0
    video_views: int = 0


# ---------------------------------------------------------------------------------------------- protocol


class AdPlatformClient(Protocol):
    """One ad platform, spoken in its real wire format. Every write takes an idempotency key."""

    platform: PlatformName

    def authorize_url(self, *, state: str, redirect_uri: str) -> str: ...

    async def exchange_code(self, *, code: str, redirect_uri: str) -> TokenSet: ...

    async def refresh(self, *, tokens: TokenSet) -> TokenSet: ...

    async def list_ad_accounts(self, *, token: str) -> list[AdAccountInfo]: ...

    async def resolve_location(self, *, token: str, account_id: str, location: GeoTarget) -> str: ...

    async def upload_media(self, *, token: str, account_id: str, spec: MediaSpec) -> MediaRef: ...

    # How many images one upload call can carry: several on Meta (files in one adimages call), else 1.
    images_per_upload: int

    async def upload_images(
        self, *, token: str, account_id: str, specs: Sequence[MediaSpec]
    ) -> list[MediaRef]: ...

    async def create_campaign(self, *, token: str, account_id: str, spec: CampaignSpec) -> str: ...

    async def create_ad_set(self, *, token: str, account_id: str, spec: AdSetSpec) -> str: ...

    # True when a creative is an object of its own (Meta, Snapchat): the saga creates it as its own step,
    # beside the ad set, so it can be reconciled by key and does not wait for the ad set.
    separate_creatives: bool

    async def create_creative(self, *, token: str, account_id: str, spec: CreativeSpec) -> str: ...
    async def create_ad(self, *, token: str, account_id: str, spec: AdSpec) -> AdCreated: ...

    async def find_created(self, *, token: str, account_id: str, lookup: CreatedLookup) -> list[str]:
        """Reconcile after OutcomeUnknown: the ids of the objects that may be this create's, oldest first.

        Exact where the platform keys objects for us (a Meta ad label); otherwise every same-named object under
        the parent made since the send: the caller drops ids its ledger gives to other steps. Empty when the
        platform makes a re-send harmless instead (content-hashed Meta images, TikTok files named by content)."""
        ...

    async def get_state(self, *, token: str, account_id: str, kind: ObjectKind, external_id: str) -> ObjectState: ...
    async def get_states(
        self, *, token: str, account_id: str, objects: list[tuple[ObjectKind, str]]
    ) -> list[ObjectState]:
        """Read many objects back in as few calls as the platform allows; answers in the order asked."""
        ...

    async def list_states(
        self, *, token: str, account_id: str, kind: ObjectKind, external_ids: list[str]
    ) -> list[ObjectState]:
        """Many objects of one level of one account, read from the account's list (filtered by id where the
        platform can), page by page: calls grow with pages, not with objects. Not listed: deleted. In order."""
        ...

    async def set_status(
        self, *, token: str, account_id: str, kind: ObjectKind, external_ids: list[str], status: Literal["active", "paused"]
    ) -> None: ...

    async def delete(self, *, token: str, account_id: str, kind: ObjectKind, external_id: str) -> None: ...

    # Campaign ids one insights call can filter on (None: no server-side filter, every campaign comes back).
    campaign_filter_max: int | None

    async def insights(
        self, *, token: str, account_id: str, campaign_ids: list[str], since: date, until: date,
        level: InsightLevel = "campaign",
    ) -> list[InsightRow]:
        """Daily rows of the campaigns `campaign_ids` of one ad account, in as few calls as the platform allows
        (pages followed): a row per campaign and day, or with level="ad" per ad and day, each naming its campaign.
        Days with nothing delivered may be left out."""
        ...

    def ads_manager_url(self, *, account_id: str, campaign_id: str) -> str: ...
