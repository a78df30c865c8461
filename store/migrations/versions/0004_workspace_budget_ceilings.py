"""Workspace budget ceilings (per campaign and per day); None keeps the settings' defaults.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("max_campaign_budget", sa.Numeric(18, 6), nullable=True))
        batch.add_column(sa.Column("max_daily_budget", sa.Numeric(18, 6), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("max_daily_budget")
        batch.drop_column("max_campaign_budget")
