"""Jobs of the HTTP API: long work answered with 202 and a job id, polled until it succeeds or fails."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import API_JOB_KINDS, API_JOB_STATUSES, ApiJob, utcnow


async def create_job(
    *, session: AsyncSession, workspace_id: str, kind: str, user_ref: str, api_key_id: str | None,
    subject_id: str | None = None,
) -> ApiJob:
    if kind not in API_JOB_KINDS:
        raise ValueError(f"invalid job kind {kind!r}")
    job = ApiJob(workspace_id=workspace_id, kind=kind, status="queued", user_ref=user_ref, api_key_id=api_key_id,
                 subject_id=subject_id)
    session.add(job)
    await session.flush()
    return job


async def get_job(*, session: AsyncSession, job_id: str) -> ApiJob | None:
    return await session.get(ApiJob, job_id, populate_existing=True)


async def set_job(
    *, session: AsyncSession, job_id: str, status: str, result: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None, subject_id: str | None = None,
) -> None:
    if status not in API_JOB_STATUSES:
        raise ValueError(f"invalid job status {status!r}")
    values: dict[str, Any] = {"status": status}
    if status in ("succeeded", "failed"):
        values.update(result=result, error=error, finished_at=utcnow())
    if subject_id is not None:
        values["subject_id"] = subject_id
    await session.execute(update(ApiJob).where(ApiJob.id == job_id).values(**values))


async def fail_unfinished_jobs(*, session: AsyncSession, reason: dict[str, Any]) -> int:
    """At startup: jobs a stopped process left queued or running will never finish; say so instead of hanging."""
    result = await session.execute(
        update(ApiJob).where(ApiJob.status.in_(("queued", "running")))
        .values(status="failed", error=reason, finished_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)
