"""Four processes starting at once on a fresh data dir: one OAuth secret and one token key, none fails."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any


def _start(data_dir: str, barrier: Any, results: Any) -> None:
    from bot.services import _cipher, _oauth_secret
    from bot.settings import Settings

    settings = Settings(_env_file=None, adly_data_dir=Path(data_dir))  # type: ignore[call-arg]
    barrier.wait()
    try:
        secret = _oauth_secret(settings)
        cipher = _cipher(settings)
        results.put(("ok", secret.hex(), cipher.primary))
    except BaseException as exc:  # reported to the test, which fails on it
        results.put(("error", repr(exc), ""))


def test_four_processes_create_the_secrets_once(tmp_path: Path) -> None:
    spawn = multiprocessing.get_context("spawn")
    for attempt in range(3):  # the race is a matter of timing: a few fresh starts
        data_dir = tmp_path / f"data{attempt}"
        barrier, results = spawn.Barrier(4), spawn.Queue()
        workers = [spawn.Process(target=_start, args=(str(data_dir), barrier, results)) for _ in range(4)]
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=120) for _ in workers]
        for worker in workers:
            worker.join(30)
        assert all(kind == "ok" for kind, _, _ in outcomes), outcomes
        assert len({secret for _, secret, _ in outcomes}) == 1 and len(outcomes[0][1]) == 64
        assert len({primary for _, _, primary in outcomes}) == 1
        assert not [p for p in data_dir.iterdir() if p.name.endswith(".tmp")]
