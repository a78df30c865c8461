"""Generate: copy first (images and voice need its words), then images and voice fanned out with Send, then video."""

from __future__ import annotations

import asyncio
from typing import Any, TypedDict

from langgraph.runtime import Runtime
from langgraph.types import Send

from agent.assets import IMAGE_SLOTS, load_assets, produce, slot_kind, slot_language
from agent.briefs import DEFAULT_LANGUAGES, copy_brief
from agent.context import AgentContext
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
from tools.generation.studio import voice_script


def required_slots(request: CampaignRequest) -> list[str]:
    """Every asset slot the request needs, in a stable order."""
    kinds = set(request.creative_types or ["image", "video", "voice"])
    slots: list[str] = []
    for lang in request.languages or DEFAULT_LANGUAGES:
        slots.append(f"copy:{lang}")
        if "image" in kinds or "video" in kinds:
            # The video is built from the vertical image, so it needs that one even for "video only".
            sizes = IMAGE_SLOTS if "image" in kinds else {"9x16": IMAGE_SLOTS["9x16"]}
            slots.extend(f"image:{lang}:{size}" for size in sizes)
        if "voice" in kinds or "video" in kinds:
            slots.append(f"voice:{lang}")
        if "video" in kinds:
            slots.append(f"video:{lang}")
    return slots


def copy_brief_for(
    request: CampaignRequest, language: str, variation: int, register: str, brand_name: str
) -> dict[str, Any]:
    brief = copy_brief(request, languages=[language], brand_name=brand_name, register=register, variation=variation)
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
    return {"assets": dict(results), "status": "generating"}


async def _make_copy(
    ctx: AgentContext, state: CampaignState, request: CampaignRequest, slot: str
) -> tuple[str, str]:
    language = slot_language(slot) or "en"
    variation = _variation(state, slot)
    brief = copy_brief_for(request, language, variation, ctx.arabic_register, ctx.brand_name)
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


async def make_media(ctx: AgentContext, state: dict[str, Any], slot: str) -> str:
    request = CampaignRequest.model_validate(state["request"])
    language = slot_language(slot) or "en"
    copy_assets = await load_assets(ctx, {f"copy:{language}": state["assets"][f"copy:{language}"]})
    words = copy_assets[f"copy:{language}"].text or {}
    variation = int((state.get("variations") or {}).get(slot, 0))
    kind: GenerationKind = "image" if slot_kind(slot) == "image" else "voice"
    call: Any
    if kind == "image":
        width, height = IMAGE_SLOTS[slot.split(":")[2]]
        model: ImageBrief | VoiceBrief = ImageBrief(
            theme=request.theme,
            headline=words.get("headline", ""),
            cta_label=words.get("cta_label", ""),
            language=language,
            width=width,
            height=height,
            product=request.product,
            brand_name=ctx.brand_name,
            variation=variation,
        )
        providers: list[Any] = list(ctx.providers.image)

        async def call(provider: Any, work_dir: Any) -> MediaResult:
            return await provider.render(model, work_dir)
    else:
        model = VoiceBrief(
            script=voice_script(CopyVariant.model_validate(words)), language=language, gender="female",
            variation=variation,
        )
        providers = list(ctx.providers.voice)

        async def call(provider: Any, work_dir: Any) -> MediaResult:
            return await provider.synthesize(model, work_dir)

    asset_id, _ = await produce(
        ctx,
        state=state,
        kind=kind,
        language=language,
        brief=model.model_dump(mode="json"),
        providers=providers,
        call=call,
        to_row=_media_row,
    )
    return asset_id


def _media_row(result: MediaResult) -> dict[str, Any]:
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
    language = slot_language(slot) or "en"
    assets = state["assets"]
    # Vertical slides only: the video is 9:16, and feed sizes would need letterboxing.
    frame_slots = [s for s in (f"image:{language}:9x16",) if s in assets]
    voice_slot = f"voice:{language}"
    rows = await load_assets(ctx, {s: assets[s] for s in [*frame_slots, voice_slot] if s in assets})
    frames = [ctx.asset_dir / path for s in frame_slots if s in rows and (path := rows[s].file_path)]
    voice = rows.get(voice_slot)
    voice_path = ctx.asset_dir / voice.file_path if voice is not None and voice.file_path else None
    duration = max(6.0, min(15.0, (voice.duration_s or 0) + 1.0)) if voice is not None else 10.0
    variation = int((state.get("variations") or {}).get(slot, 0))
    video = VideoBrief(
        image_paths=frames, voice_path=voice_path, duration_s=duration, language=language, variation=variation
    )
    # The cache key names the input assets, not their paths, so a moved asset store still hits.
    brief = {
        "frames": [assets[s] for s in frame_slots],
        "voice": assets.get(voice_slot),
        "duration_s": duration,
        "language": language,
        "variation": variation,
    }

    async def call_video(provider: Any, work_dir: Any) -> MediaResult:
        return await provider.render(video, work_dir)

    asset_id, _ = await produce(
        ctx,
        state=state,
        kind="video",
        language=language,
        brief=brief,
        providers=ctx.providers.video,
        call=call_video,
        to_row=_media_row,
    )
    return asset_id


async def regenerate(state: CampaignState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """Make one asset again with the next variation; every other asset stays as it is."""
    ctx = runtime.context
    slot = state.get("regenerate_slot")
    if not slot:
        return {}
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
        return {"generation_errors": {slot: str(failed)}, "regenerate_slot": None, "variations": variations}
    return {
        "assets": {slot: asset_id},
        "regenerate_slot": None,
        "variations": variations,
        "generation_errors": {slot: ""},
    }
