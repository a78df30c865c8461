"""Instruction hygiene at the door: too long, or invisible characters that change what a person reads."""

from __future__ import annotations

import re

from agent.texts import t

# Direction overrides, embeddings and isolates: invisible, and they reorder what a person sees ("\u202e0001" reads
# as "1000"). Zero-width characters and the marks (LRM, RLM, ALM) are invisible too but reorder nothing.
_REORDERING = "\u202a-\u202e\u2066-\u2069"
_NEAR_DIGITS = re.compile(f"[{_REORDERING}][\\d\u0660-\u0669\u06f0-\u06f9.,٫٬]|[\\d\u0660-\u0669\u06f0-\u06f9][{_REORDERING}]")
_INVISIBLE = re.compile(f"[{_REORDERING}\u200b-\u200d\u2060\ufeff]")
_IN_URL = re.compile(f"(?i)(?:https?://|www\\.)[^\\s{_REORDERING}]*[{_REORDERING}]")


class InstructionRefused(ValueError):
    """An instruction refused before any work; `text(language)` says why to the user."""

    def text(self, language: str) -> str:
        raise NotImplementedError


class HiddenCharacters(InstructionRefused):
    """Invisible direction controls next to a number: what the user saw is not what would be parsed."""

    def text(self, language: str) -> str:
        return t("hidden_in_number", language)


def check_instruction(text: str, limit: int) -> None:
    """InstructionRefused when `text` may not start a conversation (too long; hidden characters in a number)."""
    if len(text) > limit:
        raise InstructionTooLong(len(text), limit)
    clean_instruction(text)


def clean_instruction(text: str) -> tuple[str, bool]:
    """The text without invisible reordering and zero-width characters, and whether any were removed.

    HiddenCharacters when one touches a number: there the displayed and the parsed amounts differ, so the user
    must retype it rather than have ADLY guess which one she meant."""
    if _NEAR_DIGITS.search(text) or _IN_URL.search(text):
        raise HiddenCharacters("invisible direction characters inside a number or a web address (what is shown is "
                               "not what is written); type it again")
    cleaned = _INVISIBLE.sub("", text)
    return cleaned, cleaned != text


class InstructionTooLong(InstructionRefused):
    """An instruction over the limit: refused before anything is created or parsed."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"the instruction is {length:,} characters; the limit is {limit:,} (ADLY_MAX_INSTRUCTION_CHARS)")
        self.length = length
        self.limit = limit

    def text(self, language: str) -> str:
        return t("instruction_too_long", language, length=self.length, limit=self.limit)
