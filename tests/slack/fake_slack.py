"""A fake Slack Web API on loopback (random port): records every call and answers the way Slack does."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None


@dataclass
class FakeSlack:
    """`/api/{method}` like slack.com/api; `/upload/{file_id}` is the upload URL files_upload_v2 posts to."""

    teams: dict[str, str] = field(default_factory=lambda: {"xoxb-test": "T1"})  # token -> team
    calls: list[Call] = field(default_factory=list)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)  # ts -> the message as it stands now
    uploads: dict[str, int] = field(default_factory=dict)  # file id -> bytes received
    rate_limit_next: dict[str, int] = field(default_factory=dict)  # method -> how many 429s to answer first
    locales: dict[str, str] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    _server: TestServer | None = None
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    _files: Any = field(default_factory=lambda: itertools.count(1))

    async def start(self) -> FakeSlack:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)  # users.info and friends are GETs
        app.router.add_post("/upload/{file_id}", self._upload)
        self._server = TestServer(app, host="127.0.0.1", port=0)
        await self._server.start_server()
        return self

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return str(self._server.make_url("/"))

    @property
    def api_url(self) -> str:
        return self.url + "api/"

    # ------------------------------------------------------------------------------------------ queries

    def named(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def posted(self) -> list[dict[str, Any]]:
        return [self.messages[ts] for ts in sorted(self.messages, key=float)]

    def cards(self, action_prefix: str) -> list[dict[str, Any]]:
        """Messages (as they stand now) with an element whose action_id starts with `action_prefix`."""
        return [m for m in self.posted() if find_element(m.get("blocks") or [], action_prefix) is not None]

    # ------------------------------------------------------------------------------------------ handlers

    async def _args(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            data = await request.json()
            return {**request.query, **dict(data)}
        form = await request.post() if request.method == "POST" else {}
        args: dict[str, Any] = {}
        # The SDK sends some methods' arguments in the query string, others in the body.
        for key, value in [*request.query.items(), *form.items()]:
            text = str(value)
            if key in ("blocks", "view", "files", "attachments") and text[:1] in "[{":
                args[key] = json.loads(text)
            else:
                args[key] = text
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") or None
        args = await self._args(request)
        token = token or args.get("token")
        if self.rate_limit_next.get(method):
            self.rate_limit_next[method] -= 1
            self.calls.append(Call(method + "#429", args, token))
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "0"})
        self.calls.append(Call(method, args, token))
        if token not in self.teams:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        return web.json_response(self._answer(method, args, token))

    def _answer(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        team = self.teams.get(token or "", "T1")
        if method == "auth.test":
            return {"ok": True, "url": "https://test.slack.com/", "team": f"Team {team}", "user": "adly",
                    "team_id": team, "user_id": "UBOT", "bot_id": "BBOT"}
        if method == "chat.postMessage":
            ts = f"1700000100.{next(self._ts):06d}"
            message = {**args, "ts": ts}
            self.messages[ts] = message
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": {"ts": ts, **args}}
        if method == "chat.update":
            ts = str(args.get("ts"))
            if ts not in self.messages:
                return {"ok": False, "error": "message_not_found"}
            self.messages[ts] = {**self.messages[ts], **args}
            return {"ok": True, "channel": args.get("channel"), "ts": ts}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000200.{next(self._ts):06d}"}
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            return {"ok": True, "view": {"id": f"V{next(self._ts)}", **(args.get("view") or {})}}
        if method == "users.info":
            user = str(args.get("user"))
            return {"ok": True, "user": {"id": user, "name": user.lower(), "locale": self.locales.get(user, "en-US"),
                                         "profile": {"display_name": f"Name {user}", "real_name": f"Real {user}"}}}
        if method == "usergroups.users.list":
            return {"ok": True, "users": self.usergroups.get(str(args.get("usergroup")), [])}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._files):04d}"
            return {"ok": True, "upload_url": f"{self.url}upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = args.get("files")
            if isinstance(files, str):
                files = json.loads(files)
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files or []]}
        return {"ok": True}

    async def _upload(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.uploads[request.match_info["file_id"]] = len(body)
        return web.Response(text=f"OK - {len(body)}")


def find_element(blocks: list[dict[str, Any]], action_prefix: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(block, element) of the first interactive element whose action_id starts with `action_prefix`."""
    for block in blocks:
        elements = list(block.get("elements") or [])
        if block.get("accessory"):
            elements.append(block["accessory"])
        for element in elements:
            if str(element.get("action_id", "")).startswith(action_prefix):
                return block, element
    return None
