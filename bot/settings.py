"""Settings: the one place that reads the environment (and `.env`); defaults give the embedded mode."""

from __future__ import annotations

import hashlib
import os
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingError(ValueError):
    """A setting is set but its value cannot be used; the message names the environment variable."""


class Settings(BaseSettings):
    """Every setting ADLY reads. Names match the environment variables (case-insensitive)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    # Storage
    adly_data_dir: Path = Path(".adly")
    adly_asset_dir: Path | None = None  # generated creative; default <data dir>/assets; shared by every process
    # Where the in-process sandbox platforms keep their state (see `sandbox_dir`).
    adly_sandbox_dir: Path | None = None
    database_url: str | None = None  # default: SQLite file in the data dir
    checkpoint_url: str | None = None  # default: its own SQLite file in the data dir
    adly_encryption_keys: SecretStr | None = None  # "kid1:base64key,kid2:base64key"; first encrypts
    adly_oauth_secret: SecretStr | None = None  # signs OAuth states; generated in the data dir when unset

    # Workspace defaults
    adly_default_currency: str = "SAR"
    adly_timezone: str = "Asia/Riyadh"
    adly_approvers: str = ""  # comma-separated Slack user IDs or one user group ID
    adly_admins: str = ""  # comma-separated user IDs who administer every workspace (approvers, limits)
    # Budget ceilings (workspace currency) for workspaces without their own: above them, an admin approves.
    adly_max_campaign_budget: Decimal = Field(default=Decimal("50000"), gt=0)
    adly_max_daily_budget: Decimal = Field(default=Decimal("10000"), gt=0)
    adly_self_approval_limit: Decimal = Decimal("5000")  # requester may not approve own campaign above this
    adly_arabic_register: str = "gulf"  # "gulf" or "msa"
    adly_default_landing_url: str = "https://example.com"  # used when the instruction names no landing page
    adly_brand_name: str = "ADLY Store"  # brand name on ads (TikTok display name, Snapchat brand)
    adly_brand_logo: Path | None = None  # PNG/JPEG: the TikTok identity's avatar (default: drawn initials)
    adly_brand_name_ar: str | None = None  # the brand on Arabic creative (default: ADLY_BRAND_NAME transliterated)

    # Limits
    adly_max_instruction_chars: int = Field(default=2000, ge=50, le=100_000)  # longer instructions are refused

    # HTTP
    adly_public_url: str | None = None
    adly_allowed_hosts: str = ""  # comma-separated Host names served besides ADLY_PUBLIC_URL's and loopback
    adly_api_max_body_bytes: int = Field(default=256 * 1024, ge=1024)  # larger bodies: 413, never read whole
    # Rate limits per API key / per workspace ("N/second|minute|hour|day", the `limits` library's notation)
    adly_api_key_cache_s: float = Field(default=1.0, ge=0, le=60)  # a revoked key stops working within this
    adly_api_rate_parse: str = "60/minute"
    adly_api_rate_parse_workspace: str = "300/minute"
    adly_api_rate_generate: str = "10/minute"
    adly_api_rate_generate_workspace: str = "30/minute"
    adly_host: str = "127.0.0.1"
    adly_port: int = 8780

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_digest_channel: str | None = None

    # Ad platforms: credentials switch a platform from the sandbox to the real API
    meta_app_id: str | None = None
    meta_app_secret: SecretStr | None = None
    meta_api_base_url: str | None = None
    meta_oauth_base_url: str | None = None
    tiktok_app_id: str | None = None
    tiktok_app_secret: SecretStr | None = None
    tiktok_api_base_url: str | None = None
    tiktok_oauth_base_url: str | None = None
    snapchat_client_id: str | None = None
    snapchat_client_secret: SecretStr | None = None
    snapchat_api_base_url: str | None = None
    snapchat_oauth_base_url: str | None = None

    # Sandbox fault injection (tests and demos)
    sandbox_latency_ms: int = 0  # the simulated platforms' response time (their own work included)
    sandbox_error_rate: float = 0.0
    sandbox_seed: int = 7
    sandbox_extra_accounts: int = 0  # more Meta sandbox ad accounts for the sandbox user (to try choosing one)

    # Models (optional)
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_chat_model: str = "gpt-4o-mini"
    openai_image_model: str = "gpt-image-1"
    openai_tts_model: str = "gpt-4o-mini-tts"
    llm_timeout_s: float = Field(default=20.0, gt=0)

    # Scheduler
    adly_scheduler_enabled: bool = True
    adly_leader_retry_s: float = Field(default=15.0, gt=0)  # how often a follower tries to take over the scheduler
    # A conversation lease not renewed this long belongs to a dead process (agent/leases.py): its work is resumed
    # by another after at most this long. Renewed every third of it while the flow runs.
    adly_lease_ttl_s: float = Field(default=60.0, ge=3)
    adly_digest_hour: int = Field(default=9, ge=0, le=23)
    # Work queue (bot/work/): "auto" keeps jobs in PostgreSQL (procrastinate) when DATABASE_URL is PostgreSQL, and
    # runs them in-process on SQLite; "inprocess" runs them in-process everywhere (one process only).
    adly_work_queue: Literal["auto", "inprocess", "postgres"] = "auto"
    adly_worker_concurrency: int = Field(default=8, ge=1, le=64)  # jobs one worker runs at once
    # A worker writes a heartbeat this often; one silent for three of them is dead and its jobs run elsewhere.
    adly_worker_heartbeat_s: float = Field(default=10.0, ge=0.5)

    @property
    def data_dir(self) -> Path:
        return self.adly_data_dir

    @property
    def app_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{(self.adly_data_dir / 'adly.sqlite').resolve()}"

    @property
    def checkpoint_path(self) -> Path:
        return (self.adly_data_dir / "checkpoints.sqlite").resolve()

    @property
    def asset_dir(self) -> Path:
        return (self.adly_asset_dir or self.adly_data_dir / "assets").resolve()

    @property
    def sandbox_dir(self) -> Path:
        """The simulated platforms' state: other companies' servers, not ADLY's data. In the data dir on the embedded
        default; with PostgreSQL, outside it (the data dir then holds no SQLite file) and shared by the processes of
        one installation on this host, keyed by the database, as real platforms are shared."""
        if self.adly_sandbox_dir is not None:
            return self.adly_sandbox_dir.resolve()
        if self.app_database_url.startswith("sqlite"):
            return (self.adly_data_dir / "sandbox").resolve()
        state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
        return (state / "adly" / f"sandbox-{hashlib.sha256(self.app_database_url.encode()).hexdigest()[:12]}").resolve()

    def public_url(self, port: int | None = None) -> str:
        return (self.adly_public_url or f"http://127.0.0.1:{port or self.adly_port}").rstrip("/")

    @property
    def queue_in_postgres(self) -> bool:
        """True when jobs live in PostgreSQL (bot/work/postgres.py) rather than run in this process."""
        if self.adly_work_queue == "inprocess":
            return False
        is_postgres = self.app_database_url.startswith("postgresql")
        if self.adly_work_queue == "postgres" and not is_postgres:
            raise SettingError("ADLY_WORK_QUEUE=postgres needs a PostgreSQL DATABASE_URL (postgresql+asyncpg://...)")
        return is_postgres

    def admin_ids(self) -> list[str]:
        return [a.strip() for a in self.adly_admins.split(",") if a.strip()]

    def approver_ids(self) -> list[str]:
        return [a.strip() for a in self.adly_approvers.split(",") if a.strip()]
