"""Data functions over the store tables; each takes the session explicitly and keyword-only.

Transactions: the caller owns them. Functions add/flush and return ORM objects; they do not
commit, with four exceptions that are locks or once-only tokens and must be visible to other
sessions and processes the moment they return, even if the caller's later work fails:
``claim_approval``, ``release_claim``, ``consume_oauth_state`` and ``mark_event_processed``
commit the session they are given (call them on a fresh session, or at the start of a unit of
work). Sessions come from ``store.db.create_session_factory`` (expire_on_commit=False), so the
returned objects stay readable after those commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple, TypeVar, cast

from sqlalchemy import (
    CursorResult,
    Integer,
    Select,
    String,
    Table,
    Text,
    Update,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.crypto import TokenCipher, ad_account_aad, slack_installation_aad
from store.models import (
    ACCOUNT_STATUSES,
    APPROVAL_STATUSES,
    ASSET_KINDS,
    ASSET_STATUSES,
    BUDGET_PERIODS,
    CAMPAIGN_STATUSES,
    CHANNEL_KINDS,
    CONVERSATION_STATUSES,
    JOB_STATUSES,
    PLATFORMS,
    ROLES,
    SNAPSHOT_LEVELS,
    STEP_OBJECT_KINDS,
    STEP_STATES,
    Ad,
    AdAccount,
    AdSet,
    ApprovalRequest,
    AuditEvent,
    Base,
    Campaign,
    ContentAsset,
    Conversation,
    GenerationJob,
    Member,
    OAuthState,
    PerformanceSnapshot,
    PlatformCampaign,
    ProcessedEvent,
    PublishStep,
    SlackInstallation,
    Workspace,
    new_id,
    utcnow,
)

M = TypeVar("M", bound=Base)

_ERROR_LIMIT = 4000


class NotFound(LookupError):
    """A row the caller named by id does not exist."""


def _check(value: str | None, allowed: Sequence[str], what: str) -> None:
    if value is not None and value not in allowed:
        raise ValueError(f"invalid {what} {value!r}; expected one of {', '.join(allowed)}")


def _currency(code: str) -> str:
    code = code.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValueError(f"invalid currency code {code!r}")
    return code


def _money(amount: Decimal | int | str | None) -> Decimal | None:
    if amount is None:
        return None
    if isinstance(amount, float):
        raise TypeError("money must be Decimal (or int/str), never float")
    return Decimal(amount)


def _truncate(error: str | None) -> str | None:
    return None if error is None else error[:_ERROR_LIMIT]


def _table(model: type[Base]) -> Table:
    """A model's table, for Core statements run many rows at a time (executemany)."""
    return cast(Table, model.__table__)


async def _one(session: AsyncSession, stmt: Select[M]) -> M | None:
    # populate_existing: rows changed by a Core UPDATE must not be served stale from the identity map.
    return (await session.scalars(stmt.execution_options(populate_existing=True))).first()


async def _require(session: AsyncSession, model: type[M], key: str) -> M:
    row = await session.get(model, key)
    if row is None:
        raise NotFound(f"{model.__name__} {key!r} not found")
    return row


def _apply(row: Base, fields: Mapping[str, Any], *, frozen: Iterable[str] = ("id",)) -> None:
    columns = set(row.__mapper__.columns.keys())
    for name, value in fields.items():
        if name not in columns or name in frozen:
            raise ValueError(f"{type(row).__name__} has no updatable field {name!r}")
        setattr(row, name, value)


async def _insert_ignore(
    session: AsyncSession, model: type[Base], values: dict[str, Any], conflict: Sequence[str]
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when a row was inserted."""
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        stmt = insert(model).values(**values).on_conflict_do_nothing(index_elements=list(conflict))
        result = cast(CursorResult[Any], await session.execute(stmt))
        return result.rowcount == 1
    try:
        async with session.begin_nested():
            session.add(model(**values))
        return True
    except IntegrityError:
        return False


# --- workspaces and members -------------------------------------------------------------------


async def get_or_create_workspace(
    *,
    session: AsyncSession,
    name: str,
    slack_team_id: str | None = None,
    default_currency: str = "SAR",
    approvers: Sequence[str] | None = None,
) -> Workspace:
    """Find by Slack team id (or by name among workspaces without one), else create."""
    stmt = select(Workspace)
    if slack_team_id is not None:
        stmt = stmt.where(Workspace.slack_team_id == slack_team_id)
    else:
        stmt = stmt.where(Workspace.name == name, Workspace.slack_team_id.is_(None)).order_by(Workspace.created_at)
    existing = await _one(session, stmt.limit(1))
    if existing is not None:
        return existing
    workspace = Workspace(
        name=name,
        slack_team_id=slack_team_id,
        default_currency=_currency(default_currency),
        approvers=list(approvers or []),
    )
    try:
        async with session.begin_nested():
            session.add(workspace)
    except IntegrityError:
        # Another process created the same Slack team a moment ago.
        found = await _one(session, stmt.limit(1))
        if found is None:
            raise
        return found
    return workspace


async def create_workspace(
    *, session: AsyncSession, name: str, default_currency: str = "SAR", approvers: Sequence[str] | None = None
) -> Workspace:
    """A new workspace (of the HTTP API, or any door other than a Slack team)."""
    workspace = Workspace(name=name, default_currency=_currency(default_currency), approvers=list(approvers or []))
    session.add(workspace)
    await session.flush()
    return workspace


async def get_workspace(*, session: AsyncSession, workspace_id: str) -> Workspace | None:
    return await session.get(Workspace, workspace_id)


async def list_workspaces(*, session: AsyncSession) -> list[Workspace]:
    return list(await session.scalars(select(Workspace).order_by(Workspace.created_at)))


async def update_workspace(*, session: AsyncSession, workspace_id: str, **fields: Any) -> Workspace:
    workspace = await _require(session, Workspace, workspace_id)
    if "default_currency" in fields:
        fields["default_currency"] = _currency(fields["default_currency"])
    for money in ("self_approval_limit", "max_campaign_budget", "max_daily_budget"):
        if money in fields:
            fields[money] = _money(fields[money])
    _apply(workspace, fields, frozen=("id", "created_at"))
    await session.flush()
    return workspace


async def upsert_member(
    *, session: AsyncSession, workspace_id: str, user_ref: str, role: str, display_name: str | None = None
) -> Member:
    _check(role, ROLES, "role")
    member = await get_member(session=session, workspace_id=workspace_id, user_ref=user_ref)
    if member is None:
        member = Member(workspace_id=workspace_id, user_ref=user_ref, role=role, display_name=display_name)
        session.add(member)
    else:
        member.role = role
        if display_name is not None:
            member.display_name = display_name
    await session.flush()
    return member


async def get_member(*, session: AsyncSession, workspace_id: str, user_ref: str) -> Member | None:
    return await _one(
        session, select(Member).where(Member.workspace_id == workspace_id, Member.user_ref == user_ref)
    )


# --- ad accounts and tokens ---------------------------------------------------------------------


async def upsert_ad_account(
    *,
    session: AsyncSession,
    cipher: TokenCipher,
    workspace_id: str,
    platform: str,
    external_account_id: str,
    name: str | None,
    currency: str | None,
    timezone: str | None,
    access_token: str,
    refresh_token: str | None = None,
    token_expires_at: datetime | None = None,
    refresh_expires_at: datetime | None = None,
    scopes: Iterable[str] = (),
    connected_by: str | None = None,
) -> AdAccount:
    """Insert or refresh the account for (workspace, platform, external id); stores tokens encrypted."""
    _check(platform, PLATFORMS, "platform")
    account = await _one(
        session,
        select(AdAccount).where(
            AdAccount.workspace_id == workspace_id,
            AdAccount.platform == platform,
            AdAccount.external_account_id == external_account_id,
        ),
    )
    if account is None:
        account = AdAccount(workspace_id=workspace_id, platform=platform, external_account_id=external_account_id)
        session.add(account)
    account.name = name
    account.currency = _currency(currency) if currency else None
    account.timezone = timezone
    account.scopes = list(scopes)
    account.connected_by = connected_by
    account.status = "active"
    _set_tokens(cipher, account, access_token, refresh_token, token_expires_at, refresh_expires_at)
    await session.flush()
    return account


def _set_tokens(
    cipher: TokenCipher,
    account: AdAccount,
    access_token: str,
    refresh_token: str | None,
    token_expires_at: datetime | None,
    refresh_expires_at: datetime | None,
) -> None:
    account.access_token_enc = cipher.encrypt(access_token, aad=ad_account_aad(account, "access_token"))
    if refresh_token is not None:
        account.refresh_token_enc = cipher.encrypt(refresh_token, aad=ad_account_aad(account, "refresh_token"))
        account.refresh_expires_at = refresh_expires_at
    account.token_expires_at = token_expires_at


async def list_ad_accounts(
    *, session: AsyncSession, workspace_id: str, platform: str | None = None
) -> list[AdAccount]:
    stmt = select(AdAccount).where(AdAccount.workspace_id == workspace_id)
    if platform is not None:
        stmt = stmt.where(AdAccount.platform == platform)
    return list(await session.scalars(stmt.order_by(AdAccount.platform, AdAccount.created_at)))


async def get_ad_account(*, session: AsyncSession, ad_account_id: str) -> AdAccount | None:
    return await session.get(AdAccount, ad_account_id)


async def get_ad_accounts(*, session: AsyncSession, ad_account_ids: Sequence[str]) -> dict[str, AdAccount]:
    """Several accounts in one query, by id (ids that do not exist are left out)."""
    stmt = select(AdAccount).where(AdAccount.id.in_(list(ad_account_ids)))
    return {a.id: a for a in await session.scalars(stmt.execution_options(populate_existing=True))}


def read_tokens(*, cipher: TokenCipher, account: AdAccount) -> tuple[str | None, str | None]:
    """Decrypt (access_token, refresh_token); raises CryptoError, never showing either."""
    access = account.access_token_enc
    refresh = account.refresh_token_enc
    return (
        cipher.decrypt(access, aad=ad_account_aad(account, "access_token")) if access else None,
        cipher.decrypt(refresh, aad=ad_account_aad(account, "refresh_token")) if refresh else None,
    )


async def update_tokens(
    *,
    session: AsyncSession,
    cipher: TokenCipher,
    account: AdAccount,
    access_token: str,
    refresh_token: str | None = None,
    token_expires_at: datetime | None = None,
    refresh_expires_at: datetime | None = None,
) -> AdAccount:
    """Store refreshed tokens (a None refresh_token keeps the old one) and mark the account active."""
    _set_tokens(cipher, account, access_token, refresh_token, token_expires_at, refresh_expires_at)
    account.status = "active"
    await session.flush()
    return account


async def mark_account_status(*, session: AsyncSession, ad_account_id: str, status: str) -> AdAccount:
    _check(status, ACCOUNT_STATUSES, "account status")
    account = await _require(session, AdAccount, ad_account_id)
    account.status = status
    await session.flush()
    return account


# --- Slack installations ----------------------------------------------------------------------


async def save_slack_installation(
    *,
    session: AsyncSession,
    cipher: TokenCipher,
    team_id: str,
    enterprise_id: str | None,
    bot_user_id: str | None,
    bot_token: str,
    installed_by: str | None = None,
    scopes: Iterable[str] = (),
) -> SlackInstallation:
    installation = await find_slack_installation(session=session, team_id=team_id, enterprise_id=enterprise_id)
    if installation is None:
        installation = SlackInstallation(team_id=team_id, enterprise_id=enterprise_id)
        session.add(installation)
    installation.bot_user_id = bot_user_id
    installation.installed_by = installed_by
    installation.installed_at = utcnow()
    installation.scopes = list(scopes)
    installation.bot_token_enc = cipher.encrypt(bot_token, aad=slack_installation_aad(installation))
    await session.flush()
    return installation


async def find_slack_installation(
    *, session: AsyncSession, team_id: str, enterprise_id: str | None = None
) -> SlackInstallation | None:
    return await _one(
        session,
        select(SlackInstallation).where(
            SlackInstallation.team_id == team_id,
            SlackInstallation.enterprise_id.is_not_distinct_from(enterprise_id),
        ),
    )


def read_slack_token(*, cipher: TokenCipher, installation: SlackInstallation) -> str | None:
    blob = installation.bot_token_enc
    return cipher.decrypt(blob, aad=slack_installation_aad(installation)) if blob else None


# --- conversations ------------------------------------------------------------------------------


async def create_conversation(
    *,
    session: AsyncSession,
    workspace_id: str,
    thread_id: str,
    channel_kind: str,
    channel_id: str | None = None,
    thread_ts: str | None = None,
    requested_by: str,
    language: str = "en",
) -> Conversation:
    _check(channel_kind, CHANNEL_KINDS, "channel kind")
    conversation = Conversation(
        workspace_id=workspace_id,
        thread_id=thread_id,
        channel_kind=channel_kind,
        channel_id=channel_id,
        thread_ts=thread_ts,
        requested_by=requested_by,
        language=language,
        status="active",
    )
    session.add(conversation)
    await session.flush()
    return conversation


async def get_conversation(*, session: AsyncSession, conversation_id: str) -> Conversation | None:
    return await session.get(Conversation, conversation_id)


async def get_conversation_by_thread(*, session: AsyncSession, thread_id: str) -> Conversation | None:
    return await _one(session, select(Conversation).where(Conversation.thread_id == thread_id))


async def find_conversation(
    *, session: AsyncSession, channel_kind: str, channel_id: str | None, thread_ts: str | None
) -> Conversation | None:
    return await _one(
        session,
        select(Conversation).where(
            Conversation.channel_kind == channel_kind,
            Conversation.channel_id.is_not_distinct_from(channel_id),
            Conversation.thread_ts.is_not_distinct_from(thread_ts),
        ),
    )


async def update_conversation(*, session: AsyncSession, conversation_id: str, **fields: Any) -> Conversation:
    _check(fields.get("status"), CONVERSATION_STATUSES, "conversation status")
    conversation = await _require(session, Conversation, conversation_id)
    _apply(conversation, fields, frozen=("id", "thread_id", "created_at"))
    await session.flush()
    return conversation


async def list_conversations(
    *, session: AsyncSession, workspace_id: str | None = None, statuses: Iterable[str] | None = None,
    limit: int | None = None,
) -> list[Conversation]:
    """Oldest first; with `limit`, the newest `limit` of them, newest first."""
    stmt = select(Conversation)
    if workspace_id is not None:
        stmt = stmt.where(Conversation.workspace_id == workspace_id)
    if statuses is not None:
        stmt = stmt.where(Conversation.status.in_(list(statuses)))
    if limit is not None:
        return list(await session.scalars(stmt.order_by(Conversation.created_at.desc()).limit(limit)))
    return list(await session.scalars(stmt.order_by(Conversation.created_at)))


# --- approval requests ---------------------------------------------------------------------------


async def find_approval(*, session: AsyncSession, thread_id: str, interrupt_id: str) -> ApprovalRequest | None:
    return await _one(session, select(ApprovalRequest).where(
        ApprovalRequest.thread_id == thread_id, ApprovalRequest.interrupt_id == interrupt_id))


async def record_approval_request(
    *,
    session: AsyncSession,
    conversation_id: str,
    thread_id: str,
    interrupt_id: str,
    kind: str,
    payload_hash: str | None,
) -> ApprovalRequest:
    """Record a pending interrupt once; older pending requests of the thread become superseded."""
    stmt = select(ApprovalRequest).where(
        ApprovalRequest.thread_id == thread_id, ApprovalRequest.interrupt_id == interrupt_id
    )
    existing = await _one(session, stmt)
    if existing is not None:
        return existing
    await session.execute(
        update(ApprovalRequest)
        .where(
            ApprovalRequest.thread_id == thread_id,
            ApprovalRequest.status == "pending",
            ApprovalRequest.interrupt_id != interrupt_id,
        )
        .values(status="superseded")
    )
    await _insert_ignore(
        session,
        ApprovalRequest,
        {
            "id": new_id(),
            "conversation_id": conversation_id,
            "thread_id": thread_id,
            "interrupt_id": interrupt_id,
            "kind": kind,
            "status": "pending",
            "payload_hash": payload_hash,
            "created_at": utcnow(),
        },
        ("thread_id", "interrupt_id"),
    )
    request = await _one(session, stmt)
    assert request is not None
    return request


async def claim_approval(
    *, session: AsyncSession, thread_id: str, interrupt_id: str, actor: str
) -> ApprovalRequest | None:
    """Compare-and-set pending -> claimed in one UPDATE; None if it was not pending. Commits."""
    now = utcnow()
    result = cast(
        CursorResult[Any],
        await session.execute(
            update(ApprovalRequest)
            .where(
                ApprovalRequest.thread_id == thread_id,
                ApprovalRequest.interrupt_id == interrupt_id,
                ApprovalRequest.status == "pending",
            )
            .values(status="claimed", claimed_at=now, decided_by=actor)
            .execution_options(synchronize_session=False)
        ),
    )
    claimed = None
    if result.rowcount == 1:
        claimed = await _one(
            session,
            select(ApprovalRequest).where(
                ApprovalRequest.thread_id == thread_id, ApprovalRequest.interrupt_id == interrupt_id
            ),
        )
    await session.commit()
    return claimed


async def finish_approval(
    *, session: AsyncSession, approval_id: str, decision: dict[str, Any], actor: str
) -> ApprovalRequest | None:
    """claimed -> decided with the decision; None if it was not claimed."""
    result = cast(
        CursorResult[Any],
        await session.execute(
            update(ApprovalRequest)
            .where(ApprovalRequest.id == approval_id, ApprovalRequest.status == "claimed")
            .values(status="decided", decision=decision, decided_by=actor, decided_at=utcnow())
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        return None
    return await _one(session, select(ApprovalRequest).where(ApprovalRequest.id == approval_id))


async def release_claim(*, session: AsyncSession, approval_id: str) -> bool:
    """claimed -> pending after a failed resume, so the prompt can be answered again. Commits."""
    result = cast(
        CursorResult[Any],
        await session.execute(
            update(ApprovalRequest)
            .where(ApprovalRequest.id == approval_id, ApprovalRequest.status == "claimed")
            .values(status="pending", claimed_at=None, decided_by=None)
            .execution_options(synchronize_session=False)
        ),
    )
    await session.commit()
    return result.rowcount == 1


async def get_pending_approval(*, session: AsyncSession, thread_id: str) -> ApprovalRequest | None:
    return await _one(
        session,
        select(ApprovalRequest)
        .where(ApprovalRequest.thread_id == thread_id, ApprovalRequest.status == "pending")
        .order_by(ApprovalRequest.created_at.desc())
        .limit(1),
    )


async def get_approval(*, session: AsyncSession, approval_id: str) -> ApprovalRequest | None:
    return await _one(session, select(ApprovalRequest).where(ApprovalRequest.id == approval_id))


async def set_approval_status(*, session: AsyncSession, approval_id: str, status: str) -> ApprovalRequest:
    """For expiring or superseding a request by hand; claims go through claim_approval."""
    _check(status, APPROVAL_STATUSES, "approval status")
    approval = await _require(session, ApprovalRequest, approval_id)
    approval.status = status
    await session.flush()
    return approval


async def set_approval_message(
    *, session: AsyncSession, approval_id: str, channel: str, message_ts: str
) -> ApprovalRequest:
    approval = await _require(session, ApprovalRequest, approval_id)
    approval.channel = channel
    approval.message_ts = message_ts
    await session.flush()
    return approval


# --- campaigns and their tree -----------------------------------------------------------------


async def create_campaign(
    *,
    session: AsyncSession,
    workspace_id: str,
    conversation_id: str | None,
    name: str,
    objective: str | None,
    theme: str | None,
    budget_amount: Decimal | None,
    budget_currency: str | None,
    budget_period: str | None,
    start_date: date | None,
    end_date: date | None,
    request: dict[str, Any],
    requested_by: str | None,
) -> Campaign:
    _check(budget_period, BUDGET_PERIODS, "budget period")
    campaign = Campaign(
        workspace_id=workspace_id,
        conversation_id=conversation_id,
        name=name,
        objective=objective,
        theme=theme,
        status="draft",
        budget_amount=_money(budget_amount),
        budget_currency=_currency(budget_currency) if budget_currency else None,
        budget_period=budget_period,
        start_date=start_date,
        end_date=end_date,
        request=request,
        requested_by=requested_by,
    )
    session.add(campaign)
    await session.flush()
    return campaign


async def get_campaign(*, session: AsyncSession, campaign_id: str) -> Campaign | None:
    return await session.get(Campaign, campaign_id)


async def update_campaign(*, session: AsyncSession, campaign_id: str, **fields: Any) -> Campaign:
    _check(fields.get("status"), CAMPAIGN_STATUSES, "campaign status")
    _check(fields.get("budget_period"), BUDGET_PERIODS, "budget period")
    if "budget_amount" in fields:
        fields["budget_amount"] = _money(fields["budget_amount"])
    if fields.get("budget_currency"):
        fields["budget_currency"] = _currency(fields["budget_currency"])
    campaign = await _require(session, Campaign, campaign_id)
    _apply(campaign, fields, frozen=("id", "workspace_id", "created_at"))
    await session.flush()
    return campaign


async def list_campaigns(
    *, session: AsyncSession, workspace_id: str, statuses: Iterable[str] | None = None, limit: int = 50
) -> list[Campaign]:
    stmt = select(Campaign).where(Campaign.workspace_id == workspace_id)
    if statuses is not None:
        stmt = stmt.where(Campaign.status.in_(list(statuses)))
    stmt = stmt.order_by(Campaign.created_at.desc(), Campaign.id).limit(limit)
    return list(await session.scalars(stmt))


async def campaigns_in_status(*, session: AsyncSession, statuses: Iterable[str]) -> list[Campaign]:
    """Campaigns of every workspace in these statuses, oldest first (recovery after a restart)."""
    stmt = select(Campaign).where(Campaign.status.in_(list(statuses))).order_by(Campaign.created_at)
    return list(await session.scalars(stmt))


async def upsert_platform_campaign(
    *,
    session: AsyncSession,
    campaign_id: str,
    platform: str,
    ad_account_id: str | None,
    external_campaign_id: str | None = None,
    status: str | None = None,
) -> PlatformCampaign:
    _check(platform, PLATFORMS, "platform")
    row = await _one(
        session,
        select(PlatformCampaign).where(
            PlatformCampaign.campaign_id == campaign_id, PlatformCampaign.platform == platform
        ),
    )
    if row is None:
        row = PlatformCampaign(campaign_id=campaign_id, platform=platform, status=status or "draft")
        session.add(row)
    row.ad_account_id = ad_account_id
    if external_campaign_id is not None:
        row.external_campaign_id = external_campaign_id
    if status is not None:
        row.status = status
    await session.flush()
    return row


async def upsert_ad_set(
    *,
    session: AsyncSession,
    platform_campaign_id: str,
    plan_key: str,
    name: str,
    targeting: dict[str, Any],
    budget_amount: Decimal | None,
    budget_currency: str | None,
    external_id: str | None = None,
    status: str | None = None,
) -> AdSet:
    row = await _one(
        session,
        select(AdSet).where(AdSet.platform_campaign_id == platform_campaign_id, AdSet.plan_key == plan_key),
    )
    if row is None:
        row = AdSet(platform_campaign_id=platform_campaign_id, plan_key=plan_key, status=status or "draft")
        session.add(row)
    row.name = name
    row.targeting = targeting
    row.budget_amount = _money(budget_amount)
    row.budget_currency = _currency(budget_currency) if budget_currency else None
    if external_id is not None:
        row.external_id = external_id
    if status is not None:
        row.status = status
    await session.flush()
    return row


async def upsert_ad(
    *,
    session: AsyncSession,
    ad_set_id: str,
    plan_key: str,
    name: str,
    language: str | None,
    creative_data: dict[str, Any],
    media_assets: Sequence[str],
    external_id: str | None = None,
    external_creative_id: str | None = None,
    status: str | None = None,
) -> Ad:
    row = await _one(session, select(Ad).where(Ad.ad_set_id == ad_set_id, Ad.plan_key == plan_key))
    if row is None:
        row = Ad(ad_set_id=ad_set_id, plan_key=plan_key, status=status or "draft")
        session.add(row)
    row.name = name
    row.language = language
    row.creative_data = creative_data
    row.media_assets = list(media_assets)
    if external_id is not None:
        row.external_id = external_id
    if external_creative_id is not None:
        row.external_creative_id = external_creative_id
    if status is not None:
        row.status = status
    await session.flush()
    return row


async def campaign_tree(*, session: AsyncSession, campaign_id: str) -> list[PlatformCampaign]:
    """Platform campaigns of a campaign with .ad_sets and their .ads loaded (the only way to reach them)."""
    stmt = (
        select(PlatformCampaign)
        .where(PlatformCampaign.campaign_id == campaign_id)
        .options(selectinload(PlatformCampaign.ad_sets).selectinload(AdSet.ads))
        .order_by(PlatformCampaign.platform)
        .execution_options(populate_existing=True)
    )
    return list(await session.scalars(stmt))


# --- content assets and generation jobs ---------------------------------------------------------


async def add_asset(
    *,
    session: AsyncSession,
    workspace_id: str,
    conversation_id: str | None,
    kind: str,
    language: str | None = None,
    file_path: str | None = None,
    mime: str | None = None,
    width: int | None = None,
    height: int | None = None,
    duration_s: float | None = None,
    text: dict[str, Any] | None = None,
    meta: dict[str, Any] | None = None,
    provider: str | None = None,
    brief_hash: str | None = None,
    campaign_id: str | None = None,
    status: str = "draft",
) -> ContentAsset:
    _check(kind, ASSET_KINDS, "asset kind")
    _check(status, ASSET_STATUSES, "asset status")
    asset = ContentAsset(
        workspace_id=workspace_id,
        conversation_id=conversation_id,
        campaign_id=campaign_id,
        kind=kind,
        language=language,
        file_path=file_path,
        mime=mime,
        width=width,
        height=height,
        duration_s=duration_s,
        text=text,
        meta=dict(meta or {}),
        provider=provider,
        brief_hash=brief_hash,
        status=status,
    )
    session.add(asset)
    await session.flush()
    return asset


async def get_assets(*, session: AsyncSession, asset_ids: Sequence[str]) -> list[ContentAsset]:
    """The assets that exist, in the order asked for."""
    if not asset_ids:
        return []
    found = {a.id: a for a in await session.scalars(select(ContentAsset).where(ContentAsset.id.in_(list(asset_ids))))}
    return [found[i] for i in dict.fromkeys(asset_ids) if i in found]


async def list_conversation_assets(
    *, session: AsyncSession, conversation_id: str, status: str | None = None
) -> list[ContentAsset]:
    """A conversation's assets, oldest first (optionally only those with `status`)."""
    stmt = select(ContentAsset).where(ContentAsset.conversation_id == conversation_id)
    if status is not None:
        stmt = stmt.where(ContentAsset.status == status)
    return list(await session.scalars(stmt.order_by(ContentAsset.created_at)))


async def find_asset_by_brief(
    *, session: AsyncSession, workspace_id: str, kind: str, brief_hash: str
) -> ContentAsset | None:
    """Cache lookup: the newest non-superseded asset made from the same brief."""
    return await _one(
        session,
        select(ContentAsset)
        .where(
            ContentAsset.workspace_id == workspace_id,
            ContentAsset.kind == kind,
            ContentAsset.brief_hash == brief_hash,
            ContentAsset.status != "superseded",
        )
        .order_by(ContentAsset.created_at.desc())
        .limit(1),
    )


async def update_asset(*, session: AsyncSession, asset_id: str, **fields: Any) -> ContentAsset:
    _check(fields.get("status"), ASSET_STATUSES, "asset status")
    asset = await _require(session, ContentAsset, asset_id)
    _apply(asset, fields, frozen=("id", "workspace_id", "kind", "created_at"))
    await session.flush()
    return asset


async def start_job(
    *,
    session: AsyncSession,
    workspace_id: str,
    conversation_id: str | None,
    kind: str,
    provider: str | None,
    brief_hash: str | None = None,
    attempt: int = 1,
) -> GenerationJob:
    job = GenerationJob(
        workspace_id=workspace_id,
        conversation_id=conversation_id,
        kind=kind,
        provider=provider,
        brief_hash=brief_hash,
        attempt=attempt,
        status="running",
    )
    session.add(job)
    await session.flush()
    return job


async def finish_job(
    *,
    session: AsyncSession,
    job_id: str,
    status: str,
    error: str | None = None,
    result_asset_id: str | None = None,
) -> GenerationJob:
    _check(status, JOB_STATUSES, "job status")
    job = await _require(session, GenerationJob, job_id)
    job.status = status
    job.error = _truncate(error)
    job.result_asset_id = result_asset_id
    job.finished_at = utcnow()
    await session.flush()
    return job


# --- the publish ledger ---------------------------------------------------------------------------


async def plan_step(
    *,
    session: AsyncSession,
    campaign_id: str,
    platform: str,
    idempotency_key: str,
    object_kind: str,
    plan_key: str,
    parent_key: str | None = None,
    request: dict[str, Any] | None = None,
) -> PublishStep:
    """Insert the step if its key is new, else return the existing one unchanged (never duplicates)."""
    _check(platform, PLATFORMS, "platform")
    _check(object_kind, STEP_OBJECT_KINDS, "step object kind")
    now = utcnow()
    await _insert_ignore(
        session,
        PublishStep,
        {
            "id": new_id(),
            "campaign_id": campaign_id,
            "platform": platform,
            "idempotency_key": idempotency_key,
            "object_kind": object_kind,
            "plan_key": plan_key,
            "parent_key": parent_key,
            "state": "planned",
            "attempts": 0,
            "request": request,
            "created_at": now,
            "updated_at": now,
        },
        ("idempotency_key",),
    )
    step = await get_step(session=session, idempotency_key=idempotency_key)
    assert step is not None
    if (step.campaign_id, step.platform, step.object_kind) != (campaign_id, platform, object_kind):
        # Keys are derived from the plan; a clash means two different writes share a key.
        raise ValueError(f"idempotency key {idempotency_key!r} already belongs to another step")
    return step


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """One write a publish run will make, for `plan_steps`."""

    campaign_id: str
    platform: str
    idempotency_key: str
    object_kind: str
    plan_key: str
    parent_key: str | None = None


async def plan_steps(*, session: AsyncSession, steps: Sequence[PlannedStep]) -> None:
    """Plan many steps at once; a key already planned is left unchanged (never duplicated).

    One prepared INSERT ... ON CONFLICT DO NOTHING run for every row (executemany) where the dialect has
    it, else `plan_step` one at a time. Like `plan_step`, it does not read the rows back.
    """
    if not steps:
        return
    for step in steps:
        _check(step.platform, PLATFORMS, "platform")
        _check(step.object_kind, STEP_OBJECT_KINDS, "step object kind")
    dialect = session.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        for step in steps:
            await plan_step(
                session=session, campaign_id=step.campaign_id, platform=step.platform,
                idempotency_key=step.idempotency_key, object_kind=step.object_kind, plan_key=step.plan_key,
                parent_key=step.parent_key,
            )  # fmt: skip
        return
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    now = utcnow()
    rows = [
        {
            "id": new_id(), "campaign_id": s.campaign_id, "platform": s.platform,
            "idempotency_key": s.idempotency_key, "object_kind": s.object_kind, "plan_key": s.plan_key,
            "parent_key": s.parent_key, "state": "planned", "attempts": 0, "created_at": now, "updated_at": now,
        }  # fmt: skip
        for s in steps
    ]
    stmt = insert(_table(PublishStep)).on_conflict_do_nothing(index_elements=["idempotency_key"])
    await session.execute(stmt, rows)


class StepState(NamedTuple):
    """What a run needs of a step's row to decide whether to send, look up or reuse."""

    campaign_id: str
    platform: str
    object_kind: str
    state: str
    external_id: str | None


async def get_step_states(*, session: AsyncSession, idempotency_keys: Sequence[str]) -> dict[str, StepState]:
    """The stored state of each of these steps that exists, by key (plain rows: no ORM objects to build)."""
    t = _table(PublishStep).c
    rows = await session.execute(
        select(t.idempotency_key, t.campaign_id, t.platform, t.object_kind, t.state, t.external_id).where(
            t.idempotency_key.in_(list(idempotency_keys))
        )
    )
    return {row[0]: StepState(*row[1:]) for row in rows}


async def get_step(*, session: AsyncSession, idempotency_key: str) -> PublishStep | None:
    return await _one(session, select(PublishStep).where(PublishStep.idempotency_key == idempotency_key))


async def set_step_state(
    *,
    session: AsyncSession,
    idempotency_key: str,
    state: str,
    external_id: str | None = None,
    error: str | None = None,
    response: dict[str, Any] | None = None,
) -> PublishStep:
    """Move a step; entering "sending" counts an attempt. Commit before making the external call.

    One UPDATE ... RETURNING (no read first): the saga moves steps on every call it makes, often many in
    one transaction, so this sits on the publishing critical path.
    """
    _check(state, STEP_STATES, "step state")
    values: dict[str, Any] = {"state": state}
    if state == "sending":
        values["attempts"] = PublishStep.attempts + 1
    if external_id is not None:
        values["external_id"] = external_id
    if error is not None:
        values["last_error"] = _truncate(error)
    if response is not None:
        values["response"] = response
    stmt = (
        update(PublishStep)
        .where(PublishStep.idempotency_key == idempotency_key)
        .values(**values)
        .returning(PublishStep)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    step = (await session.scalars(stmt)).one_or_none()
    if step is None:
        raise NotFound(f"publish step {idempotency_key!r} not found")
    return step


async def mark_steps_sending(*, session: AsyncSession, idempotency_keys: Sequence[str]) -> None:
    """Many steps enter "sending" at once (each counts an attempt): one UPDATE for a burst of parallel calls."""
    result = await session.execute(
        update(PublishStep)
        .where(PublishStep.idempotency_key.in_(list(idempotency_keys)))
        .values(state="sending", attempts=PublishStep.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], result).rowcount != len(set(idempotency_keys)):
        raise NotFound(f"publish steps not found among {list(idempotency_keys)[:3]}...")


async def unmark_steps_sending(*, session: AsyncSession, idempotency_keys: Sequence[str]) -> None:
    """Undo `mark_steps_sending` for steps whose call was never made (their attempt is taken back)."""
    await session.execute(
        update(PublishStep)
        .where(PublishStep.idempotency_key.in_(list(idempotency_keys)), PublishStep.state == "sending")
        .values(state="planned", attempts=PublishStep.attempts - 1)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True, slots=True)
class StepChange:
    """A step's new state for `apply_step_changes`; None keeps the stored external id and error."""

    idempotency_key: str
    state: str
    external_id: str | None = None
    error: str | None = None


async def apply_step_changes(*, session: AsyncSession, changes: Sequence[StepChange]) -> None:
    """Move many steps with one statement run for all of them (executemany), in the order given.

    The saga commits a burst of "created" steps at once; one prepared UPDATE for the lot costs a fraction
    of one UPDATE ... RETURNING per step. Entering "sending" counts an attempt, as in `set_step_state`.
    """
    if not changes:
        return
    for change in changes:
        _check(change.state, STEP_STATES, "step state")
    params = [
        {
            "k_key": c.idempotency_key, "k_state": c.state, "k_external_id": c.external_id,
            "k_error": _truncate(c.error), "k_attempt": 1 if c.state == "sending" else 0,
        }  # fmt: skip
        for c in changes
    ]
    result = await session.execute(_step_change_statement(), params)
    # The driver reports the total over the batch (-1 where it cannot tell); an unknown key leaves it short.
    matched = cast(CursorResult[Any], result).rowcount
    if matched not in (-1, len(changes)):
        raise NotFound(f"publish steps not found among {[c.idempotency_key for c in changes][:3]}...")


@cache
def _step_change_statement() -> Update:
    t = _table(PublishStep).c
    return (
        update(_table(PublishStep))
        .where(t.idempotency_key == bindparam("k_key"))
        .values(
            state=bindparam("k_state"),
            external_id=func.coalesce(bindparam("k_external_id", type_=String), t.external_id),
            last_error=func.coalesce(bindparam("k_error", type_=Text), t.last_error),
            attempts=t.attempts + bindparam("k_attempt", type_=Integer),
        )
    )


@dataclass(frozen=True, slots=True)
class RowChange:
    """A change to the user-facing rows (campaign, ad set, ad) of one campaign on one platform.

    Which rows, by the first that applies: `match_external_id`, the level's row with that external id;
    `plan_key`, one object (an ad also needs its `ad_set_key`; the campaign level has one row, so any
    plan key names it); neither, every row of the level that exists on the platform (has an external id).
    `status`, `external_id` and `creative_id` (ads only: the creative the ad was made on) are set; None
    keeps the stored value.
    """

    campaign_id: str
    platform: str
    level: str
    status: str | None = None
    plan_key: str | None = None
    ad_set_key: str | None = None
    external_id: str | None = None
    creative_id: str | None = None
    match_external_id: str | None = None

    @property
    def selector(self) -> str:
        return "external_id" if self.match_external_id is not None else "plan_key" if self.plan_key else "existing"


async def apply_row_changes(*, session: AsyncSession, changes: Sequence[RowChange]) -> None:
    """Apply row changes with one executemany UPDATE per (level, selector), keeping the order per row.

    A change whose level already has pending changes under another selector sends those first: the two
    may touch the same row, and the later one must win.
    """
    pending: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for change in changes:
        _check(change.platform, PLATFORMS, "platform")
        if change.level not in _ROW_LEVELS:
            raise ValueError(f"unknown level {change.level!r}")
        if change.creative_id is not None and change.level != "ad":
            raise ValueError("only ads record a creative id")
        shape = (change.level, change.selector)
        for other in [s for s in pending if s[0] == change.level and s != shape]:
            await session.execute(_row_change_statement(*other), pending.pop(other))
        pending.setdefault(shape, []).append(
            {
                "r_campaign_id": change.campaign_id, "r_platform": change.platform, "r_status": change.status,
                "r_plan_key": change.plan_key, "r_ad_set_key": change.ad_set_key,
                "r_external_id": change.external_id, "r_creative_id": change.creative_id,
                "r_match": change.match_external_id,
            }  # fmt: skip
        )
    for shape, params in pending.items():
        await session.execute(_row_change_statement(*shape), params)


_ROW_LEVELS = ("campaign", "ad_set", "ad")


@cache
def _row_change_statement(level: str, selector: str) -> Update:
    """The UPDATE for one (level, selector), all values as bind parameters: built and compiled once."""
    campaigns = _table(PlatformCampaign).c
    pc_ids = select(campaigns.id).where(
        campaigns.campaign_id == bindparam("r_campaign_id"), campaigns.platform == bindparam("r_platform")
    )
    table: Any
    if level == "campaign":
        table = _table(PlatformCampaign)
        ext = table.c.external_campaign_id
        where = [table.c.campaign_id == bindparam("r_campaign_id"), table.c.platform == bindparam("r_platform")]
    elif level == "ad_set":
        table = _table(AdSet)
        ext = table.c.external_id
        where = [table.c.platform_campaign_id.in_(pc_ids)]
        if selector == "plan_key":
            where.append(table.c.plan_key == bindparam("r_plan_key"))
    else:
        table = _table(Ad)
        ext = table.c.external_id
        sets = _table(AdSet).c
        set_ids = select(sets.id).where(sets.platform_campaign_id.in_(pc_ids))
        if selector == "plan_key":
            set_ids = set_ids.where(sets.plan_key == bindparam("r_ad_set_key"))
            where = [table.c.ad_set_id.in_(set_ids), table.c.plan_key == bindparam("r_plan_key")]
        else:
            where = [table.c.ad_set_id.in_(set_ids)]
    if selector == "existing":
        where.append(ext.is_not(None))
    elif selector == "external_id":
        where.append(ext == bindparam("r_match"))
    values: dict[str, Any] = {
        "status": func.coalesce(bindparam("r_status", type_=String), table.c.status),
        ext.key: func.coalesce(bindparam("r_external_id", type_=String), ext),
    }
    if level == "ad":
        values["external_creative_id"] = func.coalesce(
            bindparam("r_creative_id", type_=String), table.c.external_creative_id
        )
    return update(table).where(*where).values(**values)


async def list_steps(
    *, session: AsyncSession, campaign_id: str, platform: str | None = None
) -> list[PublishStep]:
    stmt = select(PublishStep).where(PublishStep.campaign_id == campaign_id)
    if platform is not None:
        stmt = stmt.where(PublishStep.platform == platform)
    return list(await session.scalars(stmt.order_by(PublishStep.created_at, PublishStep.id)))


# --- OAuth states -----------------------------------------------------------------------------------


async def create_oauth_state(
    *,
    session: AsyncSession,
    workspace_id: str,
    conversation_id: str | None,
    platform: str,
    redirect_uri: str,
    ttl_s: int = 900,
    code_verifier: str | None = None,
) -> OAuthState:
    _check(platform, PLATFORMS, "platform")
    now = utcnow()
    state = OAuthState(
        id=secrets.token_urlsafe(32),
        workspace_id=workspace_id,
        conversation_id=conversation_id,
        platform=platform,
        redirect_uri=redirect_uri,
        code_verifier=code_verifier,
        expires_at=now + timedelta(seconds=ttl_s),
        created_at=now,
    )
    session.add(state)
    await session.flush()
    return state


async def find_open_oauth_state(
    *, session: AsyncSession, conversation_id: str, platform: str, now: datetime | None = None
) -> OAuthState | None:
    """The newest unused, unexpired state of a conversation for a platform: its link can be shown again."""
    now = now or utcnow()
    stmt = (
        select(OAuthState)
        .where(
            OAuthState.conversation_id == conversation_id,
            OAuthState.platform == platform,
            OAuthState.used_at.is_(None),
            OAuthState.expires_at > now,
        )
        .order_by(OAuthState.created_at.desc())
        .limit(1)
    )
    return await _one(session, stmt)


async def get_oauth_state(*, session: AsyncSession, state_id: str) -> OAuthState | None:
    return await session.get(OAuthState, state_id)


async def consume_oauth_state(
    *, session: AsyncSession, state_id: str, now: datetime | None = None
) -> OAuthState | None:
    """Burn the state: succeeds once, and only before it expires. Commits."""
    now = now or utcnow()
    result = cast(
        CursorResult[Any],
        await session.execute(
            update(OAuthState)
            .where(OAuthState.id == state_id, OAuthState.used_at.is_(None), OAuthState.expires_at > now)
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    state = None
    if result.rowcount == 1:
        state = await _one(session, select(OAuthState).where(OAuthState.id == state_id))
    await session.commit()
    return state


async def purge_oauth_states(*, session: AsyncSession, before: datetime) -> int:
    result = cast(
        CursorResult[Any],
        await session.execute(delete(OAuthState).where(OAuthState.expires_at < before)),
    )
    return result.rowcount


# --- performance snapshots --------------------------------------------------------------------------


async def upsert_snapshot(
    *,
    session: AsyncSession,
    campaign_id: str,
    platform: str,
    level: str,
    external_object_id: str,
    day: date,
    impressions: int,
    clicks: int,
    spend: Decimal,
    currency: str,
    conversions: int = 0,
    video_views: int = 0,
) -> PerformanceSnapshot:
    """One row per (platform, object, day); a later fetch overwrites the numbers."""
    _check(platform, PLATFORMS, "platform")
    _check(level, SNAPSHOT_LEVELS, "snapshot level")
    key = select(PerformanceSnapshot).where(
        PerformanceSnapshot.platform == platform,
        PerformanceSnapshot.external_object_id == external_object_id,
        PerformanceSnapshot.day == day,
    )
    row = await _one(session, key)
    if row is None:
        inserted = await _insert_ignore(
            session,
            PerformanceSnapshot,
            {
                "id": new_id(),
                "campaign_id": campaign_id,
                "platform": platform,
                "level": level,
                "external_object_id": external_object_id,
                "day": day,
                "impressions": impressions,
                "clicks": clicks,
                "spend": _money(spend),
                "currency": _currency(currency),
                "conversions": conversions,
                "video_views": video_views,
                "fetched_at": utcnow(),
            },
            ("platform", "external_object_id", "day"),
        )
        row = await _one(session, key)
        assert row is not None
        if inserted:
            return row
    row.campaign_id = campaign_id
    row.level = level
    row.impressions = impressions
    row.clicks = clicks
    row.spend = cast(Decimal, _money(spend))
    row.currency = _currency(currency)
    row.conversions = conversions
    row.video_views = video_views
    row.fetched_at = utcnow()
    await session.flush()
    return row


async def list_snapshots(*, session: AsyncSession, campaign_id: str) -> list[PerformanceSnapshot]:
    stmt = (
        select(PerformanceSnapshot)
        .where(PerformanceSnapshot.campaign_id == campaign_id)
        .order_by(PerformanceSnapshot.day, PerformanceSnapshot.platform, PerformanceSnapshot.external_object_id)
    )
    return list(await session.scalars(stmt))


# --- audit and event dedupe -----------------------------------------------------------------------


async def audit(
    *,
    session: AsyncSession,
    workspace_id: str | None,
    actor: str,
    action: str,
    subject_type: str | None,
    subject_id: str | None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        workspace_id=workspace_id,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=dict(details or {}),
    )
    session.add(event)
    await session.flush()
    return event


async def audit_many(*, session: AsyncSession, events: Sequence[Mapping[str, Any]]) -> None:
    """Several audit events at once (keys as `audit` takes them, `created_at` kept when given)."""
    session.add_all([AuditEvent(**{**event, "details": dict(event.get("details") or {})}) for event in events])
    await session.flush()


async def mark_event_processed(*, session: AsyncSession, event_id: str, source: str) -> bool:
    """True the first time an event id is seen, False for every redelivery. Commits."""
    inserted = await _insert_ignore(
        session,
        ProcessedEvent,
        {"event_id": event_id, "source": source, "received_at": utcnow()},
        ("event_id",),
    )
    await session.commit()
    return inserted


async def purge_processed_events(*, session: AsyncSession, before: datetime) -> int:
    result = cast(
        CursorResult[Any],
        await session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < before)),
    )
    return result.rowcount


# --- stuck compensations (agent/cleanup.py) -----------------------------------------------------------


async def list_compensating_campaigns(*, session: AsyncSession) -> list[Campaign]:
    """Campaigns with at least one ledger step still "compensating" (a delete that did not go through)."""
    stuck = select(PublishStep.campaign_id).where(PublishStep.state == "compensating").distinct()
    return list(await session.scalars(select(Campaign).where(Campaign.id.in_(stuck)).order_by(Campaign.id)))


async def list_audit_events(
    *,
    session: AsyncSession,
    actions: Sequence[str],
    subject_type: str | None = None,
    subject_id: str | None = None,
) -> list[AuditEvent]:
    """Audit events with one of `actions` (optionally about one subject), oldest first."""
    stmt = select(AuditEvent).where(AuditEvent.action.in_(list(actions)))
    if subject_type is not None:
        stmt = stmt.where(AuditEvent.subject_type == subject_type)
    if subject_id is not None:
        stmt = stmt.where(AuditEvent.subject_id == subject_id)
    return list(await session.scalars(stmt.order_by(AuditEvent.created_at, AuditEvent.id)))
