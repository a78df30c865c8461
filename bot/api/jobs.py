"""Long API work as jobs: answered 202 at once, run in the background, polled at /jobs/{id}.

A job records its outcome (a result, or a problem) in the database, so any process can answer the poll.
Jobs run in the process that accepted them; one left unfinished by a stopped process is marked failed at the
next start rather than shown as running forever.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from bot.api.auth import Principal
from bot.api.models import JobAccepted
from bot.api.problems import Problem
from bot.services import Services
from store import api_jobs
from store import repositories as repo

log = logging.getLogger(__name__)

Work = Callable[[], Awaitable[tuple[dict[str, Any], str | None]]]  # -> (result, campaign id it concerns)


def status_url(workspace_id: str, job_id: str) -> str:
    return f"/workspaces/{workspace_id}/jobs/{job_id}"


async def start_job(services: Services, caller: Principal, kind: str, work: Work, *,
                    subject_id: str | None = None, audit: dict[str, Any] | None = None) -> JobAccepted:
    """Record the job (and the action, in the audit log), start `work`, answer at once."""
    async with services.sessions() as session, session.begin():
        job = await api_jobs.create_job(session=session, workspace_id=caller.workspace_id, kind=kind,
                                        user_ref=caller.user, api_key_id=caller.key_id, subject_id=subject_id)
        await repo.audit(session=session, workspace_id=caller.workspace_id, actor=caller.user,
                         action=f"api.{kind}", subject_type="api_job", subject_id=job.id,
                         details={"api_key": caller.key_id, **(audit or {})})
        job_id = job.id

    async def run() -> None:
        async with services.sessions() as session, session.begin():
            await api_jobs.set_job(session=session, job_id=job_id, status="running")
        try:
            result, subject = await work()
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

    services.background.spawn(run(), name=f"api-job-{kind}")
    return JobAccepted(job_id=job_id, status="queued", status_url=status_url(caller.workspace_id, job_id))


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
