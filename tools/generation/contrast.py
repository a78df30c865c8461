"""WCAG contrast of text over the pixels it is set on, measured on the rendered image."""

from __future__ import annotations

from PIL import Image

from tools.generation.design import Box

RGB = tuple[int, int, int]
WCAG_AA = 4.5  # normal-size text; we hold every text on a creative to it, large or not


def _channel(v: float) -> float:
    c = v / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    r, g, b = rgb
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: RGB, b: RGB) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def worst_contrast(plate: Image.Image, box: Box, text_colour: RGB) -> float:
    """The lowest contrast between `text_colour` and any pixel under the text's box on `plate`
    (the rendered image just before the text was set): the text is readable wherever it lands."""
    region = plate.convert("RGB").crop(box.ints())
    # Each distinct colour once: a calm card has few, so this stays cheap on full-size images.
    colours = region.getcolors(maxcolors=region.width * region.height + 1) or []
    if not colours:
        return 21.0
    return min(contrast_ratio(text_colour, (c[0], c[1], c[2])) for _, c in colours if isinstance(c, tuple))
