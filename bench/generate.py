"""Benchmark: wall time of the seed campaign's full offline bundle, parallel vs the same work in sequence.

Both modes make the same 15 assets with the same settings into fresh folders (no cache): parallel renders
the images in the shared process pool and encodes the video as soon as its end card (the Arabic 9:16 ad) and voice exist;
sequential makes one asset at a time, images on a thread of this process (a worker process would only add
a round trip when nothing else runs). Rounds are interleaved so background load hits both modes alike.

The profile makes the bundle once more in sequence with every provider call timed (wall and CPU, this
process plus its children) and states the best speedup two cores allow: the sequential wall divided by
the larger of (all CPU seconds / cores) and the critical path (copy, a slide, the video). ffmpeg already
runs its encoder on every core when it is alone, so its share of the work cannot go faster in parallel.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.parsing import parse_instruction  # noqa: E402
from bot.generate_command import bundle_spec_from_request  # noqa: E402
from tools.generation.base import (  # noqa: E402
    CopyBrief,
    CopyResult,
    ImageBrief,
    MediaResult,
    Providers,
    VideoBrief,
    VoiceBrief,
)
from tools.generation.studio import BundleSpec, generate_bundle, offline_providers  # noqa: E402
from tools.generation.workers import worker_count  # noqa: E402

SEED = (
    "Create Instagram and TikTok campaign for Ramadan sale with 1000 SAR budget "
    "targeting women 25-40 in Riyadh"
)
TARGET_WALL_S = 15.0
TARGET_SPEEDUP = 1.5
T = TypeVar("T")


def _spec() -> BundleSpec:
    return bundle_spec_from_request(parse_instruction(SEED, today=date(2025, 2, 10)))


def _machine_busy_s() -> float | None:
    """CPU seconds the whole machine has been busy (Linux): counts pool workers, which are not our children."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return None
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # ffmpeg, espeak-ng: counted once reaped
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


async def _once(parallel: bool, root: Path, i: int) -> tuple[float, float | None, int]:
    out = root / f"{'par' if parallel else 'seq'}{i}"
    busy = _machine_busy_s()
    started = time.perf_counter()
    bundle = await generate_bundle(_spec(), offline_providers(), out, parallel=parallel)
    wall = time.perf_counter() - started
    busy_after = _machine_busy_s()
    if bundle.failures:
        raise SystemExit(f"bundle failed: {[f.label + ': ' + f.error for f in bundle.failures]}")
    shutil.rmtree(out, ignore_errors=True)
    cpu = busy_after - busy if busy is not None and busy_after is not None else None
    return wall, cpu, len(bundle.assets)


class _Timed:
    """Wraps one provider: same name (so the same cache keys), each call's wall and CPU appended to `log`."""

    def __init__(self, inner: Any, log: list[dict[str, Any]]) -> None:
        self.inner = inner
        self.name = inner.name
        self.log = log

    async def _time(self, label: str, call: Callable[[], Awaitable[T]]) -> T:
        cpu, started = _own_cpu_s(), time.perf_counter()
        result = await call()
        wall = time.perf_counter() - started
        self.log.append({"asset": label, "wall_s": round(wall, 3), "cpu_s": round(_own_cpu_s() - cpu, 3)})
        return result

    async def generate(self, brief: CopyBrief) -> CopyResult:
        return await self._time("copy", lambda: self.inner.generate(brief))

    async def synthesize(self, brief: VoiceBrief, out_dir: Path) -> MediaResult:
        return await self._time(f"voice {brief.language}", lambda: self.inner.synthesize(brief, out_dir))

    async def render(self, brief: ImageBrief | VideoBrief, out_dir: Path) -> MediaResult:
        if isinstance(brief, VideoBrief):
            label = f"video {brief.language} {brief.width}x{brief.height} ({len(brief.image_paths)} end card)"
        else:
            label = f"image {brief.language} {brief.width}x{brief.height}"
        return await self._time(label, lambda: self.inner.render(brief, out_dir))


async def profile(root: Path) -> dict[str, Any]:
    """One sequential bundle with every provider call timed, and the speedup bound that follows from it."""
    log: list[dict[str, Any]] = []
    base = offline_providers()
    timed = Providers(
        copy=[_Timed(p, log) for p in base.copy],
        image=[_Timed(p, log) for p in base.image],
        voice=[_Timed(p, log) for p in base.voice],
        video=[_Timed(p, log) for p in base.video],
    )
    cpu, started = _own_cpu_s(), time.perf_counter()
    await generate_bundle(_spec(), timed, root / "profile", parallel=False)  # type: ignore[arg-type]
    wall, cpu = time.perf_counter() - started, _own_cpu_s() - cpu
    shutil.rmtree(root / "profile", ignore_errors=True)
    cores = worker_count()
    video = next(e for e in log if e["asset"].startswith("video"))
    slides = [e for e in log if e["asset"].startswith("image") and e["asset"].endswith("1080x1920")]
    copy = sum(e["wall_s"] for e in log if e["asset"] == "copy")
    # The video needs its end card image and then encodes; nothing shortens that chain.
    critical = copy + max((e["cpu_s"] for e in slides), default=0.0) + video["wall_s"]
    floor = max(cpu / cores, critical)
    by_kind: dict[str, dict[str, float]] = {}
    for e in log:
        kind = e["asset"].split()[0]
        agg = by_kind.setdefault(kind, {"wall_s": 0.0, "cpu_s": 0.0})
        agg["wall_s"] = round(agg["wall_s"] + e["wall_s"], 3)
        agg["cpu_s"] = round(agg["cpu_s"] + e["cpu_s"], 3)
    return {
        "cores": cores,
        "sequential_wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "by_kind": by_kind,
        "assets": log,
        "critical_path_s": round(critical, 3),
        "parallel_floor_s": round(floor, 3),
        "speedup_bound": round(wall / floor, 2),
    }


async def main(rounds: int, with_profile: bool) -> dict[str, object]:
    par: list[float] = []
    seq: list[float] = []
    par_cpu: list[float] = []
    seq_cpu: list[float] = []
    with tempfile.TemporaryDirectory(prefix="adly-bench-") as tmp:
        root = Path(tmp)
        # Warm-up, both modes: imports, fonts, the pool's workers, the page cache for ffmpeg. Files are
        # deleted after every run and nothing is cached, so each timed run makes all 15 assets.
        await _once(True, root, -1)
        await _once(False, root, -1)
        assets = 0
        # Interleaved so background load on the machine hits both modes alike.
        for i in range(rounds):
            wall, cpu, assets = await _once(True, root, i)
            par.append(wall)
            par_cpu += [cpu] if cpu is not None else []
            wall, cpu, _ = await _once(False, root, i)
            seq.append(wall)
            seq_cpu += [cpu] if cpu is not None else []
        prof = await profile(root) if with_profile else None
    p, s = statistics.median(par), statistics.median(seq)
    result: dict[str, object] = {
        "bench": "generate",
        "assets": assets,
        "rounds": rounds,
        "parallel_s": {"median": round(p, 3), "min": round(min(par), 3), "all": [round(x, 3) for x in par]},
        "sequential_s": {"median": round(s, 3), "min": round(min(seq), 3), "all": [round(x, 3) for x in seq]},
        # Whole-machine busy CPU seconds per run (other work on the machine shows up here too).
        "machine_cpu_s": {
            "parallel_median": round(statistics.median(par_cpu), 3) if par_cpu else None,
            "sequential_median": round(statistics.median(seq_cpu), 3) if seq_cpu else None,
        },
        "speedup_median": round(s / p, 2),
        "target": {"wall_s": TARGET_WALL_S, "speedup": TARGET_SPEEDUP},
        "meets_wall_target": p < TARGET_WALL_S,
        "meets_speedup_target": s / p >= TARGET_SPEEDUP,
    }
    if prof is not None:
        result["profile"] = prof
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-profile", action="store_true", help="skip the per-asset profile and bound")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.rounds, not args.no_profile))))
