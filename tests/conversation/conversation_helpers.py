"""Driving a conversation the way a person types in the thread: every answer through `driver.reply`."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from agent.turns import Turn, Where
from bot.console import connect_in_sandbox
from bot.services import Services

USER = "console:tester"
# The conversation's "today", fixed so the occasions' windows (Ramadan 1448: 2027-02-08 to 2027-03-08) are the
# same on every run.
TODAY = date(2026, 12, 5)
SEED_EN = "Create Instagram and TikTok campaign for Ramadan sale with 1000 SAR budget targeting women 25-40 in Riyadh"
SEED_AR = "أنشئ حملة على انستقرام وتيك توك لتخفيضات رمضان بميزانية ١٠٠٠ ريال تستهدف النساء من ٢٥ إلى ٤٠ في الرياض"


async def start(services: Services, text: str) -> Turn:
    workspace = await services.local_workspace(USER)
    return await services.driver.start(workspace_id=workspace.id, user=USER, text=text,
                                       where=Where("console", "t", uuid.uuid4().hex), today=TODAY)


async def say(services: Services, turn: Turn, text: str) -> Turn:
    """A typed line in the thread."""
    return await services.driver.reply(conversation_id=turn.conversation_id, text=text, actor=USER)


async def until(services: Services, turn: Turn, kind: str) -> Turn:
    """Connect in the sandbox and approve (typing "approve") until a prompt of `kind` is pending."""
    while turn.prompt is not None and turn.prompt.kind != kind:
        if turn.prompt.kind == "connect":
            turn = await connect_in_sandbox(services, turn, USER, lambda _: None)
        elif turn.prompt.kind in ("review", "preview"):
            turn = await say(services, turn, "approve")
        else:
            raise AssertionError(f"unexpected prompt {turn.prompt.kind}: {turn.prompt.payload}")
    assert turn.prompt is not None, turn
    return turn


async def state(services: Services, turn: Turn) -> dict[str, Any]:
    snapshot = await services.driver.graph.aget_state({"configurable": {"thread_id": turn.thread_id}})
    return dict(snapshot.values or {})
