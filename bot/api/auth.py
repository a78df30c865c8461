"""Who calls the API: a workspace API key (Authorization: Bearer), its user and its scopes; nothing else.

Identity comes from the key alone: a `user` in a body is never read. A key of another workspace (or a
workspace that does not exist) gets 404, so ids cannot be probed; a missing, malformed, unknown or revoked
key gets 401; a key without the scope a route needs gets 403.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Path, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.api.keys import Principal
from bot.api.problems import Problem
from bot.deps import ServicesDep

bearer = HTTPBearer(
    auto_error=False, scheme_name="apiKey", bearerFormat="adly_<id>_<secret>",
    description="A workspace API key, made with `adly api-keys create` and sent as `Authorization: Bearer <key>`.",
)
log = logging.getLogger(__name__)


def _unauthorized(detail: str) -> Problem:
    return Problem(401, "unauthorized", detail, headers={"WWW-Authenticate": 'Bearer realm="adly"'})


async def principal(
    request: Request,
    services: ServicesDep,
    workspace_id: Annotated[str, Path(max_length=64)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Principal:
    if credentials is None:
        raise _unauthorized("An API key is required: send `Authorization: Bearer <key>`.")
    found = await services.api_keys.check(credentials.credentials)
    if found is None:
        raise _unauthorized("This API key is not valid (unknown, malformed or revoked).")
    if found.workspace_id != workspace_id:
        raise Problem(404, "not_found", "No such workspace.")
    request.state.principal = found
    log.debug("API %s %s by key %s (%s)", request.method, request.url.path, found.key_id, found.user)
    return found


def requires(scope: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency: the caller, who must hold `scope` (admin holds every scope)."""

    async def check(caller: Annotated[Principal, Depends(principal)]) -> Principal:
        if scope not in caller.scopes and "admin" not in caller.scopes:
            raise Problem(403, "missing_scope", f"This API key lacks the `{scope}` scope.", scope=scope)
        return caller

    check.__name__ = f"requires_{scope}"
    return check


Reader = Annotated[Principal, Depends(requires("read"))]
Creator = Annotated[Principal, Depends(requires("create"))]
Approver = Annotated[Principal, Depends(requires("approve"))]
Publisher = Annotated[Principal, Depends(requires("publish"))]
