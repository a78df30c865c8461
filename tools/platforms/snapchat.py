"""Snap Marketing API v1 client (placeholder constants until the client lands)."""

from __future__ import annotations

API_BASE_URL = "https://adsapi.snapchat.com"
OAUTH_BASE_URL = "https://accounts.snapchat.com"
