"""Tests of the deterministic instruction parser."""
