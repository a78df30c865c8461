"""Fixtures: a sandbox-connected client per platform (consent -> code -> token -> ad account)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tools.generation.avatar import drawn_avatar
from tools.platforms.base import (
    AdSetSpec,
    AdSpec,
    CampaignSpec,
    GeoTarget,
    MediaSpec,
    Money,
    Targeting,
    TokenSet,
)
from tools.platforms.registry import make_client
from tools.sandbox import API_BASE_URLS, OAUTH_BASE_URLS, SandboxFaults, complete_consent, sandbox_http_client

REDIRECT = "https://adly.test/oauth/callback"


@dataclass
class Connected:
    platform: str
    client: Any
    http: httpx.AsyncClient
    tokens: TokenSet
    account_id: str
    state_dir: Path

    @property
    def token(self) -> str:
        return self.tokens.access_token


@asynccontextmanager
async def connect(
    platform: str, state_dir: Path, faults: SandboxFaults | None = None
) -> AsyncIterator[Connected]:
    async with sandbox_http_client(platform, state_dir=state_dir, faults=faults) as http:
        client = make_client(
            platform, http=http, base_url=API_BASE_URLS[platform], oauth_base_url=OAUTH_BASE_URLS[platform],
            app_id="app-123", app_secret="secret-456",
        )  # fmt: skip
        back = await complete_consent(http, client.authorize_url(state="st-1", redirect_uri=REDIRECT))
        query = parse_qs(urlsplit(back).query)
        assert query["state"] == ["st-1"]
        code = query["auth_code" if platform == "tiktok" else "code"][0]
        tokens = await client.exchange_code(code=code, redirect_uri=REDIRECT)
        accounts = await client.list_ad_accounts(token=tokens.access_token)
        assert len(accounts) == 1
        yield Connected(platform, client, http, tokens, accounts[0].external_id, state_dir)


@pytest.fixture
def connected(tmp_path: Path) -> Callable[..., Any]:
    def factory(platform: str, faults: SandboxFaults | None = None, state_dir: Path | None = None) -> Any:
        return connect(platform, state_dir or tmp_path / "sandbox", faults)

    return factory


def riyadh() -> Targeting:
    return Targeting(
        age_min=18, age_max=44, genders=["female"], languages=["ar"],
        locations=[GeoTarget(name="Riyadh", kind="city", country_code="SA")],
    )  # fmt: skip


def campaign_spec(key: str = "c1", budget: Money | None = None) -> CampaignSpec:
    return CampaignSpec(
        name="Ramadan sale", objective="traffic", budget=budget, budget_period="daily", idempotency_key=key
    )


def ad_set_spec(campaign_id: str, key: str = "s1", amount: str = "200", period: str = "daily") -> AdSetSpec:
    start = datetime.now(UTC) + timedelta(hours=1)
    return AdSetSpec(
        name="Riyadh women 18-44", campaign_id=campaign_id, objective="traffic",
        budget=Money(Decimal(amount), "SAR"), budget_period=period,  # type: ignore[arg-type]
        start_time=start, end_time=start + timedelta(days=7) if period == "lifetime" else None,
        targeting=riyadh(), idempotency_key=key,
    )  # fmt: skip


async def upload(c: Connected, tmp_path: Path) -> list[Any]:
    image = tmp_path / "hero.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"sandbox-image" * 10)
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"sandbox-video" * 10)
    media = [await c.client.upload_media(token=c.token, account_id=c.account_id,
                                         spec=MediaSpec(kind="image", path=image, name="hero", idempotency_key="img-1"))]  # fmt: skip
    if c.platform != "meta":
        media.insert(0, await c.client.upload_media(token=c.token, account_id=c.account_id,
                                                    spec=MediaSpec(kind="video", path=video, name="clip", idempotency_key="vid-1")))  # fmt: skip
    return media


def avatar_file(tmp_path: Path, brand_name: str = "Example Shop") -> Path:
    """The brand avatar a TikTok identity is created with, drawn as the app draws it at startup."""
    path = tmp_path / f"avatar-{hashlib.sha256(brand_name.encode()).hexdigest()[:8]}.png"
    path.write_bytes(drawn_avatar(brand_name))
    return path


def ad_spec(
    ad_set_id: str, media: list[Any], key: str = "a1", language: str = "ar", brand_avatar: Path | None = None
) -> AdSpec:
    return AdSpec(
        name=f"Ad {language}", ad_set_id=ad_set_id, language=language, headline="عروض رمضان",
        primary_text="خصم 30% على كل المنتجات", cta="shop_now", landing_url="https://shop.example.sa/ramadan",
        brand_name="Example Shop", brand_avatar=brand_avatar, media=media, idempotency_key=key,
    )  # fmt: skip
