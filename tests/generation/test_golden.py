"""Golden creatives: small renders compared with stored PNGs by mean pixel difference (a tolerance, not
byte equality, so a Pillow or font hinting update passes and a moved motif or lost text does not).

Regenerate after an intended visual change, then look at every PNG before committing it:
    ADLY_REGEN_GOLDEN=1 PYTHONPATH=$PWD .venv/bin/python -m pytest tests/generation/test_golden.py
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from tools.generation.base import ImageBrief
from tools.generation.image import compose_procedural

GOLDEN = Path(__file__).parent / "golden"
MAX_MEAN_DIFF = 3.0  # of 255, averaged over every pixel and channel

CASES = {
    "ramadan_square_ar": ImageBrief(
        theme="ramadan",
        headline="عروض العبايات في رمضان",
        cta_label="تسوّقي الآن",
        language="ar",
        width=360,
        height=360,
        product="abaya",
        discount_percent=30,
        price=Decimal("149"),
        currency="SAR",
    ),
    "eid_portrait_en": ImageBrief(
        theme="eid_al_fitr",
        headline="Eid Gifts for Everyone",
        cta_label="Shop now",
        language="en",
        width=360,
        height=450,
        product="perfume",
    ),
    "generic_tall_ar": ImageBrief(
        theme="generic",
        headline="الجديد عند أدلي ستور",
        cta_label="تسوّق الآن",
        language="ar",
        width=270,
        height=480,
        discount_percent=20,
    ),
}


def _mean_diff(a: Image.Image, b: Image.Image) -> float:
    stat = ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB")))
    return sum(stat.mean) / len(stat.mean)


@pytest.mark.parametrize("name", sorted(CASES))
def test_render_matches_golden(name: str) -> None:
    brief = CASES[name]
    image = compose_procedural(brief, brief.theme or "generic").image
    path = GOLDEN / f"{name}.png"
    if os.environ.get("ADLY_REGEN_GOLDEN") == "1":
        image.save(path, optimize=True)
    golden = Image.open(path)
    assert golden.size == image.size
    assert _mean_diff(image, golden) <= MAX_MEAN_DIFF


def test_the_tolerance_catches_a_real_change() -> None:
    brief = CASES["ramadan_square_ar"]
    other = brief.model_copy(update={"headline": "عروض العيد"})
    golden = Image.open(GOLDEN / "ramadan_square_ar.png")
    assert _mean_diff(compose_procedural(other, "ramadan").image, golden) > MAX_MEAN_DIFF
