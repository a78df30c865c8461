"""Parallel generation: images in worker processes (same bytes as in-process), a pipelined video, no orphans."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tools.generation import workers
from tools.generation.base import CopyBrief, ImageBrief, MediaResult, Providers, VideoBrief
from tools.generation.image import ProceduralImageProvider
from tools.generation.studio import BundleSpec, generate_bundle
from tools.generation.text import TemplateCopyProvider
from tools.generation.video import StoryboardVideoProvider
from tools.generation.voice import EspeakVoiceProvider


def _brief(language: str = "ar", size: tuple[int, int] = (1080, 1350)) -> ImageBrief:
    return ImageBrief(
        theme="ramadan",
        headline="ليالي رمضان أحلى معنا" if language == "ar" else "Ramadan Nights",
        cta_label="تسوّقي الحين" if language == "ar" else "Shop Now",
        language=language,
        width=size[0],
        height=size[1],
    )


async def test_worker_process_renders_the_same_bytes_as_this_process(tmp_path: Path) -> None:
    for language in ("ar", "en"):
        brief = _brief(language)
        pooled = await ProceduralImageProvider().render(brief, tmp_path / "pool")
        with workers.in_process():
            threaded = await ProceduralImageProvider().render(brief, tmp_path / "thread")
        assert pooled.path.name == threaded.path.name
        assert pooled.path.read_bytes() == threaded.path.read_bytes()


async def test_the_pool_runs_jobs_side_by_side_outside_this_process(tmp_path: Path) -> None:
    await ProceduralImageProvider().render(_brief(), tmp_path)  # pool started, workers warm
    pids = await asyncio.gather(*(workers.run_cpu(os.getpid) for _ in range(4)))
    assert os.getpid() not in pids  # the work left this process, and with it the GIL
    if workers.worker_count() < 2:
        return  # one core, one worker: nothing overlaps
    started = time.perf_counter()
    await asyncio.gather(workers.run_cpu(time.sleep, 0.5), workers.run_cpu(time.sleep, 0.5))
    assert time.perf_counter() - started < 0.9  # two workers at once (sleep: immune to a busy machine)
    with workers.in_process():
        assert await workers.run_cpu(os.getpid) == os.getpid()


async def test_a_dead_worker_costs_speed_not_the_asset(tmp_path: Path) -> None:
    await ProceduralImageProvider().render(_brief(), tmp_path / "before")
    pool = workers.shared_pool()
    for pid in list(pool._processes):  # noqa: SLF001 - the test plays the OOM killer
        os.kill(pid, signal.SIGKILL)
    result = await ProceduralImageProvider().render(_brief("en"), tmp_path / "after")
    assert result.path.is_file()
    again = await ProceduralImageProvider().render(_brief("en", (1080, 1080)), tmp_path / "again")
    assert again.path.is_file() and workers.shared_pool() is not pool  # a fresh pool took over


def test_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import asyncio, os, signal, sys
        from pathlib import Path
        from tools.generation.base import ImageBrief
        from tools.generation.image import ProceduralImageProvider

        async def main():
            brief = ImageBrief(headline="Sale", cta_label="Shop", language="en")
            await ProceduralImageProvider().render(brief, Path(sys.argv[1]))
            print("rendered", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

        if __name__ == "__main__":
            asyncio.run(main())
        """
    )
    (tmp_path / "killme.py").write_text(script)
    # capture_output waits for every holder of the stdout pipe: workers left behind would time this out.
    proc = subprocess.run(
        [sys.executable, str(tmp_path / "killme.py"), str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == -signal.SIGKILL and "rendered" in proc.stdout, proc.stderr[-2000:]


class _Recording:
    """Wraps a provider and notes when each call started and finished (perf_counter seconds)."""

    def __init__(self, inner: object, log: list[tuple[str, float, float]], delay_1x1_s: float = 0.0) -> None:
        self.inner = inner
        self.name = inner.name  # type: ignore[attr-defined]
        self.log = log
        self.delay_1x1_s = delay_1x1_s

    async def render(self, brief: ImageBrief | VideoBrief, out_dir: Path) -> MediaResult:
        started = time.perf_counter()
        if isinstance(brief, ImageBrief) and brief.width == brief.height:
            await asyncio.sleep(self.delay_1x1_s)  # a slow feed image: the video must not wait for it
        result: MediaResult = await self.inner.render(brief, out_dir)  # type: ignore[attr-defined]
        label = "video" if isinstance(brief, VideoBrief) else f"image {brief.language} {brief.width}x{brief.height}"
        self.log.append((label, started, time.perf_counter()))
        return result


async def test_the_video_starts_before_the_feed_images_finish(tmp_path: Path) -> None:
    log: list[tuple[str, float, float]] = []
    providers = Providers(
        copy=[TemplateCopyProvider()],
        image=[_Recording(ProceduralImageProvider(), log, delay_1x1_s=1.0)],  # type: ignore[list-item]
        voice=[EspeakVoiceProvider()],
        video=[_Recording(StoryboardVideoProvider(), log)],  # type: ignore[list-item]
    )
    spec = BundleSpec(
        copy_brief=CopyBrief(theme="ramadan", objective="sales", languages=["ar", "en"]),
        voice_languages=["ar"],
    )
    bundle = await generate_bundle(spec, providers, tmp_path)
    assert not bundle.failures
    video_start = next(start for label, start, _ in log if label == "video")
    square_ends = [end for label, _, end in log if label.endswith("1080x1080")]
    slide_ends = [end for label, _, end in log if label == "image ar 1080x1920"]  # its end card: the Arabic 9:16 ad
    assert len(square_ends) == 2 and len(slide_ends) == 1
    assert max(slide_ends) <= video_start < min(square_ends)


async def test_warming_the_pool_starts_every_worker_without_waiting() -> None:
    workers.shutdown_pool()
    started = time.perf_counter()
    workers.warm_pool()
    assert time.perf_counter() - started < 0.5  # returns at once; the workers spawn in the background
    pool = workers.shared_pool()
    for _ in range(600):  # up to 30 s on a busy machine
        if len(getattr(pool, "_processes", {}) or {}) >= workers.worker_count():
            break
        await asyncio.sleep(0.05)
    assert len(pool._processes or {}) == workers.worker_count()  # type: ignore[attr-defined]
    assert os.getpid() not in await asyncio.gather(*(workers.run_cpu(os.getpid) for _ in range(2)))
