"""Who we are in each Slack workspace: encrypted installations, per-request authorize, and Web API clients."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from store import repositories as repo
from store.crypto import TokenCipher

log = logging.getLogger(__name__)

NEGATIVE_TTL_S = 60.0  # how long "this team has no installation" is believed (another process may install)


def make_client(settings: Settings, token: str | None) -> AsyncWebClient:
    """A Web API client at SLACK_API_URL that honours 429 Retry-After and retries dropped connections."""
    base_url = settings.slack_api_url if settings.slack_api_url.endswith("/") else settings.slack_api_url + "/"
    return AsyncWebClient(
        token=token, base_url=base_url, timeout=30,
        retry_handlers=[AsyncConnectionErrorRetryHandler(max_retry_count=2),
                        AsyncRateLimitErrorRetryHandler(max_retry_count=3)],
    )


class EncryptedInstallationStore(AsyncInstallationStore):
    """Bolt's installation store over our slack_installations table; bot tokens are encrypted at rest."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], cipher: TokenCipher, client_id: str | None,
                 default_currency: str = "SAR", approvers: list[str] | None = None,
                 reads: async_sessionmaker[AsyncSession] | None = None) -> None:
        self.sessions = sessions
        self.reads = reads or sessions
        self.cipher = cipher
        self.client_id = client_id
        self.default_currency = default_currency
        self.approvers = approvers or []
        self.on_change: list[Any] = []  # callbacks(team_id) so caches forget a replaced token

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        if not installation.bot_token or not installation.team_id:
            raise ValueError("ADLY needs a bot token for a workspace install")
        async with self.sessions() as session, session.begin():
            await repo.save_slack_installation(
                session=session, cipher=self.cipher, team_id=installation.team_id,
                enterprise_id=installation.enterprise_id, bot_user_id=installation.bot_user_id,
                bot_token=installation.bot_token, installed_by=installation.user_id,
                scopes=list(installation.bot_scopes or []),
            )
            workspace = await repo.get_or_create_workspace(
                session=session, name=installation.team_name or installation.team_id,
                slack_team_id=installation.team_id, default_currency=self.default_currency,
                approvers=self.approvers,
            )
            if installation.user_id:
                # The installer is the workspace's first admin: someone must be able to name the approvers.
                await repo.upsert_member(session=session, workspace_id=workspace.id,
                                         user_ref=installation.user_id, role="admin")
            await repo.audit(session=session, workspace_id=workspace.id, actor=installation.user_id,
                             action="slack.installed", subject_type="workspace", subject_id=workspace.id,
                             details={"team_id": installation.team_id, "scopes": list(installation.bot_scopes or [])})
        for callback in self.on_change:
            callback(installation.team_id)

    async def async_save_bot(self, bot: Bot) -> None:
        # Bots are saved through async_save (one row per team); Bolt calls this only for token rotation.
        async with self.sessions() as session, session.begin():
            await repo.save_slack_installation(
                session=session, cipher=self.cipher, team_id=bot.team_id or "", enterprise_id=bot.enterprise_id,
                bot_user_id=bot.bot_user_id, bot_token=bot.bot_token, scopes=list(bot.bot_scopes or []),
            )

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        found = await self.find_token(team_id, enterprise_id)
        if found is None:
            return None
        token, bot_user_id, scopes = found
        return Bot(enterprise_id=enterprise_id, team_id=team_id, bot_token=token, bot_id="",
                   bot_user_id=bot_user_id or "", bot_scopes=scopes, installed_at=0.0)

    async def async_find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                      user_id: str | None = None,
                                      is_enterprise_install: bool | None = False) -> Installation | None:
        found = await self.find_token(team_id, enterprise_id)
        if found is None:
            return None
        token, bot_user_id, scopes = found
        return Installation(enterprise_id=enterprise_id, team_id=team_id, bot_token=token,
                            bot_user_id=bot_user_id, bot_scopes=scopes, user_id=user_id or "")

    async def find_token(self, team_id: str | None, enterprise_id: str | None = None
                         ) -> tuple[str, str | None, list[str]] | None:
        if not team_id:
            return None
        async with self.reads() as session:
            row = await repo.find_slack_installation(session=session, team_id=team_id, enterprise_id=enterprise_id)
            if row is None and enterprise_id is not None:
                row = await repo.find_slack_installation(session=session, team_id=team_id, enterprise_id=None)
            if row is None:
                return None
            token = repo.read_slack_token(cipher=self.cipher, installation=row)
            bot_user_id, scopes = row.bot_user_id, list(row.scopes or [])
        return (token, bot_user_id, scopes) if token else None


class WorkspaceAuthorize(AsyncAuthorize):
    """The bot token for the workspace a request came from: its installation, else the single SLACK_BOT_TOKEN.

    The single token answers only for its own team (learned once from auth.test), so one workspace's
    requests never run with another's token. Results are cached in-process: authorize sits on the ack path.
    """

    def __init__(self, settings: Settings, store: EncryptedInstallationStore) -> None:
        super().__init__()
        self.settings = settings
        self.store = store
        self._cache: dict[str, AuthorizeResult] = {}
        self._not_installed: dict[str, float] = {}  # team -> until when "no installation" is trusted
        self._single: AuthorizeResult | None = None
        store.on_change.append(self.forget)

    def forget(self, team_id: str | None) -> None:
        self._cache.pop(team_id or "", None)
        self._not_installed.pop(team_id or "", None)

    async def __call__(self, *, context: AsyncBoltContext, enterprise_id: str | None, team_id: str | None,
                       user_id: str | None, actor_enterprise_id: str | None = None,
                       actor_team_id: str | None = None, actor_user_id: str | None = None,
                       ) -> AuthorizeResult | None:
        key = team_id or ""
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if self._not_installed.get(key, 0.0) < time.monotonic():
            # A database read on the ack path waits behind every write transaction (SQLite serialises them),
            # so both answers are remembered; an install in this process forgets them at once.
            found = await self.store.find_token(team_id, enterprise_id)
            if found is not None:
                token, bot_user_id, scopes = found
                result = AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=token,
                                         bot_user_id=bot_user_id, bot_scopes=scopes, user_id=user_id)
                self._cache[key] = result
                return result
            self._not_installed[key] = time.monotonic() + NEGATIVE_TTL_S
        single = await self.single_token()
        if single is not None and (team_id is None or single.team_id == team_id):
            return AuthorizeResult(enterprise_id=single.enterprise_id, team_id=single.team_id,
                                   bot_token=single.bot_token, bot_id=single.bot_id,
                                   bot_user_id=single.bot_user_id, user_id=user_id)
        return None

    async def single_token(self) -> AuthorizeResult | None:
        if self._single is None and self.settings.slack_bot_token is not None:
            token = self.settings.slack_bot_token.get_secret_value()
            auth = await make_client(self.settings, token).auth_test()
            self._single = AuthorizeResult(enterprise_id=auth.get("enterprise_id"), team_id=auth.get("team_id"),
                                           bot_token=token, bot_id=auth.get("bot_id"),
                                           bot_user_id=auth.get("user_id"))
        return self._single

    async def token_for(self, team_id: str | None) -> str | None:
        """A bot token outside any request (OAuth callbacks, digests)."""
        found = await self.store.find_token(team_id)
        if found is not None:
            return found[0]
        single = await self.single_token()
        if single is not None and (team_id is None or single.team_id == team_id):
            return single.bot_token
        return None
