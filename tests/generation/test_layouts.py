"""Every template at every size: text inside the placements' safe zones, no decoration under text, WCAG AA."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PIL import Image, ImageChops

from tools.generation.backgrounds import plain_background, render_background, theme_style
from tools.generation.base import IMAGE_SIZES, ImageBrief
from tools.generation.compose import _shapes, plan_layout
from tools.generation.contrast import WCAG_AA, contrast_ratio, worst_contrast
from tools.generation.design import TEMPLATE_LAYOUTS, Box, regions, safe_zone
from tools.generation.image import compose_procedural, content_of
from tools.generation.placements import PLACEMENT_MARGINS, VERTICAL_PLACEMENTS
from tools.generation.text import THEMES

BRIEFS = {
    "ar": ("عروض العبايات في رمضان", "تسوّقي الآن"),
    "en": ("Ramadan Offers on Abayas", "Shop now"),
}


def _brief(theme: str, size: tuple[int, int], language: str) -> ImageBrief:
    headline, cta = BRIEFS[language]
    return ImageBrief(
        theme=theme,
        headline=headline,
        cta_label=cta,
        language=language,
        width=size[0],
        height=size[1],
        product="abaya",
        discount_percent=30,
        price=Decimal("149"),
        currency="SAR",
    )


def test_every_template_has_a_layout_for_every_aspect_with_motifs_clear_of_text() -> None:
    assert set(TEMPLATE_LAYOUTS) == set(THEMES)
    for theme in THEMES:
        for w, h in IMAGE_SIZES:
            layout = regions(theme, w, h)
            assert layout.safe.contains(layout.text)
            for name, area in layout.motifs.items():
                assert not area.overlaps(layout.text), (theme, w, h, name)


def test_vertical_safe_zone_clears_every_vertical_placements_interface() -> None:
    zone = safe_zone(1080, 1920)
    for name in VERTICAL_PLACEMENTS:
        m = PLACEMENT_MARGINS[name]
        inside = Box(1080 * m.left, 1920 * m.top, 1080 * (1 - m.right), 1920 * (1 - m.bottom))
        assert inside.contains(zone), name
    # TikTok's action column is on the right, Reels' caption over the lower third: both are cleared.
    assert 1080 - zone.x1 >= 0.13 * 1080 - 1e-6
    assert zone.y1 <= 0.65 * 1920


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("language", ["ar", "en"])
def test_text_in_safe_zone_no_decoration_under_it_and_readable(theme: str, language: str) -> None:
    for size in IMAGE_SIZES:
        brief = _brief(theme, size, language)
        comp = compose_procedural(brief, theme)
        layout = regions(theme, *size)
        plan = comp.plan
        roles = {t.role for t in plan.texts}
        assert {"brand", "headline", "offer", "product", "cta"} <= roles
        for box in [*plan.text_boxes, plan.card, plan.button]:
            assert layout.safe.contains(box), (theme, size, box, layout.safe)
            assert layout.text.contains(box), (theme, size, box, layout.text)
        # Decoration never under text: the painted background equals the bare gradient wherever text is.
        painted = render_background(theme, *size, seed=7, layout=layout, calm=(plan.card, plan.button))
        plain = plain_background(theme, *size)
        for t in plan.texts:
            crop = t.box.grown(4).ints()
            diff = ImageChops.difference(painted.crop(crop), plain.crop(crop)).getextrema()
            assert max(hi for _, hi in diff) <= 1, (theme, size, t.role)
        assert min(comp.contrast.values()) >= WCAG_AA, (theme, size, comp.contrast)


def test_contrast_is_measured_on_the_pixels_under_the_text() -> None:
    img = Image.new("RGB", (100, 100), (255, 255, 255))
    img.paste((0, 0, 0), (0, 0, 50, 100))
    assert worst_contrast(img, Box(60, 10, 90, 40), (0, 0, 0)) == pytest.approx(21.0)
    # One white pixel under a white text's box is enough to fail it.
    assert worst_contrast(img, Box(10, 10, 55, 40), (255, 255, 255)) == pytest.approx(1.0)
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)


def test_a_busy_key_visual_gets_a_firmer_card_until_text_reads() -> None:
    from tools.generation.compose import render_text

    # A visual as light as the text: a translucent card alone would leave white text unreadable.
    visual = Image.new("RGB", (1080, 1350), (250, 250, 250))
    brief = _brief("generic", (1080, 1350), "en")
    style = theme_style("generic")
    plan = plan_layout(content_of(brief), regions("generic", 1080, 1350), style, vertical=False)
    comp = render_text(visual, plan, style, "en")
    assert min(comp.contrast.values()) >= WCAG_AA
    for t in comp.plan.texts:
        assert worst_contrast(comp.image, t.box, t.colour) < 21  # the text was really set there


def test_card_and_button_edges_are_anti_aliased() -> None:
    brief = _brief("generic", (1080, 1080), "en")
    style = theme_style("generic")
    plan = plan_layout(content_of(brief), regions("generic", 1080, 1080), style, vertical=False)
    alpha = _shapes((1080, 1080), plan, (0, 0, 0, 255), (255, 255, 255)).getchannel("A")
    edge = alpha.crop(plan.button.grown(3).ints())
    partial = sum(n for v, n in enumerate(edge.histogram()) if 0 < v < 255)
    assert partial > 100  # a hard-edged pill would have none


def test_painted_motifs_are_anti_aliased() -> None:
    # The white rings of White Friday: supersampled, their edges blend into the background.
    img = render_background("white_friday", 1080, 1080)
    top = regions("white_friday", 1080, 1080).motifs["top"]
    crop = img.crop(top.ints()).convert("L")
    levels = [n for n in crop.histogram()]
    assert sum(1 for n in levels if n) > 60
