"""Platform minimums the simulators enforce, with their sources (amounts in the account currency's major units).

Meta: the ad account's `min_daily_budget` / `GET /act_{id}/minimum_budgets` (fields min_daily_budget_imp,
min_daily_budget_high_freq, min_daily_budget_low_freq, min_daily_budget_video_views). Meta publishes no fixed
table; its help centre quotes about USD 1/day for impression-billed ad sets, USD 5/day for click-type
optimisation and USD 40/day for low-frequency events. The sandbox converts those at the SAR and AED pegs.

TikTok: ads.tiktok.com help "budget": daily budget above USD 50 at campaign level and USD 20 at ad group
level; lifetime minimum = daily minimum x scheduled days. The per-currency table (doc 1737585839634433) was
not available to us; the sandbox uses the USD figures at the SAR (3.75) and AED (3.6725) pegs, rounded up.

Snapchat: developers.snap.com ad-squads: daily_budget_micro minimum 5,000,000 micro (5 units) in every
currency. A campaign daily spend cap of at least 20 units is a third-party note, enforced here too.
"""

from __future__ import annotations

from decimal import Decimal

META_MIN_DAILY: dict[str, dict[str, Decimal]] = {
    # currency -> {min_daily_budget_imp, min_daily_budget_high_freq, min_daily_budget_low_freq, video_views}
    "SAR": {
        "imp": Decimal("3.75"),
        "high_freq": Decimal("18.75"),
        "low_freq": Decimal("150.00"),
        "video_views": Decimal("3.75"),
    },
    "AED": {
        "imp": Decimal("3.68"),
        "high_freq": Decimal("18.37"),
        "low_freq": Decimal("146.90"),
        "video_views": Decimal("3.68"),
    },
    # KWD at its ~0.307 USD rate, rounded up to the fils.
    "KWD": {
        "imp": Decimal("0.310"),
        "high_freq": Decimal("1.540"),
        "low_freq": Decimal("12.300"),
        "video_views": Decimal("0.310"),
    },
    "USD": {
        "imp": Decimal("1.00"),
        "high_freq": Decimal("5.00"),
        "low_freq": Decimal("40.00"),
        "video_views": Decimal("1.00"),
    },
}
# optimization_goal -> which Meta minimum applies
META_GOAL_CLASS = {
    "IMPRESSIONS": "imp", "REACH": "imp", "AD_RECALL_LIFT": "imp", "THRUPLAY": "video_views",
    "LINK_CLICKS": "high_freq", "LANDING_PAGE_VIEWS": "high_freq", "POST_ENGAGEMENT": "high_freq",
    "OFFSITE_CONVERSIONS": "low_freq", "VALUE": "low_freq", "APP_INSTALLS": "low_freq", "LEAD_GENERATION": "low_freq",
}  # fmt: skip

TIKTOK_MIN_DAILY: dict[str, dict[str, Decimal]] = {
    "SAR": {"campaign": Decimal("187.50"), "adgroup": Decimal("75.00")},
    "AED": {"campaign": Decimal("183.63"), "adgroup": Decimal("73.45")},
    "KWD": {"campaign": Decimal("15.400"), "adgroup": Decimal("6.200")},
    "USD": {"campaign": Decimal("50.00"), "adgroup": Decimal("20.00")},
}

SNAPCHAT_MIN_ADSQUAD_DAILY_MICRO = 5_000_000
SNAPCHAT_MIN_CAMPAIGN_DAILY_MICRO = 20_000_000
