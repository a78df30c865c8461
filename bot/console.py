"""The terminal front door: `adly chat` and `adly demo`, over the same conversation driver as Slack."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx

from agent.answers import APPROVE, CANCEL, instruction_help, is_help, normalise
from agent.budget_ceiling import CeilingBreach, ceiling_breach
from agent.instructions import InstructionRefused, check_instruction
from agent.interactions import numbered_choices
from agent.localize import currency_symbol
from agent.nodes.ceiling import workspace_ceilings
from agent.oauth import OAuthFailed
from agent.parsing.text import input_language
from agent.planning import CampaignPlan
from agent.reports import campaign_summary
from agent.texts import platform_name, t
from agent.turns import Prompt, Turn, Where
from bot.console_texts import YES_WORDS, asset_lines, ct, summary_lines
from bot.services import Services, open_services
from bot.settings import Settings
from store import repositories as repo
from tools.sandbox import complete_consent

SEED_INSTRUCTION = (
    "Create Instagram and TikTok campaign for Ramadan sale with 1000 SAR budget targeting women 25-40 in Riyadh"
)
Say = Callable[[str], None]


# ---------------------------------------------------------------------------------------------- rendering


def render_prompt(prompt: Prompt) -> list[str]:
    """A prompt as lines of text with numbered choices (pure: the same payload always reads the same)."""
    p = prompt.payload
    kind = prompt.kind
    lang = "ar" if p.get("language") == "ar" else "en"
    lines: list[str] = []
    if kind == "clarify":
        if p.get("question"):
            lines.append(p["question"])
        number = 0
        for issue in p.get("issues", []):
            lines.append(f"- [{ct('severity_' + issue['severity'], lang)}] {issue['message']}")
            for fix in issue.get("fixes", []):
                if issue["severity"] == "error":
                    number += 1
                    lines.append(f"    {number}) {fix}")
        lines.append(ct("answer_or_fix" if number else "answer", lang))
    elif kind == "connect":
        lines.append(p.get("message", ""))
        for link in p.get("links", []):
            lines.append(f"- {platform_name(link['platform'], lang)}: {link['authorize_url']}")
        offered = numbered_choices(p)
        for number, (platform, choice) in enumerate(offered, start=1):
            currency = f"، {currency_symbol(choice['currency'], lang)}" if choice.get("currency") and lang == "ar" else (
                f", {choice['currency']}" if choice.get("currency") else "")
            lines.append(f"    {number}) {platform_name(platform, lang)}: {choice['name']} "
                         f"({choice['external_id']}{currency})")
        if offered:
            lines.append(ct("account", lang))
    elif kind == "review":
        lines.append(p.get("message", ""))
        for number, asset in enumerate(p.get("assets", []), start=1):
            lines.extend(asset_lines(number, asset, lang))
        lines.append(ct("review", lang))
    elif kind == "preview":
        lines.append(p.get("message", ""))
        lines.extend(f"  {line}" for line in p.get("lines", []))
        lines.extend(f"  {note}" for note in p.get("notes", []))
        lines.extend(f"  ! {w}" for w in p.get("warnings", []))
        lines.append(ct("preview", lang))
    elif kind == "over_ceiling":
        lines.append(p.get("message", ""))
        lines.append(ct("over_ceiling", lang))
    return lines


# ---------------------------------------------------------------------------------------------- OAuth in the sandbox


async def connect_in_sandbox(services: Services, turn: Turn, actor: str, say: Say) -> Turn:
    """Plays the user's browser on the sandbox consent page, then hands code and state to the driver."""
    assert turn.prompt is not None
    lang = turn.prompt.payload.get("language")
    for link in turn.prompt.payload.get("links", []):
        platform = link["platform"]
        http = services.sandbox_browsers.get(platform)
        if http is None:
            say(ct("real_platform", lang, platform=platform_name(platform, lang)))
            continue
        where = "" if services.platform_modes.get(platform) == "sandbox" else ct(
            "connecting_where", lang, host=urlparse(link["authorize_url"]).netloc)
        say(ct("connecting", lang, platform=platform_name(platform, lang), where=where))
        try:
            redirect = await complete_consent(http, link["authorize_url"])
        except (httpx.HTTPError, ValueError) as exc:
            raise OAuthFailed("sandbox_page", platform=platform, host=urlparse(link["authorize_url"]).netloc,
                              error=str(exc)) from exc
        query = parse_qs(urlparse(redirect).query)
        result = await services.driver.complete_oauth(
            platform=platform, code=query["code"][0], state=query["state"][0], actor=actor, progress=_printer(say)
        )
        if result is not None:
            turn = result
    return turn


async def choose_first_accounts(services: Services, turn: Turn, actor: str, say: Say) -> Turn:
    """The demo's choice: the first offered ad account of each platform that needs one, said out loud."""
    assert turn.prompt is not None
    chosen: dict[str, dict[str, Any]] = {}
    for platform, choice in numbered_choices(turn.prompt.payload):
        chosen.setdefault(platform, choice)
    lang = turn.prompt.payload.get("language")
    for platform, choice in chosen.items():
        say(ct("demo_account", lang, platform=platform_name(platform, lang), name=choice["name"],
               external_id=choice["external_id"]))
    return await services.driver.decide(
        conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id,
        decision={"connected": {p: c["ad_account_id"] for p, c in chosen.items()}}, actor=actor,
        progress=_printer(say),
    )


def _printer(say: Say) -> Callable[[str], Awaitable[None]]:
    async def progress(message: str) -> None:
        say(f"  ... {message}")

    return progress


# ---------------------------------------------------------------------------------------------- demo


async def _ceiling_breach(services: Services, workspace_id: str, payload: dict[str, Any]) -> CeilingBreach | None:
    currency, max_campaign, max_daily = await workspace_ceilings(services.ctx, workspace_id)
    plan = CampaignPlan.model_validate(payload.get("plan") or {})
    return ceiling_breach(plan, workspace_currency=currency, max_campaign=max_campaign, max_daily=max_daily)


def _stop_for_admin(say: Say, as_json: bool, message: str, reason: str, language: str | None = None) -> int:
    """An admin's approval is a step of its own: the demo never takes it on anyone's behalf."""
    say(ct("demo_stopped", language, message=message))
    if as_json:
        say(json.dumps({"campaign_id": None, "status": "needs_admin_approval", "reason": reason,
                        "platforms": [], "assets": []}, ensure_ascii=False))
    return 5


async def run_demo(settings: Settings, text: str, *, as_json: bool, say: Say = print) -> int:
    """The whole flow for `text`, approving on the user's behalf and saying so; exit 0 only when live."""
    try:
        check_instruction(text, settings.adly_max_instruction_chars)
    except InstructionRefused as exc:
        print(f"adly demo: {exc.text(input_language(text[:2000]))}", file=sys.stderr)
        return 2
    async with open_services(settings) as services:
        user = "console:demo"
        workspace = await services.local_workspace(user)
        say(ct("instruction", input_language(text[:2000]), text=text))
        progress = _printer(say)
        turn = await services.driver.start(
            workspace_id=workspace.id, user=user, text=text,
            where=Where("console", "demo", uuid.uuid4().hex), progress=progress,
        )
        while turn.prompt is not None:
            prompt = turn.prompt
            lang = prompt.payload.get("language")
            for line in render_prompt(prompt):
                say(line)
            if prompt.kind == "clarify":
                say(ct("demo_no_questions", lang))
                if as_json:
                    say(json.dumps({"campaign_id": None, "status": "needs_clarification",
                                    "question": prompt.payload, "platforms": [], "assets": []}, ensure_ascii=False))
                return 2
            if prompt.kind == "connect" and not prompt.payload.get("links") and prompt.payload.get("choices"):
                turn = await choose_first_accounts(services, turn, user, say)
                continue
            if prompt.kind == "connect":
                before = prompt.interrupt_id
                try:
                    turn = await connect_in_sandbox(services, turn, user, say)
                except OAuthFailed as exc:
                    say(ct("not_connected", lang, reason=exc.text(lang)))
                    return 3
                if turn.prompt is not None and turn.prompt.interrupt_id == before:
                    say(ct("demo_no_callback", lang))
                    return 3
                continue
            if prompt.kind == "over_ceiling":
                return _stop_for_admin(say, as_json, str(prompt.payload.get("message")),
                                       str(prompt.payload.get("reason")), lang)
            if prompt.kind == "review":
                say(ct("demo_approve_content", lang))
                decision = {"action": "approve", "content_hash": prompt.payload.get("content_hash")}
            else:
                breach = await _ceiling_breach(services, workspace.id, prompt.payload)
                if breach is not None:
                    return _stop_for_admin(say, as_json, t("over_ceiling", prompt.payload.get("language"),
                                                           reason=breach.reason(prompt.payload.get("language", "en"))),
                                           breach.reason("en"), lang)
                say(ct("demo_approve_plan", lang))
                decision = {"action": "approve", "plan_hash": prompt.payload.get("plan_hash")}
            turn = await services.driver.decide(
                conversation_id=turn.conversation_id, interrupt_id=prompt.interrupt_id, decision=decision,
                actor=user, progress=progress,
            )
            if turn.status == "refused":
                # The approval rules hold for the demo too (four eyes above the self-approval limit).
                say(ct("demo_stopped", lang, message=turn.notice))
                if as_json:
                    say(json.dumps({"campaign_id": None, "status": "refused", "reason": turn.notice,
                                    "platforms": [], "assets": []}, ensure_ascii=False))
                return 4
            if turn.notice:
                say(turn.notice)
        if turn.notice:
            say(turn.notice)
        summary = await campaign_summary(services.ctx, turn.conversation_id)
        for line in summary_lines(summary, turn.language):
            say(line)
        if as_json:
            say(json.dumps(summary, ensure_ascii=False, default=str))
        return 0 if summary["status"] == "live" else 1


# ---------------------------------------------------------------------------------------------- chat


async def _ask(question: str) -> str | None:
    try:
        return await asyncio.to_thread(input, question)
    except EOFError:
        return None


async def run_chat(settings: Settings, *, resume: str | None, user: str = "console:you", say: Say = print) -> int:
    """An interactive conversation in the terminal; `--resume` continues the latest waiting one."""
    async with open_services(settings) as services:
        workspace = await services.local_workspace(user)
        progress = _printer(say)
        turn: Turn | None = None
        if resume is not None:
            turn = await _resume_turn(services, workspace.id, resume, say)
            if turn is None:
                return 1
        while True:
            if turn is None or turn.prompt is None:
                if turn is not None:
                    await _say_outcome(services, turn, say)
                text = await _ask(ct("ask_campaign", turn.language) if turn is not None
                                  else ct("ask_campaign_first", None))
                if not text:
                    return 0
                help_text = instruction_help(text, today=services.ctx.clock().date())
                if help_text is not None:
                    say(help_text)  # a question or nonsense starts no campaign
                    turn = None
                    continue
                try:
                    turn = await services.driver.start(
                        workspace_id=workspace.id, user=user, text=text,
                        where=Where("console", "chat", uuid.uuid4().hex), progress=progress,
                    )
                except InstructionRefused as exc:
                    say(exc.text(input_language(text[:2000])))
                    turn = None
                continue
            prompt = turn.prompt
            lang = prompt.payload.get("language") or turn.language
            for line in render_prompt(prompt):
                say(line)
            if prompt.kind == "connect" and not prompt.payload.get("links"):
                answer = await _ask("> ")
                if answer is None:
                    say(ct("paused", lang, conversation_id=turn.conversation_id))
                    return 0
                if not answer.strip().isdigit() or not 1 <= int(answer.strip()) <= len(numbered_choices(prompt.payload)):
                    say(ct("numbered_accounts", lang))
                    continue
                # The driver maps the number to the account (and checks it belongs to this workspace).
                turn = await services.driver.reply(
                    conversation_id=turn.conversation_id, text=answer, actor=user, progress=progress
                )
                if turn.notice:
                    say(turn.notice)
                continue
            if prompt.kind == "connect":
                answer = await _ask(ct("connect_now", lang))
                if answer is None:
                    return 0
                if answer.strip().lower() in YES_WORDS or normalise(answer) in APPROVE:
                    try:
                        turn = await connect_in_sandbox(services, turn, user, say)
                    except OAuthFailed as exc:
                        say(ct("not_connected", lang, reason=exc.text(lang)))
                elif normalise(answer) in CANCEL or is_help(answer):
                    # A way out here too ("إلغاء"), and help: the driver reads them as at any prompt.
                    turn = await services.driver.reply(conversation_id=turn.conversation_id, text=answer,
                                                       actor=user, progress=progress)
                    if turn.notice:
                        say(turn.notice)
                continue
            while True:
                answer = await _ask("> ")
                if answer is None:
                    say(ct("paused", lang, conversation_id=turn.conversation_id))
                    return 0
                # The same reading of typed answers as Slack thread replies: words, numbers, help, a way out.
                turn = await services.driver.reply(
                    conversation_id=turn.conversation_id, text=answer, actor=user, progress=progress
                )
                if turn.notice:
                    say(turn.notice)
                if turn.prompt is None or turn.prompt.interrupt_id != prompt.interrupt_id:
                    break


async def _resume_turn(services: Services, workspace_id: str, which: str, say: Say) -> Turn | None:
    async with services.sessions() as session:
        if which:
            conversation = await repo.get_conversation(session=session, conversation_id=which)
        else:
            waiting = await repo.list_conversations(
                session=session, workspace_id=workspace_id, statuses=["waiting", "active", "failed"]
            )
            console = [c for c in waiting if c.channel_kind == "console"]
            conversation = max(console, key=lambda c: c.updated_at) if console else None
    if conversation is None:
        say(ct("nothing_to_resume", None))
        return None
    say(ct("resuming", conversation.language))
    turn = await services.driver.current(conversation.id)
    if turn.prompt is None and turn.status in ("failed", "error"):
        turn = await services.driver.retry(conversation.id, progress=_printer(say))
    return turn


async def _say_outcome(services: Services, turn: Turn, say: Say) -> None:
    summary = await campaign_summary(services.ctx, turn.conversation_id)
    for line in summary_lines(summary, turn.language):
        say(line)


def stdout_say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
