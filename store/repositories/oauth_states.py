"""OAuth states: the once-only token of a connect link (with its PKCE verifier where the platform uses one).

``consume_oauth_state`` commits (a state is burned for every process the moment it is used).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import PLATFORMS, OAuthState, utcnow
from store.repositories._common import check_choice, first_row


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
    check_choice(platform, PLATFORMS, "platform")
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
    return await first_row(session, stmt)


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
        state = await first_row(session, select(OAuthState).where(OAuthState.id == state_id))
    await session.commit()
    return state


async def purge_oauth_states(*, session: AsyncSession, before: datetime) -> int:
    result = cast(
        CursorResult[Any],
        await session.execute(delete(OAuthState).where(OAuthState.expires_at < before)),
    )
    return result.rowcount
