"""Block Kit of performance: a campaign's report and a digest (pure builders; the words come from agent/performance)."""

from __future__ import annotations

from agent.performance.digest import Digest
from agent.performance.render import ReportText
from agent.performance.texts import pt
from bot.slack.blocks import MESSAGE_BLOCKS, Block, Message, context, divider, header, safe, section

# Lines of user or model text (campaign and ad names) are escaped; the *bold* of our own templates stays.


def _lines(lines: list[str], bullet: str = "") -> str:
    return "\n".join(f"{bullet}{safe(line, 600)}" for line in lines)


def report_message(text: ReportText, language: str) -> Message:
    blocks: list[Block] = [header(text.title), context(safe(text.window, 600)),
                           section(_lines([text.budget, *text.pacing])), section(_lines(text.platforms, "• "))]
    if text.ads:
        blocks.append(section(_lines(text.ads)))
    if text.alerts:
        blocks += [divider(), section(f"*:warning: {safe(pt('alerts_title', language), 100)}*\n"
                                      + _lines(text.alerts, "• "))]
    return Message(text=safe(f"{text.title}: {text.budget}", 3000), blocks=blocks[:MESSAGE_BLOCKS])


def digest_message(digest: Digest) -> Message:
    blocks: list[Block] = [header(digest.title)]
    if not digest.entries:
        blocks.append(section(safe(digest.empty)))
    room = MESSAGE_BLOCKS - 2  # a header, and a last line when campaigns are left out
    for n, entry in enumerate(digest.entries):
        if n >= room:
            blocks.append(context(f"+{len(digest.entries) - room}"))
            break
        body = safe(entry.line, 1500)
        if entry.alerts:
            body += "\n" + _lines(entry.alerts, ":warning: ")
        blocks.append(section(body))
    return Message(text=safe(digest.title, 3000), blocks=blocks)
