"""The brand a workspace's ads carry: its own names when set, else the deployment's (ADLY_BRAND_NAME[_AR])."""

from __future__ import annotations

from dataclasses import dataclass

from agent.context import AgentContext
from store import repositories as repo
from store.models import Workspace


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
