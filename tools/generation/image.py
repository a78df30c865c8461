"""Image providers: procedural theme backgrounds (offline) or an OpenAI key visual, then the text layout."""

from __future__ import annotations

import asyncio
import base64
import io
import string
from pathlib import Path
from typing import Any

import httpx
from PIL import Image, ImageOps

from tools.generation.backgrounds import render_background, theme_style
from tools.generation.base import ImageBrief, MediaResult, brief_fingerprint
from tools.generation.brand import brand_for_language
from tools.generation.compose import Composition, Content, plan_layout, render_text
from tools.generation.design import regions
from tools.generation.offer import Offer, discount_label, product_line
from tools.generation.offer_words import format_price, states_discount
from tools.generation.placements import is_vertical
from tools.generation.text import _read_json, language_key, localize_product, normalize_theme, read_prompt
from tools.generation.workers import run_cpu

JPEG_QUALITY = 92


def _out_path(brief: ImageBrief, out_dir: Path, provider: str) -> Path:
    key = brief_fingerprint("image", brief)[:10]
    return out_dir / f"image_{brief.language}_{brief.width}x{brief.height}_{provider}_{key}.jpg"


def content_of(brief: ImageBrief) -> Content:
    """What the creative says, in its language: headline, CTA, brand, and the offer slots the brief fills."""
    offer = Offer(discount_percent=brief.discount_percent, price=brief.price, currency=brief.currency)
    logo = None
    if brief.logo_path is not None:
        with Image.open(brief.logo_path) as src:
            logo = src.convert("RGBA")
    return Content(
        headline=brief.headline,
        cta_label=brief.cta_label,
        brand=brand_for_language(brief.brand_name, brief.language, brief.brand_name_ar),
        language=brief.language,
        offer_label=_badge(brief),
        product_line=_product_slot(brief, offer),
        logo=logo,
    )


def _badge(brief: ImageBrief) -> str:
    """The discount badge, unless the headline already states the discount: a creative says it once, big."""
    if not brief.discount_percent or states_discount(brief.headline, brief.discount_percent):
        return ""
    return discount_label(brief.discount_percent, brief.language, brief.discount_up_to)


def _product_slot(brief: ImageBrief, offer: Offer) -> str:
    """The product and "from" price line, unless the headline says it already (an ad says a thing once)."""
    line = product_line(brief.product, offer, brief.language, brief.register)
    headline = brief.headline.casefold()
    price = format_price(offer.price, offer.currency, brief.language) if offer.price and offer.currency else None
    if not line or line.casefold() in headline or (price is not None and price.casefold() in headline):
        return ""
    name = localize_product(brief.product, language_key(brief.language, brief.register)) if brief.product else None
    if name and price is not None and name.casefold() in headline:
        return product_line(None, offer, brief.language, brief.register)  # "From SAR 99": the headline named it
    return line


def compose_procedural(brief: ImageBrief, theme: str) -> Composition:
    """The offline creative: layout planned first, background painted around it, then the text."""
    content = content_of(brief)
    layout = regions(theme, brief.width, brief.height)
    style = theme_style(theme)
    plan = plan_layout(content, layout, style, vertical=is_vertical(brief.width, brief.height))
    background = render_background(
        theme,
        brief.width,
        brief.height,
        seed=7 + 101 * brief.variation,
        layout=layout,
        calm=(plan.card, plan.button),
    )
    return render_text(background, plan, style, brief.language, content.logo)


def compose_on_visual(visual: Image.Image, brief: ImageBrief, theme: str) -> Composition:
    """A model's key visual in the same layout: our card, our text (never the model's), our button."""
    content = content_of(brief)
    style = theme_style(theme)
    plan = plan_layout(
        content,
        regions(theme, brief.width, brief.height),
        style,
        vertical=is_vertical(brief.width, brief.height),
    )
    return render_text(visual, plan, style, brief.language, content.logo)


def _save(img: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # JPEG: every platform takes it, and a 1080x1920 photo-like ad is ~10x smaller than PNG.
    img.save(path, "JPEG", quality=JPEG_QUALITY, optimize=False, subsampling=0)


def render_procedural(brief: ImageBrief, theme: str, path: Path) -> None:
    """Draw the theme's creative to `path` (pure CPU: runs in a worker)."""
    _save(compose_procedural(brief, theme).image, path)


def finish_visual(raw: bytes, brief: ImageBrief, theme: str, path: Path) -> None:
    """Crop a model's key visual to the placement and lay the text out on it (pure CPU: runs in a worker)."""
    with Image.open(io.BytesIO(raw)) as src:
        visual = ImageOps.fit(src.convert("RGB"), (brief.width, brief.height), Image.Resampling.LANCZOS)
    _save(compose_on_visual(visual, brief, theme).image, path)


class ProceduralImageProvider:
    """Offline: a designed background drawn for the theme, then headline and CTA laid out on it."""

    name = "procedural"

    async def render(self, brief: ImageBrief, out_dir: Path) -> MediaResult:
        theme = normalize_theme(brief.theme)
        path = _out_path(brief, out_dir, self.name)
        # Drawing and text layout hold the GIL: in a worker process each image gets a core of its own.
        # The worker's working directory is the one it started in, so it gets an absolute path.
        await run_cpu(render_procedural, brief, theme, path.absolute())
        return MediaResult(
            path=path,
            mime="image/jpeg",
            width=brief.width,
            height=brief.height,
            provider=self.name,
            meta={"theme": theme, "background": "procedural"},
        )


def _api_size(width: int, height: int, model: str) -> str:
    """The model's nearest generation size with the same orientation (cropped to the exact size after)."""
    ratio = height / width
    if model.startswith("dall-e-3"):
        return "1024x1792" if ratio > 1.2 else "1024x1024"
    return "1024x1536" if ratio > 1.2 else "1024x1024"


class OpenAIImageProvider:
    """A text-free key visual from the OpenAI images API, cropped to the placement, then the layout step."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        model: str = "gpt-image-1",
        http: httpx.AsyncClient | None = None,
        timeout_s: float = 90.0,
    ) -> None:
        self.name = f"openai-images:{model}"
        self._key = api_key
        self._base = (base_url or "https://api.openai.com/v1").rstrip("/")
        self._model = model
        self._http = http
        self._timeout = timeout_s
        # One key visual per (theme, product, orientation) serves every language: same picture, other text.
        self._visuals: dict[tuple[str, str, str, int], bytes] = {}
        self._locks: dict[tuple[str, str, str, int], asyncio.Lock] = {}

    def prompt(self, brief: ImageBrief, theme: str) -> str:
        styles: dict[str, str] = _read_json("image_styles.json")
        tall = brief.height / brief.width > 1.2
        return (
            string.Template(read_prompt("image_prompt.md"))
            .safe_substitute(
                theme=theme.replace("_", " "),
                style=styles.get(theme, styles["generic"]),
                product_clause=f" selling {brief.product}" if brief.product else "",
                text_zone="middle band (a fifth to two thirds down)" if tall else "centre",
            )
            .strip()
        )

    async def _visual(self, brief: ImageBrief, theme: str) -> bytes:
        size = _api_size(brief.width, brief.height, self._model)
        key = (theme, brief.product or "", size, brief.variation)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key not in self._visuals:
                self._visuals[key] = await self._generate(self.prompt(brief, theme), size)
            return self._visuals[key]

    async def _generate(self, prompt: str, size: str) -> bytes:
        body: dict[str, Any] = {"model": self._model, "prompt": prompt, "size": size, "n": 1}
        if self._model.startswith("dall-e"):
            body["response_format"] = "b64_json"
        client = self._http or httpx.AsyncClient(timeout=self._timeout)
        try:
            resp = await client.post(
                f"{self._base}/images/generations",
                json=body,
                timeout=self._timeout,
                headers={"Authorization": f"Bearer {self._key}"},
            )
            resp.raise_for_status()
            item = resp.json()["data"][0]
            if item.get("b64_json"):
                return base64.b64decode(item["b64_json"])
            url_resp = await client.get(item["url"], timeout=self._timeout)
            url_resp.raise_for_status()
            return url_resp.content
        finally:
            if self._http is None:
                await client.aclose()

    async def render(self, brief: ImageBrief, out_dir: Path) -> MediaResult:
        theme = normalize_theme(brief.theme)
        raw = await self._visual(brief, theme)
        path = _out_path(brief, out_dir, "openai")
        await run_cpu(finish_visual, raw, brief, theme, path.absolute())
        return MediaResult(
            path=path,
            mime="image/jpeg",
            width=brief.width,
            height=brief.height,
            provider=self.name,
            meta={"theme": theme, "background": "openai", "model": self._model},
        )
