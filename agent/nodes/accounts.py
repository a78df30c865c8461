"""Connect accounts: every requested platform needs a connected ad account; missing ones get an OAuth link."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agent.context import AgentContext
from agent.interactions import AccountsReply, ConnectAccounts, ConnectLink
from agent.models import CampaignRequest
from agent.nodes.understand import account_facts
from agent.oauth import open_link
from agent.state import CampaignState
from agent.texts import platform_list, t


async def connect_accounts(
    state: CampaignState, runtime: Runtime[AgentContext]
) -> Command[Literal["validate", "connect_accounts", "cancelled"]]:
    """Wait for OAuth on the platforms without an account; once all are connected, validate again with them."""
    ctx = runtime.context
    language = state.get("language", "en")
    request = CampaignRequest.model_validate(state["request"])
    facts = await account_facts(ctx, state["workspace_id"], list(request.platforms))
    missing: list[str] = [p for p in request.platforms if p not in facts]
    if not missing:
        # Validate again: the accounts' currencies and permissions are now known.
        return Command(goto="validate", update={"accounts": {p: f.ad_account_id for p, f in facts.items()}})

    # Reuses the open link of an earlier pass (same row, same URL), so a re-run adds nothing.
    links: list[ConnectLink] = [await open_link(ctx, dict(state), platform) for platform in missing]
    payload = ConnectAccounts(
        language=language,
        message=t("connect", language, platforms=platform_list(missing, language)),
        links=links,
        connected={p: f.external_account_id for p, f in facts.items()},
    )
    reply: AccountsReply = interrupt(payload.model_dump(mode="json"), response_schema=AccountsReply)
    if reply.cancel:
        return Command(goto="cancelled")
    update: dict[str, Any] = {"status": "connecting"}
    return Command(goto="connect_accounts", update=update)
