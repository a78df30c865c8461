"""Approvers as Slack sees them: user ids, or user groups (S...) whose members are looked up when someone clicks."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

GROUP_TTL_SECONDS = 300.0


def is_group(ref: str) -> bool:
    return ref.startswith("S")


class ApproverDirectory:
    """`check(workspace, user)`: the driver's approver check; group memberships are cached for a few minutes."""

    def __init__(self, client_for_workspace: Callable[[str], Awaitable[AsyncWebClient | None]], *,
                 ttl: float = GROUP_TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._client_for_workspace = client_for_workspace
        self._ttl = ttl
        self._clock = clock
        self._members: dict[tuple[str, str], tuple[float, frozenset[str]]] = {}

    async def check(self, workspace: Any, user: str) -> bool:
        approvers = list(getattr(workspace, "approvers", None) or [])
        if not approvers:
            return False  # nobody approves until an admin names the approvers
        if user in approvers:
            return True
        groups = [ref for ref in approvers if is_group(ref)]
        if not groups or not getattr(workspace, "slack_team_id", None):
            return False
        for group in groups:
            if user in await self.members(workspace.id, group):
                return True
        return False

    async def members(self, workspace_id: str, group: str) -> frozenset[str]:
        """The group's members via usergroups.users.list; a failed lookup is not cached (and grants nothing)."""
        key = (workspace_id, group)
        cached = self._members.get(key)
        now = self._clock()
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        client = await self._client_for_workspace(workspace_id)
        if client is None:
            return frozenset()
        try:
            answer = await client.usergroups_users_list(usergroup=group)
        except SlackApiError as exc:
            log.warning("could not list user group %s: %s", group, exc.response.get("error"))
            return frozenset()
        members = frozenset(str(u) for u in answer.get("users") or [])
        self._members[key] = (now, members)
        return members

    def forget(self) -> None:
        self._members.clear()
