"""The instruction as scanned: tokens, lexicon hits and numbers, and the questions extractors ask of them."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from agent.models import Span
from agent.parsing.lexicon import AR_PREFIXES, AR_SUFFIXES, LOOKUP, fuzzy_key
from agent.parsing.numbers import (
    AR_NUMBER_PHRASE,
    EN_NUMBER_PHRASE,
    NUMBER_WORD_HEADS,
    NUMERIC,
    ar_words_value,
    en_words_value,
    numeric_value,
)
from agent.parsing.text import TOKEN, Normalised


@dataclass(slots=True)
class Hit:
    cat: str
    value: object
    start: int  # offsets in the normalised text
    end: int
    ti: int  # first token index
    tj: int  # token index after the last token
    key: str


@dataclass(slots=True)
class Num:
    value: Decimal
    start: int
    end: int
    used: bool = False
    scaled: bool = False  # "2k", "5 آلاف", "عشرين ألف": sizes people use for money, not ages or days


@dataclass(slots=True)
class Scan:
    norm: Normalised
    tokens: list[tuple[int, int, str]]
    starts: list[int]
    hits: list[Hit]
    by_token: list[list[Hit]]
    nums: list[Num]

    def text(self) -> str:
        return self.norm.text

    def span(self, start: int, end: int) -> Span:
        o_start, o_end = self.norm.span(start, end)
        # Offsets come from the text itself: no validation needed on this hot path.
        return Span.model_construct(start=o_start, end=o_end, text=self.norm.original[o_start:o_end])

    def token_at(self, pos: int) -> int:
        """Index of the first token starting at or after pos."""
        return bisect_left(self.starts, pos)

    def cues_in(self, ti: int, tj: int) -> set[str]:
        found: set[str] = set()
        for k in range(max(ti, 0), min(tj, len(self.tokens))):
            for hit in self.by_token[k]:
                if hit.cat == "cue":
                    found.add(str(hit.value))
        return found

    def hits_of(self, cat: str) -> list[Hit]:
        return [h for h in self.hits if h.cat == cat]


_AR_START = "\u0600"


@lru_cache(maxsize=65536)
def _candidates(token: str, first: bool, last: bool) -> tuple[str, ...]:
    """The token and, for Arabic, the token without attached prefixes (first) / suffixes (last)."""
    out = [token]
    if token[0] >= _AR_START:
        if first:
            out += [token[len(p):] for p in AR_PREFIXES if token.startswith(p) and len(token) - len(p) >= 2]
        if last:
            out += [c[: -len(s)] for c in list(out) for s in AR_SUFFIXES if c.endswith(s) and len(c) - len(s) >= 3]
    return tuple(out)


# Longest phrase that starts with a given word: most words start none, so most positions try one lookup.
_MULTI_N: dict[str, int] = {}
for _key in LOOKUP:
    _words = _key.split(" ")
    if len(_words) > 1:
        _MULTI_N[_words[0]] = max(_MULTI_N.get(_words[0], 1), len(_words))


@lru_cache(maxsize=65536)
def _longest(word: str) -> int:
    return max((_MULTI_N.get(h, 1) for h in _candidates(word, True, False)), default=1)


@lru_cache(maxsize=65536)
def _lookup_single(word: str) -> tuple[str, list[tuple[str, object]]] | None:
    for cand in _candidates(word, True, True):
        entries = LOOKUP.get(cand)
        if entries:
            return cand, entries
    fuzzy = fuzzy_key(word)
    if fuzzy is not None:
        return fuzzy, [(c, v) for c, v in LOOKUP[fuzzy] if c in ("platform", "place", "occasion")]
    return None


def _lookup_multi(words: list[str]) -> tuple[str, list[tuple[str, object]]] | None:
    heads = _candidates(words[0], True, False)
    tails = _candidates(words[-1], True, True)
    middle = " ".join(words[1:-1])
    for head in heads:
        if head not in _MULTI_N:
            continue
        for tail in tails:
            key = f"{head} {tail}" if len(words) == 2 else f"{head} {middle} {tail}"
            entries = LOOKUP.get(key)
            if entries:
                return key, entries
    return None


def scan_text(norm: Normalised) -> Scan:
    text = norm.text
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    hits: list[Hit] = []
    by_token: list[list[Hit]] = [[] for _ in tokens]
    i = 0
    n_tokens = len(tokens)
    while i < n_tokens:
        word = tokens[i][2]
        found: tuple[str, list[tuple[str, object]]] | None = None
        n = 1
        for n in range(min(_longest(word), n_tokens - i), 1, -1):
            found = _lookup_multi([t[2] for t in tokens[i:i + n]])
            if found:
                break
        if not found:
            n = 1
            found = _lookup_single(word)
        if found:
            key, entries = found
            for cat, value in entries:
                hit = Hit(cat, value, tokens[i][0], tokens[i + n - 1][1], i, i + n, key)
                hits.append(hit)
                for k in range(i, i + n):
                    by_token[k].append(hit)
        i += n
    return Scan(norm, tokens, [t[0] for t in tokens], hits, by_token, _numbers(text, tokens))


_AR_MULT_AFTER = re.compile(r"\s*(?:ب|و)?(الاف|الف|مليون)(?!\w)")
_EN_MULT_AFTER = re.compile(r"\s*(thousand|million)\b")


def _numbers(text: str, tokens: list[tuple[int, int, str]]) -> list[Num]:
    nums: list[Num] = []
    for m in NUMERIC.finditer(text):
        value = numeric_value(m.group("int"), m.group("frac"), m.group("suffix"))
        if value is None:
            continue
        end = m.end()
        # "5 الاف", "2.5 thousand": a digit amount scaled by a word.
        mult = _AR_MULT_AFTER.match(text, end) or _EN_MULT_AFTER.match(text, end)
        if mult and not m.group("suffix"):
            value *= 1_000_000 if mult.group(1) in ("مليون", "million") else 1000
            end = mult.end()
        nums.append(Num(value, m.start(), end, scaled=bool(m.group("suffix") or mult)))
    has_ar_words = has_en_words = False
    for _, _, word in tokens:
        if word in NUMBER_WORD_HEADS or (word[0] in "وبلف" and word[1:] in NUMBER_WORD_HEADS):
            has_ar_words = has_ar_words or word[0] >= _AR_START
            has_en_words = has_en_words or word[0] < _AR_START
    if has_ar_words:
        for m in AR_NUMBER_PHRASE.finditer(text):
            value = ar_words_value(m.group(0))
            if value is not None and not _overlaps(nums, m.start(), m.end()):
                nums.append(Num(value, m.start(), m.end(), scaled=value >= 100))
        # Words glued to a preposition: "بالف ريال", "وخمسميه".
        for m in re.finditer(r"(?<!\w)[وبلف](" + AR_NUMBER_PHRASE.pattern[7:] + ")", text):
            value = ar_words_value(m.group(1))
            if value is not None and not _overlaps(nums, m.start(1), m.end(1)):
                nums.append(Num(value, m.start(1), m.end(1), scaled=value >= 100))
    if has_en_words:
        for m in EN_NUMBER_PHRASE.finditer(text):
            value = en_words_value(m.group(0))
            if value is not None and not _overlaps(nums, m.start(), m.end()):
                nums.append(Num(value, m.start(), m.end(), scaled=value >= 100))
    nums.sort(key=lambda n: n.start)
    return nums


def _overlaps(nums: list[Num], start: int, end: int) -> bool:
    return any(n.start < end and start < n.end for n in nums)


# What extractors ask of a scan -----------------------------------------------------------------------

def consume_numbers(scan: Scan, start: int, end: int) -> None:
    """Numbers inside start..end belong to something read already (a date, an age, a URL): not amounts."""
    for n in scan.nums:
        if n.start >= start and n.end <= end:
            n.used = True


def mark_percent(scan: Scan) -> None:
    """A percentage ("20% off", "٢٠ بالميه") is neither a budget nor an age."""
    text = scan.norm.text
    for n in scan.nums:
        rest = text[n.end:n.end + 10].lstrip()
        if rest.startswith(("%", "percent", "بالميه", "بالمئه", "بالمائه", "في المئه", "في المائه")):
            n.used = True


def is_negated(scan: Scan, hit: Hit, window: int = 3) -> bool:
    """A negation cue within `window` tokens before the hit, with no other value in between."""
    for k in range(hit.ti - 1, max(hit.ti - 1 - window, -1), -1):
        for other in scan.by_token[k]:
            if other.cat == "cue" and other.value == "neg":
                return True
            if other.cat == "cue" and other.value == "only":
                return False
            if other.cat in ("platform", "place", "gender", "creative", "language", "group", "currency"):
                return False
    return False


def has_only(scan: Scan, hit: Hit) -> bool:
    """An "only"/"just"/"بس" right before or just after the hit: it narrows the field to this value."""
    return "only" in scan.cues_in(hit.ti - 1, hit.ti) or "only" in scan.cues_in(hit.tj, hit.tj + 2)
