"""What every request passes before a route runs: a bounded body, a Host we serve, and rate limits.

- Bodies: a declared Content-Length over the limit is answered 413 before a byte is read; a body without
  one (chunked) is counted as it streams and cut off at the limit. A 5 MB upload never sits in memory.
- Host: only ADLY_PUBLIC_URL's host, loopback names and ADLY_ALLOWED_HOSTS: a page on another site that
  rebinds its DNS to this server cannot talk to it. /healthz answers whatever the Host (probes use IPs).
- Rates: per API key and per workspace, on parse and generation (generation is what costs), by the `limits`
  library's moving window; over it: 429 with Retry-After.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Iterable

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.problems import Problem

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
LINGER_S = 2.0  # after a 413: how long the rest of a body is read and dropped, so the client sees the answer
LINGER_MAX_BYTES = 64 * 1024 * 1024


class BodyLimit:
    """ASGI middleware: 413 for a body over `max_bytes`, decided as early as the request allows."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        too_large = Problem(413, "body_too_large", f"The request body is over the limit of {self.max_bytes} bytes.")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await Problem(400, "bad_request", "Content-Length is not a number.").response()(scope, receive, send)
                return
            if length > self.max_bytes:
                await self._refuse(too_large, scope, receive, send)
                return
        received = 0
        started = exceeded = False

        async def counted() -> Message:
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # The app sees a client that went away; its answer is replaced by the 413 below.
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counted, sending)
        if exceeded and not started:
            await self._refuse(too_large, scope, receive, send)

    async def _refuse(self, problem: Problem, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 413 at once, then discard (never keep) what the client still sends, for a short while.

        A client writes its whole body before it reads an answer, and a server that closes on bytes still in
        flight resets the connection: the client would never see the 413. So the answer is sent whole, but
        ends only once the rest is read and dropped (bounded in time and bytes), as nginx's lingering close."""
        response = problem.response()
        response.headers["connection"] = "close"
        await send({"type": "http.response.start", "status": response.status_code,
                    "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body, "more_body": True})
        deadline = time.monotonic() + LINGER_S
        drained = 0
        with contextlib.suppress(Exception):
            while time.monotonic() < deadline and drained < LINGER_MAX_BYTES:
                message = await asyncio.wait_for(receive(), timeout=max(0.01, deadline - time.monotonic()))
                if message["type"] != "http.request":
                    break
                drained += len(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        await send({"type": "http.response.body", "body": b"", "more_body": False})


class HostCheck:
    """ASGI middleware: 421-style refusal (400 problem) of a Host this server does not answer to."""

    def __init__(self, app: ASGIApp, *, allowed: Iterable[str], open_paths: Iterable[str] = ("/healthz",)) -> None:
        self.app = app
        self.allowed = {h.lower() for h in allowed if h}
        self.open_paths = tuple(open_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.open_paths:
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name not in self.allowed:
            await Problem(400, "unknown_host", "This server does not answer to that Host.").response()(
                scope, receive, send)
            return
        await self.app(scope, receive, send)


class RateLimits:
    """Moving-window limits per key and per workspace for each costly kind of request."""

    def __init__(self, rules: dict[str, tuple[str, str]]) -> None:
        """`rules`: kind -> (per-key limit, per-workspace limit), e.g. {"generate": ("10/minute", "30/minute")}."""
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._rules: dict[str, tuple[RateLimitItem, RateLimitItem]] = {
            kind: (parse(per_key), parse(per_workspace)) for kind, (per_key, per_workspace) in rules.items()
        }

    async def check(self, kind: str, *, key_id: str, workspace_id: str) -> None:
        """Count one request; Problem 429 (with Retry-After) when the key or the workspace is over its limit."""
        per_key, per_workspace = self._rules[kind]
        for item, who in ((per_key, f"key:{key_id}"), (per_workspace, f"workspace:{workspace_id}")):
            if not await self._limiter.hit(item, kind, who):
                stats = await self._limiter.get_window_stats(item, kind, who)
                wait = max(1, math.ceil(stats.reset_time - time.time()))
                scope = "this API key" if who.startswith("key:") else "this workspace"
                raise Problem(429, "rate_limited",
                              f"Too many {kind} requests for {scope} (limit {item}); retry in {wait} s.",
                              headers={"Retry-After": str(wait)}, retry_after_s=wait)
