"""Many live campaigns for tracking tests and bench/sync.py: ad accounts connected through the sandbox's real
OAuth pages, campaigns created and switched on through the real clients, and the same campaigns in our store."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from agent.oauth import complete_oauth
from bot.services import Services
from store import repositories as repo
from tools.oauth import sign_state
from tools.platforms.base import CampaignSpec, Money
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


async def launch_fleet(services: Services, workspace_id: str, ad_account_id: str, platform: str, count: int,
                       *, prefix: str = "fleet") -> list[str]:
    """`count` campaigns created and switched on in the account (a daily budget on the campaign), and stored as
    live campaigns of the workspace: our campaign ids, in creation order."""
    client = services.ctx.platforms[platform]
    token, account_id = await token_of(services, ad_account_id)
    budget = Money(Decimal({"meta": "100", "tiktok": "200", "snapchat": "50"}[platform]), "SAR")
    gate = asyncio.Semaphore(CREATES_AT_ONCE)

    async def create(n: int) -> str:
        spec = CampaignSpec(name=f"{prefix} {platform} {n}", objective="traffic", budget=budget,
                            budget_period="daily", idempotency_key=f"{prefix}-{platform}-{n}")
        async with gate:
            return await client.create_campaign(token=token, account_id=account_id, spec=spec)

    external = list(await asyncio.gather(*(create(n) for n in range(count))))
    for n in range(0, count, 50):
        await client.set_status(token=token, account_id=account_id, kind="campaign",
                                external_ids=external[n : n + 50], status="active")
    return await store_fleet(services, workspace_id, ad_account_id, platform, external, prefix=prefix)


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
