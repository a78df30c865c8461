"""Alembic migrations for the store tables."""
