"""SQLAlchemy tables: workspaces, accounts, campaigns and their tree, assets, approvals, the publish ledger.

Conventions: string primary keys are uuid4 hex (32 chars); datetimes are timezone-aware UTC
(naive datetimes are rejected on write); money is a Decimal column (Numeric(18, 6)) with a
3-letter currency column beside it; JSON columns are not mutation-tracked, so assign a new
value instead of editing one in place.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeEngine

# Vocabularies; repositories validate against these (the database does not, to keep migrations simple).
PLATFORMS = ("meta", "tiktok", "snapchat")
ROLES = ("admin", "approver", "marketer")
ACCOUNT_STATUSES = ("active", "needs_reconnect", "disconnected")
TOKEN_NOTICE_KINDS = ("expires_7d", "expires_1d", "lapsed")
CAMPAIGN_STATUSES = (
    "draft",
    "awaiting_approval",
    "approved",
    "publishing",
    "live",
    "partially_live",
    "paused",
    "failed",
    "compensated",
)
BUDGET_PERIODS = ("lifetime", "daily")
ASSET_KINDS = ("copy", "image", "video", "voice")
ASSET_STATUSES = ("draft", "approved", "superseded")
JOB_STATUSES = ("running", "succeeded", "failed")
CHANNEL_KINDS = ("slack", "console", "api")
CONVERSATION_STATUSES = ("active", "waiting", "done", "failed")
APPROVAL_STATUSES = ("pending", "claimed", "decided", "superseded", "expired")
STEP_OBJECT_KINDS = ("campaign", "ad_set", "image", "video", "creative", "ad", "activate", "pause", "delete")
STEP_STATES = ("planned", "sending", "created", "unknown", "failed", "compensating", "compensated")
SNAPSHOT_LEVELS = ("campaign", "ad_set", "ad")
DIGEST_KINDS = ("daily", "weekly")
DIGEST_STATUSES = ("claimed", "sent")

MONEY_SCALE = 6
_QUANTUM = Decimal(1).scaleb(-MONEY_SCALE)


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """DateTime(timezone=True) that always hands back aware UTC datetimes, SQLite included."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime; store timezone-aware datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        # SQLite keeps no offset; everything we wrote was UTC.
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Money(TypeDecorator[Decimal]):
    """Numeric(18, 6) that reads back as Decimal with 6 places and refuses floats on write."""

    impl = Numeric(18, MONEY_SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            # SQLite has no decimal type; we convert ourselves below instead of letting SQLAlchemy
            # warn on every process about float conversion.
            return dialect.type_descriptor(Numeric(18, MONEY_SCALE, asdecimal=False))
        return dialect.type_descriptor(Numeric(18, MONEY_SCALE))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money must be Decimal (or int/str), never float")
        return Decimal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(_QUANTUM)


convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=convention)
    type_annotation_map = {
        datetime: UTCDateTime(),
        Decimal: Money(),
        date: Date(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
        list[str]: JSON(),
    }

    # Never lists every column: some hold ciphertext, and reprs end up in logs.
    _repr_fields: tuple[str, ...] = ("id",)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name, None)!r}" for name in self._repr_fields)
        return f"{type(self).__name__}({fields})"


def _pk() -> Mapped[str]:
    return mapped_column(String(32), primary_key=True, default=new_id)


def _created() -> Mapped[datetime]:
    return mapped_column(default=utcnow)


def _updated() -> Mapped[datetime]:
    return mapped_column(default=utcnow, onupdate=utcnow)


def _fk(target: str, *, nullable: bool = False, ondelete: str | None = None) -> Mapped[Any]:
    return mapped_column(String(32), ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)


class Workspace(Base):
    __tablename__ = "workspaces"
    _repr_fields = ("id", "name", "slack_team_id")

    id: Mapped[str] = _pk()
    name: Mapped[str] = mapped_column(String(255))
    slack_team_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    default_currency: Mapped[str] = mapped_column(String(3), default="SAR")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Riyadh")
    approvers: Mapped[list[str]] = mapped_column(default=list)
    self_approval_limit: Mapped[Decimal | None]
    max_campaign_budget: Mapped[Decimal | None]  # ceilings; None: ADLY_MAX_CAMPAIGN_BUDGET / ADLY_MAX_DAILY_BUDGET
    max_daily_budget: Mapped[Decimal | None]
    landing_url: Mapped[str | None] = mapped_column(String(2000))  # asked once, remembered: the default ad link
    # The brand its ads carry; None: ADLY_BRAND_NAME / ADLY_BRAND_NAME_AR, and Arabic creative transliterates.
    brand_name: Mapped[str | None] = mapped_column(String(255))
    brand_name_ar: Mapped[str | None] = mapped_column(String(255))
    digest_channel: Mapped[str | None] = mapped_column(String(64))
    digest_hour: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("workspace_id", "user_ref"),)
    _repr_fields = ("id", "workspace_id", "user_ref", "role")

    id: Mapped[str] = _pk()
    workspace_id: Mapped[str] = _fk("workspaces.id", ondelete="CASCADE")
    user_ref: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="marketer")
    created_at: Mapped[datetime] = _created()


class AdAccount(Base):
    __tablename__ = "ad_accounts"
    __table_args__ = (UniqueConstraint("workspace_id", "platform", "external_account_id"),)
    _repr_fields = ("id", "workspace_id", "platform", "external_account_id", "status")

    id: Mapped[str] = _pk()
    workspace_id: Mapped[str] = _fk("workspaces.id", ondelete="CASCADE")
    platform: Mapped[str] = mapped_column(String(16))
    external_account_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str | None] = mapped_column(String(255))
    currency: Mapped[str | None] = mapped_column(String(3))
    timezone: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32), default="active")
    # Why the account is not active (say "token expired; reconnect"): shown to people, never a token.
    status_reason: Mapped[str | None] = mapped_column(String(500))
    access_token_enc: Mapped[str | None] = mapped_column(Text)
    refresh_token_enc: Mapped[str | None] = mapped_column(Text)
    token_expires_at: Mapped[datetime | None]
    refresh_expires_at: Mapped[datetime | None]
    scopes: Mapped[list[str]] = mapped_column(default=list)
    connected_by: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel_kind", "channel_id", "thread_ts"),)
    _repr_fields = ("id", "thread_id", "channel_kind", "status")

    id: Mapped[str] = _pk()
    workspace_id: Mapped[str] = _fk("workspaces.id", ondelete="CASCADE")
    thread_id: Mapped[str] = mapped_column(String(128), unique=True)
    channel_kind: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[str | None] = mapped_column(String(64))
    thread_ts: Mapped[str | None] = mapped_column(String(64))
    requested_by: Mapped[str] = mapped_column(String(128))
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    # Not a foreign key: campaigns already point here, and a cycle would complicate every insert.
    campaign_id: Mapped[str | None] = mapped_column(String(32), index=True)
    status_message_ts: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (Index("ix_campaigns_workspace_status", "workspace_id", "status"),)
    _repr_fields = ("id", "name", "status")

    id: Mapped[str] = _pk()
    workspace_id: Mapped[str] = _fk("workspaces.id", ondelete="CASCADE")
    conversation_id: Mapped[str | None] = _fk("conversations.id", nullable=True, ondelete="SET NULL")
    name: Mapped[str] = mapped_column(String(255))
    objective: Mapped[str | None] = mapped_column(String(64))
    theme: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(32), default="draft")
    budget_amount: Mapped[Decimal | None]
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    budget_period: Mapped[str | None] = mapped_column(String(16))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    request: Mapped[dict[str, Any]] = mapped_column(default=dict)
    plan: Mapped[dict[str, Any] | None]
    plan_hash: Mapped[str | None] = mapped_column(String(128))
    requested_by: Mapped[str | None] = mapped_column(String(128))
    approved_by: Mapped[str | None] = mapped_column(String(128))
    approved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()

    platform_campaigns: Mapped[list[PlatformCampaign]] = relationship(
        lazy="raise", passive_deletes=True, order_by="PlatformCampaign.platform"
    )


class PlatformCampaign(Base):
    __tablename__ = "platform_campaigns"
    __table_args__ = (UniqueConstraint("campaign_id", "platform"),)
    _repr_fields = ("id", "campaign_id", "platform", "external_campaign_id", "status")

    id: Mapped[str] = _pk()
    campaign_id: Mapped[str] = _fk("campaigns.id", ondelete="CASCADE")
    platform: Mapped[str] = mapped_column(String(16))
    ad_account_id: Mapped[str | None] = _fk("ad_accounts.id", nullable=True, ondelete="SET NULL")
    external_campaign_id: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(32), default="draft")
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()

    ad_sets: Mapped[list[AdSet]] = relationship(lazy="raise", passive_deletes=True, order_by="AdSet.plan_key")


class AdSet(Base):
    __tablename__ = "ad_sets"
    __table_args__ = (UniqueConstraint("platform_campaign_id", "plan_key"),)
    _repr_fields = ("id", "plan_key", "external_id", "status")

    id: Mapped[str] = _pk()
    platform_campaign_id: Mapped[str] = _fk("platform_campaigns.id", ondelete="CASCADE")
    plan_key: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(255))
    targeting: Mapped[dict[str, Any]] = mapped_column(default=dict)
    budget_amount: Mapped[Decimal | None]
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    external_id: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(32), default="draft")
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()

    ads: Mapped[list[Ad]] = relationship(lazy="raise", passive_deletes=True, order_by="Ad.plan_key")


class Ad(Base):
    __tablename__ = "ads"
    __table_args__ = (UniqueConstraint("ad_set_id", "plan_key"),)
    _repr_fields = ("id", "plan_key", "language", "external_id", "status")

    id: Mapped[str] = _pk()
    ad_set_id: Mapped[str] = _fk("ad_sets.id", ondelete="CASCADE")
    plan_key: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(8))
    creative_data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    media_assets: Mapped[list[str]] = mapped_column(default=list)
    external_id: Mapped[str | None] = mapped_column(String(128))
    external_creative_id: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(32), default="draft")
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class ContentAsset(Base):
    __tablename__ = "content_assets"
    __table_args__ = (Index("ix_content_assets_lookup", "workspace_id", "kind", "brief_hash"),)
    _repr_fields = ("id", "kind", "language", "status")

    id: Mapped[str] = _pk()
    workspace_id: Mapped[str] = _fk("workspaces.id", ondelete="CASCADE")
    conversation_id: Mapped[str | None] = mapped_column(String(32), index=True)
    campaign_id: Mapped[str | None] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(8))
    file_path: Mapped[str | None] = mapped_column(String(512))
    mime: Mapped[str | None] = mapped_column(String(128))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    duration_s: Mapped[float | None] = mapped_column(Float)
    text: Mapped[dict[str, Any] | None]
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    provider: Mapped[str | None] = mapped_column(String(64))
    brief_hash: Mapped[str | None] = mapped_column(String(128), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    edited_by: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = _created()


class GenerationJob(Base):
    __tablename__ = "generation_jobs"
    _repr_fields = ("id", "kind", "provider", "status", "attempt")

    id: Mapped[str] = _pk()
    workspace_id: Mapped[str] = _fk("workspaces.id", ondelete="CASCADE")
    conversation_id: Mapped[str | None] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    provider: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="running")
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str | None] = mapped_column(Text)
    brief_hash: Mapped[str | None] = mapped_column(String(128))
    result_asset_id: Mapped[str | None] = _fk("content_assets.id", nullable=True, ondelete="SET NULL")
    started_at: Mapped[datetime] = _created()
    finished_at: Mapped[datetime | None]


class ApprovalRequest(Base):
    __tablename__ = "approval_requests"
    __table_args__ = (
        UniqueConstraint("thread_id", "interrupt_id"),
        Index("ix_approval_requests_thread_status", "thread_id", "status"),
    )
    _repr_fields = ("id", "thread_id", "interrupt_id", "kind", "status")

    id: Mapped[str] = _pk()
    conversation_id: Mapped[str] = _fk("conversations.id", ondelete="CASCADE")
    thread_id: Mapped[str] = mapped_column(String(128))
    interrupt_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    payload_hash: Mapped[str | None] = mapped_column(String(128))
    channel: Mapped[str | None] = mapped_column(String(64))
    message_ts: Mapped[str | None] = mapped_column(String(64))
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decision: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = _created()
    claimed_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]


class PublishStep(Base):
    __tablename__ = "publish_steps"
    __table_args__ = (Index("ix_publish_steps_campaign_platform", "campaign_id", "platform"),)
    _repr_fields = ("id", "idempotency_key", "object_kind", "state", "external_id", "attempts")

    id: Mapped[str] = _pk()
    campaign_id: Mapped[str] = _fk("campaigns.id", ondelete="CASCADE")
    platform: Mapped[str] = mapped_column(String(16))
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    object_kind: Mapped[str] = mapped_column(String(16))
    plan_key: Mapped[str] = mapped_column(String(128))
    parent_key: Mapped[str | None] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16), default="planned")
    # Indexed: a lost create's lookup asks which of a few platform ids other steps already hold.
    external_id: Mapped[str | None] = mapped_column(String(128), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    request: Mapped[dict[str, Any] | None]
    response: Mapped[dict[str, Any] | None]
    # When the write first left for the platform (its first "sending" since it was planned), on the app's
    # clock: a create whose answer was lost is looked up among the objects made from then on.
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class OAuthState(Base):
    __tablename__ = "oauth_states"
    _repr_fields = ("workspace_id", "platform", "expires_at", "used_at")

    # The id is the state nonce itself; it is unguessable, which is the point.
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    workspace_id: Mapped[str] = _fk("workspaces.id", ondelete="CASCADE")
    conversation_id: Mapped[str | None] = mapped_column(String(32))
    platform: Mapped[str] = mapped_column(String(16))
    redirect_uri: Mapped[str] = mapped_column(String(1024))
    code_verifier: Mapped[str | None] = mapped_column(String(256))
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = _created()


class PerformanceSnapshot(Base):
    __tablename__ = "performance_snapshots"
    __table_args__ = (UniqueConstraint("platform", "external_object_id", "day"),)
    _repr_fields = ("id", "platform", "level", "external_object_id", "day")

    id: Mapped[str] = _pk()
    campaign_id: Mapped[str] = _fk("campaigns.id", ondelete="CASCADE")
    platform: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    external_object_id: Mapped[str] = mapped_column(String(128))
    day: Mapped[date]
    impressions: Mapped[int] = mapped_column(Integer, default=0)
    clicks: Mapped[int] = mapped_column(Integer, default=0)
    spend: Mapped[Decimal] = mapped_column(default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3))
    conversions: Mapped[int] = mapped_column(Integer, default=0)
    video_views: Mapped[int] = mapped_column(Integer, default=0)
    fetched_at: Mapped[datetime] = _created()


class DigestSend(Base):
    """A digest for one workspace, channel, kind and period: claimed before it is posted (the unique key makes the
    claim once-only across processes), marked sent after; a failed post deletes the claim so a later run retries."""

    __tablename__ = "digest_sends"
    __table_args__ = (UniqueConstraint("workspace_id", "channel", "kind", "period"),)
    _repr_fields = ("id", "workspace_id", "channel", "kind", "period", "status")

    id: Mapped[str] = _pk()
    workspace_id: Mapped[str] = _fk("workspaces.id", ondelete="CASCADE")
    channel: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(32))  # the day covered (daily) or the week's first day (weekly)
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    claimed_by: Mapped[str] = mapped_column(String(128))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    message_ts: Mapped[str | None] = mapped_column(String(64))


class AuditEvent(Base):
    __tablename__ = "audit_events"
    # The cleanup job reads a campaign's history by subject and the alerts it sent by action.
    __table_args__ = (
        Index("ix_audit_events_subject", "subject_type", "subject_id"),
        Index("ix_audit_events_action", "action"),
    )
    _repr_fields = ("id", "actor", "action", "subject_type", "subject_id")

    id: Mapped[str] = _pk()
    workspace_id: Mapped[str | None] = mapped_column(String(32), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[str | None] = mapped_column(String(128))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class TokenNotice(Base):
    """A warning about an ad account's token (7 days and 1 day before it expires, and when it lapsed), claimed
    before it is posted so that it is said once per token, whichever process or restart gets there first."""

    __tablename__ = "token_notices"
    __table_args__ = (UniqueConstraint("ad_account_id", "kind", "token_ref"),)
    _repr_fields = ("id", "ad_account_id", "kind", "posted_to")

    id: Mapped[str] = _pk()
    ad_account_id: Mapped[str] = _fk("ad_accounts.id", ondelete="CASCADE")
    workspace_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # TOKEN_NOTICE_KINDS
    # Which token it is about: a digest of the token itself (never the token), so a new token gets new notices.
    token_ref: Mapped[str] = mapped_column(String(64))
    token_expires_at: Mapped[datetime | None]
    posted_to: Mapped[str | None] = mapped_column(String(128))  # e.g. slack:<channel>:<ts>
    created_at: Mapped[datetime] = _created()


class ConversationLease(Base):
    """Which process runs a conversation's flow now: held until `expires_at` (renewed while it runs), and a token
    that grows with every new holder, checked before each state-changing write (a fencing token)."""

    __tablename__ = "conversation_leases"
    _repr_fields = ("thread_id", "holder", "token")

    thread_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    token: Mapped[int] = mapped_column(Integer, default=1)
    expires_at: Mapped[datetime]


class ProcessedEvent(Base):
    __tablename__ = "processed_events"
    _repr_fields = ("event_id", "source")

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SlackInstallation(Base):
    __tablename__ = "slack_installations"
    __table_args__ = (UniqueConstraint("team_id", "enterprise_id"),)
    _repr_fields = ("id", "team_id", "enterprise_id", "bot_user_id")

    id: Mapped[str] = _pk()
    team_id: Mapped[str] = mapped_column(String(64), index=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(64))
    bot_user_id: Mapped[str | None] = mapped_column(String(64))
    bot_token_enc: Mapped[str | None] = mapped_column(Text)
    installed_by: Mapped[str | None] = mapped_column(String(128))
    installed_at: Mapped[datetime] = _created()
    scopes: Mapped[list[str]] = mapped_column(default=list)


API_SCOPES = ("read", "create", "approve", "publish", "admin")
API_JOB_KINDS = ("campaign", "publish", "generate_text", "generate_image", "generate_video")
API_JOB_STATUSES = ("queued", "running", "succeeded", "failed")


class ApiKey(Base):
    """A workspace API key. Only a hash of its secret is kept; its id is the key's public prefix."""

    __tablename__ = "api_keys"
    _repr_fields = ("id", "workspace_id", "user_ref", "scopes", "revoked_at")

    # Public: shown in listings and logs, and the first part of the key itself (adly_<id>_<secret>).
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    workspace_id: Mapped[str] = _fk("workspaces.id", ondelete="CASCADE")
    user_ref: Mapped[str] = mapped_column(String(128))
    scopes: Mapped[list[str]] = mapped_column(default=list)
    name: Mapped[str | None] = mapped_column(String(255))
    secret_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 hex of the whole key
    created_at: Mapped[datetime] = _created()
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class ApiJob(Base):
    """Long work started over the HTTP API (a campaign's first run, a publish, a generation): polled by id."""

    __tablename__ = "api_jobs"
    __table_args__ = (Index("ix_api_jobs_workspace_created", "workspace_id", "created_at"),)
    _repr_fields = ("id", "workspace_id", "kind", "status")

    id: Mapped[str] = _pk()
    workspace_id: Mapped[str] = _fk("workspaces.id", ondelete="CASCADE")
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    api_key_id: Mapped[str | None] = mapped_column(String(32))
    user_ref: Mapped[str] = mapped_column(String(128))
    subject_id: Mapped[str | None] = mapped_column(String(32))  # the campaign (conversation) it concerns
    result: Mapped[dict[str, Any] | None]
    error: Mapped[dict[str, Any] | None]  # a problem-details object
    created_at: Mapped[datetime] = _created()
    finished_at: Mapped[datetime | None]
