"""Background jobs (APScheduler 3): hourly performance sync, 15-minute status checks, cleanup retries and token
care (which also runs as soon as the scheduler starts, i.e. when a process is elected leader).

Only one process runs them: the leader (bot/leadership.py); another process takes over when it dies.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from agent.cleanup import retry_compensations
from agent.context import AgentContext
from agent.tracking import ad_sync_job, check_statuses, refresh_tokens, sync_job
from bot.work.queue import Handler, JobRun, WorkQueue

log = logging.getLogger(__name__)

# Retries of compensations whose deletes failed (agent/cleanup.py). A front door that can tell people about
# them (bot/slack/alerts.py) passes its own job under this name in `extra_jobs`, which replaces this one.
CLEANUP_JOB = "cleanup_retry"
CLEANUP_TRIGGER: dict[str, Any] = {"trigger": "interval", "minutes": 15}

# Status checks of live campaigns (agent/tracking.py). A front door that can tell people about changes
# (bot/slack/status_notices.py) passes its own job under this name in `extra_jobs`, which replaces this one.
STATUS_JOB = "status_check"
STATUS_TRIGGER: dict[str, Any] = {"trigger": "interval", "minutes": 15}

# Token care (agent/tracking/tokens.py): every 15 minutes, fitting the shortest-lived token (Snapchat's hour),
# and once at start. A front door that can warn people (bot/slack/token_notices.py) replaces it under this name.
TOKEN_JOB = "token_care"
TOKEN_TRIGGER: dict[str, Any] = {"trigger": "interval", "minutes": 15}


def _guarded(name: str, job: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[None]]:
    """A failing job logs and waits for its next run; it never takes the scheduler down."""

    async def run() -> None:
        try:
            result = await job()
            log.info("job %s done: %s", name, result)
        except Exception:
            log.exception("job %s failed", name)

    return run


async def retry_cleanups(ctx: AgentContext) -> int:
    """The cleanup job without a front door to alert through: it retries, and the log is the only alert."""
    stuck = await retry_compensations(ctx)
    if stuck:
        log.warning(
            "%d object(s) that a failed publish should have deleted still exist and no chat front door is "
            "configured to alert anyone: delete them in the platforms' Ads Managers: %s", len(stuck),
            "; ".join(f"{s.platform} {s.object_kind} {s.external_id} (campaign {s.campaign_id}, "
                      f"{'paused' if s.paused else 'NOT paused' if s.paused is False else 'status unknown'})"
                      for s in stuck),
        )
    return len(stuck)


ScheduledJob = tuple[Callable[[], Awaitable[Any]], dict[str, Any]]  # (the work, its APScheduler trigger)


def scheduled_jobs(ctx: AgentContext, extra_jobs: dict[str, ScheduledJob] | None = None) -> dict[str, ScheduledJob]:
    """The jobs of the seed's "Scheduled Jobs" section; `extra_jobs` adds front-door jobs (Slack digests), and
    replaces the plain cleanup job when it brings one under `CLEANUP_JOB` (Slack cleanup alerts), the plain status
    check under `STATUS_JOB` (Slack status notices) and the plain token care under `TOKEN_JOB` (Slack warnings)."""
    jobs: dict[str, ScheduledJob] = {
        "performance_sync": (lambda: sync_job(ctx), {"trigger": "interval", "hours": 1}),
        # Each ad's numbers (the reports' best and weakest ad): a call chain more per account, every six hours.
        "ad_performance_sync": (lambda: ad_sync_job(ctx), {"trigger": "interval", "hours": 6}),
        STATUS_JOB: (lambda: check_statuses(ctx), dict(STATUS_TRIGGER)),
        TOKEN_JOB: (lambda: refresh_tokens(ctx), dict(TOKEN_TRIGGER)),
        CLEANUP_JOB: (lambda: retry_cleanups(ctx), dict(CLEANUP_TRIGGER)),
    }
    return {**jobs, **(extra_jobs or {})}


def job_name(name: str) -> str:
    """A scheduled job's name on the work queue."""
    return f"scheduled.{name}"


def register_scheduled(queue: WorkQueue, jobs: dict[str, ScheduledJob]) -> None:
    """Make the scheduled jobs runnable by this process's workers (the leader only defers them)."""
    for name, (job, _) in jobs.items():
        queue.register(job_name(name), _scheduled_handler(job))


def _scheduled_handler(job: Callable[[], Awaitable[Any]]) -> Handler:
    async def handle(payload: dict[str, Any], run: JobRun) -> Any:
        return await job()

    return handle


def build_scheduler(ctx: AgentContext, *, extra_jobs: dict[str, ScheduledJob] | None = None,
                    queue: WorkQueue | None = None) -> AsyncIOScheduler:
    """An APScheduler over `scheduled_jobs`. With a `queue`, a tick only defers the job (one waiting at most), and
    a worker runs it, off the web process's loop; without, the tick runs it here."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    defaults = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}
    for name, (job, trigger) in scheduled_jobs(ctx, extra_jobs).items():
        run = _guarded(name, job) if queue is None else _deferred(queue, name)
        # Token care runs at start too, whichever door brings it: a token may have lapsed while no leader ran.
        start = {"next_run_time": datetime.now(UTC)} if name == TOKEN_JOB else {}
        scheduler.add_job(run, id=name, **trigger, **start, **defaults)
    return scheduler


def _deferred(queue: WorkQueue, name: str) -> Callable[[], Awaitable[None]]:
    async def tick() -> None:
        try:
            if not await queue.defer(job_name(name), {}, single=True):
                log.info("job %s is still waiting from its last tick: not queued twice", name)
        except Exception:
            log.exception("job %s could not be queued; the next tick tries again", name)

    return tick
