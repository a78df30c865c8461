"""Tracking: the performance sync, the status check and token care for live campaigns (run by the scheduler).

Rooms: `scope` (which campaigns, grouped by ad account, paged through the store), `calls` (one account's calls:
counted, paced, backed off, a refused token refreshed once), `sync` (insights per account), `statuses`
(statuses per account and level), `tokens` (renewal before expiry, accounts to reconnect, warnings due).
"""

from __future__ import annotations

from agent.tracking.calls import AccountLink, AccountSkipped, pace_tracked_call, read_usage
from agent.tracking.scope import TRACKED_STATUSES, tracked_work
from agent.tracking.statuses import check_statuses
from agent.tracking.sync import SyncReport, ad_sync_job, run_sync, sync_all, sync_campaign, sync_job
from agent.tracking.tokens import (
    TokenCare,
    TokenWarning,
    care_for_tokens,
    claim_warning,
    refresh_tokens,
    release_warning,
    warning_said,
)

__all__ = [
    "TRACKED_STATUSES", "AccountLink", "ad_sync_job", "AccountSkipped", "SyncReport", "TokenCare", "TokenWarning",
    "care_for_tokens", "check_statuses", "claim_warning", "pace_tracked_call", "read_usage", "refresh_tokens",
    "release_warning", "run_sync", "sync_all", "sync_campaign", "sync_job", "tracked_work", "warning_said",
]  # fmt: skip
