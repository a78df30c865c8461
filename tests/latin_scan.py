"""Latin-script words in what an Arabic speaker was shown, outside an allow-list (brands, URLs, paths, user data)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from bot.services import Services
from store.models import AdAccount, ContentAsset

# Brand and product names people write in Latin letters in Arabic too.
BRANDS = ("ADLY", "OpenAI", "Meta", "TikTok", "Snapchat", "Instagram", "Facebook")

_URL = re.compile(r"(?:https?://|www\.)\S+")
_PATH = re.compile(r"(?<![\w.])/(?:[\w.@%+-]+/)*[\w.@%+-]+")  # a file path the terminal shows
_EMOJI = re.compile(r":[a-z0-9_+-]+:")  # Slack renders :warning: as a picture
_MENTION = re.compile(r"<[@#!][^>]*>")  # Slack renders <@U123> as the person's name
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#\d+);")  # Slack's escaping of & < > shows as the character
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
        rest = _MENTION.sub(" ", _EMOJI.sub(" ", _URL.sub(" ", _ENTITY.sub(" ", text))))
        rest = _PATH.sub(" ", rest)
        for phrase in phrases:
            rest = rest.replace(phrase, " ")
        found.extend((word, text) for word in _LATIN_WORD.findall(rest))
    return found


async def user_data_phrases(services: Services) -> list[str]:
    """What the user's side supplied in Latin letters: ad account names (the platform's data) and the English
    ads' copy (the marketer asked for English ads too; their copy is the product under review, not our words)."""
    async with services.sessions() as session:
        names = [n for n in (await session.scalars(select(AdAccount.name))).all() if n]
        copies = (await session.scalars(
            select(ContentAsset).where(ContentAsset.kind == "copy", ContentAsset.language == "en"))).all()
    phrases = list(names) + ["ADLY Store"]  # the brand the copy names
    for asset in copies:
        phrases.extend(str(v) for v in (asset.text or {}).values() if v)
    return phrases
