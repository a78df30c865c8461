"""The workspace's brand: its name and its Arabic name on the workspace's ads (else the deployment's settings).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("brand_name", sa.String(255), nullable=True))
        batch.add_column(sa.Column("brand_name_ar", sa.String(255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("brand_name_ar")
        batch.drop_column("brand_name")
