"""Data only: offline copy templates by theme and objective (JSON), read with importlib.resources."""
