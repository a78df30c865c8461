"""`adly sandbox serve`: the three simulators over HTTP on loopback, each in its own process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port_block() -> int:
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base > 65000:
            continue
        try:
            for offset in (1, 2):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", base + offset))
        except OSError:
            continue
        return base
    raise RuntimeError("no free ports")


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def test_serves_each_platform_on_its_port_and_stops_all_of_them(tmp_path: Path) -> None:
    port = _free_port_block()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("META_", "TIKTOK_", "SNAPCHAT_", "OPENAI_"))}
    env["ADLY_DATA_DIR"] = str(tmp_path)
    server = subprocess.Popen(
        [sys.executable, "-c", "from bot.cli import main; raise SystemExit(main())", "sandbox", "serve",
         "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not all(_listening(port + i) for i in range(3)):
            assert server.poll() is None, server.communicate()
            assert time.monotonic() < deadline, "the sandbox did not start"
            time.sleep(0.1)
        with httpx.Client(timeout=10) as http:
            # Each answers in its own platform's wire format (here: a refused token).
            meta = http.get(f"http://127.0.0.1:{port}/v26.0/me", headers={"Authorization": "Bearer nope"})
            assert meta.status_code in (400, 401) and meta.json()["error"]["code"] == 190, meta.text
            tiktok = http.get(
                f"http://127.0.0.1:{port + 1}/open_api/v1.3/advertiser/info/", headers={"Access-Token": "nope"}
            )
            assert tiktok.status_code == 200 and tiktok.json()["code"] != 0, tiktok.text
            snap = http.get(f"http://127.0.0.1:{port + 2}/v1/me", headers={"Authorization": "Bearer nope"})
            assert snap.status_code == 401, snap.text
    finally:
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=30)
    assert "meta" in out and "snapchat" in out
    # SIGTERM to the command stops every platform's process, not only its own.
    deadline = time.monotonic() + 10
    while any(_listening(port + i) for i in range(3)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_listening(port + i) for i in range(3))
