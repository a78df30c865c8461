"""Long API work as jobs: answered 202 at once, run from the work queue, polled at /jobs/{id}.

A job records its outcome (a result, or a problem) in the database, so any process can answer the poll. On the
embedded default it runs in the process that accepted it, and one a stopped process left unfinished is marked
failed at the next start rather than shown as running forever. On PostgreSQL it is a queued job (bot/work/): any
worker runs it, and one whose worker died runs again, continuing the conversation it left half-done.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from bot.api.keys import Principal
from bot.api.models import JobAccepted
from bot.api.problems import Problem
from bot.services import Services
from bot.work.queue import JobRun
from store import api_jobs
from store import repositories as repo

log = logging.getLogger(__name__)

# The work of a job, by name: (services, caller, args) -> (result, id of the campaign it concerns). Filled by the
# routes that start jobs (bot/api/routes.py, `@job_op`), so a worker process knows them by importing the routes.
Op = Callable[[Services, Principal, dict[str, Any]], Awaitable[tuple[dict[str, Any], str | None]]]
OPS: dict[str, Op] = {}
API_JOB = "api.job"


def job_op(name: str) -> Callable[[Op], Op]:
    def record(op: Op) -> Op:
        OPS[name] = op
        return op

    return record


def status_url(workspace_id: str, job_id: str) -> str:
    return f"/workspaces/{workspace_id}/jobs/{job_id}"


def register_api_jobs(services: Services) -> None:
    """API jobs runnable by this process (a web process, or a worker that never serves HTTP)."""
    if API_JOB not in services.queue.handlers:
        services.queue.register(API_JOB, lambda payload, run: _run_job(services, payload, run))


async def start_job(services: Services, caller: Principal, kind: str, op: str, args: dict[str, Any], *,
                    subject_id: str | None = None, audit: dict[str, Any] | None = None) -> JobAccepted:
    """Record the job (and the action, in the audit log), queue `op(args)`, answer at once."""
    if op not in OPS:
        raise KeyError(f"unknown API job operation {op!r}")
    async with services.sessions() as session, session.begin():
        job = await api_jobs.create_job(session=session, workspace_id=caller.workspace_id, kind=kind,
                                        user_ref=caller.user, api_key_id=caller.key_id, subject_id=subject_id)
        await repo.audit(session=session, workspace_id=caller.workspace_id, actor=caller.user,
                         action=f"api.{kind}", subject_type="api_job", subject_id=job.id,
                         details={"api_key": caller.key_id, **(audit or {})})
        job_id = job.id
    register_api_jobs(services)
    who = {"workspace_id": caller.workspace_id, "user": caller.user, "scopes": sorted(caller.scopes),
           "key_id": caller.key_id}
    await services.queue.defer(API_JOB, {"job_id": job_id, "kind": kind, "op": op, "args": args, "caller": who},
                               lock=f"conversation:{subject_id}" if subject_id else None)
    return JobAccepted(job_id=job_id, status="queued", status_url=status_url(caller.workspace_id, job_id))


async def _run_job(services: Services, payload: dict[str, Any], run: JobRun) -> None:
    job_id, kind, who = payload["job_id"], payload["kind"], payload["caller"]
    caller = Principal(workspace_id=who["workspace_id"], user=who["user"], scopes=frozenset(who["scopes"]),
                       key_id=who["key_id"])
    async with services.sessions() as session, session.begin():
        await api_jobs.set_job(session=session, job_id=job_id, status="running")
    try:
        result, subject = await _attempt(services, caller, payload, run)
    except Problem as exc:
        await _finish(services, job_id, "failed", error=exc.body())
        return
    except Exception:
        reference = uuid.uuid4().hex[:8]
        log.exception("API job %s (%s) failed (reference %s)", job_id, kind, reference)
        await _finish(services, job_id, "failed", error=Problem(
            500, "internal_error", f"Something went wrong on our side (reference {reference}).",
            reference=reference).body())
        return
    await _finish(services, job_id, "succeeded", result=result, subject_id=subject)


class NothingHalfDone(Exception):
    """The `recover` operation found nothing a dead worker left half-done."""


async def _attempt(services: Services, caller: Principal, payload: dict[str, Any],
                   run: JobRun) -> tuple[dict[str, Any], str | None]:
    op, args = payload["op"], payload["args"]
    if run.attempt and args.get("conversation_id") and "recover" in OPS:
        # Its first run died with its worker: what that run left half-done continues instead of starting over.
        try:
            return await OPS["recover"](services, caller, {"conversation_id": args["conversation_id"]})
        except NothingHalfDone:
            pass
    # The job's id keys what it starts: a run again after its worker died finds what the first run began.
    return await OPS[op](services, caller, {**args, "job_id": payload["job_id"]})


async def _finish(services: Services, job_id: str, status: str, *, result: dict[str, Any] | None = None,
                  error: dict[str, Any] | None = None, subject_id: str | None = None) -> None:
    async with services.sessions() as session, session.begin():
        await api_jobs.set_job(session=session, job_id=job_id, status=status, result=result, error=error,
                               subject_id=subject_id)


async def fail_abandoned_jobs(services: Services) -> None:
    """At startup: a job a stopped process left behind is failed with a reason the client can act on."""
    problem = Problem(409, "job_interrupted", "The server stopped while this job ran; look at the campaign's "
                                              "state and try again.")
    async with services.sessions() as session, session.begin():
        count = await api_jobs.fail_unfinished_jobs(session=session, reason=problem.body())
    if count:
        log.warning("%d API job(s) left unfinished by a stopped process were marked failed", count)
