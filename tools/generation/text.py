"""Ad copy providers: the offline template library (prompts/copy) and an OpenAI chat model (structured)."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import string
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, Field, SecretStr

from tools.generation.base import (
    PLATFORM_LIMITS,
    CopyBrief,
    CopyResult,
    CopyVariant,
    CtaCode,
    Offer,
    brief_fingerprint,
    check_copy_limits,
    fits_platforms,
)
from tools.generation.brand import brand_for_language
from tools.generation.offer_words import format_price

THEMES: tuple[str, ...] = (
    "ramadan",
    "eid_al_fitr",
    "eid_al_adha",
    "white_friday",
    "saudi_national_day",
    "founding_day",
    "summer",
    "back_to_school",
    "generic",
)
OBJECTIVE_GROUPS: dict[str, str] = {
    "sales": "sales",
    "traffic": "traffic",
    "awareness": "awareness",
    "engagement": "awareness",
    "video_views": "awareness",
    "reach": "awareness",
    "leads": "leads",
    "app_installs": "app_installs",
}
_GENDER_RE = re.compile(r"\[\[([^|\]]*)\|([^\]]*)\]\]")
_ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_SPACES_RE = re.compile(r"\s+")


# ---------------------------------------------------------------------------------------------------------
# Template data


def _read_json(*parts: str) -> Any:
    node = resources.files("prompts")
    for part in parts:
        node = node.joinpath(part)
    return json.loads(node.read_text(encoding="utf-8"))


def read_prompt(name: str) -> str:
    """A prompt template from prompts/, as text."""
    return resources.files("prompts").joinpath(name).read_text(encoding="utf-8")


@cache
def _theme_data(theme: str) -> dict[str, Any]:
    data: dict[str, Any] = _read_json("copy", f"{theme}.json")
    return data


@lru_cache(maxsize=1)
def _objectives() -> dict[str, Any]:
    data: dict[str, Any] = _read_json("copy", "_objectives.json")
    return data


@lru_cache(maxsize=1)
def _ctas() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = _read_json("copy", "_cta.json")
    return data


@lru_cache(maxsize=1)
def _products() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = _read_json("copy", "_products.json")
    return data


@lru_cache(maxsize=1)
def _product_lines() -> dict[str, list[str]]:
    data: dict[str, list[str]] = _read_json("copy", "_product_lines.json")
    return data


@lru_cache(maxsize=1)
def _offer_lines() -> dict[str, dict[str, dict[str, list[str]]]]:
    data: dict[str, dict[str, dict[str, list[str]]]] = _read_json("copy", "_offer_lines.json")
    return data


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for theme in THEMES:
        for alias in _theme_data(theme).get("aliases", []):
            index[_slug(alias)] = theme
        index[theme] = theme
    return index


def _slug(text: str) -> str:
    return re.sub(r"[\s\-./]+", "_", text.strip().lower()).strip("_")


def normalize_theme(theme: str | None) -> str:
    """Map a parsed theme ("Ramadan sale", "black friday", "اليوم الوطني") to a template theme."""
    if not theme:
        return "generic"
    slug = _slug(theme)
    index = _alias_index()
    if slug in index:
        return index[slug]
    # Longest alias contained in the phrase wins, so "ramadan_sale_2025" and "eid_al_adha_offers" resolve.
    for alias in sorted(index, key=len, reverse=True):
        if len(alias) >= 3 and alias in slug:
            return index[alias]
    return "generic"


def language_key(language: str, register: str) -> str:
    """Which template column serves `language` (Arabic has one per register)."""
    lang = language.lower().split("-")[0]
    if lang == "ar":
        return f"ar_{register}"
    return lang


def has_arabic(text: str) -> bool:
    return _ARABIC_RE.search(text) is not None


def apply_gender(text: str, feminine: bool) -> str:
    """Resolve `[[masculine|feminine]]` alternatives."""
    return _GENDER_RE.sub(lambda m: m.group(2 if feminine else 1), text)


def localize_product(product: str | None, lang_key: str) -> str | None:
    """The product as the copy's language says it, or None when only the theme's default noun fits."""
    if not product or not product.strip():
        return None
    product = product.strip()
    table = _products()
    key = _slug(product)
    candidates = [key, key.rstrip("s"), *key.split("_")]
    for cand in candidates:
        if cand in table and lang_key in table[cand]:
            return table[cand][lang_key]
    if has_arabic(product):
        # An Arabic name ("عبايات", "العبايات") is found by its Arabic forms, so English copy can name it too.
        folded = _fold_arabic(product)
        for entry in table.values():
            if lang_key in entry and any(_fold_arabic(v) == folded for k, v in entry.items() if k.startswith("ar")):
                return entry[lang_key]
    if lang_key.startswith("ar") and not has_arabic(product):
        # A Latin common noun ("winter jackets") reads badly inside Arabic copy; a proper name
        # ("iPhone 16", "Nike Air") is normally kept in Latin script by Gulf advertisers.
        looks_like_name = any(ch.isupper() or ch.isdigit() for ch in product)
        return product if looks_like_name else None
    if lang_key == "en" and has_arabic(product):
        return None
    return product


_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "ء": "", "ّ": "", "ً": ""})


def _fold_arabic(text: str) -> str:
    """An Arabic noun without its article and spelling variants: العباءات, عبايات and العبايات compare by stem."""
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in text.strip().translate(_AR_FOLD).split()]
    return " ".join(w.replace("اءات", "ايات").replace("ات", "") for w in words)


def cta_label(code: str, lang_key: str, *, feminine: bool = False) -> str:
    labels = _ctas().get(code, {})
    label = labels.get(lang_key) or labels.get("en") or code.replace("_", " ").title()
    return apply_gender(label, feminine)


def is_feminine(brief: CopyBrief) -> bool:
    if brief.audience_gender != "all":
        return brief.audience_gender == "female"
    words = set(re.findall(r"\w+", brief.audience.lower()))
    female = {
        "women",
        "woman",
        "female",
        "females",
        "ladies",
        "girls",
        "mothers",
        "moms",
        "نساء",
        "سيدات",
        "بنات",
    }
    male = {"men", "man", "male", "males", "boys", "fathers", "dads", "رجال", "شباب"}
    return bool(words & female) and not words & male


# ---------------------------------------------------------------------------------------------------------
# Offline provider


class TemplateCopyProvider:
    """Copy from the template library: theme headline and hook + objective action, checked per platform."""

    name = "templates"

    async def generate(self, brief: CopyBrief) -> CopyResult:
        variants: list[CopyVariant] = []
        for language in brief.languages:
            variants.extend(self.compose(brief, language))
        return CopyResult(variants=variants, provider=self.name)

    def compose(self, brief: CopyBrief, language: str) -> list[CopyVariant]:
        lang_key = language_key(language, brief.register)
        theme = _theme_data(normalize_theme(brief.theme))
        group = OBJECTIVE_GROUPS.get((brief.objective or "sales").lower(), "sales")
        objective = _objectives()[group]
        if lang_key not in theme or lang_key not in objective:
            raise ValueError(f"no copy templates for language {language!r}")
        feminine = is_feminine(brief)
        cta: CtaCode = objective["cta"]
        label = cta_label(cta, lang_key, feminine=feminine)
        words = theme[lang_key]
        acts = objective[lang_key]
        named = localize_product(brief.product, lang_key)
        product = named or words["default_product"]
        # Arabic copy names the brand in Arabic letters (the workspace's Arabic name, else transliterated).
        slots = {
            "brand": brand_for_language(brief.brand_name.strip(), language, brief.brand_name_ar),
            "product": product,
        }

        def fill(template: str) -> str:
            text = apply_gender(template, feminine)
            noun = apply_gender(slots["product"], feminine)
            text = text.replace("{brand}", slots["brand"]).replace("{product}", noun)
            text = text.replace("{Product}", noun[:1].upper() + noun[1:])
            return _SPACES_RE.sub(" ", text).strip()

        # Rotate the starting point by the brief so two campaigns of the same theme do not read the same,
        # while the same brief always gives the same copy (cacheable, reviewable).
        # (A brief without an offer keys as it did before briefs had one, so its copy reads as it always did.)
        keyed = brief.model_dump(mode="json", exclude={"offer"}) if brief.offer is None else brief
        seed = int(brief_fingerprint("copy", keyed)[:8], 16)
        headlines = _rotate(words["headlines"], seed)
        hooks = _rotate(words["hooks"], seed // 7)
        if named:
            # A brief that names its product gets it in the copy: product headlines alternate with the
            # theme's (the first variant leads with the product), and hooks that name it come first.
            lines = _product_lines()
            product_heads = _rotate(lines.get(lang_key, []), seed)
            headlines = [h for pair in itertools.zip_longest(product_heads, headlines) for h in pair if h]
            hooks = (
                lines.get(f"hooks_{lang_key}", [])
                + [k for k in hooks if "{product}" in k]
                + [k for k in hooks if "{product}" not in k]
            )
        actions = _rotate(acts["actions"], seed // 11)
        descriptions = _rotate(acts["descriptions"], seed // 13)
        stated = offer_lines(brief.offer, lang_key, language)
        if stated is not None:
            # The offer leads: every headline states it (while there are enough of them), and so does the
            # description; the theme's own lines follow for any further variant.
            offer_heads, offer_descriptions = stated
            headlines = _rotate(offer_heads, seed) + headlines
            limit = strictest_limits(brief.platforms)["description"]
            fitting = [d for d in offer_descriptions if len(fill(d)) <= limit]
            descriptions = fitting or [min(offer_descriptions, key=lambda d: len(fill(d)))]

        chosen: list[CopyVariant] = []
        used_headlines: set[str] = set()
        used_texts: set[str] = set()
        # Walk the combinations "diagonally" so consecutive variants change every field, not just one.
        combos = sorted(
            itertools.product(range(len(headlines)), range(len(hooks)), range(len(actions))),
            key=lambda c: (max(c) - min(c), c),
        )
        for h, k, a in combos:
            if len(chosen) >= brief.variants:
                break
            headline = fill(headlines[h])
            primary = f"{fill(hooks[k])} {fill(actions[a])}"
            if headline in used_headlines or primary in used_texts:
                continue
            # The description adds to the headline, never repeats it ("30% Off Abayas" / "30% off abayas").
            options = [fill(descriptions[(h + a + i) % len(descriptions)]) for i in range(len(descriptions))]
            desc = next((d for d in options if d.casefold() != headline.casefold()), options[0])
            variant = CopyVariant(
                language=language,
                headline=headline,
                primary_text=primary,
                description=desc,
                cta=cta,
                cta_label=label,
            )
            if not fits_platforms(variant, brief.platforms):
                shorter = _shorten(
                    variant, brief.platforms, [fill(d) for d in descriptions], fill(actions[a])
                )
                if shorter is None:
                    continue
                variant = shorter
            used_headlines.add(variant.headline)
            used_texts.add(variant.primary_text)
            chosen.append(variant)
        if not chosen:
            raise ValueError(f"no template for {language!r} fits the limits of {', '.join(brief.platforms)}")
        return chosen


def offer_lines(offer: Offer | None, lang_key: str, language: str) -> tuple[list[str], list[str]] | None:
    """Headlines and descriptions that state the offer, in order of preference ({pct} and {price} filled;
    {product}, {brand} and the gendered forms left to the composer)."""
    if offer is None or offer.empty:
        return None
    lines = _offer_lines().get(lang_key)
    if lines is None:
        return None
    price = format_price(offer.price, offer.currency, language) if offer.price and offer.currency else None
    if offer.discount_percent is not None:
        group = lines["discount_up_to" if offer.discount_up_to else "discount"]
        heads = list(group["headlines"])
        descriptions = (list(group["with_price"]) if price else []) + list(group["descriptions"])
    elif price is not None:
        group = lines["price"]
        heads, descriptions = list(group["headlines"]), list(group["descriptions"])
    else:
        return None

    def slots(text: str) -> str:
        return text.replace("{pct}", f"{offer.discount_percent}%").replace("{price}", price or "")

    return [slots(h) for h in heads], [slots(d) for d in descriptions]


def offer_phrase(offer: Offer | None, language: str) -> str:
    """The offer told to a copywriter: "up to 30% off, from SAR 149", or "none"."""
    if offer is None or offer.empty:
        return "none"
    parts = []
    if offer.discount_percent is not None:
        parts.append(f"{'up to ' if offer.discount_up_to else ''}{offer.discount_percent}% off")
    if offer.price is not None and offer.currency:
        parts.append(f"from {format_price(offer.price, offer.currency, language)}")
    return ", ".join(parts)


def _rotate(items: list[str], by: int) -> list[str]:
    if not items:
        return items
    k = by % len(items)
    return items[k:] + items[:k]


def _shorten(
    variant: CopyVariant, platforms: list[str], descriptions: list[str], action: str
) -> CopyVariant | None:
    """Second chance for a long combination: the action alone as primary text, the shortest description."""
    shorter = variant.model_copy(update={"primary_text": action, "description": min(descriptions, key=len)})
    return shorter if fits_platforms(shorter, platforms) else None


# ---------------------------------------------------------------------------------------------------------
# OpenAI provider


class _LLMVariant(BaseModel):
    headline: str
    primary_text: str
    description: str
    cta: CtaCode
    cta_label: str


class _LLMCopy(BaseModel):
    variants: list[_LLMVariant] = Field(min_length=1)


def strictest_limits(platforms: list[str]) -> dict[str, int]:
    """The tightest character limit per field across `platforms` (what a writer must aim for)."""
    limits = {"headline": 40, "primary_text": 125, "description": 30}
    for platform in platforms:
        for field_name, limit in PLATFORM_LIMITS.get(platform, {}).items():
            if field_name in limits:
                limits[field_name] = min(limits[field_name], limit.max_chars)
    return limits


class OpenAICopyProvider:
    """Copy from a chat model (langchain-openai structured output); variants over any limit are dropped."""

    name = "openai-chat"

    def __init__(self, llm: Any, *, model_name: str | None = None) -> None:
        # `llm` is a LangChain chat model (ChatOpenAI in production, a stub in tests).
        self._llm = llm
        if model_name:
            self.name = f"openai-chat:{model_name}"

    @classmethod
    def from_settings(
        cls, *, api_key: str, base_url: str | None, model: str, timeout_s: float = 30.0
    ) -> OpenAICopyProvider:
        from langchain_openai import ChatOpenAI

        llm = ChatOpenAI(
            model=model,
            api_key=SecretStr(api_key),
            base_url=base_url,
            timeout=timeout_s,
            max_retries=1,
            temperature=0.8,
        )
        return cls(llm, model_name=model)

    async def generate(self, brief: CopyBrief) -> CopyResult:
        per_language = await asyncio.gather(*(self._one_language(brief, lang) for lang in brief.languages))
        return CopyResult(variants=[v for group in per_language for v in group], provider=self.name)

    async def _one_language(self, brief: CopyBrief, language: str) -> list[CopyVariant]:
        limits = strictest_limits(brief.platforms)
        system = string.Template(read_prompt("copy_system.md")).safe_substitute(
            headline_max=limits["headline"],
            primary_max=limits["primary_text"],
            description_max=limits["description"],
        )
        user = string.Template(read_prompt("copy_user.md")).safe_substitute(
            variants=brief.variants,
            language={"ar": "Arabic", "en": "English"}.get(language, language),
            register=brief.register if language == "ar" else "n/a",
            brand=brand_for_language(brief.brand_name, language, brief.brand_name_ar),
            theme=brief.theme or "none",
            objective=brief.objective or "sales",
            product=brief.product or "not given",
            offer=offer_phrase(brief.offer, language),
            audience=brief.audience or "general",
            audience_gender=brief.audience_gender,
            tone=brief.tone or "warm",
            platforms=", ".join(brief.platforms),
            landing_url=brief.landing_url or "not given",
        )
        structured = self._llm.with_structured_output(_LLMCopy)
        messages: list[tuple[str, str]] = [("system", system), ("user", user)]
        kept: list[CopyVariant] = []
        for _ in range(2):
            raw = await structured.ainvoke(messages)
            result = raw if isinstance(raw, _LLMCopy) else _LLMCopy.model_validate(raw)
            problems: list[str] = []
            for item in result.variants:
                variant = CopyVariant(language=language, **item.model_dump())
                violations = check_copy_limits(variant, brief.platforms)
                if violations:
                    problems.extend(v.message_en for v in violations)
                elif variant.primary_text not in {k.primary_text for k in kept}:
                    kept.append(variant)
            if len(kept) >= brief.variants:
                break
            # One repair round: tell the model exactly what was over, as a reviewer would.
            messages.append(
                ("user", "Some variants broke the limits: " + "; ".join(problems) + " Write them again.")
            )
        if not kept:
            raise ValueError(f"the chat model produced no {language} copy within the platform limits")
        return kept[: brief.variants]
