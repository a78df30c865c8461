"""The work queue: doors defer named jobs after the ack; workers run them.

Two implementations of one contract:

- `InProcessQueue` (the embedded SQLite default): a deferred job runs at once in this process's background task
  set, as the flow always has on one machine.
- `PostgresQueue` (a PostgreSQL `DATABASE_URL`): jobs are rows in PostgreSQL, through procrastinate. Any process
  may defer; `adly worker` processes (or `adly serve` itself when it runs no workers) fetch and run them. A worker
  that dies mid-job stops sending heartbeats; another worker's sweep puts its jobs back in the queue
  (`JobRun.attempt` > 0), and their handlers resume from what was stored (the conversation's checkpoint, the
  publish ledger) instead of starting over.

A handler receives the job's JSON payload and its `JobRun`. A job that raises is reported (`on_error`) and not
retried: a failed flow is retried by a person (the Retry button) or the scheduler, never blindly.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.work.background import TaskSet

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobRun:
    """What a handler knows about this run of its job."""

    name: str
    attempt: int = 0  # 0: the first run; more: run again after the worker running it died


Handler = Callable[[dict[str, Any], JobRun], Awaitable[Any]]
ErrorReport = Callable[[dict[str, Any], BaseException, str], Awaitable[None]]  # (payload, error, reference)


class UnknownJob(LookupError):
    """A job name nothing registered: a bug in the door that deferred it."""


@dataclass
class _Registration:
    handler: Handler
    on_error: ErrorReport | None = None


@dataclass
class WorkQueue:
    """Named jobs and where they run; see the module docstring."""

    handlers: dict[str, _Registration] = field(default_factory=dict)

    def register(self, name: str, handler: Handler, *, on_error: ErrorReport | None = None) -> None:
        self.handlers[name] = _Registration(handler, on_error)

    async def defer(self, name: str, payload: dict[str, Any], *, lock: str | None = None,
                    single: bool = False) -> bool:
        """Queue `name(payload)`. `lock`: jobs sharing it run one at a time, in order. `single`: not queued when
        one of the same name is already waiting (a scheduler tick). True when queued."""
        raise NotImplementedError

    async def run(self, name: str, payload: dict[str, Any], attempt: int = 0) -> Any:
        """Run one job here and now, reporting a failure through its `on_error` (then re-raising it)."""
        registration = self.handlers.get(name)
        if registration is None:
            raise UnknownJob(name)
        try:
            return await registration.handler(payload, JobRun(name, attempt))
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            reference = uuid.uuid4().hex[:8]
            log.exception("job %s failed (reference %s)", name, reference)
            if registration.on_error is not None:
                try:
                    await registration.on_error(payload, exc, reference)
                except Exception:
                    log.exception("reporting the failure %s failed too", reference)
            raise

    @property
    def runs_here(self) -> bool:
        """True when deferred jobs run in this process's task set (drainable by tests and shutdown)."""
        return False


class InProcessQueue(WorkQueue):
    """Jobs run at once in this process (the embedded default): nothing to install, nothing to start."""

    def __init__(self, background: TaskSet) -> None:
        super().__init__()
        self.background = background
        self._single: set[str] = set()

    async def defer(self, name: str, payload: dict[str, Any], *, lock: str | None = None,
                    single: bool = False) -> bool:
        if name not in self.handlers:
            raise UnknownJob(name)
        if single:
            if name in self._single:
                return False
            self._single.add(name)

        async def job() -> Any:
            try:
                return await self.run(name, payload)
            except Exception:
                return None  # `run` logged and reported it
            finally:
                if single:
                    self._single.discard(name)

        self.background.spawn(job(), name=f"job-{name}")
        return True

    @property
    def runs_here(self) -> bool:
        return True
