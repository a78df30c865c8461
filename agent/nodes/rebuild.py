"""Rebuild after a copy edit: exactly the images, voice-overs and videos showing the edited words are made again."""

from __future__ import annotations

import asyncio
from typing import Any

from langgraph.runtime import Runtime

from agent.assets import load_assets, slot_kind, slot_language
from agent.context import AgentContext
from agent.models import CampaignRequest
from agent.nodes.generate import make_media, media_job, required_slots
from agent.state import CampaignState
from agent.texts import t
from tools.generation.base import GenerationFailed


def media_slots(slots: list[str], language: str) -> tuple[list[str], list[str]]:
    """A language's media slots in the order they can be made: images and voice (from the copy alone), then
    the video (cut from them)."""
    mine = [s for s in slots if slot_language(s) == language and slot_kind(s) != "copy"]
    return [s for s in mine if slot_kind(s) != "video"], [s for s in mine if slot_kind(s) == "video"]


async def rebuild_after_edit(
    ctx: AgentContext, state: dict[str, Any], language: str
) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """Remake each media slot of `language` whose brief, built from the state's (edited) copy now, differs from
    the brief its asset was made from; returns (slot -> new asset id, slots remade, slot -> error).

    Nothing is listed by hand: what an asset shows is what its brief holds. An asset with no brief of ours
    (an upload) is never remade.
    """
    request = CampaignRequest.model_validate(state["request"])
    firsts, lasts = media_slots(required_slots(request), language)
    working = {**state, "assets": dict(state.get("assets") or {})}
    made: dict[str, str] = {}
    errors: dict[str, str] = {}
    for stage in (firsts, lasts):
        current = {s: working["assets"][s] for s in stage if s in working["assets"]}
        rows = await load_assets(ctx, current)
        stale = []
        for slot, row in rows.items():
            made_from = (row.meta or {}).get("brief")
            if made_from is not None and (await media_job(ctx, working, slot)).brief != made_from:
                stale.append(slot)
        outcomes = await asyncio.gather(*(_remake(ctx, working, slot) for slot in stale))
        for slot, asset_id, error in outcomes:
            if asset_id is not None:
                made[slot] = asset_id
                working["assets"][slot] = asset_id
            else:
                errors[slot] = error or ""
    return made, [s for s in [*firsts, *lasts] if s in made], errors


async def _remake(ctx: AgentContext, state: dict[str, Any], slot: str) -> tuple[str, str | None, str | None]:
    try:
        asset_id = await make_media(ctx, state, slot)
    except GenerationFailed as failed:
        return slot, None, str(failed)
    return slot, asset_id, None


async def rebuild(state: CampaignState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """After a copy edit: remake what shows the edited words, then back to review, which says what was remade."""
    ctx = runtime.context
    edit = dict(state.get("last_edit") or {})
    language = edit.get("language")
    if not language:
        return {}
    await ctx.progress(t("rebuilding", state.get("language")))
    made, rebuilt, errors = await rebuild_after_edit(ctx, dict(state), language)
    return {
        "assets": made,
        "generation_errors": {**{slot: "" for slot in made}, **errors},
        "last_edit": {**edit, "rebuilt": rebuilt},
    }
