"""A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` into a temp dir, `pg_ctl` on a free loopback port.

PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` system user (`runuser`).
`ADLY_TEST_POSTGRES_URL` (a server URL such as postgresql://user@127.0.0.1:5432) uses a running server instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN_DIRS = [Path(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]


def _tool(name: str) -> str | None:
    for folder in BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    return shutil.which(name)


def available() -> bool:
    return bool(os.environ.get("ADLY_TEST_POSTGRES_URL")) or (_tool("initdb") is not None and
                                                              _tool("pg_ctl") is not None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *command] if owner else command


@contextmanager
def running_cluster() -> Iterator[str]:
    """A server URL without a database name (`postgresql://user@127.0.0.1:port`), stopped and removed after."""
    given = os.environ.get("ADLY_TEST_POSTGRES_URL")
    if given:
        yield given.rstrip("/")
        return
    initdb, pg_ctl = _tool("initdb"), _tool("pg_ctl")
    assert initdb and pg_ctl, "PostgreSQL's initdb and pg_ctl are not installed"
    owner = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="adly-pg-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if owner:
        shutil.chown(root, owner)
        shutil.chown(sockets, owner)
    user = owner or os.environ.get("USER") or "postgres"
    port = _free_port()
    subprocess.run(_as_owner([initdb, "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8", "--no-sync",
                              "--locale=C"], owner), check=True, capture_output=True)
    options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sockets} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
    subprocess.run(_as_owner([pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "-t", "60",
                              "start"], owner), check=True, capture_output=True)
    try:
        yield f"postgresql://{user}@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_owner([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], owner),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def create_database(server_url: str, name: str | None = None) -> str:
    """A new, empty database on the server; its SQLAlchemy URL (postgresql+asyncpg://...)."""
    name = name or f"adly_{uuid.uuid4().hex[:12]}"
    psql = _tool("psql") or "psql"
    subprocess.run([psql, f"{server_url}/postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c",
                    f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
    return f"{server_url.replace('postgresql://', 'postgresql+asyncpg://', 1)}/{name}"
