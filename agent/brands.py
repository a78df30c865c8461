"""The brand a workspace's ads carry: its own names when set, else the deployment's (ADLY_BRAND_NAME[_AR])."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from agent.context import AgentContext
from store import repositories as repo
from store.models import Workspace
from tools.generation.avatar import drawn_avatar


@dataclass(frozen=True)
class Brand:
    name: str
    name_ar: str | None  # None: Arabic creative transliterates `name` (tools.generation.brand)


def brand_of(ctx: AgentContext, workspace: Workspace | None) -> Brand:
    """The workspace's brand, falling back to the settings. The settings' Arabic name is the Arabic of the
    settings' brand: a workspace that names a brand of its own and no Arabic name gets a transliteration."""
    name = (workspace.brand_name or "").strip() if workspace is not None else ""
    name_ar = (workspace.brand_name_ar or "").strip() if workspace is not None else ""
    if not name:
        return Brand(ctx.brand_name, name_ar or ctx.brand_name_ar)
    return Brand(name, name_ar or (ctx.brand_name_ar if name == ctx.brand_name else None))


async def workspace_brand(ctx: AgentContext, workspace_id: str | None) -> Brand:
    """The brand of the conversation's workspace, read now (a change applies to what is made next)."""
    if not workspace_id:
        return brand_of(ctx, None)
    async with ctx.reads()() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
    return brand_of(ctx, workspace)


async def brand_avatar(ctx: AgentContext, brand: Brand) -> Path | None:
    """The square picture a TikTok identity of `brand` shows: the deployment's (its logo, or its name's
    initials) for its own brand or when a logo is configured; else the workspace brand's initials, drawn once
    into the asset store (named after its content). The deployment's when they cannot be drawn."""
    if brand.name == ctx.brand_name or ctx.brand_logo is not None:
        return ctx.brand_avatar
    try:
        png = await asyncio.to_thread(drawn_avatar, brand.name)
    except Exception:  # noqa: BLE001 - no font for these letters: the deployment's avatar still identifies the ads
        return ctx.brand_avatar
    path = ctx.asset_dir / "brand" / f"avatar-{hashlib.sha256(png).hexdigest()[:12]}.png"
    await asyncio.to_thread(_write_once, path, png)
    return path


def _write_once(path: Path, data: bytes) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{secrets.token_hex(4)}.partial")  # never half a file under its name
    partial.write_bytes(data)
    partial.replace(path)
