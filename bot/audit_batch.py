"""Audit events of frequent, read-only actions (API parses), written in batches: one transaction per flush.

SQLite has one writer at a time; a write per request turns a burst of parses into a queue of write locks
(and busy-wait sleeps). Events wait here at most `max_delay_s`, then go in one transaction; `close()` writes
what is left, so a clean shutdown loses none. Actions that change something audit in their own transaction.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store import repositories as repo
from store.models import utcnow

log = logging.getLogger(__name__)


class AuditBatcher:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, max_delay_s: float = 0.05,
                 max_batch: int = 500) -> None:
        self._sessions = sessions
        self.max_delay_s = max_delay_s
        self.max_batch = max_batch
        self._pending: list[dict[str, Any]] = []
        self._flusher: asyncio.Task[None] | None = None

    def add(self, *, workspace_id: str | None, actor: str, action: str, subject_type: str | None = None,
            subject_id: str | None = None, details: dict[str, Any] | None = None) -> None:
        self._pending.append({"workspace_id": workspace_id, "actor": actor, "action": action,
                              "subject_type": subject_type, "subject_id": subject_id, "details": details or {},
                              "created_at": utcnow()})
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_soon(), name="audit-batch")

    async def _flush_soon(self) -> None:
        await asyncio.sleep(self.max_delay_s)
        await self.flush()

    async def flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            try:
                async with self._sessions() as session, session.begin():
                    await repo.audit_many(session=session, events=batch)
            except Exception:
                log.exception("could not write %d audit event(s); they are kept for the next flush", len(batch))
                self._pending[:0] = batch
                return

    async def close(self) -> None:
        if self._flusher is not None and not self._flusher.done():
            self._flusher.cancel()
        await self.flush()
