"""Sandbox plumbing shared by the three simulators: persistent state, fault injection, consent pages."""

from __future__ import annotations

import asyncio
import functools
import html
import json
import random
import re
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx
from starlette.datastructures import FormData
from starlette.formparsers import MultiPartParser
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

# ---------------------------------------------------------------------------------------------- faults


@dataclass
class SandboxFaults:
    """Fault injection for tests and demos. Counters live in the app instance (one process), not on disk.

    - latency_ms: the platform's response time: every answer leaves this long after its request arrived,
      the simulator's own work included (a real platform's response time includes its work too).
    - error_rate, seed: probability of a transient server error per authenticated call (seeded RNG).
    - timeout_after_create_on: {"campaign": 1} makes the 1st campaign create succeed server-side, then the
      client sees httpx.ReadTimeout (in-process) or the response hangs for `hang_s` (served over HTTP).
      Kinds: campaign, ad_set, ad, creative, image, video.
    - connect_error_on_create: {"ad_set": 2} refuses the 2nd ad set create before it reaches the server.
    - expire_token_after_calls: after N authenticated calls, the token in use expires (once, persisted).
    - rate_limit_after_calls: after N authenticated calls, the next `rate_limit_calls` calls are refused
      with the platform's rate-limit error (Meta 80004 + usage header, TikTok 40100, Snapchat 429).
    - account_currency: not a fault: the currency the sandbox ad account bills in (SAR, AED, KWD, USD),
      so money conversion can be checked per currency end to end.
    - extra_accounts: not a fault: how many more ad accounts the sandbox user owns beside the main one
      (Meta only), so choosing an account can be tested; each works like the main one.
    - server_error_on: {"me/adaccounts": 1} answers the first N authenticated calls to an API path ending
      with that text with the platform's transient server error (Meta 500 code 2, TikTok 50000, Snapchat 503).
    - clock: not a fault: the sandbox's now (a UTC-aware datetime), which dates status changes and decides
      what has been delivered so far; None is the wall clock. ADLY hands its own clock in, so a test that
      moves the app's clock moves the platforms' days with it.
    """

    latency_ms: int = 0
    error_rate: float = 0.0
    seed: int = 7
    timeout_after_create_on: dict[str, int] = field(default_factory=dict)
    connect_error_on_create: dict[str, int] = field(default_factory=dict)
    expire_token_after_calls: int | None = None
    rate_limit_after_calls: int | None = None
    rate_limit_calls: int = 1
    rate_limit_wait_minutes: float = 1  # Meta tells clients this in its usage header; tests use fractions
    timeout_mode: Literal["raise", "hang"] = "raise"
    hang_s: float = 30.0
    account_currency: str = "SAR"
    extra_accounts: int = 0
    server_error_on: dict[str, int] = field(default_factory=dict)
    clock: Callable[[], datetime] | None = None


class SimulatedTimeout(Exception):
    """Raised by an app after it stored an object; the sandbox transport turns it into httpx.ReadTimeout."""


class SimulatedConnectError(Exception):
    """Raised before anything is stored; the sandbox transport turns it into httpx.ConnectError."""


class FaultState:
    """What the faults have done so far in this app instance."""

    def __init__(self, faults: SandboxFaults | None) -> None:
        self.faults = faults or SandboxFaults()
        self.rng = random.Random(self.faults.seed)
        self.calls = 0
        self.creates: Counter[str] = Counter()
        self.expired_fired = False
        self.rate_limited = 0
        self.server_errors: Counter[str] = Counter()
        self.lock = threading.Lock()

    def now(self) -> datetime:
        """The sandbox's now, UTC-aware (`SandboxFaults.clock`, else the wall clock)."""
        now = self.faults.clock() if self.faults.clock else datetime.now(UTC)
        return now if now.tzinfo else now.replace(tzinfo=UTC)

    async def answer_after(self, started: float) -> None:
        """Wait out what is left of the response time of a request that arrived at `started` (monotonic)."""
        remaining = self.faults.latency_ms / 1000 - (time.monotonic() - started)
        if remaining > 0:
            await asyncio.sleep(remaining)

    def on_call(self, path: str = "") -> Literal["expire", "rate_limit", "transient"] | None:
        """Count one authenticated call (to API `path`) and say which fault (if any) answers it."""
        f = self.faults
        with self.lock:
            self.calls += 1
            for suffix, count in f.server_error_on.items():
                if path.strip("/").endswith(suffix) and self.server_errors[suffix] < count:
                    self.server_errors[suffix] += 1
                    return "transient"
            if (
                f.expire_token_after_calls is not None
                and not self.expired_fired
                and self.calls > f.expire_token_after_calls
            ):
                self.expired_fired = True
                return "expire"
            if (
                f.rate_limit_after_calls is not None
                and self.calls > f.rate_limit_after_calls
                and self.rate_limited < f.rate_limit_calls
            ):
                self.rate_limited += 1
                return "rate_limit"
            if f.error_rate > 0 and self.rng.random() < f.error_rate:
                return "transient"
        return None

    def before_create(self, kind: str) -> int:
        with self.lock:
            self.creates[kind] += 1
            n = self.creates[kind]
        if self.faults.connect_error_on_create.get(kind) == n:
            raise SimulatedConnectError(f"connection refused (sandbox fault: {kind} create #{n})")
        return n

    async def after_create(self, kind: str, n: int) -> None:
        if self.faults.timeout_after_create_on.get(kind) != n:
            return
        if self.faults.timeout_mode == "hang":
            await asyncio.sleep(self.faults.hang_s)
            return
        raise SimulatedTimeout(f"read timed out (sandbox fault: {kind} create #{n} was stored)")


class _HasFaults(Protocol):
    faults: FaultState


_App = TypeVar("_App", bound=_HasFaults)


def with_latency(
    handler: Callable[[_App, Request], Awaitable[Response]],
) -> Callable[[_App, Request], Awaitable[Response]]:
    """An endpoint that answers `latency_ms` after the request arrived, errors and timeouts included.

    The work is done first and the wait is what remains: the simulator's own CPU time is part of the
    platform's response time, not added to it, so a benchmark at a fixed latency measures the client.
    """

    @functools.wraps(handler)
    async def answered(app: _App, request: Request) -> Response:
        started = time.monotonic()
        try:
            response = await handler(app, request)
        except Exception:
            await app.faults.answer_after(started)
            raise
        await app.faults.answer_after(started)
        return response

    return answered


class SandboxTransport(httpx.ASGITransport):
    """ASGITransport that turns the simulators' simulated network faults into real httpx exceptions."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await super().handle_async_request(request)
        except SimulatedTimeout as exc:
            raise httpx.ReadTimeout(str(exc), request=request) from exc
        except SimulatedConnectError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc


# ---------------------------------------------------------------------------------------------- forms


class _InMemoryMultiPartParser(MultiPartParser):
    # Starlette spools parts above 1 MB to a temporary file, one thread hop per chunk written; a video is
    # megabytes, and those hops would stall every other request the simulator is answering.
    spool_max_size = 256 * 1024 * 1024


async def read_form(request: Request) -> FormData:
    """The request's form; multipart files stay in memory (see _InMemoryMultiPartParser)."""
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        return await request.form()
    return await _InMemoryMultiPartParser(request.headers, request.stream()).parse()


# ---------------------------------------------------------------------------------------------- state


class SandboxStore:
    """One SQLite file per platform in the state dir, shared safely by several processes (WAL, busy timeout).

    A connection is kept per thread and reused: the simulators answer inside an event loop, and opening a
    connection (and syncing the file) on every call would stall every other request in flight, which a real
    platform's latency never does. synchronous=NORMAL keeps WAL safe against a killed process.
    """

    def __init__(self, state_dir: Path, platform: str) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.path = state_dir / f"{platform}.sqlite"
        self.platform = platform
        self._local = threading.local()
        with self._conn() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(
                """
                CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS tokens (
                    token TEXT PRIMARY KEY, kind TEXT NOT NULL, expires_at REAL, revoked INTEGER DEFAULT 0,
                    data TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS objects (
                    kind TEXT NOT NULL, id TEXT NOT NULL, account_id TEXT, parent_id TEXT, name TEXT,
                    created_at REAL NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, id));
                CREATE INDEX IF NOT EXISTS objects_by_id ON objects (id);
                CREATE TABLE IF NOT EXISTS dedup (scope TEXT NOT NULL, request_id TEXT NOT NULL,
                    object_id TEXT NOT NULL, PRIMARY KEY (scope, request_id));
                """
            )

    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        try:
            yield db
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def next_number(self, counter: str) -> int:
        with self._conn() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT value FROM kv WHERE key = ?", (f"counter:{counter}",)).fetchone()
            value = int(row[0]) + 1 if row else 1
            db.execute(
                "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (f"counter:{counter}", str(value))
            )
            db.execute("COMMIT")
        return value

    # tokens (access tokens, refresh tokens, authorization codes) -------------------------------------

    def put_token(self, token: str, kind: str, expires_at: float | None, data: dict[str, Any]) -> None:
        with self._conn() as db:
            db.execute(
                "INSERT OR REPLACE INTO tokens (token, kind, expires_at, revoked, data) VALUES (?, ?, ?, 0, ?)",
                (token, kind, expires_at, json.dumps(data)),
            )

    def get_token(self, token: str, kind: str) -> tuple[dict[str, Any], str] | None:
        """(data, state) where state is 'ok', 'expired' or 'revoked'; None when unknown."""
        with self._conn() as db:
            row = db.execute(
                "SELECT expires_at, revoked, data FROM tokens WHERE token = ? AND kind = ?", (token, kind)
            ).fetchone()
        if row is None:
            return None
        expires_at, revoked, data = row
        state = (
            "revoked"
            if revoked
            else "expired"
            if expires_at is not None and expires_at <= time.time()
            else "ok"
        )
        return json.loads(data), state

    def expire_token(self, token: str) -> None:
        with self._conn() as db:
            db.execute("UPDATE tokens SET expires_at = ? WHERE token = ?", (time.time() - 1, token))

    def revoke_token(self, token: str) -> None:
        with self._conn() as db:
            db.execute("UPDATE tokens SET revoked = 1 WHERE token = ?", (token,))

    # objects ------------------------------------------------------------------------------------------

    def put(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        obj.setdefault("created_at", time.time())
        with self._conn() as db:
            db.execute(
                "INSERT OR REPLACE INTO objects (kind, id, account_id, parent_id, name, created_at, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (kind, obj["id"], obj.get("account_id"), obj.get("parent_id"), obj.get("name"), obj["created_at"],
                 json.dumps(obj)),
            )  # fmt: skip
        return obj

    def get(self, kind: str | None, object_id: str) -> tuple[str, dict[str, Any]] | None:
        with self._conn() as db:
            if kind is None:
                row = db.execute("SELECT kind, data FROM objects WHERE id = ?", (object_id,)).fetchone()
            else:
                row = db.execute(
                    "SELECT kind, data FROM objects WHERE kind = ? AND id = ?", (kind, object_id)
                ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def list(
        self, kind: str, *, account_id: str | None = None, parent_id: str | None = None
    ) -> list[dict[str, Any]]:
        sql, args = "SELECT data FROM objects WHERE kind = ?", [kind]
        if account_id is not None:
            sql += " AND account_id = ?"
            args.append(account_id)
        if parent_id is not None:
            sql += " AND parent_id = ?"
            args.append(parent_id)
        with self._conn() as db:
            rows = db.execute(sql + " ORDER BY created_at, id", args).fetchall()
        return [json.loads(r[0]) for r in rows]

    def dedup_get(self, scope: str, request_id: str) -> str | None:
        with self._conn() as db:
            row = db.execute(
                "SELECT object_id FROM dedup WHERE scope = ? AND request_id = ?", (scope, request_id)
            ).fetchone()
        return str(row[0]) if row else None

    def dedup_put(self, scope: str, request_id: str, object_id: str) -> None:
        with self._conn() as db:
            db.execute(
                "INSERT OR IGNORE INTO dedup (scope, request_id, object_id) VALUES (?, ?, ?)",
                (scope, request_id, object_id),
            )


# ---------------------------------------------------------------------------------------------- consent


def consent_page(request: Request, *, platform_title: str, app_field: str, scopes: str) -> Response:
    """The HTML page a user sees at the authorize URL: an Allow button and a Deny button."""
    params = dict(request.query_params)
    missing = [k for k in (app_field, "redirect_uri", "state") if not params.get(k)]
    if missing:
        return HTMLResponse(
            f"<h1>Invalid request</h1><p>Missing: {html.escape(', '.join(missing))}</p>", status_code=400
        )
    # Relative, so the form posts back to this page wherever it is mounted (under /sandbox/<platform> in
    # `adly serve`, behind a proxy that adds a path prefix, or at the root of `adly sandbox serve`).
    action = request.url.path.rsplit("/", 1)[-1]
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in params.items()
    )
    body = f"""<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{platform_title} sandbox: authorize</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; line-height: 1.5">
<h1>{platform_title} (sandbox)</h1>
<p>App <b>{html.escape(params[app_field])}</b> asks to manage your ad accounts ({html.escape(scopes)}).</p>
<p>This is ADLY's simulated {platform_title}: allowing connects a sandbox ad account; no real money is spent.</p>
<form method="post" action="{html.escape(action)}">{hidden}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></form></body></html>"""
    return HTMLResponse(body)


def redirect_with(redirect_uri: str, params: dict[str, str]) -> RedirectResponse:
    parts = urlsplit(redirect_uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return RedirectResponse(urlunsplit(parts._replace(query=urlencode(query))), status_code=302)


async def complete_consent(
    http: httpx.AsyncClient, authorize_url: str, *, decision: Literal["allow", "deny"] = "allow"
) -> str:
    """Play the user's browser on a sandbox consent page: GET it, press Allow (or Deny), return the redirect URL."""
    page = await http.get(authorize_url)
    page.raise_for_status()
    form = re.search(r'<form[^>]*action="([^"]*)"', page.text)
    if form is None:
        raise ValueError("no consent form on the authorize page")
    fields = {
        html.unescape(k): html.unescape(v)
        for k, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', page.text)
    }
    fields["decision"] = decision
    action = urljoin(str(page.url), html.unescape(form.group(1)))
    answer = await http.post(action, data=fields, follow_redirects=False)
    if answer.status_code not in (301, 302, 303, 307) or "location" not in answer.headers:
        raise ValueError(f"consent did not redirect (HTTP {answer.status_code})")
    return answer.headers["location"]
