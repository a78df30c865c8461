"""Text on ad images: Arabic fonts, raqm shaping (RTL), line breaking and fitting, the text palette."""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageDraw, ImageFont, features

from tools.generation.design import safe_zone
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
    """Where text may go: the union of the safe zones of every placement that shows this size
    (tools/generation/placements.py holds the margins and their sources)."""
    zone = safe_zone(width, height)
    return SafeArea(math.ceil(zone.x0), math.ceil(zone.y0), int(zone.x1), int(zone.y1))


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
