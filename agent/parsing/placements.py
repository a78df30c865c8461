"""Placements the marketer names ("Reels only", "stories + reels", "feed", "ستوري", "الريلز"), in our words.

Our words are feed, stories, reels and explore (Meta's positions; the plan maps them per platform and the
Meta client to facebook_positions / instagram_positions). A placement said after a negation ("no stories")
is not asked for. None named: every platform places the ads automatically.
"""

from __future__ import annotations

import re

from agent.models import Span
from agent.parsing.scan import Scan

PLACEMENTS: tuple[str, ...] = ("feed", "stories", "reels", "explore")
_AR = r"(?<![\u0621-\u064a])[وبلف]?(?:ال|لل)?"
_END = r"(?![a-z\u0621-\u064a])"
_WORDS: dict[str, str] = {
    "feed": rf"(?<![a-z])(?:news\s*)?feeds?{_END}|{_AR}(?:فيد|خلاصه|تايم\s*لاين){_END}",
    "stories": rf"(?<![a-z])(?:stor(?:y|ies)|ig\s+stories){_END}|{_AR}(?:ستوري|ستوريز|ستوريات|قصص|قصه){_END}",
    "reels": rf"(?<![a-z])reels?{_END}|{_AR}(?:ريلز|ريل){_END}",
    "explore": rf"(?<![a-z])explore(?:\s+(?:page|tab))?{_END}|{_AR}(?:اكسبلور|اكسبلورر){_END}",
}
_PATTERNS = {name: re.compile(pattern) for name, pattern in _WORDS.items()}
_NEGATION = re.compile(r"(?:\bno|\bnot|\bwithout|\bexcept|\bexcluding|بدون|ماعدا|عدا|غير|مو|مش|بلاش|الا)\s*$")


def read_placements(scan: Scan, sources: dict[str, list[Span]]) -> list[str]:
    """Placements named in the text, in PLACEMENTS order; their spans go to sources["placements"]."""
    text = scan.norm.text
    found: list[str] = []
    spans: list[Span] = []
    for name in PLACEMENTS:
        for m in _PATTERNS[name].finditer(text):
            if _NEGATION.search(text[max(0, m.start() - 12):m.start()]):
                continue
            if name not in found:
                found.append(name)
            spans.append(scan.span(m.start(), m.end()))
    if spans:
        sources["placements"] = sorted(spans, key=lambda s: s.start)
    return found
