"""Content assets (copy, images, videos, voice-overs) and the generation jobs that make them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import ASSET_KINDS, ASSET_STATUSES, JOB_STATUSES, ContentAsset, GenerationJob, utcnow
from store.repositories._common import check_choice, first_row, require_row, set_fields, truncate_error


async def add_asset(
    *,
    session: AsyncSession,
    workspace_id: str,
    conversation_id: str | None,
    kind: str,
    language: str | None = None,
    file_path: str | None = None,
    mime: str | None = None,
    width: int | None = None,
    height: int | None = None,
    duration_s: float | None = None,
    text: dict[str, Any] | None = None,
    meta: dict[str, Any] | None = None,
    provider: str | None = None,
    brief_hash: str | None = None,
    campaign_id: str | None = None,
    status: str = "draft",
) -> ContentAsset:
    check_choice(kind, ASSET_KINDS, "asset kind")
    check_choice(status, ASSET_STATUSES, "asset status")
    asset = ContentAsset(
        workspace_id=workspace_id,
        conversation_id=conversation_id,
        campaign_id=campaign_id,
        kind=kind,
        language=language,
        file_path=file_path,
        mime=mime,
        width=width,
        height=height,
        duration_s=duration_s,
        text=text,
        meta=dict(meta or {}),
        provider=provider,
        brief_hash=brief_hash,
        status=status,
    )
    session.add(asset)
    await session.flush()
    return asset


async def get_assets(*, session: AsyncSession, asset_ids: Sequence[str]) -> list[ContentAsset]:
    """The assets that exist, in the order asked for."""
    if not asset_ids:
        return []
    found = {a.id: a for a in await session.scalars(select(ContentAsset).where(ContentAsset.id.in_(list(asset_ids))))}
    return [found[i] for i in dict.fromkeys(asset_ids) if i in found]


async def list_conversation_assets(
    *, session: AsyncSession, conversation_id: str, status: str | None = None
) -> list[ContentAsset]:
    """A conversation's assets, oldest first (optionally only those with `status`)."""
    stmt = select(ContentAsset).where(ContentAsset.conversation_id == conversation_id)
    if status is not None:
        stmt = stmt.where(ContentAsset.status == status)
    return list(await session.scalars(stmt.order_by(ContentAsset.created_at)))


async def find_asset_by_brief(
    *, session: AsyncSession, workspace_id: str, kind: str, brief_hash: str
) -> ContentAsset | None:
    """Cache lookup: the newest non-superseded asset made from the same brief."""
    return await first_row(
        session,
        select(ContentAsset)
        .where(
            ContentAsset.workspace_id == workspace_id,
            ContentAsset.kind == kind,
            ContentAsset.brief_hash == brief_hash,
            ContentAsset.status != "superseded",
        )
        .order_by(ContentAsset.created_at.desc())
        .limit(1),
    )


async def update_asset(*, session: AsyncSession, asset_id: str, **fields: Any) -> ContentAsset:
    check_choice(fields.get("status"), ASSET_STATUSES, "asset status")
    asset = await require_row(session, ContentAsset, asset_id)
    set_fields(asset, fields, frozen=("id", "workspace_id", "kind", "created_at"))
    await session.flush()
    return asset


async def start_job(
    *,
    session: AsyncSession,
    workspace_id: str,
    conversation_id: str | None,
    kind: str,
    provider: str | None,
    brief_hash: str | None = None,
    attempt: int = 1,
) -> GenerationJob:
    job = GenerationJob(
        workspace_id=workspace_id,
        conversation_id=conversation_id,
        kind=kind,
        provider=provider,
        brief_hash=brief_hash,
        attempt=attempt,
        status="running",
    )
    session.add(job)
    await session.flush()
    return job


async def finish_job(
    *,
    session: AsyncSession,
    job_id: str,
    status: str,
    error: str | None = None,
    result_asset_id: str | None = None,
) -> GenerationJob:
    check_choice(status, JOB_STATUSES, "job status")
    job = await require_row(session, GenerationJob, job_id)
    job.status = status
    job.error = truncate_error(error)
    job.result_asset_id = result_asset_id
    job.finished_at = utcnow()
    await session.flush()
    return job
