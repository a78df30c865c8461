"""Analysis: the request the rules read plus the negations and cues merge_reply needs beyond it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from agent.models import CampaignRequest, Location, Span


@dataclass
class Analysis:
    """Everything parse_instruction found, including what merge_reply needs beyond the request."""

    request: CampaignRequest
    platforms_negated: set[str] = field(default_factory=set)
    publishers_negated: set[str] = field(default_factory=set)
    cues: set[str] = field(default_factory=set)
    locations_negated: list[Location] = field(default_factory=list)
    period_only: str | None = None  # "daily"/"lifetime" said without an amount
    bare_amount: Decimal | None = None  # a lone number (a reply to "what budget?")
    bare_amount_span: Span | None = None
    genders_all: bool = False  # "men and women", "everyone": an explicit "all genders"
    negation_at: int | None = None  # offset of the first negated platform or Meta app (in the folded text)
    only_at: int | None = None  # offset of the first "only"/"just"/"بس" cue
