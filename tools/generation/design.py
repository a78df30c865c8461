"""Layouts as data: per template and aspect, where text may go and where each motif lives, in frame fractions."""

from __future__ import annotations

from dataclasses import dataclass

from tools.generation.placements import is_vertical, margins_for

Frac = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the frame


@dataclass(frozen=True)
class Box:
    """A pixel rectangle (x0, y0) inclusive to (x1, y1) exclusive."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def contains(self, other: Box) -> bool:
        return (
            other.x0 >= self.x0 - 0.5
            and other.y0 >= self.y0 - 0.5
            and other.x1 <= self.x1 + 0.5
            and other.y1 <= self.y1 + 0.5
        )

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def intersect(self, other: Box) -> Box:
        return Box(
            max(self.x0, other.x0), max(self.y0, other.y0), min(self.x1, other.x1), min(self.y1, other.y1)
        )

    def scaled(self, k: float) -> Box:
        return Box(self.x0 * k, self.y0 * k, self.x1 * k, self.y1 * k)

    def grown(self, d: float) -> Box:
        return Box(self.x0 - d, self.y0 - d, self.x1 + d, self.y1 + d)

    def ints(self) -> tuple[int, int, int, int]:
        return (round(self.x0), round(self.y0), round(self.x1), round(self.y1))


@dataclass(frozen=True)
class LayoutSpec:
    """Fractions: `text` is the only region text, the card and the button may use; motifs keep to theirs."""

    text: Frac
    motifs: dict[str, Frac]


def _bands(top: float, bottom: float) -> LayoutSpec:
    """Motifs in a band across the top (hung, sky) and across the bottom (ground); text in between."""
    return LayoutSpec(
        text=(0.0, top, 1.0, bottom), motifs={"top": (0.0, 0.0, 1.0, top), "bottom": (0.0, bottom, 1.0, 1.0)}
    )


# Aspect classes: "square" 1:1, "portrait" 4:5, "tall" 9:16. On 9:16 the motif bands may reach into the
# platforms' interface zones (decoration may be covered; text may not), so text gets the middle.
TEMPLATE_LAYOUTS: dict[str, dict[str, LayoutSpec]] = {
    "ramadan": {"square": _bands(0.27, 0.86), "portrait": _bands(0.26, 0.87), "tall": _bands(0.2, 0.8)},
    "eid_al_fitr": {"square": _bands(0.22, 0.86), "portrait": _bands(0.2, 0.87), "tall": _bands(0.14, 0.8)},
    "eid_al_adha": {"square": _bands(0.2, 0.88), "portrait": _bands(0.19, 0.88), "tall": _bands(0.13, 0.8)},
    "white_friday": {"square": _bands(0.2, 0.88), "portrait": _bands(0.18, 0.88), "tall": _bands(0.14, 0.8)},
    "saudi_national_day": {
        "square": _bands(0.24, 0.84),
        "portrait": _bands(0.22, 0.85),
        "tall": _bands(0.14, 0.78),
    },
    "founding_day": {"square": _bands(0.12, 0.8), "portrait": _bands(0.11, 0.82), "tall": _bands(0.1, 0.76)},
    "summer": {"square": _bands(0.24, 0.84), "portrait": _bands(0.22, 0.85), "tall": _bands(0.14, 0.78)},
    "back_to_school": {
        "square": _bands(0.22, 0.86),
        "portrait": _bands(0.2, 0.87),
        "tall": _bands(0.14, 0.8),
    },
    "generic": {"square": _bands(0.2, 0.86), "portrait": _bands(0.18, 0.87), "tall": _bands(0.13, 0.8)},
}


def aspect_class(width: int, height: int) -> str:
    if is_vertical(width, height):
        return "tall"
    return "portrait" if height / width > 1.1 else "square"


def layout_spec(template: str, width: int, height: int) -> LayoutSpec:
    return TEMPLATE_LAYOUTS.get(template, TEMPLATE_LAYOUTS["generic"])[aspect_class(width, height)]


@dataclass(frozen=True)
class Regions:
    """A layout in pixels: the safe zone, the text region inside it, and the motif areas by name."""

    frame: Box
    safe: Box
    text: Box
    motifs: dict[str, Box]

    def scaled(self, k: float) -> Regions:
        return Regions(
            self.frame.scaled(k),
            self.safe.scaled(k),
            self.text.scaled(k),
            {name: box.scaled(k) for name, box in self.motifs.items()},
        )


def _px(frac: Frac, width: int, height: int) -> Box:
    return Box(frac[0] * width, frac[1] * height, frac[2] * width, frac[3] * height)


def safe_zone(width: int, height: int) -> Box:
    """Where text may go on an image of this size, whichever placement shows it."""
    m = margins_for(width, height)
    return Box(width * m.left, height * m.top, width * (1 - m.right), height * (1 - m.bottom))


def regions(template: str, width: int, height: int) -> Regions:
    spec = layout_spec(template, width, height)
    safe = safe_zone(width, height)
    return Regions(
        frame=Box(0, 0, width, height),
        safe=safe,
        text=_px(spec.text, width, height).intersect(safe),
        motifs={name: _px(frac, width, height) for name, frac in spec.motifs.items()},
    )
