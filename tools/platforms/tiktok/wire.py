"""TikTok's wire vocabulary: API version and hosts, our objective and CTA words as TikTok's enums, query encoding."""

from __future__ import annotations

import json
from typing import Any

API_VERSION = "v1.3"
API_BASE_URL = "https://business-api.tiktok.com"
SANDBOX_API_BASE_URL = "https://sandbox-ads.tiktok.com"
OAUTH_BASE_URL = "https://business-api.tiktok.com"
NAME_MAX = 512

# objective -> (objective_type, optimization_goal, billing_event, promotion_type or None)
OBJECTIVES: dict[str, tuple[str, str, str, str | None]] = {
    "sales": ("TRAFFIC", "CLICK", "CPC", "WEBSITE"),
    "traffic": ("TRAFFIC", "CLICK", "CPC", "WEBSITE"),
    "awareness": ("REACH", "REACH", "CPM", None),
    "engagement": ("ENGAGEMENT", "ENGAGED_VIEW", "OCPM", None),
    "leads": ("TRAFFIC", "CLICK", "CPC", "WEBSITE"),
    "video_views": ("VIDEO_VIEWS", "ENGAGED_VIEW", "OCPM", None),
}
CTAS = {
    "shop_now": "SHOP_NOW", "learn_more": "LEARN_MORE", "sign_up": "SIGN_UP", "order_now": "ORDER_NOW",
    "book_now": "BOOK_NOW", "contact_us": "CONTACT_US", "download": "DOWNLOAD_NOW", "get_offer": "LEARN_MORE",
}  # fmt: skip
AGE_GROUPS = [("AGE_13_17", 13, 17), ("AGE_18_24", 18, 24), ("AGE_25_34", 25, 34), ("AGE_35_44", 35, 44),
              ("AGE_45_54", 45, 54), ("AGE_55_100", 55, 100)]  # fmt: skip
ID_FILTER_MAX = 100  # ids per `*_ids` filter of /get/ and report calls (API docs; more: error 40011)
LEVELS: dict[str, tuple[str, str, str, str]] = {
    # kind -> (path, id field, name field, id filter)
    "campaign": ("campaign/get", "campaign_id", "campaign_name", "campaign_ids"),
    "ad_set": ("adgroup/get", "adgroup_id", "adgroup_name", "adgroup_ids"),
    "ad": ("ad/get", "ad_id", "ad_name", "ad_ids"),
}


def encode_query(params: dict[str, Any]) -> dict[str, str]:
    """GET parameters: lists and objects as JSON, the rest as text, None left out."""
    return {k: json.dumps(v) if isinstance(v, list | dict) else str(v) for k, v in params.items() if v is not None}
