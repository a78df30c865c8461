"""The workspace's settings over HTTP: read by any key, changed by approvers and admins (ceilings: admins only)."""

from __future__ import annotations

from fastapi import APIRouter

from agent.turns import Refusal
from agent.workspace_settings import SettingsChange, settings_view
from bot.api.auth import Approver, Reader
from bot.api.models import WorkspaceSettingsView
from bot.api.problems import Problem, not_found, problem_schema
from bot.deps import ServicesDep
from store import repositories as repo

REFUSAL_STATUS = {"not_admin": 403, "not_allowed_to_change_settings": 403, "invalid_setting": 422}

router = APIRouter(
    prefix="/workspaces/{workspace_id}",
    responses={status: problem_schema() for status in (401, 403, 404, 413, 422, 429)},
)


@router.get("/settings", response_model=WorkspaceSettingsView, summary="The workspace's settings as they apply")
async def get_settings(caller: Reader, services: ServicesDep) -> WorkspaceSettingsView:
    async with services.ctx.reads()() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=caller.workspace_id)
    if workspace is None:
        raise not_found("workspace")
    return WorkspaceSettingsView.model_validate(settings_view(services.ctx, workspace))


@router.patch("/settings", response_model=WorkspaceSettingsView,
              summary="Change some settings (approvers and admins; the budget ceilings: admins only)")
async def change_settings(body: SettingsChange, caller: Approver, services: ServicesDep) -> WorkspaceSettingsView:
    outcome = await services.driver.change_settings(caller.workspace_id, caller.user, body)
    if isinstance(outcome, Refusal):
        raise Problem(REFUSAL_STATUS.get(outcome.code, 403), outcome.code, outcome.text, field=outcome.field)
    return WorkspaceSettingsView.model_validate(outcome)
