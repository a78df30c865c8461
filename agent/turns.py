"""What the conversation driver answers every front door: the turn to show, its pending prompt, or a refusal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

TurnStatus = Literal["waiting", "live", "failed", "cancelled", "paused", "error", "refused"]


class Prompt(BaseModel):
    """A pending question: render `payload` (a typed interaction) and answer with `interrupt_id`."""

    approval_id: str
    interrupt_id: str
    kind: str
    payload: dict[str, Any]


class Turn(BaseModel):
    """What to show next, the same for every front door."""

    conversation_id: str
    thread_id: str
    language: str = "en"
    status: TurnStatus
    prompt: Prompt | None = None
    notice: str | None = None  # a refusal or an error, in the user's language
    result: dict[str, Any] | None = None  # the final state's outcome (publish results) when the flow ended


@dataclass(frozen=True)
class Where:
    """Where a conversation lives: a Slack thread, a console session, an API call."""

    channel_kind: Literal["slack", "console", "api"]
    channel_id: str | None = None
    thread_ts: str | None = None


@dataclass(frozen=True)
class Refusal:
    """Why an answer is not taken: a stable `code` (not_approver, self_approval, stale_plan, stale_content,
    edit_rejected, unknown_account, invalid_answer, already_handled) and the sentence for the user."""

    code: str
    text: str
    field: str | None = None  # the setting or answer field it is about, when one
