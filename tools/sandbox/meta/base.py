"""What every room of the Meta simulator stands on: the sandbox user's ids, Graph's error answer, and the
state (store, faults, currency) with the helpers every route uses (new ids, JSON params, cursor pages)."""

from __future__ import annotations

import base64
import json
import secrets
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from tools.sandbox.core import FaultState, SandboxFaults, SandboxStore

USER_ID = "10000000000000001"
AD_ACCOUNT_NUMBER = "20000000000000001"
AD_ACCOUNT_ID = f"act_{AD_ACCOUNT_NUMBER}"
# The ad account the request's path names (act_...): objects are stored and listed under it.
REQUEST_ACCOUNT: ContextVar[str] = ContextVar("meta_sim_account", default=AD_ACCOUNT_ID)


def account_ids(extra: int) -> list[str]:
    """The sandbox user's ad accounts: the main one, then `SandboxFaults.extra_accounts` more."""
    return [AD_ACCOUNT_ID] + [f"act_{int(AD_ACCOUNT_NUMBER) + n}" for n in range(1, extra + 1)]


PAGE_ID = "30000000000000001"
CURRENCY = "SAR"  # the default; SandboxFaults.account_currency bills the account in another
TIMEZONE = "Asia/Riyadh"


class GraphError(Exception):
    """Graph's error answer: the `error` body (code, subcode, messages, blamed field), HTTP status, headers."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        subcode: int | None = None,
        status: int = 400,
        field: str | None = None,
        user_msg: str | None = None,
        transient: bool = False,
        headers: dict[str, str] | None = None,
        error_type: str = "OAuthException",
    ) -> None:
        super().__init__(message)
        self.body: dict[str, Any] = {
            "message": message, "type": error_type, "code": code,
            "fbtrace_id": base64.b64encode(secrets.token_bytes(9)).decode(),
        }  # fmt: skip
        if subcode is not None:
            self.body["error_subcode"] = subcode
        if user_msg:
            self.body["error_user_title"] = "Invalid parameter"
            self.body["error_user_msg"] = user_msg
        if field:
            self.body["error_data"] = {"blame_field_specs": [[field]]}
        if transient:
            self.body["is_transient"] = True
        self.status = status
        self.headers = headers or {}


def invalid(field: str, message: str, subcode: int | None = None) -> GraphError:
    return GraphError(100, f"(#100) {message}", subcode=subcode, field=field, user_msg=message)


class MetaSimBase:
    """The simulator's state and the helpers its rooms share."""

    def __init__(self, state_dir: Path, faults: SandboxFaults | None) -> None:
        self.store = SandboxStore(state_dir, "meta")
        self.faults = FaultState(faults)

    @property
    def currency(self) -> str:
        return self.faults.faults.account_currency or CURRENCY

    def _new_id(self) -> str:
        return f"1202{self.store.next_number('object'):014d}"

    @staticmethod
    def _json(params: dict[str, Any], key: str, default: Any = None) -> Any:
        raw = params.get(key)
        if raw is None:
            return default
        if isinstance(raw, str) and raw[:1] in "[{":
            try:
                return json.loads(raw)
            except ValueError as exc:
                raise invalid(key, f"param {key} must be JSON-encoded") from exc
        return raw

    def _page(self, rows: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
        limit = int(params.get("limit") or 25)
        offset = int(base64.b64decode(params["after"]).decode()) if params.get("after") else 0
        chunk = rows[offset : offset + limit]
        body: dict[str, Any] = {"data": chunk}
        if rows:
            cursors = {"before": base64.b64encode(str(offset).encode()).decode(),
                       "after": base64.b64encode(str(offset + len(chunk)).encode()).decode()}  # fmt: skip
            body["paging"] = {"cursors": cursors}
            if offset + len(chunk) < len(rows):
                body["paging"]["next"] = f"https://graph.facebook.com/v26.0/page?after={cursors['after']}"
        return body
