"""A start run again after its worker died (the Slack command's job, the API's start job) continues the conversation
its first run began: one conversation, one campaign, whatever the first run got to."""

from __future__ import annotations

import uuid

import pytest
from conversation_helpers import SEED_EN, TODAY, USER
from sqlalchemy import func, select

from agent.turns import Turn, Where
from bot.console import connect_in_sandbox
from bot.services import Services, open_services
from bot.settings import Settings
from store.models import Campaign, Conversation


class WorkerDied(BaseException):
    """The process stops here: nothing after this line of the run happens (not an error the flow could catch)."""


async def _start(services: Services, key: str) -> Turn:
    workspace = await services.local_workspace(USER)
    return await services.driver.start(workspace_id=workspace.id, user=USER, text=SEED_EN,
                                       where=Where("api", "key:test"), today=TODAY, start_key=key)


async def _count(services: Services, model: type) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_the_same_key_twice_is_one_conversation(settings: Settings) -> None:
    async with open_services(settings) as services:
        first = await _start(services, "api-job:1")
        assert first.prompt is not None and first.prompt.kind == "connect"
        again = await _start(services, "api-job:1")
        assert again.conversation_id == first.conversation_id
        assert again.prompt is not None and again.prompt.interrupt_id == first.prompt.interrupt_id
        other = await _start(services, "api-job:2")
        assert other.conversation_id != first.conversation_id
        plain = await services.driver.start(
            workspace_id=(await services.local_workspace(USER)).id, user=USER, text=SEED_EN,
            where=Where("console", "t", uuid.uuid4().hex), today=TODAY)
        assert plain.conversation_id not in (first.conversation_id, other.conversation_id)


async def test_a_start_whose_worker_died_mid_generation_is_continued_not_begun_again(settings: Settings) -> None:
    async with open_services(settings) as services:
        first = await _start(services, "slack-command:trigger-1")
        assert first.prompt is not None and first.prompt.kind == "connect"

        def dies_while_generating(line: str) -> None:
            if "Generating" in line:
                raise WorkerDied  # the run connects, starts generating, and its process is gone

        with pytest.raises(WorkerDied):
            await connect_in_sandbox(services, first, USER, dies_while_generating)
        stopped = await services.driver.current(first.conversation_id)
        assert stopped.prompt is None and stopped.status == "error", stopped  # half-done, nothing to answer

        # The job runs again with the same key: the same conversation goes on from where it stopped.
        again = await _start(services, "slack-command:trigger-1")
        assert again.conversation_id == first.conversation_id
        assert again.prompt is not None and again.prompt.kind == "review", again
        assert await _count(services, Conversation) == 1 and await _count(services, Campaign) <= 1
        # Run once more (a second death after it finished): it stands at its review, nothing runs again.
        still = await _start(services, "slack-command:trigger-1")
        assert still.prompt is not None and still.prompt.interrupt_id == again.prompt.interrupt_id


def test_a_key_names_one_thread_per_workspace() -> None:
    from agent.conversations import started_thread_id

    assert started_thread_id("w1", "api-job:1") == started_thread_id("w1", "api-job:1")
    assert len({started_thread_id("w1", "api-job:1"), started_thread_id("w2", "api-job:1"),
                started_thread_id("w1", "api-job:2")}) == 3
