"""Shared client plumbing: transport-error mapping, display names, request ids, small parsing helpers."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

import httpx

from tools.platforms.base import InvalidRequest, MediaRef, MediaSpec, OutcomeUnknown, TransientError
from tools.platforms.money import MoneyError


class SingleFlight:
    """One lookup per key at a time: parallel callers wait for the first one and read its cached answer."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, asyncio.Lock] = {}

    def lock(self, key: Hashable) -> asyncio.Lock:
        return self._locks.setdefault(key, asyncio.Lock())


def display_name(name: str, max_len: int) -> str:
    """The name people see in Ads Manager: the human name as planned, trimmed to the platform's limit.

    Nothing of ours rides along (no key, no marker): a lost create is found another way (`find_created`)."""
    return name.strip()[:max_len].rstrip()


def content_file_name(name: str, content: bytes, suffix: str) -> str:
    """A file name that says what the file is and is unique to its bytes: `<name>-<12 hex of MD5>.<ext>`.

    Platforms that refuse a second file of one name (TikTok 40911) then refuse exactly a re-upload of the same
    bytes, which is safe to adopt; different bytes never share a name."""
    stem = name.strip().removesuffix(suffix) or "file"
    digest = hashlib.md5(content).hexdigest()[:12]  # noqa: S324 - a name, not a security hash
    return f"{stem[:80]}-{digest}{suffix}"


async def read_media(path: Path) -> bytes:
    """A media file's bytes, read in a worker thread: videos run to megabytes, and the event loop serves
    every other conversation and publish meanwhile."""
    return await asyncio.to_thread(path.read_bytes)


async def upload_each(
    upload: Callable[..., Awaitable[MediaRef]], *, token: str, account_id: str, specs: Sequence[MediaSpec]
) -> list[MediaRef]:
    """`upload_images` for a platform that takes one file per call: the calls go in parallel."""
    return list(await asyncio.gather(*(upload(token=token, account_id=account_id, spec=s) for s in specs)))


def numeric_request_id(idempotency_key: str) -> str:
    """TikTok's request_id must be a numeric (int64) string; 60 bits of SHA-256 keeps it positive."""
    return str(int(hashlib.sha256(idempotency_key.encode()).hexdigest()[:15], 16))


async def send(
    http: httpx.AsyncClient, method: str, url: str, *, platform: str, write: bool, **kwargs: Any
) -> httpx.Response:
    """Send one request; transport failures become TransientError, or OutcomeUnknown once a write left."""
    try:
        return await http.request(method, url, **kwargs)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        # Nothing reached the platform: retrying with the same key is safe.
        raise TransientError(f"{platform}: could not connect: {exc}", platform=platform) from exc
    except (httpx.TimeoutException, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as exc:
        if write:
            raise OutcomeUnknown(
                f"{platform}: no answer after sending {method} {httpx.URL(url).path}: {exc!r}",
                platform=platform,
            ) from exc
        raise TransientError(f"{platform}: {exc!r}", platform=platform) from exc


def money_error(exc: MoneyError, *, platform: str, field: str) -> InvalidRequest:
    return InvalidRequest(f"{field}: {exc}", platform=platform, field=field)


def json_body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {"data": body}
