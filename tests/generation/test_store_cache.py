"""One cache: the flow's store-backed cache is a GenerationCache, keyed like `adly generate`'s, same hit rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from agent.assets import StoreCache, produce
from bot.services import Services, open_services
from bot.settings import Settings
from store.models import ContentAsset, GenerationJob
from tools.generation.base import (
    CopyBrief,
    CopyResult,
    GenerationCache,
    ImageBrief,
    MediaResult,
    MemoryCache,
    Providers,
    cache_key,
)
from tools.generation.image import ProceduralImageProvider
from tools.generation.studio import BundleSpec, generate_bundle
from tools.generation.text import TemplateCopyProvider


class CountingImages(ProceduralImageProvider):
    def __init__(self) -> None:
        self.calls = 0

    async def render(self, brief: ImageBrief, out_dir: Path) -> MediaResult:
        self.calls += 1
        return await super().render(brief, out_dir)


def _row(result: MediaResult) -> dict[str, Any]:
    return {"mime": result.mime, "width": result.width, "height": result.height, "provider": result.provider}


async def _count(services: Services, model: type) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _image(services: Services, state: dict[str, Any], brief: ImageBrief, images: CountingImages) -> tuple[str, bool]:
    async def call(provider: CountingImages, work_dir: Path) -> MediaResult:
        return await provider.render(brief, work_dir)

    return await produce(
        services.ctx,
        state=state,
        kind="image",
        language=brief.language,
        brief=brief.model_dump(mode="json"),
        providers=[images],
        call=call,
        to_row=_row,
    )


async def test_store_cache_round_trips_a_result_through_the_protocol(settings: Settings) -> None:
    async with open_services(settings) as services:
        ws = await services.local_workspace("console:tester")
        result = await TemplateCopyProvider().generate(CopyBrief(theme="ramadan", languages=["ar"]))

        def to_row(r: CopyResult) -> dict[str, Any]:
            return {"text": r.variants[0].model_dump(), "provider": r.provider}

        cache: GenerationCache = StoreCache(  # the flow's cache is the tools' protocol, checked by mypy
            services.ctx, workspace_id=ws.id, conversation_id=None, kind="copy", language="ar",
            brief={"theme": "ramadan"}, result_type=CopyResult, to_row=to_row,
        )
        assert await cache.get("k1") is None
        await cache.put("k1", result.model_dump(mode="json"))
        stored = await cache.get("k1")
        assert stored is not None and CopyResult.model_validate(stored) == result
        assert await cache.get("k2") is None


async def test_the_flow_hits_its_store_cache_and_a_variation_misses(settings: Settings) -> None:
    async with open_services(settings) as services:
        ws = await services.local_workspace("console:tester")
        state = {"workspace_id": ws.id}
        images = CountingImages()
        brief = ImageBrief(theme="ramadan", headline="ليالي رمضان", cta_label="تسوّقي", language="ar")

        first, hit = await _image(services, state, brief, images)
        assert not hit and images.calls == 1
        jobs = await _count(services, GenerationJob)
        again, hit = await _image(services, state, brief.model_copy(), images)
        assert hit and again == first and images.calls == 1  # identical brief: nothing made
        assert await _count(services, GenerationJob) == jobs  # and no job recorded for a hit

        other, hit = await _image(services, state, brief.model_copy(update={"variation": 1}), images)
        assert not hit and other != first and images.calls == 2  # regenerate-one: a new take

        async with services.sessions() as session:
            row = await session.get(ContentAsset, first)
        assert row is not None and row.file_path is not None
        # The row's key is the very key `adly generate`'s cache uses for that brief and line-up.
        assert row.brief_hash == cache_key("image", brief, [images.name])
        assert not (services.ctx.asset_dir / "work").exists() or not any((services.ctx.asset_dir / "work").iterdir())

        (services.ctx.asset_dir / row.file_path).unlink()  # a cleaned asset store makes it again
        remade, hit = await _image(services, state, brief, images)
        assert not hit and remade != first and images.calls == 3
        assert await _count(services, ContentAsset) == 3


async def test_memory_and_store_caches_share_one_key(tmp_path: Path) -> None:
    """generate_bundle asks its cache for exactly cache_key(kind, brief, providers): the store's brief_hash."""

    class Recording(MemoryCache):
        def __init__(self) -> None:
            super().__init__()
            self.asked: list[str] = []

        async def get(self, key: str) -> dict[str, Any] | None:
            self.asked.append(key)
            return await super().get(key)

    cache = Recording()
    copy, images = TemplateCopyProvider(), ProceduralImageProvider()
    spec = BundleSpec(
        copy_brief=CopyBrief(theme="ramadan", languages=["en"]), image_sizes=[(1080, 1080)], video=False, voice=False
    )
    bundle = await generate_bundle(spec, Providers(copy=[copy], image=[images]), tmp_path, cache=cache)
    image = next(a for a in bundle.assets if a.kind == "image")
    assert image.brief is not None
    assert cache_key("image", ImageBrief.model_validate(image.brief), [images.name]) in cache.asked
    assert cache_key("copy", spec.copy_brief, [copy.name]) in cache.asked
