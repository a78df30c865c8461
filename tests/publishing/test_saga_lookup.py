"""Lost answers are found without a key in any name: Meta by the key's ad label, TikTok and Snapchat by name,
parent and creation time, never adopting an object another ledger step holds."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections import Counter
from typing import Any

from saga_helpers import ALL_THREE, USER, approve, plan_counts, preview_plan, sim_counts, sim_objects, until
from sqlalchemy import select, update

from agent.publishing import publish_plan, withdraw_plan
from agent.turns import Where
from bot.services import open_services
from bot.settings import Settings
from store.models import PublishStep
from tools.platforms._common import numeric_request_id
from tools.sandbox import SandboxFaults

PLATFORMS = ["meta", "snapchat", "tiktok"]
# Fields of a simulator's objects that people see as names in Ads Manager or the media library.
NAME_FIELDS = ("name", "campaign_name", "adgroup_name", "ad_name", "title", "file_name", "display_name")


def _all_objects(settings: Settings, platform: str) -> list[tuple[str, dict[str, Any]]]:
    with sqlite3.connect(settings.sandbox_dir / f"{platform}.sqlite") as db:
        return [(kind, json.loads(data)) for kind, data in db.execute("SELECT kind, data FROM objects")]


def _assert_no_key_in_any_name(settings: Settings, steps: list[PublishStep]) -> int:
    """Every name of every object on every simulator is free of our keys (and of their old markers and request
    ids); ad labels, Meta's place for the key, are not names. Returns how many names were read."""
    keys = {s.idempotency_key for s in steps}
    request_ids = {numeric_request_id(k) for k in keys}
    read = 0
    for platform in PLATFORMS:
        for kind, obj in _all_objects(settings, platform):
            if kind == "adlabel":
                continue
            for field in NAME_FIELDS:
                name = str(obj.get(field) or "")
                if not name:
                    continue
                read += 1
                assert "[k:" not in name, (platform, kind, name)
                assert not any(k in name for k in keys), (platform, kind, name)
                assert not any(r in name for r in request_ids), (platform, kind, name)
    return read


async def _steps(services: Any) -> list[PublishStep]:
    async with services.sessions() as session:
        return list(await session.scalars(select(PublishStep)))


async def test_two_same_named_campaigns_from_two_conversations_are_not_confused(
    cloned: Settings, all_three_template: Any
) -> None:
    first = all_three_template.conversation_id
    # The second conversation's campaign create is stored, then its answer is lost, on every platform: the
    # lookup sees two campaigns of that name made within moments, and must take its own.
    faults = {p: SandboxFaults(timeout_after_create_on={"campaign": 2}) for p in PLATFORMS}
    async with open_services(cloned, sandbox_faults=faults) as services:
        services.ctx.publish_backoff_s = 0.01
        workspace = await services.local_workspace(USER)
        turn = await services.driver.start(
            workspace_id=workspace.id, user=USER, text=ALL_THREE, where=Where("console", "t", uuid.uuid4().hex)
        )
        second = (await until(services, turn, "preview")).conversation_id
        plan_a, _ = await preview_plan(services, first)
        plan_b, _ = await preview_plan(services, second)
        names = {p.platform: p.campaign_name for p in plan_a.platforms}
        assert names == {p.platform: p.campaign_name for p in plan_b.platforms}  # the same names, on purpose

        assert (await approve(services, await services.driver.current(first))).status == "live"
        assert (await approve(services, await services.driver.current(second))).status == "live"
        steps = await _steps(services)

    campaign_steps = [s for s in steps if s.object_kind == "campaign"]
    by_campaign = {(s.platform, s.campaign_id): s for s in campaign_steps}
    for platform in PLATFORMS:
        stored = sim_objects(cloned, platform, "campaign")
        # Two campaigns of one name, one per conversation: none duplicated, none shared.
        assert len(stored) == 2 and len({r.get("name") or r.get("campaign_name") for r in stored}) == 1
        a = by_campaign[(platform, plan_a.campaign_id)]
        b = by_campaign[(platform, plan_b.campaign_id)]
        assert {a.external_id, b.external_id} == {str(r["id"]) for r in stored}
        # B's answer was lost and looked up (Meta: by its label; others: name and time, minus A's id): its one
        # attempt adopted the campaign it made, the newer of the two.
        assert b.attempts == 1 and b.state == "created"
        newer = max(stored, key=lambda r: (r["created_at"], str(r["id"])))
        assert b.external_id == str(newer["id"])
    # Each conversation's ad sets sit under its own campaign; every object exists once.
    counts = plan_counts(plan_a)
    assert sim_counts(cloned, PLATFORMS) == {
        p: {level: 2 * n for level, n in levels.items()} for p, levels in counts.items()
    }
    assert _assert_no_key_in_any_name(cloned, steps) > 0


async def test_meta_makes_one_label_per_key_and_adopts_lost_answers_by_it(
    cloned: Settings, all_three_template: Any
) -> None:
    faults = {
        "meta": SandboxFaults(timeout_after_create_on={"campaign": 1, "ad_set": 1, "creative": 1, "ad": 1}),
        "tiktok": SandboxFaults(timeout_after_create_on={"campaign": 1, "ad_set": 1, "ad": 1}),
        "snapchat": SandboxFaults(timeout_after_create_on={"campaign": 1, "ad_set": 1, "creative": 1, "ad": 1}),
    }
    async with open_services(cloned, sandbox_faults=faults) as services:
        services.ctx.publish_backoff_s = 0.01
        plan, _ = await preview_plan(services, all_three_template.conversation_id)
        turn = await approve(services, await services.driver.current(all_three_template.conversation_id))
        assert turn.status == "live", turn
        steps = await _steps(services)
    assert sim_counts(cloned, PLATFORMS) == plan_counts(plan)
    keyed = [s for s in steps if s.platform == "meta" and s.object_kind in ("campaign", "ad_set", "creative", "ad")]
    labels = [obj for kind, obj in _all_objects(cloned, "meta") if kind == "adlabel"]
    # One label per keyed step, named after its key, made once although four creates lost their answers.
    assert Counter(label["name"] for label in labels) == Counter(s.idempotency_key for s in keyed)
    by_id = {obj["id"]: (kind, obj) for kind, obj in _all_objects(cloned, "meta")}
    for s in keyed:
        kind, obj = by_id[s.external_id]
        assert [label["name"] for label in obj["adlabels"]] == [s.idempotency_key], (kind, obj["name"])
    lost = [s for s in steps if s.attempts == 1 and s.state == "created" and s.object_kind in ("campaign", "ad_set")]
    assert {s.platform for s in lost} == set(PLATFORMS)  # every lost campaign and ad set: adopted, not re-sent
    assert _assert_no_key_in_any_name(cloned, steps) > 0


async def test_withdrawing_finds_an_ad_whose_answer_was_lost_by_the_name_it_was_sent_with(
    cloned: Settings, all_three_template: Any
) -> None:
    async with open_services(cloned) as services:
        plan, plan_hash = await preview_plan(services, all_three_template.conversation_id)
        outcomes = await publish_plan(services.ctx, plan, plan_hash)
        assert {o.state for o in outcomes.values()} == {"live"}
        steps = await _steps(services)
        # As a process that died mid-create leaves it: each platform's first ad "unknown", its id never heard.
        lost = {p: next(s for s in steps if s.platform == p and s.object_kind == "ad") for p in PLATFORMS}
        async with services.sessions() as session, session.begin():
            await session.execute(
                update(PublishStep)
                .where(PublishStep.id.in_([s.id for s in lost.values()]))
                .values(state="unknown", external_id=None)
            )
        # The plan in hand names the ads differently now; the ledger kept the names that were sent.
        for pplan in plan.platforms:
            for ad_set in pplan.ad_sets:
                for ad in ad_set.ads:
                    ad.name = f"{ad.name} (renamed)"
        withdrawn = await withdraw_plan(services.ctx, plan, plan_hash)
        assert {o.compensated for o in withdrawn.values()} == {True}, withdrawn
        after = {s.id: s for s in await _steps(services)}
    # The orphans were found (Meta by label; TikTok and Snapchat by the recorded name in their ad group or
    # squad) and deleted with the rest: nothing of the campaign is left live.
    assert sim_counts(cloned, PLATFORMS) == {p: {"campaign": 0, "ad_set": 0, "ad": 0} for p in PLATFORMS}
    for platform, step in lost.items():
        assert after[step.id].state == "compensated", (platform, after[step.id])
        assert after[step.id].external_id, platform
