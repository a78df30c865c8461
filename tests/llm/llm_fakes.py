"""Test doubles for the LLM parser: a fake chat model with tool calls and a fake OpenAI-compatible server."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

FIELDS: dict[str, Any] = {
    "product": None, "tone": None, "objective": None, "theme": None, "interests": [], "platforms": [],
    "budget_amount": None, "budget_currency": None, "budget_period": None, "age_min": None, "age_max": None,
    "start_date": None, "end_date": None, "duration_days": None,
}


def reading(**values: Any) -> dict[str, Any]:
    """A complete LlmCampaign payload: every field present (the schema requires them), `values` set."""
    unknown = set(values) - set(FIELDS)
    assert not unknown, unknown
    return {**FIELDS, **values}


class ToolCallingFakeModel(GenericFakeChatModel):
    """GenericFakeChatModel that accepts tools, so `with_structured_output` works (it answers with tool calls)."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return self


def fake_model(*payloads: dict[str, Any], delay_s: float = 0.0) -> ToolCallingFakeModel:
    """A model answering each call with the next payload as an `LlmCampaign` tool call."""
    messages = [
        AIMessage(content="", tool_calls=[{"name": "LlmCampaign", "args": p, "id": f"call_{i}"}])
        for i, p in enumerate(payloads)
    ]
    if delay_s:
        return SlowFakeModel(messages=iter(messages), delay_s=delay_s)
    return ToolCallingFakeModel(messages=iter(messages))


class SlowFakeModel(ToolCallingFakeModel):
    delay_s: float = 0.0

    async def _agenerate(self, *args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(self.delay_s)
        return await super()._agenerate(*args, **kwargs)


# ------------------------------------------------------------------------------- fake OpenAI-compatible server

Handler = Callable[[dict[str, Any]], "Reply"]


class Reply:
    """What the fake server does with one chat-completions request."""

    def __init__(self, payload: dict[str, Any] | None = None, *, status: int = 200, sleep_s: float = 0.0,
                 raw_content: str | None = None) -> None:
        self.payload, self.status, self.sleep_s, self.raw_content = payload, status, sleep_s, raw_content


def completion(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """An OpenAI chat.completion answering `body`: tool call when tools were sent, JSON content otherwise."""
    content = reply.raw_content if reply.raw_content is not None else json.dumps(reply.payload)
    message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": None}
    if body.get("tools"):
        name = body["tools"][0]["function"]["name"]
        message = {"role": "assistant", "content": None, "refusal": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": name, "arguments": content}}]}
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()), "model": body.get("model"),
        "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


class FakeOpenAI:
    """An ASGI app serving POST /v1/chat/completions; `handler` decides each answer; requests are recorded."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[dict[str, Any]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if scope["path"].rstrip("/") != "/v1/chat/completions" or scope["method"] != "POST":
            await _send_json(send, 404, {"error": {"message": "not found"}})
            return
        request = json.loads(body or b"{}")
        self.requests.append(request)
        reply = self.handler(request)
        if reply.sleep_s:
            await asyncio.sleep(reply.sleep_s)
        if reply.status != 200:
            await _send_json(send, reply.status, {"error": {"message": "boom", "type": "server_error"}})
            return
        await _send_json(send, 200, completion(request, reply))


async def _send_json(send: Any, status: int, data: dict[str, Any]) -> None:
    raw = json.dumps(data).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]})
    await send({"type": "http.response.body", "body": raw})


@contextmanager
def serve(app: FakeOpenAI) -> Iterator[str]:
    """Run `app` under uvicorn on a random loopback port in a thread; yields the OpenAI base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("fake OpenAI server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()
