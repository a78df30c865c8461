"""The brand on a creative in its language: an Arabic name when configured, else a transliteration."""

from __future__ import annotations

import re

# Latin to Arabic letters as Gulf advertisers write foreign brand names (ADLY Store -> أدلي ستور).
_DIGRAPHS = {
    "sh": "ش", "ch": "تش", "th": "ث", "kh": "خ", "gh": "غ", "ph": "ف", "ck": "ك",
    "ee": "ي", "oo": "و", "ou": "و", "ai": "اي", "ay": "اي", "ie": "ي", "ea": "ي", "qu": "كو",
}  # fmt: skip
_CONSONANTS = {
    "b": "ب", "c": "ك", "d": "د", "f": "ف", "g": "ج", "h": "ه", "j": "ج", "k": "ك", "l": "ل", "m": "م",
    "n": "ن", "p": "ب", "q": "ك", "r": "ر", "s": "س", "t": "ت", "v": "ف", "w": "و", "x": "كس", "z": "ز",
}  # fmt: skip
_INITIAL_VOWELS = {"a": "أ", "e": "إ", "i": "إ", "o": "أو", "u": "أ", "y": "ي"}
_VOWELS = {"a": "ا", "e": "", "i": "ي", "o": "و", "u": "و", "y": "ي"}
_WORD_RE = re.compile(r"[A-Za-z]+|[^A-Za-z]+")
_ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def _word(word: str) -> str:
    w = re.sub(r"(.)\1+", r"\1", word.lower())  # doubled letters are one sound: "Dell" -> دل
    out: list[str] = []
    i = 0
    while i < len(w):
        pair = w[i : i + 2]
        if pair in _DIGRAPHS and not (i == 0 and pair[0] in "aeiou"):
            out.append(_DIGRAPHS[pair])
            i += 2
            continue
        ch = w[i]
        if ch == "c" and w[i + 1 : i + 2] in ("e", "i", "y"):
            out.append("س")  # soft c: "Center" -> سنتر
        elif ch in _CONSONANTS:
            out.append(_CONSONANTS[ch])
        elif i == 0:
            out.append(_INITIAL_VOWELS.get(ch, ""))
        elif ch == "e" and i == len(w) - 1 and len(w) > 3:
            pass  # a silent final e: "Store" -> ستور
        else:
            out.append(_VOWELS.get(ch, ""))
        i += 1
    return "".join(out)


def transliterate(name: str) -> str:
    """Latin letters written in Arabic script, word by word; digits, Arabic and punctuation kept."""
    return "".join(
        _word(part) if part.isascii() and part.isalpha() else part for part in _WORD_RE.findall(name)
    )


def brand_for_language(brand_name: str, language: str, brand_name_ar: str | None = None) -> str:
    """The brand as an ad in `language` shows it: Arabic creative never carries a Latin-only name."""
    if not language.lower().startswith("ar") or _ARABIC_RE.search(brand_name):
        return brand_name
    if brand_name_ar and brand_name_ar.strip():
        return brand_name_ar.strip()
    return transliterate(brand_name)


def with_brand_for_language(text: str, brand_name: str, language: str, brand_name_ar: str | None = None) -> str:
    """`text` with every Latin mention of the brand written as `language` writes it: an Arabic voice-over and
    its captions say أدلي ستور, not "ADLY Store", even where a model's or an editor's copy kept the Latin."""
    spoken = brand_for_language(brand_name, language, brand_name_ar)
    if not brand_name.strip() or spoken == brand_name:
        return text
    return re.sub(re.escape(brand_name.strip()), spoken, text, flags=re.IGNORECASE)
