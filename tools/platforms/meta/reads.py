"""What Graph answers about objects and spend, read as neutral results: object states and insight rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tools.platforms.base import InsightLevel, InsightRow, NeutralStatus, ObjectKind, ObjectState

STATUS_MAP: dict[str, NeutralStatus] = {
    "ACTIVE": "active", "PAUSED": "paused", "CAMPAIGN_PAUSED": "paused", "ADSET_PAUSED": "paused",
    "DELETED": "deleted", "ARCHIVED": "archived", "PENDING_REVIEW": "pending_review",
    "IN_PROCESS": "pending_review", "PREAPPROVED": "pending_review", "DISAPPROVED": "rejected",
}  # fmt: skip


def object_state(kind: ObjectKind, external_id: str, body: dict[str, Any]) -> ObjectState:
    """An object's neutral status from its Graph fields: the effective status wins when it says more."""
    configured = str(body.get("status") or "")
    effective = str(body.get("effective_status") or configured)
    status: NeutralStatus = STATUS_MAP.get(configured, "unknown")
    if effective in ("DISAPPROVED", "PENDING_REVIEW", "IN_PROCESS", "WITH_ISSUES", "DELETED", "ARCHIVED"):
        status = STATUS_MAP.get(effective, "unknown")
    if kind == "video" and configured.lower() == "ready":
        status = "active"
    return ObjectState(kind=kind, external_id=external_id, status=status, raw_status=effective, name=body.get("name"))


def image_state(external_id: str, body: dict[str, Any]) -> ObjectState:
    """An image's state from the adimages read by hash: an image not listed is gone."""
    data = body.get("data") or []
    raw = str(data[0].get("status", "ACTIVE")) if data else "DELETED"
    return ObjectState(kind="image", external_id=external_id, status=STATUS_MAP.get(raw, "unknown"), raw_status=raw)


def insight_row(row: dict[str, Any], level: InsightLevel = "campaign") -> InsightRow:
    """One object-day of the insights edge (level=campaign or level=ad, time_increment=1)."""
    actions = {
        a.get("action_type"): int(float(a.get("value") or 0)) for a in row.get("actions") or []
    }
    return InsightRow(
        level=level, external_id=str(row["ad_id" if level == "ad" else "campaign_id"]),
        campaign_id=str(row["campaign_id"]), name=row.get("ad_name" if level == "ad" else "campaign_name"),
        day=date.fromisoformat(row["date_start"]),
        impressions=int(row.get("impressions") or 0), reach=int(row.get("reach") or 0),
        clicks=int(row.get("clicks") or 0),
        spend=Decimal(str(row.get("spend") or "0")), currency=str(row.get("account_currency") or ""),
        conversions=actions.get("offsite_conversion.fb_pixel_purchase", 0) + actions.get("lead", 0),
        video_views=actions.get("video_view", 0),
    )  # fmt: skip


def made_since(row: dict[str, Any], since: datetime | None) -> bool:
    """Made no earlier than `since` (None: no bound), by Graph's created_time (2026-12-05T10:00:00+0000)."""
    if since is None:
        return True
    try:
        made = datetime.strptime(str(row.get("created_time")), "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return True  # no creation time to judge by: kept, the caller's ledger check still applies
    bound = since if since.tzinfo else since.replace(tzinfo=UTC)
    return made >= bound.replace(microsecond=0)
