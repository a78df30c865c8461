"""Number reading: Arabic-Indic digits, separators, `k`, and Arabic/English number words."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Both Arabic-Indic (U+0660..) and Eastern/Persian (U+06F0..) digits occur in Gulf text.
DIGIT_MAP: dict[str, str] = {chr(0x0660 + i): str(i) for i in range(10)}
DIGIT_MAP.update({chr(0x06F0 + i): str(i) for i in range(10)})
DIGIT_MAP.update({"\u066c": ",", "\u066b": ".", "\u066a": "%", "\u060c": ",", "\u061f": "?", "\u061b": ";"})

# Words are matched on normalised text (alef/ya/ta-marbuta folded: see rules.normalise), so
# every spelling here is written in its folded form as well.
_AR_UNITS: dict[str, int] = {
    "واحد": 1, "وحده": 1, "اثنين": 2, "اثنان": 2, "ثنين": 2,
    "ثلاث": 3, "ثلاثه": 3, "تلات": 3, "تلاته": 3, "اربع": 4, "اربعه": 4,
    "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7,
    "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تمانيه": 8, "تسع": 9, "تسعه": 9,
    "عشر": 10, "عشره": 10, "احدعش": 11, "احدى عشر": 11, "اطنعش": 12, "اثنعش": 12, "اثنا عشر": 12,
    "خمستعش": 15, "خمسه عشر": 15,
    "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30, "تلاتين": 30, "اربعين": 40, "اربعون": 40,
    "خمسين": 50, "خمسون": 50, "ستين": 60, "ستون": 60, "سبعين": 70, "سبعون": 70,
    "ثمانين": 80, "ثمانون": 80, "تسعين": 90, "تسعون": 90,
    "ميه": 100, "مائه": 100, "مئه": 100, "ميتين": 200, "مئتين": 200, "مئتان": 200, "مائتين": 200,
    "ثلاثميه": 300, "ثلاثمائه": 300, "ثلاثمئه": 300, "تلتميه": 300,
    "اربعميه": 400, "اربعمائه": 400, "اربعمئه": 400,
    "خمسميه": 500, "خمسمائه": 500, "خمسمئه": 500, "ستميه": 600, "ستمائه": 600, "ستمئه": 600,
    "سبعميه": 700, "سبعمائه": 700, "سبعمئه": 700, "ثمانميه": 800, "ثمانمائه": 800, "ثمنميه": 800,
    "تسعميه": 900, "تسعمائه": 900, "تسعمئه": 900,
    "الفين": 2000, "الفان": 2000, "مليونين": 2_000_000,
}
# Multipliers scale what came before them ("عشرين الف" = 20,000, "ثلاث الاف" = 3,000).
_AR_MULTIPLIERS: dict[str, int] = {"الف": 1000, "الاف": 1000, "مليون": 1_000_000, "ملايين": 1_000_000}
# "نص" / "ونص" (and a half) is common in Gulf speech: "الف ونص" = 1,500.
_AR_HALF = ("نص", "نصف")

_EN_UNITS: dict[str, int] = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_EN_MULTIPLIERS: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

AR_NUMBER_WORDS: dict[str, int] = {**_AR_UNITS, **_AR_MULTIPLIERS}


def _alt(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_AR_WORD = _alt(list(AR_NUMBER_WORDS))
# An Arabic number phrase: words optionally glued with "و" (and); "ونص" adds a half of the last multiplier.
AR_NUMBER_PHRASE = re.compile(
    rf"(?<!\w)[وبلف]?(?P<n>(?:{_AR_WORD})(?:\s+(?:و\s*)?(?:{_AR_WORD})|\s+و\s*(?:{_AR_WORD})|\s+و?(?:{_alt(_AR_HALF)}))*)(?!\w)"
)
_AR_TOKEN = re.compile(rf"(?:{_AR_WORD})|(?:{_alt(_AR_HALF)})")

# First words of number phrases: a cheap token check decides whether the phrase regexes need to run.
NUMBER_WORD_HEADS: frozenset[str] = frozenset(
    w.split(" ")[0] for w in list(AR_NUMBER_WORDS) + list(_EN_UNITS) + list(_EN_MULTIPLIERS) if w != "a"
)

_EN_WORD = _alt([w for w in _EN_UNITS if w != "a"] + list(_EN_MULTIPLIERS))
EN_NUMBER_PHRASE = re.compile(
    rf"(?<!\w)(?:(?:a|{_EN_WORD})\s+(?:hundred|thousand|million)(?:\s+(?:and\s+)?(?:{_EN_WORD}))*"
    rf"|(?:{_EN_WORD})(?:[\s-]+(?:and\s+)?(?:{_EN_WORD}))*)(?!\w)"
)
_EN_TOKEN = re.compile(rf"\b(?:a|{_EN_WORD})\b")

# Western digits after normalisation: "1,500", "1500", "2.5", "2.5k", "20K", "1.2m".
NUMERIC = re.compile(
    r"(?<![A-Za-z0-9_.,/])(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?(?![\d])"
    r"(?:\s?(?P<suffix>k|m|mn)(?![a-z]))?"
)


def _combine(values: list[tuple[int, bool]]) -> int:
    """Fold (value, is_multiplier) tokens into one integer: 5, 20, x1000 -> 25,000."""
    total = 0
    current = 0
    for value, is_multiplier in values:
        if is_multiplier:
            total += max(current, 1) * value
            current = 0
        else:
            current += value
    return total + current


def ar_words_value(phrase: str) -> Decimal | None:
    """Value of a normalised Arabic number phrase ("الف وخمسميه" -> 1500), None if not a number."""
    tokens: list[tuple[int, bool]] = []
    last_multiplier = 1
    half = Decimal(0)
    for match in _AR_TOKEN.finditer(phrase):
        word = re.sub(r"\s+", " ", match.group(0))
        if word in _AR_HALF:
            half = Decimal(last_multiplier) / 2 if last_multiplier > 1 else Decimal("0.5")
            continue
        if word in _AR_MULTIPLIERS:
            last_multiplier = _AR_MULTIPLIERS[word]
            tokens.append((_AR_MULTIPLIERS[word], True))
        else:
            value = _AR_UNITS[word]
            if value >= 1000:
                last_multiplier = 1000 if value < 1_000_000 else 1_000_000
            tokens.append((value, False))
    if not tokens:
        return None
    return Decimal(_combine(tokens)) + half


def en_words_value(phrase: str) -> Decimal | None:
    """Value of an English number phrase ("five thousand" -> 5000), None if not a number."""
    tokens: list[tuple[int, bool]] = []
    for match in _EN_TOKEN.finditer(phrase):
        word = match.group(0)
        if word in _EN_MULTIPLIERS:
            if word == "hundred":
                # "five hundred thousand": hundred scales only the current group.
                tokens.append((100, False) if not tokens else (tokens.pop()[0] * 100, False))
            else:
                tokens.append((_EN_MULTIPLIERS[word], True))
        else:
            tokens.append((_EN_UNITS[word], False))
    if not tokens:
        return None
    return Decimal(_combine(tokens))


def numeric_value(int_part: str, frac: str | None, suffix: str | None) -> Decimal | None:
    """Value of a digit token as matched by NUMERIC."""
    try:
        value = Decimal(int_part.replace(",", "") + (f".{frac}" if frac else ""))
    except InvalidOperation:
        return None
    if suffix == "k":
        value *= 1000
    elif suffix in ("m", "mn"):
        value *= 1_000_000
    return value
