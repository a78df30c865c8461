"""After an OAuth login: the browser is answered once the account is stored; the conversation that asked for it
resumes as a job on the work queue (validation, generation... take a minute), shown in its Slack thread."""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Any

from agent.oauth import ConnectedAccount, OAuthFailed, complete_oauth
from agent.recovery import continue_after_dead_worker
from bot.services import Services
from bot.work.queue import JobRun

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor

log = logging.getLogger(__name__)

JOB = "oauth.resume"


def register_oauth_jobs(services: Services, slack: SlackFrontDoor | None) -> None:
    if JOB not in services.queue.handlers:
        services.queue.register(JOB, lambda payload, run: _resume(services, slack, payload, run))


async def store_and_resume(services: Services, slack: SlackFrontDoor | None, platform: str, code: str,
                           state: str) -> OAuthFailed | None:
    """Exchange the code and store the account: None when stored, else why not (for the page). The conversation
    it was for is resumed by a job."""
    try:
        connected = await complete_oauth(services.ctx, platform=platform, code=code, state=state,
                                         actor=f"oauth:{platform}")
    except OAuthFailed as exc:
        return exc
    except Exception:
        log.exception("storing the %s connection failed", platform)
        return OAuthFailed("our_side")
    if connected.conversation_id is not None:
        register_oauth_jobs(services, slack)
        await services.queue.defer(JOB, {"connected": dataclasses.asdict(connected)},
                                   lock=f"conversation:{connected.conversation_id}")
    return None


async def _resume(services: Services, slack: SlackFrontDoor | None, payload: dict[str, Any], run: JobRun) -> None:
    connected = ConnectedAccount(**payload["connected"])
    conversation_id = connected.conversation_id
    assert conversation_id is not None
    driver = services.driver
    before = (await driver.current(conversation_id)).prompt
    line = await slack.renderer.progress_for(conversation_id) if slack is not None else None
    turn = None
    if run.attempt:  # its first run died with its worker: what that run left half-done continues
        turn = await continue_after_dead_worker(driver, conversation_id, progress=line)
    if turn is None:
        turn = await driver.continue_after_connect(connected, actor=f"oauth:{connected.platform}", progress=line)
    if line is not None:
        await line.settle()
    if slack is not None and turn is not None:
        await slack.renderer.deliver(conversation_id, turn, before=before)
