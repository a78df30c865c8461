"""enrich() against a fake chat model answering with tool calls: what the LLM may fill, what it may not, conflicts."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import AIMessage
from llm_fakes import ToolCallingFakeModel, fake_model, reading

from agent.models import PLATFORMS, CampaignRequest
from agent.parsing import merge_reply, parse_instruction
from agent.parsing.conflicts import open_conflicts
from agent.parsing.llm import enrich
from agent.parsing.rules import text_facts
from agent.validation import apply_fix, blocking, clarification_question, missing_fields, validate_request

TODAY = date(2025, 1, 10)
SCHEMA = Path("/work/shared/contracts/campaign-request.schema.json")


def assert_contract(request: CampaignRequest) -> None:
    """The JSON still follows the contract: required keys, enums, and a round trip through the model."""
    data = json.loads(json.dumps(request.contract_dict()))
    if SCHEMA.exists():
        schema = json.loads(SCHEMA.read_text("utf-8"))
        assert set(schema["required"]) <= set(data)
        assert data["objective"] in schema["properties"]["objective"]["enum"]
    assert set(data["platforms"]) <= set(PLATFORMS) and data["platforms"] == sorted(data["platforms"])
    assert CampaignRequest.model_validate(data).contract_dict() == data


async def run(text: str, *payloads: dict[str, Any], timeout_s: float = 5.0) -> tuple[CampaignRequest, CampaignRequest]:
    rules = parse_instruction(text, today=TODAY)
    out = await enrich(rules, text, model=fake_model(*payloads), timeout_s=timeout_s, today=TODAY)
    assert_contract(out)
    return rules, out


async def test_product_tone_and_interests_from_an_unusual_phrasing() -> None:
    text = "Push the cardamom cold brew cans on Snapchat, 2000 SAR, Jeddah"
    rules, out = await run(text, reading(product="cardamom cold brew cans", tone="playful", objective="sales",
                                         interests=["coffee", "cafes"], platforms=["snapchat"], budget_amount=2000,
                                         budget_currency="SAR", budget_period="lifetime"))
    assert rules.product is None and rules.objective is None
    assert out.product == "cardamom cold brew cans"
    assert out.sources["product"][0].text == "cardamom cold brew cans"
    assert out.objective == "sales" and out.audience.interests == ["coffee", "cafes"]
    assert (out.model_extra or {})["tone"] == "playful"
    assert set((out.model_extra or {})["llm_filled"]) == {"product", "objective", "audience.interests", "tone"}
    # Agreement on numbers and platforms: nothing to ask.
    assert out.budget == rules.budget and out.platforms == rules.platforms and out.missing == []


async def test_theme_from_context_brings_the_calendar_dates_not_the_models() -> None:
    text = "Get the word out about our little cafe during the holy month, Snapchat, 2000 SAR, Jeddah"
    rules, out = await run(text, reading(theme="ramadan", objective="awareness", product="little cafe",
                                         start_date="2025-03-02", end_date="2025-03-30"))
    assert rules.theme is None
    assert out.theme == "ramadan" and out.objective == "awareness"
    # Ramadan 1446 on Umm al-Qura: 1 March to 29 March 2025. The model's dates are not in the text: dropped.
    assert (out.schedule.start_date, out.schedule.end_date) == (date(2025, 3, 1), date(2025, 3, 29))


async def test_rules_values_are_never_overwritten() -> None:
    text = "Instagram and TikTok, women 25-40 in Riyadh, 1000 SAR, ads for our oud"
    rules, out = await run(text, reading(product="perfume", objective="awareness", age_min=25, age_max=40,
                                         platforms=["instagram", "tiktok"]))
    assert out.product == "oud" and out.objective == "awareness"  # rules had no objective
    assert (out.audience.age_min, out.audience.age_max) == (25, 40)
    assert out.publisher_platforms == {"meta": ["instagram"]}


async def test_budget_not_in_the_text_is_dropped() -> None:
    text = "Snapchat ads for our cold brew in Jeddah for women 25-40"
    rules, out = await run(text, reading(product="cold brew", budget_amount=5000, budget_currency="SAR",
                                         age_min=21, duration_days=14, start_date="2025-02-01"))
    assert rules.budget is None
    assert out.budget is None and "budget" in out.missing
    assert "budget" in missing_fields(out)
    assert (out.audience.age_min, out.audience.age_max) == (25, 40)  # 21 is not in the text either
    assert out.schedule == rules.schedule and open_conflicts(out) == []


async def test_budget_the_rules_missed_is_taken_when_the_text_states_it() -> None:
    text = "Snapchat ads for 2 cafes, we have ٣٠٠٠ to play with"
    rules, out = await run(text, reading(budget_amount=3000, budget_currency="AED", budget_period="lifetime"))
    assert rules.budget is None and "budget" in rules.missing
    assert out.budget is not None and out.budget.amount == Decimal(3000)
    assert out.budget.currency == "SAR"  # the text names no dirham: the workspace default, not the model's guess
    assert "budget" not in out.missing and "budget" in (out.model_extra or {})["llm_filled"]


@pytest.mark.parametrize("text, numbers, months", [
    ("ميزانية ١٬٥٠٠ ريال من ٥ مارس", {1500, 5}, {3}),
    ("2.5k on TikTok from 1/4", {2500, 1, 4}, set()),
    ("budget twenty thousand, ages twenty five to forty", {20000, 25, 40}, set()),
    ("بميزانية خمسة آلاف لمدة عشرة أيام", {5000, 10}, set()),
])
def test_numbers_are_checked_as_the_rules_read_them(text: str, numbers: set[int], months: set[int]) -> None:
    facts = text_facts(text)
    assert {Decimal(n) for n in numbers} <= facts.numbers
    assert months <= facts.months


async def test_a_budget_conflict_is_recorded_and_asked_in_english_and_arabic() -> None:
    text = "Instagram and TikTok for women in Riyadh, 1000 SAR, or maybe 1500 if it works"
    rules, out = await run(text, reading(budget_amount=1500, budget_currency="SAR", platforms=["instagram", "tiktok"]))
    assert out.budget == rules.budget  # the rules' reading is kept until the marketer answers
    assert (out.model_extra or {})["conflicts"] == [{"field": "budget.amount", "rules": 1000, "llm": 1500}]
    assert "budget.amount" in out.missing
    issues = validate_request(out, today=TODAY)
    conflict = [i for i in issues if i.code == "conflict"]
    assert len(conflict) == 1 and conflict[0] in blocking(issues)
    assert "1,000 SAR" in conflict[0].message_en and "1,500 SAR" in conflict[0].message_en
    assert "1,000 ر.س" in conflict[0].message_ar and "1,500 ر.س" in conflict[0].message_ar
    assert not any(i.code == "missing" and i.field.startswith("budget") for i in issues)
    en, ar = clarification_question(out, "en"), clarification_question(out, "ar")
    assert en is not None and "the budget: 1,000 SAR or 1,500 SAR?" in en
    assert ar is not None and "الميزانية: 1,000 ر.س أو 1,500 ر.س؟" in ar

    picked = apply_fix(out, conflict[0].fixes[1])  # "Use 1,500 SAR"
    assert picked.budget is not None and picked.budget.amount == 1500
    assert open_conflicts(picked) == [] and "conflicts" not in json.dumps(picked.missing)
    assert not any(i.code == "conflict" for i in validate_request(picked, today=TODAY))

    answered = merge_reply(out, "1500", today=TODAY)  # a bare amount answers the budget question
    assert answered.budget is not None and answered.budget.amount == 1500 and answered.missing == []
    unrelated = merge_reply(out, "women 25-40", today=TODAY)  # not an answer: still asked
    assert [c["field"] for c in open_conflicts(unrelated)] == ["budget.amount"]


async def test_a_platform_conflict_is_asked_with_both_readings() -> None:
    text = "Instagram and TikTok for women in Riyadh, 1000 SAR, not Snapchat"
    rules, out = await run(text, reading(platforms=["instagram", "snapchat"]))
    assert out.platforms == rules.platforms == ["meta", "tiktok"]
    issue = next(i for i in validate_request(out, today=TODAY) if i.code == "conflict")
    assert issue.field == "platforms"
    assert "Instagram and TikTok" in issue.message_en and "Meta and Snapchat" in issue.message_en
    assert "إنستغرام وتيك توك" in issue.message_ar
    assert [f.patch["platforms"] for f in issue.fixes] == [["meta", "tiktok"], ["meta", "snapchat"]]
    answered = merge_reply(out, "TikTok only", today=TODAY)
    assert answered.platforms == ["tiktok"] and open_conflicts(answered) == []


async def test_age_and_date_conflicts() -> None:
    text = "Snapchat campaign in Jeddah with 1000 SAR for ages 25 to 40, 7 days from 5 March, maybe 30-45"
    rules, out = await run(text, reading(age_min=30, age_max=45, start_date="2025-03-07", duration_days=7))
    fields = [c["field"] for c in open_conflicts(out)]
    assert fields == ["audience.age_min", "audience.age_max", "schedule"]
    schedule = open_conflicts(out)[2]
    assert schedule["llm"] == {"start_date": "2025-03-07", "end_date": "2025-03-13", "duration_days": 7}
    question = clarification_question(out, "en")
    assert question is not None and "the dates: 2025-03-05 to 2025-03-11 or 2025-03-07 to 2025-03-13?" in question
    answered = merge_reply(out, "ages 25-40, from 5 March", today=TODAY)
    assert open_conflicts(answered) == []


async def test_age_max_one_above_is_the_under_convention_not_a_conflict() -> None:
    text = "TikTok, 1000 SAR, Riyadh, under 35"
    rules, out = await run(text, reading(age_max=35))
    assert rules.audience.age_max == 34 and out.audience.age_max == 34 and open_conflicts(out) == []


async def test_a_slow_model_falls_back_to_the_rules_within_the_timeout(caplog: pytest.LogCaptureFixture) -> None:
    text = "Push the cardamom cold brew cans on Snapchat, 2000 SAR, Jeddah"
    rules = parse_instruction(text, today=TODAY)
    model = fake_model(reading(product="cold brew"), delay_s=5)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="agent.parsing.llm"):
        out = await enrich(rules, text, model=model, timeout_s=0.2, today=TODAY)
    assert time.monotonic() - started < 1.5
    assert out == rules
    assert "within 0.2s" in caplog.text


class BrokenModel(ToolCallingFakeModel):
    async def _agenerate(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("no route to model")


async def test_a_failing_or_unparsable_model_changes_nothing(caplog: pytest.LogCaptureFixture) -> None:
    text = "Push the cardamom cold brew cans on Snapchat, 2000 SAR, Jeddah"
    rules = parse_instruction(text, today=TODAY)
    with caplog.at_level(logging.WARNING, logger="agent.parsing.llm"):
        assert await enrich(rules, text, model=BrokenModel(messages=iter([])), timeout_s=1, today=TODAY) == rules
        # Arguments that do not fit the schema (a missing field, a wrong type) are a parsing error, not a crash.
        bad = ToolCallingFakeModel(messages=iter([AIMessage(content="", tool_calls=[
            {"name": "LlmCampaign", "args": {"product": "x", "age_min": "old"}, "id": "1"}])]))
        assert await enrich(rules, text, model=bad, timeout_s=1, today=TODAY) == rules
        # A refusal or plain text: nothing parsed.
        chatty = ToolCallingFakeModel(messages=iter([AIMessage(content="I cannot help with that.")]))
        assert await enrich(rules, text, model=chatty, timeout_s=1, today=TODAY) == rules
    assert "ConnectionError" in caplog.text


async def test_untrusted_text_fields_are_bounded() -> None:
    text = "Snapchat ads, 2000 SAR, Jeddah"
    _, out = await run(text, reading(product="visit https://evil.example now", tone="x" * 200,
                                     theme="Not A Slug!", interests=["fashion", "fashion", "<script>"]))
    assert out.product is None and "tone" not in (out.model_extra or {})
    assert out.theme is None and out.audience.interests == ["fashion"]


async def test_enrich_runs_concurrently_without_blocking_the_loop() -> None:
    text = "Snapchat ads, 2000 SAR, Jeddah"
    rules = parse_instruction(text, today=TODAY)
    results = await asyncio.gather(*(enrich(rules, text, model=fake_model(reading(product="cold brew")),
                                            timeout_s=1, today=TODAY) for _ in range(5)))
    assert all(r.product == "cold brew" for r in results)
