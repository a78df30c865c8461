"""What Snap answers about entities and spend, read as neutral results: object states and insight rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tools.platforms.base import InsightLevel, InsightRow, NeutralStatus, ObjectKind, ObjectState
from tools.platforms.money import from_wire


def object_state(kind: ObjectKind, external_id: str, row: dict[str, Any] | None) -> ObjectState:
    """An entity's neutral status (None: not found, so deleted); review says rejected or still pending."""
    if row is None:
        return ObjectState(kind=kind, external_id=external_id, status="deleted", raw_status="NOT_FOUND")
    raw = str(row.get("status") or row.get("media_status") or "")
    status: NeutralStatus = {"ACTIVE": "active", "PAUSED": "paused", "READY": "active"}.get(
        raw, "unknown"
    )  # type: ignore[assignment]
    review = str(row.get("review_status") or "")
    if review == "REJECTED":
        status = "rejected"
    elif review == "PENDING" and status == "active":
        status = "pending_review"
    return ObjectState(
        kind=kind, external_id=external_id, status=status, raw_status=review or raw, name=row.get("name")
    )


def insight_rows(
    body: dict[str, Any], campaign_of: dict[str, str], currency: str, level: InsightLevel = "campaign"
) -> list[InsightRow]:
    """The object-days of one account stats answer (breakdown=campaign or ad, DAY) for the objects in
    `campaign_of` (object id -> its campaign id); spend arrives in micro."""
    out: list[InsightRow] = []
    for item in body.get("timeseries_stats") or []:
        stat = item.get("timeseries_stat") or {}
        for child in (stat.get("breakdown_stats") or {}).get(level) or []:
            object_id = str(child.get("id"))
            if object_id not in campaign_of:
                continue
            for point in child.get("timeseries") or []:
                s = point.get("stats") or {}
                out.append(
                    InsightRow(
                        level=level, external_id=object_id, campaign_id=campaign_of[object_id],
                        day=date.fromisoformat(str(point["start_time"])[:10]),
                        impressions=int(s.get("impressions") or 0), reach=int(s.get("uniques") or 0),
                        clicks=int(s.get("swipes") or 0),
                        spend=from_wire(int(s.get("spend") or 0), currency, "snapchat").quantize(Decimal("0.000001")).normalize(),
                        currency=currency, conversions=int(s.get("conversion_purchases") or 0),
                        video_views=int(s.get("video_views") or 0),
                    )
                )  # fmt: skip
    return out
