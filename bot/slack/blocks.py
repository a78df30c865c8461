"""Pure Block Kit builders: a payload (or a read model) in, a message or view out; same input, same blocks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from agent.localize import currency_symbol, language_name, money_text, provider_name, slot_label, status_text
from agent.messages import field_prompt
from agent.publishing.outcome import reason_text
from agent.texts import platform_list, platform_name
from bot.slack.texts import st
from tools.generation.brand import transliterate

Block = dict[str, Any]

# Slack's limits (slack_sdk.models validators); texts are cut to fit rather than rejected by Slack.
SECTION_TEXT = 3000
FIELD_TEXT = 2000
HEADER_TEXT = 150
BUTTON_TEXT = 75
OPTION_TEXT = 75
OPTION_VALUE = 150
CONTEXT_TEXT = 2000
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
FALLBACK_TEXT = 3000

# Copy fields in the order a marketer reads them.
COPY_FIELDS = ("headline", "primary_text", "description", "cta_label")


@dataclass(frozen=True)
class Message:
    """A message to post or update: `text` is the notification fallback (escaped), `blocks` the card."""

    text: str
    blocks: list[Block]


@dataclass(frozen=True)
class Ref:
    """What a button carries: which conversation, which pending question, and one id (hash, slot, number)."""

    conversation_id: str
    interrupt_id: str
    extra: str = ""

    def encode(self) -> str:
        return json.dumps({"c": self.conversation_id, "i": self.interrupt_id, "x": self.extra},
                          separators=(",", ":"))

    @classmethod
    def decode(cls, value: str | None) -> Ref | None:
        try:
            data = json.loads(value or "")
            return cls(str(data["c"]), str(data["i"]), str(data.get("x", "")))
        except (ValueError, KeyError, TypeError):
            return None


# ---------------------------------------------------------------------------------------------- text


def escape(text: Any) -> str:
    """Text from a user or a model, made inert: no mentions, no `<!channel>`, no links Slack would parse."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def safe(text: Any, limit: int = SECTION_TEXT) -> str:
    """Escaped and cut to `limit` characters without splitting an entity like `&amp;`."""
    raw = str(text)
    out = escape(raw)
    while len(out) > limit:
        raw = raw[: max(0, len(raw) - (len(out) - limit) - 1)]
        out = escape(raw) + "…"
    return out


def plain(text: str, limit: int, emoji: bool = True) -> dict[str, Any]:
    # plain_text is never parsed for mentions or links, so it needs no escaping, only the length cut.
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": emoji}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text or " "}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(clip(text, SECTION_TEXT))}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, HEADER_TEXT)}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(clip(t, CONTEXT_TEXT)) for t in texts[:10]]}


def divider() -> Block:
    return {"type": "divider"}


def button(label: str, action_id: str, value: str | None = None, *, style: str | None = None,
           url: str | None = None, confirm: dict[str, Any] | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(label, BUTTON_TEXT), "action_id": action_id}
    if value is not None:
        element["value"] = value
    if style:
        element["style"] = style
    if url:
        element["url"] = url
    if confirm:
        element["confirm"] = confirm
    return element


def confirm_dialog(title: str, text: str, yes: str, no: str, *, style: str | None = None) -> dict[str, Any]:
    dialog: dict[str, Any] = {
        "title": plain(title, 100),
        "text": plain(text, 300),
        "confirm": plain(yes, 30),
        "deny": plain(no, 30),
    }
    if style:
        dialog["style"] = style
    return dialog


def actions(block_id: str, *elements: dict[str, Any]) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)[:25]}


def _cancel_button(ref: Ref, language: str, action_id: str) -> dict[str, Any]:
    return button(
        st("cancel", language), action_id, ref.encode(), style="danger",
        confirm=confirm_dialog(st("cancel_confirm_title", language), st("cancel_confirm_text", language),
                               st("yes_cancel", language), st("keep", language), style="danger"),
    )


def _finish(text: str, blocks: list[Block], resolved: str | None, limit: int = MESSAGE_BLOCKS) -> Message:
    """Answered cards lose their buttons and say who answered when; the story stays readable."""
    if resolved is not None:
        blocks = [b for b in blocks if b.get("type") != "actions"]
        blocks.append(context(f":white_check_mark: {resolved}"))
    if len(blocks) > limit:
        blocks = blocks[: limit - 1] + [context("…")]
    return Message(text=clip(text, FALLBACK_TEXT), blocks=blocks)


# ---------------------------------------------------------------------------------------------- status and notices


def status_message(text: str, *, done: bool = False) -> Message:
    icon = ":white_check_mark:" if done else ":hourglass_flowing_sand:"
    return Message(text=safe(text, FALLBACK_TEXT), blocks=[context(f"{icon} {safe(text, CONTEXT_TEXT - 30)}")])


def notice_message(text: str) -> Message:
    return Message(text=safe(text, FALLBACK_TEXT), blocks=[section(safe(text))])


def error_notice(text: str, ref: Ref, language: str, *, resolved: str | None = None) -> Message:
    """A flow stopped on an error: what happened, and a Retry that resumes it from where it stopped (the publish
    ledger dedupes what was already sent)."""
    blocks: list[Block] = [section(safe(text)),
                           actions("adly.retry", button(st("retry", language), "adly.retry", ref.encode(),
                                                        style="primary"))]
    return _finish(text, blocks, resolved)


def request_root(user_name: str, instruction: str, language: str) -> Message:
    """The thread's first message when the request came from `/adly`: who asked, and what, verbatim."""
    text = f"{st('request_from', language, user=safe(user_name, 100))}\n>{safe(instruction, 2800)}"
    return Message(text=clip(text, FALLBACK_TEXT), blocks=[section(text)])


# ---------------------------------------------------------------------------------------------- prompt cards


def prompt_card(kind: str, payload: dict[str, Any], ref: Ref, *, resolved: str | None = None,
                media_in_thread: bool = False) -> Message:
    """The card of one pending prompt (the driver's Prompt: kind, payload) with buttons bound to `ref`."""
    if kind == "clarify":
        return clarify_card(payload, ref, resolved=resolved)
    if kind == "connect":
        return connect_card(payload, ref, resolved=resolved)
    if kind == "review":
        return review_card(payload, ref, resolved=resolved, media_in_thread=media_in_thread)
    if kind == "preview":
        return preview_card(payload, ref, resolved=resolved)
    if kind == "over_ceiling":
        return ceiling_card(payload, ref, resolved=resolved)
    return notice_message(str(payload.get("message") or kind))


def clarify_card(payload: dict[str, Any], ref: Ref, *, resolved: str | None = None) -> Message:
    language = payload.get("language", "en")
    question = str(payload.get("question") or "")
    blocks: list[Block] = [header(st("clarify_title", language)), section(safe(question))]
    missing = [str(m) for m in payload.get("missing") or []]
    if missing:
        labels = [field_prompt(m)[2 if language == "ar" else 0] for m in missing]
        sep = "، " if language == "ar" else ", "
        blocks.append(context(st("missing", language, fields=safe(sep.join(labels), 1500))))
    fix_buttons: list[dict[str, Any]] = []
    icons = {"error": ":x:", "warning": ":warning:", "info": ":information_source:"}
    for issue in payload.get("issues") or []:
        severity = issue.get("severity", "info")
        blocks.append(section(f"{icons.get(severity, '')} {safe(issue.get('message', ''), 2900)}"))
        for label in issue.get("fixes") or []:
            if severity != "error":
                continue
            # Numbered like the driver counts them: the n-th fix offered by an error, in order.
            number = len(fix_buttons) + 1
            fix_buttons.append(button(f"{number}. {label}", f"adly.clarify.fix.{number}",
                                      Ref(ref.conversation_id, ref.interrupt_id, str(number)).encode()))
    hint = st("reply_hint" if fix_buttons else "reply_hint_plain", language)
    blocks.append(context(hint))
    blocks.append(actions("adly.clarify", *fix_buttons[:24], _cancel_button(ref, language, "adly.clarify.cancel")))
    return _finish(f"{st('clarify_title', language)}: {safe(question, 2000)}", blocks, resolved)


def connect_card(payload: dict[str, Any], ref: Ref, *, resolved: str | None = None) -> Message:
    language = payload.get("language", "en")
    blocks: list[Block] = [header(st("connect_title", language)), section(safe(payload.get("message", "")))]
    for platform, account in sorted((payload.get("connected") or {}).items()):
        blocks.append(section(":white_check_mark: " + st("connected_line", language,
                                                            platform=platform_name(platform, language),
                                                            account=safe(account, 200))))
    link_buttons: list[dict[str, Any]] = []
    for link in payload.get("links") or []:
        platform = str(link.get("platform"))
        link_buttons.append(button(
            st("connect_button", language, platform=platform_name(platform, language)),
            f"adly.connect.open.{platform}", ref.encode(), style="primary" if not link_buttons else None,
            url=str(link.get("authorize_url"))[:3000],
        ))
    if link_buttons:
        blocks.append(context(st("connect_hint", language)))
    # One select per platform with several accounts; option values are ad_accounts ids, the ref rides in block_id.
    selects: list[dict[str, Any]] = []
    for platform, choices in (payload.get("choices") or {}).items():
        options = [{"text": plain(f"{c.get('name')} ({c.get('external_id')}"
                                  + (f"{'، ' if language == 'ar' else ', '}{currency_symbol(c['currency'], language)})"
                                     if c.get("currency") else ")"), OPTION_TEXT),
                    "value": str(c.get("ad_account_id"))[:OPTION_VALUE]} for c in choices[:100]]
        if options:
            selects.append({"type": "static_select", "action_id": f"adly.connect.choose.{platform}",
                            "placeholder": plain(st("choose_account", language,
                                                    platform=platform_name(platform, language)), 150),
                            "options": options})
    if selects:
        blocks.append(actions(f"adly.connect.choose|{ref.encode()}"[:255], *selects))
    blocks.append(actions("adly.connect", *link_buttons, _cancel_button(ref, language, "adly.connect.cancel")))
    return _finish(safe(payload.get("message", ""), 2000), blocks, resolved)


def review_card(payload: dict[str, Any], ref: Ref, *, resolved: str | None = None,
                media_in_thread: bool = False) -> Message:
    language = payload.get("language", "en")
    assets = list(payload.get("assets") or [])
    blocks: list[Block] = [header(st("review_title", language, round=payload.get("round", 1))),
                           section(safe(payload.get("message", "")))]
    edit_buttons = []
    for asset in assets:
        if asset.get("kind") != "copy":
            continue
        text = asset.get("text") or {}
        lang_name = language_name(asset.get("language"), language)
        fields = [mrkdwn(f"*{st(f, language)}*\n{safe(text.get(f, ''), FIELD_TEXT - 40)}") for f in COPY_FIELDS]
        blocks.append(section(f"*{st('copy_heading', language, lang=lang_name)}*"))
        blocks.append({"type": "section", "fields": fields})
        problems = [safe(p, 500) for p in asset.get("problems") or []]
        if problems:
            blocks.append(context(*(f":warning: {p}" for p in problems)))
        edit_buttons.append(button(st("edit_copy", language, lang=lang_name),
                                   f"adly.review.edit.{asset['slot']}",
                                   Ref(ref.conversation_id, ref.interrupt_id, str(asset["slot"])).encode()))
    media = []
    for asset in assets:
        if asset.get("kind") == "copy":
            continue
        size = f"{asset['width']}×{asset['height']}" if asset.get("width") else ""
        seconds = f"{float(asset.get('duration_s') or 0):.1f}"
        duration = (f" {seconds} ث" if language == "ar" else f" {seconds}s") if asset.get("duration_s") else ""
        media.append("• " + st("media_line", language, label=slot_label(str(asset.get("slot")), language),
                               size=size, duration=duration,
                               provider=safe(provider_name(asset.get("provider", ""), language), 60),
                               draft=st("draft_voice", language) if asset.get("draft") else ""))
    if media:
        blocks.append(section("\n".join(media)))
        if media_in_thread:
            blocks.append(context(st("media_uploaded", language)))
    # People read the asset's name ("النص العربي", "Square image (1:1), English"); the value stays the slot id.
    options = [
        {"text": plain(slot_label(str(a["slot"]), language), OPTION_TEXT), "value": clip(str(a["slot"]), OPTION_VALUE)}
        for a in assets[:100]
    ] + [  # what could not be made is offered too: regenerating it tries again
        {"text": plain(slot_label(str(slot), language), OPTION_TEXT), "value": clip(str(slot), OPTION_VALUE)}
        for slot in (payload.get("failed") or [])[:10]
    ]
    elements: list[dict[str, Any]] = [
        button(st("approve", language), "adly.review.approve",
               Ref(ref.conversation_id, ref.interrupt_id, str(payload.get("content_hash", ""))).encode(),
               style="primary"),
        *edit_buttons,
    ]
    if options:
        # The select's own value cannot hold the ref, so the ref rides in the block id (<= 255 chars).
        elements.append({"type": "static_select", "action_id": "adly.review.regenerate",
                         "placeholder": plain(st("regenerate", language), 150), "options": options})
    elements.append(_cancel_button(ref, language, "adly.review.cancel"))
    blocks.append(actions(f"adly.review|{ref.encode()}"[:255], *elements))
    return _finish(st("review_title", language, round=payload.get("round", 1)), blocks, resolved)


def _money(value: Any, currency: str, language: str | None = None) -> str:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return f"{value} {currency}".strip()
    if not currency:
        return f"{amount:,.2f}"
    return money_text(amount, currency, language)


def preview_card(payload: dict[str, Any], ref: Ref, *, resolved: str | None = None) -> Message:
    language = payload.get("language", "en")
    plan = payload.get("plan") or {}
    lines = [str(line) for line in payload.get("lines") or []]
    currency = str(plan.get("currency", ""))
    platforms = [p.get("platform", "") for p in plan.get("platforms") or []]
    blocks: list[Block] = [header(st("preview_title", language)), section(safe(payload.get("message", "")))]
    # Lines before the first platform line are the campaign summary; each platform line opens its tree.
    summary, trees, current = [], [], None
    names = {platform_name(p, language) for p in platforms}
    for line in lines:
        if not line.startswith(" ") and any(line.startswith(n + ":") for n in names):
            current = [line]
            trees.append(current)
        elif current is not None:
            current.append(line)
        else:
            summary.append(line)
    if summary:
        blocks.append(section("\n".join(f"*{safe(summary[0], 200)}*" if i == 0 else safe(s, 500)
                                        for i, s in enumerate(summary))))
    split = [mrkdwn(f"*{platform_name(p.get('platform', ''), language)}*\n"
                    f"{_money(p.get('budget_amount'), p.get('currency') or currency, language)}")
             for p in (plan.get("platforms") or [])[:10]]
    if split:
        blocks.append(section(f"*{st('budget_split', language)}*"))
        blocks.append({"type": "section", "fields": split})
    for tree in trees:
        blocks.append(divider())
        body = "\n".join(safe(line, 400) for line in tree[1:])
        blocks.append(section(f"*{safe(tree[0], 300)}*\n```{body}```" if body else f"*{safe(tree[0], 300)}*"))
    notes = [safe(note, 600) for note in payload.get("notes") or []]
    if notes:
        blocks.append(context(*notes))  # why the budget and the ad sets are split as they are
    warnings = [f":warning: {safe(w, 600)}" for w in payload.get("warnings") or []]
    if warnings:
        blocks.append(context(*warnings))
    blocks.append(context(st("adjust_hint", language)))
    budget = _money(plan.get("total_budget"), currency, language)
    publish = button(
        st("publish", language), "adly.preview.approve",
        Ref(ref.conversation_id, ref.interrupt_id, str(payload.get("plan_hash", ""))).encode(), style="primary",
        confirm=confirm_dialog(st("publish_confirm_title", language),
                               st("publish_confirm_text", language, budget=budget,
                                  platforms=platform_list(platforms, language)),
                               st("publish_yes", language), st("publish_no", language), style="primary"),
    )
    blocks.append(actions("adly.preview", publish, button(st("adjust", language), "adly.preview.adjust",
                                                            ref.encode()),
                          _cancel_button(ref, language, "adly.preview.cancel")))
    return _finish(f"{st('preview_title', language)}: {budget}", blocks, resolved)


def ceiling_card(payload: dict[str, Any], ref: Ref, *, resolved: str | None = None) -> Message:
    """A plan above the workspace's budget ceilings: only an admin's click publishes it."""
    language = payload.get("language", "en")
    currency, ceiling_currency = str(payload.get("currency", "")), str(payload.get("ceiling_currency", ""))
    total = _money(payload.get("total_budget"), currency, language)
    blocks: list[Block] = [
        header(st("ceiling_title", language)), section(safe(payload.get("message", ""))),
        section(st("ceiling_figures", language, total=total,
                   per_day=_money(payload.get("per_day"), currency, language),
                   max_campaign=_money(payload.get("max_campaign_budget"), ceiling_currency, language),
                   max_daily=_money(payload.get("max_daily_budget"), ceiling_currency, language))),
    ]
    if payload.get("approved_by"):
        blocks.append(context(st("ceiling_approved_by", language, user=safe(payload["approved_by"], 100))))
    approve = button(
        st("ceiling_approve", language), "adly.ceiling.approve",
        Ref(ref.conversation_id, ref.interrupt_id, str(payload.get("plan_hash", ""))).encode(), style="danger",
        confirm=confirm_dialog(st("ceiling_confirm_title", language),
                               st("ceiling_confirm_text", language, total=total),
                               st("publish_yes", language), st("publish_no", language), style="danger"),
    )
    blocks.append(actions("adly.ceiling", approve, _cancel_button(ref, language, "adly.ceiling.cancel")))
    return _finish(f"{st('ceiling_title', language)}: {total}", blocks, resolved)


# ---------------------------------------------------------------------------------------------- final report


def report_message(status: str, summary: dict[str, Any], publish: dict[str, Any] | None, language: str,
                   notice: str | None = None) -> Message:
    """The thread's last word: outcome, external ids per platform, links to each ads manager."""
    title = st({"live": "report_live", "cancelled": "report_cancelled", "paused": "report_paused"}
               .get(status, "report_failed"), language)
    blocks: list[Block] = [header(title)]
    if summary.get("name"):
        blocks.append(section(f"*{safe(summary['name'], 300)}*"))
    if notice:
        blocks.append(section(safe(notice)))
    outcomes = publish or {}
    for platform in summary.get("platforms") or []:
        name = platform.get("platform", "")
        lines = [f"*{platform_name(name, language)}* ({safe(status_text(platform.get('status'), language), 40)})",
                 f"{st('campaign_id', language)}: `{safe(platform.get('external_campaign_id') or '-', 100)}`"]
        ad_sets = ", ".join(f"`{safe(s.get('external_id') or '-', 60)}`" for s in platform.get("ad_sets") or [])
        ads = ", ".join(f"`{safe(a.get('external_id') or '-', 60)}`" for a in platform.get("ads") or [])
        if ad_sets:
            lines.append(f"{st('ad_sets', language)}: {ad_sets}")
        if ads:
            lines.append(f"{st('ads', language)}: {ads}")
        outcome = outcomes.get(name) or {}
        if outcome.get("error"):
            lines.append(f":x: {safe(reason_text(outcome.get('why'), language, outcome['error']), 500)}")
        block = section("\n".join(lines))
        url = outcome.get("ads_manager_url")
        if url:
            block["accessory"] = button(st("open_ads_manager", language), f"adly.report.open.{name}",
                                        url=str(url)[:3000])
        blocks.append(block)
    assets = summary.get("assets") or []
    if assets:
        blocks.append(context(st("assets_used", language, count=len(assets))))
    return _finish(title, blocks, None)


# ---------------------------------------------------------------------------------------------- modals


def edit_modal(ref: Ref, slot: str, text: dict[str, Any], metadata: dict[str, Any], language: str) -> dict[str, Any]:
    """The copy fields of one slot, prefilled; validated on submit (inline errors keyed by these block ids)."""
    blocks: list[Block] = [context(safe(slot_label(slot, language), 100))]
    for field in COPY_FIELDS:
        multiline = field == "primary_text"
        blocks.append({
            "type": "input", "block_id": field, "label": plain(st(field, language), 2000),
            "element": {"type": "plain_text_input", "action_id": "value", "multiline": multiline,
                        "initial_value": str(text.get(field, ""))[:3000], "max_length": 3000},
        })
    return {
        "type": "modal", "callback_id": "adly.edit_copy",
        "title": plain(st("edit_title", language), 24), "submit": plain(st("save", language), 24),
        "close": plain(st("close", language), 24),
        # Not cut to 3000: a cut JSON would not parse; the caller checks the length.
        "private_metadata": json.dumps({**metadata, "ref": ref.encode(), "slot": slot}, ensure_ascii=False,
                                       separators=(",", ":")),
        "blocks": blocks,
    }


def adjust_modal(ref: Ref, language: str) -> dict[str, Any]:
    return {
        "type": "modal", "callback_id": "adly.adjust",
        "title": plain(st("adjust_title", language), 24), "submit": plain(st("send", language), 24),
        "close": plain(st("close", language), 24),
        "private_metadata": json.dumps({"ref": ref.encode(), "language": language}),
        "blocks": [{
            "type": "input", "block_id": "change", "label": plain(st("adjust_label", language), 2000),
            "element": {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": 2000},
        }],
    }


@dataclass(frozen=True)
class HomeCampaign:
    name: str
    status: str
    spend: str | None
    created: datetime


@dataclass(frozen=True)
class HomeAccount:
    platform: str
    name: str
    status: str
    token_expires_at: datetime | None


@dataclass(frozen=True)
class WorkspaceSettings:
    default_currency: str
    approvers: list[str]
    self_approval_limit: str
    digest_channel: str | None
    digest_hour: int
    max_campaign_budget: str = "50000"
    max_daily_budget: str = "10000"
    landing_url: str | None = None  # the workspace's remembered landing page
    timezone: str = "Asia/Riyadh"  # the digest hour and days are the workspace's own
    brand_name: str = "ADLY Store"  # the brand on the workspace's ads
    brand_name_ar: str | None = None  # None: Arabic ads write brand_name in Arabic letters


# The zones of the region the product serves, by the city people name them after; another zone set through the
# API is kept as an extra choice.
ZONES = (("Asia/Riyadh", "Riyadh", "الرياض"), ("Asia/Dubai", "Dubai", "دبي"), ("Asia/Kuwait", "Kuwait", "الكويت"),
         ("Asia/Qatar", "Doha", "الدوحة"), ("Asia/Bahrain", "Manama", "المنامة"), ("Asia/Muscat", "Muscat", "مسقط"),
         ("Africa/Cairo", "Cairo", "القاهرة"), ("UTC", "UTC", "UTC"))


def zone_options(current: str, language: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    zones = [(z, ar if language == "ar" else en) for z, en, ar in ZONES]
    if current not in {z for z, _ in zones}:
        zones.append((current, current))
    options = [{"text": plain(f"{label} ({zone})" if zone != label else label, OPTION_TEXT), "value": zone}
               for zone, label in zones]
    return options, next(o for o in options if o["value"] == current)


def home_view(campaigns: list[HomeCampaign], accounts: list[HomeAccount], settings: WorkspaceSettings,
              *, can_edit: bool, language: str) -> dict[str, Any]:
    blocks: list[Block] = [header(st("home_title", language)), context(st("home_intro", language)),
                           divider(), header(st("recent_campaigns", language))]
    if not campaigns:
        blocks.append(section(st("no_campaigns", language)))
    for c in campaigns[:20]:
        spend = f" · {st('spend', language)} {safe(c.spend, 60)}" if c.spend else ""
        blocks.append(section(f"*{safe(c.name, 200)}*\n{safe(status_text(c.status, language), 30)}{spend} · "
                              f"{c.created:%Y-%m-%d}"))
    blocks += [divider(), header(st("accounts", language))]
    if not accounts:
        blocks.append(section(st("no_accounts", language)))
    for a in accounts[:20]:
        expiry = (st("token_expires", language, when=f"{a.token_expires_at:%Y-%m-%d %H:%M} UTC")
                  if a.token_expires_at else st("token_no_expiry", language))
        blocks.append(section(f"*{platform_name(a.platform, language)}*: {safe(a.name, 200)} "
                              f"({safe(status_text(a.status, language), 30)}) · {expiry}"))
    approvers = ", ".join(f"<@{safe(u, 40)}>" for u in settings.approvers) or st("anyone", language)
    channel = f"<#{safe(settings.digest_channel, 40)}>" if settings.digest_channel else st("none", language)
    blocks += [divider(), header(st("settings", language)), {"type": "section", "fields": [
        mrkdwn(f"*{st('default_currency', language)}*\n{safe(settings.default_currency, 10)}"),
        mrkdwn(f"*{st('approvers', language)}*\n{approvers}"),
        mrkdwn(f"*{st('self_limit', language)}*\n{safe(settings.self_approval_limit, 40)}"),
        mrkdwn(f"*{st('digest_channel', language)}*\n{channel} · {settings.digest_hour:02d}:00 "
               f"({safe(settings.timezone, 64)})"),
        mrkdwn(f"*{st('campaign_ceiling', language)}*\n{safe(settings.max_campaign_budget, 40)} "
               f"{safe(settings.default_currency, 10)}"),
        mrkdwn(f"*{st('daily_ceiling', language)}*\n{safe(settings.max_daily_budget, 40)} "
               f"{safe(settings.default_currency, 10)}"),
        mrkdwn(f"*{st('brand_name', language)}*\n{safe(settings.brand_name, 60)}"
               + (f" · {safe(settings.brand_name_ar, 60)}" if settings.brand_name_ar else "")),
        mrkdwn(f"*{st('landing_page', language)}*\n"
               f"{safe(settings.landing_url, 1900) if settings.landing_url else st('landing_page_unset', language)}"),
    ]}]
    if can_edit:
        blocks.append(actions("adly.home", button(st("edit_settings", language), "adly.home.settings")))
    else:
        blocks.append(context(st("settings_readonly", language)))
    return {"type": "home", "blocks": blocks[:VIEW_BLOCKS]}


def settings_modal(settings: WorkspaceSettings, language: str, *, admin: bool = False) -> dict[str, Any]:
    """The settings form; the budget ceilings are in it for admins only (they are theirs to set)."""
    hours = [{"text": plain(f"{h:02d}:00", OPTION_TEXT), "value": str(h)} for h in range(24)]
    zones, zone = zone_options(settings.timezone, language)
    users: dict[str, Any] = {"type": "multi_users_select", "action_id": "value",
                             "placeholder": plain(st("anyone", language), 150)}
    if settings.approvers:
        users["initial_users"] = [u for u in settings.approvers if u.startswith(("U", "W"))][:100]
    channel: dict[str, Any] = {"type": "conversations_select", "action_id": "value",
                               "placeholder": plain(st("none", language), 150),
                               "filter": {"include": ["public", "private"], "exclude_bot_users": True}}
    if settings.digest_channel:
        channel["initial_conversation"] = settings.digest_channel
    landing: dict[str, Any] = {"type": "url_text_input", "action_id": "value",
                               "placeholder": plain("https://", 150)}
    if settings.landing_url:
        landing["initial_value"] = settings.landing_url
    brand: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "max_length": 40,
                             "initial_value": settings.brand_name}
    brand_ar: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "max_length": 40,
                                "placeholder": plain(transliterate(settings.brand_name)[:150], 150)}
    if settings.brand_name_ar:
        brand_ar["initial_value"] = settings.brand_name_ar
    return {
        "type": "modal", "callback_id": "adly.settings",
        "title": plain(st("settings", language), 24), "submit": plain(st("save", language), 24),
        "close": plain(st("close", language), 24),
        "private_metadata": json.dumps({"language": language}),
        "blocks": [
            {"type": "input", "block_id": "currency", "label": plain(st("default_currency", language), 2000),
             "element": {"type": "plain_text_input", "action_id": "value", "max_length": 3, "min_length": 3,
                         "initial_value": settings.default_currency}},
            {"type": "input", "block_id": "approvers", "optional": True,
             "label": plain(st("approvers", language), 2000), "element": users},
            {"type": "input", "block_id": "limit", "label": plain(st("self_limit", language), 2000),
             "element": {"type": "number_input", "action_id": "value", "is_decimal_allowed": True,
                         "min_value": "0", "initial_value": settings.self_approval_limit}},
            {"type": "input", "block_id": "brand", "optional": True, "label": plain(st("brand_name", language), 2000),
             "element": brand},
            {"type": "input", "block_id": "brand_ar", "optional": True,
             "label": plain(st("brand_name_ar", language), 2000),
             "hint": plain(st("brand_name_ar_hint", language), 2000), "element": brand_ar},
            {"type": "input", "block_id": "landing", "optional": True,
             "label": plain(st("landing_page", language), 2000),
             "hint": plain(st("landing_page_hint", language), 2000), "element": landing},
            {"type": "input", "block_id": "channel", "optional": True,
             "label": plain(st("digest_channel", language), 2000), "element": channel},
            {"type": "input", "block_id": "hour", "label": plain(st("digest_hour", language), 2000),
             "element": {"type": "static_select", "action_id": "value", "options": hours,
                         "initial_option": hours[settings.digest_hour % 24]}},
            {"type": "input", "block_id": "timezone", "label": plain(st("timezone", language), 2000),
             "element": {"type": "static_select", "action_id": "value", "options": zones, "initial_option": zone}},
            *([
                {"type": "input", "block_id": "campaign_ceiling",
                 "label": plain(st("campaign_ceiling", language), 2000),
                 "element": {"type": "number_input", "action_id": "value", "is_decimal_allowed": True,
                             "min_value": "1", "initial_value": settings.max_campaign_budget}},
                {"type": "input", "block_id": "daily_ceiling", "label": plain(st("daily_ceiling", language), 2000),
                 "element": {"type": "number_input", "action_id": "value", "is_decimal_allowed": True,
                             "min_value": "1", "initial_value": settings.max_daily_budget}},
            ] if admin else []),
        ],
    }
