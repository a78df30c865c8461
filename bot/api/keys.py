"""API keys as the HTTP API sees them: who a key is (Principal), checked with a short per-process memory."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store import api_keys
from store.models import utcnow

TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is kept to the minute: one write a minute per key, not per call


@dataclass(frozen=True)
class Principal:
    """The caller: the key's workspace, user and scopes (and the key's public id, for logs and the audit)."""

    workspace_id: str
    user: str
    scopes: frozenset[str]
    key_id: str



class KeyChecker:
    """Checks keys against the store, keeping what it read for `ttl_s` (per process).

    A key is re-read at least every `ttl_s` seconds, so a revocation (made by `adly api-keys revoke` in any
    process) applies everywhere within that time, while a busy client's requests cost a dictionary lookup, a
    SHA-256 and a constant-time compare instead of a database read each. Only keys that checked out are kept.
    """

    def __init__(self, reads: async_sessionmaker[AsyncSession], writes: async_sessionmaker[AsyncSession], *,
                 ttl_s: float = 1.0, max_keys: int = 10_000) -> None:
        self._reads = reads
        self._writes = writes
        self.ttl_s = ttl_s
        self.max_keys = max_keys
        self._known: dict[str, tuple[float, str, Principal]] = {}  # key id -> (read at, secret hash, principal)
        self._touched: dict[str, datetime] = {}

    async def check(self, secret: str) -> Principal | None:
        key_id = api_keys.key_id_of(secret)
        if key_id is None:
            return None
        cached = self._known.get(key_id)
        now = time.monotonic()
        if cached is not None and now - cached[0] < self.ttl_s:
            return cached[2] if api_keys.hash_matches(secret, cached[1]) else None
        async with self._reads() as session:
            key = await api_keys.authenticate(session=session, secret=secret)
        if key is None:
            self._known.pop(key_id, None)
            return None
        found = Principal(workspace_id=key.workspace_id, user=key.user_ref, scopes=frozenset(key.scopes),
                          key_id=key.id)
        if len(self._known) >= self.max_keys:
            self._known.clear()  # a crude bound: a process serving more keys than this re-reads them
        self._known[key.id] = (now, key.secret_hash, found)
        last = self._touched.get(key.id) or key.last_used_at
        if last is None or utcnow() - last > TOUCH_EVERY:
            self._touched[key.id] = utcnow()
            async with self._writes() as session, session.begin():
                await api_keys.touch_api_key(session=session, key_id=key.id)
        return found
