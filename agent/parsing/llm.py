"""The LLM parser: structured output fills what the rules could not read; its numbers are checked against the text.

Policy (DESIGN.md section 3; the rules' request is the ground truth for numbers):
- Filled only where the rules found nothing: product, tone (extension `tone`), objective, theme,
  audience interests; platforms, budget, ages and dates too, but numbers only where the text states them.
- A number is "in the text" when it is one of the values the rules' own number reader finds there
  (Western or Arabic-Indic digits, separators, decimals, "2.5k", number words in either language); a
  date when its day is such a number and its month is named or given as a number. Anything else the
  model proposes is dropped (and logged), never used.
- Where the rules and the model both give a budget amount, an age, dates or platforms and disagree, the
  request keeps the rules' value and records the conflict (see agent.parsing.conflicts): the validate
  node asks which one is meant. An age_max one above the rules' is no conflict: "under 35" is 34 by the
  rules' convention and 35 to a reader who ignores it.
- Fields filled by the model are listed in the extension `llm_filled`.
- A slow, failing or unparsable model changes nothing: the rules' request comes back as it was.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from string import Template
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

import agent.parsing.occasions as occasions
from agent.models import CampaignRequest, Objective, Span
from agent.parsing.conflicts import add_conflicts
from agent.parsing.rules import TextFacts, text_facts

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

__all__ = ["LlmCampaign", "combine", "enrich"]

log = logging.getLogger(__name__)

PlatformName = Literal["meta", "facebook", "instagram", "messenger", "tiktok", "snapchat"]
_META_APPS = ("facebook", "instagram", "messenger")
_SLUG = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class LlmCampaign(BaseModel):
    """What the chat model returns. Flat and explicit: every field required, null or empty when absent."""

    model_config = ConfigDict(extra="forbid")

    product: str | None = Field(description="What is advertised, in the marketer's words; null if not said")
    tone: str | None = Field(description="Voice the ads should have, one or two English words; null if none")
    objective: Objective | None = Field(description="Campaign goal inferred from context; null if no hint")
    theme: str | None = Field(description="Occasion or theme as a lowercase snake_case slug; null if none")
    interests: list[str] = Field(description="Audience interests named or clearly implied, short English nouns")
    platforms: list[PlatformName] = Field(description="Ad platforms named and not excluded")
    budget_amount: float | None = Field(description="Budget amount exactly as stated; null if none")
    budget_currency: str | None = Field(description="ISO 4217 code of the stated budget currency; null if none")
    budget_period: Literal["lifetime", "daily"] | None = Field(description="daily or lifetime; null if no budget")
    age_min: int | None = Field(description="Youngest age as stated; null if none")
    age_max: int | None = Field(description="Oldest age as stated; null if none")
    start_date: str | None = Field(description="Stated start date, YYYY-MM-DD; null if none")
    end_date: str | None = Field(description="Stated end date (inclusive), YYYY-MM-DD; null if none")
    duration_days: int | None = Field(description="Stated duration in days; null if none")


@cache
def _prompt(name: str) -> Template:
    return Template(resources.files("prompts").joinpath(name).read_text(encoding="utf-8"))


def messages_for(text: str, today: date) -> list[Any]:
    """The chat messages for one instruction (prompts/parse_system.md and parse_user.md)."""
    from langchain_core.messages import HumanMessage, SystemMessage

    system = _prompt("parse_system.md").safe_substitute()
    user = _prompt("parse_user.md").safe_substitute(today=today.isoformat(), text=text.strip())
    return [SystemMessage(content=system), HumanMessage(content=user)]


async def enrich(
    request: CampaignRequest,
    text: str,
    *,
    model: BaseChatModel,
    timeout_s: float,
    today: date | None = None,
    default_currency: str | None = None,
) -> CampaignRequest:
    """`request` (the rules' reading of `text`) completed by the chat model, or unchanged if it fails or is slow.

    `today` resolves dates without a year (default: the system date); `default_currency` is used when the
    model finds a budget the rules missed and the text names no currency (default: SAR).
    """
    if not text.strip():
        return request
    today = today or date.today()
    try:
        reading = await asyncio.wait_for(_ask(model, text, today), timeout=timeout_s)
    except TimeoutError:
        log.warning("LLM parse gave no answer within %.1fs; the rules' reading stands", timeout_s)
        return request
    except Exception as exc:  # any failure of the model or its transport: the deterministic path must go on
        log.warning("LLM parse failed (%s: %s); the rules' reading stands", type(exc).__name__, exc)
        return request
    if reading is None:
        return request
    try:
        return combine(request, reading, text, today=today, default_currency=default_currency or "SAR")
    except (ValidationError, ValueError, InvalidOperation) as exc:
        log.warning("LLM parse result unusable (%s); the rules' reading stands", exc)
        return request


async def _ask(model: BaseChatModel, text: str, today: date) -> LlmCampaign | None:
    structured = model.with_structured_output(LlmCampaign, include_raw=True)
    out = await structured.ainvoke(messages_for(text, today))
    if not isinstance(out, dict):
        return None
    if out.get("parsing_error") is not None:
        log.warning("LLM parse output did not fit the schema: %s", out["parsing_error"])
        return None
    parsed = out.get("parsed")
    if isinstance(parsed, LlmCampaign):
        return parsed
    if isinstance(parsed, dict):
        return LlmCampaign.model_validate(parsed)
    return None  # a refusal or an empty answer


# ----------------------------------------------------------------------------------------------- combining


def combine(
    request: CampaignRequest, reading: LlmCampaign, text: str, *, today: date, default_currency: str = "SAR"
) -> CampaignRequest:
    """The rules' request completed by the model's reading, under the policy of this module's docstring."""
    facts = text_facts(text)
    data = request.model_dump(mode="python")
    sources: dict[str, list[Span]] = data["sources"]
    filled: list[str] = []
    conflicts: list[dict[str, Any]] = []

    def fill(field: str, value: Any, *, where: str | None = None) -> None:
        head, _, leaf = field.partition(".")
        if leaf:
            data[head][leaf] = value
        else:
            data[field] = value
        filled.append(field)
        span = _find(text, where) if where else None
        if span is not None:
            sources[field] = [span]

    _platforms(request, reading, data, fill, conflicts)
    _budget(request, reading, facts, data, fill, conflicts, default_currency)
    _ages(request, reading, facts, fill, conflicts)
    _schedule(request, reading, facts, data, fill, conflicts)

    product = _clean(reading.product, 80)
    if request.product is None and product:
        fill("product", product, where=product)
    objective = reading.objective
    if request.objective is None and objective is not None:
        fill("objective", objective)
    theme = (reading.theme or "").strip().lower().replace("-", "_").replace(" ", "_")
    if request.theme is None and _SLUG.match(theme):
        fill("theme", theme)
        window = occasions.next_window(theme, today) if theme in occasions.DATED_SLUGS else None
        if window is not None and not _has_schedule(data):
            # The occasion's dates come from the calendar, not from the model.
            fill("schedule", {"start_date": window[0], "end_date": window[1],
                              "duration_days": (window[1] - window[0]).days + 1})
    interests = list(dict.fromkeys(i for i in (_clean(x, 40) for x in reading.interests[:5]) if i))
    if not request.audience.interests and interests:
        fill("audience.interests", interests)
    tone = _clean(reading.tone, 40)
    if tone and not (request.model_extra or {}).get("tone"):
        fill("tone", tone)

    data["missing"] = [m for m in data["missing"]
                       if not (m == "budget" and data["budget"]) and not (m == "platforms" and data["platforms"])]
    if filled:
        data["llm_filled"] = list(dict.fromkeys([*(request.model_extra or {}).get("llm_filled", []), *filled]))
    result = CampaignRequest.model_validate(data)
    return add_conflicts(result, conflicts)


def _platforms(request: CampaignRequest, reading: LlmCampaign, data: dict[str, Any], fill: Any,
               conflicts: list[dict[str, Any]]) -> None:
    names = set(reading.platforms)
    if not names:
        return
    platforms = sorted({"meta" if n in _META_APPS else n for n in names})
    if not request.platforms:
        fill("platforms", platforms)
        apps = [a for a in _META_APPS if a in names]
        if apps and "meta" not in names:
            data["publisher_platforms"] = {"meta": apps}
    elif platforms != list(request.platforms):
        conflicts.append({"field": "platforms", "rules": list(request.platforms), "llm": platforms})


def _budget(request: CampaignRequest, reading: LlmCampaign, facts: TextFacts, data: dict[str, Any], fill: Any,
            conflicts: list[dict[str, Any]], default_currency: str) -> None:
    if reading.budget_amount is None or reading.budget_amount <= 0:
        return
    amount = _decimal(reading.budget_amount)
    if amount not in facts.numbers:
        log.info("LLM parse: budget %s is not in the text; dropped", amount)
        return
    if request.budget is None:
        code = (reading.budget_currency or "").upper()
        # A currency the text does not name is the model's guess: the workspace default is the better guess.
        currency = code if _CURRENCY.match(code) and code in facts.currencies else default_currency
        fill("budget", {"amount": amount, "currency": currency, "period": reading.budget_period or "lifetime"})
    elif amount != request.budget.amount:
        conflicts.append({"field": "budget.amount", "rules": _number(request.budget.amount), "llm": _number(amount)})


def _ages(request: CampaignRequest, reading: LlmCampaign, facts: TextFacts, fill: Any,
          conflicts: list[dict[str, Any]]) -> None:
    a = request.audience
    proposed = {}
    for field, value in (("age_min", reading.age_min), ("age_max", reading.age_max)):
        if value is None:
            continue
        if Decimal(value) not in facts.numbers or not 13 <= value <= 65:
            log.info("LLM parse: %s %s is not in the text; dropped", field, value)
            continue
        proposed[field] = value
    if a.age_min is None and a.age_max is None:
        for field, value in proposed.items():
            fill(f"audience.{field}", value)
        return
    for field, value in proposed.items():
        ours = getattr(a, field)
        if ours is None or ours == value or (field == "age_max" and value == ours + 1):
            continue
        conflicts.append({"field": f"audience.{field}", "rules": ours, "llm": value})


def _schedule(request: CampaignRequest, reading: LlmCampaign, facts: TextFacts, data: dict[str, Any], fill: Any,
              conflicts: list[dict[str, Any]]) -> None:
    start = _stated_date(reading.start_date, facts)
    end = _stated_date(reading.end_date, facts)
    days = reading.duration_days
    if days is not None and (days < 1 or Decimal(days) not in facts.numbers):
        log.info("LLM parse: duration %s days is not in the text; dropped", days)
        days = None
    if start is None and end is None and days is None:
        return
    ours = request.schedule
    if not _has_schedule(data):
        fill("schedule", _consistent(start, end, days))
        return
    differs = any(mine is not None and theirs is not None and mine != theirs for mine, theirs in (
        (ours.start_date, start), (ours.end_date, end), (ours.duration_days, days)))
    if differs:
        # The model's schedule, completed from ours where it said nothing (a later start keeps our length).
        theirs = _consistent(
            start if start is not None else ours.start_date,
            end if end is not None else (None if start is not None or days is not None else ours.end_date),
            days if days is not None else (None if end is not None else ours.duration_days),
        )
        if theirs != ours.model_dump():
            conflicts.append({"field": "schedule", "rules": ours.model_dump(mode="json"),
                              "llm": {k: (v.isoformat() if isinstance(v, date) else v) for k, v in theirs.items()}})


def _consistent(start: date | None, end: date | None, days: int | None) -> dict[str, Any]:
    if start is not None and end is not None and end >= start:
        days = (end - start).days + 1
    elif start is not None and days is not None:
        end = start + timedelta(days=days - 1)
    elif end is not None and days is not None:
        start = end - timedelta(days=days - 1)
    return {"start_date": start, "end_date": end, "duration_days": days}


def _stated_date(value: str | None, facts: TextFacts) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
    month_said = day.month in facts.months or Decimal(day.month) in facts.numbers
    if Decimal(day.day) in facts.numbers and month_said:
        return day
    log.info("LLM parse: date %s is not in the text; dropped", value)
    return None


def _has_schedule(data: dict[str, Any]) -> bool:
    return any(v is not None for v in data["schedule"].values())


def _decimal(value: float) -> Decimal:
    amount = Decimal(str(value))
    return amount.to_integral_value() if amount == amount.to_integral_value() else amount


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _clean(value: str | None, limit: int) -> str | None:
    """A short single-line text from the model (untrusted input: no links, no markup, bounded)."""
    if not value:
        return None
    value = " ".join(value.split()).strip(" .,:;\"'`")
    if not value or len(value) > limit or re.search(r"https?://|www\.|[<>{}\[\]]", value):
        return None
    return value


def _find(text: str, value: str) -> Span | None:
    at = text.lower().find(value.lower())
    if at < 0:
        return None
    return Span(start=at, end=at + len(value), text=text[at:at + len(value)])
