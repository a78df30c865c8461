"""UTM tags on an ad's landing URL: the platform, campaign and ad a visit came from, the user's own tags kept.

Analytics tools (GA4, Shopify, ...) attribute a visit by its utm_* parameters. Each ad's link carries
utm_source (facebook, instagram, tiktok, snapchat), utm_medium=paid_social, utm_campaign (the campaign's slug
and the start of its ADLY id, so two campaigns of one name stay apart) and utm_content (the ad's plan key:
its ad set and language). A parameter the user already put in the URL is never replaced, and tagging a
tagged URL changes nothing, so a retried step sends the very link it sent before.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

UTM_MEDIUM = "paid_social"
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
SLUG_MAX = 40


def utm_source(platform: str, publisher_platforms: Sequence[str]) -> str:
    """Where the ad shows: Meta ads placed on Instagram only are `instagram`, other Meta ads `facebook`."""
    if platform == "meta":
        return "instagram" if set(publisher_platforms) == {"instagram"} else "facebook"
    return platform


def campaign_tag(name: str, campaign_id: str) -> str:
    """`ramadan-sale-1a2b3c4d`: the name as ASCII words (empty for an all-Arabic name) and 8 characters of the id."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:SLUG_MAX].strip("-")
    short_id = re.sub(r"[^A-Za-z0-9]", "", campaign_id)[:8].lower()
    return "-".join(part for part in (slug, short_id) if part)


def ad_tag(ad_key: str) -> str:
    """An ad's plan key without its platform (`meta/adset-1/ad-ar` -> `adset-1_ad-ar`): ad set and language."""
    return ad_key.split("/", 1)[-1].replace("/", "_")


def with_utm(url: str, tags: dict[str, str]) -> str:
    """`url` with each of `tags` it does not carry yet appended; its own parameters (and their encoding) kept."""
    parts = urlsplit(url)
    present = {key.lower() for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    missing = [(k, v) for k, v in tags.items() if k.lower() not in present]
    if not missing:
        return url
    query = "&".join(q for q in (parts.query, urlencode(missing)) if q)
    return urlunsplit(parts._replace(query=query))


def ad_landing_url(
    url: str, *, platform: str, publisher_platforms: Sequence[str], campaign_name: str, campaign_id: str, ad_key: str
) -> str:
    """The landing URL one ad links to, tagged for its platform, campaign and ad."""
    tags = dict(
        zip(
            UTM_KEYS,
            (utm_source(platform, publisher_platforms), UTM_MEDIUM, campaign_tag(campaign_name, campaign_id),
             ad_tag(ad_key)),
            strict=True,
        )
    )  # fmt: skip
    return with_utm(url, tags)
