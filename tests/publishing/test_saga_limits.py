"""Rate limits: TikTok's 40100 inside HTTP 200 and Meta's 80004 park the account instead of hammering it."""

from __future__ import annotations

import json
from typing import Any

from saga_helpers import CallLog, approve, plan_counts, preview_plan, sim_counts

from bot.services import open_services
from bot.settings import Settings
from tools.sandbox import SandboxFaults

PLATFORMS = ["meta", "snapchat", "tiktok"]
GRACE_S = 0.03


def _code(call: dict[str, Any]) -> Any:
    try:
        body = json.loads(call["body"])
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None  # a Graph batch answer (a list): its items are not what these tests look for
    error = body.get("error")
    return error.get("code") if isinstance(error, dict) else body.get("code")


async def test_tiktok_40100_backs_off_and_creates_nothing_twice(cloned: Settings, all_three_template: Any) -> None:
    faults = {"tiktok": SandboxFaults(rate_limit_after_calls=2, rate_limit_calls=3)}
    log = CallLog()
    async with open_services(cloned, sandbox_faults=faults) as services:
        services.ctx.publish_backoff_s = 0.2
        log.attach(services.sandboxed["tiktok"])
        plan, _ = await preview_plan(services, all_three_template.conversation_id)
        turn = await approve(services, await services.driver.current(all_three_template.conversation_id))
        assert turn.status == "live", turn
    assert sim_counts(cloned, PLATFORMS) == plan_counts(plan)
    limited = [c for c in log.calls if _code(c) == 40100]
    assert len(limited) == 3 and all(c["status"] == 200 for c in limited)  # throttled inside an HTTP 200
    # After a 40100 the account waits (0.2 s, then 0.4 s ...): no new write leaves meanwhile; at most the
    # lookups of operations already under way finish (they are parked too if they get a 40100 themselves).
    # (GRACE: the answer takes a few loop turns to reach the saga; calls already cleared to go may leave.)
    first = min(c["done"] for c in limited)
    early = [c for c in log.calls if first + GRACE_S < c["sent"] < first + 0.19]
    assert not [c for c in early if c["method"] == "POST"], early
    assert not early, early


async def test_meta_80004_parks_the_account_for_the_time_meta_asks(cloned: Settings, all_three_template: Any) -> None:
    # Meta's usage header says when access comes back (here 0.02 min = 1.2 s).
    faults = {"meta": SandboxFaults(rate_limit_after_calls=3, rate_limit_calls=1, rate_limit_wait_minutes=0.02)}
    log = CallLog()
    async with open_services(cloned, sandbox_faults=faults) as services:
        services.ctx.publish_backoff_s = 0.01  # our own backoff is tiny: only Meta's header can explain a wait
        log.attach(services.sandboxed["meta"])
        plan, _ = await preview_plan(services, all_three_template.conversation_id)
        turn = await approve(services, await services.driver.current(all_three_template.conversation_id))
        assert turn.status == "live", turn
    assert sim_counts(cloned, PLATFORMS) == plan_counts(plan)
    limited = [c for c in log.calls if _code(c) == 80004]
    assert len(limited) == 1
    blocked_at = limited[0]["done"]
    # Parked, not hammered: no branch of the Meta account sent anything until Meta's 1.2 s had passed.
    during = [c for c in log.calls if blocked_at + GRACE_S < c["sent"] < blocked_at + 1.15]
    assert not [c for c in during if c["method"] == "POST"], during
    assert not during, [(c["method"], c["path"]) for c in during]
    assert any(c["sent"] >= blocked_at + 1.15 for c in log.calls)
