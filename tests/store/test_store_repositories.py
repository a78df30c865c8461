"""Repository functions: approvals, the publish ledger, OAuth states, event dedupe, the campaign tree."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store import repositories as repo
from store.crypto import CryptoError, TokenCipher
from store.db import create_engine, create_session_factory, upgrade_database
from store.models import utcnow

CIPHER = TokenCipher({"k1": b"\x05" * 32}, "k1")


@pytest.fixture
async def factory(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    await upgrade_database(url)
    engine = create_engine(url)
    yield create_session_factory(engine)
    await engine.dispose()


async def _conversation(factory: async_sessionmaker[AsyncSession], thread_id: str = "th-1") -> tuple[str, str]:
    async with factory() as session:
        ws = await repo.get_or_create_workspace(session=session, name="acme", slack_team_id="T1")
        conv = await repo.create_conversation(
            session=session, workspace_id=ws.id, thread_id=thread_id, channel_kind="slack",
            channel_id="C1", thread_ts="111.222", requested_by="U1",
        )
        await session.commit()
        return ws.id, conv.id


async def _campaign(factory: async_sessionmaker[AsyncSession]) -> tuple[str, str]:
    ws_id, conv_id = await _conversation(factory)
    async with factory() as session:
        campaign = await repo.create_campaign(
            session=session, workspace_id=ws_id, conversation_id=conv_id, name="Ramadan", objective="traffic",
            theme="ramadan", budget_amount=Decimal("1000"), budget_currency="sar", budget_period="lifetime",
            start_date=date(2026, 2, 18), end_date=date(2026, 3, 19), request={"budget": Decimal("1000")},
            requested_by="U1",
        )
        await session.commit()
        return ws_id, campaign.id


async def test_workspace_get_or_create_is_stable(factory) -> None:
    async with factory() as session:
        a = await repo.get_or_create_workspace(session=session, name="acme", slack_team_id="T1")
        b = await repo.get_or_create_workspace(session=session, name="other name", slack_team_id="T1")
        c = await repo.get_or_create_workspace(session=session, name="console")
        d = await repo.get_or_create_workspace(session=session, name="console")
        assert a.id == b.id and c.id == d.id and a.id != c.id
        assert len(a.id) == 32 and a.default_currency == "SAR" and a.timezone == "Asia/Riyadh"


async def test_conversation_lookups(factory) -> None:
    ws_id, conv_id = await _conversation(factory)
    async with factory() as session:
        assert (await repo.get_conversation_by_thread(session=session, thread_id="th-1")).id == conv_id
        found = await repo.find_conversation(session=session, channel_kind="slack", channel_id="C1", thread_ts="111.222")
        assert found is not None and found.id == conv_id
        console = await repo.create_conversation(
            session=session, workspace_id=ws_id, thread_id="th-2", channel_kind="console", requested_by="console:me"
        )
        found = await repo.find_conversation(session=session, channel_kind="console", channel_id=None, thread_ts=None)
        assert found is not None and found.id == console.id
        await repo.update_conversation(session=session, conversation_id=conv_id, status="waiting", language="ar")
        with pytest.raises(ValueError):
            await repo.update_conversation(session=session, conversation_id=conv_id, status="bogus")
        with pytest.raises(ValueError):
            await repo.update_conversation(session=session, conversation_id=conv_id, no_such_field=1)
        waiting = await repo.list_conversations(session=session, workspace_id=ws_id, statuses=["waiting"])
        assert [c.id for c in waiting] == [conv_id]


async def test_claim_approval_only_once(factory) -> None:
    _, conv_id = await _conversation(factory)
    async with factory() as session:
        await repo.record_approval_request(
            session=session, conversation_id=conv_id, thread_id="th-1", interrupt_id="i1", kind="review",
            payload_hash="h",
        )
        await session.commit()

    async def claim(actor: str):
        async with factory() as session:
            return await repo.claim_approval(session=session, thread_id="th-1", interrupt_id="i1", actor=actor)

    results = await asyncio.gather(claim("U1"), claim("U2"))
    winners = [r for r in results if r is not None]
    assert len(winners) == 1 and winners[0].status == "claimed"
    assert winners[0].decided_by in {"U1", "U2"}

    async with factory() as session:
        assert await repo.claim_approval(session=session, thread_id="th-1", interrupt_id="i1", actor="U3") is None
        assert await repo.release_claim(session=session, approval_id=winners[0].id)
        again = await repo.claim_approval(session=session, thread_id="th-1", interrupt_id="i1", actor="U3")
        assert again is not None
        decided = await repo.finish_approval(
            session=session, approval_id=again.id, decision={"action": "approve"}, actor="U3"
        )
        assert decided is not None and decided.status == "decided" and decided.decision == {"action": "approve"}
        assert await repo.finish_approval(session=session, approval_id=again.id, decision={}, actor="U3") is None
        await session.commit()


async def test_new_approval_supersedes_older_pending(factory) -> None:
    _, conv_id = await _conversation(factory)
    async with factory() as session:
        first = await repo.record_approval_request(
            session=session, conversation_id=conv_id, thread_id="th-1", interrupt_id="i1", kind="clarify",
            payload_hash="a",
        )
        same = await repo.record_approval_request(
            session=session, conversation_id=conv_id, thread_id="th-1", interrupt_id="i1", kind="clarify",
            payload_hash="a",
        )
        assert same.id == first.id
        second = await repo.record_approval_request(
            session=session, conversation_id=conv_id, thread_id="th-1", interrupt_id="i2", kind="review",
            payload_hash="b",
        )
        await repo.set_approval_message(session=session, approval_id=second.id, channel="C1", message_ts="1.2")
        await session.commit()
    async with factory() as session:
        pending = await repo.get_pending_approval(session=session, thread_id="th-1")
        assert pending is not None and pending.interrupt_id == "i2" and pending.message_ts == "1.2"
        old = await repo.get_approval(session=session, approval_id=first.id)
        assert old is not None and old.status == "superseded"
        assert await repo.claim_approval(session=session, thread_id="th-1", interrupt_id="i1", actor="U1") is None


async def test_plan_step_never_duplicates(factory) -> None:
    _, campaign_id = await _campaign(factory)

    async def plan():
        async with factory() as session:
            step = await repo.plan_step(
                session=session, campaign_id=campaign_id, platform="meta", idempotency_key="k-campaign",
                object_kind="campaign", plan_key="meta", request={"name": "x"},
            )
            await session.commit()
            return step.id

    ids = await asyncio.gather(*(plan() for _ in range(5)))
    assert len(set(ids)) == 1
    async with factory() as session:
        step = await repo.set_step_state(session=session, idempotency_key="k-campaign", state="sending")
        step = await repo.set_step_state(session=session, idempotency_key="k-campaign", state="unknown", error="timeout")
        step = await repo.set_step_state(session=session, idempotency_key="k-campaign", state="sending")
        step = await repo.set_step_state(
            session=session, idempotency_key="k-campaign", state="created", external_id="c1", response={"id": "c1"}
        )
        assert (step.attempts, step.state, step.external_id, step.last_error) == (2, "created", "c1", "timeout")
        again = await repo.plan_step(
            session=session, campaign_id=campaign_id, platform="meta", idempotency_key="k-campaign",
            object_kind="campaign", plan_key="meta",
        )
        assert again.state == "created" and again.request == {"name": "x"}
        with pytest.raises(ValueError):
            await repo.plan_step(
                session=session, campaign_id=campaign_id, platform="tiktok", idempotency_key="k-campaign",
                object_kind="ad", plan_key="x",
            )
        assert len(await repo.list_steps(session=session, campaign_id=campaign_id)) == 1
        await session.commit()


async def test_oauth_state_consumed_once_and_not_after_expiry(factory) -> None:
    ws_id, conv_id = await _conversation(factory)
    async with factory() as session:
        live = await repo.create_oauth_state(
            session=session, workspace_id=ws_id, conversation_id=conv_id, platform="tiktok",
            redirect_uri="http://localhost/oauth/tiktok/callback", code_verifier="v",
        )
        stale = await repo.create_oauth_state(
            session=session, workspace_id=ws_id, conversation_id=conv_id, platform="meta",
            redirect_uri="http://localhost/oauth/meta/callback", ttl_s=60,
        )
        await session.commit()

    async def consume(state_id: str, now=None):
        async with factory() as session:
            return await repo.consume_oauth_state(session=session, state_id=state_id, now=now)

    results = await asyncio.gather(consume(live.id), consume(live.id))
    assert sum(r is not None for r in results) == 1
    winner = next(r for r in results if r is not None)
    assert winner.code_verifier == "v" and winner.used_at is not None
    assert await consume(stale.id, now=utcnow() + timedelta(seconds=61)) is None
    assert await consume("no-such-state") is None
    assert await consume(stale.id) is not None


async def test_mark_event_processed_once(factory) -> None:
    async def mark():
        async with factory() as session:
            return await repo.mark_event_processed(session=session, event_id="Ev123", source="slack")

    assert sorted(await asyncio.gather(mark(), mark(), mark())) == [False, False, True]
    assert await mark() is False


async def test_tokens_never_in_repr(factory) -> None:
    ws_id, _ = await _conversation(factory)
    async with factory() as session:
        account = await repo.upsert_ad_account(
            session=session, cipher=CIPHER, workspace_id=ws_id, platform="meta", external_account_id="act_1",
            name="Main", currency="SAR", timezone="Asia/Riyadh", access_token="EAAB-secret-access",
            refresh_token="secret-refresh", scopes=["ads_management"],
        )
        await session.commit()
        text = repr(account) + str(account) + repr(await repo.list_ad_accounts(session=session, workspace_id=ws_id))
        assert "secret" not in text
        assert account.access_token_enc is not None and account.access_token_enc not in text
        assert repo.read_tokens(cipher=CIPHER, account=account) == ("EAAB-secret-access", "secret-refresh")


async def test_tokens_are_bound_to_their_row(factory) -> None:
    ws_id, _ = await _conversation(factory)
    async with factory() as session:
        a = await repo.upsert_ad_account(
            session=session, cipher=CIPHER, workspace_id=ws_id, platform="meta", external_account_id="act_1",
            name="A", currency="SAR", timezone=None, access_token="token-a",
        )
        b = await repo.upsert_ad_account(
            session=session, cipher=CIPHER, workspace_id=ws_id, platform="meta", external_account_id="act_2",
            name="B", currency="SAR", timezone=None, access_token="token-b",
        )
        b.access_token_enc = a.access_token_enc
        with pytest.raises(CryptoError):
            repo.read_tokens(cipher=CIPHER, account=b)
        same = await repo.upsert_ad_account(
            session=session, cipher=CIPHER, workspace_id=ws_id, platform="meta", external_account_id="act_1",
            name="A2", currency="SAR", timezone=None, access_token="token-a2",
        )
        assert same.id == a.id
        await repo.update_tokens(session=session, cipher=CIPHER, account=same, access_token="token-a3")
        await repo.mark_account_status(session=session, ad_account_id=same.id, status="needs_reconnect")
        assert repo.read_tokens(cipher=CIPHER, account=same) == ("token-a3", None)
        assert same.status == "needs_reconnect"
        await session.rollback()


async def test_campaign_tree_and_snapshots(factory) -> None:
    ws_id, campaign_id = await _campaign(factory)
    async with factory() as session:
        campaign = await repo.get_campaign(session=session, campaign_id=campaign_id)
        assert campaign is not None and campaign.budget_currency == "SAR"
        assert campaign.request == {"budget": "1000"}  # Decimal kept exact as text in JSON
        pc = await repo.upsert_platform_campaign(session=session, campaign_id=campaign_id, platform="meta",
                                                 ad_account_id=None)
        pc2 = await repo.upsert_platform_campaign(session=session, campaign_id=campaign_id, platform="meta",
                                                  ad_account_id=None, external_campaign_id="123", status="created")
        assert pc.id == pc2.id
        ad_set = await repo.upsert_ad_set(session=session, platform_campaign_id=pc.id, plan_key="riyadh-f-25-40",
                                          name="Riyadh", targeting={"geo": ["Riyadh"]},
                                          budget_amount=Decimal("500.50"), budget_currency="SAR")
        asset = await repo.add_asset(session=session, workspace_id=ws_id, conversation_id=None, kind="image",
                                     file_path="a/b.png", mime="image/png", width=1080, height=1080,
                                     brief_hash="bh")
        for key, lang in (("ar", "ar"), ("en", "en")):
            await repo.upsert_ad(session=session, ad_set_id=ad_set.id, plan_key=key, name=f"ad {key}",
                                 language=lang, creative_data={"headline": key}, media_assets=[asset.id])
        await repo.upsert_ad(session=session, ad_set_id=ad_set.id, plan_key="en", name="ad en v2", language="en",
                             creative_data={}, media_assets=[], external_id="ad-9")
        await repo.update_campaign(session=session, campaign_id=campaign_id, status="awaiting_approval",
                                   plan={"frozen": True}, plan_hash="ph")
        await session.commit()

    async with factory() as session:
        tree = await repo.campaign_tree(session=session, campaign_id=campaign_id)
        assert [p.platform for p in tree] == ["meta"] and tree[0].external_campaign_id == "123"
        assert tree[0].ad_sets[0].budget_amount == Decimal("500.50")
        assert [(a.plan_key, a.name, a.external_id) for a in tree[0].ad_sets[0].ads] == [
            ("ar", "ad ar", None),
            ("en", "ad en v2", "ad-9"),
        ]
        listed = await repo.list_campaigns(session=session, workspace_id=ws_id, statuses=["awaiting_approval"])
        assert [c.id for c in listed] == [campaign_id]

        for impressions in (10, 25):
            await repo.upsert_snapshot(session=session, campaign_id=campaign_id, platform="meta", level="campaign",
                                       external_object_id="123", day=date(2026, 2, 20), impressions=impressions,
                                       clicks=1, spend=Decimal("12.345"), currency="SAR", conversions=0,
                                       video_views=0)
        snaps = await repo.list_snapshots(session=session, campaign_id=campaign_id)
        assert [(s.impressions, s.spend) for s in snaps] == [(25, Decimal("12.345"))]
        await session.commit()


async def test_assets_cache_and_jobs(factory) -> None:
    ws_id, conv_id = await _conversation(factory)
    async with factory() as session:
        job = await repo.start_job(session=session, workspace_id=ws_id, conversation_id=conv_id, kind="copy",
                                   provider="template", brief_hash="b1")
        first = await repo.add_asset(session=session, workspace_id=ws_id, conversation_id=conv_id, kind="copy",
                                     language="ar", text={"headline": "رمضان كريم"}, brief_hash="b1")
        await repo.finish_job(session=session, job_id=job.id, status="succeeded", result_asset_id=first.id)
        second = await repo.add_asset(session=session, workspace_id=ws_id, conversation_id=conv_id, kind="copy",
                                      language="ar", text={"headline": "v2"}, brief_hash="b1")
        await repo.update_asset(session=session, asset_id=second.id, status="superseded")
        hit = await repo.find_asset_by_brief(session=session, workspace_id=ws_id, kind="copy", brief_hash="b1")
        assert hit is not None and hit.id == first.id
        got = await repo.get_assets(session=session, asset_ids=[second.id, "missing", first.id])
        assert [a.id for a in got] == [second.id, first.id]
        await repo.audit(session=session, workspace_id=ws_id, actor="U1", action="asset.edit",
                         subject_type="content_asset", subject_id=first.id, details={"field": "headline"})
        await session.commit()


async def test_bulk_step_changes_keep_order_and_stored_values(factory) -> None:
    _, campaign_id = await _campaign(factory)
    planned = [repo.PlannedStep(campaign_id, "meta", f"k-{i}", "ad", f"ad-{i}", "set-1") for i in range(3)]
    async with factory() as session, session.begin():
        await repo.plan_steps(session=session, steps=planned)
        await repo.plan_steps(session=session, steps=planned)  # a re-run plans nothing twice
        await repo.apply_step_changes(session=session, changes=[
            repo.StepChange("k-0", "sending"),
            repo.StepChange("k-0", "unknown", error="timeout"),
            repo.StepChange("k-0", "sending"),
            repo.StepChange("k-0", "created", external_id="ad-a"),  # the error and the id are kept after this
            repo.StepChange("k-1", "failed", error="x" * 5000),
        ])  # fmt: skip
        await repo.apply_step_changes(session=session, changes=[repo.StepChange("k-0", "compensating")])
    async with factory() as session:
        states = await repo.get_step_states(session=session, idempotency_keys=["k-0", "k-1", "k-2", "nope"])
        assert set(states) == {"k-0", "k-1", "k-2"}
        assert states["k-0"] == repo.StepState(campaign_id, "meta", "ad", "compensating", "ad-a")
        steps = {s.idempotency_key: s for s in await repo.list_steps(session=session, campaign_id=campaign_id)}
        assert (steps["k-0"].attempts, steps["k-0"].last_error) == (2, "timeout")
        assert steps["k-1"].state == "failed" and len(steps["k-1"].last_error or "") == 4000
        assert (steps["k-2"].state, steps["k-2"].attempts) == ("planned", 0)
    async with factory() as session, session.begin():
        with pytest.raises(repo.NotFound):
            await repo.apply_step_changes(session=session, changes=[repo.StepChange("nope", "created")])
        with pytest.raises(ValueError, match="step state"):
            await repo.apply_step_changes(session=session, changes=[repo.StepChange("k-2", "done")])


async def test_bulk_row_changes_pick_rows_by_plan_key_existence_or_external_id(factory) -> None:
    _, campaign_id = await _campaign(factory)
    async with factory() as session, session.begin():
        for platform in ("meta", "tiktok"):
            pc = await repo.upsert_platform_campaign(session=session, campaign_id=campaign_id, platform=platform,
                                                     ad_account_id=None)
            for set_key in ("s1", "s2"):
                ad_set = await repo.upsert_ad_set(session=session, platform_campaign_id=pc.id, plan_key=set_key,
                                                  name=set_key, targeting={}, budget_amount=Decimal("10"),
                                                  budget_currency="SAR")
                for ad_key in ("ar", "en"):
                    await repo.upsert_ad(session=session, ad_set_id=ad_set.id, plan_key=ad_key, name=ad_key,
                                         language=ad_key, creative_data={}, media_assets=[])

    def change(level: str, status: str | None, **which: str) -> repo.RowChange:
        return repo.RowChange(campaign_id=campaign_id, platform="meta", level=level, status=status, **which)

    async with factory() as session, session.begin():
        await repo.apply_row_changes(session=session, changes=[
            change("campaign", "paused", plan_key="campaign", external_id="c-1"),
            change("ad_set", "paused", plan_key="s1", external_id="as-1"),
            change("ad", None, plan_key="ar", ad_set_key="s1", creative_id="cr-1"),
            change("ad", "paused", plan_key="ar", ad_set_key="s1", external_id="ad-1"),
            change("ad", "unknown", plan_key="en", ad_set_key="s2"),
            # Every ad that exists (only ad-1), then one by its external id: applied in this order.
            change("ad", "active"),
            change("ad", "deleted", match_external_id="ad-1"),
            change("ad", "paused", plan_key="en", ad_set_key="s1", external_id="ad-2"),
        ])  # fmt: skip
    async with factory() as session:
        tree = {p.platform: p for p in await repo.campaign_tree(session=session, campaign_id=campaign_id)}
        meta = tree["meta"]
        assert (meta.external_campaign_id, meta.status) == ("c-1", "paused")
        sets = {s.plan_key: s for s in meta.ad_sets}
        assert (sets["s1"].external_id, sets["s1"].status) == ("as-1", "paused")
        assert sets["s2"].external_id is None and sets["s2"].status != "paused"
        ads = {(s.plan_key, a.plan_key): (a.external_id, a.external_creative_id, a.status)
               for s in meta.ad_sets for a in s.ads}  # fmt: skip
        assert ads[("s1", "ar")] == ("ad-1", "cr-1", "deleted")
        assert ads[("s1", "en")] == ("ad-2", None, "paused")
        assert ads[("s2", "en")] == (None, None, "unknown")
        assert ads[("s2", "ar")][2] == "draft"
        # The other platform's rows are untouched.
        assert tree["tiktok"].external_campaign_id is None
        assert {a.status for s in tree["tiktok"].ad_sets for a in s.ads} == {"draft"}
    async with factory() as session, session.begin():
        with pytest.raises(ValueError, match="creative"):
            await repo.apply_row_changes(session=session, changes=[change("ad_set", None, plan_key="s1",
                                                                          creative_id="cr")])
