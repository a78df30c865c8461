"""Token warnings: an ad account's access is about to end (7 days, 1 day) or has ended, said once in Slack with a
Reconnect button.

The token job (every 15 minutes and at the leader's start, agent/tracking/tokens.py) renews what it can and
says which warnings are due. With Slack configured this module replaces that job with one that also posts
them: in the workspace's digest channel, else the channel of its newest Slack conversation. Each warning is
claimed in the store before it is posted (released if Slack refuses it), so it is said once per token, even
with two processes or after a restart. The button opens a fresh connect link for the account's workspace.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from agent.oauth import reconnect_url
from agent.texts import platform_name
from agent.tracking import TokenWarning, care_for_tokens, claim_warning, release_warning, warning_said
from bot.scheduler import TOKEN_JOB, TOKEN_TRIGGER
from bot.slack import blocks as b
from bot.slack.texts import st
from store import repositories as repo

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor

log = logging.getLogger(__name__)


def token_message(warning: TokenWarning, language: str, url: str) -> b.Message:
    """One account's warning: what ends when, why, and the Reconnect button."""
    platform = platform_name(warning.platform, language)
    title = st(f"token_title_{warning.kind}", language, platform=platform)
    account = b.safe(warning.account_name, 200)
    if warning.kind == "lapsed":
        body = st("token_body_lapsed", language, platform=platform, account=account)
    else:
        when = warning.expires_at.strftime("%Y-%m-%d %H:%M") if warning.expires_at else "-"
        body = st("token_body_expires", language, platform=platform, account=account, when=when)
    icon = ":red_circle:" if warning.kind == "lapsed" else ":warning:"
    blocks: list[b.Block] = [b.header(title), b.section(f"{icon} {body}")]
    if warning.reason:
        blocks.append(b.context(b.safe(st("token_reason", language, reason=warning.reason), 2900)))
    blocks.append(b.actions(f"adly.reconnect|{warning.ad_account_id}"[:255], b.button(
        st("token_reconnect", language, platform=platform), f"adly.reconnect.open.{warning.platform}",
        warning.ad_account_id, style="primary", url=url[:3000])))
    return b.Message(text=b.safe(f"{title}: {body}", b.FALLBACK_TEXT), blocks=blocks)


async def _where(door: SlackFrontDoor, workspace_id: str) -> tuple[AsyncWebClient, str, str] | str:
    """(client, channel, language) to warn a workspace in, or why there is none (the end of a sentence)."""
    async with door.reads() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
        recent = [c for c in await repo.list_conversations(session=session, workspace_id=workspace_id, limit=20)
                  if c.channel_kind == "slack" and c.channel_id]
    if workspace is None:
        return "the workspace is gone"
    channel = workspace.digest_channel or door.settings.slack_digest_channel or (
        recent[0].channel_id if recent else None)
    if not channel:
        return "the workspace has no digest channel and no Slack conversation"
    client = await door.client_for_workspace(workspace_id)
    if client is None:
        return f"no Slack token for workspace {workspace_id}"
    return client, channel, recent[0].language if recent else "en"


async def run_token_notices(door: SlackFrontDoor) -> dict[str, Any]:
    """The token job with Slack: renew, mark, and post each warning due once (module docstring)."""
    ctx = door.services.ctx
    care = await care_for_tokens(ctx)
    posted = 0
    for warning in care.warnings:
        notice_id = await claim_warning(ctx, warning)
        if notice_id is None:
            continue  # said before
        found = await _where(door, warning.workspace_id)
        if isinstance(found, str):
            log.warning("%s ad account %s: token %s; the warning was not posted: %s", warning.platform,
                        warning.ad_account_id, warning.kind.replace("_", " "), found)
            await warning_said(ctx, notice_id, "log")
            continue
        client, channel, language = found
        message = token_message(warning, language, reconnect_url(ctx, platform=warning.platform,
                                                                  ad_account_id=warning.ad_account_id))
        try:
            ts = await door.renderer.post(client, channel, None, message)
        except SlackApiError as exc:
            log.warning("posting the token warning of ad account %s failed (posted next run): %s",
                        warning.ad_account_id, exc.response.get("error"))
            await release_warning(ctx, notice_id)
            continue
        await warning_said(ctx, notice_id, f"slack:{channel}:{ts}")
        posted += 1
    return {**care.summary(), "posted": posted}


def token_jobs(door: SlackFrontDoor) -> dict[str, tuple[Callable[[], Awaitable[Any]], dict[str, Any]]]:
    """For bot.scheduler.build_scheduler(extra_jobs=...): replaces the plain token job with the warning one."""
    return {TOKEN_JOB: (lambda: run_token_notices(door), dict(TOKEN_TRIGGER))}
