"""Generation contracts: briefs, results, provider protocols, the fallback chain and platform copy limits."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import unicodedata
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel, Field

CtaCode = Literal[
    "shop_now", "learn_more", "sign_up", "order_now", "book_now", "contact_us", "download", "get_offer"
]
CTA_CODES: tuple[str, ...] = (
    "shop_now",
    "learn_more",
    "sign_up",
    "order_now",
    "book_now",
    "contact_us",
    "download",
    "get_offer",
)
GenerationKind = Literal["copy", "image", "voice", "video"]

# Placement sizes every campaign gets: feed 1:1, feed 4:5, vertical 9:16 (stories, reels, TikTok, Snap).
IMAGE_SIZES: tuple[tuple[int, int], ...] = ((1080, 1080), (1080, 1350), (1080, 1920))


# `register` is the Arabic register the copy is written in; pydantic warns the name shadows ABCMeta.register,
# which lives on the metaclass, so instances are unaffected and the warning is noise.
warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)


class Offer(BaseModel):
    """What a sale creative promises. Money is a Decimal with its currency, never a float."""

    discount_percent: int | None = Field(default=None, ge=1, le=95)
    discount_up_to: bool = False  # "up to 50% off": said so on the creative, never as a flat 50%
    price: Decimal | None = Field(default=None, gt=0)
    currency: str | None = None  # ISO 4217, required with a price

    @property
    def empty(self) -> bool:
        return self.discount_percent is None and self.price is None


class CopyBrief(BaseModel):
    theme: str | None = None
    objective: str | None = None
    product: str | None = None
    brand_name: str = "ADLY Store"
    brand_name_ar: str | None = None  # Arabic copy uses it; when unset Arabic copy transliterates brand_name
    languages: list[str] = Field(default_factory=lambda: ["ar", "en"])
    platforms: list[str] = Field(default_factory=lambda: ["meta"])  # limits are checked against each
    audience: str = ""  # a short description, e.g. "women 25-40 in Riyadh"
    # Arabic imperatives agree with who is addressed: women only -> feminine forms, otherwise the generic.
    audience_gender: Literal["female", "male", "all"] = "all"
    tone: str | None = None
    register: Literal["gulf", "msa"] = "gulf"
    variants: int = Field(default=3, ge=1, le=10)
    landing_url: str | None = None
    variation: int = Field(default=0, ge=0)  # "regenerate": same brief, another take (different key, seed)
    offer: Offer | None = None  # the discount and "from" price: the headline and description say them


class CopyVariant(BaseModel):
    language: str
    headline: str
    primary_text: str
    description: str
    cta: CtaCode  # neutral; each platform client maps it to its own CTA enum
    cta_label: str  # the CTA as people see it, in `language`


class CopyResult(BaseModel):
    variants: list[CopyVariant]
    provider: str


class ImageBrief(BaseModel):
    theme: str | None = None
    headline: str
    cta_label: str
    language: str
    width: int = 1080
    height: int = 1080
    brand_name: str = "ADLY Store"
    brand_name_ar: str | None = None  # the workspace's Arabic brand name; else Arabic creative transliterates
    logo_path: Path | None = None  # the brand logo (ADLY_BRAND_LOGO), set above the brand name when given
    product: str | None = None
    discount_percent: int | None = Field(default=None, ge=1, le=95)
    discount_up_to: bool = False  # "up to 30% off"
    price: Decimal | None = Field(default=None, gt=0)  # "from" price, with its currency
    currency: str | None = None
    register: Literal["gulf", "msa"] = "gulf"
    variation: int = Field(default=0, ge=0)  # "regenerate": same brief, another take (different key, seed)


class MediaResult(BaseModel):
    path: Path
    mime: str
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    provider: str
    meta: dict[str, Any] = Field(default_factory=dict)


class VoiceBrief(BaseModel):
    script: str
    language: str
    gender: Literal["female", "male"] = "female"
    variation: int = Field(default=0, ge=0)  # "regenerate": same brief, another take (different key, seed)


class VideoBrief(BaseModel):
    """A story video: scenes cut to the voice-over, captions of what it says, the ad itself as the end card."""

    image_paths: list[Path] = Field(default_factory=list)  # the ad's 9:16 image (the end card), if made
    voice_path: Path | None = None
    width: int = 1080
    height: int = 1920
    duration_s: float = Field(default=10.0, ge=6.0, le=60.0)  # the length without a voice; a voice sets it
    language: str = "ar"
    variation: int = Field(default=0, ge=0)  # "regenerate": same brief, another take (different key, seed)
    # What the story shows and says (the voice-over reads storyboard.voice_script of the same words).
    theme: str | None = None
    headline: str = ""
    primary_text: str = ""
    description: str = ""
    cta_label: str = ""
    brand_name: str = "ADLY Store"
    brand_name_ar: str | None = None  # the hook names the brand in the video's language (else transliterated)
    product: str | None = None
    offer: str | None = None  # e.g. "30% OFF" / "خصم 30%", shown big on the offer scene


class Attempt(BaseModel):
    provider: str
    ok: bool
    error: str | None = None
    started_at: datetime
    finished_at: datetime


class GenerationFailed(Exception):
    """Every provider in a chain failed; `attempts` says who tried and why each failed."""

    def __init__(self, message: str, attempts: list[Attempt]) -> None:
        super().__init__(message)
        self.attempts = attempts


class CopyProvider(Protocol):
    name: str

    async def generate(self, brief: CopyBrief) -> CopyResult: ...


class ImageProvider(Protocol):
    name: str

    async def render(self, brief: ImageBrief, out_dir: Path) -> MediaResult: ...


class VoiceProvider(Protocol):
    name: str

    async def synthesize(self, brief: VoiceBrief, out_dir: Path) -> MediaResult: ...


class VideoProvider(Protocol):
    name: str

    async def render(self, brief: VideoBrief, out_dir: Path) -> MediaResult: ...


@dataclass
class Providers:
    """Ordered provider lists per kind: configured providers first, the offline fallback last."""

    copy: list[CopyProvider] = field(default_factory=list)
    image: list[ImageProvider] = field(default_factory=list)
    voice: list[VoiceProvider] = field(default_factory=list)
    video: list[VideoProvider] = field(default_factory=list)


class _Named(Protocol):
    name: str


P = TypeVar("P", bound=_Named)
R = TypeVar("R")


def _now() -> datetime:
    return datetime.now(UTC)


async def run_chain(
    providers: Sequence[P],
    call: Callable[[P], Awaitable[R]],
    *,
    timeout_s: float | None = None,
) -> tuple[R, list[Attempt]]:
    """Try each provider in order; return the first result and every attempt, or raise GenerationFailed."""
    attempts: list[Attempt] = []
    for provider in providers:
        started = _now()
        try:
            if timeout_s is None:
                result = await call(provider)
            else:
                result = await asyncio.wait_for(call(provider), timeout_s)
        except Exception as exc:  # noqa: BLE001 - any provider failure means "try the next one"
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            attempts.append(
                Attempt(provider=provider.name, ok=False, error=error, started_at=started, finished_at=_now())
            )
            continue
        attempts.append(Attempt(provider=provider.name, ok=True, started_at=started, finished_at=_now()))
        return result, attempts
    names = ", ".join(a.provider for a in attempts) or "none configured"
    raise GenerationFailed(f"every provider failed ({names})", attempts)


def brief_fingerprint(kind: str, brief: BaseModel | Mapping[str, Any]) -> str:
    """A stable digest of a brief (a model or its JSON form): file names, and the core of the cache key."""
    return _digest({"kind": kind, "brief": _brief_json(brief)})


def cache_key(kind: str, brief: BaseModel | Mapping[str, Any], providers: Sequence[str]) -> str:
    """The one cache key for generated content, in memory or in the store: kind, brief, provider line-up.

    The line-up is in the key so that configuring a model provider later is not answered with what the
    offline fallback made before. `variation` is a field of every brief, so a regenerate misses.
    """
    return _digest({"kind": kind, "brief": _brief_json(brief), "providers": list(providers)})


def _brief_json(brief: BaseModel | Mapping[str, Any]) -> Any:
    return brief.model_dump(mode="json") if isinstance(brief, BaseModel) else dict(brief)


def _digest(payload: dict[str, Any]) -> str:
    # default=str: a caller's own key brief may hold paths or dates; models are already JSON here.
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class GenerationCache(Protocol):
    """Results of earlier briefs by cache_key: agent.assets.StoreCache keeps them as asset rows (the flow),
    MemoryCache in this process (tests, one CLI run). Values are the results' JSON form."""

    async def get(self, key: str) -> dict[str, Any] | None: ...

    async def put(self, key: str, value: dict[str, Any]) -> None: ...


class MemoryCache:
    """An in-process GenerationCache (tests, the CLI, one conversation)."""

    def __init__(self) -> None:
        self.entries: dict[str, dict[str, Any]] = {}

    async def get(self, key: str) -> dict[str, Any] | None:
        return self.entries.get(key)

    async def put(self, key: str, value: dict[str, Any]) -> None:
        self.entries[key] = value


M = TypeVar("M", bound=BaseModel)


async def cached_chain(
    kind: GenerationKind,
    brief: BaseModel | Mapping[str, Any],
    providers: Sequence[P],
    call: Callable[[P], Awaitable[M]],
    result_type: type[M],
    *,
    cache: GenerationCache | None = None,
    timeout_s: float | None = None,
) -> tuple[M, list[Attempt], bool]:
    """run_chain behind a cache keyed by cache_key(kind, brief, provider names); returns (result, attempts, hit).

    `brief` only makes the key (the call closes over what it needs), so a caller may key on something
    steadier than the call's input, e.g. the flow keys a video on its input asset ids, not their paths.
    A cached media result whose file is gone counts as a miss, so a cleaned asset folder regenerates.
    """
    key = cache_key(kind, brief, [p.name for p in providers])
    if cache is not None:
        hit = await cache.get(key)
        if hit is not None:
            result = result_type.model_validate(hit)
            path = getattr(result, "path", None)
            if path is None or await asyncio.to_thread(Path(path).is_file):
                return result, [], True
    result, attempts = await run_chain(providers, call, timeout_s=timeout_s)
    if cache is not None:
        await cache.put(key, result.model_dump(mode="json"))
    return result, attempts, False


# ---------------------------------------------------------------------------------------------------------
# Platform copy limits


class LimitViolation(BaseModel):
    field: str  # headline | primary_text | description | cta_label | brand_name
    platform: str
    limit: int
    actual: int
    severity: Literal["error", "warning"] = "error"  # warning: over a platform's *recommended* length
    message_en: str
    message_ar: str


@dataclass(frozen=True)
class FieldLimit:
    max_chars: int
    min_chars: int = 0
    severity: Literal["error", "warning"] = "error"
    no_emoji: bool = False


# Meta's headline/primary text numbers are its recommendations (longer text is truncated in feed, not
# rejected), but we hold generated copy to them; TikTok and Snapchat reject anything over.
PLATFORM_LIMITS: dict[str, dict[str, FieldLimit]] = {
    "meta": {
        "headline": FieldLimit(40, severity="warning"),
        "primary_text": FieldLimit(125, severity="warning"),
        "description": FieldLimit(30, severity="warning"),
    },
    "tiktok": {
        "primary_text": FieldLimit(100, min_chars=1, no_emoji=True),  # TikTok "ad text"
        "brand_name": FieldLimit(40, min_chars=2),  # TikTok display name
    },
    "snapchat": {
        "headline": FieldLimit(34, min_chars=1),
        "brand_name": FieldLimit(32, min_chars=1),
    },
}

_FIELD_NAMES_AR = {
    "headline": "العنوان",
    "primary_text": "النص الأساسي",
    "description": "الوصف",
    "cta_label": "زر الدعوة",
    "brand_name": "اسم العلامة التجارية",
}
_PLATFORM_NAMES = {"meta": "Meta", "tiktok": "TikTok", "snapchat": "Snapchat"}

_EMOJI_RE = re.compile(
    "["
    "\U0001f000-\U0001faff"  # pictographs, emoticons, transport, symbols & pictographs extended
    "\U00002600-\U000027bf"  # misc symbols, dingbats
    "\U0001f1e6-\U0001f1ff"  # regional indicators (flags)
    "\u2b00-\u2bff"  # arrows and stars often rendered as emoji
    "\ufe0f\u200d\u20e3"  # emoji presentation selector, ZWJ sequences, keycaps
    "]"
)


def count_chars(text: str) -> int:
    """Characters as the platforms count them: code points of the NFC form (Arabic letters count one each)."""
    return len(unicodedata.normalize("NFC", text))


def has_emoji(text: str) -> bool:
    return _EMOJI_RE.search(text) is not None


def _violation(field_name: str, platform: str, limit: FieldLimit, actual: int, kind: str) -> LimitViolation:
    pname = _PLATFORM_NAMES.get(platform, platform)
    ar_field = _FIELD_NAMES_AR.get(field_name, field_name)
    if kind == "emoji":
        en = f"{pname} does not allow emoji in the {field_name.replace('_', ' ')}."
        ar = f"{pname} لا يسمح بالرموز التعبيرية في {ar_field}."
        return LimitViolation(
            field=field_name,
            platform=platform,
            limit=0,
            actual=actual,
            severity="error",
            message_en=en,
            message_ar=ar,
        )
    if kind == "short":
        label = field_name.replace("_", " ")
        en = f"{pname} {label} needs at least {limit.min_chars} characters (has {actual})."
        ar = f"{ar_field} في {pname} يحتاج {limit.min_chars} حرفًا على الأقل (الحالي {actual})."
        return LimitViolation(
            field=field_name,
            platform=platform,
            limit=limit.min_chars,
            actual=actual,
            severity="error",
            message_en=en,
            message_ar=ar,
        )
    word = "recommended maximum" if limit.severity == "warning" else "maximum"
    word_ar = "الحد الموصى به" if limit.severity == "warning" else "الحد الأقصى"
    en = f"{pname} {field_name.replace('_', ' ')} is {actual} characters; {word} is {limit.max_chars}."
    ar = f"{ar_field} في {pname} طوله {actual} حرفًا، و{word_ar} {limit.max_chars}."
    return LimitViolation(
        field=field_name,
        platform=platform,
        limit=limit.max_chars,
        actual=actual,
        severity=limit.severity,
        message_en=en,
        message_ar=ar,
    )


def check_copy_limits(
    variant: CopyVariant, platforms: list[str], *, brand_name: str | None = None
) -> list[LimitViolation]:
    """Every way `variant` breaks a target platform's text rules (empty list: fits all of them)."""
    violations: list[LimitViolation] = []
    values = {
        "headline": variant.headline,
        "primary_text": variant.primary_text,
        "description": variant.description,
    }
    if brand_name is not None:
        values["brand_name"] = brand_name
    for platform in platforms:
        for field_name, limit in PLATFORM_LIMITS.get(platform, {}).items():
            if field_name not in values:
                continue
            text = values[field_name]
            n = count_chars(text)
            if limit.no_emoji and has_emoji(text):
                violations.append(_violation(field_name, platform, limit, n, "emoji"))
            if n < limit.min_chars:
                violations.append(_violation(field_name, platform, limit, n, "short"))
            elif n > limit.max_chars:
                violations.append(_violation(field_name, platform, limit, n, "long"))
    return violations


def fits_platforms(variant: CopyVariant, platforms: list[str], *, brand_name: str | None = None) -> bool:
    """True when no limit at all (errors or recommendations) is broken; generated copy must satisfy this."""
    return not check_copy_limits(variant, platforms, brand_name=brand_name)
