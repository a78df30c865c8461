"""Finding a create whose answer was lost, as each platform allows, and the simulators' side of it: Meta's ad
labels and by-label edges, TikTok's creation-time filters and file names, Snapchat's created_at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.platforms.conftest import ad_set_spec, campaign_spec, connect
from tools.platforms.base import CreatedLookup, MediaSpec, OutcomeUnknown, TransientError
from tools.sandbox import SandboxFaults


def _lookup(kind: Any, key: str, name: str, **kw: Any) -> CreatedLookup:
    return CreatedLookup(kind=kind, idempotency_key=key, name=name, **kw)


async def _labels(c: Any) -> list[dict[str, Any]]:
    answer = await c.http.get(
        f"/v26.0/{c.account_id}/adlabels", params={"fields": "id,name", "limit": 500},
        headers={"Authorization": f"Bearer {c.token}"},
    )  # fmt: skip
    return list(answer.json()["data"])


async def test_meta_label_is_made_once_per_key_and_reused_on_retry_and_after_a_restart(
    connected: Any, tmp_path: Path
) -> None:
    async with connected("meta", SandboxFaults(connect_error_on_create={"campaign": 1})) as c:
        posts: list[str] = []

        async def count(request: Any) -> None:
            if request.method == "POST":
                posts.append(request.url.path.rsplit("/", 1)[-1])

        c.client._http.event_hooks["request"].append(count)
        with pytest.raises(TransientError):
            await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec("ck"))
        campaign_id = await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec("ck"))
        assert posts == ["adlabels", "campaigns", "campaigns"]  # the label once, the create twice
        [label] = await _labels(c)
        assert label["name"] == "ck"
        state = await c.http.get(
            f"/v26.0/{campaign_id}", params={"fields": "name,adlabels"}, headers={"Authorization": f"Bearer {c.token}"}
        )
        assert state.json()["name"] == "Ramadan sale"
        assert [lab["id"] for lab in state.json()["adlabels"]] == [label["id"]]
        tokens, account = c.tokens, c.account_id
    # A new process (no cache) creating under the same key: Graph refuses a second label of that name, and the
    # client reuses the first one instead of failing or making another.
    async with connect("meta", tmp_path / "sandbox") as fresh:
        assert fresh.account_id == account
        ad_set_id = await fresh.client.create_ad_set(
            token=fresh.token, account_id=account, spec=ad_set_spec(campaign_id, "ck")
        )
        assert [lab["name"] for lab in await _labels(fresh)] == ["ck"]
        found = await fresh.client.find_created(
            token=tokens.access_token, account_id=account,
            lookup=_lookup("ad_set", "ck", "Riyadh women 18-44", parent_id=campaign_id),
        )  # fmt: skip
        assert found == [ad_set_id]


async def test_meta_lookup_is_by_label_not_by_name(connected: Any) -> None:
    async with connected("meta", SandboxFaults(timeout_after_create_on={"campaign": 2})) as c:
        mine = await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec("a"))
        with pytest.raises(OutcomeUnknown):
            await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec("b"))
        # Same name, two keys: each key's label names exactly its campaign.
        a = await c.client.find_created(token=c.token, account_id=c.account_id, lookup=_lookup("campaign", "a", "x"))
        b = await c.client.find_created(token=c.token, account_id=c.account_id, lookup=_lookup("campaign", "b", "x"))
        assert a == [mine] and len(b) == 1 and b != a


@pytest.mark.parametrize("platform", ["tiktok", "snapchat"])
async def test_same_named_objects_are_all_offered_oldest_first_and_bounded_by_creation_time(
    platform: str, connected: Any
) -> None:
    clock = {"now": datetime(2027, 2, 1, 9, 0, tzinfo=UTC)}
    async with connected(platform, SandboxFaults(clock=lambda: clock["now"])) as c:
        older = await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec("a"))
        clock["now"] += timedelta(minutes=10)
        sent = clock["now"]
        newer = await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec("b"))
        both = await c.client.find_created(
            token=c.token, account_id=c.account_id, lookup=_lookup("campaign", "b", "Ramadan sale")
        )
        assert both == [older, newer]  # the caller's ledger tells them apart
        since = await c.client.find_created(
            token=c.token, account_id=c.account_id,
            lookup=_lookup("campaign", "b", "Ramadan sale", created_since=sent - timedelta(minutes=1)),
        )  # fmt: skip
        assert since == [newer]
        other = await c.client.find_created(
            token=c.token, account_id=c.account_id, lookup=_lookup("campaign", "b", "Ramadan sale 2")
        )
        assert other == []  # exact names only: a longer name is another campaign


async def test_snapchat_entities_carry_created_at(connected: Any) -> None:
    async with connected("snapchat") as c:
        campaign_id = await c.client.create_campaign(token=c.token, account_id=c.account_id, spec=campaign_spec())
        answer = await c.http.get(f"/v1/campaigns/{campaign_id}", headers={"Authorization": f"Bearer {c.token}"})
        campaign = answer.json()["campaigns"][0]["campaign"]
        made = datetime.fromisoformat(campaign["created_at"].replace("Z", "+00:00"))
        assert abs(made - datetime.now(UTC)) < timedelta(minutes=1)


async def test_tiktok_files_are_named_by_content_and_a_re_upload_adopts_the_first(
    connected: Any, tmp_path: Path
) -> None:
    image = tmp_path / "hero.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"sandbox-image" * 10)
    async with connected("tiktok") as c:
        first = await c.client.upload_media(
            token=c.token, account_id=c.account_id,
            spec=MediaSpec(kind="image", path=image, name="adly-asset.png", idempotency_key="k1"),
        )  # fmt: skip
        # Another key (a retry after a lost answer, or another campaign using the asset): 40911, adopted.
        again = await c.client.upload_media(
            token=c.token, account_id=c.account_id,
            spec=MediaSpec(kind="image", path=image, name="adly-asset.png", idempotency_key="k2"),
        )  # fmt: skip
        assert again == first
        answer = await c.http.get(
            "/open_api/v1.3/file/image/ad/search/", params={"advertiser_id": c.account_id, "page_size": 100},
            headers={"Access-Token": c.token},
        )  # fmt: skip
        [row] = answer.json()["data"]["list"]
        assert row["file_name"].startswith("adly-asset-") and row["file_name"].endswith(".png")
        assert "[k:" not in row["file_name"] and "k1" not in row["file_name"]


async def test_simulators_refuse_malformed_lookups_as_the_platforms_do(connected: Any) -> None:
    async with connected("meta") as c:
        auth = {"Authorization": f"Bearer {c.token}"}
        missing = await c.http.get(f"/v26.0/{c.account_id}/campaignsbylabels", params={"fields": "id"}, headers=auth)
        assert missing.status_code == 400
        assert missing.json()["error"]["code"] == 100 and "ad_label_ids" in missing.json()["error"]["message"]
        bad_operator = await c.http.get(
            f"/v26.0/{c.account_id}/adsbylabels", params={"ad_label_ids": '["1"]', "operator": "SOME"}, headers=auth
        )
        assert bad_operator.json()["error"]["code"] == 100
        unknown = await c.http.post(
            f"/v26.0/{c.account_id}/campaigns",
            data={"name": "x", "objective": "OUTCOME_TRAFFIC", "special_ad_categories": "[]", "status": "PAUSED",
                  "adlabels": '[{"id": "999"}]', "access_token": c.token},
        )  # fmt: skip
        assert unknown.status_code == 400
        assert unknown.json()["error"]["error_data"]["blame_field_specs"] == [["adlabels"]]
        await c.http.post(f"/v26.0/{c.account_id}/adlabels", data={"name": "dup", "access_token": c.token})
        twice = await c.http.post(f"/v26.0/{c.account_id}/adlabels", data={"name": "dup", "access_token": c.token})
        assert twice.json()["error"]["code"] == 100
    async with connected("tiktok") as t:
        answer = await t.http.get(
            "/open_api/v1.3/campaign/get/",
            params={"advertiser_id": t.account_id, "filtering": '{"creation_filter_start_time": "2027-02-01"}'},
            headers={"Access-Token": t.token},
        )  # fmt: skip
        body = answer.json()
        assert answer.status_code == 200 and body["code"] == 40002
        assert "creation_filter_start_time" in body["message"]


async def test_a_meta_video_whose_answer_was_lost_is_found_by_name_and_upload_time(
    connected: Any, tmp_path: Path
) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"sandbox-video" * 10)
    spec = MediaSpec(kind="video", path=video, name="adly-0123456789ab.mp4", idempotency_key="v1")
    async with connected("meta", SandboxFaults(timeout_after_create_on={"video": 2})) as c:
        earlier = await c.client.upload_media(
            token=c.token, account_id=c.account_id, spec=spec.model_copy(update={"idempotency_key": "v0"})
        )
        with pytest.raises(OutcomeUnknown):
            await c.client.upload_media(token=c.token, account_id=c.account_id, spec=spec)
        # Both same-named videos are offered, oldest first (the saga drops the one its ledger gives to "v0").
        both = await c.client.find_created(
            token=c.token, account_id=c.account_id, lookup=_lookup("video", "v1", spec.name)
        )
        assert len(both) == 2 and both[0] == earlier.external_id
        later = datetime.now(UTC) + timedelta(minutes=1)
        assert await c.client.find_created(
            token=c.token, account_id=c.account_id, lookup=_lookup("video", "v1", spec.name, created_since=later)
        ) == []


async def test_a_snapchat_media_container_whose_upload_never_finished_is_not_offered(
    connected: Any, tmp_path: Path
) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"sandbox-video" * 10)
    spec = MediaSpec(kind="video", path=video, name="adly-0123456789ab.mp4", idempotency_key="v1")
    async with connected("snapchat", SandboxFaults(timeout_after_create_on={"video": 1})) as c:
        with pytest.raises(OutcomeUnknown):  # the container was made, its answer lost: the file never went up
            await c.client.upload_media(token=c.token, account_id=c.account_id, spec=spec)
        lookup = _lookup("video", "v1", spec.name)
        assert await c.client.find_created(token=c.token, account_id=c.account_id, lookup=lookup) == []
        ref = await c.client.upload_media(token=c.token, account_id=c.account_id, spec=spec)
        assert await c.client.find_created(token=c.token, account_id=c.account_id, lookup=lookup) == [ref.external_id]
