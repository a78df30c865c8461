"""The real clients against the simulators: OAuth, paused creation, activation, idempotency, faults."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.platforms.conftest import ad_set_spec, ad_spec, avatar_file, campaign_spec, upload
from tools.platforms.base import (
    CreatedLookup,
    InvalidRequest,
    MediaSpec,
    Money,
    OutcomeUnknown,
    RateLimited,
    TokenExpired,
    TransientError,
)
from tools.sandbox import SandboxFaults

PLATFORMS = ["meta", "tiktok", "snapchat"]


async def find(
    c: Any, kind: Any, key: str, name: str, parent_id: str | None = None, since: datetime | None = None
) -> list[str]:
    """What the platform offers for a create whose answer was lost (the saga then drops ids its ledger holds)."""
    lookup = CreatedLookup(kind=kind, idempotency_key=key, name=name, parent_id=parent_id, created_since=since)
    return list(await c.client.find_created(token=c.token, account_id=c.account_id, lookup=lookup))


async def build(c: Any, tmp_path: Path) -> tuple[str, str, str]:
    media = await upload(c, tmp_path)
    campaign_id = await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec())
    ad_set_id = await c.client.create_ad_set(
        token=c.token, account_id=c.account_id, spec=ad_set_spec(campaign_id)
    )
    spec = ad_spec(ad_set_id, media, brand_avatar=avatar_file(tmp_path))
    ad = await c.client.create_ad(token=c.token, account_id=c.account_id, spec=spec)
    return campaign_id, ad_set_id, ad.ad_id


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_create_paused_then_activate(platform: str, connected: Any, tmp_path: Path) -> None:
    async with connected(platform) as c:
        assert c.account_id
        campaign_id, ad_set_id, ad_id = await build(c, tmp_path)
        chain = [("ad", ad_id), ("ad_set", ad_set_id), ("campaign", campaign_id)]
        for kind, object_id in chain:
            state = await c.client.get_state(
                token=c.token, account_id=c.account_id, kind=kind, external_id=object_id
            )
            assert state.status == "paused", (kind, state)
        # The names people see in Ads Manager are the human names alone: no key of ours rides along.
        names = {
            kind: (await c.client.get_state(token=c.token, account_id=c.account_id, kind=kind, external_id=i)).name
            for kind, i in chain
        }
        assert names == {"ad": "Ad ar", "ad_set": "Riyadh women 18-44", "campaign": "Ramadan sale"}
        for kind, object_id in chain:
            await c.client.set_status(
                token=c.token, account_id=c.account_id, kind=kind, external_ids=[object_id], status="active"
            )
        for kind, object_id in chain:
            state = await c.client.get_state(
                token=c.token, account_id=c.account_id, kind=kind, external_id=object_id
            )
            assert state.status == "active", (kind, state)
        url = c.client.ads_manager_url(account_id=c.account_id, campaign_id=campaign_id)
        assert url.startswith("https://")


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_insights_are_deterministic(platform: str, connected: Any, tmp_path: Path) -> None:
    built = datetime.now(UTC)
    clock = {"now": built}
    async with connected(platform, SandboxFaults(clock=lambda: clock["now"])) as c:
        campaign_id, ad_set_id, ad_id = await build(c, tmp_path)
        for kind, object_id in [("ad", ad_id), ("ad_set", ad_set_id), ("campaign", campaign_id)]:
            await c.client.set_status(
                token=c.token, account_id=c.account_id, kind=kind, external_ids=[object_id], status="active"
            )
        clock["now"] = built + timedelta(days=4)  # the ad set starts an hour after it was built
        riyadh_day = (built + timedelta(hours=3)).date()
        days = [riyadh_day + timedelta(days=n) for n in (1, 2, 3)]
        args = {"token": c.token, "account_id": c.account_id, "campaign_ids": [campaign_id],
                "since": days[0], "until": days[-1]}  # fmt: skip
        first = await c.client.insights(**args)
        second = await c.client.insights(**args)
        assert first == second
        assert [r.day for r in first] == days
        for row in first:
            assert row.currency == "SAR" and row.impressions > row.clicks > 0
            assert Decimal(0) < row.spend <= Decimal("200")


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_timeout_after_create_then_find_created(platform: str, connected: Any, tmp_path: Path) -> None:
    faults = SandboxFaults(timeout_after_create_on={"campaign": 1, "ad_set": 1})
    async with connected(platform, faults) as c:
        sent = datetime.now(UTC) - timedelta(seconds=1)
        with pytest.raises(OutcomeUnknown):
            await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec("ck"))
        [campaign_id] = await find(c, "campaign", "ck", "Ramadan sale", since=sent)
        with pytest.raises(OutcomeUnknown):
            await c.client.create_ad_set(
                token=c.token, account_id=c.account_id, spec=ad_set_spec(campaign_id, "sk")
            )
        assert len(await find(c, "ad_set", "sk", "Riyadh women 18-44", campaign_id, since=sent)) == 1
        # Made before the send: not this create's (TikTok and Snapchat judge by creation time).
        later = datetime.now(UTC) + timedelta(minutes=1)
        assert await find(c, "campaign", "ck", "Ramadan sale", since=later) == [] or platform == "meta"
        # Another name, or (Meta) another key's label: nothing.
        assert await find(c, "campaign", "other", "Eid sale", since=sent) == []


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_connection_refused_is_transient_and_nothing_is_created(platform: str, connected: Any) -> None:
    async with connected(platform, SandboxFaults(connect_error_on_create={"campaign": 1})) as c:
        with pytest.raises(TransientError) as info:
            await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec("ck"))
        assert not isinstance(info.value, OutcomeUnknown)
        assert await find(c, "campaign", "ck", "Ramadan sale") == []
        campaign_id = await c.client.create_campaign(
            token=c.token, account_id=c.account_id, spec=campaign_spec("ck")
        )
        assert await find(c, "campaign", "ck", "Ramadan sale") == [campaign_id]


async def test_tiktok_request_id_dedup(connected: Any) -> None:
    async with connected("tiktok") as c:
        first = await c.client.create_campaign(
            token=c.token, account_id=c.account_id, spec=campaign_spec("same")
        )
        second = await c.client.create_campaign(
            token=c.token, account_id=c.account_id, spec=campaign_spec("same")
        )
        assert first == second
        ad_set = await c.client.create_ad_set(
            token=c.token, account_id=c.account_id, spec=ad_set_spec(first, "s")
        )
        again = await c.client.create_ad_set(
            token=c.token, account_id=c.account_id, spec=ad_set_spec(first, "s")
        )
        assert ad_set == again
        rows = await c.http.get(
            "/open_api/v1.3/campaign/get/",
            params={"advertiser_id": c.account_id},
            headers={"Access-Token": c.token},
        )
        assert rows.json()["data"]["page_info"]["total_number"] == 1


async def test_tiktok_rate_limit_is_http_200_code_40100(connected: Any) -> None:
    faults = SandboxFaults()
    async with connected("tiktok", faults) as c:
        faults.rate_limit_after_calls = 0  # armed after connecting: the next call is refused
        with pytest.raises(RateLimited) as info:
            await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec())
        assert info.value.platform_code == 40100 and info.value.http_status == 200
        # The next call goes through, and the same request_id creates exactly one campaign.
        campaign_id = await c.client.create_campaign(
            token=c.token, account_id=c.account_id, spec=campaign_spec()
        )
        assert campaign_id


async def test_meta_80004_carries_retry_after(connected: Any) -> None:
    faults = SandboxFaults(rate_limit_wait_minutes=3)
    async with connected("meta", faults) as c:
        faults.rate_limit_after_calls = 0
        with pytest.raises(RateLimited) as info:
            await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec())
        assert info.value.platform_code == "80004/2446079"
        assert info.value.retry_after_s == 180


async def test_snapchat_429(connected: Any) -> None:
    faults = SandboxFaults()
    async with connected("snapchat", faults) as c:
        faults.rate_limit_after_calls = 0
        with pytest.raises(RateLimited) as info:
            await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec())
        assert info.value.http_status == 429 and info.value.retry_after_s is None


@pytest.mark.parametrize(("platform", "code"), [("meta", "190/463"), ("tiktok", 40105)])
async def test_token_expiry(platform: str, code: Any, connected: Any) -> None:
    faults = SandboxFaults()
    async with connected(platform, faults) as c:
        faults.expire_token_after_calls = 0
        with pytest.raises(TokenExpired) as info:
            await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec())
        assert info.value.platform_code == code
        with pytest.raises(TokenExpired):
            await c.client.refresh(tokens=c.tokens)


async def test_snapchat_refresh_after_expiry(connected: Any) -> None:
    faults = SandboxFaults()
    async with connected("snapchat", faults) as c:
        faults.expire_token_after_calls = 0
        with pytest.raises(TokenExpired):
            await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec())
        fresh = await c.client.refresh(tokens=c.tokens)
        assert fresh.access_token != c.token and fresh.refresh_token
        campaign_id = await c.client.create_campaign(
            token=fresh.access_token, account_id=c.account_id, spec=campaign_spec()
        )
        assert campaign_id


async def test_meta_long_lived_refresh(connected: Any) -> None:
    async with connected("meta") as c:
        fresh = await c.client.refresh(tokens=c.tokens)
        assert fresh.access_token != c.token and fresh.expires_at


@pytest.mark.parametrize(("platform", "amount", "field"), [("meta", "5", "daily_budget"), ("tiktok", "50", "budget"),
                                                           ("snapchat", "4", "daily_budget_micro")])  # fmt: skip
async def test_budget_under_minimum_names_the_field(
    platform: str, amount: str, field: str, connected: Any
) -> None:
    async with connected(platform) as c:
        campaign_id = await c.client.create_campaign(
            token=c.token, account_id=c.account_id, spec=campaign_spec()
        )
        with pytest.raises(InvalidRequest) as info:
            await c.client.create_ad_set(
                token=c.token, account_id=c.account_id, spec=ad_set_spec(campaign_id, amount=amount)
            )
        assert info.value.field == field, info.value


async def test_tiktok_lifetime_minimum_scales_with_days(connected: Any) -> None:
    async with connected("tiktok") as c:
        campaign_id = await c.client.create_campaign(
            token=c.token, account_id=c.account_id, spec=campaign_spec()
        )
        with pytest.raises(InvalidRequest) as info:
            await c.client.create_ad_set(
                token=c.token,
                account_id=c.account_id,
                spec=ad_set_spec(campaign_id, amount="300", period="lifetime"),
            )
        assert info.value.field == "budget"
        assert await c.client.create_ad_set(
            token=c.token,
            account_id=c.account_id,
            spec=ad_set_spec(campaign_id, "s2", amount="525", period="lifetime"),
        )


async def test_money_sub_unit_refused_before_sending(connected: Any) -> None:
    async with connected("meta") as c:
        campaign_id = await c.client.create_campaign(
            token=c.token, account_id=c.account_id, spec=campaign_spec()
        )
        spec = ad_set_spec(campaign_id).model_copy(update={"budget": Money(Decimal("20.005"), "SAR")})
        with pytest.raises(InvalidRequest) as info:
            await c.client.create_ad_set(token=c.token, account_id=c.account_id, spec=spec)
        assert info.value.field == "daily_budget"


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_state_persists_across_app_instances(platform: str, connected: Any, tmp_path: Path) -> None:
    state_dir = tmp_path / "shared"
    async with connected(platform, state_dir=state_dir) as c:
        campaign_id = await c.client.create_campaign(
            token=c.token, account_id=c.account_id, spec=campaign_spec("persist")
        )
        tokens, account = c.tokens, c.account_id
    from tools.platforms.registry import make_client
    from tools.sandbox import API_BASE_URLS, OAUTH_BASE_URLS, sandbox_http_client

    async with sandbox_http_client(platform, state_dir=state_dir) as http:
        client = make_client(platform, http=http, base_url=API_BASE_URLS[platform],
                             oauth_base_url=OAUTH_BASE_URLS[platform], app_id="app-123", app_secret="secret-456")  # fmt: skip
        assert [a.external_id for a in await client.list_ad_accounts(token=tokens.access_token)] == [account]
        state = await client.get_state(
            token=tokens.access_token, account_id=account, kind="campaign", external_id=campaign_id
        )
        assert state.status == "paused"
        # A fresh client (a restarted process: no cache) still finds it (Meta: the key's label, looked up).
        lookup = CreatedLookup(kind="campaign", idempotency_key="persist", name="Ramadan sale")
        assert await client.find_created(token=tokens.access_token, account_id=account, lookup=lookup) == [
            campaign_id
        ]


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_delete(platform: str, connected: Any) -> None:
    async with connected(platform) as c:
        campaign_id = await c.client.create_campaign(
            token=c.token, account_id=c.account_id, spec=campaign_spec("del")
        )
        await c.client.delete(
            token=c.token, account_id=c.account_id, kind="campaign", external_id=campaign_id
        )
        state = await c.client.get_state(
            token=c.token, account_id=c.account_id, kind="campaign", external_id=campaign_id
        )
        assert state.status == "deleted"
        assert await find(c, "campaign", "del", "Ramadan sale") == []


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_many_objects_read_back_in_one_go_in_the_order_asked(
    platform: str, connected: Any, tmp_path: Path
) -> None:
    async with connected(platform) as c:
        campaign_id, ad_set_id, ad_id = await build(c, tmp_path)
        calls: list[str] = []

        async def count(request: Any) -> None:
            calls.append(f"{request.method} {request.url.path}")

        c.client._http.event_hooks["request"].append(count)
        objects: list[Any] = [("ad", ad_id), ("campaign", campaign_id), ("ad_set", ad_set_id)]
        states = await c.client.get_states(token=c.token, account_id=c.account_id, objects=objects)
        assert [(s.kind, s.external_id, s.status) for s in states] == [(k, i, "paused") for k, i in objects]
        # Meta: one multi-ID read; TikTok: one filtered /get/ per level; Snapchat: one read per entity.
        assert len(calls) == {"meta": 1, "tiktok": 3, "snapchat": 3}[platform], calls


async def test_meta_status_changes_go_as_one_graph_batch_and_a_failed_item_raises(connected: Any, tmp_path: Path) -> None:
    async with connected("meta") as c:
        campaign_id, ad_set_id, ad_id = await build(c, tmp_path)
        calls: list[str] = []

        async def count(request: Any) -> None:
            calls.append(f"{request.method} {request.url.path}")

        c.client._http.event_hooks["request"].append(count)
        await c.client.set_status(
            token=c.token, account_id=c.account_id, kind="ad", external_ids=[ad_id, ad_set_id], status="active"
        )
        assert calls == ["POST /v26.0/"]
        states = await c.client.get_states(
            token=c.token, account_id=c.account_id, objects=[("ad", ad_id), ("ad_set", ad_set_id)]
        )
        assert {s.status for s in states} == {"active"}
        # An item that fails inside the batch (HTTP 200 for the batch) is mapped like any Graph error.
        with pytest.raises(InvalidRequest) as refused:
            await c.client.set_status(
                token=c.token, account_id=c.account_id, kind="ad", external_ids=[ad_id, "99999999"], status="paused"
            )
        assert refused.value.platform_code == "100/33"


async def test_meta_uploads_several_images_in_one_call_each_with_its_own_hash(connected: Any, tmp_path: Path) -> None:
    async with connected("meta") as c:
        calls: list[str] = []

        async def count(request: Any) -> None:
            calls.append(f"{request.method} {request.url.path}")

        c.client._http.event_hooks["request"].append(count)
        specs = []
        for i in range(3):
            path = tmp_path / f"img{i}.png"
            path.write_bytes(b"\x89PNG\r\n\x1a\n" + f"image {i}".encode() * 50)
            specs.append(MediaSpec(kind="image", path=path, name="hero", idempotency_key=f"img-{i}"))
        refs = await c.client.upload_images(token=c.token, account_id=c.account_id, specs=specs)
        assert calls == [f"POST /v26.0/{c.account_id}/adimages"]
        # In order, one hash per file (Meta's hash is the content's), though the three share a display name.
        assert [r.external_id for r in refs] == [hashlib.md5(s.path.read_bytes()).hexdigest() for s in specs]  # noqa: S324
        # A re-upload (a retry after a lost answer) is harmless: the same content answers the same hash, so
        # there is nothing to look up first.
        again = await c.client.upload_images(token=c.token, account_id=c.account_id, specs=specs)
        assert again == refs
        assert await find(c, "image", "img-0", "hero") == []
        with pytest.raises(ValueError, match="images per upload"):
            await c.client.upload_images(token=c.token, account_id=c.account_id, specs=specs * 4)
