"""RFC 9457 problem details: every error of the HTTP API, with a stable `code` (and `field` for a field).

Exception tree:
    Problem                 an error answered as application/problem+json (status, code, detail, field)
Handlers turn FastAPI's own errors (validation, HTTPException, unknown routes) into problems too, so a client
reads one shape whatever went wrong.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
          409: "Conflict", 413: "Content too large", 415: "Unsupported media type", 422: "Unprocessable content",
          429: "Too many requests", 500: "Internal server error"}
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 413: "body_too_large", 415: "unsupported_media_type", 422: "invalid_request",
          429: "rate_limited", 500: "internal_error"}


class Problem(Exception):
    """An error the API answers with; `code` is stable (clients branch on it), `detail` is for people."""

    def __init__(self, status: int, code: str, detail: str, *, field: str | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.field = field
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": f"urn:adly:problem:{self.code}", "title": TITLES.get(self.status, "Error"),
                                "status": self.status, "detail": self.detail, "code": self.code}
        if self.field is not None:
            body["field"] = self.field
        return {**body, **self.extra}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers, media_type=MEDIA_TYPE)


def not_found(what: str) -> Problem:
    return Problem(404, "not_found", f"No such {what} in this workspace.")


def problem_schema() -> dict[str, Any]:
    """The OpenAPI shape of a problem, for the responses routes declare."""
    return {
        "description": "An RFC 9457 problem",
        "content": {MEDIA_TYPE: {"schema": {"type": "object", "required": ["type", "title", "status", "code"],
                                            "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                                                           "status": {"type": "integer"},
                                                           "detail": {"type": "string"},
                                                           "code": {"type": "string"},
                                                           "field": {"type": "string"}}}}},
    }


def _field_of(location: Sequence[Any]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def install(app: FastAPI) -> None:
    """Answer every error of `app` as a problem."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return exc.response()

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        first = errors[0] if errors else {"loc": ("body",), "msg": "invalid request"}
        field = _field_of(first.get("loc", ()))
        detail = f"{field}: {first.get('msg', 'invalid')}"
        if len(errors) > 1:
            detail += f" (and {len(errors) - 1} more)"
        invalid = [{"field": _field_of(e.get("loc", ())), "message": str(e.get("msg"))} for e in errors[:20]]
        return Problem(422, "invalid_request", detail, field=field, errors=invalid).response()

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
        return Problem(exc.status_code, _CODES.get(exc.status_code, "error"), detail,
                       headers=dict(exc.headers or {})).response()

    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        reference = uuid.uuid4().hex[:8]
        log.exception("unhandled error on %s %s (reference %s)", request.method, request.url.path, reference)
        return Problem(500, "internal_error", f"Something went wrong on our side (reference {reference}).",
                       reference=reference).response()

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_crash)
