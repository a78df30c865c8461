"""UTM tags on landing URLs: per platform, campaign and ad; the user's own tags kept; the same link on retry."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from agent.publishing.utm import ad_landing_url, campaign_tag, utm_source, with_utm

CAMPAIGN_ID = "3f2c9a1b-77d0-4c1e-9a55-0b6f0e2d4c11"


def tagged(url: str, *, platform: str = "tiktok", placements: list[str] | None = None, name: str = "Ramadan Sale",
           ad_key: str = "tiktok/adgroup-1/ad-ar") -> str:  # fmt: skip
    return ad_landing_url(url, platform=platform, publisher_platforms=placements or [], campaign_name=name,
                          campaign_id=CAMPAIGN_ID, ad_key=ad_key)  # fmt: skip


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_an_ad_link_names_its_platform_campaign_and_ad() -> None:
    url = tagged("https://shop.example.sa/ramadan")
    assert url.startswith("https://shop.example.sa/ramadan?")
    assert query(url) == {
        "utm_source": ["tiktok"], "utm_medium": ["paid_social"], "utm_campaign": ["ramadan-sale-3f2c9a1b"],
        "utm_content": ["adgroup-1_ad-ar"],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("platform", "placements", "source"),
    [("meta", ["instagram"], "instagram"), ("meta", ["facebook", "instagram"], "facebook"), ("meta", [], "facebook"),
     ("snapchat", [], "snapchat"), ("tiktok", [], "tiktok")],
)  # fmt: skip
def test_the_source_is_where_the_ad_shows(platform: str, placements: list[str], source: str) -> None:
    assert utm_source(platform, placements) == source
    assert query(tagged("https://shop.example.sa/", platform=platform, placements=placements))["utm_source"] == [source]


def test_the_users_own_tags_and_parameters_are_kept() -> None:
    url = "https://shop.example.sa/p?ref=ig&UTM_SOURCE=newsletter&utm_campaign=eid%20sale#size"
    out = tagged(url)
    assert out.startswith("https://shop.example.sa/p?ref=ig&UTM_SOURCE=newsletter&utm_campaign=eid%20sale&")
    assert out.endswith("#size")
    q = query(out)
    assert q["UTM_SOURCE"] == ["newsletter"] and "utm_source" not in q
    assert q["utm_campaign"] == ["eid sale"] and q["ref"] == ["ig"]
    assert q["utm_medium"] == ["paid_social"] and q["utm_content"] == ["adgroup-1_ad-ar"]


def test_tagging_is_idempotent() -> None:
    once = tagged("https://shop.example.sa/ramadan?color=red")
    assert tagged(once) == once
    assert with_utm(once, {"utm_source": "other"}) == once


def test_an_arabic_campaign_name_falls_back_to_the_id() -> None:
    assert campaign_tag("تخفيضات رمضان", CAMPAIGN_ID) == "3f2c9a1b"
    assert campaign_tag("Eid — Abaya drop!", CAMPAIGN_ID) == "eid-abaya-drop-3f2c9a1b"
    assert query(tagged("https://shop.example.sa/", ad_key="meta/adset-2/ad-en", platform="meta"))["utm_content"] == ["adset-2_ad-en"]
