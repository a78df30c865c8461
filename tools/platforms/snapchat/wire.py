"""Snap's wire vocabulary: API version and hosts, our objective and CTA words as Snap's enums, wrapped lists."""

from __future__ import annotations

from typing import Any

API_VERSION = "v1"
API_BASE_URL = "https://adsapi.snapchat.com"
OAUTH_BASE_URL = "https://accounts.snapchat.com"
SCOPE = "snapchat-marketing-api"
NAME_MAX = 375

# objective -> (objective_v2_type [unconfirmed enum], ad squad optimization_goal)
OBJECTIVES: dict[str, tuple[str, str]] = {
    "sales": ("SALES", "SWIPES"), "traffic": ("TRAFFIC", "SWIPES"), "awareness": ("AWARENESS_AND_ENGAGEMENT", "IMPRESSIONS"),
    "engagement": ("AWARENESS_AND_ENGAGEMENT", "SWIPES"), "leads": ("LEADS", "SWIPES"),
    "video_views": ("AWARENESS_AND_ENGAGEMENT", "VIDEO_VIEWS"), "app_installs": ("APP_PROMOTION", "APP_INSTALLS"),
}  # fmt: skip
CTAS = {
    "shop_now": "SHOP_NOW", "learn_more": "LEARN_MORE", "sign_up": "SIGN_UP", "order_now": "ORDER_NOW",
    "book_now": "BOOK_NOW", "contact_us": "LEARN_MORE", "download": "DOWNLOAD", "get_offer": "GET_NOW",
}  # fmt: skip
# kind -> (plural, singular): the collection's name and the key each wrapped item carries
ENTITIES: dict[str, tuple[str, str]] = {
    "campaign": ("campaigns", "campaign"), "ad_set": ("adsquads", "adsquad"), "ad": ("ads", "ad"),
    "creative": ("creatives", "creative"), "image": ("media", "media"), "video": ("media", "media"),
}  # fmt: skip


def unwrap(body: dict[str, Any], plural: str, singular: str) -> list[dict[str, Any]]:
    """The entities of a wrapped list: `{plural: [{sub_request_status, singular: {...}}, ...]}`."""
    return [
        item[singular] for item in body.get(plural) or [] if isinstance(item, dict) and singular in item
    ]
