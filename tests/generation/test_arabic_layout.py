"""Arabic on images: shaped (joined letters), right-to-left, wrapped in logical order, inside safe margins."""

from __future__ import annotations

from PIL import Image, ImageChops, ImageDraw, ImageFont

from tools.generation import layout

LOGICAL = "رمضان كريم"
# Independent references for joining: the contextual glyphs (Arabic Presentation Forms-B) in visual order,
# drawn with no shaping at all. "سلام" also needs the lam-alef ligature (U+FEFC), which shaping must form.
RAMADAN_FORMS = "\ufee5\ufe8e\ufec0\ufee3\ufead"  # ن ا ض م ر: isolated, final, medial, initial, isolated
SALAM_FORMS = "\ufee1\ufefc\ufeb3"  # م isolated, lam-alef final ligature, س initial


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("L", (900, 200), 0)
    return img, ImageDraw.Draw(img)


def _binary(img: Image.Image) -> Image.Image:
    return img.point(lambda v: 255 if v > 127 else 0)


def _words(img: Image.Image, gap: int = 10) -> list[Image.Image]:
    """Ink runs separated by at least `gap` empty columns (the spaces between words), left to right."""
    bw = _binary(img)
    cols = [bw.crop((x, 0, x + 1, bw.height)).getbbox() is not None for x in range(bw.width)]
    runs: list[tuple[int, int]] = []
    start, blank = None, 0
    for x, ink in enumerate(cols):
        if ink:
            if start is None:
                start = x
            blank = 0
        elif start is not None:
            blank += 1
            if blank >= gap:
                runs.append((start, x - blank + 1))
                start, blank = None, 0
    if start is not None:
        runs.append((start, len(cols) - blank))
    return [bw.crop((a, 0, b, bw.height)) for a, b in runs]


def _similarity(a: Image.Image, b: Image.Image, shift: int = 3) -> float:
    """Intersection over union of the ink, both cropped to their ink, at the best offset within `shift` px
    (GPOS positioning and hinting move glyphs by a pixel or two; a wrong glyph or order moves far more)."""
    a, b = _binary(a), _binary(b)
    box_a, box_b = a.getbbox(), b.getbbox()
    assert box_a is not None and box_b is not None, "nothing was drawn"
    a, b = a.crop(box_a), b.crop(box_b)
    w, h = max(a.width, b.width) + 2 * shift, max(a.height, b.height) + 2 * shift
    pa = Image.new("L", (w, h), 0)
    pa.paste(a, (shift, shift))
    best = 0.0
    for dx in range(2 * shift + 1):
        for dy in range(2 * shift + 1):
            pb = Image.new("L", (w, h), 0)
            pb.paste(b, (dx, dy))
            inter = ImageChops.multiply(pa, pb).histogram()[255]
            union = ImageChops.lighter(pa, pb).histogram()[255]
            best = max(best, inter / max(union, 1))
    return best


def _reference(forms: str, size: int = 64) -> Image.Image:
    basic = ImageFont.truetype(str(layout.font_path(True)), size, layout_engine=ImageFont.Layout.BASIC)
    img, draw = _canvas()
    draw.text((450, 120), forms, font=basic, fill=255, anchor="ms")
    return img


def test_raqm_is_available() -> None:
    assert layout.raqm_available()


def _ours(text: str) -> Image.Image:
    img, draw = _canvas()
    layout.draw_line(draw, 450, 120, text, layout.load_font(64), 255, "ar")  # type: ignore[arg-type]
    return img


def _naive(text: str) -> Image.Image:
    basic = ImageFont.truetype(str(layout.font_path(True)), 64, layout_engine=ImageFont.Layout.BASIC)
    img, draw = _canvas()
    draw.text((450, 120), text, font=basic, fill=255, anchor="ms")
    return img


def test_letters_are_joined_into_contextual_forms() -> None:
    assert _similarity(_ours("رمضان"), _reference(RAMADAN_FORMS)) > 0.9
    assert _similarity(_ours("سلام"), _reference(SALAM_FORMS)) > 0.9


def test_words_run_right_to_left() -> None:
    words = _words(_ours(LOGICAL))
    assert len(words) == 2
    left, right = words
    # The first word of the sentence (رمضان) is the rightmost, each word shaped as on its own.
    assert _similarity(right, _ours("رمضان")) > 0.85
    assert _similarity(left, _ours("كريم")) > 0.85
    assert _similarity(left, _ours("رمضان")) < 0.4


def test_naive_rendering_fails_the_same_checks() -> None:
    """The checks above have teeth: isolated letters in logical order (no shaping, no bidi) fail them."""
    assert _similarity(_naive("رمضان"), _reference(RAMADAN_FORMS)) < 0.5
    assert _similarity(_naive("سلام"), _reference(SALAM_FORMS)) < 0.5
    left, right = _words(_naive(LOGICAL))[0], _words(_naive(LOGICAL))[-1]
    assert _similarity(right, _ours("رمضان")) < 0.5
    assert _similarity(left, _ours("كريم")) < 0.5


def test_shaped_run_is_narrower_than_isolated_letters() -> None:
    font = layout.load_font(64)
    word = "سلام"
    joined = layout.text_width(font, word, "ar")
    isolated = sum(layout.text_width(font, ch, "ar") for ch in word)
    assert joined < isolated * 0.95


def test_mixed_arabic_with_latin_brand_is_rtl() -> None:
    assert layout.text_direction("رمضان كريم من ADLY Store", "ar") == ("rtl", "ar")
    assert layout.text_direction("ADLY Store", "en") == ("ltr", "en")
    assert layout.text_direction("عروض", "en") == ("rtl", "ar")


def test_wrap_keeps_logical_order_and_fits() -> None:
    font = layout.load_font(80)
    text = "كل اللي تحتاجينه لرمضان من ADLY Store"
    lines = layout.balanced_wrap(text, font, 420, "ar")
    assert len(lines) > 1
    assert " ".join(lines) == text
    assert all(layout.text_width(font, line, "ar") <= 420 for line in lines)


def test_fit_text_shrinks_long_headlines() -> None:
    short = layout.fit_text("عروض رمضان", "ar", max_width=800, max_height=400, max_size=110, min_size=40)
    long = layout.fit_text(
        "أقوى تخفيضات السنة على كل اللي تحبينه من العبايات والعطور",
        "ar",
        max_width=800,
        max_height=400,
        max_size=110,
        min_size=40,
    )
    assert long.font.size < short.font.size
    assert len(long.lines) <= 3 and long.height <= 400 and long.width <= 800


def test_vertical_safe_area_keeps_clear_of_platform_ui() -> None:
    area = layout.safe_area(1080, 1920)
    assert area.top >= 0.14 * 1920
    assert area.bottom <= 0.86 * 1920
    assert area.left >= 100 and 1080 - area.right >= 100
    square = layout.safe_area(1080, 1080)
    assert square.top > 0 and square.bottom < 1080
