"""Review: the bundle is shown once; approve, edit a copy field (checked; what shows it is remade), or regenerate one."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agent.assets import asset_view, brief_hash, content_hash, load_assets, slot_language
from agent.context import AgentContext
from agent.interactions import EDITABLE_COPY_FIELDS, ReviewContent, ReviewDecision
from agent.localize import slot_label
from agent.models import CampaignRequest
from agent.nodes.generate import required_slots
from agent.planning import platforms_without_media
from agent.state import CampaignState
from agent.texts import asset_list, field_list, lang_of, language_name, t
from store import repositories as repo
from tools.generation.base import CopyVariant, check_copy_limits

COPY_FIELDS = EDITABLE_COPY_FIELDS


def copy_problems(text: dict[str, Any], platforms: list[str], language: str) -> list[str]:
    """Limit violations of a copy asset, in the user's language."""
    try:
        variant = CopyVariant.model_validate(text)
    except ValueError:
        return []
    ar = lang_of(language) == "ar"
    return [v.message_ar if ar else v.message_en for v in check_copy_limits(variant, platforms)]


async def review(
    state: CampaignState, runtime: Runtime[AgentContext]
) -> Command[Literal["review", "regenerate", "rebuild", "build_structure", "cancelled"]]:
    ctx = runtime.context
    language = state.get("language", "en")
    request = CampaignRequest.model_validate(state["request"])
    slots = {s: state["assets"][s] for s in required_slots(request) if s in (state.get("assets") or {})}
    rows = await load_assets(ctx, slots)
    views = []
    for slot, row in rows.items():
        view = asset_view(slot, row, ctx.asset_dir)
        if row.kind == "copy" and row.text:
            view.problems = copy_problems(row.text, list(request.platforms), language)
        views.append(view)
    failed = {s: e for s, e in (state.get("generation_errors") or {}).items() if e}
    message = t("review", language)
    review_round = int(state.get("review_round", 1))  # type: ignore[call-overload]
    edit = state.get("last_edit") or {}
    rebuilt: list[str] = list(edit.get("rebuilt") or []) if edit.get("round") == review_round else []
    line = rebuilt_line(edit, rebuilt, language) if edit.get("round") == review_round else ""
    if line:
        message += "\n" + line
    for slot, err in failed.items():
        # Named as people name assets; the provider's own words only in English (the log has them too).
        message += "\n" + t("asset_failed", language, asset=slot_label(slot, language), reason=err[:200])
    missing = platforms_without_media(list(request.platforms), slots)
    payload = ReviewContent(
        language=language,
        message=message,
        round=review_round,
        platforms=list(request.platforms),
        assets=views,
        content_hash=content_hash(slots),
        rebuilt=rebuilt,
        failed=sorted(failed),
        missing_media=missing,
    )
    decision: ReviewDecision = interrupt(payload.model_dump(mode="json"), response_schema=ReviewDecision)

    if decision.action == "cancel":
        return Command(goto="cancelled")
    if decision.action == "regenerate" and (decision.slot in slots or decision.slot in failed):
        return Command(
            goto="regenerate", update={"regenerate_slot": decision.slot, "review_round": payload.round + 1}
        )
    if decision.action == "edit" and decision.slot in slots and decision.slot.startswith("copy:"):
        new_id, fields = await _apply_edit(ctx, state, rows[decision.slot], decision)
        # What shows or says the edited words is remade next (agent.nodes.rebuild), then reviewed again.
        last_edit = {
            "round": payload.round + 1,
            "slot": decision.slot,
            "language": slot_language(decision.slot),
            "fields": fields,
        }
        return Command(
            goto="rebuild",
            update={"assets": {decision.slot: new_id}, "review_round": payload.round + 1, "last_edit": last_edit},
        )
    if decision.action == "approve":
        async with ctx.sessions() as session, session.begin():
            for row in rows.values():
                await repo.update_asset(session=session, asset_id=row.id, status="approved")
            await repo.audit(
                session=session,
                workspace_id=state["workspace_id"],
                actor=decision.actor,
                action="content.approved",
                subject_type="conversation",
                subject_id=state["conversation_id"],
                details={"content_hash": payload.content_hash, "assets": slots},
            )
        return Command(
            goto="build_structure",
            update={
                "content_approved": True,
                "content_approved_by": decision.actor,
                "status": "content_approved",
            },
        )
    return Command(goto="review")


def rebuilt_line(edit: dict[str, Any], rebuilt: list[str], language: str) -> str:
    """What the last edit remade, in the user's language (the review card's line about it)."""
    values = {
        "fields": field_list(list(edit.get("fields") or []), language),
        "lang": language_name(edit.get("language"), language),
    }
    if not rebuilt:
        # A new take of copy that nothing shows needs no word; an edit is told where it went.
        return "" if edit.get("regenerated") else t("rebuilt_nothing", language, **values)
    key = "rebuilt_new_copy" if edit.get("regenerated") else "rebuilt"
    return t(key, language, assets=asset_list(rebuilt, language), **values)


async def _apply_edit(
    ctx: AgentContext, state: CampaignState, original: Any, decision: ReviewDecision
) -> tuple[str, list[str]]:
    """An edited copy is a new asset (who edited it is kept); the same edit twice finds the first one.
    Returns its id and the fields whose words changed."""
    edits = {k: v.strip() for k, v in decision.edits.items() if k in COPY_FIELDS and v.strip()}
    changed = sorted(k for k, v in edits.items() if (original.text or {}).get(k) != v)
    text = {**(original.text or {}), **edits}
    digest = brief_hash("copy-edit", {"from": original.id, "edits": edits})
    async with ctx.sessions() as session, session.begin():
        existing = await repo.find_asset_by_brief(
            session=session, workspace_id=state["workspace_id"], kind="copy", brief_hash=digest
        )
        if existing is not None:
            return existing.id, changed
        asset = await repo.add_asset(
            session=session,
            workspace_id=state["workspace_id"],
            conversation_id=state.get("conversation_id"),
            kind="copy",
            language=original.language,
            brief_hash=digest,
            file_path=None,
            mime="text/plain",
            width=None,
            height=None,
            duration_s=None,
            text=text,
            meta={**(original.meta or {}), "edited_from": original.id, "edited_fields": sorted(edits)},
            provider="edited",
        )
        await repo.update_asset(session=session, asset_id=asset.id, edited_by=decision.actor)
        await repo.update_asset(session=session, asset_id=original.id, status="superseded")
        await repo.audit(
            session=session,
            workspace_id=state["workspace_id"],
            actor=decision.actor,
            action="content.edited",
            subject_type="content_asset",
            subject_id=asset.id,
            details={"from": original.id, "fields": sorted(edits)},
        )
        return asset.id, changed
