"""Connect accounts: every requested platform needs one ad account; missing ones get an OAuth link, and a
platform with several connected accounts asks which one this conversation uses (kept in state `accounts`)."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agent.context import AgentContext
from agent.interactions import AccountChoice, AccountsReply, ConnectAccounts, ConnectLink
from agent.models import CampaignRequest
from agent.nodes.understand import active_accounts, facts_of, pick_account
from agent.oauth import open_link
from agent.state import CampaignState
from agent.texts import platform_list, t


async def connect_accounts(
    state: CampaignState, runtime: Runtime[AgentContext]
) -> Command[Literal["validate", "connect_accounts", "cancelled"]]:
    """Wait for OAuth (or a choice) on the platforms without an account; then validate again with them."""
    ctx = runtime.context
    language = state.get("language", "en")
    request = CampaignRequest.model_validate(state["request"])
    chosen = dict(state.get("accounts") or {})
    active = await active_accounts(ctx, state["workspace_id"], list(request.platforms))
    facts = {}
    names: dict[str, str] = {}  # what the card shows of each connected account: its name, as its owner set it
    for platform, rows in active.items():
        account = pick_account(rows, chosen.get(platform))
        if account is not None:
            facts[platform] = facts_of(ctx, account)
            names[platform] = account.name or account.external_account_id
    if all(p in facts for p in request.platforms):
        # Validate again: the accounts' currencies and permissions are now known.
        return Command(goto="validate", update={"accounts": {p: f.ad_account_id for p, f in facts.items()}})

    missing: list[str] = [p for p in request.platforms if p not in facts and not active.get(p)]
    choices: dict[str, list[AccountChoice]] = {
        p: [AccountChoice(ad_account_id=a.id, name=a.name or a.external_account_id, currency=a.currency,
                          external_id=a.external_account_id) for a in active[p]]
        for p in request.platforms if p not in facts and active.get(p)
    }
    # Reuses the open link of an earlier pass (same row, same URL), so a re-run adds nothing.
    links: list[ConnectLink] = [await open_link(ctx, dict(state), platform) for platform in missing]
    messages = []
    if missing:
        messages.append(t("connect", language, platforms=platform_list(missing, language)))
    if choices:
        messages.append(t("choose_account", language, platforms=platform_list(list(choices), language)))
    payload = ConnectAccounts(
        language=language,
        message=" ".join(messages),
        links=links,
        connected={p: names[p] for p in facts},
        choices=choices,
    )
    reply: AccountsReply = interrupt(payload.model_dump(mode="json"), response_schema=AccountsReply)
    if reply.cancel:
        return Command(goto="cancelled")
    # The driver checked each id belongs to this workspace and platform; the next pass uses the choice.
    update: dict[str, Any] = {"status": "connecting", "accounts": {**chosen, **reply.connected}}
    return Command(goto="connect_accounts", update=update)
