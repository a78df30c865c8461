"""The composition root: reads Settings once, builds every service, and hands them down explicitly."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from limits import parse as limits_parse
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.types import ASGIApp

from agent.context import AgentContext, oauth_callback_url
from agent.conversations import ConversationDriver
from agent.graph import build_graph
from bot.api.guards import RateLimits
from bot.api.keys import KeyChecker
from bot.audit_batch import AuditBatcher
from bot.checkpoints import open_checkpointer
from bot.platform_wiring import PLATFORMS, Mode, wire_platforms
from bot.settings import SettingError, Settings
from bot.work.background import TaskSet
from bot.work.queue import InProcessQueue, WorkQueue
from store import repositories as repo
from store.crypto import TokenCipher, create_secret_file, load_or_create_keyfile
from store.db import create_engine, create_session_factory, is_sqlite, upgrade_database
from store.models import Workspace
from tools.generation.avatar import UnusableLogo, drawn_avatar, logo_avatar
from tools.generation.layout import FontUnavailable
from tools.generation.studio import Providers, offline_providers, providers_from_config
from tools.platforms.base import AdPlatformClient
from tools.sandbox import SandboxFaults

log = logging.getLogger(__name__)

LOCAL_WORKSPACE = "local"


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    cipher: TokenCipher
    ctx: AgentContext
    driver: ConversationDriver
    platforms: dict[str, AdPlatformClient]
    api_limits: RateLimits  # the HTTP API's rate limits (per process; kept in memory)
    api_keys: KeyChecker  # the HTTP API's key check (re-reads a key at least every ADLY_API_KEY_CACHE_S)
    audit_batch: AuditBatcher  # audit events of frequent read-only actions, written a batch at a time
    sandboxed: dict[str, httpx.AsyncClient] = field(default_factory=dict)  # API clients of in-process simulators
    # Plays a person's browser on a sandbox platform's consent page (adly demo / chat connect on your behalf).
    sandbox_browsers: dict[str, httpx.AsyncClient] = field(default_factory=dict)
    sandbox_pages: ASGIApp | None = None  # the in-process simulators' consent pages; bot/web.py mounts them
    platform_modes: dict[str, Mode] = field(default_factory=dict)  # live, sandbox-http or sandbox, per platform
    background: TaskSet = field(default_factory=TaskSet)  # work continuing after an HTTP answer (Slack, OAuth)
    work: WorkQueue | None = None  # jobs deferred after the ack (bot/work/); set by open_services

    @property
    def queue(self) -> WorkQueue:
        if self.work is None:
            raise RuntimeError("services opened without a work queue")
        return self.work

    async def local_workspace(self, user: str) -> Workspace:
        """The workspace of the terminal and the demo; the local user approves unless approvers are set."""
        async with self.sessions() as session, session.begin():
            workspace = await repo.get_or_create_workspace(
                session=session, name=LOCAL_WORKSPACE, default_currency=self.settings.adly_default_currency,
                approvers=self.settings.approver_ids() or [user],
            )
            await repo.upsert_member(session=session, workspace_id=workspace.id, user_ref=user, role="admin")
            return workspace


def _cipher(settings: Settings) -> TokenCipher:
    if settings.adly_encryption_keys is not None:
        return TokenCipher.from_setting(settings.adly_encryption_keys.get_secret_value())
    return load_or_create_keyfile(settings.data_dir)


def _warn_unshared_secrets(settings: Settings) -> None:
    """A shared database with keys and files in this data dir: another process (its own data dir) could neither
    read the tokens this one stores, check the OAuth links it signs, nor upload the creative it generated. Said at
    start, not at the first failure."""
    if is_sqlite(settings.app_database_url):
        return
    unset = [name for name, value in (("ADLY_ENCRYPTION_KEYS", settings.adly_encryption_keys),
                                      ("ADLY_OAUTH_SECRET", settings.adly_oauth_secret)) if value is None]
    if settings.adly_asset_dir is None:
        unset.append("ADLY_ASSET_DIR")
    if unset:
        log.warning("DATABASE_URL is shared but %s %s not set: this process keeps them in its data dir "
                    "(%s), so processes with other data dirs cannot read its tokens, OAuth links or generated "
                    "files. Set the same value in every process (`adly keys new` makes an encryption key; "
                    "ADLY_ASSET_DIR a shared volume).", ", ".join(unset),
                    "is" if len(unset) == 1 else "are", settings.data_dir)


def _oauth_secret(settings: Settings) -> bytes:
    """The key that signs OAuth states: from settings, or generated once and kept beside the token key."""
    if settings.adly_oauth_secret is not None:
        return hashlib.sha256(settings.adly_oauth_secret.get_secret_value().encode()).digest()
    path = settings.data_dir / "oauth_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        create_secret_file(path, secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def _brand_avatar(settings: Settings) -> Path:
    """The brand's avatar (its logo squared up, else its drawn initials) as a PNG in the asset dir.

    Named after its content, so a changed logo gets a new file and the same one is never written twice."""
    logo = settings.adly_brand_logo
    if logo is None:
        try:
            png = drawn_avatar(settings.adly_brand_name)
        except FontUnavailable as exc:
            raise SettingError(
                f"ADLY_BRAND_NAME={settings.adly_brand_name!r}: its avatar cannot be drawn ({exc}); "
                "set ADLY_BRAND_LOGO to use a logo instead"
            ) from exc
    else:
        try:
            png = logo_avatar(logo.read_bytes())
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise SettingError(f"ADLY_BRAND_LOGO={logo}: cannot read the file ({reason})") from exc
        except UnusableLogo as exc:
            raise SettingError(f"ADLY_BRAND_LOGO={logo}: {exc}") from exc
    path = settings.asset_dir / "brand" / f"avatar-{hashlib.sha256(png).hexdigest()[:12]}.png"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed into place: a second process starting at once never reads half a file.
        partial = path.with_name(f"{path.name}.{secrets.token_hex(4)}.partial")
        partial.write_bytes(png)
        partial.replace(path)
    return path


def rate_limits(settings: Settings) -> RateLimits:
    """The HTTP API's rate limits from settings; a limit that does not parse stops startup, naming it."""
    rules = {"parse": ("adly_api_rate_parse", "adly_api_rate_parse_workspace"),
             "generate": ("adly_api_rate_generate", "adly_api_rate_generate_workspace")}
    values: dict[str, tuple[str, str]] = {}
    for kind, names in rules.items():
        for name in names:
            try:
                limits_parse(getattr(settings, name))
            except ValueError as exc:
                raise SettingError(f"{name.upper()}={getattr(settings, name)!r}: {exc} (e.g. 10/minute)") from exc
        values[kind] = (getattr(settings, names[0]), getattr(settings, names[1]))
    return RateLimits(values)


async def _work_queue(settings: Settings, stack: AsyncExitStack, background: TaskSet) -> WorkQueue:
    """In-process on SQLite; jobs in PostgreSQL (procrastinate) with a PostgreSQL database (bot/work/)."""
    if not settings.queue_in_postgres:
        return InProcessQueue(background)
    from bot.checkpoints import libpq_url
    from bot.work.postgres import PostgresQueue

    queue = PostgresQueue(libpq_url(settings.app_database_url), heartbeat_s=settings.adly_worker_heartbeat_s)
    await queue.open()
    stack.push_async_callback(queue.close)
    return queue


def _providers(settings: Settings) -> Providers:
    if settings.openai_api_key is None:
        return offline_providers()
    return providers_from_config(
        openai_api_key=settings.openai_api_key.get_secret_value(), openai_base_url=settings.openai_base_url,
        chat_model=settings.openai_chat_model, image_model=settings.openai_image_model,
        tts_model=settings.openai_tts_model,
    )


def _chat_model(settings: Settings) -> Any | None:
    if settings.openai_api_key is None:
        return None
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.openai_chat_model, api_key=settings.openai_api_key, base_url=settings.openai_base_url,
        timeout=settings.llm_timeout_s, max_retries=1,
    )


@asynccontextmanager
async def open_services(
    settings: Settings | None = None, *, port: int | None = None,
    sandbox_faults: dict[str, SandboxFaults] | None = None,
    chat_model: Any | None = None,  # replaces the configured chat model (tests inject a fake); None keeps it
) -> AsyncIterator[Services]:
    """Everything the front doors need, opened in order and closed in reverse (nothing runs at import).

    `sandbox_faults` replaces the settings' fault injection per sandboxed platform (tests and benchmarks).
    """
    settings = settings or Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Before anything else opens: a bad ADLY_BRAND_LOGO stops the start, not the first TikTok publish.
    brand_avatar = await asyncio.to_thread(_brand_avatar, settings)
    async with AsyncExitStack() as stack:
        await upgrade_database(settings.app_database_url)
        engine = create_engine(settings.app_database_url)
        stack.push_async_callback(engine.dispose)
        sessions = create_session_factory(engine)
        read_sessions = create_session_factory(engine, read_only=True)
        audit_batch = AuditBatcher(sessions)
        stack.push_async_callback(audit_batch.close)  # before the engine is disposed (callbacks run in reverse)
        _warn_unshared_secrets(settings)
        cipher = _cipher(settings)
        saver = await open_checkpointer(settings, stack)
        graph = build_graph().compile(checkpointer=saver)
        public_url = settings.public_url(port)
        # The in-process simulators run on the app's clock, read at each call (`ctx` is bound just below), so a
        # test or a replay that moves `ctx.clock` moves the platforms' days with it.
        wiring = await wire_platforms(
            settings, stack, public_url=public_url,
            redirect_uris={p: oauth_callback_url(public_url, p) for p in PLATFORMS}, sandbox_faults=sandbox_faults,
            clock=lambda: ctx.clock(),
        )  # fmt: skip
        ctx = AgentContext(
            sessions=sessions,
            read_sessions=read_sessions,
            cipher=cipher,
            platforms=wiring.clients,
            providers=_providers(settings),
            asset_dir=settings.asset_dir,
            oauth_secret=_oauth_secret(settings),
            oauth_redirect_base=public_url,
            default_currency=settings.adly_default_currency,
            default_landing_url=settings.adly_default_landing_url,
            brand_name=settings.adly_brand_name,
            brand_avatar=brand_avatar,
            brand_name_ar=settings.adly_brand_name_ar,
            brand_logo=settings.adly_brand_logo,
            self_approval_limit=settings.adly_self_approval_limit,
            arabic_register=settings.adly_arabic_register,
            chat_model=chat_model if chat_model is not None else _chat_model(settings),
            llm_timeout_s=settings.llm_timeout_s,
            max_instruction_chars=settings.adly_max_instruction_chars,
            admins=tuple(settings.admin_ids()),
            live_platforms=frozenset(p for p, r in wiring.routes.items() if r.mode == "live"),
            max_campaign_budget=settings.adly_max_campaign_budget,
            max_daily_budget=settings.adly_max_daily_budget,
            lease_ttl_s=settings.adly_lease_ttl_s,
        )
        settings.asset_dir.mkdir(parents=True, exist_ok=True)
        driver = ConversationDriver(ctx, graph)
        services = Services(settings=settings, engine=engine, sessions=sessions, cipher=cipher, ctx=ctx,
                            driver=driver, platforms=wiring.clients, sandboxed=wiring.sandboxed,
                            sandbox_browsers=wiring.browsers, sandbox_pages=wiring.pages,
                            platform_modes={p: r.mode for p, r in wiring.routes.items()},
                            api_limits=rate_limits(settings),
                            api_keys=KeyChecker(read_sessions, sessions, ttl_s=settings.adly_api_key_cache_s),
                            audit_batch=audit_batch)
        services.work = await _work_queue(settings, stack, services.background)
        try:
            yield services
        finally:
            # Background work must not outlive the engine and checkpointer it uses.
            await services.background.cancel_all()
