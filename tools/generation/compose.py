"""Set a creative's text on its picture: measure the stack, place it in the layout's text region, draw the
card and button anti-aliased, check every text's contrast on the rendered pixels, then set the text."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

from tools.generation.contrast import WCAG_AA, contrast_ratio, worst_contrast
from tools.generation.design import Box, Regions
from tools.generation.layout import RGB, FittedText, TextStyle, fit_text, text_direction
from tools.generation.text import has_arabic

SUPERSAMPLE = 2  # shapes are drawn at 2x and downsampled: smooth edges without a vector renderer


@dataclass(frozen=True)
class Content:
    """Everything a creative says, already in its language (the brand too)."""

    headline: str
    cta_label: str
    brand: str
    language: str
    offer_label: str = ""  # "20% OFF" / "خصم 20%"
    product_line: str = ""  # "Abayas from SAR 149"
    logo: Image.Image | None = None


@dataclass(frozen=True)
class PlacedText:
    role: str  # brand | headline | offer | product | cta
    line: str
    box: Box  # the ink's bounding box in the frame
    colour: RGB
    font: ImageFont.FreeTypeFont
    anchor: tuple[float, float]  # centre x, baseline y
    on_card: bool


@dataclass
class Plan:
    card: Box
    button: Box
    logo: Box | None
    texts: list[PlacedText] = field(default_factory=list)

    @property
    def text_boxes(self) -> list[Box]:
        return [t.box for t in self.texts]


@dataclass
class Composition:
    image: Image.Image
    plan: Plan
    contrast: dict[str, float]  # the worst contrast per text role, measured on the rendered plate


def _ink_box(font: ImageFont.FreeTypeFont, line: str, language: str, cx: float, baseline: float) -> Box:
    direction, lang = text_direction(line, language)
    x0, y0, x1, y1 = font.getbbox(line, anchor="ms", direction=direction, language=lang)
    return Box(cx + x0, baseline + y0, cx + x1, baseline + y1)


def plan_layout(content: Content, regions: Regions, style: TextStyle, *, vertical: bool) -> Plan:
    """Fit the text stack (logo, brand, headline, offer, product, then the button) into the text region,
    shrinking every size together until it fits, and centre it there."""
    area = regions.text
    unit = min(regions.frame.width, regions.frame.height)
    scale = 1.0
    while True:
        plan = _try_plan(content, area, unit * scale, style, vertical)
        used = plan.button.y1 - plan.card.y0
        if used <= area.height or scale < 0.45:
            break
        scale *= 0.92
    shift = area.y0 + (area.height - used) / 2 - plan.card.y0
    return _shifted(plan, shift, content.language)


def _try_plan(content: Content, area: Box, unit: float, style: TextStyle, vertical: bool) -> Plan:
    pad = unit * 0.045
    inner = area.width - 2 * pad
    lang = content.language
    brand_lang = "ar" if has_arabic(content.brand) else "en"
    stack: list[tuple[str, FittedText, str, RGB]] = []  # role, fitted, language, colour
    if content.brand:
        size = int(unit * 0.036)
        stack.append(
            (
                "brand",
                fit_text(
                    content.brand,
                    brand_lang,
                    max_width=inner,
                    max_height=unit * 0.08,
                    max_size=size,
                    min_size=max(10, int(size * 0.7)),
                    max_lines=1,
                    bold=False,
                ),
                brand_lang,
                style.brand,
            )
        )
    head_size = int(unit * (0.115 if vertical else 0.1))
    stack.append(
        (
            "headline",
            fit_text(
                content.headline,
                lang,
                max_width=inner,
                max_height=area.height * 0.45,
                max_size=head_size,
                min_size=int(unit * 0.045),
            ),
            lang,
            style.text,
        )
    )
    if content.offer_label:
        size = int(unit * 0.08)
        offer_colour = (
            style.accent if contrast_ratio(style.accent, style.panel[:3]) >= WCAG_AA * 1.15 else style.text
        )
        stack.append(
            (
                "offer",
                fit_text(
                    content.offer_label,
                    lang,
                    max_width=inner,
                    max_height=unit * 0.14,
                    max_size=size,
                    min_size=int(size * 0.6),
                    max_lines=1,
                ),
                lang,
                offer_colour,
            )
        )
    if content.product_line:
        size = int(unit * 0.044)
        stack.append(
            (
                "product",
                fit_text(
                    content.product_line,
                    lang,
                    max_width=inner,
                    max_height=unit * 0.14,
                    max_size=size,
                    min_size=int(size * 0.7),
                    max_lines=2,
                    bold=False,
                ),
                lang,
                style.text,
            )
        )
    gap = unit * 0.022
    logo_h = unit * 0.08 if content.logo is not None else 0.0
    widest = max((f.width for _, f, _, _ in stack), default=0)
    card_w = min(area.width, max(widest + 2 * pad, area.width * 0.72))
    cx = (area.x0 + area.x1) / 2
    y = area.y0 + pad * 0.9
    logo_box = None
    if content.logo is not None:
        ratio = content.logo.width / max(1, content.logo.height)
        lw = min(logo_h * ratio, inner)
        logo_box = Box(cx - lw / 2, y, cx + lw / 2, y + lw / ratio)
        y = logo_box.y1 + gap
    texts: list[PlacedText] = []
    for role, fitted, language, colour in stack:
        for i, line in enumerate(fitted.lines):
            baseline = y + i * fitted.line_height + fitted.font.size * 1.02
            texts.append(
                PlacedText(
                    role,
                    line,
                    _ink_box(fitted.font, line, language, cx, baseline),
                    colour,
                    fitted.font,
                    (cx, baseline),
                    True,
                )
            )
        y += fitted.height + gap * (1.6 if role == "brand" else 1.0)
    card = Box(cx - card_w / 2, area.y0, cx + card_w / 2, y - gap + pad * 0.7)
    cta = fit_text(
        content.cta_label,
        lang,
        max_width=inner * 0.8,
        max_height=unit * 0.1,
        max_size=int(unit * 0.046),
        min_size=int(unit * 0.03),
        max_lines=1,
    )
    pad_x, pad_y = cta.font.size * 1.4, cta.font.size * 0.72
    bw, bh = cta.width + 2 * pad_x, cta.font.size * 1.32 + 2 * pad_y - cta.font.size * 0.3
    by = card.y1 + unit * 0.04
    button = Box(cx - bw / 2, by, cx + bw / 2, by + bh)
    label = cta.lines[0] if cta.lines else content.cta_label
    baseline = by + bh / 2 + cta.font.size * 0.36
    texts.append(
        PlacedText(
            "cta",
            label,
            _ink_box(cta.font, label, lang, cx, baseline),
            style.on_accent,
            cta.font,
            (cx, baseline),
            False,
        )
    )
    return Plan(card=card, button=button, logo=logo_box, texts=texts)


def _shifted(plan: Plan, dy: float, language: str) -> Plan:
    def move(b: Box) -> Box:
        return Box(b.x0, b.y0 + dy, b.x1, b.y1 + dy)

    return Plan(
        card=move(plan.card),
        button=move(plan.button),
        logo=move(plan.logo) if plan.logo is not None else None,
        texts=[
            PlacedText(
                t.role, t.line, move(t.box), t.colour, t.font, (t.anchor[0], t.anchor[1] + dy), t.on_card
            )
            for t in plan.texts
        ],
    )


def _shapes(size: tuple[int, int], plan: Plan, panel: tuple[int, int, int, int], accent: RGB) -> Image.Image:
    """The card and the button as an RGBA layer, drawn at SUPERSAMPLE x and downsampled (anti-aliased)."""
    k = SUPERSAMPLE
    layer = Image.new("RGBA", (size[0] * k, size[1] * k), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    unit = min(size)
    d.rounded_rectangle(plan.card.scaled(k).ints(), radius=int(unit * 0.035 * k), fill=panel)
    d.rounded_rectangle(
        plan.button.scaled(k).ints(), radius=int(plan.button.height * k / 2), fill=(*accent, 255)
    )
    return layer.resize(size, Image.Resampling.LANCZOS)


def _towards(colour: RGB, target: RGB, t: float) -> RGB:
    r, g, b = (round(c + (x - c) * t) for c, x in zip(colour, target, strict=True))
    return (r, g, b)


def measure(plate: Image.Image, plan: Plan) -> dict[str, float]:
    """The worst contrast per role: each text's colour against every pixel under its ink box."""
    worst: dict[str, float] = {}
    for t in plan.texts:
        ratio = worst_contrast(plate, t.box, t.colour)
        worst[t.role] = min(worst.get(t.role, 99.0), ratio)
    return worst


def render_text(
    background: Image.Image, plan: Plan, style: TextStyle, language: str, logo: Image.Image | None = None
) -> Composition:
    """Card, button and text on `background`. The card firms up (more opaque, then darker or lighter)
    until every text on it reaches WCAG AA on the rendered pixels; the button label picks the readable ink."""
    base = background.convert("RGBA")
    on_accent = style.on_accent
    if contrast_ratio(on_accent, style.accent) < WCAG_AA:
        on_accent = max(((255, 255, 255), (12, 12, 16)), key=lambda c: contrast_ratio(c, style.accent))
    texts = [
        t if t.on_card else PlacedText(t.role, t.line, t.box, on_accent, t.font, t.anchor, False)
        for t in plan.texts
    ]
    plan = Plan(plan.card, plan.button, plan.logo, texts)
    light_text = sum(style.text) > 3 * 128
    target: RGB = (0, 0, 0) if light_text else (255, 255, 255)
    colour, alpha = style.panel[:3], style.panel[3]
    for step in range(40):
        plate = Image.alpha_composite(base, _shapes(base.size, plan, (*colour, alpha), style.accent))
        contrast = measure(plate, plan)
        if min(contrast.values()) >= WCAG_AA or step == 39:
            break
        if alpha < 255:
            alpha = min(255, alpha + 24)
        else:
            colour = _towards(colour, target, 0.15)
    draw = ImageDraw.Draw(plate)
    for t in plan.texts:
        direction, lang = text_direction(t.line, "ar" if has_arabic(t.line) else language)
        draw.text(
            t.anchor, t.line, font=t.font, fill=t.colour, anchor="ms", direction=direction, language=lang
        )
    if logo is not None and plan.logo is not None:
        fitted = logo.convert("RGBA").resize(
            (max(1, int(plan.logo.width)), max(1, int(plan.logo.height))), Image.Resampling.LANCZOS
        )
        plate.alpha_composite(fitted, (int(plan.logo.x0), int(plan.logo.y0)))
    return Composition(image=plate.convert("RGB"), plan=plan, contrast=contrast)
