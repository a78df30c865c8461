"""Telling a performance question ("how is it doing?", "كيف أداء الحملة؟") from an instruction, and which campaign
it names ("how is my Ramadan campaign doing?")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from agent.parsing.text import TOKEN, fold

T = TypeVar("T")

# Folded (agent.parsing.text.fold): Arabic hamza and taa marbuta variants match alike. The questions proper ("how
# is it doing?") are told apart anywhere; the bare topics ("results", "الأداء") only in a published campaign's
# thread, where nothing else is being asked.
_QUESTION_EN = re.compile(
    r"\b(?:how(?:'s| is| are|s)? (?:it|we|things|my|our|the|this|that|[a-z]+(?: [a-z]+){0,4}) "
    r"(?:doing|going|performing|looking)|how did (?:it|we|they|[a-z]+(?: [a-z]+){0,4}) (?:do|perform|go)"
    r"|how much (?:have we|did we|has it|did it) spen[dt])\b"
)
_TOPIC_EN = re.compile(r"\b(?:performance|report|results|stats|statistics|pacing|on track|numbers)\b")
_QUESTION_AR = [fold(w) for w in (
    "كيف أداء", "كيف الأداء", "كيف الحملة", "كيف حال الحملة", "كيف حملة", "كيف حملتي", "كيف ماشية", "كيف ماشيه",
    "وش صار", "ايش صار", "شلون الحملة", "شلون حملة", "شلون أداء", "كم صرفنا", "كم أنفقنا", "كم صرفت",
)]
_TOPIC_AR = [fold(w) for w in ("أداء الحملة", "الأداء", "النتائج", "نتائج", "تقرير", "الإنفاق", "الأرقام")]
# Words of a question that name no campaign.
_STOPWORDS = frozenset(fold(w) for w in (
    "how", "is", "are", "was", "it", "its", "my", "our", "the", "this", "that", "campaign", "campaigns", "doing",
    "going", "performing", "looking", "report", "results", "performance", "stats", "s", "we", "a", "of", "for",
    "on", "with", "please", "so", "far", "today", "now", "ad", "ads", "did", "do", "one", "going", "much",
    "كيف", "أداء", "الأداء", "حال", "الحملة", "حملة", "حملتي", "حملتنا", "ماشية", "ماشيه", "تقرير", "النتائج",
    "نتائج", "شلون", "وش", "ايش", "صار", "عن", "في", "على", "اليوم", "الحين", "هذي", "هذه",
))
REPORT_KEYWORDS = ("report", fold("تقرير"))


def is_performance_question(text: str, *, topics: bool = True) -> bool:
    """Whether `text` asks how a campaign is doing (English or Arabic). `topics`: a bare topic ("results?",
    "النتائج") counts too; without it only a question proper does, so "a campaign for results" stays an
    instruction."""
    folded = fold(" ".join(text.split()))
    if _QUESTION_EN.search(folded) or any(phrase in folded for phrase in _QUESTION_AR):
        return True
    return topics and (bool(_TOPIC_EN.search(folded)) or any(phrase in folded for phrase in _TOPIC_AR))


def report_query(text: str) -> str | None:
    """`report [campaign]` as `/adly` takes it: the words after the keyword ("" for none); None when `text` does
    not start with the keyword."""
    words = text.strip().split(maxsplit=1)
    if not words or fold(words[0]).strip(":,.!?؟") not in REPORT_KEYWORDS:
        return None
    return words[1].strip() if len(words) > 1 else ""


def naming_words(text: str) -> list[str]:
    """The words of a question that could name a campaign ("ramadan" in "how is my Ramadan campaign doing?")."""
    return [w for w in TOKEN.findall(fold(text)) if w not in _STOPWORDS and len(w) > 1]


def best_match(query: str, campaigns: Sequence[T], *, words_of: Any) -> T | None:
    """The campaign whose name (and theme) shares most words with `query`; the first (newest) on a tie; None when
    none shares any. `words_of(campaign)` is the text a campaign is known by."""
    wanted = set(naming_words(query))
    if not wanted:
        return None
    best, best_score = None, 0
    for campaign in campaigns:
        have = set(TOKEN.findall(fold(words_of(campaign))))
        score = len(wanted & have) + sum(1 for w in wanted for h in have if w != h and len(w) > 3 and
                                         (h.startswith(w) or w.startswith(h)))
        if score > best_score:
            best, best_score = campaign, score
    return best
