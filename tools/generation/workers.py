"""CPU-bound rendering off the event loop: a shared process pool (both cores, no GIL) or one thread when asked."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

# False inside `in_process()`: work that runs one job at a time gains nothing from another process and
# would only pay the round trip, so the sequential bundle (and its benchmark baseline) renders in a thread.
_OFFLOAD: ContextVar[bool] = ContextVar("adly_generation_offload", default=True)

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


def worker_count() -> int:
    """One worker per core this process may run on: Pillow drawing is one core's work per image."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _init_worker(parent: int) -> None:
    """Tie the worker's life to its parent's, then import the renderers once (not with the first image)."""
    threading.Thread(target=_exit_with_parent, args=(parent,), name="adly-orphan-watch", daemon=True).start()
    import tools.generation.image  # noqa: F401


def _exit_with_parent(parent: int) -> None:
    # A parent killed outright (SIGKILL, OOM) never shuts its pool down, and the workers hold both ends of
    # their job queue, so they would wait forever (keeping the parent's stdout pipe open). Re-parenting
    # is how a worker learns its parent is gone.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def shared_pool() -> ProcessPoolExecutor:
    """The process pool every bundle and flow branch shares, started on first use and kept for the process.

    spawn, not fork: the parent runs an event loop, database connections and HTTP clients on threads,
    and forking a threaded process can leave a child holding a lock nobody will release. Like every spawn
    pool, a worker imports the parent's main script, so a script that renders needs the usual
    `if __name__ == "__main__":` guard (without it the pool breaks and run_cpu falls back to a thread).
    """
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=worker_count(),
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(os.getpid(),),
            )
        return _pool


def warm_pool() -> None:
    """Start every worker now, without waiting: a long-running process (`adly serve`) calls it at startup so
    the first campaign's images do not wait ~0.5 s for workers to spawn and import the renderers."""
    pool = shared_pool()
    for _ in range(worker_count()):
        pool.submit(os.getpid)


def shutdown_pool() -> None:
    """Stop the workers (tests, and a pool that broke); the next render starts a fresh pool."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def in_process() -> Iterator[None]:
    """Within this block (and tasks started in it) CPU work runs on a thread of this process."""
    token = _OFFLOAD.set(False)
    try:
        yield
    finally:
        _OFFLOAD.reset(token)


def offloading() -> bool:
    return _OFFLOAD.get()


async def run_cpu(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args) in the shared process pool (fn and args must pickle), or on a thread under in_process().

    A pool whose worker died (killed, out of memory) is replaced and the job runs once on a thread, so one
    crash costs speed, not the asset.
    """
    if not offloading():
        return await asyncio.to_thread(fn, *args)
    pool = shared_pool()
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)
    except BrokenProcessPool:
        _discard(pool)
        return await asyncio.to_thread(fn, *args)


def _discard(pool: ProcessPoolExecutor) -> None:
    """Forget a broken pool (unless another job already replaced it) and reap what is left of it."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)
