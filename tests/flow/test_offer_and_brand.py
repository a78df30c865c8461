"""The offer a marketer types reaches the creative (copy, images, the video's offer scene), and the workspace's
brand reaches it in the creative's language: through the conversation driver, in English and in Arabic."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from decimal import Decimal
from typing import Any

from conversation.conversation_helpers import USER, say, start, state, until
from sqlalchemy import select

from agent.turns import Turn
from agent.workspace_settings import SettingsChange
from bot.console import connect_in_sandbox
from bot.services import Services, open_services
from bot.settings import Settings
from store.models import ContentAsset
from tools.generation.avatar import drawn_avatar


async def _review(services: Services, text: str) -> Turn:
    return await until(services, await start(services, text), "review")


async def _assets(services: Services, turn: Turn) -> dict[str, ContentAsset]:
    assert turn.prompt is not None
    ids = {a["slot"]: a["asset_id"] for a in turn.prompt.payload["assets"]}
    async with services.sessions() as session:
        rows = {r.id: r for r in (await session.scalars(select(ContentAsset).where(ContentAsset.id.in_(ids.values()))))}
    return {slot: rows[asset_id] for slot, asset_id in ids.items()}


def _brief(row: ContentAsset) -> dict[str, Any]:
    return dict((row.meta or {})["brief"])


def _scenes(row: ContentAsset) -> list[dict[str, Any]]:
    return list((row.meta or {})["scenes"])


async def test_an_english_offer_reaches_the_copy_the_images_and_the_video_and_the_budget_stays(
    settings: Settings,
) -> None:
    async with open_services(settings) as services:
        turn = await _review(services, "Instagram and TikTok campaign for Ramadan with 1000 SAR budget for women "
                                       "25-40 in Riyadh: 30% off abayas from 149 SAR")
        request = (await state(services, turn))["request"]
        assert request["budget"] == {"amount": 1000, "currency": "SAR", "period": "lifetime"}
        assert request["offer"] == {"discount_percent": 30, "discount_up_to": False, "price": 149, "currency": "SAR"}
        assert request["product"] == "abayas"
        assets = await _assets(services, turn)

        # The copy states the discount in both languages: every headline it leads with, and the description.
        english, arabic = assets["copy:en"].text or {}, assets["copy:ar"].text or {}
        assert "30%" in english["headline"] and "30%" in english["description"], english
        assert "30%" in arabic["headline"] and "30%" in arabic["description"], arabic
        assert "العبايات" in arabic["headline"], arabic  # the product, in Arabic, from an English instruction

        # Every image is briefed with the offer, so its layout shows the discount and the "from" price.
        for slot in ("image:en:1x1", "image:en:4x5", "image:en:9x16", "image:ar:1x1", "image:ar:9x16"):
            brief = _brief(assets[slot])
            assert (brief["discount_percent"], brief["price"], brief["currency"]) == (30, "149", "SAR"), slot
            assert brief["product"] == "abayas"

        # The video says the offer in its language: the hook (the headline) the discount, then an offer scene
        # the "from" price (the discount is said once, not twice).
        for language, price in (("ar", "ابتداءً من 149 ر.س"), ("en", "From SAR 149")):
            video = assets[f"video:{language}"]
            scenes = _scenes(video)
            assert scenes[0]["role"] == "hook" and "30%" in scenes[0]["title"], scenes
            assert _brief(video)["offer"] == price
            assert [s["title"] for s in scenes if s["role"] == "offer"] == [price], scenes
            assert video.file_path and (services.ctx.asset_dir / video.file_path).is_file()


async def test_an_arabic_offer_and_the_workspaces_arabic_brand_reach_the_arabic_creative(settings: Settings) -> None:
    async with open_services(settings) as services:
        workspace = await services.local_workspace(USER)
        changed = await services.driver.change_settings(
            workspace.id, USER, SettingsChange(brand_name="Jarir Bookstore", brand_name_ar="مكتبة جرير"),
        )
        assert isinstance(changed, dict) and changed["brand_name_ar"] == "مكتبة جرير", changed
        turn = await _review(services, "حملة سناب شات لرمضان بميزانية ١٠٠٠ ريال في الرياض، خصم حتى ٥٠٪ على العطور "
                                       "ابتداءً من ٩٩ ريال")
        request = (await state(services, turn))["request"]
        assert request["budget"]["amount"] == 1000
        assert request["offer"] == {"discount_percent": 50, "discount_up_to": True, "price": 99, "currency": "SAR"}
        assets = await _assets(services, turn)

        arabic = assets["copy:ar"].text or {}
        # "Up to" is said, in the headline ("حتى", or Gulf "يوصل") and the description: never a flat 50%.
        assert "50%" in arabic["headline"] and any(w in arabic["headline"] for w in ("حتى", "يوصل")), arabic
        assert "حتى 50%" in arabic["description"], arabic
        assert "Jarir" not in " ".join(arabic.values())

        image = _brief(assets["image:ar:9x16"])  # Snapchat: the vertical image only
        assert (image["discount_percent"], image["discount_up_to"], image["price"]) == (50, True, "99")
        assert (image["brand_name"], image["brand_name_ar"]) == ("Jarir Bookstore", "مكتبة جرير")
        assert _brief(assets["image:en:9x16"])["brand_name"] == "Jarir Bookstore"

        # The Arabic video's hook names the brand in Arabic over the discount; its offer scene gives the price;
        # the voice never says the Latin name.
        video = assets["video:ar"]
        hook, *_ = _scenes(video)
        assert hook["role"] == "hook" and hook["kicker"] == "مكتبة جرير", hook
        assert "50%" in hook["title"]
        assert [s["title"] for s in _scenes(video) if s["role"] == "offer"] == ["ابتداءً من 99 ر.س"]
        assert "Jarir" not in _brief(assets["voice:ar"])["script"]
        assert [s["kicker"] for s in _scenes(assets["video:en"]) if s["role"] == "hook"] == ["Jarir Bookstore"]


def _sandbox_rows(settings: Settings, platform: str, kind: str) -> list[dict[str, Any]]:
    with sqlite3.connect(settings.sandbox_dir / f"{platform}.sqlite") as db:
        return [json.loads(r[0]) for r in db.execute("SELECT data FROM objects WHERE kind = ?", (kind,))]


async def test_the_published_ads_carry_the_workspaces_brand_as_the_creative_does(settings: Settings) -> None:
    async with open_services(settings) as services:
        workspace = await services.local_workspace(USER)
        await services.driver.change_settings(workspace.id, USER, SettingsChange(brand_name="Jarir Bookstore"))
        turn = await start(services, "TikTok and Snapchat campaign for Ramadan, 1000 SAR, Riyadh, 20% off perfumes")
        while turn.prompt is not None:  # connect in the sandbox, approve the content and the plan: publish
            if turn.prompt.kind == "connect":
                turn = await connect_in_sandbox(services, turn, USER, lambda _: None)
            else:
                assert turn.prompt.kind in ("review", "preview"), turn.prompt
                turn = await say(services, turn, "approve")
    [identity] = _sandbox_rows(settings, "tiktok", "identity")
    assert identity["display_name"] == "Jarir Bookstore"
    images = {row["image_id"]: row for row in _sandbox_rows(settings, "tiktok", "image")}
    drawn = hashlib.md5(drawn_avatar("Jarir Bookstore")).hexdigest()  # noqa: S324 - the bytes TikTok got
    assert images[identity["image_uri"]]["signature"] == drawn  # its own initials, not the deployment's
    creatives = _sandbox_rows(settings, "snapchat", "creative")
    assert creatives and {c["brand_name"] for c in creatives} == {"Jarir Bookstore"}


async def test_a_reply_that_changes_the_offer_makes_the_content_again(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _review(services, "Snapchat campaign for Ramadan, 1000 SAR in Riyadh, 30% off abayas, images only")
        assert "30%" in ((await _assets(services, turn))["copy:en"].text or {})["headline"]
        preview = await until(services, turn, "preview")  # content approved; the plan shown: adjust it there
        assert "Offer: 30% off abayas" in preview.prompt.payload["lines"], preview.prompt.payload["lines"]  # type: ignore[union-attr]
        turn = await say(services, preview, "make it 40% off")
        assert turn.prompt is not None and turn.prompt.kind == "review", turn.prompt  # the content is made again
        request = (await state(services, turn))["request"]
        assert request["offer"]["discount_percent"] == 40 and request["budget"]["amount"] == 1000
        assets = await _assets(services, turn)
        for language in ("ar", "en"):
            assert "40%" in (assets[f"copy:{language}"].text or {})["headline"], assets[f"copy:{language}"].text
        image = _brief(assets["image:ar:9x16"])
        assert image["discount_percent"] == 40 and "40%" in image["headline"]


def test_the_preview_states_the_offer_in_the_readers_language() -> None:
    from agent.models import CampaignRequest, Offer
    from agent.plan_notes import offer_line

    request = CampaignRequest(product="العبايات", offer=Offer(discount_percent=30, price=Decimal("149"), currency="SAR"))
    assert offer_line(request, "ar") == "العرض: خصم 30% على العبايات، ابتداءً من 149 ر.س"
    upto = CampaignRequest(product="perfume", offer=Offer(discount_percent=50, discount_up_to=True))
    assert offer_line(upto, "en") == "Offer: up to 50% off perfume"
    assert offer_line(CampaignRequest(), "en") is None
