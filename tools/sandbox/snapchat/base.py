"""What every room of the Snapchat simulator stands on: the sandbox organization's ids, Snap's error answer, and
the state (store, faults, currency) with the helpers every route uses (new ids, wrapped lists, entity views)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tools.sandbox.core import FaultState, SandboxFaults, SandboxStore

NS = uuid.UUID("5a0d1e5c-0000-4000-8000-0000000ad1e5")
USER_ID = str(uuid.uuid5(NS, "user"))
ORG_ID = str(uuid.uuid5(NS, "organization"))
AD_ACCOUNT_ID = str(uuid.uuid5(NS, "adaccount"))
PROFILE_ID = str(uuid.uuid5(NS, "public_profile"))
CURRENCY = "SAR"  # the default; SandboxFaults.account_currency bills the account in another
TIMEZONE = "Asia/Riyadh"


class SnapError(Exception):
    """Snap's error answer: HTTP status, error code, message, and the wrapped list it fails an item of."""

    def __init__(self, status: int, code: str, message: str, *, items: tuple[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.items = status, code, message, items


def bad(field: str, message: str) -> SnapError:
    return SnapError(400, "E1001", f"{field}: {message}")


def now_iso(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class SnapchatSimBase:
    """The simulator's state and the helpers its rooms share."""

    def __init__(self, state_dir: Path, faults: SandboxFaults | None) -> None:
        self.store = SandboxStore(state_dir, "snapchat")
        self.faults = FaultState(faults)

    @property
    def currency(self) -> str:
        return self.faults.faults.account_currency or CURRENCY

    def _new_id(self, kind: str) -> str:
        return str(uuid.uuid5(NS, f"{kind}:{self.store.next_number(kind)}"))

    @staticmethod
    def _wrap(plural: str, singular: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
        return {plural: [{"sub_request_status": "SUCCESS", singular: r} for r in rows]}

    def _view(self, obj: dict[str, Any]) -> dict[str, Any]:
        """An entity as Snap answers it: its own fields, `created_at` as ISO-8601 (the store's is a number)."""
        view = {
            k: v for k, v in obj.items()
            if k not in ("parent_id", "account_id", "created_at", "created_at_iso", "ever_active", "status_history")
        }  # fmt: skip
        if obj.get("created_at_iso"):
            view["created_at"] = obj["created_at_iso"]
        return view
