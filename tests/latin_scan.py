"""Latin-script words in what an Arabic speaker was shown, outside an allow-list (brands, URLs, paths, user data)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# Brand and product names people write in Latin letters in Arabic too.
BRANDS = ("ADLY", "OpenAI", "Meta", "TikTok", "Snapchat", "Instagram", "Facebook")

_URL = re.compile(r"(?:https?://|www\.)\S+")
_PATH = re.compile(r"(?<![\w.])/(?:[\w.@%+-]+/)*[\w.@%+-]+")  # a file path the terminal shows
_EMOJI = re.compile(r":[a-z0-9_+-]+:")  # Slack renders :warning: as a picture
_MENTION = re.compile(r"<[@#!][^>]*>")  # Slack renders <@U123> as the person's name
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def visible_texts(value: Any) -> Iterable[str]:
    """Every text a person can read in Block Kit JSON: text objects, options, placeholders, dialogs, fallbacks.
    Machine fields (action_id, block_id, value, url, private_metadata) are not shown and not scanned."""
    if isinstance(value, list):
        for item in value:
            yield from visible_texts(item)
    elif isinstance(value, dict):
        if value.get("type") in ("plain_text", "mrkdwn") and isinstance(value.get("text"), str):
            yield value["text"]
        for key, item in value.items():
            if key in ("action_id", "block_id", "value", "url", "private_metadata", "callback_id", "type"):
                continue
            if isinstance(item, (dict, list)):
                yield from visible_texts(item)


def latin_words(texts: Iterable[str], allowed_phrases: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(word, the text it is in) for every Latin word not in an allowed phrase, brand, URL, path or emoji."""
    phrases = sorted({p for p in (*allowed_phrases, *BRANDS) if p}, key=len, reverse=True)
    found: list[tuple[str, str]] = []
    for text in texts:
        rest = _MENTION.sub(" ", _EMOJI.sub(" ", _URL.sub(" ", text)))
        rest = _PATH.sub(" ", rest)
        for phrase in phrases:
            rest = rest.replace(phrase, " ")
        found.extend((word, text) for word in _LATIN_WORD.findall(rest))
    return found
