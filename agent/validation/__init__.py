"""Checks a CampaignRequest against each platform's rules and returns specific, fixable, bilingual issues."""

from agent.planning import AccountFacts
from agent.validation.creative import validate_plan
from agent.validation.issues import Fix, ValidationIssue, apply_fix, blocking
from agent.validation.landing import landing_url_problem
from agent.validation.questions import clarification_question, missing_fields
from agent.validation.request import fit_inferred_schedule, schedule_from_occasion, validate_request

__all__ = [
    "AccountFacts",
    "Fix",
    "ValidationIssue",
    "apply_fix",
    "blocking",
    "clarification_question",
    "fit_inferred_schedule",
    "landing_url_problem",
    "missing_fields",
    "schedule_from_occasion",
    "validate_plan",
    "validate_request",
]
