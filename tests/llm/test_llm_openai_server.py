"""enrich() with the real ChatOpenAI client against a fake OpenAI-compatible server on loopback (uvicorn, thread)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from langchain_openai import ChatOpenAI
from llm_fakes import FakeOpenAI, Reply, reading, serve

from agent.parsing import parse_instruction
from agent.parsing.conflicts import open_conflicts
from agent.parsing.llm import enrich
from agent.validation import clarification_question, validate_request

TODAY = date(2025, 1, 10)
# langchain-openai caches its async HTTP client per base URL: one event loop for the module keeps it usable.
pytestmark = pytest.mark.asyncio(loop_scope="module")


class Script:
    """The server's next answers, in order (the last one repeats)."""

    def __init__(self) -> None:
        self.replies: list[Reply] = [Reply(reading())]

    def __call__(self, body: dict[str, Any]) -> Reply:
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


@pytest.fixture(scope="module")
def script() -> Script:
    return Script()


@pytest.fixture(scope="module")
def server(script: Script) -> Iterator[tuple[str, FakeOpenAI]]:
    app = FakeOpenAI(script)
    with serve(app) as base_url:
        yield base_url, app


def client(base_url: str, **kwargs: Any) -> ChatOpenAI:
    return ChatOpenAI(model="gpt-4o-mini", base_url=base_url, api_key="test", **{"max_retries": 0, **kwargs})


async def test_product_from_an_unusual_phrasing_through_the_real_client(server: tuple[str, FakeOpenAI],
                                                                       script: Script) -> None:
    base_url, app = server
    script.replies = [Reply(reading(product="cardamom cold brew cans", tone="playful", objective="sales",
                                    platforms=["snapchat"], budget_amount=2000, budget_currency="SAR"))]
    text = "Push the cardamom cold brew cans on Snapchat, 2000 SAR, Jeddah"
    rules = parse_instruction(text, today=TODAY)
    seen = len(app.requests)
    out = await enrich(rules, text, model=client(base_url), timeout_s=5, today=TODAY)
    assert out.product == "cardamom cold brew cans" and out.objective == "sales"
    assert out.budget == rules.budget and out.missing == []
    body = app.requests[seen]
    # Structured output as the real client sends it: a strict JSON schema named after the output model.
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["name"] == "LlmCampaign"
    schema = body["response_format"]["json_schema"]["schema"]
    assert sorted(schema["required"]) == sorted(schema["properties"])
    assert text in body["messages"][-1]["content"] and "2025-01-10" in body["messages"][-1]["content"]


async def test_budget_not_in_the_text_is_dropped(server: tuple[str, FakeOpenAI], script: Script) -> None:
    base_url, _ = server
    script.replies = [Reply(reading(product="oud", budget_amount=7500, budget_currency="SAR", age_min=18))]
    text = "Snapchat ads for our oud in Jeddah"
    rules = parse_instruction(text, today=TODAY)
    out = await enrich(rules, text, model=client(base_url), timeout_s=5, today=TODAY)
    assert out.budget is None and "budget" in out.missing
    assert out.audience.age_min is None and open_conflicts(out) == []


async def test_a_conflict_is_asked_about(server: tuple[str, FakeOpenAI], script: Script) -> None:
    base_url, _ = server
    script.replies = [Reply(reading(budget_amount=1500, budget_currency="SAR", platforms=["instagram", "tiktok"]))]
    text = "حملة انستقرام وتيك توك للنساء في الرياض بميزانية ١٠٠٠ ريال، ممكن نوصل ١٥٠٠"
    rules = parse_instruction(text, today=TODAY)
    out = await enrich(rules, text, model=client(base_url), timeout_s=5, today=TODAY)
    assert rules.budget is not None and rules.budget.amount == 1000
    assert [(c["rules"], c["llm"]) for c in open_conflicts(out)] == [(1000, 1500)]
    question = clarification_question(out, out.input_language)
    assert out.input_language == "ar" and question is not None
    assert "الميزانية: 1,000 ر.س أو 1,500 ر.س؟" in question
    assert any(i.code == "conflict" and i.severity == "error" for i in validate_request(out, today=TODAY))


async def test_a_slow_server_falls_back_within_the_timeout(server: tuple[str, FakeOpenAI], script: Script,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    base_url, _ = server
    script.replies = [Reply(reading(product="late"), sleep_s=5)]
    text = "Push the cardamom cold brew cans on Snapchat, 2000 SAR, Jeddah"
    rules = parse_instruction(text, today=TODAY)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="agent.parsing.llm"):
        out = await enrich(rules, text, model=client(base_url, max_retries=1, timeout=30), timeout_s=0.5, today=TODAY)
    assert time.monotonic() - started < 2.0
    assert out == rules and "within 0.5s" in caplog.text


@pytest.mark.parametrize("retries", [0, 1])
async def test_a_server_error_falls_back(server: tuple[str, FakeOpenAI], script: Script, retries: int,
                                         caplog: pytest.LogCaptureFixture) -> None:
    base_url, app = server
    script.replies = [Reply(status=500)]
    text = "Push the cardamom cold brew cans on Snapchat, 2000 SAR, Jeddah"
    rules = parse_instruction(text, today=TODAY)
    seen = len(app.requests)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="agent.parsing.llm"):
        out = await enrich(rules, text, model=client(base_url, max_retries=retries), timeout_s=5, today=TODAY)
    assert out == rules and "LLM parse failed" in caplog.text
    assert len(app.requests) - seen == retries + 1 and time.monotonic() - started < 5


async def test_invalid_json_from_the_server_falls_back(server: tuple[str, FakeOpenAI], script: Script) -> None:
    base_url, _ = server
    script.replies = [Reply(raw_content='{"product": "half an answ')]
    text = "Push the cardamom cold brew cans on Snapchat, 2000 SAR, Jeddah"
    rules = parse_instruction(text, today=TODAY)
    assert await enrich(rules, text, model=client(base_url), timeout_s=5, today=TODAY) == rules
