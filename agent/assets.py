"""Asset production: brief -> cache lookup -> provider chain -> file in the asset store -> content_assets row."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from agent.context import AgentContext
from agent.interactions import AssetView
from store import repositories as repo
from store.models import ContentAsset
from tools.generation.base import Attempt, GenerationFailed, MediaResult, run_chain


class Named(Protocol):
    name: str


P = TypeVar("P", bound=Named)
R = TypeVar("R")

IMAGE_SLOTS: dict[str, tuple[int, int]] = {"1x1": (1080, 1080), "4x5": (1080, 1350), "9x16": (1080, 1920)}


def brief_hash(kind: str, brief: dict[str, Any]) -> str:
    """Identical briefs hit the cache: the hash covers the kind and the canonical brief."""
    canonical = json.dumps({"kind": kind, "brief": brief}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def content_hash(slots: dict[str, str]) -> str:
    """What a review approval binds to: exactly these assets in exactly these slots."""
    return hashlib.sha256(json.dumps(slots, sort_keys=True).encode()).hexdigest()[:32]


def slot_kind(slot: str) -> str:
    return slot.split(":", 1)[0]


def slot_language(slot: str) -> str | None:
    parts = slot.split(":")
    return parts[1] if len(parts) > 1 else None


async def cached_asset(
    ctx: AgentContext, *, workspace_id: str, kind: str, digest: str
) -> ContentAsset | None:
    async with ctx.sessions() as session:
        asset = await repo.find_asset_by_brief(
            session=session, workspace_id=workspace_id, kind=kind, brief_hash=digest
        )
    if asset is not None and asset.file_path and not (ctx.asset_dir / asset.file_path).exists():
        return None  # the file was removed from the asset store: make it again
    return asset


async def produce(
    ctx: AgentContext,
    *,
    state: dict[str, Any],
    kind: str,
    language: str | None,
    brief: dict[str, Any],
    providers: Sequence[P],
    call: Callable[[P, Path], Awaitable[R]],
    to_row: Callable[[R], dict[str, Any]],
) -> tuple[str, bool]:
    """Make one asset (or find it in the cache); returns (asset id, came from cache). Raises GenerationFailed."""
    workspace_id = state["workspace_id"]
    digest = brief_hash(kind, brief)
    cached = await cached_asset(ctx, workspace_id=workspace_id, kind=kind, digest=digest)
    if cached is not None:
        return cached.id, True

    work_dir = ctx.asset_dir / "work" / digest[:24]
    work_dir.mkdir(parents=True, exist_ok=True)
    try:
        result, attempts = await run_chain(providers, lambda p: call(p, work_dir))
    except GenerationFailed as failed:
        await _record_jobs(
            ctx, state=state, kind=kind, digest=digest, attempts=failed.attempts, asset_id=None
        )
        raise
    row = to_row(result)
    if isinstance(result, MediaResult):
        row["file_path"] = _keep_file(ctx.asset_dir, workspace_id, digest, result.path)
    async with ctx.sessions() as session, session.begin():
        asset = await repo.add_asset(
            session=session,
            workspace_id=workspace_id,
            conversation_id=state.get("conversation_id"),
            kind=kind,
            language=language,
            brief_hash=digest,
            file_path=row.get("file_path"),
            mime=row.get("mime"),
            width=row.get("width"),
            height=row.get("height"),
            duration_s=row.get("duration_s"),
            text=row.get("text"),
            meta={**row.get("meta", {}), "brief": brief},
            provider=row["provider"],
        )
        asset_id = asset.id
    await _record_jobs(ctx, state=state, kind=kind, digest=digest, attempts=attempts, asset_id=asset_id)
    shutil.rmtree(work_dir, ignore_errors=True)
    return asset_id, False


def _keep_file(asset_dir: Path, workspace_id: str, digest: str, produced: Path) -> str:
    """Move a produced file into the asset store under a content-addressed name; returns its relative path."""
    relative = Path(workspace_id) / f"{digest[:24]}{produced.suffix}"
    target = asset_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(produced), target)
    return str(relative)


async def _record_jobs(
    ctx: AgentContext,
    *,
    state: dict[str, Any],
    kind: str,
    digest: str,
    attempts: list[Attempt],
    asset_id: str | None,
) -> None:
    async with ctx.sessions() as session, session.begin():
        for number, attempt in enumerate(attempts, start=1):
            job = await repo.start_job(
                session=session,
                workspace_id=state["workspace_id"],
                conversation_id=state.get("conversation_id"),
                kind=kind,
                provider=attempt.provider,
                brief_hash=digest,
                attempt=number,
            )
            await repo.finish_job(
                session=session,
                job_id=job.id,
                status="succeeded" if attempt.ok else "failed",
                error=attempt.error,
                result_asset_id=asset_id if attempt.ok else None,
            )


def asset_view(slot: str, asset: ContentAsset, asset_dir: Path) -> AssetView:
    meta = asset.meta or {}
    return AssetView(
        slot=slot,
        asset_id=asset.id,
        kind=asset.kind,  # type: ignore[arg-type]
        language=asset.language,
        provider=asset.provider or "",
        path=str(asset_dir / asset.file_path) if asset.file_path else None,
        mime=asset.mime,
        width=asset.width,
        height=asset.height,
        duration_s=asset.duration_s,
        text=asset.text,
        draft=bool(meta.get("draft")),
    )


async def load_assets(ctx: AgentContext, slots: dict[str, str]) -> dict[str, ContentAsset]:
    """Slot -> asset row, for the slots given."""
    async with ctx.sessions() as session:
        rows = await repo.get_assets(session=session, asset_ids=list(slots.values()))
    by_id = {row.id: row for row in rows}
    return {slot: by_id[asset_id] for slot, asset_id in slots.items() if asset_id in by_id}
