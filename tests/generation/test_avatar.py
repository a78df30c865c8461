"""Brand avatars: drawn initials (Latin and Arabic) and normalised logos are square PNGs, the same every time."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops

from tools.generation.avatar import (
    AVATAR_SIZE,
    UnusableLogo,
    brand_colour,
    drawn_avatar,
    initials,
    logo_avatar,
    text_colour,
)


def _open(png: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG"
    img.load()
    return img


def _ink_box(img: Image.Image, background: tuple[int, int, int]) -> tuple[int, int, int, int]:
    diff = ImageChops.difference(img.convert("RGB"), Image.new("RGB", img.size, background)).convert("L")
    # Past a threshold: resampling leaves faint fringes around edges that are not part of the drawing.
    box = diff.point(lambda v: 255 if v > 40 else 0).getbbox()
    assert box is not None, "nothing drawn on the background"
    return box


@pytest.mark.parametrize("name", ["ADLY Store", "متجر أدلي"])
def test_drawn_avatar_is_a_square_png_with_centred_initials(name: str) -> None:
    img = _open(drawn_avatar(name))
    assert img.size == (AVATAR_SIZE, AVATAR_SIZE) and AVATAR_SIZE >= 98
    background = brand_colour(name)
    assert img.convert("RGB").getpixel((2, 2)) == background
    left, top, right, bottom = _ink_box(img, background)
    # The letters fill a good part of the square and sit in its middle.
    assert AVATAR_SIZE * 0.2 < right - left <= AVATAR_SIZE * 0.66
    assert abs((left + right) / 2 - AVATAR_SIZE / 2) <= 3 and abs((top + bottom) / 2 - AVATAR_SIZE / 2) <= 3
    assert text_colour(background) in {c for _, c in img.convert("RGB").getcolors(1 << 16) or []}


def test_initials_are_one_letter_per_word_in_one_script() -> None:
    assert initials("متجر أدلي") == "م\u200cأ"
    assert initials("المتجر الذهبي") == "م\u200cذ"
    assert initials("مُتـجر") == "م"  # harakat and tatweel are not letters
    assert initials("ADLY Store") == "AS"
    assert initials("nike") == "N"
    assert initials("Shop متجر") == "S"  # one script per monogram


def test_arabic_initials_are_drawn_right_to_left_as_two_letters() -> None:
    name = "متجر أدلي"
    img = _open(drawn_avatar(name)).convert("RGB")
    diff = ImageChops.difference(img, Image.new("RGB", img.size, brand_colour(name))).convert("L")
    ink = diff.point(lambda v: 255 if v > 40 else 0)
    columns = [ink.crop((x, 0, x + 1, AVATAR_SIZE)).getbbox() is not None for x in range(AVATAR_SIZE)]
    inked = [x for x, has in enumerate(columns) if has]
    gap = [x for x in range(inked[0], inked[-1]) if not columns[x]]
    assert gap, "the initials must not join into one glyph"
    split = gap[len(gap) // 2]
    left, right = (
        ink.crop((0, 0, split, AVATAR_SIZE)).getbbox(),
        ink.crop((split, 0, AVATAR_SIZE, AVATAR_SIZE)).getbbox(),
    )
    assert left is not None and right is not None
    # Read right to left: meem (first, dipping below the line) on the right, the tall alef-hamza on the left.
    assert right[3] > left[3] and left[1] < right[1]


def test_the_same_name_gives_the_same_avatar_and_other_names_other_ones() -> None:
    names = ["ADLY Store", "ADLY Shop", "adly store ", "متجر أدلي", "متجر الورد"]
    avatars = {name: drawn_avatar(name) for name in names}
    assert drawn_avatar("ADLY Store") == avatars["ADLY Store"]
    # Case and surrounding spaces do not make another brand.
    assert brand_colour("adly store ") == brand_colour("ADLY Store")
    distinct = {avatars[n] for n in ["ADLY Store", "ADLY Shop", "متجر أدلي", "متجر الورد"]}
    assert len(distinct) == 4


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    def lum(c: tuple[int, int, int]) -> float:
        ch = [v / 255 for v in c]
        lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in ch]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_initials_stay_readable_on_every_brand_colour() -> None:
    for n in range(300):
        background = brand_colour(f"Brand {n}")
        assert _contrast(background, text_colour(background)) >= 3.0, background  # WCAG, large text


def _png(img: Image.Image, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


def test_a_transparent_wide_logo_is_centred_on_a_white_square() -> None:
    logo = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    logo.paste((200, 20, 20, 255), (30, 10, 270, 90))  # a 240x80 mark with transparency around it
    img = _open(logo_avatar(_png(logo))).convert("RGB")
    assert img.size == (AVATAR_SIZE, AVATAR_SIZE)
    assert img.getpixel((1, 1)) == img.getpixel((AVATAR_SIZE - 2, AVATAR_SIZE - 2)) == (255, 255, 255)
    left, top, right, bottom = _ink_box(img, (255, 255, 255))
    assert abs((right - left) / (bottom - top) - 3) < 0.1  # the logo keeps its proportions
    assert abs((left + right) / 2 - AVATAR_SIZE / 2) <= 1 and abs((top + bottom) / 2 - AVATAR_SIZE / 2) <= 1
    # The logo's longer side takes 1/1.2 of the square: a margin all round.
    assert right - left == pytest.approx(240 / (300 * 1.2) * AVATAR_SIZE, abs=2)
    r, g, b = img.getpixel((AVATAR_SIZE // 2, AVATAR_SIZE // 2))
    assert r > 190 and g < 40 and b < 40


def test_an_opaque_tall_jpeg_logo_is_padded_with_its_own_background() -> None:
    logo = Image.new("RGB", (120, 240), (10, 60, 200))
    logo.paste((250, 250, 0), (20, 20, 100, 220))
    img = _open(logo_avatar(_png(logo, "JPEG"))).convert("RGB")
    assert img.size == (AVATAR_SIZE, AVATAR_SIZE)
    corner = img.getpixel((0, 0))
    assert all(abs(a - b) <= 6 for a, b in zip(corner, (10, 60, 200), strict=True))  # JPEG rounds a little
    r, g, b = img.getpixel((AVATAR_SIZE // 2, AVATAR_SIZE // 2))
    assert r > 230 and g > 230 and b < 30


def test_a_logo_that_is_not_a_png_or_jpeg_is_refused() -> None:
    with pytest.raises(UnusableLogo, match="not a PNG or JPEG"):
        logo_avatar(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(UnusableLogo, match="GIF"):
        logo_avatar(_png(Image.new("RGB", (50, 50)), "GIF"))
    with pytest.raises(UnusableLogo, match="cannot be read"):
        logo_avatar(_png(Image.new("RGB", (300, 300), (1, 2, 3)))[:120])
