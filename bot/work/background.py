"""Work that outlives the request that started it, held in this process until done (or cancelled at shutdown)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)


class TaskSet:
    """Work that outlives the request that started it (Slack acks first): referenced until done, drainable."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(
        self, work: Coroutine[Any, Any, Any], *, name: str | None = None,
        on_error: Callable[[BaseException, str], Awaitable[None]] | None = None,
    ) -> asyncio.Task[Any]:
        """Run `work` in the background; a failure is logged with a reference id and handed to `on_error`."""

        async def guarded() -> Any:
            try:
                return await work
            except asyncio.CancelledError:
                raise
            except BaseException as exc:
                reference = uuid.uuid4().hex[:8]
                log.exception("background work %s failed (reference %s)", name or "task", reference)
                if on_error is not None:
                    try:
                        await on_error(exc, reference)
                    except Exception:
                        log.exception("reporting failure %s failed too", reference)
                raise

        task = asyncio.create_task(guarded(), name=name)
        # The event loop keeps only weak references to tasks: without this set, work could vanish mid-flight.
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved here so asyncio does not warn; guarded() already logged it

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def drain(self) -> None:
        """Wait until no background work is left (work may spawn more work; that is waited for too)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(set(self._tasks))
