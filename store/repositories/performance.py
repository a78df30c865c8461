"""Performance snapshots: one row per (platform, object, day), overwritten by a later fetch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import PLATFORMS, SNAPSHOT_LEVELS, PerformanceSnapshot, new_id, utcnow
from store.repositories._common import as_money, check_choice, currency_code, first_row, insert_if_absent


async def upsert_snapshot(
    *,
    session: AsyncSession,
    campaign_id: str,
    platform: str,
    level: str,
    external_object_id: str,
    day: date,
    impressions: int,
    clicks: int,
    spend: Decimal,
    currency: str,
    conversions: int = 0,
    video_views: int = 0,
) -> PerformanceSnapshot:
    """One row per (platform, object, day); a later fetch overwrites the numbers."""
    check_choice(platform, PLATFORMS, "platform")
    check_choice(level, SNAPSHOT_LEVELS, "snapshot level")
    key = select(PerformanceSnapshot).where(
        PerformanceSnapshot.platform == platform,
        PerformanceSnapshot.external_object_id == external_object_id,
        PerformanceSnapshot.day == day,
    )
    row = await first_row(session, key)
    if row is None:
        inserted = await insert_if_absent(
            session,
            PerformanceSnapshot,
            {
                "id": new_id(),
                "campaign_id": campaign_id,
                "platform": platform,
                "level": level,
                "external_object_id": external_object_id,
                "day": day,
                "impressions": impressions,
                "clicks": clicks,
                "spend": as_money(spend),
                "currency": currency_code(currency),
                "conversions": conversions,
                "video_views": video_views,
                "fetched_at": utcnow(),
            },
            ("platform", "external_object_id", "day"),
        )
        row = await first_row(session, key)
        assert row is not None
        if inserted:
            return row
    row.campaign_id = campaign_id
    row.level = level
    row.impressions = impressions
    row.clicks = clicks
    row.spend = cast(Decimal, as_money(spend))
    row.currency = currency_code(currency)
    row.conversions = conversions
    row.video_views = video_views
    row.fetched_at = utcnow()
    await session.flush()
    return row


_SNAPSHOT_NUMBERS = ("campaign_id", "level", "impressions", "clicks", "spend", "currency", "conversions",
                     "video_views", "fetched_at")


async def upsert_snapshots(*, session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Many snapshots at once (a sync of a whole ad account): each row as `upsert_snapshot` takes it, inserted or
    overwritten on (platform, object, day) by one statement executed per row. Returns how many rows were written."""
    values: list[dict[str, Any]] = []
    now = utcnow()
    for row in rows:
        check_choice(row["platform"], PLATFORMS, "platform")
        check_choice(row["level"], SNAPSHOT_LEVELS, "snapshot level")
        values.append({
            "id": new_id(), "campaign_id": row["campaign_id"], "platform": row["platform"], "level": row["level"],
            "external_object_id": row["external_object_id"], "day": row["day"],
            "impressions": int(row.get("impressions") or 0), "clicks": int(row.get("clicks") or 0),
            "spend": as_money(row.get("spend") or Decimal(0)), "currency": currency_code(row["currency"]),
            "conversions": int(row.get("conversions") or 0), "video_views": int(row.get("video_views") or 0),
            "fetched_at": now,
        })  # fmt: skip
    if not values:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        for value in values:
            await upsert_snapshot(session=session, **{k: v for k, v in value.items() if k not in ("id", "fetched_at")})
        return len(values)
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    stmt = insert(PerformanceSnapshot)
    stmt = stmt.on_conflict_do_update(
        index_elements=["platform", "external_object_id", "day"],
        set_={name: stmt.excluded[name] for name in _SNAPSHOT_NUMBERS},
    )
    # One statement, compiled once and executed for every row (Core executemany): compiling a 500-row VALUES
    # list cost more than writing it.
    connection = await session.connection()
    await connection.execute(stmt, values)
    return len(values)


async def list_snapshots(*, session: AsyncSession, campaign_id: str) -> list[PerformanceSnapshot]:
    stmt = (
        select(PerformanceSnapshot)
        .where(PerformanceSnapshot.campaign_id == campaign_id)
        .order_by(PerformanceSnapshot.day, PerformanceSnapshot.platform, PerformanceSnapshot.external_object_id)
    )
    return list(await session.scalars(stmt))


async def list_campaigns_snapshots(
    *, session: AsyncSession, campaign_ids: Sequence[str], since: date | None = None
) -> dict[str, list[PerformanceSnapshot]]:
    """The snapshots of several campaigns in one query (from `since` on), by campaign id, in day order."""
    if not campaign_ids:
        return {}
    stmt = select(PerformanceSnapshot).where(PerformanceSnapshot.campaign_id.in_(list(campaign_ids)))
    if since is not None:
        stmt = stmt.where(PerformanceSnapshot.day >= since)
    stmt = stmt.order_by(PerformanceSnapshot.day, PerformanceSnapshot.platform, PerformanceSnapshot.external_object_id)
    out: dict[str, list[PerformanceSnapshot]] = {c: [] for c in campaign_ids}
    for row in await session.scalars(stmt):
        out[row.campaign_id].append(row)
    return out
