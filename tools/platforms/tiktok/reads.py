"""What TikTok answers about objects and spend, read as neutral results: object states and insight rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tools.platforms.base import InsightLevel, InsightRow, NeutralStatus, ObjectKind, ObjectState
from tools.platforms.tiktok.wire import LEVELS

SECONDARY: dict[str, NeutralStatus] = {
    "CAMPAIGN_STATUS_ENABLE": "active", "CAMPAIGN_STATUS_DISABLE": "paused", "CAMPAIGN_STATUS_DELETE": "deleted",
    "ADGROUP_STATUS_DELIVERY_OK": "active", "ADGROUP_STATUS_DISABLE": "paused", "ADGROUP_STATUS_DELETE": "deleted",
    "ADGROUP_STATUS_CAMPAIGN_DISABLE": "paused", "AD_STATUS_DELIVERY_OK": "active", "AD_STATUS_DISABLE": "paused",
    "AD_STATUS_DELETE": "deleted", "AD_STATUS_AUDIT": "pending_review", "AD_STATUS_AUDIT_DENY": "rejected",
    "AD_STATUS_ADGROUP_DISABLE": "paused", "AD_STATUS_CAMPAIGN_DISABLE": "paused",
}  # fmt: skip


def object_state(kind: ObjectKind, external_id: str, row: dict[str, Any] | None) -> ObjectState:
    """An object's neutral status from its /get/ row (None: not listed, so deleted); the secondary status wins
    when it says rejected, in review or deleted. Library assets have no status: uploaded is active."""
    if kind not in LEVELS:
        return ObjectState(kind=kind, external_id=external_id, status="active", raw_status="UPLOADED")
    if row is None:
        return ObjectState(kind=kind, external_id=external_id, status="deleted", raw_status="NOT_FOUND")
    operation = str(row.get("operation_status") or "")
    secondary = str(row.get("secondary_status") or "")
    status: NeutralStatus = {"ENABLE": "active", "DISABLE": "paused", "DELETE": "deleted"}.get(
        operation, "unknown"
    )  # type: ignore[assignment]
    if SECONDARY.get(secondary) in ("rejected", "pending_review", "deleted"):
        status = SECONDARY[secondary]
    return ObjectState(
        kind=kind,
        external_id=external_id,
        status=status,
        raw_status=secondary or operation,
        name=row.get(LEVELS[kind][2]),
    )


def insight_row(row: dict[str, Any], currency: str, level: InsightLevel = "campaign") -> InsightRow:
    """One object-day of the integrated report (AUCTION_CAMPAIGN by campaign_id, or AUCTION_AD by ad_id, and
    stat_time_day); an ad row names its campaign in the campaign_id attribute metric."""
    dims, metrics = row.get("dimensions") or {}, row.get("metrics") or {}
    campaign_id = str(dims.get("campaign_id") or metrics.get("campaign_id") or "") or None
    return InsightRow(
        level=level, external_id=str(dims["ad_id" if level == "ad" else "campaign_id"]), campaign_id=campaign_id,
        name=metrics.get("ad_name" if level == "ad" else "campaign_name"),
        day=date.fromisoformat(str(dims["stat_time_day"])[:10]),
        impressions=int(float(metrics.get("impressions") or 0)), reach=int(float(metrics.get("reach") or 0)),
        clicks=int(float(metrics.get("clicks") or 0)),
        spend=Decimal(str(metrics.get("spend") or "0")), currency=currency,
        conversions=int(float(metrics.get("conversion") or 0)),
        video_views=int(float(metrics.get("video_play_actions") or 0)),
    )  # fmt: skip
