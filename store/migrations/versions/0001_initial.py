"""Initial schema: every table of the first release, written out by hand (no autogenerate at runtime).

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=True),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=True),
        sa.Column("subject_id", sa.String(length=128), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_created_at"), "audit_events", ["created_at"], unique=False)
    op.create_index(op.f("ix_audit_events_workspace_id"), "audit_events", ["workspace_id"], unique=False)
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_processed_events")),
    )
    op.create_index(
        op.f("ix_processed_events_received_at"), "processed_events", ["received_at"], unique=False
    )
    op.create_table(
        "slack_installations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=True),
        sa.Column("bot_user_id", sa.String(length=64), nullable=True),
        sa.Column("bot_token_enc", sa.Text(), nullable=True),
        sa.Column("installed_by", sa.String(length=128), nullable=True),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_installations")),
        sa.UniqueConstraint(
            "team_id", "enterprise_id", name=op.f("uq_slack_installations_team_id_enterprise_id")
        ),
    )
    op.create_index(op.f("ix_slack_installations_team_id"), "slack_installations", ["team_id"], unique=False)
    op.create_table(
        "workspaces",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("slack_team_id", sa.String(length=64), nullable=True),
        sa.Column("default_currency", sa.String(length=3), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("approvers", sa.JSON(), nullable=False),
        sa.Column("self_approval_limit", sa.Numeric(precision=18, scale=6), nullable=True),
        sa.Column("digest_channel", sa.String(length=64), nullable=True),
        sa.Column("digest_hour", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
        sa.UniqueConstraint("slack_team_id", name=op.f("uq_workspaces_slack_team_id")),
    )
    op.create_table(
        "ad_accounts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("external_account_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("access_token_enc", sa.Text(), nullable=True),
        sa.Column("refresh_token_enc", sa.Text(), nullable=True),
        sa.Column("token_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refresh_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("connected_by", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_ad_accounts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ad_accounts")),
        sa.UniqueConstraint(
            "workspace_id",
            "platform",
            "external_account_id",
            name=op.f("uq_ad_accounts_workspace_id_platform_external_account_id"),
        ),
    )
    op.create_index(op.f("ix_ad_accounts_workspace_id"), "ad_accounts", ["workspace_id"], unique=False)
    op.create_table(
        "content_assets",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=True),
        sa.Column("campaign_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("file_path", sa.String(length=512), nullable=True),
        sa.Column("mime", sa.String(length=128), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("text", sa.JSON(), nullable=True),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("provider", sa.String(length=64), nullable=True),
        sa.Column("brief_hash", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("edited_by", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_content_assets_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_assets")),
    )
    op.create_index(op.f("ix_content_assets_brief_hash"), "content_assets", ["brief_hash"], unique=False)
    op.create_index(op.f("ix_content_assets_campaign_id"), "content_assets", ["campaign_id"], unique=False)
    op.create_index(
        op.f("ix_content_assets_conversation_id"), "content_assets", ["conversation_id"], unique=False
    )
    op.create_index(
        "ix_content_assets_lookup", "content_assets", ["workspace_id", "kind", "brief_hash"], unique=False
    )
    op.create_index(op.f("ix_content_assets_workspace_id"), "content_assets", ["workspace_id"], unique=False)
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("thread_id", sa.String(length=128), nullable=False),
        sa.Column("channel_kind", sa.String(length=16), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=True),
        sa.Column("thread_ts", sa.String(length=64), nullable=True),
        sa.Column("requested_by", sa.String(length=128), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("campaign_id", sa.String(length=32), nullable=True),
        sa.Column("status_message_ts", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_conversations_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
        sa.UniqueConstraint(
            "channel_kind",
            "channel_id",
            "thread_ts",
            name=op.f("uq_conversations_channel_kind_channel_id_thread_ts"),
        ),
        sa.UniqueConstraint("thread_id", name=op.f("uq_conversations_thread_id")),
    )
    op.create_index(op.f("ix_conversations_campaign_id"), "conversations", ["campaign_id"], unique=False)
    op.create_index(op.f("ix_conversations_status"), "conversations", ["status"], unique=False)
    op.create_index(op.f("ix_conversations_workspace_id"), "conversations", ["workspace_id"], unique=False)
    op.create_table(
        "members",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("user_ref", sa.String(length=128), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_members_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("workspace_id", "user_ref", name=op.f("uq_members_workspace_id_user_ref")),
    )
    op.create_index(op.f("ix_members_workspace_id"), "members", ["workspace_id"], unique=False)
    op.create_table(
        "oauth_states",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=True),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("redirect_uri", sa.String(length=1024), nullable=False),
        sa.Column("code_verifier", sa.String(length=256), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_oauth_states_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oauth_states")),
    )
    op.create_index(op.f("ix_oauth_states_expires_at"), "oauth_states", ["expires_at"], unique=False)
    op.create_index(op.f("ix_oauth_states_workspace_id"), "oauth_states", ["workspace_id"], unique=False)
    op.create_table(
        "approval_requests",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("thread_id", sa.String(length=128), nullable=False),
        sa.Column("interrupt_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payload_hash", sa.String(length=128), nullable=True),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("message_ts", sa.String(length=64), nullable=True),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("decision", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_approval_requests_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_requests")),
        sa.UniqueConstraint(
            "thread_id", "interrupt_id", name=op.f("uq_approval_requests_thread_id_interrupt_id")
        ),
    )
    op.create_index(
        op.f("ix_approval_requests_conversation_id"), "approval_requests", ["conversation_id"], unique=False
    )
    op.create_index(
        "ix_approval_requests_thread_status", "approval_requests", ["thread_id", "status"], unique=False
    )
    op.create_table(
        "campaigns",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("objective", sa.String(length=64), nullable=True),
        sa.Column("theme", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("budget_amount", sa.Numeric(precision=18, scale=6), nullable=True),
        sa.Column("budget_currency", sa.String(length=3), nullable=True),
        sa.Column("budget_period", sa.String(length=16), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("plan_hash", sa.String(length=128), nullable=True),
        sa.Column("requested_by", sa.String(length=128), nullable=True),
        sa.Column("approved_by", sa.String(length=128), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_campaigns_conversation_id_conversations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_campaigns_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    op.create_index(op.f("ix_campaigns_conversation_id"), "campaigns", ["conversation_id"], unique=False)
    op.create_index(op.f("ix_campaigns_workspace_id"), "campaigns", ["workspace_id"], unique=False)
    op.create_index("ix_campaigns_workspace_status", "campaigns", ["workspace_id", "status"], unique=False)
    op.create_table(
        "generation_jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("provider", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("brief_hash", sa.String(length=128), nullable=True),
        sa.Column("result_asset_id", sa.String(length=32), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["result_asset_id"],
            ["content_assets.id"],
            name=op.f("fk_generation_jobs_result_asset_id_content_assets"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_generation_jobs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_generation_jobs")),
    )
    op.create_index(
        op.f("ix_generation_jobs_conversation_id"), "generation_jobs", ["conversation_id"], unique=False
    )
    op.create_index(
        op.f("ix_generation_jobs_result_asset_id"), "generation_jobs", ["result_asset_id"], unique=False
    )
    op.create_index(
        op.f("ix_generation_jobs_workspace_id"), "generation_jobs", ["workspace_id"], unique=False
    )
    op.create_table(
        "performance_snapshots",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("campaign_id", sa.String(length=32), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("external_object_id", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("impressions", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("spend", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("conversions", sa.Integer(), nullable=False),
        sa.Column("video_views", sa.Integer(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_performance_snapshots_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_snapshots")),
        sa.UniqueConstraint(
            "platform",
            "external_object_id",
            "day",
            name=op.f("uq_performance_snapshots_platform_external_object_id_day"),
        ),
    )
    op.create_index(
        op.f("ix_performance_snapshots_campaign_id"), "performance_snapshots", ["campaign_id"], unique=False
    )
    op.create_table(
        "platform_campaigns",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("campaign_id", sa.String(length=32), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("ad_account_id", sa.String(length=32), nullable=True),
        sa.Column("external_campaign_id", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ad_account_id"],
            ["ad_accounts.id"],
            name=op.f("fk_platform_campaigns_ad_account_id_ad_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_platform_campaigns_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_campaigns")),
        sa.UniqueConstraint(
            "campaign_id", "platform", name=op.f("uq_platform_campaigns_campaign_id_platform")
        ),
    )
    op.create_index(
        op.f("ix_platform_campaigns_ad_account_id"), "platform_campaigns", ["ad_account_id"], unique=False
    )
    op.create_index(
        op.f("ix_platform_campaigns_campaign_id"), "platform_campaigns", ["campaign_id"], unique=False
    )
    op.create_table(
        "publish_steps",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("campaign_id", sa.String(length=32), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("object_kind", sa.String(length=16), nullable=False),
        sa.Column("plan_key", sa.String(length=128), nullable=False),
        sa.Column("parent_key", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("request", sa.JSON(), nullable=True),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_publish_steps_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publish_steps")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_publish_steps_idempotency_key")),
    )
    op.create_index(op.f("ix_publish_steps_campaign_id"), "publish_steps", ["campaign_id"], unique=False)
    op.create_index(
        "ix_publish_steps_campaign_platform", "publish_steps", ["campaign_id", "platform"], unique=False
    )
    op.create_table(
        "ad_sets",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("platform_campaign_id", sa.String(length=32), nullable=False),
        sa.Column("plan_key", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("targeting", sa.JSON(), nullable=False),
        sa.Column("budget_amount", sa.Numeric(precision=18, scale=6), nullable=True),
        sa.Column("budget_currency", sa.String(length=3), nullable=True),
        sa.Column("external_id", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["platform_campaign_id"],
            ["platform_campaigns.id"],
            name=op.f("fk_ad_sets_platform_campaign_id_platform_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ad_sets")),
        sa.UniqueConstraint(
            "platform_campaign_id", "plan_key", name=op.f("uq_ad_sets_platform_campaign_id_plan_key")
        ),
    )
    op.create_index(
        op.f("ix_ad_sets_platform_campaign_id"), "ad_sets", ["platform_campaign_id"], unique=False
    )
    op.create_table(
        "ads",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("ad_set_id", sa.String(length=32), nullable=False),
        sa.Column("plan_key", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("creative_data", sa.JSON(), nullable=False),
        sa.Column("media_assets", sa.JSON(), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=True),
        sa.Column("external_creative_id", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ad_set_id"], ["ad_sets.id"], name=op.f("fk_ads_ad_set_id_ad_sets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads")),
        sa.UniqueConstraint("ad_set_id", "plan_key", name=op.f("uq_ads_ad_set_id_plan_key")),
    )
    op.create_index(op.f("ix_ads_ad_set_id"), "ads", ["ad_set_id"], unique=False)


def downgrade() -> None:
    # Dropping a table drops its indexes; children go before parents.
    op.drop_table("ads")
    op.drop_table("ad_sets")
    op.drop_table("publish_steps")
    op.drop_table("platform_campaigns")
    op.drop_table("performance_snapshots")
    op.drop_table("generation_jobs")
    op.drop_table("campaigns")
    op.drop_table("approval_requests")
    op.drop_table("oauth_states")
    op.drop_table("members")
    op.drop_table("conversations")
    op.drop_table("content_assets")
    op.drop_table("ad_accounts")
    op.drop_table("workspaces")
    op.drop_table("slack_installations")
    op.drop_table("processed_events")
    op.drop_table("audit_events")
