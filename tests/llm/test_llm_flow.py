"""Through the conversation driver with a fake chat model in the AgentContext: the flow asks about a conflict."""

from __future__ import annotations

import uuid

from llm_fakes import fake_model, reading

from agent.turns import Where
from bot.services import open_services
from bot.settings import Settings

USER = "console:tester"


async def test_flow_asks_which_budget_then_goes_on_with_the_answer(settings: Settings) -> None:
    model = fake_model(reading(budget_amount=1500, budget_currency="SAR", platforms=["instagram", "tiktok"],
                               product="abayas", tone="elegant"))
    text = "Instagram and TikTok campaign for our abayas, women 25-40 in Riyadh, 1000 SAR, or maybe 1500"
    async with open_services(settings, chat_model=model) as services:
        assert services.ctx.chat_model is model
        workspace = await services.local_workspace(USER)
        turn = await services.driver.start(workspace_id=workspace.id, user=USER, text=text,
                                           where=Where("console", "t", uuid.uuid4().hex))
        assert turn.prompt is not None and turn.prompt.kind == "clarify"
        payload = turn.prompt.payload
        assert payload["missing"] == ["budget.amount"]
        assert "the budget: 1,000 SAR or 1,500 SAR?" in payload["question"]
        conflict = [i for i in payload["issues"] if i["code"] == "conflict"]
        assert len(conflict) == 1 and conflict[0]["fixes"] == ["Use 1,000 SAR", "Use 1,500 SAR"]
        assert payload["request"]["budget"]["amount"] == 1000  # the rules' reading until answered

        turn = await services.driver.reply(conversation_id=turn.conversation_id, text="1500 SAR", actor=USER)
        assert turn.prompt is not None and turn.prompt.kind != "clarify", turn.prompt.payload
        snapshot = await services.driver.graph.aget_state({"configurable": {"thread_id": turn.thread_id}})
        request = snapshot.values["request"]
        assert request["budget"]["amount"] == 1500 and request["missing"] == []
        assert request["conflicts"] == [] and request["product"] == "abayas" and request["tone"] == "elegant"
