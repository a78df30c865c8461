"""Token warnings: an ad account whose token cannot be renewed is warned about once in Slack, with a Reconnect button
that opens a fresh connect link.

The Meta account is connected through the sandbox's OAuth pages; our store is then told its token expires in six
days (as if it had been connected 54 days ago), and the simulator refuses to exchange it (revoked on its side),
so it cannot be renewed.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from slack_harness import Slack, validate_blocks
from tracking.fleet import connect_account

from bot.scheduler import TOKEN_JOB, build_scheduler
from bot.slack.token_notices import run_token_notices, token_jobs
from store import repositories as repo

CHANNEL = "C0ALERTS"


async def _expiring_meta_account(slack: Slack) -> str:
    services = slack.services
    workspace_id = await slack.door.workspace_id("T1")
    async with services.sessions() as session, session.begin():
        await repo.update_workspace(session=session, workspace_id=workspace_id, digest_channel=CHANNEL)
    account_id = await connect_account(services, workspace_id, "meta")
    async with services.sessions() as session, session.begin():
        account = await repo.get_ad_account(session=session, ad_account_id=account_id)
        assert account is not None
        token, _ = repo.read_tokens(cipher=services.cipher, account=account)
        account.token_expires_at = services.ctx.clock() + timedelta(days=6)
    with sqlite3.connect(services.settings.sandbox_dir / "meta.sqlite") as db:
        db.execute("UPDATE tokens SET revoked = 1 WHERE token = ?", (token,))
    return account_id


def _warnings(slack: Slack) -> list[dict[str, object]]:
    return [c.args for c in slack.fake.named("chat.postMessage") if c.args.get("channel") == CHANNEL]


async def test_a_seven_day_warning_is_sent_once_with_a_reconnect_button(slack: Slack) -> None:
    account_id = await _expiring_meta_account(slack)

    first = await run_token_notices(slack.door)
    second = await run_token_notices(slack.door)  # the next run (or another process): nothing new to say
    assert first["posted"] == 1 and second["posted"] == 0, (first, second)
    posts = _warnings(slack)
    assert len(posts) == 1
    blocks = posts[0]["blocks"]
    assert isinstance(blocks, list)
    validate_blocks(blocks)
    shown = json.dumps(blocks, ensure_ascii=False)
    assert "connection expires in 7 days" in shown and "Reconnect Meta" in shown, shown
    assert "cannot be renewed automatically" in shown

    # The account still works until then: not marked; the warning is recorded where it went.
    async with slack.services.sessions() as session:
        account = await repo.get_ad_account(session=session, ad_account_id=account_id)
    assert account is not None and account.status == "active"

    # The button opens a fresh connect link of the workspace: our reconnect URL redirects to Meta's consent page.
    button = next(e for b in blocks if b.get("type") == "actions" for e in b["elements"])
    assert button["action_id"] == "adly.reconnect.open.meta"
    url = urlsplit(button["url"])
    assert url.path == "/oauth/meta/reconnect"
    response = await slack.http.get(f"{url.path}?{url.query}")
    assert response.status_code == 302, response.text
    target = urlsplit(response.headers["location"])
    assert target.path.endswith("/dialog/oauth") and parse_qs(target.query)["state"]
    # A ticket that was tampered with opens nothing.
    forged = await slack.http.get(f"{url.path}?{url.query[:-2]}xx")
    assert forged.status_code == 400


async def test_a_lapsed_token_is_said_once_and_the_slack_job_replaces_the_plain_one(slack: Slack) -> None:
    account_id = await _expiring_meta_account(slack)
    async with slack.services.sessions() as session, session.begin():
        account = await repo.get_ad_account(session=session, ad_account_id=account_id)
        assert account is not None
        account.token_expires_at = slack.services.ctx.clock() - timedelta(minutes=1)

    assert (await run_token_notices(slack.door))["posted"] == 1
    assert (await run_token_notices(slack.door))["posted"] == 0
    posts = _warnings(slack)
    assert len(posts) == 1 and "connection lapsed" in json.dumps(posts[0]["blocks"])
    async with slack.services.sessions() as session:
        account = await repo.get_ad_account(session=session, ad_account_id=account_id)
    assert account is not None and account.status == "needs_reconnect" and "expired" in str(account.status_reason)

    with_slack = build_scheduler(slack.services.ctx, extra_jobs=token_jobs(slack.door))
    jobs = [j for j in with_slack.get_jobs() if j.id == TOKEN_JOB]
    assert len(jobs) == 1 and jobs[0].trigger.interval == timedelta(minutes=15)


def test_the_token_warning_speaks_arabic() -> None:
    from datetime import UTC, datetime

    from agent.tracking import TokenWarning
    from bot.slack.token_notices import token_message

    warning = TokenWarning("a1", "w1", "snapchat", "متجر الرياض", "act-1", "expires_1d", "ref",
                           datetime(2027, 2, 1, 9, 30, tzinfo=UTC), None)
    message = token_message(warning, "ar", "https://adly.test/oauth/snapchat/reconnect?ticket=t")
    validate_blocks(message.blocks)
    shown = json.dumps(message.blocks, ensure_ascii=False)
    assert "ينتهي ربط سناب شات غدًا" in shown and "أعد ربط سناب شات" in shown and "2027-02-01 09:30" in shown
    assert "expires" not in shown and "Reconnect" not in shown
