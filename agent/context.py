"""AgentContext: the services a graph run needs, passed as LangGraph runtime context on every invoke and resume."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from store.crypto import TokenCipher
    from tools.generation.studio import Providers
    from tools.platforms.base import AdPlatformClient

ProgressSink = Callable[[str], Awaitable[None]]


async def _ignore_progress(_: str) -> None:
    return None


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class AgentContext:
    """Built once by the composition root (bot/services.py); state never holds any of this."""

    sessions: async_sessionmaker[AsyncSession]
    cipher: TokenCipher
    platforms: Mapping[str, AdPlatformClient]
    providers: Providers
    asset_dir: Path
    oauth_secret: bytes
    oauth_redirect_base: str  # e.g. http://127.0.0.1:8780 -> {base}/oauth/{platform}/callback
    default_currency: str = "SAR"
    default_landing_url: str = "https://example.com"
    brand_name: str = "ADLY Store"
    brand_avatar: Path | None = None  # square PNG of the brand (logo or initials): TikTok identities show it
    brand_name_ar: str | None = None  # Arabic copy and images name the brand so (else transliterated)
    brand_logo: Path | None = None  # ADLY_BRAND_LOGO when configured: set on every image above the brand
    self_approval_limit: Decimal = Decimal("5000")
    arabic_register: str = "gulf"
    chat_model: Any | None = None  # a LangChain chat model when configured
    llm_timeout_s: float = 20.0
    clock: Callable[[], datetime] = _utcnow
    progress: ProgressSink = field(default=_ignore_progress)
    lease_ttl_s: float = 60.0  # a conversation lease not renewed this long belongs to a dead process
    publish_backoff_s: float = 1.0  # base of the per-account backoff; tests shrink it
    max_instruction_chars: int = 2000  # longer instructions and replies are refused before any work
    max_campaign_budget: Decimal = Decimal("50000")  # default ceilings (workspace currency): above, an admin approves
    max_daily_budget: Decimal = Decimal("10000")
    admins: tuple[str, ...] = ()
    live_platforms: frozenset[str] = frozenset()  # platforms reached with real credentials (not a sandbox)  # users who are admins of every workspace (ADLY_ADMINS), besides member roles
    # Sessions for pure reads: on SQLite they begin DEFERRED and run beside a writer (None: `sessions`).
    read_sessions: async_sessionmaker[AsyncSession] | None = None

    def reads(self) -> async_sessionmaker[AsyncSession]:
        return self.read_sessions or self.sessions

    def with_progress(self, progress: ProgressSink) -> AgentContext:
        """A copy whose progress messages go to `progress` (one front door's status line)."""
        from dataclasses import replace

        return replace(self, progress=progress)

    def landing_default(self, platforms: list[str]) -> str | None:
        """The configured default landing page; a placeholder (an example domain) for sandbox platforms only, so a
        real platform never gets it. A workspace's remembered page comes first (agent/landing_pages.py)."""
        if set(platforms) & self.live_platforms and is_placeholder_url(self.default_landing_url):
            return None
        return self.default_landing_url

    def redirect_uri(self, platform: str) -> str:
        return oauth_callback_url(self.oauth_redirect_base, platform)


def is_placeholder_url(url: str) -> bool:
    """example.com, .net and .org are reserved for documentation (RFC 2606): never a real shop's page."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.") in {"example.com", "example.net", "example.org"} or host.endswith(".example")


def oauth_callback_url(public_url: str, platform: str) -> str:
    """Where a platform sends the browser back after consent (bot/web.py serves it)."""
    return f"{public_url.rstrip('/')}/oauth/{platform}/callback"
