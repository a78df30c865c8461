"""Every job a process can run, registered on its work queue: the Slack door's own (at its construction), the HTTP
API's and the scheduled ones (here), so a web process and a worker process run the same jobs the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.oauth_resume import register_oauth_jobs
from bot.recovery import recovery_job
from bot.scheduler import ScheduledJob, register_scheduled, scheduled_jobs
from bot.services import Services

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor


def front_door_jobs(services: Services, slack: SlackFrontDoor | None) -> dict[str, ScheduledJob]:
    """The scheduled jobs this installation adds to the plain ones: publish recovery, and Slack's digests,
    cleanup alerts, status notices and token warnings when Slack is configured."""
    jobs = {"publish_recovery": recovery_job(services, slack)}
    if slack is not None:
        from bot.slack.alerts import cleanup_jobs
        from bot.slack.digest import digest_jobs
        from bot.slack.status_notices import status_jobs
        from bot.slack.token_notices import token_jobs

        jobs |= {**digest_jobs(slack), **cleanup_jobs(slack), **status_jobs(slack), **token_jobs(slack)}
    return jobs


def register_jobs(services: Services, slack: SlackFrontDoor | None) -> dict[str, ScheduledJob]:
    """Register the scheduled jobs on this process's queue (Slack's listener jobs registered themselves when the
    door was built); returns what the leader schedules."""
    from bot.api import routes  # noqa: F401 - the API's job operations are defined with its routes
    from bot.api.jobs import register_api_jobs

    extra = front_door_jobs(services, slack)
    register_scheduled(services.queue, scheduled_jobs(services.ctx, extra))
    register_api_jobs(services)
    register_oauth_jobs(services, slack)
    return extra
