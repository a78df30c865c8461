"""Text normalisation that keeps a map back to the original offsets, and word tokens."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent.parsing.numbers import DIGIT_MAP

# Folding Arabic spelling variants lets one lexicon entry match "جدة"/"جده", "أبها"/"ابها", "مستشفى"/"مستشفي".
_FOLD: dict[str, str] = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك", "ۀ": "ه",
    "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "−": "-", "\u00a0": " ", "\u200f": "", "\u200e": "",
    "\u200c": "", "\u200d": "",
}
_FOLD.update(DIGIT_MAP)
# Diacritics and tatweel carry no meaning for matching; dropping them is why a position map is needed.
for _cp in list(range(0x064B, 0x0653)) + [0x0670, 0x0640]:
    _FOLD[chr(_cp)] = ""

_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def fold(text: str) -> str:
    """Normalised form of a lexicon entry (no offsets needed)."""
    return "".join(_FOLD.get(ch, ch) for ch in text).lower()


@dataclass(slots=True)
class Normalised:
    """Folded, lower-cased text plus, for every folded character, its offset in the original."""

    original: str
    text: str
    pos: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the folded range [start, end)."""
        if start >= len(self.pos):
            return len(self.original), len(self.original)
        o_start = self.pos[start]
        o_end = self.pos[end - 1] + 1 if end > start else o_start
        return o_start, o_end


_TABLE = str.maketrans({k: (v if v else None) for k, v in _FOLD.items()})
_DROPPED = frozenset(k for k, v in _FOLD.items() if not v)


def normalise(original: str) -> Normalised:
    """Fold digits, Arabic letter variants and case; drop diacritics; keep offsets."""
    folded = original.translate(_TABLE).lower()
    if len(folded) == len(original):
        # Nothing dropped and lower() kept the length: offsets are the identity (the common case).
        return Normalised(original, folded, range(len(original)))
    chars: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(original):
        if ch in _DROPPED:
            continue
        mapped = _FOLD.get(ch)
        if mapped is None:
            mapped = ch.lower()
            if len(mapped) != 1:  # e.g. "İ" lowers to two code points; keep offsets one-to-one.
                mapped = ch
        chars.append(mapped)
        pos.append(i)
    return Normalised(original, "".join(chars), pos)


def input_language(text: str) -> str:
    """"ar" when Arabic letters outnumber Latin ones."""
    if text.isascii():
        return "en"
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    return "ar" if arabic > latin else "en"
