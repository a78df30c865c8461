"""Edits propagate: an edited copy field is remade into exactly the assets that show or say it, through the same
cache and generation job records, and the review card says what was remade, in the user's language."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from agent.turns import Turn, Where
from bot.console import SEED_INSTRUCTION, connect_in_sandbox, render_prompt
from bot.services import Services, open_services
from bot.settings import Settings
from bot.slack.blocks import Ref, review_card
from store.models import ContentAsset, GenerationJob

USER = "console:tester"
ARABIC_MEDIA = {"image:ar:1x1", "image:ar:4x5", "image:ar:9x16", "voice:ar", "video:ar"}


async def _review(services: Services, text: str) -> Turn:
    workspace = await services.local_workspace(USER)
    turn = await services.driver.start(
        workspace_id=workspace.id, user=USER, text=text, where=Where("console", "t", uuid.uuid4().hex)
    )
    while turn.prompt is not None and turn.prompt.kind == "connect":
        turn = await connect_in_sandbox(services, turn, USER, lambda _: None)
    assert turn.prompt is not None and turn.prompt.kind == "review", turn
    return turn


async def _edit(services: Services, turn: Turn, slot: str, **edits: str) -> Turn:
    assert turn.prompt is not None
    edited = await services.driver.decide(
        conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id,
        decision={"action": "edit", "slot": slot, "edits": edits}, actor=USER,
    )
    assert edited.prompt is not None and edited.prompt.kind == "review", edited
    return edited


def _ids(turn: Turn) -> dict[str, str]:
    assert turn.prompt is not None
    return {a["slot"]: a["asset_id"] for a in turn.prompt.payload["assets"]}


async def _jobs(services: Services) -> list[GenerationJob]:
    async with services.sessions() as session:
        return list((await session.scalars(select(GenerationJob))).all())


async def _rows(services: Services, ids: list[str]) -> dict[str, ContentAsset]:
    async with services.sessions() as session:
        rows = (await session.scalars(select(ContentAsset).where(ContentAsset.id.in_(ids)))).all()
    return {row.id: row for row in rows}


async def test_an_edited_arabic_headline_reaches_its_images_video_and_voice_and_nothing_else(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _review(services, SEED_INSTRUCTION)
        before = _ids(turn)
        assert {"copy:ar", "copy:en", *ARABIC_MEDIA} <= set(before)
        original = next(a for a in turn.prompt.payload["assets"] if a["slot"] == "copy:ar")["text"]  # type: ignore[union-attr]
        jobs_before = {job.id for job in await _jobs(services)}
        async with services.sessions() as session:
            assets_before = len((await session.scalars(select(ContentAsset.id))).all())

        headline = "ليالي رمضان أحلى مع عروضنا"
        edited = await _edit(services, turn, "copy:ar", headline=headline)
        after = _ids(edited)
        changed = {slot for slot in after if after[slot] != before[slot]}
        assert changed == {"copy:ar", *ARABIC_MEDIA}, changed  # English copy, images, voice and video untouched

        # Made through the same job records: one succeeded job per remade asset, pointing at it, and nothing more.
        new_jobs = [job for job in await _jobs(services) if job.id not in jobs_before]
        assert sorted(job.kind for job in new_jobs) == ["image", "image", "image", "video", "voice"]
        assert all(job.status == "succeeded" and job.attempt == 1 for job in new_jobs)
        assert {job.result_asset_id for job in new_jobs} == {after[slot] for slot in ARABIC_MEDIA}
        async with services.sessions() as session:
            assert len((await session.scalars(select(ContentAsset.id))).all()) == assets_before + 6  # copy + 5

        # Each remade asset shows or says the new headline; the video is cut from the new image and voice.
        rows = await _rows(services, [after[slot] for slot in ARABIC_MEDIA])
        briefs: dict[str, dict[str, Any]] = {slot: (rows[after[slot]].meta or {})["brief"] for slot in ARABIC_MEDIA}
        for slot in ("image:ar:1x1", "image:ar:4x5", "image:ar:9x16"):
            assert briefs[slot]["headline"] == headline
        assert briefs["voice:ar"]["script"].startswith(headline + ".")
        assert briefs["video:ar"]["headline"] == headline
        assert briefs["video:ar"]["frames"] == [after["image:ar:9x16"]]
        assert briefs["video:ar"]["voice"] == after["voice:ar"]
        for slot in ARABIC_MEDIA:
            assert rows[after[slot]].file_path and (services.ctx.asset_dir / rows[after[slot]].file_path).is_file()

        # The review card says what was remade, in the user's language (the seed is written in English).
        payload = edited.prompt.payload  # type: ignore[union-attr]
        assert payload["rebuilt"] == ["image:ar:1x1", "image:ar:4x5", "image:ar:9x16", "voice:ar", "video:ar"]
        line = "Your edit of the Arabic headline was carried into: image 1:1, image 4:5, image 9:16, voice-over, video."
        assert line in payload["message"]
        assert line in "\n".join(render_prompt(edited.prompt))  # the terminal's card
        card = review_card(payload, Ref(edited.conversation_id, edited.prompt.interrupt_id))  # type: ignore[union-attr]
        assert any(line in str(block) for block in card.blocks)  # Slack's card

        # Back to the first headline: the same cache answers with the first assets, and no job runs.
        jobs_now = len(await _jobs(services))
        reverted = await _edit(services, edited, "copy:ar", headline=original["headline"])
        back = _ids(reverted)
        assert {slot: back[slot] for slot in ARABIC_MEDIA} == {slot: before[slot] for slot in ARABIC_MEDIA}
        assert len(await _jobs(services)) == jobs_now

        # The description shows on the video's offer card only: the video alone is remade.
        described = await _edit(services, reverted, "copy:ar", description="خصومات حتى ٣٠٪")
        now = _ids(described)
        assert {slot for slot in now if now[slot] != back[slot]} == {"copy:ar", "video:ar"}
        assert described.prompt.payload["rebuilt"] == ["video:ar"]  # type: ignore[union-attr]
        assert len(await _jobs(services)) == jobs_now + 1


async def test_the_card_says_it_in_arabic_and_an_unshown_field_remakes_nothing(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await _review(
            services, "اعلان سناب شات لرمضان بميزانية 1000 ريال للنساء 25-40 في الرياض، صور فقط",
        )
        before = _ids(turn)
        assert not any(slot.startswith(("voice:", "video:")) for slot in before), before  # images only
        edited = await _edit(services, turn, "copy:ar", description="عروض ما تتكرر")
        after = _ids(edited)
        assert {slot for slot in after if after[slot] != before[slot]} == {"copy:ar"}
        payload = edited.prompt.payload  # type: ignore[union-attr]
        assert payload["rebuilt"] == []
        assert "تعديلك على الوصف (العربي) لا يظهر في أي صورة أو تعليق صوتي أو فيديو" in payload["message"]

        # A new take of the copy is an edit of every field it changes: what shows them is remade too.
        assert edited.prompt is not None
        again = await services.driver.decide(
            conversation_id=edited.conversation_id, interrupt_id=edited.prompt.interrupt_id,
            decision={"action": "regenerate", "slot": "copy:ar"}, actor=USER,
        )
        assert again.prompt is not None and again.prompt.kind == "review"
        now = _ids(again)
        images = ["image:ar:9x16"]  # a Snapchat campaign makes the vertical image only
        assert {slot for slot in now if now[slot] != after[slot]} == {"copy:ar", *images}
        assert again.prompt.payload["rebuilt"] == images
        assert "نُقل النص العربي الجديد إلى: الصورة 9:16." in again.prompt.payload["message"]
