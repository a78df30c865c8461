"""Conversation leases: one process at a time runs a conversation's flow, wherever the click landed.

The driver takes the thread's lease (a database row, so every process sees it) before it resumes a thread and hands
it back after; while the flow runs, the lease is renewed. Each new holder gets a larger fencing token, and the
publish ledger renews the lease in the same transaction as each of its writes (`fence`): a process that lost its
lease (paused for longer than the lease, then woke up) fails that write instead of acting on a stale turn. A claimed
approval whose claimer holds no live lease was abandoned by a process that died, and may be answered again.

Exception tree:
    LeaseLost       this process no longer holds the lease it ran under (a write it guarded was not made)
    LeaseBusy       another process has held the lease for longer than anyone waits for it
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from agent.context import AgentContext
from store import repositories as repo

log = logging.getLogger(__name__)

POLL_S = 0.1  # how often a waiting process looks at the lease again


class LeaseLost(RuntimeError):
    """This process no longer holds the lease it ran under."""


class LeaseBusy(RuntimeError):
    """Another process holds the lease for longer than `wait_s`."""


@dataclass(frozen=True)
class Lease:
    thread_id: str
    holder: str
    token: int


# The lease the flow running in this task holds (set by `held`, read by `fence`).
current_lease: ContextVar[Lease | None] = ContextVar("adly_current_lease", default=None)


def holder_id() -> str:
    """This process among all of them: host, pid, and a random part (a pid is reused after a restart)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


async def fence(session: AsyncSession, ctx: AgentContext) -> None:
    """In the caller's transaction: renew the lease this flow runs under, or raise LeaseLost (the transaction
    then rolls back, and the write it guarded is not made). Outside a leased run, nothing to check."""
    lease = current_lease.get()
    if lease is None:
        return
    until = ctx.clock() + timedelta(seconds=ctx.lease_ttl_s)
    if not await repo.renew_lease(session=session, thread_id=lease.thread_id, holder=lease.holder,
                                  token=lease.token, until=until):
        raise LeaseLost(f"the lease on thread {lease.thread_id} (token {lease.token}) was taken by another process")


@contextlib.asynccontextmanager
async def held(ctx: AgentContext, thread_id: str, holder: str, *, wait_s: float) -> AsyncIterator[Lease]:
    """Hold the thread's lease for the block: wait while another process holds it (up to `wait_s`), renew it in
    the background, hand it back at the end."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    while True:
        now = ctx.clock()
        async with ctx.sessions() as session:
            token = await repo.take_lease(session=session, thread_id=thread_id, holder=holder, now=now,
                                          until=now + timedelta(seconds=ctx.lease_ttl_s))
        if token is not None:
            break
        if loop.time() >= deadline:
            raise LeaseBusy(f"thread {thread_id} is being run by another process")
        await asyncio.sleep(POLL_S)
    lease = Lease(thread_id, holder, token)
    renewing = asyncio.create_task(_renew(ctx, lease), name=f"lease-{thread_id[:8]}")
    reset = current_lease.set(lease)
    try:
        yield lease
    finally:
        current_lease.reset(reset)
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewing
        async with ctx.sessions() as session:
            await repo.end_lease(session=session, thread_id=thread_id, holder=holder, token=token, now=ctx.clock())


async def _renew(ctx: AgentContext, lease: Lease) -> None:
    while True:
        await asyncio.sleep(ctx.lease_ttl_s / 3)
        try:
            async with ctx.sessions() as session, session.begin():
                until = ctx.clock() + timedelta(seconds=ctx.lease_ttl_s)
                if not await repo.renew_lease(session=session, thread_id=lease.thread_id, holder=lease.holder,
                                              token=lease.token, until=until):
                    log.error("lost the lease on thread %s: the ledger's next write will refuse", lease.thread_id)
                    return
        except Exception:
            log.warning("renewing the lease on thread %s failed; trying again", lease.thread_id, exc_info=True)


async def claimer_alive(ctx: AgentContext, thread_id: str, holder: str) -> bool:
    """Whether a process other than `holder` runs the thread now (its claim on an approval is not abandoned)."""
    async with ctx.reads()() as session:
        lease = await repo.live_lease(session=session, thread_id=thread_id, now=ctx.clock())
    return lease is not None and lease.holder != holder


async def lease_released(ctx: AgentContext, thread_id: str, *, within_s: float) -> bool:
    """Wait until nobody holds the thread's lease (a dead holder's lapses within one TTL); False if it is still held
    after `within_s`, that is while its holder keeps renewing it: alive, and working on the thread."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    while True:
        async with ctx.reads()() as session:
            if await repo.live_lease(session=session, thread_id=thread_id, now=ctx.clock()) is None:
                return True
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(POLL_S * 10)
