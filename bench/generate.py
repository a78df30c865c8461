"""Benchmark: wall time of the seed campaign's full offline bundle, parallel vs the same work in sequence."""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.parsing import parse_instruction  # noqa: E402
from bot.generate_command import bundle_spec_from_request  # noqa: E402
from tools.generation.studio import generate_bundle, offline_providers  # noqa: E402

SEED = (
    "Create Instagram and TikTok campaign for Ramadan sale with 1000 SAR budget "
    "targeting women 25-40 in Riyadh"
)
TARGET_WALL_S = 15.0
TARGET_SPEEDUP = 1.5


async def _once(parallel: bool, root: Path, i: int) -> tuple[float, int]:
    spec = bundle_spec_from_request(parse_instruction(SEED, today=date(2025, 2, 10)))
    out = root / f"{'par' if parallel else 'seq'}{i}"
    started = time.perf_counter()
    bundle = await generate_bundle(spec, offline_providers(), out, parallel=parallel)
    wall = time.perf_counter() - started
    if bundle.failures:
        raise SystemExit(f"bundle failed: {[f.label + ': ' + f.error for f in bundle.failures]}")
    shutil.rmtree(out, ignore_errors=True)
    return wall, len(bundle.assets)


async def main(rounds: int) -> dict[str, object]:
    par: list[float] = []
    seq: list[float] = []
    with tempfile.TemporaryDirectory(prefix="adly-bench-") as tmp:
        root = Path(tmp)
        await _once(True, root, -1)  # warm-up: imports, font loading, the page cache for ffmpeg
        assets = 0
        # Interleaved so background load on the machine hits both modes alike.
        for i in range(rounds):
            wall, assets = await _once(True, root, i)
            par.append(wall)
            wall, _ = await _once(False, root, i)
            seq.append(wall)
    p, s = statistics.median(par), statistics.median(seq)
    return {
        "bench": "generate",
        "assets": assets,
        "rounds": rounds,
        "parallel_s": {"median": round(p, 3), "min": round(min(par), 3), "all": [round(x, 3) for x in par]},
        "sequential_s": {"median": round(s, 3), "min": round(min(seq), 3), "all": [round(x, 3) for x in seq]},
        "speedup_median": round(s / p, 2),
        "target": {"wall_s": TARGET_WALL_S, "speedup": TARGET_SPEEDUP},
        "meets_wall_target": p < TARGET_WALL_S,
        "meets_speedup_target": s / p >= TARGET_SPEEDUP,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    result = asyncio.run(main(parser.parse_args().rounds))
    print(json.dumps(result))
