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


def register(app: AsyncApp, door: SlackFrontDoor) -> None:
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
        door.spawn(door.decide(client, team_id=_team(body, context), user=user, ref=ref, decision=make(ref),
                               resolution_key=resolution, channel=channel),
                   client=client, channel=channel, user=user, name=f"slack-{key}")

    @app.action("adly.review.regenerate")
    async def on_regenerate(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                            context: AsyncBoltContext, client: AsyncWebClient) -> None:
        await ack()
        ref = b.Ref.decode(str(action.get("block_id", "")).partition("|")[2])
        slot = ((action.get("selected_option") or {}).get("value")) or ""
        channel, user = _where(body)
        if ref is None or not slot:
            return
        door.spawn(door.decide(client, team_id=_team(body, context), user=user, ref=ref,
                               decision={"action": "regenerate", "slot": slot}, resolution_key="resolved_regenerate",
                               channel=channel),
                   client=client, channel=channel, user=user, name="slack-regenerate")

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
        door.spawn(door.decide(client, team_id=_team(body, context), user=user, ref=ref,
                               decision={"connected": {platform: ad_account_id}},
                               resolution_key="resolved_account_chosen", channel=channel),
                   client=client, channel=channel, user=user, name="slack-choose-account")

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
        door.spawn(door.retry(client, team_id=_team(body, context), user=user, ref=ref, channel=channel,
                              message_ts=message_ts, notice=str(message.get("text") or "")),
                   client=client, channel=channel, user=user, name="slack-retry")

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
        user = body["user"]["id"]
        door.spawn(door.decide(client, team_id=_team(body, context), user=user, ref=ref,
                               decision={"action": "edit", "slot": meta.get("slot"), "edits": edits},
                               resolution_key="resolved_edited"),
                   client=client, channel=meta.get("channel"), user=user, name="slack-edit")

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
        user = body["user"]["id"]
        door.spawn(door.decide(client, team_id=_team(body, context), user=user, ref=ref,
                               decision={"action": "adjust", "text": text}, resolution_key="resolved_adjusted"),
                   client=client, user=user, name="slack-adjust")


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
