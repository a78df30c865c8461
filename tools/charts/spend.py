"""The spend chart: stacked bars of spend per day, one colour per series (platform), and a dashed budget pace line.

One panel per currency: amounts of two currencies never share an axis, let alone a bar. Text is laid out by raqm
(HarfBuzz + FriBiDi), so Arabic titles, axes and legends join and read right to left; in an RTL chart the title,
legend and value axis sit on the right, while days still run left to right as on the platforms' own dashboards.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from PIL import Image, ImageDraw, ImageFont

from tools.generation.layout import FontUnavailable, font_path, raqm_available
from tools.generation.text import has_arabic

RGB = tuple[int, int, int]
WIDTH = 1100
HEADER = 120
PANEL_HEIGHT = 400
BACKGROUND: RGB = (255, 255, 255)
INK: RGB = (34, 34, 34)
MUTED: RGB = (110, 110, 110)
GRID: RGB = (226, 226, 226)
PACE: RGB = (94, 53, 177)  # not a grey: anti-aliased text never takes its exact colour


@dataclass(frozen=True)
class Series:
    key: str  # what the series is (a platform), for whoever inspects the chart
    label: str  # the legend's words, in the reader's language
    color: RGB
    values: Sequence[Decimal]  # one per day of the chart


@dataclass(frozen=True)
class Panel:
    axis_label: str  # "Spend (SAR)"
    series: Sequence[Series]
    pace: Decimal | None = None  # spend per day the budget allows; drawn as a dashed line
    pace_label: str | None = None


@dataclass(frozen=True)
class SpendChart:
    title: str
    day_labels: Sequence[str]
    panels: Sequence[Panel]
    rtl: bool = False
    subtitle: str | None = None
    number: Callable[[Decimal], str] = field(default=lambda v: f"{v:,.0f}")  # tick and total labels


def _font(size: int, *, bold: bool, texts: Sequence[str]) -> ImageFont.FreeTypeFont:
    if raqm_available():
        return ImageFont.truetype(str(font_path(bold)), size, layout_engine=ImageFont.Layout.RAQM)
    if any(has_arabic(t) for t in texts):
        # Without raqm Pillow draws isolated letters left to right: unreadable Arabic. Refuse to ship it.
        raise FontUnavailable("Pillow was built without raqm; Arabic chart labels cannot be shaped")
    return ImageFont.truetype(str(font_path(bold)), size, layout_engine=ImageFont.Layout.BASIC)


def _direction(text: str) -> tuple[str | None, str | None]:
    """(direction, language) for raqm; (None, None) on Pillow's basic layout, which takes neither."""
    if not raqm_available():
        return None, None
    return ("rtl", "ar") if has_arabic(text) else ("ltr", "en")


class _Canvas:
    def __init__(self, image: Image.Image, texts: Sequence[str]) -> None:
        self.draw = ImageDraw.Draw(image)
        self.fonts = {(size, bold): _font(size, bold=bold, texts=texts)
                      for size, bold in ((28, True), (18, False), (16, False), (15, False))}

    def width(self, text: str, size: int, bold: bool = False) -> float:
        direction, language = _direction(text)
        return float(self.fonts[(size, bold)].getlength(text, direction=direction, language=language))

    def text(self, xy: tuple[float, float], text: str, size: int, *, bold: bool = False, fill: RGB = INK,
             anchor: str = "la") -> None:
        direction, language = _direction(text)
        self.draw.text(xy, text, font=self.fonts[(size, bold)], fill=fill, anchor=anchor, direction=direction,
                       language=language)


def _nice_top(value: Decimal) -> Decimal:
    """The axis top: the smallest 1, 2, 2.5 or 5 times a power of ten at or above `value`."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** math.floor(math.log10(float(value)))
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if power * step >= value:
            return power * step
    return power * 10


def _dashed(draw: ImageDraw.ImageDraw, x0: float, x1: float, y: float, color: RGB, width: int) -> None:
    x = x0
    while x < x1:
        draw.line([(x, y), (min(x + 14, x1), y)], fill=color, width=width)
        x += 22


def _legend(canvas: _Canvas, chart: SpendChart, y: float) -> None:
    seen: dict[str, Series] = {}
    for panel in chart.panels:
        for series in panel.series:
            seen.setdefault(series.key, series)
    items: list[tuple[str, RGB | None]] = [(s.label, s.color) for s in seen.values()]
    items += [(p.pace_label, None) for p in chart.panels if p.pace is not None and p.pace_label][:1]
    x: float = WIDTH - 40 if chart.rtl else 40
    for label, color in items:
        swatch = 30.0 if color is None else 18.0
        size = canvas.width(label, 16) + swatch + 8
        left = x - size if chart.rtl else x
        # The swatch leads its label: on its left in a left-to-right legend, on its right in a right-to-left one.
        mark = left + size - swatch if chart.rtl else left
        if color is None:
            _dashed(canvas.draw, mark, mark + swatch, y + 11, PACE, 3)
        else:
            canvas.draw.rectangle([mark, y + 2, mark + swatch, y + 20], fill=color)
        canvas.text((left, y + 11) if chart.rtl else (left + swatch + 8, y + 11), label, 16, anchor="lm")
        x = left - 28 if chart.rtl else left + size + 28


def _panel(canvas: _Canvas, chart: SpendChart, panel: Panel, top: float) -> None:
    days = len(chart.day_labels)
    left, right = (110.0, WIDTH - 40.0) if not chart.rtl else (40.0, WIDTH - 110.0)
    plot_top, plot_bottom = top + 44, top + PANEL_HEIGHT - 56
    totals = [sum((s.values[i] for s in panel.series), start=Decimal(0)) for i in range(days)]
    highest = max([*totals, (panel.pace or Decimal(0)) * Decimal("1.15"), Decimal(0)])
    y_top = _nice_top(highest)
    height = plot_bottom - plot_top

    def y_of(value: Decimal) -> float:
        return plot_bottom - float(value / y_top) * height

    canvas.text((right if chart.rtl else left, top + 14), panel.axis_label, 18, fill=MUTED,
                anchor="rm" if chart.rtl else "lm")
    for n in range(5):
        value = y_top * n / 4
        y = y_of(value)
        canvas.draw.line([(left, y), (right, y)], fill=GRID, width=1)
        canvas.text((right + 10, y) if chart.rtl else (left - 10, y), chart.number(value), 15, fill=MUTED,
                    anchor="lm" if chart.rtl else "rm")
    slot = (right - left) / max(1, days)
    label_every = max(1, math.ceil(days / 14))
    for i in range(days):
        bar = min(slot * 0.62, 90.0)
        x0 = left + i * slot + (slot - bar) / 2
        x1 = x0 + bar
        base = Decimal(0)
        for series in panel.series:
            value = series.values[i]
            if value > 0:
                canvas.draw.rectangle([x0, y_of(base + value), x1, y_of(base)], fill=series.color)
            base += value
        if totals[i] > 0 and days <= 16:
            canvas.text(((x0 + x1) / 2, y_of(totals[i]) - 6), chart.number(totals[i]), 15, anchor="md")
        if i % label_every == 0:
            canvas.text(((x0 + x1) / 2, plot_bottom + 12), chart.day_labels[i], 15, fill=MUTED, anchor="ma")
    canvas.draw.line([(left, plot_bottom), (right, plot_bottom)], fill=MUTED, width=2)
    if panel.pace is not None and panel.pace > 0:
        _dashed(canvas.draw, left, right, y_of(panel.pace), PACE, 3)


def render_spend_chart(chart: SpendChart) -> bytes:
    """The chart as PNG bytes."""
    texts = [chart.title, chart.subtitle or "", *chart.day_labels,
             *[t for p in chart.panels for t in (p.axis_label, p.pace_label or "", *[s.label for s in p.series])]]
    height = HEADER + PANEL_HEIGHT * max(1, len(chart.panels)) + 10
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    canvas = _Canvas(image, texts)
    edge, anchor = (WIDTH - 40, "ra") if chart.rtl else (40, "la")
    canvas.text((edge, 18), chart.title, 28, bold=True, anchor=anchor)
    if chart.subtitle:
        canvas.text((edge, 56), chart.subtitle, 16, fill=MUTED, anchor=anchor)
    _legend(canvas, chart, 84)
    for n, panel in enumerate(chart.panels):
        _panel(canvas, chart, panel, HEADER + n * PANEL_HEIGHT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
