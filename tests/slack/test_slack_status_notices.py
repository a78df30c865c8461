"""Status notices: a platform that changes a live campaign's status is heard once in the campaign's thread.

A campaign is driven to live through the conversation driver against the in-process sandbox simulators; then
the campaign is paused on Meta's side through the real client with the stored token, as a person in the Ads
Manager would, and the status job runs.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from typing import Any

from slack_harness import Slack, validate_blocks

from agent.turns import Turn
from bot.console import SEED_INSTRUCTION
from bot.scheduler import STATUS_JOB, build_scheduler
from bot.slack.status_notices import run_status_notices, status_change_message, status_jobs
from store import repositories as repo

CHANNEL = "C0CAMPAIGNS"
THREAD = "1700000000.000901"


async def _live(slack: Slack, text: str = SEED_INSTRUCTION) -> Turn:
    return await slack.drive_to_live(text, channel=CHANNEL, thread_ts=THREAD)


def _thread_posts(slack: Slack) -> list[dict[str, object]]:
    return [c.args for c in slack.fake.named("chat.postMessage")
            if c.args.get("channel") == CHANNEL and c.args.get("thread_ts") == THREAD]


def _one_new_notice(slack: Slack, before: int) -> str:
    """The one message posted in the thread since `before` posts, its blocks validated, as JSON text."""
    posts = _thread_posts(slack)[before:]
    assert len(posts) == 1
    blocks = posts[0]["blocks"]
    assert isinstance(blocks, list)
    validate_blocks(blocks)
    return json.dumps(blocks, ensure_ascii=False)


async def _meta_row(slack: Slack, campaign_id: str) -> Any:
    async with slack.services.sessions() as session:
        return next(pc for pc in await repo.campaign_tree(session=session, campaign_id=campaign_id)
                    if pc.platform == "meta")


async def test_a_campaign_paused_outside_adly_is_noticed_once_in_its_thread(slack: Slack) -> None:
    turn = await _live(slack)
    assert turn.result is not None
    campaign_id = str(turn.result["campaign_id"])
    services = slack.services
    # Right after publishing, the stored statuses match the platforms': nothing to tell.
    assert await run_status_notices(slack.door) == {"changes": 0, "posted": 0}
    before = len(_thread_posts(slack))

    async with services.sessions() as session:
        campaign = await repo.get_campaign(session=session, campaign_id=campaign_id)
        assert campaign is not None
        meta = next(pc for pc in await repo.campaign_tree(session=session, campaign_id=campaign_id)
                    if pc.platform == "meta")
        assert meta.ad_account_id and meta.external_campaign_id and meta.status == "active", meta
        account = await repo.get_ad_account(session=session, ad_account_id=meta.ad_account_id)
        assert account is not None
        token, _ = repo.read_tokens(cipher=services.ctx.cipher, account=account)
    assert token
    await services.ctx.platforms["meta"].set_status(token=token, account_id=account.external_account_id,
                                                    kind="campaign", external_ids=[meta.external_campaign_id],
                                                    status="paused")

    result = await run_status_notices(slack.door)
    assert result == {"changes": 1, "posted": 1}, result
    shown = _one_new_notice(slack, before)
    assert "Status changed on Meta" in shown and "*paused*" in shown and "active" in shown
    assert campaign.name[:50] in shown and "Not delivering on Meta" in shown

    # The change is stored: the next run reads the same status back and says nothing.
    assert await run_status_notices(slack.door) == {"changes": 0, "posted": 0}
    assert len(_thread_posts(slack)[before:]) == 1
    async with services.sessions() as session:
        meta = next(pc for pc in await repo.campaign_tree(session=session, campaign_id=campaign_id)
                    if pc.platform == "meta")
    assert meta.status == "paused"


def test_the_status_notice_speaks_arabic_and_explains_a_rejection() -> None:
    changes = [
        {"campaign_id": "c1", "campaign_name": "رمضان", "workspace_id": "w1", "conversation_id": "v1",
         "platform": "tiktok", "from": "pending_review", "to": "rejected"},
        {"campaign_id": "c1", "campaign_name": "رمضان", "workspace_id": "w1", "conversation_id": "v1",
         "platform": "meta", "from": "paused", "to": "active"},
    ]  # fmt: skip
    message = status_change_message(changes, "ar")
    validate_blocks(message.blocks)
    shown = json.dumps(message.blocks, ensure_ascii=False)
    assert "تغيّرت الحالة على" in shown and "تيك توك" in shown and "رمضان" in shown
    assert "مرفوضة في المراجعة" in shown and "قيد المراجعة" in shown and "فعّالة" in shown
    assert "مدير إعلانات تيك توك" in shown and "تُعرض مجددًا" in shown
    assert "Status" not in shown and "rejected" not in shown


def test_the_slack_job_replaces_the_plain_status_check(slack: Slack) -> None:
    plain = build_scheduler(slack.services.ctx)
    with_slack = build_scheduler(slack.services.ctx, extra_jobs=status_jobs(slack.door))
    assert plain.get_job(STATUS_JOB) is not None
    job = with_slack.get_job(STATUS_JOB)
    assert job is not None and [j.id for j in with_slack.get_jobs()].count(STATUS_JOB) == 1
    assert job.trigger.interval == timedelta(minutes=15)


def _review(slack: Slack, ad_id: str, verdict: str, platform: str = "meta") -> None:
    """A platform's reviewers decide on an ad: its review verdict, as the simulator keeps it in its state."""
    field = {"meta": "review_status", "tiktok": "audit_status", "snapchat": "review_status"}[platform]
    path = slack.services.settings.sandbox_dir / f"{platform}.sqlite"
    with sqlite3.connect(path) as db:
        (data,) = db.execute("SELECT data FROM objects WHERE kind = 'ad' AND id = ?", (ad_id,)).fetchone()
        db.execute("UPDATE objects SET data = ? WHERE kind = 'ad' AND id = ?",
                   (json.dumps({**json.loads(data), field: verdict}), ad_id))


async def test_an_ad_rejected_in_review_is_noticed_and_routine_review_is_not(slack: Slack) -> None:
    turn = await _live(slack)
    assert turn.result is not None
    campaign_id = str(turn.result["campaign_id"])
    assert await run_status_notices(slack.door) == {"changes": 0, "posted": 0}
    meta = await _meta_row(slack, campaign_id)
    ads = [a for s in meta.ad_sets for a in s.ads]
    assert len(ads) >= 2 and all(a.external_id and a.status == "active" for a in ads)
    rejected, reviewed = ads[0], ads[1]
    before = len(_thread_posts(slack))

    # An ad going back into review (e.g. after an edit in the Ads Manager) is routine: stored, not told.
    _review(slack, str(reviewed.external_id), "PENDING_REVIEW")
    assert await run_status_notices(slack.door) == {"changes": 0, "posted": 0}
    # A rejection is told, naming the ad and its language.
    _review(slack, str(rejected.external_id), "DISAPPROVED")
    assert await run_status_notices(slack.door) == {"changes": 1, "posted": 1}
    shown = _one_new_notice(slack, before)
    language = "Arabic" if rejected.language == "ar" else "English"
    assert f'ad \\"{rejected.name[:40]}' in shown and f"({language})" in shown, shown
    assert "*rejected in review*" in shown and "check the reason in the Meta (Facebook/Instagram) Ads Manager" in shown
    assert ":no_entry:" in shown

    # Stored: the next run is quiet, and the rows say what the platform says.
    assert await run_status_notices(slack.door) == {"changes": 0, "posted": 0}
    meta = await _meta_row(slack, campaign_id)
    statuses = {a.external_id: a.status for s in meta.ad_sets for a in s.ads}
    assert statuses[rejected.external_id] == "rejected" and statuses[reviewed.external_id] == "pending_review"
    assert meta.status == "active"


def test_object_lines_name_the_ad_in_the_readers_language() -> None:
    changes = [
        {"campaign_id": "c1", "campaign_name": "Ramadan", "workspace_id": "w1", "conversation_id": "v1",
         "platform": "meta", "level": "ad", "object_name": "Ramadan sale EN", "language": "en",
         "from": "active", "to": "rejected"},
        {"campaign_id": "c1", "campaign_name": "Ramadan", "workspace_id": "w1", "conversation_id": "v1",
         "platform": "meta", "level": "ad", "object_name": "Ramadan sale AR", "language": "ar",
         "from": "active", "to": "rejected"},
    ]  # fmt: skip
    shown = json.dumps(status_change_message(changes, "ar").blocks, ensure_ascii=False)
    assert 'الإعلان \\"Ramadan sale EN (الإنجليزية)\\"' in shown and "(العربية)" in shown
    # Two rejections on one platform share one hint.
    assert shown.count("مرفوضة: راجع السبب") == 1, shown


async def test_a_notice_slack_refuses_is_told_again_on_the_next_run(slack: Slack) -> None:
    turn = await _live(slack)
    assert turn.result is not None
    campaign_id = str(turn.result["campaign_id"])
    meta = await _meta_row(slack, campaign_id)
    ad = next(a for s in meta.ad_sets for a in s.ads)
    before = len(_thread_posts(slack))
    _review(slack, str(ad.external_id), "DISAPPROVED")

    slack.fake.rate_limit_next["chat.postMessage"] = 50  # Slack keeps refusing, past the client's own retries
    assert await run_status_notices(slack.door) == {"changes": 0, "posted": 0}
    assert len(_thread_posts(slack)) == before
    async with slack.services.sessions() as session:
        tree = await repo.campaign_tree(session=session, campaign_id=campaign_id)
    assert next(a for pc in tree for s in pc.ad_sets for a in s.ads if a.id == ad.id).status == "active"  # not stored

    slack.fake.rate_limit_next["chat.postMessage"] = 0
    assert await run_status_notices(slack.door) == {"changes": 1, "posted": 1}
    assert len(_thread_posts(slack)) == before + 1
    assert await run_status_notices(slack.door) == {"changes": 0, "posted": 0}


async def test_rejections_on_tiktok_and_snapchat_are_told_in_one_message(slack: Slack) -> None:
    turn = await _live(slack, "Create TikTok and Snapchat campaign for Ramadan sale with 2000 SAR budget "
                              "targeting women 25-40 in Riyadh")
    assert turn.result is not None
    async with slack.services.sessions() as session:
        tree = {pc.platform: pc for pc in await repo.campaign_tree(session=session,
                                                                     campaign_id=str(turn.result["campaign_id"]))}
    before = len(_thread_posts(slack))
    for platform, verdict in (("tiktok", "AUDIT_DENY"), ("snapchat", "REJECTED")):
        ad = next(a for s in tree[platform].ad_sets for a in s.ads)
        _review(slack, str(ad.external_id), verdict, platform)

    assert await run_status_notices(slack.door) == {"changes": 2, "posted": 1}
    shown = _one_new_notice(slack, before)
    assert "Status changed on Snapchat, TikTok" in shown, shown
    assert shown.count("*rejected in review*") == 2
    assert "TikTok Ads Manager" in shown and "Snapchat Ads Manager" in shown
    assert await run_status_notices(slack.door) == {"changes": 0, "posted": 0}


def test_a_long_list_of_changes_is_cut_with_a_count() -> None:
    changes = [
        {"campaign_id": "c1", "campaign_name": "Ramadan", "workspace_id": "w1", "conversation_id": "v1",
         "platform": "meta", "level": "ad", "object_name": f"Ad {i}", "language": "en", "from": "active",
         "to": "rejected"}
        for i in range(30)
    ]  # fmt: skip
    message = status_change_message(changes, "en")
    validate_blocks(message.blocks)
    shown = json.dumps(message.blocks, ensure_ascii=False)
    assert shown.count("rejected in review") == 19 and "(+11)" in shown
