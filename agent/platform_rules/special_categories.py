"""Detects special ad categories (housing, employment, credit) from request words in English and Arabic."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Meta (special_ad_categories), TikTok (special_industries) and Snapchat (regulations) all single out
# these three [ref 1.3, 2.3, 3.3]: a campaign in them must be declared, and Meta then restricts age,
# gender and fine location targeting. Undeclared, ads are rejected at review, after money and time were
# spent on creative, so we look for them early. The lists favour recall for unambiguous words and leave
# out borderline ones ("instalments", "تقسيط" are ordinary retail offers in the Gulf, not credit ads).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "housing": (
        "real estate",
        "real-estate",
        "apartment",
        "apartments",
        "villa",
        "villas",
        "housing",
        "for rent",
        "rental",
        "rentals",
        "property for sale",
        "properties",
        "homes for sale",
        "off-plan",
        "off plan",
        "condo",
        "condos",
        "townhouse",
        "townhouses",
        "عقار",
        "عقارات",
        "عقاري",
        "عقاريه",
        "شقه",
        "شقق",
        "فيلا",
        "فلل",
        "فله",
        "ايجار",
        "سكني",
        "سكنيه",
        "وحدات سكنيه",
        "اراضي للبيع",
        "ارض للبيع",
    ),
    "employment": (
        "job",
        "jobs",
        "hiring",
        "we're hiring",
        "vacancy",
        "vacancies",
        "career",
        "careers",
        "recruitment",
        "recruiting",
        "employment",
        "internship",
        "internships",
        "وظيفه",
        "وظائف",
        "وظايف",
        "توظيف",
        "شاغر",
        "شاغره",
        "شواغر",
        "فرص عمل",
        "فرصه عمل",
    ),
    "credit": (
        "loan",
        "loans",
        "credit card",
        "credit cards",
        "financing",
        "mortgage",
        "mortgages",
        "personal finance",
        "car finance",
        "auto loan",
        "قرض",
        "قروض",
        "تمويل",
        "بطاقه ائتمان",
        "بطاقات ائتمان",
        "بطاقه ائتمانيه",
        "بطاقات ائتمانيه",
        "رهن عقاري",
    ),
}

_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")  # harakat and tatweel
# Arabic attaches conjunctions, prepositions and the article to the word: و، ف، ب، ل، ك، ال، لل.
_AR_PREFIX = r"(?:[وف])?(?:[بلك])?(?:ال|ل)?"


def normalise(text: str) -> str:
    """Lowercase, drop diacritics, fold alef/ya/ta-marbuta variants, and snake_case slugs to words."""
    text = unicodedata.normalize("NFKC", text).lower().replace("_", " ")
    text = _DIACRITICS.sub("", text)
    return text.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ى", "ي").replace("ة", "ه")


def _pattern(word: str) -> re.Pattern[str]:
    arabic = any("\u0600" <= ch <= "\u06ff" for ch in word)
    prefix = _AR_PREFIX if arabic else ""
    return re.compile(rf"(?<![\w]){prefix}{re.escape(word)}(?![\w])")


_PATTERNS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    category: [(word, _pattern(normalise(word))) for word in words] for category, words in KEYWORDS.items()
}


def detect(texts: Iterable[str | None]) -> dict[str, list[str]]:
    """Category -> the words that triggered it, for every category found in any of `texts`."""
    haystack = " \n ".join(normalise(t) for t in texts if t)
    found: dict[str, list[str]] = {}
    for category, patterns in _PATTERNS.items():
        hits = [word for word, pattern in patterns if pattern.search(haystack)]
        if hits:
            found[category] = hits
    return found
