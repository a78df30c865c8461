"""`adly sandbox serve`: the three simulators over HTTP on loopback, one port per platform.

Ports: Meta on --port (default 8790), TikTok on --port + 1 (8791), Snapchat on --port + 2 (8792). Paths are
as on the real hosts, OAuth pages included, e.g.
    curl 'http://127.0.0.1:8790/v26.0/me/adaccounts?access_token=...'          (graph.facebook.com)
    http://127.0.0.1:8790/v26.0/dialog/oauth?client_id=..&redirect_uri=..&state=..  (www.facebook.com)
    curl -H 'Access-Token: ...' http://127.0.0.1:8791/open_api/v1.3/oauth2/advertiser/get/?app_id=..&secret=..
    http://127.0.0.1:8791/portal/auth?app_id=..&redirect_uri=..&state=..
    curl -H 'Authorization: Bearer ...' http://127.0.0.1:8792/v1/me/organizations
    http://127.0.0.1:8792/login/oauth2/authorize?client_id=..&redirect_uri=..&response_type=code&state=..
Point META_API_BASE_URL and META_OAUTH_BASE_URL at the Meta port (likewise TIKTOK_*, SNAPCHAT_*). State lives
in the data dir's `sandbox/` folder, shared with in-process use. The "timeout after create" fault hangs the
response here (the client's own timeout fires) instead of raising. Each platform runs in a process of its
own, as the three are separate services: one platform's uploads never hold up another's answers.
"""

from __future__ import annotations

import argparse
from typing import Any

PLATFORM_OFFSETS = {"meta": 0, "tiktok": 1, "snapchat": 2}


def add_arguments(serve: argparse.ArgumentParser) -> None:
    """Options of `adly sandbox serve` (bot/cli.py already made the `serve` subcommand)."""
    serve.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, default=8790, help="Meta port; TikTok +1, Snapchat +2 (default 8790)"
    )
    serve.add_argument(
        "--log-requests", action="store_true",
        help="print one line per request: platform, method, path and status (never the query or body)",
    )


def run(args: argparse.Namespace, settings: Any) -> int:
    import multiprocessing
    import signal

    if getattr(args, "sandbox_command", "serve") != "serve":
        return 2
    faults = {
        "latency_ms": settings.sandbox_latency_ms, "error_rate": settings.sandbox_error_rate,
        "seed": settings.sandbox_seed,
    }  # fmt: skip
    spawn = multiprocessing.get_context("spawn")
    children = [
        spawn.Process(
            target=serve_one,
            args=(platform, args.host, args.port + offset, str(settings.sandbox_dir), faults, args.log_requests),
            name=f"adly-sandbox-{platform}", daemon=True,
        )  # fmt: skip
        for platform, offset in PLATFORM_OFFSETS.items()
    ]
    for platform, offset in PLATFORM_OFFSETS.items():
        print(f"{platform:9s} http://{args.host}:{args.port + offset}")
    print(f"state: {settings.sandbox_dir}", flush=True)

    def stop(*_: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        for child in children:
            child.start()
        while all(child.is_alive() for child in children):
            children[0].join(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
        for child in children:
            child.join(5)
    failed = [c.name for c in children if c.exitcode not in (0, None, -signal.SIGTERM)]
    return 1 if failed else 0


def serve_one(
    platform: str, host: str, port: int, state_dir: str, faults: dict[str, Any], log_requests: bool = False
) -> None:
    """One platform's simulator over HTTP (runs in its own process)."""
    from pathlib import Path

    import uvicorn

    from tools.sandbox import SandboxFaults, sandbox_app

    app = sandbox_app(platform, state_dir=Path(state_dir), faults=SandboxFaults(**faults, timeout_mode="hang"))
    if log_requests:
        app = _request_log(app, platform)
    uvicorn.run(app, host=host, port=port, log_level="warning", lifespan="off")


def _request_log(app: Any, platform: str) -> Any:
    """Each request as `<platform> <METHOD> <path> <status>` on stdout. Query strings carry access tokens and
    OAuth codes on these APIs, so they are never printed."""

    async def logged(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        status = 0

        async def sending(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, sending)
        finally:
            print(f"{platform} {scope['method']} {scope['path']} {status or '-'}", flush=True)

    return logged
