"""Ads that open a conversation: "WhatsApp messages", "واتساب", "messages on Messenger", "DMs on Instagram".

Decisions: such a request's objective is engagement (the contract's vocabulary; Meta's ODAX objective for
conversations is OUTCOME_ENGAGEMENT) and its `message_destination` extension names the app the chat opens
in: whatsapp, messenger or instagram_direct. Messenger alone stays a Meta app (a placement); it becomes the
destination only next to a word for messages or chats. WhatsApp ads are Meta ads: with no platform named,
WhatsApp means Meta.
"""

from __future__ import annotations

import re

from agent.models import Span
from agent.parsing.scan import Scan

_WHATSAPP = re.compile(r"(?<![a-z])(?:whats\s?app|whatsap|wa\s+messages?)(?![a-z])"
                       r"|(?<![\u0621-\u064a])[وبلف]?(?:ال|لل)?(?:واتساب|واتس\s?اب|واتس|وتساب)(?![\u0621-\u064a])")
_MESSAGES = r"(?:messages?|messaging|chats?|conversations?|dms?|inbox|رسائل|رساله|مراسله|محادثات|محادثه|دردشه|يراسلونا|يراسلوننا|تواصل)"
_MESSENGER = re.compile(rf"(?<![a-z])messenger(?![a-z])\s*{_MESSAGES}|{_MESSAGES}(?:\s+(?:us|me|them))?\s+(?:on|via|in|through|عبر|في|على|علي)\s+"
                        rf"(?:the\s+)?(?:messenger|ماسنجر|مسنجر)|(?:ماسنجر|مسنجر)\s*{_MESSAGES}")
_DIRECT = re.compile(r"(?<![a-z])(?:instagram\s+direct|ig\s+direct|direct\s+messages?|dms?)(?![a-z])|(?:الدايركت|دايركت|رسائل\s+الانستا)")


def read_message_destination(scan: Scan, sources: dict[str, list[Span]]) -> str | None:
    """whatsapp, messenger or instagram_direct when the ads should open a chat there; its span in sources."""
    text = scan.norm.text
    for name, pattern in (("whatsapp", _WHATSAPP), ("messenger", _MESSENGER), ("instagram_direct", _DIRECT)):
        m = pattern.search(text)
        if m is not None:
            sources["message_destination"] = [scan.span(m.start(), m.end())]
            return name
    return None
