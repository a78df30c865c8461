"""Brand avatars for ad identities: the brand's logo squared up, or its initials on a colour of its own."""

from __future__ import annotations

import colorsys
import hashlib
import io
import re
import unicodedata
from typing import cast

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from tools.generation.layout import RGB, font_path, load_font, raqm_available
from tools.generation.text import has_arabic

# TikTok wants a 1:1 avatar of at least 98x98 px and shows it small; 400 px stays sharp on any screen.
AVATAR_SIZE = 400
LOGO_FORMATS = ("PNG", "JPEG")
DARK_TEXT: RGB = (22, 20, 40)
LIGHT_TEXT: RGB = (255, 255, 255)
_ZWNJ = "\u200c"
_TATWEEL = "\u0640"
_LETTERS_RE = re.compile(r"[^\W_]+")


class UnusableLogo(ValueError):
    """The logo is not a PNG or JPEG image that can be read."""


def initials(brand_name: str) -> str:
    """One or two letters: the first of each of the first two words written in the first word's script.

    Arabic skips the article ال (every second brand would be an alef otherwise) and keeps the letters
    apart with a zero-width non-joiner, so they read as initials and do not join into a word.
    """
    bare = "".join(
        ch
        for ch in unicodedata.normalize("NFC", brand_name)
        if unicodedata.category(ch) != "Mn" and ch != _TATWEEL
    )
    words = _LETTERS_RE.findall(bare)
    if not words:
        return ""
    arabic = has_arabic(words[0])
    picked = [w for w in words if has_arabic(w) == arabic][:2]
    if arabic:
        return _ZWNJ.join(w[2] if w.startswith("ال") and len(w) > 3 else w[0] for w in picked)
    return "".join(w[0] for w in picked).upper()


def brand_colour(brand_name: str) -> RGB:
    """A saturated, mid-dark colour picked by the name's hash: the same brand always gets the same one."""
    digest = hashlib.sha256(brand_name.strip().casefold().encode("utf-8")).digest()
    hue = int.from_bytes(digest[:2], "big") / 65536
    lightness = 0.34 + digest[2] / 255 * 0.12
    saturation = 0.55 + digest[3] / 255 * 0.25
    r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation)
    return round(r * 255), round(g * 255), round(b * 255)


def _luminance(colour: RGB) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_colour(background: RGB) -> RGB:
    """White or near-black, whichever contrasts more (WCAG): yellows and greens need dark letters."""
    lum = _luminance(background)
    on_light = 1.05 / (lum + 0.05)
    on_dark = (lum + 0.05) / (_luminance(DARK_TEXT) + 0.05)
    return LIGHT_TEXT if on_light >= on_dark else DARK_TEXT


def _font(size: int, arabic: bool) -> ImageFont.FreeTypeFont:
    if arabic or raqm_available():
        return load_font(size)
    # Latin initials need no shaping: a Pillow built without raqm must not keep the app from starting.
    return ImageFont.truetype(str(font_path(True)), size, layout_engine=ImageFont.Layout.BASIC)


def drawn_avatar(brand_name: str, *, size: int = AVATAR_SIZE) -> bytes:
    """A square PNG: the brand's initials centred on the brand's colour."""
    background = brand_colour(brand_name)
    img = Image.new("RGB", (size, size), background)
    letters = initials(brand_name)
    if letters:
        arabic = has_arabic(letters)
        direction, language = ("rtl", "ar") if arabic else (None, None)
        draw = ImageDraw.Draw(img)
        font_size = int(size * 0.46)
        while True:
            font = _font(font_size, arabic)
            left, top, right, bottom = draw.textbbox(
                (0, 0), letters, font=font, anchor="ls", direction=direction, language=language
            )
            if right - left <= size * 0.64 or font_size <= size // 8:
                break
            font_size = int(font_size * 0.9)
        # Centre the ink, not the font's line box: capitals and Arabic letters sit differently in it.
        x = (size - (right - left)) / 2 - left
        y = (size - (bottom - top)) / 2 - top
        draw.text(
            (x, y),
            letters,
            font=font,
            fill=text_colour(background),
            anchor="ls",
            direction=direction,
            language=language,
        )
    return _png(img)


def logo_avatar(logo: bytes, *, size: int = AVATAR_SIZE) -> bytes:
    """A square PNG: the logo centred on a padded square of its own background colour, resized to `size`."""
    try:
        with Image.open(io.BytesIO(logo)) as src:
            if src.format not in LOGO_FORMATS:
                raise UnusableLogo(f"it is a {src.format or 'unknown'} image; use a PNG or JPEG file")
            art = ImageOps.exif_transpose(src).convert("RGBA")
    except UnusableLogo:
        raise
    except UnidentifiedImageError as exc:
        raise UnusableLogo("it is not a PNG or JPEG image") from exc
    except (Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise UnusableLogo(f"the image cannot be read ({exc})") from exc
    width, height = art.size
    # A transparent logo goes on white; an opaque one on its own corner colour, so the padding blends in.
    alpha_min, _ = cast(tuple[int, int], art.getchannel("A").getextrema())
    pad_colour = (255, 255, 255, 255) if alpha_min < 255 else art.getpixel((0, 0))
    side = round(max(width, height) * 1.2)  # a 10% margin each side: platforms crop avatars to a circle
    square = Image.new("RGBA", (side, side), pad_colour)
    square.alpha_composite(art, ((side - width) // 2, (side - height) // 2))
    return _png(square.convert("RGB").resize((size, size), Image.Resampling.LANCZOS))


def _png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "PNG", optimize=False)
    return out.getvalue()
