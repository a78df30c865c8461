"""Issue 17 scenarios through the conversation driver: Gulf dates in the plan, a short Ramadan budget, placements and a
WhatsApp objective published to the sandbox (sandbox APIs, offline generators, a fixed `today`)."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import date
from typing import Any

from agent.turns import Turn, Where
from bot.console import connect_in_sandbox
from bot.services import Services, open_services
from bot.settings import Settings

USER = "console:tester"
TODAY = date(2026, 12, 5)  # Jumada al-Akhirah 1448: Ramadan 1448 runs 2027-02-08 to 2027-03-08


async def _start(services: Services, text: str) -> Turn:
    workspace = await services.local_workspace(USER)
    return await services.driver.start(workspace_id=workspace.id, user=USER, text=text,
                                       where=Where("console", "t", uuid.uuid4().hex), today=TODAY)


async def _decide(services: Services, turn: Turn, **decision: Any) -> Turn:
    assert turn.prompt is not None
    payload = turn.prompt.payload
    hashes = {"content_hash": payload.get("content_hash"), "plan_hash": payload.get("plan_hash")}
    decision.update({k: v for k, v in hashes.items() if v is not None})
    return await services.driver.decide(conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id,
                                        decision=decision, actor=USER)


async def _until(services: Services, turn: Turn, kind: str) -> Turn:
    while turn.prompt is not None and turn.prompt.kind != kind:
        if turn.prompt.kind == "connect":
            turn = await connect_in_sandbox(services, turn, USER, lambda _: None)
        elif turn.prompt.kind in ("review", "preview"):
            turn = await _decide(services, turn, action="approve")
        else:
            raise AssertionError(f"unexpected prompt {turn.prompt.kind}: {turn.prompt.payload}")
    return turn


def _plan_dates(turn: Turn) -> tuple[str, str]:
    assert turn.prompt is not None and turn.prompt.kind == "preview", turn
    plan = turn.prompt.payload["plan"]
    return plan["start_date"], plan["end_date"]


async def test_short_ramadan_budget_runs_the_last_nights_and_the_preview_says_why(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _until(services, await _start(services, "TikTok Ramadan sale 1000 SAR in Riyadh"), "preview")
        assert _plan_dates(turn) == ("2027-02-24", "2027-03-08")  # 13 days ending on Ramadan's last day
        said = " ".join(turn.prompt.payload["warnings"] + turn.prompt.payload["lines"])  # type: ignore[union-attr]
        assert "last 13 days of Ramadan" in said, said


async def test_arabic_adjustment_at_preview_moves_the_window_to_the_hijri_dates(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _until(services, await _start(services, "حملة سناب لرمضان بميزانية ٥٠٠٠ ريال في الرياض"),
                            "preview")
        assert _plan_dates(turn) == ("2027-02-08", "2027-03-08")
        turn = await _decide(services, turn, action="adjust", text="خلها تبدأ من ٢٠ رمضان لين ليلة العيد")
        turn = await _until(services, turn, "preview")
        assert _plan_dates(turn) == ("2027-02-27", "2027-03-08")


async def test_for_eid_plans_the_run_up_and_eid(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _until(services, await _start(services, "حملة سناب للعيد بميزانية ٥٠٠٠ ريال في الرياض"), "preview")
        assert _plan_dates(turn) == ("2027-02-28", "2027-03-11")  # 21 Ramadan to 3 Shawwal 1448


def _sandbox_rows(settings: Settings, platform: str, kind: str) -> list[dict[str, Any]]:
    with sqlite3.connect(settings.sandbox_dir / f"{platform}.sqlite") as db:
        return [json.loads(r[0]) for r in db.execute("SELECT data FROM objects WHERE kind = ?", (kind,))]


async def test_reels_only_whatsapp_campaign_reaches_meta_as_asked(settings: Settings) -> None:
    text = "Instagram Reels only, WhatsApp messages, 1000 SAR in Riyadh, women 25-40, this weekend"
    async with open_services(settings) as services:
        turn = await _until(services, await _start(services, text), "preview")
        plan = turn.prompt.payload["plan"]  # type: ignore[union-attr]
        assert (plan["start_date"], plan["end_date"]) == ("2026-12-05", "2026-12-05")  # a Saturday: today only
        meta = plan["platforms"][0]
        assert (meta["placements"], meta["message_destination"], meta["objective"]) == (["reels"], "whatsapp",
                                                                                         "engagement")
        shown = turn.prompt.payload  # type: ignore[union-attr]
        assert "  Placements: Reels; Ads open a WhatsApp chat" in shown["lines"]
        assert any("WhatsApp chat" in w and "conversations" in w for w in shown["warnings"])
        done = await _decide(services, turn, action="approve")
        assert done.status == "live", done
    ad_sets = _sandbox_rows(settings, "meta", "adset")
    assert ad_sets
    for ad_set in ad_sets:
        assert ad_set["targeting"]["publisher_platforms"] == ["instagram"]
        assert ad_set["targeting"]["instagram_positions"] == ["reels"]
        assert (ad_set["optimization_goal"], ad_set["destination_type"]) == ("CONVERSATIONS", "WHATSAPP")
    creatives = _sandbox_rows(settings, "meta", "adcreative")
    assert creatives and all(c["object_story_spec"]["video_data"]["call_to_action"]["type"] == "WHATSAPP_MESSAGE"
                             for c in creatives)


async def test_young_people_are_18_to_34_and_the_preview_says_it_is_an_assumption(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _until(services, await _start(services, "حملة سناب للشباب في الرياض بميزانية ٥٠٠٠ ريال"), "preview")
        payload = turn.prompt.payload  # type: ignore[union-attr]
        ad_sets = payload["plan"]["platforms"][0]["ad_sets"]
        assert [(s["age_min"], s["age_max"]) for s in ad_sets] == [(18, 34)]
        assert any("«للشباب»" in w and "18-34" in w for w in payload["warnings"]), payload["warnings"]


async def test_an_eid_sale_runs_the_run_up_says_why_and_only_eid_days_narrows_it(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _until(services, await _start(
            services, "سناب تخفيضات العيد بميزانية ٣٠٠٠ ريال للنساء في جدة"), "preview")
        # 21 Ramadan 1448 (the last ten nights) to 3 Shawwal: shoppers buy for Eid before it.
        assert _plan_dates(turn) == ("2027-02-28", "2027-03-11")
        said = " ".join(turn.prompt.payload["warnings"])  # type: ignore[union-attr]
        assert "يتسوّق الناس في الخليج للعيد" in said and "أيام العيد فقط" in said, said
        turn = await services.driver.reply(conversation_id=turn.conversation_id, text="أيام العيد فقط", actor=USER)
        assert _plan_dates(turn) == ("2027-03-09", "2027-03-11")  # Eid al-Fitr's three days
        said = " ".join(turn.prompt.payload["warnings"])  # type: ignore[union-attr]
        assert "يتسوّق الناس في الخليج للعيد" not in said, said
        assert turn.prompt.payload["plan"]["name"].startswith("تخفيضات عيد الفطر")  # type: ignore[union-attr]
