"""Workspace API keys: made once (the secret shown to its maker only), kept as a hash, checked in constant time.

A key reads `adly_<id>_<secret>`. The id (12 hex characters) is public: it names the key in listings, logs
and the audit trail, and finds its row. The secret is 256 bits from `secrets`; only the SHA-256 of the whole
key is stored. A slow password hash buys nothing for a random 256-bit secret and would cost every request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store import repositories as repo
from store.models import API_SCOPES, ApiKey, utcnow

KEY_PREFIX = "adly_"
ID_CHARS = 12
# Compared against when the id matches no key, so an unknown id costs the same hash and comparison.
_DUMMY_HASH = hashlib.sha256(b"no such key").hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    """A key just made: `secret` is the whole key, shown once and never stored."""

    key: ApiKey
    secret: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_scopes(text: str | Sequence[str]) -> list[str]:
    """`read,create` (or a list) as a checked, ordered list of scopes; ValueError names the unknown one."""
    wanted = [s.strip() for s in (text.split(",") if isinstance(text, str) else text) if s.strip()]
    unknown = [s for s in wanted if s not in API_SCOPES]
    if unknown:
        raise ValueError(f"unknown scope {unknown[0]!r}; scopes are {', '.join(API_SCOPES)}")
    if not wanted:
        raise ValueError(f"at least one scope is needed: {', '.join(API_SCOPES)}")
    return [s for s in API_SCOPES if s in wanted]


def key_id_of(secret: str) -> str | None:
    """The public id inside a key, or None when it does not have a key's shape."""
    if not secret.startswith(KEY_PREFIX) or len(secret) < len(KEY_PREFIX) + ID_CHARS + 2:
        return None
    key_id = secret[len(KEY_PREFIX) : len(KEY_PREFIX) + ID_CHARS]
    if secret[len(KEY_PREFIX) + ID_CHARS] != "_" or any(c not in "0123456789abcdef" for c in key_id):
        return None
    return key_id


async def create_api_key(
    *, session: AsyncSession, workspace_id: str, user_ref: str, scopes: Sequence[str], name: str | None = None
) -> IssuedKey:
    user_ref = user_ref.strip()
    if not user_ref or len(user_ref) > 128:
        raise ValueError("the key's user must be 1 to 128 characters")
    key_id = secrets.token_hex(ID_CHARS // 2)
    secret = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    row = ApiKey(id=key_id, workspace_id=workspace_id, user_ref=user_ref, scopes=parse_scopes(scopes),
                 name=(name or "").strip()[:255] or None, secret_hash=_hash(secret))
    session.add(row)
    if "admin" in row.scopes:
        # The admin scope makes its user an admin of the workspace wherever admins are asked for (approving
        # above the budget ceiling, naming approvers), as a Slack app's installer is.
        await repo.upsert_member(session=session, workspace_id=workspace_id, user_ref=user_ref, role="admin")
    await session.flush()
    return IssuedKey(row, secret)


async def list_api_keys(*, session: AsyncSession, workspace_id: str) -> list[ApiKey]:
    stmt = select(ApiKey).where(ApiKey.workspace_id == workspace_id).order_by(ApiKey.created_at, ApiKey.id)
    return list(await session.scalars(stmt))


async def revoke_api_key(*, session: AsyncSession, key_id: str) -> ApiKey | None:
    """Revoke at once (every process checks the row on every request); None when no such key."""
    row = await session.get(ApiKey, key_id.removeprefix(KEY_PREFIX))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        await session.flush()
    return row


def hash_matches(secret: str, secret_hash: str) -> bool:
    """Whether `secret` is the key `secret_hash` was made from (constant time)."""
    return hmac.compare_digest(_hash(secret), secret_hash)


async def authenticate(*, session: AsyncSession, secret: str) -> ApiKey | None:
    """The live key `secret` is, or None. The hash is compared in constant time whether or not the id exists."""
    key_id = key_id_of(secret)
    row = await session.get(ApiKey, key_id) if key_id is not None else None
    matches = hash_matches(secret, row.secret_hash if row is not None else _DUMMY_HASH)
    if row is None or not matches or row.revoked_at is not None:
        return None
    return row


async def touch_api_key(*, session: AsyncSession, key_id: str) -> None:
    """Record that the key was used now (callers do it at most once a minute: see bot/api/auth.py)."""
    await session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=utcnow()))
