"""Asset production: tools.generation's cached provider chain over a store-backed cache (rows + asset files)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from agent.context import AgentContext
from agent.interactions import AssetView
from store import repositories as repo
from store.models import ContentAsset
from tools.generation.base import (
    Attempt,
    CopyResult,
    GenerationFailed,
    GenerationKind,
    MediaResult,
    brief_fingerprint,
    cache_key,
    cached_chain,
)


class Named(Protocol):
    name: str


P = TypeVar("P", bound=Named)
R = TypeVar("R", bound=BaseModel)

IMAGE_SLOTS: dict[str, tuple[int, int]] = {"1x1": (1080, 1080), "4x5": (1080, 1350), "9x16": (1080, 1920)}


def brief_hash(kind: str, brief: dict[str, Any]) -> str:
    """A key for rows made outside a provider chain (edited copy): cache_key's digest without a line-up."""
    return brief_fingerprint(kind, brief)


def content_hash(slots: dict[str, str]) -> str:
    """What a review approval binds to: exactly these assets in exactly these slots."""
    return hashlib.sha256(json.dumps(slots, sort_keys=True).encode()).hexdigest()[:32]


def slot_kind(slot: str) -> str:
    return slot.split(":", 1)[0]


def slot_language(slot: str) -> str | None:
    parts = slot.split(":")
    return parts[1] if len(parts) > 1 else None


class StoreCache(Generic[R]):
    """The GenerationCache of the flow: a result is a content_assets row (brief_hash = the cache key) and,
    for media, its file moved into the asset store under a content-addressed name.

    One instance serves one produce() call and remembers the row it found or wrote (`asset_id`).
    """

    def __init__(
        self,
        ctx: AgentContext,
        *,
        workspace_id: str,
        conversation_id: str | None,
        kind: str,
        language: str | None,
        brief: dict[str, Any],
        result_type: type[R],
        to_row: Callable[[R], dict[str, Any]],
    ) -> None:
        self.ctx = ctx
        self.workspace_id = workspace_id
        self.conversation_id = conversation_id
        self.kind = kind
        self.language = language
        self.brief = brief
        self.result_type = result_type
        self.to_row = to_row
        self.asset_id: str | None = None

    async def get(self, key: str) -> dict[str, Any] | None:
        async with self.ctx.sessions() as session:
            row = await repo.find_asset_by_brief(
                session=session, workspace_id=self.workspace_id, kind=self.kind, brief_hash=key
            )
        stored = (row.meta or {}).get("result") if row is not None else None
        if row is None or not isinstance(stored, dict):
            return None  # rows this cache did not write (an edited copy, an upload) are nobody's result
        self.asset_id = row.id
        if row.file_path:
            # The row keeps the path relative to the asset store, so a moved store still hits.
            return {**stored, "path": str(self.ctx.asset_dir / row.file_path)}
        return stored

    async def put(self, key: str, value: dict[str, Any]) -> None:
        row = self.to_row(self.result_type.model_validate(value))
        stored = {k: v for k, v in value.items() if k != "path"}
        file_path = None
        if value.get("path"):
            file_path = await asyncio.to_thread(
                _keep_file, self.ctx.asset_dir, self.workspace_id, key, Path(value["path"])
            )
        async with self.ctx.sessions() as session, session.begin():
            asset = await repo.add_asset(
                session=session,
                workspace_id=self.workspace_id,
                conversation_id=self.conversation_id,
                kind=self.kind,
                language=self.language,
                brief_hash=key,
                file_path=file_path,
                mime=row.get("mime"),
                width=row.get("width"),
                height=row.get("height"),
                duration_s=row.get("duration_s"),
                text=row.get("text"),
                meta={**row.get("meta", {}), "brief": self.brief, "result": stored},
                provider=row["provider"],
            )
            self.asset_id = asset.id


async def produce(
    ctx: AgentContext,
    *,
    state: dict[str, Any],
    kind: GenerationKind,
    language: str | None,
    brief: dict[str, Any],
    providers: Sequence[P],
    call: Callable[[P, Path], Awaitable[R]],
    to_row: Callable[[R], dict[str, Any]],
) -> tuple[str, bool]:
    """Make one asset (or find it in the cache); returns (asset id, came from cache). Raises GenerationFailed.

    The same cached_chain as `adly generate`, over the store: one key definition, one hit/miss rule.
    """
    result_type: type[Any] = CopyResult if kind == "copy" else MediaResult
    cache: StoreCache[Any] = StoreCache(
        ctx,
        workspace_id=state["workspace_id"],
        conversation_id=state.get("conversation_id"),
        kind=kind,
        language=language,
        brief=brief,
        result_type=result_type,
        to_row=to_row,
    )
    digest = cache_key(kind, brief, [p.name for p in providers])
    work_dirs: list[Path] = []

    async def attempt(provider: P) -> R:
        if not work_dirs:
            # Its own folder per call: two conversations making the same brief at once must not share one.
            root = ctx.asset_dir / "work"
            await asyncio.to_thread(root.mkdir, parents=True, exist_ok=True)
            work_dirs.append(Path(await asyncio.to_thread(tempfile.mkdtemp, prefix=digest[:16], dir=root)))
        return await call(provider, work_dirs[0])

    try:
        _, attempts, hit = await cached_chain(kind, brief, providers, attempt, result_type, cache=cache)
    except GenerationFailed as failed:
        await _record_jobs(
            ctx, state=state, kind=kind, digest=digest, attempts=failed.attempts, asset_id=None
        )
        raise
    finally:
        for work_dir in work_dirs:  # the result, if any, was moved into the asset store already
            await asyncio.to_thread(shutil.rmtree, work_dir, ignore_errors=True)
    if cache.asset_id is None:  # a cache always finds or writes a row; this is a bug, not a user error
        raise RuntimeError(f"no {kind} asset row after generation")
    if not hit:
        await _record_jobs(
            ctx, state=state, kind=kind, digest=digest, attempts=attempts, asset_id=cache.asset_id
        )
    return cache.asset_id, hit


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
