"""Identical briefs hit the cache; regenerating one asset leaves every other asset untouched."""

from __future__ import annotations

from pathlib import Path

from tools.generation.base import CopyBrief, CopyResult, ImageBrief, MediaResult, MemoryCache, Providers
from tools.generation.image import ProceduralImageProvider
from tools.generation.studio import BundleSpec, generate_bundle, regenerate_asset
from tools.generation.text import TemplateCopyProvider
from tools.generation.video import StoryboardVideoProvider
from tools.generation.voice import EspeakVoiceProvider


class CountingCopy(TemplateCopyProvider):
    def __init__(self) -> None:
        self.calls = 0

    async def generate(self, brief: CopyBrief) -> CopyResult:
        self.calls += 1
        return await super().generate(brief)


class CountingImages(ProceduralImageProvider):
    def __init__(self) -> None:
        self.calls = 0

    async def render(self, brief: ImageBrief, out_dir: Path) -> MediaResult:
        self.calls += 1
        return await super().render(brief, out_dir)


def _spec(video: bool = False) -> BundleSpec:
    brief = CopyBrief(
        theme="ramadan", objective="sales", languages=["ar", "en"], platforms=["meta", "tiktok"]
    )
    return BundleSpec(copy_brief=brief, video=video, voice=video, voice_languages=["ar"] if video else None)


async def test_identical_briefs_hit_the_cache(tmp_path: Path) -> None:
    copy, images = CountingCopy(), CountingImages()
    providers = Providers(copy=[copy], image=[images])
    cache = MemoryCache()
    first = await generate_bundle(_spec(), providers, tmp_path, cache=cache)
    assert (copy.calls, images.calls) == (1, 6)
    assert not any(a.cache_hit for a in first.assets)
    second = await generate_bundle(_spec(), providers, tmp_path, cache=cache)
    assert (copy.calls, images.calls) == (1, 6)  # nothing was made again
    assert all(a.cache_hit for a in second.assets)
    assert [a.id for a in second.assets] == [a.id for a in first.assets]
    assert [a.path for a in second.assets] == [a.path for a in first.assets]


async def test_a_deleted_file_is_a_cache_miss(tmp_path: Path) -> None:
    images = CountingImages()
    providers = Providers(copy=[TemplateCopyProvider()], image=[images])
    cache = MemoryCache()
    first = await generate_bundle(_spec(), providers, tmp_path, cache=cache)
    victim = next(a for a in first.assets if a.kind == "image")
    assert victim.path is not None
    victim.path.unlink()
    await generate_bundle(_spec(), providers, tmp_path, cache=cache)
    assert images.calls == 7 and victim.path.is_file()


async def test_regenerate_one_image_leaves_the_others(tmp_path: Path) -> None:
    images = CountingImages()
    providers = Providers(copy=[TemplateCopyProvider()], image=[images])
    bundle = await generate_bundle(_spec(), providers, tmp_path)
    target = next(a for a in bundle.assets if a.kind == "image" and a.language == "ar" and a.height == 1350)
    before = {a.id: (a.path, a.path.stat().st_mtime_ns if a.path else None) for a in bundle.assets}
    again = await regenerate_asset(bundle, target.id, providers, tmp_path)
    assert images.calls == 7  # exactly one new render
    changed = [a for a in again.assets if a.id not in before]
    assert len(changed) == 1 and len(again.assets) == len(bundle.assets)
    new = changed[0]
    assert (new.kind, new.language, new.width, new.height) == ("image", "ar", 1080, 1350)
    assert new.path != target.path and new.path is not None and new.path.is_file()
    assert new.meta["regenerated_from"] == target.id and new.brief and new.brief["variation"] == 1
    for a in again.assets:
        if a is not new:
            assert (a.path, a.path.stat().st_mtime_ns if a.path else None) == before[a.id]
    assert target.path is not None and target.path.is_file()  # the old take stays until the caller drops it


async def test_regenerate_one_copy_variant(tmp_path: Path) -> None:
    providers = Providers(copy=[TemplateCopyProvider()], image=[ProceduralImageProvider()])
    bundle = await generate_bundle(_spec(), providers, tmp_path)
    copies = [a for a in bundle.assets if a.kind == "copy" and a.language == "ar"]
    target = copies[1]
    again = await regenerate_asset(bundle, target.id, providers, tmp_path)
    new = [a for a in again.assets if a.kind == "copy" and a.language == "ar"]
    assert new[0].id == copies[0].id and new[2].id == copies[2].id
    assert new[1].id != target.id and new[1].text and target.text
    assert new[1].text["primary_text"] not in {c.text["primary_text"] for c in copies if c.text}
    others_before = [a.id for a in bundle.assets if a.id != target.id]
    assert [a.id for a in again.assets if a.id != new[1].id] == others_before


async def test_regenerate_video_uses_the_same_slides(tmp_path: Path) -> None:
    providers = Providers(
        copy=[TemplateCopyProvider()],
        image=[ProceduralImageProvider()],
        voice=[EspeakVoiceProvider()],
        video=[StoryboardVideoProvider()],
    )
    spec = _spec(video=True)
    spec.image_sizes = []
    bundle = await generate_bundle(spec, providers, tmp_path)
    video = next(a for a in bundle.assets if a.kind == "video")
    again = await regenerate_asset(bundle, video.id, providers, tmp_path)
    new = next(a for a in again.assets if a.kind == "video")
    assert new.path != video.path and new.meta["slides"] == video.meta["slides"]
    assert [a.id for a in again.assets if a.kind != "video"] == [
        a.id for a in bundle.assets if a.kind != "video"
    ]
