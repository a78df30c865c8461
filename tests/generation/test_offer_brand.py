"""Offer and brand slots: prices as Decimal with currency, the brand in Arabic letters on Arabic creative,
and offline copy that names the product the brief gives, in both languages."""

from __future__ import annotations

from decimal import Decimal

from tools.generation.base import CopyBrief, CopyVariant, ImageBrief
from tools.generation.brand import brand_for_language, transliterate, with_brand_for_language
from tools.generation.image import content_of
from tools.generation.offer import Offer, discount_label, format_price, offer_title, product_line
from tools.generation.studio import voice_script
from tools.generation.text import TemplateCopyProvider, has_arabic


def test_transliteration_writes_latin_names_in_arabic_letters() -> None:
    assert transliterate("ADLY Store") == "أدلي ستور"
    assert transliterate("Center Point") == "سنتر بوينت"
    assert transliterate("Shein 2") == "شين 2"


def test_brand_follows_the_creative_language() -> None:
    assert brand_for_language("ADLY Store", "en") == "ADLY Store"
    assert brand_for_language("ADLY Store", "ar") == "أدلي ستور"
    assert brand_for_language("ADLY Store", "ar", "متجر عدلي") == "متجر عدلي"
    assert brand_for_language("متجر عدلي", "ar") == "متجر عدلي"


def test_prices_and_discounts_are_worded_per_language() -> None:
    offer = Offer(discount_percent=30, price=Decimal("149.00"), currency="SAR")
    assert format_price(Decimal("1499.5"), "SAR", "en") == "SAR 1,499.50"
    assert format_price(Decimal("149.00"), "AED", "ar") == "149 د.إ"
    assert discount_label(30, "ar") == "خصم 30%"
    assert discount_label(30, "en") == "30% OFF"
    assert product_line("abaya", offer, "en") == "Abayas from SAR 149"
    assert product_line("abaya", offer, "ar") == "العبايات ابتداءً من 149 ر.س"
    assert product_line(None, Offer(), "en") == ""


def test_an_arabic_sale_image_says_discount_product_price_and_arabic_brand() -> None:
    brief = ImageBrief(
        headline="عروض العبايات",
        cta_label="تسوّقي",
        language="ar",
        product="abaya",
        discount_percent=20,
        price=Decimal("199"),
        currency="SAR",
    )
    content = content_of(brief)
    assert content.offer_label == "خصم 20%"
    # The headline names the product, so the product line gives the price alone: each said once.
    assert "العبايات" in content.headline and content.product_line == "ابتداءً من 199 ر.س"
    assert content.brand == "أدلي ستور"


async def test_abaya_brief_copy_names_the_abaya_in_both_languages_and_arabic_brand() -> None:
    brief = CopyBrief(
        theme="sale", product="abaya", audience_gender="female", platforms=["meta", "tiktok", "snapchat"]
    )
    result = await TemplateCopyProvider().generate(brief)
    for variant in result.variants:
        text = f"{variant.headline} {variant.primary_text}"
        if variant.language == "ar":
            assert "العبايات" in text
            assert "ADLY" not in text and "Store" not in text
            assert "ADLY" not in voice_script(variant)
        else:
            assert "abaya" in text.lower()
    first = {v.language: v.headline for v in result.variants[:1] + result.variants[3:4]}
    assert "العبايات" in first["ar"] and "Abayas" in first["en"]


async def test_configured_arabic_brand_name_is_used_in_arabic_copy() -> None:
    brief = CopyBrief(theme="ramadan", brand_name="ADLY Store", brand_name_ar="متجر عدلي", languages=["ar"])
    result = await TemplateCopyProvider().generate(brief)
    texts = " ".join(f"{v.headline} {v.primary_text}" for v in result.variants)
    assert "ADLY" not in texts
    assert all(has_arabic(v.headline) for v in result.variants)
    assert "متجر عدلي" in texts


def test_a_headline_that_states_the_discount_is_not_repeated_by_a_badge() -> None:
    said = ImageBrief(headline="Up to 30% Off Abayas", cta_label="Shop Now", language="en", product="abaya",
                      discount_percent=30, discount_up_to=True, price=Decimal("149"), currency="SAR")
    assert content_of(said).offer_label == ""
    assert content_of(said).product_line == "From SAR 149"  # the price is still said, once
    unsaid = said.model_copy(update={"headline": "Ramadan Offers Are Here"})
    assert content_of(unsaid).offer_label == "UP TO 30% OFF"  # never a flat 30% when the offer is "up to"
    arabic = said.model_copy(update={"headline": "خصم حتى ٣٠٪ على العبايات", "language": "ar"})
    assert content_of(arabic).offer_label == ""


def test_the_video_offer_scene_says_what_the_hook_has_not() -> None:
    both = Offer(discount_percent=30, price=Decimal("149"), currency="SAR")
    assert offer_title(both, "abaya", "ar", headline="عروض رمضان وصلت") == "خصم 30%"
    assert offer_title(both, "abaya", "ar", headline="العبايات بخصم 30%") == "ابتداءً من 149 ر.س"
    up_to = Offer(discount_percent=50, discount_up_to=True)
    assert offer_title(up_to, None, "en", headline="Ramadan Offers") == "UP TO 50% OFF"
    assert offer_title(up_to, None, "en", headline="Up to 50% Off Abayas") is None  # said by the hook already
    assert offer_title(Offer(price=Decimal("99"), currency="SAR"), "abaya", "en") == "Abayas from SAR 99"
    assert offer_title(None, "abaya", "en") is None
    price = Offer(price=Decimal("99"), currency="SAR")
    assert offer_title(price, "abaya", "en", headline="Abayas from SAR 99") is None  # the hook said it all
    assert offer_title(price, "abaya", "en", headline="New Abayas at ADLY Store") == "From SAR 99"


def test_an_arabic_voice_script_says_the_arabic_brand_even_where_the_copy_kept_the_latin_one() -> None:
    words = CopyVariant(language="ar", headline="عروض رمضان عند ADLY Store", primary_text="تسوّق من adly store اليوم.",
                        description="", cta="shop_now", cta_label="تسوّق الحين")
    script = voice_script(words, brand_name="ADLY Store")
    assert "ADLY" not in script.upper() and script.count("أدلي ستور") == 2, script
    assert "متجر عدلي" in voice_script(words, brand_name="ADLY Store", brand_name_ar="متجر عدلي")
    english = words.model_copy(update={"language": "en"})
    assert "ADLY Store" in voice_script(english, brand_name="ADLY Store")  # English keeps the Latin name
    assert with_brand_for_language("Visit ADLY Store", "ADLY Store", "en") == "Visit ADLY Store"


def test_a_headline_that_names_the_price_is_not_repeated_by_the_product_line() -> None:
    brief = ImageBrief(headline="Perfumes from SAR 99", cta_label="Shop Now", language="en", product="perfume",
                       price=Decimal("99"), currency="SAR")
    assert content_of(brief).product_line == ""
    arabic = brief.model_copy(update={"headline": "العطور ابتداءً من 99 ر.س", "language": "ar"})
    assert content_of(arabic).product_line == ""
    other = brief.model_copy(update={"headline": "Eid Gifts for Everyone"})
    assert content_of(other).product_line == "Perfumes from SAR 99"
    named = brief.model_copy(update={"headline": "Perfumes: 25% Off", "discount_percent": 25})
    assert content_of(named).product_line == "From SAR 99"  # the headline named the product: the price alone
