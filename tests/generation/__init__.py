"""Tests of the content generation studio (tools/generation)."""
