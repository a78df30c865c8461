"""The video's frames, drawn with Pillow: a still per scene and its captions and title as transparent overlays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps, ImageStat

from tools.generation.backgrounds import gradient, render_background, theme_style
from tools.generation.layout import RGB, TextStyle, draw_line, fit_text, text_direction
from tools.generation.storyboard import VIDEO_SAFE_ZONE, SafeZone, ScenePlan, TimedScene, timeline

OVERSCAN = 1.10  # picture scenes are drawn 10% larger than the frame so the camera has room to pan
PLATE = (0, 0, 0, 158)  # caption plate: 62% black, so white text keeps >= 6:1 over any picture
PLATE_TEXT: RGB = (255, 255, 255)
MIN_CONTRAST = 4.5  # WCAG AA for text
CAPTION_LINES = 2
NEUTRALS: tuple[RGB, ...] = ((250, 248, 244), (18, 18, 24))
CARD_DISTANCE = 110  # luma steps between a card and the pictures: a cut ffmpeg scores well above 0.3


# ---------------------------------------------------------------------------------------------------------
# Colour


def relative_luminance(rgb: RGB) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""

    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def luma(rgb: RGB) -> float:
    """What the video's Y plane (and ffmpeg's scene detector) sees: BT.601 luma, 0-255."""
    r, g, b = rgb
    return 0.299 * r + 0.587 * g + 0.114 * b


def mean_colour(img: Image.Image) -> RGB:
    small = img.convert("RGB").resize((32, 56), Image.Resampling.BILINEAR)
    r, g, b = (round(v) for v in ImageStat.Stat(small).mean[:3])
    return (r, g, b)


def _blend(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


@dataclass(frozen=True)
class CardColours:
    top: RGB
    bottom: RGB
    ink: RGB  # title text on the card: >= 4.5:1 against both ends of its gradient


def card_colours(style: TextStyle, pictures: RGB) -> CardColours:
    """The card is the theme colour farthest in brightness from the pictures around it (a neutral when no
    theme colour is far enough), so the cut from picture to card changes most of the frame."""
    # In order of preference: the accent (the theme's button colour) reads as the brand's own card.
    palette: list[RGB] = [style.accent, style.text, style.on_accent, style.panel[:3], style.brand]
    far = [c for c in palette if abs(luma(c) - luma(pictures)) >= CARD_DISTANCE]
    base = far[0] if far else max(NEUTRALS, key=lambda c: abs(luma(c) - luma(pictures)))
    shade = (0, 0, 0) if luma(base) > 128 else (255, 255, 255)
    top, bottom = base, _blend(base, shade, 0.12)

    def legibility(c: RGB) -> float:
        return min(contrast_ratio(c, top), contrast_ratio(c, bottom))

    # The theme's own colour when one reads well on the card; black or white otherwise (one always does).
    ink = max(palette, key=legibility)
    if legibility(ink) < MIN_CONTRAST:
        ink = max(((0, 0, 0), (255, 255, 255)), key=legibility)
    return CardColours(top, bottom, ink)


# ---------------------------------------------------------------------------------------------------------
# Stills


def picture(theme: str, width: int, height: int, seed: int) -> Image.Image:
    """A picture scene: the theme's background, drawn larger than the frame for the camera's pan."""
    return render_background(theme, int(width * OVERSCAN) // 2 * 2, int(height * OVERSCAN) // 2 * 2, seed=seed)


def card(colours: CardColours, width: int, height: int) -> Image.Image:
    return gradient((width, height), colours.top, colours.bottom)


def end_card(path: Path, width: int, height: int) -> Image.Image:
    """The ad itself, whole: a 9:16 ad as it is, another shape over a blurred, darkened fill of itself."""
    with Image.open(path) as src:
        img = src.convert("RGB")
    if abs(img.width / img.height - width / height) < 0.05 * width / height:
        return img.resize((width, height), Image.Resampling.LANCZOS) if img.size != (width, height) else img
    back = ImageOps.fit(img, (width // 4, height // 4), Image.Resampling.BILINEAR)
    back = back.filter(ImageFilter.GaussianBlur(12)).resize((width, height), Image.Resampling.BILINEAR)
    back = ImageEnhance.Brightness(back).enhance(0.55)
    front = ImageOps.contain(img, (width, height), Image.Resampling.LANCZOS)
    back.paste(front, ((width - front.width) // 2, (height - front.height) // 2))
    return back


def drawn_end_card(
    theme: str, width: int, height: int, *, seed: int, brand: str, cta: str, language: str, zone: SafeZone
) -> Image.Image:
    """With no ad image to end on: the theme's picture, the brand, and the CTA as a button."""
    style = theme_style(theme)
    img = render_background(theme, width, height, seed=seed).convert("RGBA")
    left, top, right, bottom = zone.box(width, height)
    cx = (left + right) / 2
    label = fit_text(cta, language, max_width=(right - left) * 0.8, max_height=height * 0.08,
                     max_size=int(width * 0.07), min_size=int(width * 0.045), max_lines=1)
    name = fit_text(brand, language, max_width=right - left, max_height=height * 0.1,
                    max_size=int(width * 0.09), min_size=int(width * 0.05), max_lines=2)
    button_w = label.width + int(label.font.size * 2.6)
    button_h = int(label.line_height * 1.6)
    block = name.height + int(height * 0.04) + button_h
    y = top + (bottom - top - block) / 2
    overlay = Image.new("RGBA", img.size, (0, 0, 0, 0))
    od = ImageDraw.Draw(overlay)
    od.rounded_rectangle((left, y - height * 0.03, right, y + name.height + height * 0.015), radius=int(width * 0.03),
                         fill=PLATE)
    img = Image.alpha_composite(img, overlay)
    draw = ImageDraw.Draw(img)
    _draw_lines(draw, name.lines, name.font, name.line_height, cx, y, PLATE_TEXT, language)
    by = y + name.height + height * 0.04
    draw.rounded_rectangle((cx - button_w / 2, by, cx + button_w / 2, by + button_h), radius=button_h // 2,
                           fill=style.accent)
    fg = style.on_accent if contrast_ratio(style.on_accent, style.accent) >= MIN_CONTRAST else (
        max(((0, 0, 0), (255, 255, 255)), key=lambda c: contrast_ratio(c, style.accent)))
    draw_line(draw, cx, by + button_h / 2 + label.font.size * 0.36, label.lines[0] if label.lines else cta,
              label.font, fg, language)
    return img.convert("RGB")


# ---------------------------------------------------------------------------------------------------------
# Text overlays


@dataclass(frozen=True)
class Overlay:
    """A transparent picture laid over the frame at (x, y), shown from `start` to `end` (scene-local s)."""

    path: Path
    x: int
    y: int
    start: float
    end: float


def caption_font_sizes(width: int) -> tuple[int, int]:
    return int(width * 0.064), int(width * 0.046)


def caption_fits(
    language: str, width: int, height: int, zone: SafeZone = VIDEO_SAFE_ZONE
) -> Callable[[str], bool]:
    """Does a caption fit the caption box in at most two lines at a readable size?"""
    left, _, right, _ = zone.box(width, height)
    max_size, min_size = caption_font_sizes(width)
    inner = (right - left) - 2 * _plate_pad(width)

    def fits(text: str) -> bool:
        fitted = fit_text(text, language, max_width=inner, max_height=height, max_size=max_size,
                          min_size=min_size, max_lines=CAPTION_LINES)
        return len(fitted.lines) <= CAPTION_LINES and fitted.width <= inner

    return fits


def _plate_pad(width: int) -> int:
    return int(width * 0.03)


def caption_box(
    text: str, language: str, width: int, height: int, *, ink: RGB | None = None, zone: SafeZone = VIDEO_SAFE_ZONE
) -> tuple[Image.Image, int, int]:
    """A caption centred in the safe zone with its bottom on the zone's bottom edge: white on a dark plate over
    a picture, or straight in the card's ink on a card."""
    left, _, right, bottom = zone.box(width, height)
    pad = _plate_pad(width)
    max_size, min_size = caption_font_sizes(width)
    fitted = fit_text(text, language, max_width=(right - left) - 2 * pad, max_height=height * 0.2,
                      max_size=max_size, min_size=min_size, max_lines=CAPTION_LINES)
    plate_w = min(right - left, fitted.width + 2 * pad)
    plate_h = fitted.height + int(pad * 1.2)
    img = Image.new("RGBA", (plate_w, plate_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    if ink is None:
        draw.rounded_rectangle((0, 0, plate_w - 1, plate_h - 1), radius=int(pad * 0.9), fill=PLATE)
    _draw_lines(draw, fitted.lines, fitted.font, fitted.line_height, plate_w / 2, pad * 0.45, ink or PLATE_TEXT,
                language)
    x = round((left + right) / 2 - plate_w / 2)
    return img, x, bottom - plate_h


def title_box(
    text: str, language: str, width: int, height: int, *, big: bool, ink: RGB | None, zone: SafeZone = VIDEO_SAFE_ZONE
) -> tuple[Image.Image, int, int]:
    """A title in the safe zone: a small one (the kicker) at its top; a big one centred between the kicker's
    room and the captions' room. Ink straight on a card, white on a plate over a picture."""
    left, top, right, bottom = zone.box(width, height)
    pad = _plate_pad(width)
    small_size = int(width * 0.06)
    kicker_room = int(small_size * 1.32) + int(pad * 1.2) + pad
    caption_room = CAPTION_LINES * int(caption_font_sizes(width)[0] * 1.32) + int(pad * 1.2) + pad
    area_top, area_bottom = (top + kicker_room, bottom - caption_room) if big else (top, top + kicker_room)
    min_size = int(width * 0.045)
    fitted = fit_text(text, language, max_width=(right - left) - 2 * pad,
                      max_height=(area_bottom - area_top) - int(pad * 1.2),
                      max_size=int(width * 0.13) if big else small_size, min_size=min_size, max_lines=2 if big else 1)
    if big and fitted.font.size <= min_size:  # a long title: three smaller lines rather than two tiny ones
        fitted = fit_text(text, language, max_width=(right - left) - 2 * pad,
                          max_height=(area_bottom - area_top) - int(pad * 1.2),
                          max_size=int(width * 0.13), min_size=min_size, max_lines=3)
    box_w = min(right - left, fitted.width + 2 * pad)
    box_h = fitted.height + int(pad * 1.2)
    img = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    if ink is None:
        draw.rounded_rectangle((0, 0, box_w - 1, box_h - 1), radius=int(pad * 0.9), fill=PLATE)
    _draw_lines(draw, fitted.lines, fitted.font, fitted.line_height, box_w / 2, pad * 0.45,
                ink or PLATE_TEXT, language)
    x = round((left + right) / 2 - box_w / 2)
    y = round(area_top + max(0, (area_bottom - area_top - box_h) / 2)) if big else top
    return img, x, y


def _draw_lines(draw: ImageDraw.ImageDraw, lines: list[str], font: ImageFont.FreeTypeFont, line_height: int,
                cx: float, top: float, fill: RGB, language: str) -> None:
    for i, line in enumerate(lines):
        draw_line(draw, cx, top + i * line_height + font.size * 1.02, line, font, fill, language)


# ---------------------------------------------------------------------------------------------------------
# One scene list to files (runs in a worker process)


@dataclass(frozen=True)
class FramesJob:
    plans: list[ScenePlan]
    segments: list[str]
    spans: list[tuple[float, float]]  # when each segment is said, in the voice's own time
    total_s: float
    lead_s: float
    theme: str
    width: int
    height: int
    language: str
    variation: int
    end_image: Path | None
    brand_name: str
    cta_label: str
    out_dir: Path


@dataclass(frozen=True)
class SceneFrames:
    scene: TimedScene
    still: Path
    moves: bool  # a picture pans; a card and the end card hold still
    overlays: list[Overlay]


def render_frames(job: FramesJob) -> list[SceneFrames]:
    """Time the scenes and captions, then write every scene's still and text overlays into `job.out_dir`.

    Pure CPU and picklable, for run_cpu: caption breaks are measured with the fonts they are drawn in.
    """
    w, h = job.width, job.height
    zone = SafeZone.for_frame(w, h)  # the still images' margins at this size (placements.margins_for)
    fits = caption_fits(job.language, w, h, zone)
    scenes = timeline(job.plans, job.segments, job.spans, total_s=job.total_s, lead_s=job.lead_s, fits=fits)
    style = theme_style(job.theme)
    base_seed = 1009 + 101 * job.variation  # not the ad's own seed: the pictures are other views of the theme
    stills: dict[int, Image.Image] = {}
    for k, scene in enumerate(scenes):
        if scene.plan.visual == "photo":
            stills[k] = picture(job.theme, w, h, seed=base_seed + 37 * k)
        elif scene.plan.visual == "end":
            stills[k] = (
                end_card(job.end_image, w, h)
                if job.end_image is not None
                else drawn_end_card(
                    job.theme, w, h, seed=7 + 101 * job.variation, brand=job.brand_name, cta=job.cta_label,
                    language=job.language, zone=zone,
                )
            )
    # Cards take the theme colour farthest from the pictures around them.
    means = [mean_colour(img) for img in stills.values()]
    around: RGB = tuple(round(sum(c[i] for c in means) / len(means)) for i in range(3))  # type: ignore[assignment]
    colours = card_colours(style, around)
    job.out_dir.mkdir(parents=True, exist_ok=True)
    out: list[SceneFrames] = []
    for k, scene in enumerate(scenes):
        img = stills.get(k) or card(colours, w, h)
        still = job.out_dir / f"scene{k}.jpg"
        img.save(still, "JPEG", quality=92)
        overlays: list[Overlay] = []
        ink = colours.ink if scene.plan.visual == "card" else None
        for name, text, big in (("kicker", scene.plan.kicker, False), ("title", scene.plan.title, True)):
            if text:
                title, x, y = title_box(text, _lang_of(text, job.language), w, h, big=big, ink=ink, zone=zone)
                path = job.out_dir / f"{name}{k}.png"
                title.save(path)
                overlays.append(Overlay(path, x, y, 0.0, scene.duration))
        for j, cue in enumerate(scene.cues):
            caption, x, y = caption_box(cue.text, job.language, w, h, ink=ink, zone=zone)
            path = job.out_dir / f"caption{k}_{j}.png"
            caption.save(path)
            overlays.append(
                Overlay(path, x, y, round(cue.start - scene.start, 3), round(cue.end - scene.start, 3))
            )
        out.append(SceneFrames(scene, still, scene.plan.visual == "photo", overlays))
    return out


def _lang_of(text: str, language: str) -> str:
    """A Latin brand or offer inside an Arabic video is set left to right."""
    direction, lang = text_direction(text, language)
    return lang if direction == "rtl" else "en"

