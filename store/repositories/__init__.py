"""Data functions over the store tables; each takes the session explicitly and keyword-only.

Call them through the package, as every caller does: ``from store import repositories as repo`` and
``repo.get_campaign(session=..., campaign_id=...)``. The functions live in rooms by concern:

- ``workspaces``: workspaces and their members' roles.
- ``accounts``: connected ad accounts and their (encrypted) tokens.
- ``slack_installs``: Slack app installations and their (encrypted) bot tokens.
- ``conversations``: conversations and the LangGraph thread each is tied to.
- ``approvals``: approval requests, pending -> claimed -> decided.
- ``campaigns``: campaigns and their platform tree (platform campaigns, ad sets, ads).
- ``assets``: content assets and the generation jobs that make them.
- ``ledger``: the publish ledger's steps, the batched writes of a publish run to the steps and to the
  campaign tree, and the campaigns a compensation left stuck.
- ``leases``: conversation leases (which process runs a conversation now, with a fencing token).
- ``oauth_states``: the once-only states of OAuth connect links.
- ``performance``: performance snapshots, one row per (platform, object, day).
- ``token_notices``: the warnings about an ad account's token already said, once per token.
- ``digests``: the once-only claims of digests (workspace, channel, kind, period), and the campaigns they cover.
- ``audit_log``: the audit log, and the once-only marks of processed events.
- ``_common``: what the rooms share (``NotFound``, value checks, statement helpers).

Beside the package, ``store/api_keys.py`` (key hashing and checking) and ``store/api_jobs.py`` (the HTTP
API's jobs) serve the HTTP API through their own module names.

To patch a function in a test, patch it in its room (``store.repositories.ledger.plan_step``): patching
the name re-exported here would not reach the callers inside the package.

Transactions: the caller owns them. Functions add/flush and return ORM objects; they do not
commit, with these exceptions that are locks or once-only tokens and must be visible to other
sessions and processes the moment they return, even if the caller's later work fails:
``claim_approval``, ``release_claim``, ``consume_oauth_state``, ``mark_event_processed``, ``take_lease``,
``end_lease``, ``claim_token_notice`` (and the digest claims ``claim_digest``, ``release_digest`` and
``finish_digest``) commit the session they are given (call them on a fresh session, or at
the start of a unit of work). Sessions come from ``store.db.create_session_factory`` (expire_on_commit=False), so
the returned objects stay readable after those commits.
"""

from __future__ import annotations

from store.repositories._common import NotFound
from store.repositories.accounts import (
    ad_accounts_page,
    get_ad_account,
    get_ad_accounts,
    list_ad_accounts,
    mark_account_status,
    read_tokens,
    update_tokens,
    upsert_ad_account,
)
from store.repositories.approvals import (
    claim_approval,
    find_approval,
    finish_approval,
    get_approval,
    get_pending_approval,
    record_approval_request,
    release_claim,
    set_approval_message,
    set_approval_status,
)
from store.repositories.assets import (
    add_asset,
    find_asset_by_brief,
    finish_job,
    get_assets,
    list_conversation_assets,
    start_job,
    update_asset,
)
from store.repositories.audit_log import (
    audit,
    audit_many,
    list_audit_events,
    mark_event_processed,
    purge_processed_events,
)
from store.repositories.campaigns import (
    campaign_tree,
    campaigns_in_status,
    create_campaign,
    get_campaign,
    list_campaigns,
    prune_draft_tree,
    tracked_platform_campaigns,
    update_campaign,
    upsert_ad,
    upsert_ad_set,
    upsert_platform_campaign,
)
from store.repositories.conversations import (
    create_conversation,
    find_conversation,
    get_conversation,
    get_conversation_by_thread,
    list_conversations,
    update_conversation,
)
from store.repositories.digests import (
    campaigns_of_workspace,
    claim_digest,
    finish_digest,
    list_digest_sends,
    release_digest,
)
from store.repositories.leases import end_lease, live_lease, purge_leases, renew_lease, take_lease
from store.repositories.ledger import (
    PlannedStep,
    RowChange,
    SentFacts,
    StepChange,
    StepState,
    apply_row_changes,
    apply_step_changes,
    external_ids_taken,
    get_sent_facts,
    get_step,
    get_step_states,
    list_compensating_campaigns,
    list_steps,
    mark_steps_sending,
    plan_step,
    plan_steps,
    set_step_state,
    unmark_steps_sending,
)
from store.repositories.oauth_states import (
    consume_oauth_state,
    create_oauth_state,
    find_open_oauth_state,
    get_oauth_state,
    purge_oauth_states,
)
from store.repositories.performance import (
    list_campaigns_snapshots,
    list_snapshots,
    upsert_snapshot,
    upsert_snapshots,
)
from store.repositories.slack_installs import (
    find_slack_installation,
    read_slack_token,
    save_slack_installation,
)
from store.repositories.token_notices import (
    claim_token_notice,
    mark_token_notice_posted,
    release_token_notice,
)
from store.repositories.workspaces import (
    create_workspace,
    get_member,
    get_or_create_workspace,
    get_workspace,
    list_workspaces,
    update_workspace,
    upsert_member,
)

__all__ = [
    # _common
    "NotFound",
    # workspaces
    "get_or_create_workspace", "create_workspace", "get_workspace", "list_workspaces",
    "update_workspace", "upsert_member", "get_member",
    # accounts
    "upsert_ad_account", "list_ad_accounts", "get_ad_account", "get_ad_accounts", "read_tokens",
    "update_tokens", "mark_account_status", "ad_accounts_page",
    # slack_installs
    "save_slack_installation", "find_slack_installation", "read_slack_token",
    # conversations
    "create_conversation", "get_conversation", "get_conversation_by_thread", "find_conversation",
    "update_conversation", "list_conversations",
    # approvals
    "find_approval", "record_approval_request", "claim_approval", "finish_approval", "release_claim",
    "get_pending_approval", "get_approval", "set_approval_status", "set_approval_message",
    # campaigns
    "create_campaign", "get_campaign", "update_campaign", "list_campaigns", "campaigns_in_status",
    "upsert_platform_campaign", "upsert_ad_set", "upsert_ad", "prune_draft_tree", "campaign_tree", "tracked_platform_campaigns",
    # assets
    "add_asset", "get_assets", "list_conversation_assets", "find_asset_by_brief", "update_asset",
    "start_job", "finish_job",
    # ledger
    "plan_step", "PlannedStep", "plan_steps", "StepState", "get_step_states", "get_step",
    "set_step_state", "SentFacts", "get_sent_facts", "external_ids_taken", "mark_steps_sending",
    "unmark_steps_sending", "StepChange", "apply_step_changes",
    "RowChange", "apply_row_changes", "list_steps", "list_compensating_campaigns",
    # leases
    "take_lease", "renew_lease", "end_lease", "live_lease", "purge_leases",
    # oauth_states
    "create_oauth_state", "find_open_oauth_state", "get_oauth_state", "consume_oauth_state",
    "purge_oauth_states",
    # performance
    "upsert_snapshot", "upsert_snapshots", "list_snapshots", "list_campaigns_snapshots",
    # token_notices
    "claim_token_notice", "release_token_notice", "mark_token_notice_posted",
    # digests
    "claim_digest", "release_digest", "finish_digest", "list_digest_sends", "campaigns_of_workspace",
    # audit_log
    "audit", "audit_many", "list_audit_events", "mark_event_processed", "purge_processed_events",
]
