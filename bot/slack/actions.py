"""Listeners for card buttons and the Edit / Adjust modals: ack at once, let the driver decide after."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from agent.texts import t
from bot.slack import blocks as b
from bot.slack.texts import st
from bot.work.queue import JobRun
from tools.generation.base import CopyVariant, check_copy_limits

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor

# action_id prefix -> (decision for the driver given the ref, how the answered card reads afterwards)
_DECISIONS: dict[str, tuple[Any, str]] = {
    "adly.review.approve": (lambda ref: {"action": "approve", "content_hash": ref.extra}, "resolved_approved"),
    "adly.review.cancel": (lambda ref: {"action": "cancel"}, "resolved_cancelled"),
    "adly.preview.approve": (lambda ref: {"action": "approve", "plan_hash": ref.extra}, "resolved_published"),
    "adly.preview.cancel": (lambda ref: {"action": "cancel"}, "resolved_cancelled"),
    "adly.ceiling.approve": (lambda ref: {"action": "approve", "plan_hash": ref.extra}, "resolved_ceiling_approved"),
    "adly.ceiling.cancel": (lambda ref: {"action": "cancel"}, "resolved_cancelled"),
    "adly.clarify.cancel": (lambda ref: {"cancel": True}, "resolved_cancelled"),
    "adly.connect.cancel": (lambda ref: {"cancel": True}, "resolved_cancelled"),
    "adly.clarify.fix": (lambda ref: {"fix": int(ref.extra)}, "resolved_answered"),
}


def _where(body: dict[str, Any]) -> tuple[str | None, str]:
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    return channel, body["user"]["id"]


def _team(body: dict[str, Any], context: AsyncBoltContext) -> str | None:
    # The clicking user's own team: in a shared channel, an outside org's user is not this workspace's approver.
    return (body.get("user") or {}).get("team_id") or context.team_id


async def _defer_decision(door: SlackFrontDoor, body: dict[str, Any], context: AsyncBoltContext, ref: b.Ref,
                          decision: dict[str, Any], resolution_key: str, *, modal_channel: str | None = None) -> None:
    """A click or a modal's answer, as a job: the driver decides wherever a worker runs it."""
    if "view" in body:  # a modal's answer: no channel in the body; the Edit modal carries its own
        channel, user = modal_channel, body["user"]["id"]
    else:
        channel, user = _where(body)
    await door.defer("slack.decide", {"ref": ref.encode(), "decision": decision, "resolution_key": resolution_key},
                     team_id=_team(body, context), channel=channel, user=user,
                     lock=f"conversation:{ref.conversation_id}")


async def _decide_job(door: SlackFrontDoor, payload: dict[str, Any], run: JobRun) -> None:
    client, ref, where = await door.job_client(payload), b.Ref.decode(payload["ref"]), payload["where"]
    if ref is None:
        return
    if run.attempt and await _resumed(door, client, where, ref):
        return
    await door.decide(client, team_id=where["team_id"], user=where["user"], ref=ref, decision=payload["decision"],
                      resolution_key=payload["resolution_key"], channel=where["channel"])


async def _retry_job(door: SlackFrontDoor, payload: dict[str, Any], run: JobRun) -> None:
    client, ref, where = await door.job_client(payload), b.Ref.decode(payload["ref"]), payload["where"]
    if ref is None:
        return
    if run.attempt and await _resumed(door, client, where, ref):
        return
    await door.retry(client, team_id=where["team_id"], user=where["user"], ref=ref, channel=where["channel"],
                     message_ts=payload.get("message_ts"), notice=payload.get("notice") or "")


async def _resumed(door: SlackFrontDoor, client: AsyncWebClient, where: dict[str, Any], ref: b.Ref) -> bool:
    """Run again after its worker died: whatever that worker left half-done continues instead."""
    workspace_id = await door.workspace_id(where["team_id"], client)
    conversation = await door.conversation_in(workspace_id, ref.conversation_id)
    return conversation is not None and await door.resume_after_dead_worker(client, conversation)


def register(app: AsyncApp, door: SlackFrontDoor) -> None:
    queue = door.services.queue
    queue.register("slack.decide", lambda payload, run: _decide_job(door, payload, run),
                   on_error=door.report_job_failure)
    queue.register("slack.retry", lambda payload, run: _retry_job(door, payload, run),
                   on_error=door.report_job_failure)
    decision_ids = "|".join(re.escape(k) for k in _DECISIONS)

    @app.action(re.compile(rf"^(?:{decision_ids})(?:\.\d+)?$"))
    async def on_decision(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], context: AsyncBoltContext,
                          client: AsyncWebClient) -> None:
        await ack()
        ref = b.Ref.decode(action.get("value"))
        channel, user = _where(body)
        if ref is None:
            return
        key = re.sub(r"\.\d+$", "", action["action_id"])
        make, resolution = _DECISIONS[key]
        await _defer_decision(door, body, context, ref, make(ref), resolution)

    @app.action("adly.review.regenerate")
    async def on_regenerate(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                            context: AsyncBoltContext, client: AsyncWebClient) -> None:
        await ack()
        ref = b.Ref.decode(str(action.get("block_id", "")).partition("|")[2])
        slot = ((action.get("selected_option") or {}).get("value")) or ""
        channel, user = _where(body)
        if ref is None or not slot:
            return
        await _defer_decision(door, body, context, ref, {"action": "regenerate", "slot": slot}, "resolved_regenerate")

    @app.action(re.compile(r"^adly\.review\.edit\."))
    async def on_edit(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], context: AsyncBoltContext,
                      client: AsyncWebClient) -> None:
        await ack()
        ref = b.Ref.decode(action.get("value"))
        channel, user = _where(body)
        if ref is None:
            return
        # trigger_id lives ~3 s: the modal opens right after the ack, before anything slow.
        door.spawn(_open_edit(door, client, _team(body, context), user, channel, ref, body["trigger_id"]),
                   client=client, channel=channel, user=user, name="slack-edit-open")

    @app.action("adly.preview.adjust")
    async def on_adjust(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], context: AsyncBoltContext,
                        client: AsyncWebClient) -> None:
        await ack()
        ref = b.Ref.decode(action.get("value"))
        channel, user = _where(body)
        if ref is None:
            return
        door.spawn(_open_adjust(door, client, _team(body, context), ref, body["trigger_id"]),
                   client=client, channel=channel, user=user, name="slack-adjust-open")

    @app.action(re.compile(r"^adly\.connect\.choose\.[a-z]+$"))
    async def on_choose_account(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                                context: AsyncBoltContext, client: AsyncWebClient) -> None:
        await ack()
        ref = b.Ref.decode(str(action.get("block_id", "")).partition("|")[2])
        platform = action["action_id"].rpartition(".")[2]
        ad_account_id = ((action.get("selected_option") or {}).get("value")) or ""
        channel, user = _where(body)
        if ref is None or not ad_account_id:
            return
        # The driver checks the account is this workspace's, on this platform.
        await _defer_decision(door, body, context, ref, {"connected": {platform: ad_account_id}}, "resolved_account_chosen")

    @app.action("adly.retry")
    async def on_retry(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], context: AsyncBoltContext,
                       client: AsyncWebClient) -> None:
        await ack()
        ref = b.Ref.decode(action.get("value"))
        channel, user = _where(body)
        message = body.get("message") or {}
        message_ts = message.get("ts") or (body.get("container") or {}).get("message_ts")
        if ref is None:
            return
        await door.defer("slack.retry", {"ref": ref.encode(), "message_ts": message_ts,
                                         "notice": str(message.get("text") or "")},
                         team_id=_team(body, context), channel=channel, user=user, lock=f"conversation:{ref.conversation_id}")

    @app.action(re.compile(r"^adly\.(?:connect|report|reconnect)\.open\."))
    async def on_link(ack: AsyncAck) -> None:
        # Link buttons open the browser themselves; Slack still sends the click, which only needs its ack.
        await ack()

    @app.view("adly.edit_copy")
    async def on_edit_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any],
                             context: AsyncBoltContext, client: AsyncWebClient) -> None:
        meta = json.loads(view.get("private_metadata") or "{}")
        language = meta.get("language", "en")
        values = {f: _input(view, f) for f in b.COPY_FIELDS}
        errors = copy_errors(values, meta, language)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        ref = b.Ref.decode(meta.get("ref"))
        original = meta.get("original") or {}
        edits = {f: v for f, v in values.items() if v != original.get(f)}
        if ref is None or not edits:
            return
        await _defer_decision(door, body, context, ref, {"action": "edit", "slot": meta.get("slot"), "edits": edits},
                              "resolved_edited", modal_channel=meta.get("channel"))

    @app.view("adly.adjust")
    async def on_adjust_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any],
                               context: AsyncBoltContext, client: AsyncWebClient) -> None:
        meta = json.loads(view.get("private_metadata") or "{}")
        text = _input(view, "change")
        if not text:
            await ack(response_action="errors", errors={"change": st("required", meta.get("language", "en"))})
            return
        await ack()
        ref = b.Ref.decode(meta.get("ref"))
        if ref is None:
            return
        await _defer_decision(door, body, context, ref, {"action": "adjust", "text": text}, "resolved_adjusted")


def _input(view: dict[str, Any], block_id: str) -> str:
    state = ((view.get("state") or {}).get("values") or {}).get(block_id) or {}
    return str((state.get("value") or {}).get("value") or "").strip()


def copy_errors(values: dict[str, str], meta: dict[str, Any], language: str) -> dict[str, str]:
    """Inline errors for the Edit modal, keyed by input block id: empty fields, then every platform limit."""
    errors = {f: st("required", language) for f, v in values.items() if not v}
    if errors:
        return errors
    try:
        variant = CopyVariant(language=meta.get("copy_language") or language, cta=meta.get("cta") or "learn_more",
                              **values)
    except ValidationError:
        return {}
    ar = language == "ar"
    for violation in check_copy_limits(variant, list(meta.get("platforms") or [])):
        if violation.field in values:
            message = violation.message_ar if ar else violation.message_en
            errors[violation.field] = f"{errors[violation.field]} {message}" if violation.field in errors else message
    return {k: b.clip(v, 2000) for k, v in errors.items()}


async def _pending_prompt(door: SlackFrontDoor, conversation: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The pending prompt's payload and the state's values, read from the checkpoint without the thread lock."""
    snapshot = await door.services.driver.graph.aget_state({"configurable": {"thread_id": conversation.thread_id}})
    interrupts = list(snapshot.interrupts or ())
    if not interrupts or not isinstance(interrupts[0].value, dict):
        return None
    return {**interrupts[0].value, "_interrupt_id": interrupts[0].id}, dict(snapshot.values or {})


async def _open_edit(door: SlackFrontDoor, client: AsyncWebClient, team_id: str | None, user: str,
                     channel: str | None, ref: b.Ref, trigger_id: str) -> None:
    workspace_id = await door.workspace_id(team_id, client)
    conversation = await door.conversation_in(workspace_id, ref.conversation_id)
    if conversation is None:
        return
    pending = await _pending_prompt(door, conversation)
    language = conversation.language or "en"
    if pending is None or pending[0].get("_interrupt_id") != ref.interrupt_id:
        await door.renderer.ephemeral(client, conversation.channel_id, user, t("already_handled", language),
                                      conversation.thread_ts)
        return
    payload, values = pending
    language = payload.get("language", language)
    asset = next((a for a in payload.get("assets") or [] if a.get("slot") == ref.extra), None)
    if asset is None or asset.get("kind") != "copy":
        return
    text = asset.get("text") or {}
    metadata = {
        "channel": conversation.channel_id, "language": language, "copy_language": asset.get("language"),
        "platforms": list((values.get("request") or {}).get("platforms") or []), "cta": text.get("cta"),
        "original": {f: text.get(f, "") for f in b.COPY_FIELDS},
    }
    view = b.edit_modal(b.Ref(ref.conversation_id, ref.interrupt_id), ref.extra, text, metadata, language)
    if len(view["private_metadata"]) >= 3000:
        # Too long to carry the originals: every field then counts as edited, which is still correct.
        metadata.pop("original")
        view = b.edit_modal(b.Ref(ref.conversation_id, ref.interrupt_id), ref.extra, text, metadata, language)
    await client.views_open(trigger_id=trigger_id, view=view)


async def _open_adjust(door: SlackFrontDoor, client: AsyncWebClient, team_id: str | None, ref: b.Ref,
                       trigger_id: str) -> None:
    workspace_id = await door.workspace_id(team_id, client)
    conversation = await door.conversation_in(workspace_id, ref.conversation_id)
    if conversation is None:
        return
    await client.views_open(trigger_id=trigger_id, view=b.adjust_modal(ref, conversation.language or "en"))
