"""Procedural, text-free ad backgrounds per theme (Ramadan night sky, Eid stars...), drawn with Pillow."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw, ImageFilter

from tools.generation.design import Box, Regions, regions
from tools.generation.layout import RGB, TextStyle

Painter = Callable[[Image.Image, random.Random, Regions], None]


# ---------------------------------------------------------------------------------------------------------
# Primitives


def gradient(size: tuple[int, int], top: RGB, bottom: RGB, *, diagonal: bool = False) -> Image.Image:
    """A vertical (or diagonal, top-left to bottom-right) two-colour gradient from Pillow's 256-step ramp:
    smooth at any size (the diagonal is the mean of a vertical and a horizontal ramp, no rotated edges)."""
    w, h = size
    ramp = Image.linear_gradient("L")
    mask = ramp.resize((w, h), Image.Resampling.BILINEAR)
    if diagonal:
        across = (
            ramp.rotate(90)
            .transpose(Image.Transpose.FLIP_LEFT_RIGHT)
            .resize((w, h), Image.Resampling.BILINEAR)
        )
        mask = Image.blend(mask, across, 0.5)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def glow(
    img: Image.Image,
    shapes: Callable[[ImageDraw.ImageDraw, float], None],
    color: RGB,
    radius: float,
    strength: float = 1.0,
) -> None:
    """Soft light: draw `shapes` on a quarter-size mask, blur it, and screen `color` through it."""
    w, h = img.size
    scale = 0.25
    mask = Image.new("L", (max(1, int(w * scale)), max(1, int(h * scale))), 0)
    shapes(ImageDraw.Draw(mask), scale)
    mask = mask.filter(ImageFilter.GaussianBlur(radius * scale))
    if strength != 1.0:
        mask = mask.point(lambda v: min(255, int(v * strength)))
    mask = mask.resize((w, h), Image.Resampling.BILINEAR)
    img.paste(Image.new("RGB", (w, h), color), (0, 0), mask)


Shapes = Callable[[ImageDraw.ImageDraw, float], None]


def ellipse(box: tuple[float, float, float, float], fill: int) -> Shapes:
    """A glow shape: one ellipse in full-size coordinates, drawn at the glow mask's scale."""

    def draw(d: ImageDraw.ImageDraw, s: float) -> None:
        d.ellipse(tuple(v * s for v in box), fill=fill)

    return draw


def circles(items: list[tuple[float, float, float]], fill: int) -> Shapes:
    """A glow shape: circles given as (centre x, centre y, radius)."""

    def draw(d: ImageDraw.ImageDraw, s: float) -> None:
        for x, y, r in items:
            d.ellipse(((x - r) * s, (y - r) * s, (x + r) * s, (y + r) * s), fill=fill)

    return draw


def stars(
    draw: ImageDraw.ImageDraw,
    rnd: random.Random,
    box: tuple[int, int, int, int],
    count: int,
    color: RGB = (255, 246, 220),
    *,
    scale: float = 1.0,
) -> None:
    x0, y0, x1, y1 = box
    for _ in range(count):
        x, y = rnd.uniform(x0, x1), rnd.uniform(y0, y1)
        r = rnd.choice((1, 1, 1.5, 2, 2.5, 3)) * scale
        fade = rnd.uniform(0.45, 1.0)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(int(c * fade) for c in color))


def star_polygon(
    cx: float, cy: float, r_out: float, r_in: float, points: int, rot: float = 0.0
) -> list[tuple[float, float]]:
    pts = []
    for i in range(points * 2):
        r = r_out if i % 2 == 0 else r_in
        a = rot + math.pi * i / points
        pts.append((cx + r * math.sin(a), cy - r * math.cos(a)))
    return pts


def eight_point_star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    """The Rub el Hizb outline: two squares turned 45 degrees, as a 16-point polygon."""
    return star_polygon(cx, cy, r, r * 0.77, 8, rot=math.pi / 8)


def crescent(img: Image.Image, cx: float, cy: float, r: float, color: RGB) -> None:
    w, h = img.size
    mask = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(mask)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
    off = r * 0.42
    d.ellipse((cx - r + off, cy - r - off * 0.35, cx + r + off * 0.9, cy + r - off * 0.35), fill=0)
    glow(
        img,
        lambda g, s: g.ellipse(((cx - r) * s, (cy - r) * s, (cx + r) * s, (cy + r) * s), fill=120),
        color,
        r * 0.9,
        0.8,
    )
    img.paste(Image.new("RGB", (w, h), color), (0, 0), mask)


def waves(
    draw: ImageDraw.ImageDraw, w: int, h: int, y: float, amp: float, length: float, phase: float, fill: RGB
) -> None:
    pts = [(x, y + amp * math.sin(2 * math.pi * x / length + phase)) for x in range(0, w + 20, 20)]
    draw.polygon([*pts, (w, h), (0, h)], fill=fill)


# ---------------------------------------------------------------------------------------------------------
# Themes. Each painter keeps its motifs to the layout's motif areas (regions.motifs "top" and "bottom");
# only fine texture (stars, bokeh, patterns) spreads across the frame, and the text card is cleared of it.


def _ramadan(img: Image.Image, rnd: random.Random, regions: Regions) -> None:
    w, h = img.size
    u = min(w, h)
    top, bottom = regions.motifs["top"], regions.motifs["bottom"]
    d = ImageDraw.Draw(img)
    stars(d, rnd, (0, 0, w, int(bottom.y0)), int(140 * w * h / (1080 * 1080 * 4)), scale=u / 1080)
    r = min(u * 0.09, top.height * 0.3)
    crescent(img, w * 0.6, top.y0 + top.height * 0.42, r, (246, 212, 120))
    # Hanging lanterns (fanous): string, cap, glowing body; lengths vary so they read as hung by hand,
    # and the longest ends inside the top band (never behind the text card).
    s = min(u * 0.055, top.height * 0.2)
    reach = max(0.0, top.height - s * 3.95)
    for x, share in ((w * 0.1, 0.35), (w * 0.24, 1.0), (w * 0.88, 0.7)):
        size = s * rnd.uniform(0.85, 1.0)
        _lantern(img, x, top.y0 + reach * share, size, u)
    # Mosque skyline across the bottom band: domes and minarets in a darker night tone.
    base = bottom.y1 - bottom.height * 0.22
    room = base - bottom.y0
    sil = (12, 8, 32)
    d = ImageDraw.Draw(img)
    d.rectangle((0, base, w, h), fill=sil)
    for cx, r in (
        (w * 0.5, min(u * 0.16, room / 1.95)),
        (w * 0.25, min(u * 0.09, room / 2.6)),
        (w * 0.75, min(u * 0.09, room / 2.6)),
    ):
        d.rectangle((cx - r, base - r * 0.6, cx + r, base), fill=sil)
        d.ellipse((cx - r, base - r * 1.6, cx + r, base - r * 0.2), fill=sil)
        d.polygon(
            [(cx - r * 0.08, base - r * 1.55), (cx + r * 0.08, base - r * 1.55), (cx, base - r * 1.95)],
            fill=sil,
        )
    tower = min(u * 0.3, room * 0.8)
    for mx in (w * 0.08, w * 0.36, w * 0.64, w * 0.92):
        mw = u * 0.022
        d.rectangle((mx - mw, base - tower, mx + mw, base), fill=sil)
        d.polygon(
            [(mx - mw * 1.4, base - tower), (mx + mw * 1.4, base - tower), (mx, base - tower - room * 0.2)],
            fill=sil,
        )


def _lantern(img: Image.Image, x: float, top: float, s: float, u: float) -> None:
    glow(
        img,
        ellipse((x - s * 1.6, top + s * 0.3, x + s * 1.6, top + s * 3.3), 200),
        (255, 170, 60),
        s * 1.2,
        0.9,
    )
    d = ImageDraw.Draw(img)
    d.line((x, 0, x, top), fill=(200, 160, 90), width=max(2, int(u * 0.003)))
    gold = (222, 176, 84)
    d.polygon([(x - s * 0.5, top + s * 0.5), (x + s * 0.5, top + s * 0.5), (x, top)], fill=gold)
    body = [
        (x - s * 0.55, top + s * 0.5), (x + s * 0.55, top + s * 0.5), (x + s, top + s * 1.2),
        (x + s, top + s * 2.6), (x + s * 0.55, top + s * 3.2), (x - s * 0.55, top + s * 3.2),
        (x - s, top + s * 2.6), (x - s, top + s * 1.2),
    ]  # fmt: skip
    d.polygon(body, fill=(255, 196, 90), outline=gold, width=max(2, int(s * 0.12)))
    d.line((x, top + s * 0.5, x, top + s * 3.2), fill=gold, width=max(2, int(s * 0.1)))
    d.line((x - s, top + s * 1.9, x + s, top + s * 1.9), fill=gold, width=max(2, int(s * 0.1)))
    d.polygon([(x - s * 0.35, top + s * 3.2), (x + s * 0.35, top + s * 3.2), (x, top + s * 3.8)], fill=gold)


def _eid_fitr(img: Image.Image, rnd: random.Random, regions: Regions) -> None:
    w, h = img.size
    u = min(w, h)
    top, bottom = regions.motifs["top"], regions.motifs["bottom"]
    bokeh = [(rnd.uniform(0, w), rnd.uniform(0, h), rnd.uniform(u * 0.03, u * 0.08)) for _ in range(18)]
    glow(img, circles(bokeh, 110), (250, 215, 130), u * 0.02, 1.0)
    d = ImageDraw.Draw(img)
    for _ in range(int(26 * h / w)):
        x, y, r = rnd.uniform(0, w), rnd.uniform(0, h), rnd.uniform(u * 0.01, u * 0.022)
        d.polygon(eight_point_star(x, y, r), fill=(236, 196, 98))
    gold = (214, 178, 92)
    for x, y, r in (
        (w * 0.1, top.y0 + top.height * 0.38, min(u * 0.2, top.height * 0.6)),
        (w * 0.9, bottom.y0 + bottom.height * 0.62, min(u * 0.2, bottom.height * 0.6)),
    ):
        d.polygon(eight_point_star(x, y, r), outline=gold, width=max(2, int(u * 0.004)))
        d.polygon(eight_point_star(x, y, r * 0.7), outline=gold, width=max(2, int(u * 0.003)))
    crescent(img, w * 0.8, top.y0 + top.height * 0.45, min(u * 0.07, top.height * 0.32), (246, 214, 128))


def _eid_adha(img: Image.Image, rnd: random.Random, regions: Regions) -> None:
    w, h = img.size
    u = min(w, h)
    top = regions.motifs["top"]
    d = ImageDraw.Draw(img)
    step = u * 0.16
    for row in range(int(h / step) + 2):
        for col in range(int(w / step) + 2):
            x = col * step + (step / 2 if row % 2 else 0)
            d.polygon(
                eight_point_star(x, row * step, step * 0.42),
                outline=(120, 84, 44),
                width=max(1, int(u * 0.003)),
            )
    glow(
        img,
        lambda g, s: g.ellipse((w * 0.15 * s, h * 0.2 * s, w * 0.85 * s, h * 0.8 * s), fill=160),
        (255, 222, 160),
        u * 0.2,
        0.7,
    )
    crescent(img, w * 0.2, top.y0 + top.height * 0.5, min(u * 0.07, top.height * 0.32), (255, 232, 170))


def _white_friday(img: Image.Image, rnd: random.Random, regions: Regions) -> None:
    w, h = img.size
    u = min(w, h)
    top, bottom = regions.motifs["top"], regions.motifs["bottom"]
    layer = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(layer)
    for i in range(-4, 14):
        x = i * u * 0.16
        d.polygon([(x, 0), (x + u * 0.05, 0), (x + u * 0.05 + h * 0.5, h), (x + h * 0.5, h)], fill=26)
    img.paste(Image.new("RGB", img.size, (255, 255, 255)), (0, 0), layer)
    glow(
        img,
        lambda g, s: g.ellipse((w * 0.2 * s, -h * 0.2 * s, w * 0.8 * s, h * 0.35 * s), fill=110),
        (255, 255, 255),
        u * 0.15,
        0.8,
    )
    dd = ImageDraw.Draw(img)
    for x, y, r in (
        (w * 0.12, bottom.y0 + bottom.height * 0.5, min(u * 0.07, bottom.height * 0.38)),
        (w * 0.88, top.y0 + top.height * 0.5, min(u * 0.06, top.height * 0.38)),
    ):
        dd.ellipse((x - r, y - r, x + r, y + r), outline=(255, 255, 255), width=max(3, int(u * 0.008)))
        dd.ellipse((x - r * 0.45, y - r * 0.45, x + r * 0.45, y + r * 0.45), fill=(255, 255, 255))


def _national_day(img: Image.Image, rnd: random.Random, regions: Regions) -> None:
    w, h = img.size
    u = min(w, h)
    top, bottom = regions.motifs["top"], regions.motifs["bottom"]
    d = ImageDraw.Draw(img)
    for i in range(4):
        cx = w * (0.12 + 0.25 * i) + rnd.uniform(-w * 0.04, w * 0.04)
        r = min(rnd.uniform(u * 0.06, u * 0.1), top.height * 0.4)
        cy = top.y0 + rnd.uniform(r * 1.05, max(r * 1.05, top.height - r * 1.05))
        color = rnd.choice(((255, 255, 255), (214, 236, 200), (240, 214, 140)))
        for k in range(18):
            a = 2 * math.pi * k / 18
            d.line(
                (
                    cx + r * 0.3 * math.cos(a),
                    cy + r * 0.3 * math.sin(a),
                    cx + r * math.cos(a),
                    cy + r * math.sin(a),
                ),
                fill=color,
                width=max(2, int(u * 0.004)),
            )
    b, bh = bottom.y0, bottom.height
    waves(d, w, h, b + bh * 0.45, u * 0.02, w * 0.7, 0.0, (14, 120, 70))
    waves(d, w, h, b + bh * 0.6, u * 0.02, w * 0.55, 1.5, (240, 246, 240))
    waves(d, w, h, b + bh * 0.75, u * 0.018, w * 0.8, 3.0, (0, 84, 46))
    for px, scale in ((w * 0.1, 1.0), (w * 0.88, 0.8)):
        _palm(d, px, b + bh * 0.7, min(u * 0.3, bh * 0.62) * scale, (0, 50, 26))


def _palm(d: ImageDraw.ImageDraw, x: float, base: float, size: float, color: RGB) -> None:
    top = (x + size * 0.08, base - size)
    d.line((x, base, *top), fill=color, width=max(3, int(size * 0.05)))
    width = max(3, int(size * 0.035))
    for k in range(8):
        side = 1 if k % 2 else -1
        reach = size * (0.3 + 0.12 * (k // 2) / 3)
        lift = size * (0.12 - 0.06 * (k // 2))
        # Each frond is a drooping quadratic curve out of the crown.
        pts = []
        for i in range(9):
            t = i / 8
            pts.append((top[0] + side * reach * t, top[1] - lift * 2 * t * (1 - t) * 2 + size * 0.22 * t * t))
        d.line(pts, fill=color, width=width, joint="curve")


def _founding_day(img: Image.Image, rnd: random.Random, regions: Regions) -> None:
    w, h = img.size
    u = min(w, h)
    top, bottom = regions.motifs["top"], regions.motifs["bottom"]
    glow(
        img,
        lambda g, s: g.ellipse((w * 0.1 * s, h * 0.15 * s, w * 0.9 * s, h * 0.7 * s), fill=140),
        (255, 246, 226),
        u * 0.2,
        0.7,
    )
    d = ImageDraw.Draw(img)
    # Sadu-inspired woven bands: rows of triangles in the heritage reds and browns.
    colors = ((122, 59, 29), (181, 84, 47), (60, 36, 22), (232, 212, 176))
    t = min(u * 0.06, top.height * 0.6)
    for band_y in (top.y0 + top.height * 0.2, h - t):
        d.rectangle((0, band_y, w, band_y + t), fill=colors[2])
        for i in range(int(w / t) + 1):
            x = i * t
            d.polygon([(x, band_y + t), (x + t / 2, band_y), (x + t, band_y + t)], fill=colors[i % 2])
    # Najdi mud-brick wall with stepped triangular crenellations, inside the bottom band.
    c = u * 0.05
    wall_top = bottom.y0 + c * 0.9
    mud = (176, 128, 82)
    d.rectangle((0, wall_top, w, h - t), fill=mud)
    for i in range(int(w / c) + 1):
        x = i * c
        d.polygon([(x, wall_top), (x + c / 2, wall_top - c * 0.8), (x + c, wall_top)], fill=mud)
    for i in range(int(w / (u * 0.12))):
        x = u * 0.06 + i * u * 0.12
        d.polygon(
            [
                (x - u * 0.015, wall_top + u * 0.05),
                (x + u * 0.015, wall_top + u * 0.05),
                (x, wall_top + u * 0.02),
            ],
            fill=(120, 80, 48),
        )


def _summer(img: Image.Image, rnd: random.Random, regions: Regions) -> None:
    w, h = img.size
    u = min(w, h)
    top, bottom = regions.motifs["top"], regions.motifs["bottom"]
    r = min(u * 0.11, top.height * 0.3)
    sx, sy = w * 0.8, top.y0 + top.height * 0.48
    glow(
        img,
        lambda g, s: g.ellipse(
            ((sx - r * 2) * s, (sy - r * 2) * s, (sx + r * 2) * s, (sy + r * 2) * s), fill=200
        ),
        (255, 236, 150),
        r,
        1.0,
    )
    d = ImageDraw.Draw(img)
    d.ellipse((sx - r, sy - r, sx + r, sy + r), fill=(255, 214, 90))
    b, bh = bottom.y0, bottom.height
    waves(d, w, h, b + bh * 0.2, u * 0.02, w * 0.6, 0.0, (42, 176, 200))
    waves(d, w, h, b + bh * 0.45, u * 0.018, w * 0.45, 2.0, (20, 140, 180))
    waves(d, w, h, b + bh * 0.75, u * 0.014, w * 0.7, 4.0, (246, 222, 170))


def _back_to_school(img: Image.Image, rnd: random.Random, regions: Regions) -> None:
    w, h = img.size
    u = min(w, h)
    top, bottom = regions.motifs["top"], regions.motifs["bottom"]
    d = ImageDraw.Draw(img)
    step = int(u * 0.06)
    for y in range(0, h, step):
        d.line((0, y, w, y), fill=(240, 196, 50), width=max(2, int(u / 540)))
    d.line((u * 0.1, 0, u * 0.1, h), fill=(214, 80, 80), width=max(3, int(u / 360)))
    # Pencils lie nearly flat so a whole pencil fits its band: height = length * (sin 15deg + 0.18).
    for cx, box, ang, col in (
        (w * 0.3, bottom, -15, (29, 78, 137)),
        (w * 0.74, top, 165, (220, 80, 60)),
        (w * 0.78, bottom, 12, (40, 140, 90)),
    ):
        length = min(u * 0.34, box.height * 0.8 / 0.44)
        _pencil(d, cx, box.y0 + box.height / 2, length, math.radians(ang), col)


def _pencil(d: ImageDraw.ImageDraw, cx: float, cy: float, length: float, ang: float, color: RGB) -> None:
    ux, uy = math.cos(ang), math.sin(ang)
    px, py = -uy, ux
    t = length * 0.09
    a = (cx - ux * length / 2, cy - uy * length / 2)
    b = (cx + ux * length * 0.3, cy + uy * length * 0.3)
    tip = (cx + ux * length / 2, cy + uy * length / 2)
    d.polygon(
        [
            (a[0] + px * t, a[1] + py * t),
            (b[0] + px * t, b[1] + py * t),
            (b[0] - px * t, b[1] - py * t),
            (a[0] - px * t, a[1] - py * t),
        ],
        fill=color,
    )
    d.polygon([(b[0] + px * t, b[1] + py * t), tip, (b[0] - px * t, b[1] - py * t)], fill=(238, 206, 160))
    d.polygon(
        [
            (tip[0] - ux * t * 0.9 + px * t * 0.35, tip[1] - uy * t * 0.9 + py * t * 0.35),
            tip,
            (tip[0] - ux * t * 0.9 - px * t * 0.35, tip[1] - uy * t * 0.9 - py * t * 0.35),
        ],
        fill=(40, 40, 40),
    )


def _generic(img: Image.Image, rnd: random.Random, regions: Regions) -> None:
    w, h = img.size
    u = min(w, h)
    top, bottom = regions.motifs["top"], regions.motifs["bottom"]
    blobs = [(rnd.uniform(0, w), rnd.uniform(0, h), rnd.uniform(u * 0.2, u * 0.4)) for _ in range(5)]
    glow(img, circles(blobs, 130), (255, 170, 210), u * 0.12, 0.9)
    # Filled quarter discs tucked into opposite corners, with a thin concentric arc: calm, modern, and
    # inside the motif bands, so nothing crosses the headline or the button.
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    for cx, cy, r in ((w, top.y0, top.height * 0.85), (0, bottom.y1, bottom.height * 0.85)):
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 255, 255, 46))
        ring = r * 1.12
        d.ellipse(
            (cx - ring, cy - ring, cx + ring, cy + ring),
            outline=(255, 255, 255, 120),
            width=max(2, int(u * 0.004)),
        )
    for _ in range(10):
        box = rnd.choice((top, bottom))
        x, y, r = (
            rnd.uniform(w * 0.05, w * 0.95),
            rnd.uniform(box.y0 + box.height * 0.2, box.y1 - box.height * 0.2),
            u * 0.006,
        )
        d.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 150))
    img.paste(Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB"))


ThemeSpec = tuple[RGB, RGB, bool, Painter, TextStyle]

THEME_SPECS: dict[str, ThemeSpec] = {
    "ramadan": (
        (10, 14, 48),
        (46, 22, 82),
        False,
        _ramadan,
        TextStyle(text=(255, 244, 214), accent=(232, 185, 76), on_accent=(26, 18, 52), panel=(8, 8, 36, 110)),
    ),
    "eid_al_fitr": (
        (12, 96, 80),
        (6, 50, 44),
        False,
        _eid_fitr,
        TextStyle(text=(255, 250, 235), accent=(240, 198, 96), on_accent=(8, 52, 44), panel=(4, 40, 34, 120)),
    ),
    "eid_al_adha": (
        (214, 168, 108),
        (108, 64, 34),
        False,
        _eid_adha,
        TextStyle(
            text=(255, 252, 242), accent=(92, 46, 20), on_accent=(255, 236, 200), panel=(70, 40, 18, 130)
        ),
    ),
    "white_friday": (
        (18, 18, 22),
        (44, 44, 52),
        True,
        _white_friday,
        TextStyle(text=(255, 255, 255), accent=(255, 255, 255), on_accent=(12, 12, 14), panel=(0, 0, 0, 90)),
    ),
    "saudi_national_day": (
        (14, 122, 68),
        (2, 62, 32),
        False,
        _national_day,
        TextStyle(
            text=(255, 255, 255), accent=(255, 255, 255), on_accent=(0, 92, 48), panel=(0, 40, 20, 110)
        ),
    ),
    "founding_day": (
        (244, 230, 204),
        (214, 180, 132),
        False,
        _founding_day,
        TextStyle(
            text=(78, 40, 18),
            accent=(122, 59, 29),
            on_accent=(250, 236, 210),
            panel=(255, 248, 232, 150),
            brand=(78, 40, 18),
            shadow=False,
        ),
    ),
    "summer": (
        (36, 170, 214),
        (255, 214, 140),
        False,
        _summer,
        TextStyle(
            text=(255, 255, 255), accent=(255, 120, 60), on_accent=(255, 255, 255), panel=(0, 70, 110, 110)
        ),
    ),
    "back_to_school": (
        (255, 216, 70),
        (255, 196, 40),
        False,
        _back_to_school,
        TextStyle(
            text=(22, 54, 104),
            accent=(22, 54, 104),
            on_accent=(255, 220, 80),
            panel=(255, 250, 230, 170),
            brand=(22, 54, 104),
            shadow=False,
        ),
    ),
    "generic": (
        (44, 16, 86),
        (200, 58, 150),
        True,
        _generic,
        TextStyle(
            text=(255, 255, 255), accent=(255, 255, 255), on_accent=(60, 20, 100), panel=(30, 10, 60, 100)
        ),
    ),
}


def theme_style(theme: str) -> TextStyle:
    return THEME_SPECS.get(theme, THEME_SPECS["generic"])[4]


SUPERSAMPLE = 2  # motifs are painted at 2x and downsampled: anti-aliased edges on every polygon and ring


def plain_background(theme: str, width: int, height: int) -> Image.Image:
    """The theme's gradient alone: what a text card sits on once decoration is cleared from under it."""
    top, bottom, diagonal, _, _ = THEME_SPECS.get(theme, THEME_SPECS["generic"])
    return gradient((width, height), top, bottom, diagonal=diagonal)


def render_background(
    theme: str,
    width: int,
    height: int,
    seed: int = 7,
    *,
    layout: Regions | None = None,
    calm: Sequence[Box] = (),
) -> Image.Image:
    """The theme's designed background at `width` x `height` (deterministic for a given seed): motifs in the
    layout's motif areas, and nothing but the gradient under `calm` (the card, the button), feathered."""
    top, bottom, diagonal, painter, _ = THEME_SPECS.get(theme, THEME_SPECS["generic"])
    layout = layout or regions(theme if theme in THEME_SPECS else "generic", width, height)
    k = SUPERSAMPLE
    big = gradient((width * k, height * k), top, bottom, diagonal=diagonal)
    painter(big, random.Random(seed * 1_000_003 + width * 7 + height), layout.scaled(k))
    img = big.resize((width, height), Image.Resampling.LANCZOS)
    if calm:
        feather = min(width, height) * 0.02
        mask = Image.new("L", (width, height), 0)
        for box in calm:
            ImageDraw.Draw(mask).rounded_rectangle(
                box.grown(feather * 2).ints(), radius=int(feather * 3), fill=255
            )
        mask = mask.filter(ImageFilter.GaussianBlur(feather))
        img = Image.composite(plain_background(theme, width, height), img, mask)
    return img
