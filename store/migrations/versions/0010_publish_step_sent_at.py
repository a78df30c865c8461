"""Publish steps: when each write first left for the platform (sent_at), and an index on their external ids.

A lost answer is looked up among objects made since sent_at, minus the ids other steps hold (the index).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("publish_steps") as batch:
        batch.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_publish_steps_external_id"), "publish_steps", ["external_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_publish_steps_external_id"), table_name="publish_steps")
    with op.batch_alter_table("publish_steps") as batch:
        batch.drop_column("sent_at")
