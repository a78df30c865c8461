"""Slack app installations: one per team (and enterprise), the bot token stored encrypted."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.crypto import TokenCipher, slack_installation_aad
from store.models import SlackInstallation, utcnow
from store.repositories._common import first_row


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
    return await first_row(
        session,
        select(SlackInstallation).where(
            SlackInstallation.team_id == team_id,
            SlackInstallation.enterprise_id.is_not_distinct_from(enterprise_id),
        ),
    )


def read_slack_token(*, cipher: TokenCipher, installation: SlackInstallation) -> str | None:
    blob = installation.bot_token_enc
    return cipher.decrypt(blob, aad=slack_installation_aad(installation)) if blob else None
