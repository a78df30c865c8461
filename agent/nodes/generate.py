"""Generate: copy first (images and voice need its words), then images and voice fanned out with Send, then video."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypedDict

from langgraph.runtime import Runtime
from langgraph.types import Command, Send

from agent.assets import IMAGE_SLOTS, load_assets, produce, slot_kind, slot_language
from agent.brands import workspace_brand
from agent.briefs import DEFAULT_LANGUAGES, copy_brief, generation_offer
from agent.context import AgentContext
from agent.interactions import EDITABLE_COPY_FIELDS
from agent.localize import slot_label
from agent.models import CampaignRequest
from agent.state import CampaignState
from agent.texts import t
from tools.generation.base import (
    CopyBrief,
    CopyResult,
    CopyVariant,
    GenerationFailed,
    GenerationKind,
    ImageBrief,
    MediaResult,
    VideoBrief,
    VoiceBrief,
    fits_platforms,
)
from tools.generation.offer import offer_title
from tools.generation.studio import voice_script


def required_slots(request: CampaignRequest) -> list[str]:
    """Every asset slot the request needs, in a stable order."""
    kinds = set(request.creative_types or ["image", "video", "voice"])
    slots: list[str] = []
    for lang in request.languages or DEFAULT_LANGUAGES:
        slots.append(f"copy:{lang}")
        if "image" in kinds or "video" in kinds:
            # The video is built from the vertical image, so it needs that one even for "video only"; the square
            # and portrait images only Meta's feeds use (TikTok and Snapchat are full-screen vertical).
            meta_images = "image" in kinds and ("meta" in request.platforms or not request.platforms)
            sizes = IMAGE_SLOTS if meta_images else {"9x16": IMAGE_SLOTS["9x16"]}
            slots.extend(f"image:{lang}:{size}" for size in sizes)
        if "voice" in kinds or "video" in kinds:
            slots.append(f"voice:{lang}")
        if "video" in kinds:
            slots.append(f"video:{lang}")
    return slots


def copy_brief_for(
    request: CampaignRequest, language: str, variation: int, register: str, brand_name: str,
    brand_name_ar: str | None = None,
) -> dict[str, Any]:
    brief = copy_brief(request, languages=[language], brand_name=brand_name, register=register, variation=variation,
                       brand_name_ar=brand_name_ar)
    return brief.model_dump(mode="json")


def _variation(state: CampaignState, slot: str) -> int:
    return int((state.get("variations") or {}).get(slot, 0))  # type: ignore[attr-defined]


async def generate_copy(state: CampaignState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """Copy in every language; later stages read their words from it."""
    ctx = runtime.context
    request = CampaignRequest.model_validate(state["request"])
    wanted = [s for s in required_slots(request) if s not in (state.get("assets") or {})]
    await ctx.progress(t("generating", state.get("language"), count=len(wanted)))
    copy_slots = [s for s in wanted if slot_kind(s) == "copy"]
    results = await asyncio.gather(*(_make_copy(ctx, state, request, slot) for slot in copy_slots))
    return {"assets": dict(results), "status": "generating", "content_subject": content_subject(request)}


def content_subject(request: CampaignRequest) -> dict[str, Any]:
    """What the content speaks of: when an adjustment changes it, the content is made again."""
    subject: dict[str, Any] = {"theme": request.theme, "product": request.product}
    if request.offer is not None:  # only when there is one, so content made before offers were read still stands
        subject["offer"] = request.offer.model_dump(mode="json")
    return subject


async def _make_copy(
    ctx: AgentContext, state: CampaignState, request: CampaignRequest, slot: str
) -> tuple[str, str]:
    language = slot_language(slot) or "en"
    variation = _variation(state, slot)
    brand = await workspace_brand(ctx, state.get("workspace_id"))
    brief = copy_brief_for(request, language, variation, ctx.arabic_register, brand.name, brand.name_ar)
    model = CopyBrief.model_validate(brief)

    async def call(provider: Any, _work_dir: Any) -> CopyResult:
        return await provider.generate(model)

    def to_row(result: CopyResult) -> dict[str, Any]:
        variants = [v for v in result.variants if v.language == language] or result.variants
        # The provider already rotates by variation; prefer the first take that fits every platform's limits.
        chosen = next((v for v in variants if fits_platforms(v, list(request.platforms))), variants[0])
        return {"text": chosen.model_dump(), "provider": result.provider, "meta": {"variants": len(variants)}}

    asset_id, _ = await produce(
        ctx,
        state=dict(state),
        kind="copy",
        language=language,
        brief=brief,
        providers=ctx.providers.copy,
        call=call,
        to_row=to_row,
    )
    return slot, asset_id


def fan_out_media(state: CampaignState) -> list[Send]:
    """One branch per image size and language and per voice track: they all run at once."""
    request = CampaignRequest.model_validate(state["request"])
    have = state.get("assets") or {}
    branches = [
        Send("generate_media", {**_branch_base(state), "slot": slot})
        for slot in required_slots(request)
        if slot_kind(slot) in ("image", "voice") and slot not in have
    ]
    # Nothing to fan out (all cached in state): go straight to the join.
    return branches or [Send("generate_video", dict(state))]


def _branch_base(state: CampaignState) -> dict[str, Any]:
    keys = ("workspace_id", "conversation_id", "language", "request", "assets", "variations")
    return {k: state.get(k) for k in keys if k in state}  # type: ignore[misc]


class MediaBranch(TypedDict, total=False):
    """What one Send branch gets: the state's ids and the slot to make."""

    workspace_id: str
    conversation_id: str
    language: str
    request: dict[str, Any]
    assets: dict[str, str]
    variations: dict[str, int]
    slot: str


async def generate_media(branch: MediaBranch, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """One image or voice track. A failure is recorded for review (the user can upload one) instead of raised."""
    ctx = runtime.context
    slot = branch["slot"]
    try:
        asset_id = await make_media(ctx, dict(branch), slot)
    except GenerationFailed as failed:
        return {"generation_errors": {slot: str(failed)}}
    return {"assets": {slot: asset_id}}


@dataclass(frozen=True)
class MediaJob:
    """How one media slot is made now: its brief (the cache key's), the provider chain, and the call."""

    kind: GenerationKind
    language: str
    brief: dict[str, Any]
    providers: list[Any]
    call: Callable[[Any, Path], Awaitable[MediaResult]]


async def media_job(ctx: AgentContext, state: dict[str, Any], slot: str) -> MediaJob:
    """The brief an image, voice or video slot gets from the state's current copy and assets.

    Edits propagate through this: an asset whose brief would differ from the one it was made from shows
    something that changed (agent.nodes.rebuild).
    """
    if slot_kind(slot) == "video":
        return await _video_job(ctx, state, slot)
    request = CampaignRequest.model_validate(state["request"])
    language = slot_language(slot) or "en"
    words = await _copy_words(ctx, state, language)
    variation = int((state.get("variations") or {}).get(slot, 0))
    brand = await workspace_brand(ctx, state.get("workspace_id"))
    if slot_kind(slot) == "image":
        width, height = IMAGE_SLOTS[slot.split(":")[2]]
        offer = generation_offer(request)
        image = ImageBrief(
            theme=request.theme,
            headline=words.get("headline", ""),
            cta_label=words.get("cta_label", ""),
            language=language,
            width=width,
            height=height,
            product=request.product,
            brand_name=brand.name,
            brand_name_ar=brand.name_ar,
            logo_path=ctx.brand_logo,
            discount_percent=offer.discount_percent if offer else None,
            discount_up_to=offer.discount_up_to if offer else False,
            price=offer.price if offer else None,
            currency=offer.currency if offer else None,
            register="msa" if ctx.arabic_register == "msa" else "gulf",
            variation=variation,
        )

        async def draw(provider: Any, work_dir: Path) -> MediaResult:
            return await provider.render(image, work_dir)

        return MediaJob("image", language, image.model_dump(mode="json"), list(ctx.providers.image), draw)
    voice = VoiceBrief(
        script=voice_script(CopyVariant.model_validate(words), brand_name=brand.name, brand_name_ar=brand.name_ar),
        language=language, gender="female", variation=variation,
    )

    async def speak(provider: Any, work_dir: Path) -> MediaResult:
        return await provider.synthesize(voice, work_dir)

    return MediaJob("voice", language, voice.model_dump(mode="json"), list(ctx.providers.voice), speak)


async def _copy_words(ctx: AgentContext, state: dict[str, Any], language: str) -> dict[str, Any]:
    slot = f"copy:{language}"
    rows = await load_assets(ctx, {slot: state["assets"][slot]})
    return dict(rows[slot].text or {})


async def make_media(ctx: AgentContext, state: dict[str, Any], slot: str) -> str:
    """Make (or find in the cache) the asset of an image, voice or video slot; returns its id."""
    job = await media_job(ctx, state, slot)
    asset_id, _ = await produce(
        ctx,
        state=state,
        kind=job.kind,
        language=job.language,
        brief=job.brief,
        providers=job.providers,
        call=job.call,
        to_row=media_row,
    )
    return asset_id


def media_row(result: MediaResult) -> dict[str, Any]:
    return {
        "mime": result.mime,
        "width": result.width,
        "height": result.height,
        "duration_s": result.duration_s,
        "provider": result.provider,
        "meta": dict(result.meta),
    }


async def generate_video(state: CampaignState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """The join: one vertical video per language from its images and voice-over."""
    ctx = runtime.context
    request = CampaignRequest.model_validate(state["request"])
    have = state.get("assets") or {}
    slots = [s for s in required_slots(request) if slot_kind(s) == "video" and s not in have]
    outcomes = await asyncio.gather(*(_video_or_error(ctx, dict(state), s) for s in slots))
    assets = {slot: asset_id for slot, asset_id, _ in outcomes if asset_id}
    errors = {slot: error for slot, _, error in outcomes if error}
    return {"assets": assets, "generation_errors": errors}


async def _video_or_error(
    ctx: AgentContext, state: dict[str, Any], slot: str
) -> tuple[str, str | None, str | None]:
    try:
        return slot, await make_video(ctx, state, slot), None
    except (GenerationFailed, KeyError) as failed:
        return slot, None, str(failed)


async def make_video(ctx: AgentContext, state: dict[str, Any], slot: str) -> str:
    return await make_media(ctx, state, slot)


async def _video_job(ctx: AgentContext, state: dict[str, Any], slot: str) -> MediaJob:
    """The story video of a language: cut to its voice-over, captioned with its copy, ending on its 9:16 ad."""
    request = CampaignRequest.model_validate(state["request"])
    language = slot_language(slot) or "en"
    assets = state["assets"]
    end_slot, voice_slot = f"image:{language}:9x16", f"voice:{language}"
    rows = await load_assets(ctx, {s: assets[s] for s in (end_slot, voice_slot) if s in assets})
    end, voice = rows.get(end_slot), rows.get(voice_slot)
    words = await _copy_words(ctx, state, language)
    variation = int((state.get("variations") or {}).get(slot, 0))
    brand = await workspace_brand(ctx, state.get("workspace_id"))
    register = "msa" if ctx.arabic_register == "msa" else "gulf"
    story = {
        "theme": request.theme,
        "headline": words.get("headline", ""),
        "primary_text": words.get("primary_text", ""),
        "description": words.get("description", ""),
        "cta_label": words.get("cta_label", ""),
        "brand_name": brand.name,
        "brand_name_ar": brand.name_ar,
        "product": request.product,
        "offer": offer_title(generation_offer(request), request.product, language, register,
                             words.get("headline", "")),
    }
    video = VideoBrief(
        image_paths=[ctx.asset_dir / end.file_path] if end is not None and end.file_path else [],
        voice_path=ctx.asset_dir / voice.file_path if voice is not None and voice.file_path else None,
        language=language,
        variation=variation,
        **story,
    )
    # The cache key names the input assets, not their paths, so a moved asset store still hits; and the
    # words it shows, so an edit of any of them makes it again.
    brief = {
        "frames": [assets[end_slot]] if end is not None else [],
        "voice": assets.get(voice_slot),
        "language": language,
        "variation": variation,
        **story,
    }

    async def cut(provider: Any, work_dir: Path) -> MediaResult:
        return await provider.render(video, work_dir)

    return MediaJob("video", language, brief, list(ctx.providers.video), cut)


async def regenerate(
    state: CampaignState, runtime: Runtime[AgentContext]
) -> Command[Literal["review", "rebuild"]]:
    """Make one asset again with the next variation; every other asset stays as it is, except that a new take of
    the copy goes on to `rebuild`, which remakes what shows its words (as after an edit)."""
    ctx = runtime.context
    slot = state.get("regenerate_slot")
    if not slot:
        return Command(goto="review")
    await ctx.progress(t("regenerating", state.get("language"), slot=slot_label(slot, state.get("language"))))
    variations = dict(state.get("variations") or {})  # type: ignore[call-overload]
    variations[slot] = variations.get(slot, 0) + 1
    working: dict[str, Any] = {**state, "variations": variations}
    request = CampaignRequest.model_validate(state["request"])
    kind = slot_kind(slot)
    try:
        if kind == "copy":
            _, asset_id = await _make_copy(ctx, working, request, slot)  # type: ignore[arg-type]
        elif kind == "video":
            asset_id = await make_video(ctx, working, slot)
        else:
            asset_id = await make_media(ctx, working, slot)
    except GenerationFailed as failed:
        return Command(
            goto="review",
            update={"generation_errors": {slot: str(failed)}, "regenerate_slot": None, "variations": variations},
        )
    update: dict[str, Any] = {
        "assets": {slot: asset_id},
        "regenerate_slot": None,
        "variations": variations,
        "generation_errors": {slot: ""},
    }
    if kind != "copy":
        return Command(goto="review", update=update)
    old_slot = (state.get("assets") or {}).get(slot)
    rows = await load_assets(ctx, {"old": old_slot, "new": asset_id} if old_slot else {"new": asset_id})
    old_text = dict(rows["old"].text or {}) if "old" in rows else {}
    new_text = dict(rows["new"].text or {})
    fields = sorted(f for f in EDITABLE_COPY_FIELDS if old_text.get(f) != new_text.get(f))
    update["last_edit"] = {
        "round": int(state.get("review_round", 1)),  # type: ignore[call-overload]
        "slot": slot,
        "language": slot_language(slot),
        "fields": fields,
        "regenerated": True,
    }
    return Command(goto="rebuild", update=update)
