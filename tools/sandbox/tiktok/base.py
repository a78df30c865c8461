"""What every room of the TikTok simulator stands on: the sandbox advertiser, TikTok's error answer, and the
state (store, faults, currency) every route uses."""

from __future__ import annotations

from pathlib import Path

from tools.sandbox.core import FaultState, SandboxFaults, SandboxStore

ADVERTISER_ID = "7000000000000000001"
CURRENCY = "SAR"  # the default; SandboxFaults.account_currency bills the account in another
TIMEZONE = "Asia/Riyadh"


class ApiError(Exception):
    """TikTok's application error: a code and a message, answered inside an HTTP 200 envelope."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def bad(field: str, message: str, code: int = 40002) -> ApiError:
    return ApiError(code, f"{field}: {message}")


class TikTokSimBase:
    """The simulator's state and the helpers its rooms share."""

    def __init__(self, state_dir: Path, faults: SandboxFaults | None) -> None:
        self.store = SandboxStore(state_dir, "tiktok")
        self.faults = FaultState(faults)

    @property
    def currency(self) -> str:
        return self.faults.faults.account_currency or CURRENCY

    def _new_id(self) -> str:
        return f"17{self.store.next_number('object'):017d}"
