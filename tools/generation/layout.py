"""Text layout on ad images: Arabic fonts, raqm shaping (RTL), line breaking, safe margins, CTA button."""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont, features

from tools.generation.text import has_arabic

RGB = tuple[int, int, int]

# Searched in order; a font must cover Arabic *and* Latin (brand names and numbers inside Arabic copy).
_PACKAGE_FONTS = (("fontpkg_ibm_plex_sans_arabic", "files/IBMPlexSansArabic-{weight}.ttf"),)
_SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/noto/NotoSansArabic-{weight}.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-{dv}.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-{dv}.ttf",
)


class FontUnavailable(RuntimeError):
    pass


@lru_cache(maxsize=4)
def font_path(bold: bool = True) -> Path:
    """The best installed font with Arabic glyphs: packaged IBM Plex Sans Arabic, else system DejaVu Sans."""
    weight = "Bold" if bold else "Regular"
    for module, pattern in _PACKAGE_FONTS:
        spec = importlib.util.find_spec(module)
        if spec is not None and spec.origin:
            candidate = Path(spec.origin).parent / pattern.format(weight=weight)
            if candidate.is_file():
                return candidate
    for pattern in _SYSTEM_FONTS:
        candidate = Path(pattern.format(weight=weight, dv="Bold" if bold else ""))
        candidate = Path(str(candidate).replace("DejaVuSans-.ttf", "DejaVuSans.ttf"))
        if candidate.is_file():
            return candidate
    raise FontUnavailable(
        "no font with Arabic glyphs found (install fontpkg-ibm-plex-sans-arabic or fonts-dejavu)"
    )


def raqm_available() -> bool:
    return bool(features.check("raqm"))


def load_font(size: int, *, bold: bool = True) -> ImageFont.FreeTypeFont:
    """A font at `size` px on raqm (HarfBuzz + FriBiDi): Arabic needs it to join and order its letters."""
    if not raqm_available():
        # Without raqm Pillow draws isolated letters left to right: unreadable Arabic. Refuse to ship it.
        raise FontUnavailable("Pillow was built without raqm; Arabic text cannot be shaped")
    return ImageFont.truetype(str(font_path(bold)), size, layout_engine=ImageFont.Layout.RAQM)


def text_direction(text: str, language: str) -> tuple[str, str]:
    """(direction, language tag) for raqm: Arabic copy is RTL even when it starts with a Latin brand name."""
    if language.startswith("ar") or has_arabic(text):
        return "rtl", "ar"
    return "ltr", language or "en"


def text_width(font: ImageFont.FreeTypeFont, text: str, language: str) -> float:
    direction, lang = text_direction(text, language)
    return float(font.getlength(text, direction=direction, language=lang))


def wrap(text: str, font: ImageFont.FreeTypeFont, max_width: float, language: str) -> list[str]:
    """Greedy word wrap in logical order (each line is shaped on its own, so RTL lines stay correct)."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if not current or text_width(font, trial, language) <= max_width:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def balanced_wrap(text: str, font: ImageFont.FreeTypeFont, max_width: float, language: str) -> list[str]:
    """Wrap, then narrow the measure while the line count holds, so no line is left with a lone word."""
    lines = wrap(text, font, max_width, language)
    if len(lines) < 2:
        return lines
    best = lines
    width = max_width
    while width > max_width * 0.5:
        width *= 0.94
        trial = wrap(text, font, width, language)
        if len(trial) > len(lines) or any(text_width(font, line, language) > max_width for line in trial):
            break
        best = trial
    return best


@dataclass(frozen=True)
class FittedText:
    lines: list[str]
    font: ImageFont.FreeTypeFont
    line_height: int
    width: int
    height: int


def fit_text(
    text: str,
    language: str,
    *,
    max_width: float,
    max_height: float,
    max_size: int,
    min_size: int,
    max_lines: int = 3,
    bold: bool = True,
) -> FittedText:
    """The largest font size at which `text` fits the box in at most `max_lines` lines."""
    size = max_size
    while True:
        font = load_font(size, bold=bold)
        lines = balanced_wrap(text, font, max_width, language)
        line_height = int(size * 1.32)  # Arabic needs room above and below for marks and descenders
        height = line_height * len(lines)
        widest = max((text_width(font, line, language) for line in lines), default=0.0)
        fits = len(lines) <= max_lines and height <= max_height and widest <= max_width
        if fits or size <= min_size:
            return FittedText(
                lines=lines, font=font, line_height=line_height, width=int(widest), height=height
            )
        size = max(min_size, int(size * 0.92))


@dataclass(frozen=True)
class SafeArea:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top


def safe_area(width: int, height: int) -> SafeArea:
    """Where text may go. Vertical 9:16 keeps clear of the TikTok/Reels/Stories UI (top 14%, bottom 35%,
    and the right-hand action buttons, mirrored left so centred text stays centred)."""
    if height / width >= 1.7:
        side = int(width * 0.12)
        return SafeArea(side, math.ceil(height * 0.14), width - side, int(height * 0.65))
    side = int(width * 0.08)
    return SafeArea(side, int(height * 0.08), width - side, int(height * 0.92))


@dataclass(frozen=True)
class TextStyle:
    text: RGB = (255, 255, 255)
    accent: RGB = (232, 185, 76)  # CTA button fill
    on_accent: RGB = (22, 20, 40)  # CTA label colour
    panel: tuple[int, int, int, int] = (8, 10, 30, 120)  # translucent plate behind the headline
    brand: RGB = (255, 255, 255)
    shadow: bool = True


def draw_line(
    draw: ImageDraw.ImageDraw,
    center_x: float,
    baseline_y: float,
    line: str,
    font: ImageFont.FreeTypeFont,
    fill: RGB,
    language: str,
) -> None:
    direction, lang = text_direction(line, language)
    draw.text(
        (center_x, baseline_y), line, font=font, fill=fill, anchor="ms", direction=direction, language=lang
    )


def compose(
    background: Image.Image,
    *,
    headline: str,
    cta_label: str,
    brand_name: str,
    language: str,
    style: TextStyle,
) -> Image.Image:
    """Put the brand, the headline and a CTA button on `background`, inside the placement's safe area."""
    img = background.convert("RGBA")
    w, h = img.size
    area = safe_area(w, h)
    unit = min(w, h)

    head = fit_text(
        headline,
        language,
        max_width=area.width * 0.92,
        max_height=area.height * 0.5,
        max_size=int(unit * (0.125 if h / w >= 1.7 else 0.105)),
        min_size=int(unit * 0.05),
    )
    cta = fit_text(
        cta_label,
        language,
        max_width=area.width * 0.6,
        max_height=unit * 0.08,
        max_size=int(unit * 0.045),
        min_size=int(unit * 0.03),
        max_lines=1,
    )
    brand = fit_text(
        brand_name,
        "en" if not has_arabic(brand_name) else "ar",
        max_width=area.width * 0.7,
        max_height=unit * 0.06,
        max_size=int(unit * 0.036),
        min_size=int(unit * 0.024),
        max_lines=1,
        bold=False,
    )

    pad_x, pad_y = int(cta.font.size * 1.3), int(cta.font.size * 0.75)
    button_w, button_h = cta.width + 2 * pad_x, cta.line_height + 2 * pad_y - int(cta.font.size * 0.3)
    gap = int(unit * 0.05)
    block_h = head.height + gap + button_h
    cx = (area.left + area.right) / 2
    # Brand sits at the top of the safe area; the headline block is centred in what is left below it.
    brand_baseline = area.top + brand.font.size
    free_top = brand_baseline + int(unit * 0.04)
    top = free_top + max(0, (area.bottom - free_top - block_h) // 2)

    overlay = Image.new("RGBA", img.size, (0, 0, 0, 0))
    od = ImageDraw.Draw(overlay)
    if style.panel[3] > 0:
        plate_pad = int(unit * 0.045)
        od.rounded_rectangle(
            (
                cx - head.width / 2 - plate_pad,
                top - plate_pad * 0.8,
                cx + head.width / 2 + plate_pad,
                top + head.height + plate_pad * 0.4,
            ),
            radius=int(unit * 0.03),
            fill=style.panel,
        )
    img = Image.alpha_composite(img, overlay)

    if style.shadow:
        shadow = Image.new("RGBA", img.size, (0, 0, 0, 0))
        sd = ImageDraw.Draw(shadow)
        _draw_block(sd, head, cx + 3, top + 4, (0, 0, 0), language)
        shadow = shadow.filter(ImageFilter.GaussianBlur(6))
        img = Image.alpha_composite(img, shadow)

    draw = ImageDraw.Draw(img)
    draw_line(draw, cx, brand_baseline, brand.lines[0] if brand.lines else "", brand.font, style.brand, "en")
    _draw_block(draw, head, cx, top, style.text, language)
    by = top + head.height + gap
    draw.rounded_rectangle(
        (cx - button_w / 2, by, cx + button_w / 2, by + button_h), radius=button_h // 2, fill=style.accent
    )
    label_baseline = by + button_h / 2 + cta.font.size * 0.36
    draw_line(
        draw,
        cx,
        label_baseline,
        cta.lines[0] if cta.lines else cta_label,
        cta.font,
        style.on_accent,
        language,
    )
    return img.convert("RGB")


def _draw_block(
    draw: ImageDraw.ImageDraw, fitted: FittedText, cx: float, top: float, fill: RGB, language: str
) -> None:
    for i, line in enumerate(fitted.lines):
        baseline = top + i * fitted.line_height + fitted.font.size * 1.02
        draw_line(draw, cx, baseline, line, fitted.font, fill, language)
