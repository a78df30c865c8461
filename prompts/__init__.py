"""Data only: LLM prompt templates and offline copy templates, read with importlib.resources."""
