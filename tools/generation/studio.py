"""The studio: provider chains from configuration, and a campaign's creative bundle made in parallel."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field

from tools.generation import storyboard
from tools.generation.base import (
    IMAGE_SIZES,
    Attempt,
    CopyBrief,
    CopyResult,
    CopyVariant,
    GenerationCache,
    GenerationFailed,
    ImageBrief,
    MediaResult,
    Providers,
    VideoBrief,
    VoiceBrief,
    cached_chain,
)
from tools.generation.brand import with_brand_for_language
from tools.generation.image import OpenAIImageProvider, ProceduralImageProvider
from tools.generation.offer import Offer, offer_title
from tools.generation.text import OpenAICopyProvider, TemplateCopyProvider
from tools.generation.video import StoryboardVideoProvider
from tools.generation.voice import EspeakVoiceProvider, OpenAITTSProvider
from tools.generation.workers import in_process

AssetKind = Literal["copy", "image", "video", "voice"]


def offline_providers() -> Providers:
    """Everything on this machine: templates, procedural images, espeak-ng, the ffmpeg story video."""
    return Providers(
        copy=[TemplateCopyProvider()],
        image=[ProceduralImageProvider()],
        voice=[EspeakVoiceProvider()],
        video=[StoryboardVideoProvider()],
    )


def providers_from_config(
    *,
    openai_api_key: str | None,
    openai_base_url: str | None,
    chat_model: str,
    image_model: str,
    tts_model: str,
    http: httpx.AsyncClient | None = None,
    chat_timeout_s: float = 30.0,
) -> Providers:
    """Configured providers first, the offline ones last, per kind. No key: offline only."""
    offline = offline_providers()
    if not openai_api_key:
        return offline
    return Providers(
        copy=[
            OpenAICopyProvider.from_settings(
                api_key=openai_api_key, base_url=openai_base_url, model=chat_model, timeout_s=chat_timeout_s
            ),
            *offline.copy,
        ],
        image=[
            OpenAIImageProvider(
                api_key=openai_api_key, base_url=openai_base_url, model=image_model, http=http
            ),
            *offline.image,
        ],
        voice=[
            OpenAITTSProvider(api_key=openai_api_key, base_url=openai_base_url, model=tts_model, http=http),
            *offline.voice,
        ],
        # No video model is configured yet: the story video is cut from the voice, the copy and the ad image.
        video=list(offline.video),
    )


# ---------------------------------------------------------------------------------------------------------
# Bundle


class BundleSpec(BaseModel):
    """What one campaign needs made. `copy` drives everything; the rest says which media and how many."""

    copy_brief: CopyBrief
    image_sizes: list[tuple[int, int]] = Field(default_factory=lambda: list(IMAGE_SIZES))
    image_languages: list[str] | None = None  # default: every copy language
    video: bool = True
    voice: bool = True
    voice_languages: list[str] | None = None  # default: every copy language
    voice_gender: Literal["female", "male"] = "female"
    video_language: str | None = None  # default: Arabic when present (Gulf audiences), else the first
    video_duration_s: float = 10.0
    offer: Offer | None = None  # discount and "from" price the images show (product comes from copy_brief)
    logo_path: Path | None = None  # the brand logo set on every image (ADLY_BRAND_LOGO)

    @property
    def primary_language(self) -> str:
        langs = self.copy_brief.languages
        return self.video_language or ("ar" if "ar" in langs else langs[0])


class BundleAsset(BaseModel):
    id: str
    kind: AssetKind
    language: str | None
    platforms: list[str]
    path: Path | None = None
    mime: str | None = None
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    provider: str
    text: dict[str, str] | None = None
    meta: dict[str, Any] = Field(default_factory=dict)
    attempts: list[Attempt] = Field(default_factory=list)
    cache_hit: bool = False
    brief: dict[str, Any] | None = None  # what made it (JSON), so one asset can be regenerated on its own

    def manifest_entry(self) -> dict[str, Any]:
        """The `adly generate --json` shape."""
        return {
            "id": self.id,
            "kind": self.kind,
            "language": self.language,
            "platforms": self.platforms,
            "path": str(self.path) if self.path else None,
            "mime": self.mime,
            "width": self.width,
            "height": self.height,
            "duration_s": self.duration_s,
            "provider": self.provider,
            "text": self.text,
        }


class BundleFailure(BaseModel):
    kind: AssetKind
    label: str
    error: str
    attempts: list[Attempt] = Field(default_factory=list)


class Bundle(BaseModel):
    assets: list[BundleAsset] = Field(default_factory=list)
    failures: list[BundleFailure] = Field(default_factory=list)
    seconds: float = 0.0

    def manifest(self) -> dict[str, Any]:
        return {"assets": [a.manifest_entry() for a in self.assets]}


def _asset_id(kind: str, *parts: object) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in (kind, *parts)).encode()).hexdigest()[:12]
    return f"{kind}_{digest}"


def voice_script(variant: CopyVariant, *, brand_name: str | None = None, brand_name_ar: str | None = None) -> str:
    """What the voice-over says: the headline, each sentence of the primary text, then the call to action,
    one sentence each, so the story video cuts where the speaker pauses. Given the brand, an Arabic script
    says its Arabic name wherever the copy kept the Latin one."""
    script = storyboard.voice_script(variant.headline, variant.primary_text, variant.cta_label)
    if brand_name:
        script = with_brand_for_language(script, brand_name, variant.language, brand_name_ar)
    return script


class _Runner:
    """Runs steps concurrently (gather) or one after another, with the same code path for the benchmark."""

    def __init__(self, parallel: bool) -> None:
        self.parallel = parallel

    async def all(self, jobs: list[Callable[[], Awaitable[Any]]]) -> list[Any]:
        if self.parallel:
            return list(await asyncio.gather(*(job() for job in jobs), return_exceptions=True))
        results: list[Any] = []
        for job in jobs:
            try:
                results.append(await job())
            except Exception as exc:  # noqa: BLE001 - mirrors gather(return_exceptions=True)
                results.append(exc)
        return results


async def generate_bundle(
    spec: BundleSpec,
    providers: Providers,
    out_dir: Path,
    *,
    parallel: bool = True,
    cache: GenerationCache | None = None,
) -> Bundle:
    """Copy first (everything else shows or says it), then images, voices and the video, fanned out.

    Failures are collected per asset, not raised: the caller decides which are required.
    `parallel=False` makes the same assets one at a time, images on a thread of this process (the benchmark's
    baseline, and the fastest way to do one thing at a time).
    """
    if parallel:
        return await _generate_bundle(spec, providers, out_dir, parallel=True, cache=cache)
    with in_process():
        return await _generate_bundle(spec, providers, out_dir, parallel=False, cache=cache)


async def _generate_bundle(
    spec: BundleSpec,
    providers: Providers,
    out_dir: Path,
    *,
    parallel: bool,
    cache: GenerationCache | None,
) -> Bundle:
    started = time.perf_counter()
    await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
    brief = spec.copy_brief
    platforms = list(brief.platforms)
    bundle = Bundle()
    run = _Runner(parallel)

    def failed(kind: AssetKind, label: str, exc: BaseException) -> None:
        attempts = exc.attempts if isinstance(exc, GenerationFailed) else []
        bundle.failures.append(BundleFailure(kind=kind, label=label, error=str(exc), attempts=attempts))

    try:
        copy_result, copy_attempts, copy_hit = await cached_chain(
            "copy", brief, providers.copy, lambda p: p.generate(brief), CopyResult, cache=cache
        )
    except GenerationFailed as exc:
        failed("copy", "copy", exc)
        bundle.seconds = time.perf_counter() - started
        return bundle
    copy_by_lang = _group_copy(copy_result)
    for lang, variants in copy_by_lang.items():
        for i, v in enumerate(variants):
            bundle.assets.append(
                BundleAsset(
                    id=_asset_id("copy", lang, i, v.headline, v.primary_text),
                    kind="copy",
                    language=lang,
                    platforms=platforms,
                    provider=copy_result.provider,
                    text={
                        "headline": v.headline,
                        "primary_text": v.primary_text,
                        "description": v.description,
                        "cta": v.cta,
                        "cta_label": v.cta_label,
                    },
                    meta={"variant": i},
                    attempts=copy_attempts,
                    cache_hit=copy_hit,
                    brief=brief.model_copy(update={"languages": [lang]}).model_dump(mode="json"),
                )
            )
    missing = [lang for lang in brief.languages if lang not in copy_by_lang]
    for lang in missing:
        failed("copy", f"copy:{lang}", RuntimeError(f"no {lang} copy was produced"))

    image_langs = [lang for lang in (spec.image_languages or brief.languages) if lang in copy_by_lang]
    voice_langs = (
        [lang for lang in (spec.voice_languages or brief.languages) if lang in copy_by_lang]
        if spec.voice
        else []
    )
    primary = (
        spec.primary_language if spec.primary_language in copy_by_lang else next(iter(copy_by_lang), None)
    )
    tall = max(spec.image_sizes, key=lambda s: s[1] / s[0], default=(1080, 1920))
    if tall[1] / tall[0] < 1.7:
        tall = (1080, 1920)

    offer = spec.offer or brief.offer  # the images and the video's offer scene show what the copy states

    def image_brief(lang: str, variant: CopyVariant, size: tuple[int, int]) -> ImageBrief:
        return ImageBrief(
            theme=brief.theme,
            headline=variant.headline,
            cta_label=variant.cta_label,
            language=lang,
            width=size[0],
            height=size[1],
            brand_name=brief.brand_name,
            brand_name_ar=brief.brand_name_ar,
            logo_path=spec.logo_path,
            product=brief.product,
            discount_percent=offer.discount_percent if offer else None,
            discount_up_to=offer.discount_up_to if offer else False,
            price=offer.price if offer else None,
            currency=offer.currency if offer else None,
            register=brief.register,
        )

    async def make_image(ib: ImageBrief, *, role: str, variant: int) -> MediaResult:
        try:
            media, attempts, hit = await cached_chain(
                "image", ib, providers.image, lambda p: p.render(ib, out_dir), MediaResult, cache=cache
            )
        except GenerationFailed as exc:
            failed("image", f"image:{ib.language}:{ib.width}x{ib.height}:{role}", exc)
            raise
        bundle.assets.append(
            _media_asset(
                "image",
                ib.language,
                platforms,
                media,
                attempts,
                ib,
                hit,
                {"role": role, "variant": variant, "headline": ib.headline},
            )
        )
        return media

    async def make_voice(lang: str) -> MediaResult:
        vb = VoiceBrief(
            script=voice_script(copy_by_lang[lang][0], brand_name=brief.brand_name, brand_name_ar=brief.brand_name_ar),
            language=lang,
            gender=spec.voice_gender,
        )
        try:
            media, attempts, hit = await cached_chain(
                "voice", vb, providers.voice, lambda p: p.synthesize(vb, out_dir), MediaResult, cache=cache
            )
        except GenerationFailed as exc:
            failed("voice", f"voice:{lang}", exc)
            raise
        bundle.assets.append(
            _media_asset("voice", lang, platforms, media, attempts, vb, hit, {"script": vb.script})
        )
        return media

    # The video waits only for what it shows and says: the primary language's vertical ad (its end card)
    # and voice. Its other scenes are drawn from the copy by the video provider itself.
    slide_tasks: list[Callable[[], Awaitable[MediaResult]]] = []
    if spec.video and primary is not None:
        role = "feed" if tall in spec.image_sizes else "video_slide"
        slide_tasks.append(partial(make_image, image_brief(primary, copy_by_lang[primary][0], tall), role=role, variant=0))

    # The other images wait for the slides (and the voice): the process pool runs jobs in the order they
    # arrive, and jobs started beside the video's would otherwise queue in front of its slides and delay
    # the critical path (slides -> ffmpeg). Once ffmpeg runs, they fill whatever core time it leaves.
    slides_done = asyncio.Event()

    async def after_slides(job: Callable[[], Awaitable[Any]]) -> Any:
        await slides_done.wait()
        return await job()

    async def make_video() -> MediaResult | None:
        try:
            return await _make_video()
        finally:
            slides_done.set()  # never leave the other jobs waiting, whatever happened here

    async def _make_video() -> MediaResult | None:
        if not spec.video or primary is None:
            return None
        jobs: list[Callable[[], Awaitable[Any]]] = list(slide_tasks)
        voice_job_index = None
        if primary in voice_langs:
            voice_job_index = len(jobs)
            jobs.append(lambda: make_voice(primary))
        try:
            results = await run.all(jobs)
        finally:
            slides_done.set()
        slides = [r for r in results[: len(slide_tasks)] if isinstance(r, MediaResult)]
        voice = results[voice_job_index] if voice_job_index is not None else None
        if not slides:
            failed("video", f"video:{primary}", RuntimeError("no slide image could be made"))
            return None
        words = copy_by_lang[primary][0]
        vbrief = VideoBrief(
            image_paths=[s.path for s in slides],
            voice_path=voice.path if isinstance(voice, MediaResult) else None,
            width=tall[0],
            height=tall[1],
            duration_s=spec.video_duration_s,
            language=primary,
            theme=brief.theme,
            headline=words.headline,
            primary_text=words.primary_text,
            description=words.description,
            cta_label=words.cta_label,
            brand_name=brief.brand_name,
            brand_name_ar=brief.brand_name_ar,
            product=brief.product,
            offer=offer_title(offer, brief.product, primary, brief.register, words.headline),
        )
        try:
            media, attempts, hit = await cached_chain(
                "video",
                vbrief,
                providers.video,
                lambda p: p.render(vbrief, out_dir),
                MediaResult,
                cache=cache,
            )
        except GenerationFailed as exc:
            failed("video", f"video:{primary}", exc)
            return None
        bundle.assets.append(
            _media_asset(
                "video",
                primary,
                platforms,
                media,
                attempts,
                vbrief,
                hit,
                {"slides": [str(s.path) for s in slides]},
            )
        )
        return media

    others: list[Callable[[], Awaitable[Any]]] = []
    for lang in image_langs:
        variant = copy_by_lang[lang][0]
        for size in spec.image_sizes:
            if spec.video and lang == primary and size == tall:
                continue  # made as the video's slide already
            others.append(partial(make_image, image_brief(lang, variant, size), role="feed", variant=0))
    for lang in voice_langs:
        if spec.video and lang == primary:
            continue
        others.append(partial(make_voice, lang))

    # The video path is the longest: it starts as soon as its own slides and voice exist, not after every
    # asset, so the other images render while ffmpeg encodes.
    if parallel:
        others = [partial(after_slides, job) for job in others]
    await run.all([make_video, *others])
    bundle.assets.sort(key=_asset_order)
    bundle.seconds = time.perf_counter() - started
    return bundle


def _group_copy(result: CopyResult) -> dict[str, list[CopyVariant]]:
    grouped: dict[str, list[CopyVariant]] = {}
    for v in result.variants:
        grouped.setdefault(v.language, []).append(v)
    return grouped


def _media_asset(
    kind: AssetKind,
    language: str,
    platforms: list[str],
    media: MediaResult,
    attempts: list[Attempt],
    brief: BaseModel,
    cache_hit: bool,
    extra: dict[str, Any],
) -> BundleAsset:
    return BundleAsset(
        id=_asset_id(kind, media.path.name),
        kind=kind,
        language=language,
        platforms=platforms,
        path=media.path,
        mime=media.mime,
        width=media.width,
        height=media.height,
        duration_s=media.duration_s,
        provider=media.provider,
        meta={**media.meta, **extra},
        attempts=attempts,
        cache_hit=cache_hit,
        brief=brief.model_dump(mode="json"),
    )


async def regenerate_asset(
    bundle: Bundle,
    asset_id: str,
    providers: Providers,
    out_dir: Path,
    *,
    cache: GenerationCache | None = None,
) -> Bundle:
    """A new take of one asset (its brief with the next `variation`); every other asset is left as it was.

    A copy asset is replaced by a variant of the same language that the bundle does not already have.
    """
    index = next((i for i, a in enumerate(bundle.assets) if a.id == asset_id), None)
    if index is None:
        raise KeyError(f"no asset {asset_id!r} in this bundle")
    old = bundle.assets[index]
    if old.brief is None:
        raise ValueError(f"asset {asset_id!r} has no brief to regenerate from")
    variation = int(old.brief.get("variation", 0)) + 1
    new: BundleAsset
    if old.kind == "copy":
        brief = CopyBrief.model_validate({**old.brief, "variation": variation})
        taken = {(a.text or {}).get("primary_text") for a in bundle.assets if a.kind == "copy"}
        taken |= {(a.text or {}).get("headline") for a in bundle.assets if a.kind == "copy"}
        result, attempts, hit = await cached_chain(
            "copy", brief, providers.copy, lambda p: p.generate(brief), CopyResult, cache=cache
        )
        fresh = [v for v in result.variants if v.primary_text not in taken and v.headline not in taken]
        if not fresh:
            fresh = [v for v in result.variants if v.primary_text not in taken] or result.variants
        v = fresh[0]
        new = BundleAsset(
            id=_asset_id("copy", old.language, variation, v.headline, v.primary_text),
            kind="copy",
            language=old.language,
            platforms=old.platforms,
            provider=result.provider,
            text={
                "headline": v.headline,
                "primary_text": v.primary_text,
                "description": v.description,
                "cta": v.cta,
                "cta_label": v.cta_label,
            },
            meta={**old.meta, "regenerated_from": old.id},
            attempts=attempts,
            cache_hit=hit,
            brief=brief.model_dump(mode="json"),
        )
    else:
        media_brief: ImageBrief | VoiceBrief | VideoBrief
        if old.kind == "image":
            media_brief = ImageBrief.model_validate({**old.brief, "variation": variation})
            ib = media_brief
            media, attempts, hit = await cached_chain(
                "image", ib, providers.image, lambda p: p.render(ib, out_dir), MediaResult, cache=cache
            )
        elif old.kind == "voice":
            media_brief = VoiceBrief.model_validate({**old.brief, "variation": variation})
            vb = media_brief
            media, attempts, hit = await cached_chain(
                "voice", vb, providers.voice, lambda p: p.synthesize(vb, out_dir), MediaResult, cache=cache
            )
        else:
            media_brief = VideoBrief.model_validate({**old.brief, "variation": variation})
            vid = media_brief
            media, attempts, hit = await cached_chain(
                "video", vid, providers.video, lambda p: p.render(vid, out_dir), MediaResult, cache=cache
            )
        extra = {
            k: v for k, v in old.meta.items() if k in ("role", "variant", "headline", "script", "slides")
        }
        new = _media_asset(
            old.kind,
            old.language or "",
            old.platforms,
            media,
            attempts,
            media_brief,
            hit,
            {**extra, "regenerated_from": old.id},
        )
    assets = list(bundle.assets)
    assets[index] = new
    return Bundle(assets=assets, failures=list(bundle.failures), seconds=bundle.seconds)


_KIND_ORDER = {"copy": 0, "image": 1, "video": 2, "voice": 3}


def _asset_order(asset: BundleAsset) -> tuple[int, str, int, int, str]:
    return (
        _KIND_ORDER[asset.kind],
        asset.language or "",
        asset.height or 0,
        int(asset.meta.get("variant", 0)),
        asset.id,
    )
