"""Generation jobs of the HTTP API: copy, images or a video (with its voice-over) for a brief, stored as assets.

The brief is an instruction (parsed as `adly parse` would) or a structured request. The files land in the
asset store under `api/<workspace>/<run>/`, each registered as a content asset of the workspace so that
GET /workspaces/{id}/assets/{asset_id} serves it to that workspace only.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from agent.brands import workspace_brand
from agent.models import CampaignRequest
from agent.parsing import parse_instruction
from bot.api.models import AssetView, Brief
from bot.api.problems import Problem
from bot.generate_command import bundle_spec_from_request
from bot.services import Services
from store import repositories as repo
from tools.generation.base import IMAGE_SIZES
from tools.generation.studio import generate_bundle

TALL = (1080, 1920)  # the video's own slides


async def brief_request(services: Services, workspace_id: str, brief: Brief) -> CampaignRequest:
    if brief.request is not None:
        return CampaignRequest.model_validate(brief.request.model_dump(mode="json"))
    async with services.ctx.reads()() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
    currency = workspace.default_currency if workspace is not None else services.settings.adly_default_currency
    assert brief.instruction is not None
    return await asyncio.to_thread(parse_instruction, brief.instruction, today=services.ctx.clock().date(),
                                   default_currency=currency)


async def generate(services: Services, workspace_id: str, kind: str, brief: Brief) -> dict[str, Any]:
    """Make what `kind` (text, image, video) asks for; the assets made and what could not be made."""
    settings = services.settings
    request = await brief_request(services, workspace_id, brief)
    brand = await workspace_brand(services.ctx, workspace_id)  # the workspace's own, else ADLY_BRAND_NAME[_AR]
    spec = bundle_spec_from_request(request, brand_name=brand.name, register=settings.adly_arabic_register,
                                   brand_name_ar=brand.name_ar, logo_path=settings.adly_brand_logo)
    if kind == "text":
        spec = spec.model_copy(update={"image_sizes": [], "video": False, "voice": False})
    elif kind == "image":
        spec = spec.model_copy(update={"image_sizes": list(IMAGE_SIZES), "video": False, "voice": False})
    else:
        spec = spec.model_copy(update={"image_sizes": [TALL], "video": True, "voice": True})
    relative = f"api/{workspace_id}/{uuid.uuid4().hex}"
    out_dir = settings.asset_dir / relative
    bundle = await generate_bundle(spec, services.ctx.providers, out_dir)
    wanted = {"text": "copy", "image": "image", "video": "video"}[kind]
    if not any(a.kind == wanted for a in bundle.assets):
        reasons = "; ".join(f"{f.label}: {f.error}" for f in bundle.failures) or "no provider made it"
        raise Problem(502, "generation_failed", f"No {wanted} could be made ({reasons}).")
    views: list[AssetView] = []
    async with services.sessions() as session, session.begin():
        for made in bundle.assets:
            file_path = made.path.resolve().relative_to(settings.asset_dir).as_posix() if made.path else None
            row = await repo.add_asset(
                session=session, workspace_id=workspace_id, conversation_id=None, kind=made.kind,
                language=made.language, file_path=file_path, mime=made.mime, width=made.width, height=made.height,
                duration_s=made.duration_s, text=made.text, provider=made.provider,
                meta={"api": kind, "bundle_id": made.id},
            )
            views.append(AssetView(
                id=row.id, kind=row.kind, language=row.language, mime=row.mime, width=row.width, height=row.height,
                duration_s=row.duration_s, provider=row.provider, text=row.text,
                download_url=f"/workspaces/{workspace_id}/assets/{row.id}" if file_path else None,
            ))
    return {"request": request.contract_dict(), "assets": [v.model_dump(mode="json") for v in views],
            "failures": [{"asset": f.label, "error": f.error} for f in bundle.failures]}
