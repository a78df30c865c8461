"""The workspace's landing page: asked once, remembered, and the default of every later campaign."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agent.context import AgentContext
from agent.validation import landing_url_problem
from agent.workspace_settings import landing_setting_problem
from store import repositories as repo


async def landing_default(ctx: AgentContext, workspace_id: str, platforms: list[str]) -> str | None:
    """The page a campaign links to when its instruction names none: the workspace's remembered page, else the
    configured default (a placeholder only for sandbox platforms), else None, and the user is asked."""
    async with ctx.reads()() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
    remembered = workspace.landing_url if workspace is not None else None
    # Checked again on every use: a page saved before a rule tightened must not slip through.
    if remembered and landing_url_problem(remembered) is None:
        return remembered
    return ctx.landing_default(platforms)


async def remember_landing(*, session: AsyncSession, workspace_id: str, url: str | None, actor: str | None) -> bool:
    """Keep the page the user named as the workspace's default; True when it changed. Placeholders and pages that
    fail the landing-page rules are never remembered."""
    if not url or landing_setting_problem(url) is not None:
        return False
    workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
    if workspace is None or workspace.landing_url == url:
        return False
    previous = workspace.landing_url
    await repo.update_workspace(session=session, workspace_id=workspace_id, landing_url=url)
    await repo.audit(session=session, workspace_id=workspace_id, actor=actor or "adly", action="workspace.landing_url",
                     subject_type="workspace", subject_id=workspace_id,
                     details={"landing_url": url, "previous": previous})
    return True
