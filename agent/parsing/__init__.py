"""Deterministic bilingual instruction parser: parse_instruction and merge_reply."""

from agent.parsing.merge import describe_changes, merge_reply
from agent.parsing.rules import parse_instruction

__all__ = ["describe_changes", "merge_reply", "parse_instruction"]
