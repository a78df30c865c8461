"""Copy: platform limits (Arabic and English), the template library, and the chat-model provider."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tools.generation.base import CopyBrief, CopyVariant, check_copy_limits, count_chars, has_emoji
from tools.generation.text import (
    OBJECTIVE_GROUPS,
    THEMES,
    OpenAICopyProvider,
    TemplateCopyProvider,
    apply_gender,
    localize_product,
    normalize_theme,
)


def _variant(**kw: Any) -> CopyVariant:
    base = {
        "language": "ar",
        "headline": "عروض رمضان",
        "primary_text": "تسوّقي الحين",
        "description": "عروض",
        "cta": "shop_now",
        "cta_label": "تسوّقي الحين",
    }
    return CopyVariant(**{**base, **kw})


def test_arabic_headline_over_snapchat_limit() -> None:
    headline = "عروض رمضان الحصرية على كل العبايات والعطور"  # 42 characters
    assert count_chars(headline) > 34
    violations = check_copy_limits(_variant(headline=headline), ["snapchat"])
    assert [(v.field, v.platform, v.limit, v.severity) for v in violations] == [
        ("headline", "snapchat", 34, "error")
    ]
    assert violations[0].actual == count_chars(headline)
    assert "Snapchat" in violations[0].message_ar and "34" in violations[0].message_ar


def test_english_primary_text_over_tiktok_limit_and_meta_recommendation() -> None:
    text = (
        "Celebrate the holy month with our brand new collection of abayas, perfumes and gifts "
        "for the family. Shop now!"
    )
    violations = check_copy_limits(_variant(language="en", primary_text=text), ["meta", "tiktok"])
    found = {(v.platform, v.field, v.severity) for v in violations}
    assert ("tiktok", "primary_text", "error") in found
    assert ("meta", "primary_text", "warning") not in found  # 110 chars: within Meta's 125
    longer = text + " " + text
    found = {(v.platform, v.severity) for v in check_copy_limits(_variant(primary_text=longer), ["meta"])}
    assert found == {("meta", "warning")}


def test_tiktok_rejects_emoji_and_empty_text() -> None:
    assert has_emoji("رمضان كريم 🌙")
    assert not has_emoji("رمضان كريم، تسوّقي الحين!")
    kinds = {v.message_en for v in check_copy_limits(_variant(primary_text="عروض 🌙"), ["tiktok"])}
    assert any("emoji" in k for k in kinds)
    short = check_copy_limits(_variant(primary_text=""), ["tiktok"])
    assert short and short[0].limit == 1


def test_brand_name_limit_on_snapchat() -> None:
    assert check_copy_limits(_variant(), ["snapchat"], brand_name="متجر أدلي") == []
    long_brand = "ADLY Store for Modest Fashion and Fragrance"
    violations = check_copy_limits(_variant(), ["snapchat"], brand_name=long_brand)
    assert [(v.field, v.limit) for v in violations] == [("brand_name", 32)]


def test_arabic_marks_count_as_characters() -> None:
    assert count_chars("تسوّقي") == 6  # the shadda is a character of its own


@pytest.mark.parametrize("theme", THEMES)
async def test_every_template_combination_fits_all_platforms(theme: str) -> None:
    provider = TemplateCopyProvider()
    platforms = ["meta", "tiktok", "snapchat"]
    for objective, register, gender in itertools.product(
        sorted(set(OBJECTIVE_GROUPS)), ("gulf", "msa"), ("female", "male", "all")
    ):
        brief = CopyBrief(
            theme=theme,
            objective=objective,
            product="perfume",
            languages=["ar", "en"],
            platforms=platforms,
            register=register,
            audience_gender=gender,
        )
        result = await provider.generate(brief)
        for lang in ("ar", "en"):
            variants = [v for v in result.variants if v.language == lang]
            assert len(variants) == 3, (theme, objective, register, lang)
            assert len({v.headline for v in variants}) == 3
        for v in result.variants:
            assert check_copy_limits(v, platforms) == [], v
            assert "[[" not in v.primary_text + v.headline + v.cta_label and "{" not in v.primary_text


async def test_feminine_forms_for_women_and_register_differs() -> None:
    provider = TemplateCopyProvider()
    base = {"theme": "ramadan", "objective": "sales", "languages": ["ar"], "platforms": ["meta"]}
    women = await provider.generate(CopyBrief(**base, audience="women 25-40 in Riyadh"))
    assert all(v.cta_label == "تسوّقي الحين" for v in women.variants)
    everyone = await provider.generate(CopyBrief(**base))
    assert all(v.cta_label == "تسوّق الحين" for v in everyone.variants)
    msa = await provider.generate(CopyBrief(**base, register="msa"))
    assert all(v.cta_label == "تسوّق الآن" for v in msa.variants)


def test_theme_and_product_normalisation() -> None:
    assert normalize_theme("Ramadan sale") == "ramadan"
    assert normalize_theme("black friday") == "white_friday"
    assert normalize_theme("اليوم الوطني") == "saudi_national_day"
    assert normalize_theme("something else") == "generic"
    assert localize_product("Abayas", "ar_gulf") == "العبايات"
    assert (
        localize_product("winter jackets", "ar_gulf") is None
    )  # a Latin common noun stays out of Arabic copy
    assert localize_product("iPhone 16", "ar_msa") == "iPhone 16"
    assert apply_gender("[[تسوّق|تسوّقي]] الحين", True) == "تسوّقي الحين"


class _StubStructured:
    def __init__(self, outputs: list[dict[str, Any]]) -> None:
        self.outputs = outputs
        self.calls: list[Any] = []

    async def ainvoke(self, messages: Any) -> dict[str, Any]:
        self.calls.append(list(messages))
        return self.outputs[min(len(self.calls) - 1, len(self.outputs) - 1)]


class _StubLLM:
    def __init__(self, outputs: list[dict[str, Any]]) -> None:
        self.structured = _StubStructured(outputs)

    def with_structured_output(self, schema: Any) -> _StubStructured:
        return self.structured


async def test_chat_model_copy_drops_over_limit_variants_and_asks_again() -> None:
    ok = {
        "headline": "رمضان كريم",
        "primary_text": "تسوّقي الحين",
        "description": "عروض",
        "cta": "shop_now",
        "cta_label": "تسوّقي الحين",
    }
    too_long = {**ok, "headline": "عروض رمضان الحصرية على كل العبايات والعطور والهدايا"}
    ok2 = {**ok, "primary_text": "اطلبي اليوم"}
    llm = _StubLLM([{"variants": [too_long, ok]}, {"variants": [ok2]}])
    provider = OpenAICopyProvider(llm, model_name="stub")
    result = await provider.generate(
        CopyBrief(theme="ramadan", languages=["ar"], platforms=["snapchat"], variants=2)
    )
    assert [v.primary_text for v in result.variants] == ["تسوّقي الحين", "اطلبي اليوم"]
    assert len(llm.structured.calls) == 2
    assert "Snapchat headline" in llm.structured.calls[1][-1][1]


async def test_chat_model_with_nothing_usable_fails() -> None:
    bad = {
        "headline": "x" * 80,
        "primary_text": "y",
        "description": "z",
        "cta": "shop_now",
        "cta_label": "Shop",
    }
    provider = OpenAICopyProvider(_StubLLM([{"variants": [bad]}]))
    with pytest.raises(ValueError, match="within the platform limits"):
        await provider.generate(CopyBrief(languages=["en"], platforms=["snapchat"]))
