"""Many live campaigns for tracking tests and bench/sync.py: ad accounts connected through the sandbox's real
OAuth pages, campaigns created and switched on through the real clients, and the same campaigns in our store."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from agent.oauth import complete_oauth
from bot.services import Services
from store import repositories as repo
from tools.oauth import sign_state
from tools.platforms.base import AdSetSpec, AdSpec, CampaignSpec, GeoTarget, MediaSpec, Money, Targeting
from tools.sandbox import complete_consent

USER = "tests:tracking"
CREATES_AT_ONCE = 20


async def connect_account(services: Services, workspace_id: str, platform: str) -> str:
    """Connect the platform's sandbox ad account to the workspace (consent page, code, stored token): its id."""
    ctx = services.ctx
    async with ctx.sessions() as session, session.begin():
        row = await repo.create_oauth_state(session=session, workspace_id=workspace_id, conversation_id=None,
                                            platform=platform, redirect_uri=ctx.redirect_uri(platform))
    url = ctx.platforms[platform].authorize_url(state=sign_state(ctx.oauth_secret, reference=row.id),
                                                redirect_uri=ctx.redirect_uri(platform))
    back = parse_qs(urlsplit(await complete_consent(services.sandbox_browsers[platform], url)).query)
    code = back["auth_code" if "auth_code" in back else "code"][0]
    connected = await complete_oauth(ctx, platform=platform, code=code, state=back["state"][0], actor=USER)
    assert connected.ad_account_id is not None
    return connected.ad_account_id


async def token_of(services: Services, ad_account_id: str) -> tuple[str, str]:
    """(access token, external account id) of a connected account."""
    async with services.sessions() as session:
        account = await repo.get_ad_account(session=session, ad_account_id=ad_account_id)
        assert account is not None
        token, _ = repo.read_tokens(cipher=services.cipher, account=account)
    assert token
    return token, account.external_account_id


# The fleet is built this long before the tracking that reads it runs: two whole days of delivery (yesterday and
# today) behind every campaign, as platforms deliver only from an ad set's start, only while it is switched on.
BUILT_BEFORE = timedelta(days=2, hours=1)


async def launch_fleet(services: Services, workspace_id: str, ad_account_id: str, platform: str, count: int,
                       *, prefix: str = "fleet") -> list[str]:
    """`count` campaigns (each with an ad set on a daily budget and an ad), created and switched on in the account
    BUILT_BEFORE ago on the platforms' clock, and stored as live campaigns of the workspace: our campaign ids, in
    creation order."""
    ctx = services.ctx
    real_clock = ctx.clock
    built = real_clock() - BUILT_BEFORE
    ctx.clock = lambda: built  # the in-process platforms run on the app's clock
    try:
        external = await _build(services, ad_account_id, platform, count, prefix, built)
    finally:
        ctx.clock = real_clock
    return await store_fleet(services, workspace_id, ad_account_id, platform, external, prefix=prefix)


async def _build(services: Services, ad_account_id: str, platform: str, count: int, prefix: str,
                 built: datetime) -> list[str]:
    client = services.ctx.platforms[platform]
    token, account_id = await token_of(services, ad_account_id)
    budget = Money(Decimal({"meta": "100", "tiktok": "200", "snapchat": "50"}[platform]), "SAR")
    image = services.settings.data_dir / "fleet-hero.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"fleet-image" * 10)
    media = [await client.upload_media(token=token, account_id=account_id,
                                       spec=MediaSpec(kind="image", path=image, name="hero",
                                                      idempotency_key=f"{prefix}-{platform}-img"))]
    if platform != "meta":  # TikTok and Snapchat ads here are video ads
        clip = services.settings.data_dir / "fleet-clip.mp4"
        clip.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"fleet-video" * 10)
        media.insert(0, await client.upload_media(token=token, account_id=account_id,
                                                  spec=MediaSpec(kind="video", path=clip, name="clip",
                                                                 idempotency_key=f"{prefix}-{platform}-vid")))
    targeting = Targeting(age_min=18, age_max=44, genders=["female"], languages=["ar"],
                          locations=[GeoTarget(name="Riyadh", kind="city", country_code="SA")])
    gate = asyncio.Semaphore(CREATES_AT_ONCE)

    async def create(n: int) -> tuple[str, str, str]:
        key = f"{prefix}-{platform}-{n}"
        async with gate:
            campaign = await client.create_campaign(token=token, account_id=account_id, spec=CampaignSpec(
                name=f"{prefix} {platform} {n}", objective="traffic", idempotency_key=key))
            ad_set = await client.create_ad_set(token=token, account_id=account_id, spec=AdSetSpec(
                name=f"Riyadh {n}", campaign_id=campaign, objective="traffic", budget=budget, budget_period="daily",
                start_time=built, end_time=built + timedelta(days=9), targeting=targeting,
                idempotency_key=f"{key}-s"))
            ad = await client.create_ad(token=token, account_id=account_id, spec=AdSpec(
                name=f"Ad {n}", ad_set_id=ad_set, language="ar", headline="عروض رمضان",
                primary_text="خصم 30% على كل المنتجات", cta="shop_now", landing_url="https://shop.example.sa/ramadan",
                brand_name="Example Shop", brand_avatar=services.ctx.brand_avatar, media=media,
                idempotency_key=f"{key}-a"))
            return campaign, ad_set, ad.ad_id

    built_ids = list(await asyncio.gather(*(create(n) for n in range(count))))
    for level, kind in enumerate(("campaign", "ad_set", "ad")):
        ids = [row[level] for row in built_ids]
        for n in range(0, count, 50):
            await client.set_status(token=token, account_id=account_id, kind=kind,  # type: ignore[arg-type]
                                    external_ids=ids[n : n + 50], status="active")
    return [campaign for campaign, _, _ in built_ids]


async def store_fleet(services: Services, workspace_id: str, ad_account_id: str, platform: str,
                      external_ids: Sequence[str], *, prefix: str = "fleet") -> list[str]:
    """The platform's campaigns as live campaigns of ours (one platform each)."""
    today = services.ctx.clock().date()
    ids: list[str] = []
    async with services.sessions() as session, session.begin():
        for n, external_id in enumerate(external_ids):
            campaign = await repo.create_campaign(
                session=session, workspace_id=workspace_id, conversation_id=None, name=f"{prefix} {platform} {n}",
                objective="traffic", theme=None, budget_amount=Decimal("100"), budget_currency="SAR",
                budget_period="daily", start_date=today - timedelta(days=1), end_date=today + timedelta(days=7),
                request={}, requested_by=USER,
            )  # fmt: skip
            await repo.update_campaign(session=session, campaign_id=campaign.id, status="live")
            await repo.upsert_platform_campaign(session=session, campaign_id=campaign.id, platform=platform,
                                                ad_account_id=ad_account_id, external_campaign_id=external_id,
                                                status="active")
            ids.append(campaign.id)
    return ids
