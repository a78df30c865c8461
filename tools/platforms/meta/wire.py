"""Graph's wire vocabulary: version and hosts, our objective, CTA and locale words as Graph's enums, form encoding."""

from __future__ import annotations

import json
from typing import Any

GRAPH_VERSION = "v26.0"
API_BASE_URL = "https://graph.facebook.com"
VIDEO_BASE_URL = "https://graph-video.facebook.com"
OAUTH_BASE_URL = "https://www.facebook.com"
SCOPES = ("ads_management", "ads_read", "business_management", "pages_show_list", "pages_read_engagement")
NAME_MAX = 400
VIDEO_NAME_MAX = 200  # our cap on a video's name and title in the account's library
MULTI_ID_MAX = 50  # ids per Graph multi-ID read
BATCH_MAX = 50  # requests per Graph batch
# Ids per `IN` filter on an account edge (insights, campaigns, adsets, ads). Meta documents no maximum; the ids
# travel in a GET's query string, and 250 ids of up to 20 digits keep it near 6 KB, well under the ~8 KB
# request line front ends commonly accept. Our choice, not a documented limit.
ID_FILTER_MAX = 250
# Every effective status an account edge can list: without the filter, Graph leaves deleted and archived
# objects out, and a status check must see them.
EFFECTIVE_STATUSES = (
    "ACTIVE", "PAUSED", "DELETED", "ARCHIVED", "PENDING_REVIEW", "DISAPPROVED", "PREAPPROVED",
    "PENDING_BILLING_INFO", "CAMPAIGN_PAUSED", "ADSET_PAUSED", "IN_PROCESS", "WITH_ISSUES",
)  # fmt: skip

# Our objective vocabulary -> (ODAX objective, ad set optimization_goal, destination_type or None).
# Pairs follow Meta's objective validation table as far as the reference confirms it; sales and leads
# optimise for link clicks because no pixel or lead form is configured at this layer.
OBJECTIVES: dict[str, tuple[str, str, str | None]] = {
    "sales": ("OUTCOME_SALES", "LINK_CLICKS", "WEBSITE"),
    "traffic": ("OUTCOME_TRAFFIC", "LINK_CLICKS", "WEBSITE"),
    "awareness": ("OUTCOME_AWARENESS", "REACH", None),
    "engagement": ("OUTCOME_ENGAGEMENT", "POST_ENGAGEMENT", None),
    "leads": ("OUTCOME_LEADS", "LINK_CLICKS", "WEBSITE"),
    "app_installs": ("OUTCOME_APP_PROMOTION", "APP_INSTALLS", None),
    "video_views": ("OUTCOME_AWARENESS", "THRUPLAY", None),
}
# Chat destinations (our words) -> ad set destination_type under OUTCOME_ENGAGEMENT, optimising for
# CONVERSATIONS [ref 1.3: destination_type and optimization_goal enums; the pairing is unconfirmed there].
CHAT_DESTINATIONS: dict[str, str] = {
    "whatsapp": "WHATSAPP", "messenger": "MESSENGER", "instagram_direct": "INSTAGRAM_DIRECT",
}  # fmt: skip
# Our placement words -> the position per app [ref 1.3: facebook_positions, instagram_positions].
POSITIONS: dict[str, dict[str, str]] = {
    "feed": {"facebook": "feed", "instagram": "stream"},
    "stories": {"facebook": "story", "instagram": "story"},
    "reels": {"facebook": "facebook_reels", "instagram": "reels"},
    "explore": {"instagram": "explore"},
}
CTAS = {
    "shop_now": "SHOP_NOW", "learn_more": "LEARN_MORE", "sign_up": "SIGN_UP", "order_now": "ORDER_NOW",
    "book_now": "BOOK_NOW", "contact_us": "CONTACT_US", "download": "DOWNLOAD", "get_offer": "GET_OFFER",
}  # fmt: skip
# Locale IDs from the adlocale search (Arabic 28, English (All) 1001) [unconfirmed IDs, widely used].
LOCALES = {"ar": 28, "en": 1001}
# The account edges that list the objects carrying given ad labels [ref 1.5; SDK AdAccount.get_*_by_labels].
BY_LABELS: dict[str, str] = {
    "campaign": "campaignsbylabels", "ad_set": "adsetsbylabels", "ad": "adsbylabels",
    "creative": "adcreativesbylabels",
}  # fmt: skip
# Which field of a listed object names its parent (the lookup checks an ad set's campaign, an ad's ad set).
PARENT_FIELDS: dict[str, str] = {"ad_set": "campaign_id", "ad": "adset_id"}
EDGES: dict[str, str] = {
    "campaign": "campaigns", "ad_set": "adsets", "ad": "ads", "creative": "adcreatives",
    "image": "adimages", "video": "advideos",
}  # fmt: skip


def encode_params(params: dict[str, Any]) -> dict[str, str]:
    """The SDK's `_top_level_param_json_encode`: nested values and bools as compact, key-sorted JSON."""
    out: dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, dict | list | tuple | bool):
            out[key] = json.dumps(value, sort_keys=True, separators=(",", ":"))
        else:
            out[key] = str(value)
    return out


def act(account_id: str) -> str:
    return account_id if account_id.startswith("act_") else f"act_{account_id}"
