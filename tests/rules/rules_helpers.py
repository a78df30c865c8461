"""Shared builders for the rules tests: the seed request, connected accounts and a generated creative set."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from agent.models import Audience, Budget, CampaignRequest, Location
from agent.planning import AccountFacts, CopyChoice, CreativeSet

TODAY = date(2027, 1, 10)
DEFAULT_URL = "https://shop.example.sa"


def seed_request(**changes: Any) -> CampaignRequest:
    """The seed sentence, parsed by hand: "Create Instagram and TikTok campaign for Ramadan sale with 1000 SAR
    budget targeting women 25-40 in Riyadh" (no dates, no URL)."""
    request = CampaignRequest(
        platforms=["meta", "tiktok"],
        publisher_platforms={"meta": ["instagram"]},
        objective="sales",
        theme="ramadan",
        budget=Budget(amount=Decimal("1000"), currency="SAR", period="lifetime"),
        audience=Audience(
            genders=["female"],
            age_min=25,
            age_max=40,
            locations=[Location(name="Riyadh", kind="city", country_code="SA")],
        ),
        languages=["ar", "en"],
        creative_types=["image", "video"],
    )
    return request.model_copy(update=changes)


def accounts_for(platforms: list[str], currency: str = "SAR", **overrides: Any) -> dict[str, AccountFacts]:
    return {
        p: AccountFacts(
            platform=p,
            ad_account_id=f"acct-{p}",
            external_account_id=f"ext-{p}",
            currency=currency,
            timezone="Asia/Riyadh",
            **overrides,
        )
        for p in platforms
    }


def creative_set(languages: tuple[str, ...] = ("ar", "en")) -> CreativeSet:
    return CreativeSet(
        copy={
            lang: CopyChoice(
                asset_id=f"copy-{lang}",
                headline=f"headline {lang}",
                primary_text=f"primary {lang}",
                description=f"description {lang}",
                cta="shop_now",
            )
            for lang in languages
        },
        images={lang: {r: f"img-{lang}-{r}" for r in ("1x1", "4x5", "9x16")} for lang in languages},
        videos={lang: f"vid-{lang}" for lang in languages},
    )
