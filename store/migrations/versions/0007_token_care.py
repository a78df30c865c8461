"""Token care: why an ad account needs reconnecting, and the token warnings already said (once per token).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("ad_accounts") as batch:
        batch.add_column(sa.Column("status_reason", sa.String(length=500), nullable=True))
    op.create_table(
        "token_notices",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("ad_account_id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("token_ref", sa.String(length=64), nullable=False),
        sa.Column("token_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("posted_to", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ad_account_id"],
            ["ad_accounts.id"],
            name=op.f("fk_token_notices_ad_account_id_ad_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_token_notices")),
        sa.UniqueConstraint(
            "ad_account_id", "kind", "token_ref", name=op.f("uq_token_notices_ad_account_id_kind_token_ref")
        ),
    )
    op.create_index(op.f("ix_token_notices_ad_account_id"), "token_notices", ["ad_account_id"], unique=False)
    op.create_index(op.f("ix_token_notices_workspace_id"), "token_notices", ["workspace_id"], unique=False)

def downgrade() -> None:
    op.drop_index(op.f("ix_token_notices_workspace_id"), table_name="token_notices")
    op.drop_index(op.f("ix_token_notices_ad_account_id"), table_name="token_notices")
    op.drop_table("token_notices")
    with op.batch_alter_table("ad_accounts") as batch:
        batch.drop_column("status_reason")
