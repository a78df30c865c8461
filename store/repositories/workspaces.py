"""Workspaces (a Slack team, or an HTTP API tenant) and their members' roles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import ROLES, Member, Workspace
from store.repositories._common import (
    as_money,
    check_choice,
    currency_code,
    first_row,
    require_row,
    set_fields,
)


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
    existing = await first_row(session, stmt.limit(1))
    if existing is not None:
        return existing
    workspace = Workspace(
        name=name,
        slack_team_id=slack_team_id,
        default_currency=currency_code(default_currency),
        approvers=list(approvers or []),
    )
    try:
        async with session.begin_nested():
            session.add(workspace)
    except IntegrityError:
        # Another process created the same Slack team a moment ago.
        found = await first_row(session, stmt.limit(1))
        if found is None:
            raise
        return found
    return workspace


async def create_workspace(
    *, session: AsyncSession, name: str, default_currency: str = "SAR", approvers: Sequence[str] | None = None
) -> Workspace:
    """A new workspace (of the HTTP API, or any door other than a Slack team)."""
    workspace = Workspace(name=name, default_currency=currency_code(default_currency), approvers=list(approvers or []))
    session.add(workspace)
    await session.flush()
    return workspace


async def get_workspace(*, session: AsyncSession, workspace_id: str) -> Workspace | None:
    return await session.get(Workspace, workspace_id)


async def list_workspaces(*, session: AsyncSession) -> list[Workspace]:
    return list(await session.scalars(select(Workspace).order_by(Workspace.created_at)))


async def update_workspace(*, session: AsyncSession, workspace_id: str, **fields: Any) -> Workspace:
    workspace = await require_row(session, Workspace, workspace_id)
    if "default_currency" in fields:
        fields["default_currency"] = currency_code(fields["default_currency"])
    for money in ("self_approval_limit", "max_campaign_budget", "max_daily_budget"):
        if money in fields:
            fields[money] = as_money(fields[money])
    set_fields(workspace, fields, frozen=("id", "created_at"))
    await session.flush()
    return workspace


async def upsert_member(
    *, session: AsyncSession, workspace_id: str, user_ref: str, role: str, display_name: str | None = None
) -> Member:
    check_choice(role, ROLES, "role")
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
    return await first_row(
        session, select(Member).where(Member.workspace_id == workspace_id, Member.user_ref == user_ref)
    )
