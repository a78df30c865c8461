"""Secrets out of logs: every log record, from any logger and to any handler, is redacted when it is made.

Installed once by the `adly` command (`install_redaction`) as a log record factory, so records of our code,
httpx (request URLs), uvicorn's access log (paths with query strings) and every library pass through it,
whatever handlers exist now or later. It blanks:
- values of query parameters and form-like pairs that carry credentials (access_token, secret, code,
  auth_code, state, refresh_token, client_secret, ...), in URLs or anywhere in text;
- bearer tokens and Access-Token headers, Slack tokens (xox?-), ADLY API keys (their id is kept: it names
  the key), and every secret value the process knows from its settings.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

MASK = "[REDACTED]"
_SENSITIVE_PARAMS = (
    "access_token", "refresh_token", "token", "secret", "client_secret", "app_secret", "code", "auth_code",
    "state", "password", "api_key", "signature", "fb_exchange_token", "id_token",
)
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # name=value in query strings and form bodies (also URL-encoded inside other URLs: %3D, %26)
    (re.compile(r"(?i)(?:^|(?<=[^a-z0-9_])|(?<=%3f)|(?<=%26))(" + "|".join(_SENSITIVE_PARAMS)
                + r")(=|%3D)([^&\s\"'<>#%]+(?:%(?!26)[0-9A-Fa-f]{2}[^&\s\"'<>#%]*)*)"), r"\1\2" + MASK),
    # JSON-ish "name": "value"
    (re.compile(r"(?i)([\"'](?:" + "|".join(_SENSITIVE_PARAMS) + r")[\"']\s*:\s*[\"'])([^\"']+)"), r"\1" + MASK),
    (re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1" + MASK),
    (re.compile(r"(?i)\b(access-token[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9._~+/=-]+"), r"\1" + MASK),
    (re.compile(r"\b(xox[abposr]-)[A-Za-z0-9-]+"), r"\1" + MASK),
    (re.compile(r"\b(xapp-)[A-Za-z0-9-]+"), r"\1" + MASK),
    (re.compile(r"\b(adly_[0-9a-f]{12}_)[A-Za-z0-9_-]+"), r"\1" + MASK),
]


class Redactor:
    """The patterns above plus exact secret values (the settings' own)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = sorted({s for s in secrets if s and len(s) >= 8}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def arg(self, value: Any) -> Any:
        if isinstance(value, bool | int | float) or value is None:
            return value  # %d and %f must still format
        text = str(value)
        redacted = self(text)
        return value if redacted == text else redacted


_installed: Redactor | None = None


def install_redaction(secrets: Iterable[str] = ()) -> Redactor:
    """Redact every log record from now on (idempotent; new secrets are added to the known ones)."""
    global _installed
    if _installed is not None:
        _installed.secrets = sorted({*_installed.secrets, *(s for s in secrets if s and len(s) >= 8)},
                                    key=len, reverse=True)
        return _installed
    redactor = _installed = Redactor(secrets)
    make_record = logging.getLogRecordFactory()

    def redacted_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if isinstance(record.msg, str):
            record.msg = redactor(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redactor.arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redactor.arg(v) for k, v in record.args.items()}
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks carry URLs and reprs: format once here, redacted, and handlers reuse the text.
            record.exc_text = redactor(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = redactor(record.stack_info)
        return record

    logging.setLogRecordFactory(redacted_record)
    return redactor


def settings_secrets(settings: Any) -> list[str]:
    """Every secret value a Settings object holds (SecretStr fields), for exact-match redaction."""
    from pydantic import SecretStr

    found = []
    for name in type(settings).model_fields:
        value = getattr(settings, name, None)
        if isinstance(value, SecretStr):
            found.append(value.get_secret_value())
    return found
