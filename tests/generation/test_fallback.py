"""The fallback chain: a failing provider hands over to the next, and the attempts say what happened."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tools.generation.base import (
    CopyBrief,
    CopyResult,
    GenerationFailed,
    ImageBrief,
    MediaResult,
    Providers,
    run_chain,
)
from tools.generation.image import ProceduralImageProvider
from tools.generation.studio import BundleSpec, generate_bundle
from tools.generation.text import TemplateCopyProvider


class BrokenCopy:
    name = "broken-copy"

    async def generate(self, brief: CopyBrief) -> CopyResult:
        raise ConnectionError("model endpoint unreachable")


class SlowCopy:
    name = "slow-copy"

    async def generate(self, brief: CopyBrief) -> CopyResult:
        await asyncio.sleep(5)
        raise AssertionError("unreachable")


class BrokenImages:
    name = "broken-images"

    async def render(self, brief: ImageBrief, out_dir: Path) -> MediaResult:
        raise RuntimeError("quota exceeded")


async def test_failing_provider_falls_back_and_attempts_record_it() -> None:
    brief = CopyBrief(theme="ramadan", languages=["en"], platforms=["meta"])
    result, attempts = await run_chain([BrokenCopy(), TemplateCopyProvider()], lambda p: p.generate(brief))
    assert result.provider == "templates"
    assert [(a.provider, a.ok) for a in attempts] == [("broken-copy", False), ("templates", True)]
    assert attempts[0].error == "ConnectionError: model endpoint unreachable"
    assert attempts[0].finished_at >= attempts[0].started_at


async def test_timeout_counts_as_failure() -> None:
    brief = CopyBrief(languages=["en"], platforms=["meta"])
    result, attempts = await run_chain(
        [SlowCopy(), TemplateCopyProvider()], lambda p: p.generate(brief), timeout_s=0.05
    )
    assert result.provider == "templates"
    assert attempts[0].ok is False and "TimeoutError" in (attempts[0].error or "")


async def test_all_failing_raises_with_every_attempt() -> None:
    brief = CopyBrief(languages=["en"], platforms=["meta"])
    with pytest.raises(GenerationFailed) as info:
        await run_chain([BrokenCopy(), BrokenCopy()], lambda p: p.generate(brief))
    assert [a.provider for a in info.value.attempts] == ["broken-copy", "broken-copy"]
    assert all(not a.ok for a in info.value.attempts)


async def test_bundle_uses_fallback_image_provider_and_reports_attempts(tmp_path: Path) -> None:
    providers = Providers(
        copy=[BrokenCopy(), TemplateCopyProvider()], image=[BrokenImages(), ProceduralImageProvider()]
    )
    spec = BundleSpec(
        copy_brief=CopyBrief(theme="eid", languages=["ar"], platforms=["meta"]), video=False, voice=False
    )
    bundle = await generate_bundle(spec, providers, tmp_path)
    images = [a for a in bundle.assets if a.kind == "image"]
    assert len(images) == 3 and not bundle.failures
    for image in images:
        assert image.provider == "procedural"
        assert [(a.provider, a.ok) for a in image.attempts] == [
            ("broken-images", False),
            ("procedural", True),
        ]
    copy = [a for a in bundle.assets if a.kind == "copy"]
    assert copy and copy[0].attempts[0].provider == "broken-copy"


async def test_bundle_records_failures_instead_of_raising(tmp_path: Path) -> None:
    providers = Providers(copy=[TemplateCopyProvider()], image=[BrokenImages()])
    spec = BundleSpec(copy_brief=CopyBrief(languages=["en"], platforms=["meta"]), video=False, voice=False)
    bundle = await generate_bundle(spec, providers, tmp_path)
    assert [a.kind for a in bundle.assets] == ["copy"] * 3
    assert len(bundle.failures) == 3
    assert bundle.failures[0].attempts[0].error == "RuntimeError: quota exceeded"
