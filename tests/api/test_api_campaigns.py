"""A campaign through the HTTP API, as a client would drive it: start, connect, approve, publish, read back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from api_harness import Api, make_key
from sqlalchemy import select

from store import repositories as repo
from store.models import AuditEvent

NINE_THOUSAND = "Create Instagram campaign for Ramadan sale with 9000 SAR budget targeting women 25-40 in Riyadh"


async def _start(api: Api, body: dict[str, Any], key: str = "marketer") -> dict[str, Any]:
    job = await api.job(await api.http.post(api.url("/campaigns"), headers=api.headers(key), json=body), key)
    assert job["status"] == "succeeded", job
    assert job["campaign_id"] == job["result"]["id"]
    return dict(job["result"])


async def _to_preview(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    campaign = await api.connect_everything(await _start(api, body))
    assert campaign["waiting_for"]["kind"] == "review", campaign["waiting_for"]
    pending = (await api.http.get(api.url(f"/campaigns/{campaign['id']}/approval"), headers=api.headers("boss"))).json()
    assert pending == campaign["waiting_for"]
    assets = pending["payload"]["assets"]
    assert assets and all("path" not in a for a in assets)  # no server paths leak; download URLs instead
    image = next(a for a in assets if a.get("download_url") and a["kind"] == "image")
    download = await api.http.get(image["download_url"], headers=api.headers("reader"))
    assert download.status_code == 200 and download.headers["content-type"].startswith("image/")
    approve = {"interrupt_id": pending["interrupt_id"],
               "decision": {"action": "approve", "content_hash": pending["payload"]["content_hash"]}}
    job = await api.job(await api.http.post(api.url(f"/campaigns/{campaign['id']}/approval"),
                                            headers=api.headers("boss"), json=approve))
    assert job["status"] == "succeeded", job
    assert job["result"]["waiting_for"]["kind"] == "preview"
    return dict(job["result"])


async def test_a_campaign_from_instruction_to_live_with_four_eyes_above_the_limit(api: Api) -> None:
    campaign = await _to_preview(api, {"instruction": NINE_THOUSAND})
    preview = campaign["waiting_for"]
    publish = api.url(f"/campaigns/{campaign['id']}/publish")
    # Approving the plan through the answer route is refused: publishing has its own scope and route.
    wrong_route = await api.http.post(api.url(f"/campaigns/{campaign['id']}/approval"), headers=api.headers("boss"),
                                      json={"interrupt_id": preview["interrupt_id"],
                                            "decision": {"action": "approve", "plan_hash": preview["payload"]["plan_hash"]}})
    assert wrong_route.status_code == 409 and wrong_route.json()["code"] == "use_publish"
    # The requester may not approve her own 9,000 SAR plan (the limit is 5,000): another approver must.
    own = await api.http.post(publish, headers=api.headers("marketer"),
                              json={"plan_hash": preview["payload"]["plan_hash"]})
    assert own.status_code == 403 and own.json()["code"] == "self_approval", own.text
    stale = await api.http.post(publish, headers=api.headers("boss"), json={"plan_hash": "0" * 32})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_plan", stale.text
    job = await api.job(await api.http.post(publish, headers=api.headers("boss"),
                                            json={"plan_hash": preview["payload"]["plan_hash"]}))
    assert job["status"] == "succeeded" and job["kind"] == "publish", job
    view = (await api.http.get(api.url(f"/campaigns/{campaign['id']}"), headers=api.headers("reader"))).json()
    assert view["status"] == "live" and view["waiting_for"] is None
    assert view["platforms"][0]["platform"] == "meta" and view["platforms"][0]["external_campaign_id"]
    assert all(ad["external_id"] for ad in view["platforms"][0]["ads"])
    # Its performance: the `adly report --json` object, the numbers the launch synced (money as strings, currency).
    performance = view["performance"]
    assert performance["campaign_id"] == view["plan_campaign_id"] and performance["currency"] == "SAR"
    async with api.services.sessions() as session:
        snapshots = await repo.list_snapshots(session=session, campaign_id=view["plan_campaign_id"])
    meta = next(p for p in performance["platforms"] if p["platform"] == "meta")
    assert Decimal(meta["spend"]) == sum((s.spend for s in snapshots if s.platform == "meta"),
                                         start=Decimal(0)).quantize(Decimal("0.01"))
    # Platforms deliver only once the flight begins: days before it carry no numbers.
    assert isinstance(meta["spend"], str) and meta["currency"] == "SAR" and isinstance(meta["days"], list)
    assert performance["pacing"]["currency"] == "SAR"
    # The planned campaign's own id reaches the same campaign; the list shows it.
    same = await api.http.get(api.url(f"/campaigns/{view['plan_campaign_id']}"), headers=api.headers("reader"))
    assert same.json()["id"] == campaign["id"]
    listed = (await api.http.get(api.url("/campaigns"), headers=api.headers("reader"))).json()
    assert [c["id"] for c in listed] == [campaign["id"]] and listed[0]["status"] == "live"
    # Nothing to retry on a live campaign; nor on one that waits for an answer.
    retry = await api.http.post(api.url(f"/campaigns/{campaign['id']}/retry"), headers=api.headers("boss"))
    assert retry.status_code == 409 and retry.json()["code"] == "nothing_to_retry", retry.text
    # Publishing again: nothing is pending any more.
    again = await api.http.post(publish, headers=api.headers("boss"), json={"plan_hash": preview["payload"]["plan_hash"]})
    assert again.status_code == 409 and again.json()["code"] == "not_ready_to_publish"
    async with api.services.sessions() as session:
        published = list(await session.scalars(select(AuditEvent).where(AuditEvent.action == "api.publish")))
    assert [(e.actor, e.details["api_key"]) for e in published] == [("UBOSS", api.key_ids["boss"])]


async def test_approving_needs_an_approver_of_the_workspace(api: Api) -> None:
    campaign = await api.connect_everything(await _start(api, {"instruction": NINE_THOUSAND}))
    pending = campaign["waiting_for"]
    outsider_id, outsider = await make_key(api.services, api.workspace_id, "UOUTSIDER", ["read", "approve"])
    decision = {"interrupt_id": pending["interrupt_id"],
                "decision": {"action": "approve", "content_hash": pending["payload"]["content_hash"],
                             "actor": "UBOSS"}}  # a forged actor inside the decision changes nothing
    refused = await api.http.post(api.url(f"/campaigns/{campaign['id']}/approval"),
                                  headers={"Authorization": f"Bearer {outsider}"}, json=decision)
    assert refused.status_code == 403 and refused.json()["code"] == "not_approver", refused.text
    waiting = await api.http.post(api.url(f"/campaigns/{campaign['id']}/retry"), headers=api.headers("boss"))
    assert waiting.status_code == 409 and waiting.json()["code"] == "waiting_for_answer"
    stale = await api.http.post(api.url(f"/campaigns/{campaign['id']}/approval"), headers=api.headers("boss"),
                                json={**decision, "interrupt_id": "not-the-pending-one"})
    assert stale.status_code == 409 and stale.json()["code"] == "already_handled"
    still = (await api.http.get(api.url(f"/campaigns/{campaign['id']}/approval"), headers=api.headers("boss"))).json()
    assert still["interrupt_id"] == pending["interrupt_id"]


async def test_a_structured_request_goes_through_the_same_validation(api: Api) -> None:
    too_small = {"request": {"platforms": ["tiktok"], "objective": "sales", "theme": "Eid sale",
                             "budget": {"amount": 10, "currency": "SAR", "period": "daily"},
                             "audience": {"genders": ["female"], "age_min": 25, "age_max": 40,
                                          "locations": [{"name": "Riyadh", "kind": "city", "country_code": "SA"}]}}}
    campaign = await _start(api, too_small)
    assert campaign["waiting_for"]["kind"] == "clarify", campaign["waiting_for"]
    assert "budget" in str(campaign["waiting_for"]["payload"]).lower()
    # Answered in words, like a Slack reply.
    job = await api.job(await api.http.post(api.url(f"/campaigns/{campaign['id']}/reply"),
                                            headers=api.headers("marketer"), json={"text": "make it 500 SAR per day"}),
                        "marketer")
    assert job["status"] == "succeeded", job
    assert job["result"]["waiting_for"]["kind"] == "connect", job["result"]["waiting_for"]
    invalid = await api.http.post(api.url("/campaigns"), headers=api.headers("marketer"),
                                  json={"request": {"platforms": ["myspace"]}})
    assert invalid.status_code == 422 and invalid.json()["field"].startswith("request.platforms")


async def test_generation_jobs_store_assets_only_their_workspace_can_download(api: Api) -> None:
    brief = {"instruction": "Ramadan sale on abayas for women in Riyadh, 2000 SAR on Instagram"}
    text = await api.job(await api.http.post(api.url("/generate/text"), headers=api.headers("creator"), json=brief),
                         "reader")
    assert text["status"] == "succeeded", text
    copies = [a for a in text["result"]["assets"] if a["kind"] == "copy"]
    assert {a["language"] for a in copies} == {"ar", "en"} and all(a["text"]["headline"] for a in copies)
    assert not [a for a in text["result"]["assets"] if a["kind"] in ("image", "video")]
    image_job = await api.job(await api.http.post(api.url("/generate/image"), headers=api.headers("creator"),
                                                  json=brief), "reader")
    images = [a for a in image_job["result"]["assets"] if a["kind"] == "image"]
    assert {(a["width"], a["height"]) for a in images} == {(1080, 1080), (1080, 1350), (1080, 1920)}
    first = await api.http.get(images[0]["download_url"], headers=api.headers("reader"))
    assert first.status_code == 200 and first.content[:3] in (b"\xff\xd8\xff", b"\x89PN")
    foreign = await api.http.get(images[0]["download_url"].replace(api.workspace_id, api.other_workspace_id),
                                 headers=api.headers("other"))
    assert foreign.status_code == 404
    copy = await api.http.get(copies[0]["download_url"] or api.url(f"/assets/{copies[0]['id']}"),
                              headers=api.headers("reader"))
    assert copy.status_code == 200 and copy.json()["text"]["headline"] == copies[0]["text"]["headline"]
    video_job = await api.job(await api.http.post(api.url("/generate/video"), headers=api.headers("creator"),
                                                  json=brief), "reader")
    videos = [a for a in video_job["result"]["assets"] if a["kind"] == "video"]
    assert len(videos) == 1 and videos[0]["mime"] == "video/mp4" and videos[0]["height"] == 1920
    job_of_other = await api.http.get(f"/workspaces/{api.other_workspace_id}/jobs/{video_job['job_id']}",
                                      headers=api.headers("other"))
    assert job_of_other.status_code == 404


async def test_above_the_ceiling_publishing_waits_for_an_admin_key(api: Api) -> None:
    campaign = await _to_preview(api, {"instruction": NINE_THOUSAND.replace("9000", "60000")})
    plan_hash = campaign["waiting_for"]["payload"]["plan_hash"]
    job = await api.job(await api.http.post(api.url(f"/campaigns/{campaign['id']}/publish"),
                                            headers=api.headers("boss"), json={"plan_hash": plan_hash}))
    assert job["status"] == "succeeded", job
    waiting = job["result"]["waiting_for"]
    assert waiting["kind"] == "over_ceiling"
    assert all(p["external_campaign_id"] is None for p in job["result"]["platforms"])  # nothing published
    answer = {"interrupt_id": waiting["interrupt_id"], "decision": {"action": "approve", "plan_hash": plan_hash}}
    refused = await api.http.post(api.url(f"/campaigns/{campaign['id']}/approval"), headers=api.headers("boss"),
                                  json=answer)
    assert refused.status_code == 403 and refused.json()["scope"] == "admin", refused.text
    _, admin = await make_key(api.services, api.workspace_id, "UADMIN", ["read", "admin"])
    job = await api.job(await api.http.post(api.url(f"/campaigns/{campaign['id']}/approval"),
                                            headers={"Authorization": f"Bearer {admin}"}, json=answer))
    assert job["status"] == "succeeded" and job["result"]["status"] == "live", job


async def test_a_start_job_run_again_after_its_worker_died_starts_one_campaign(api: Api, monkeypatch) -> None:
    deferred: list[dict[str, Any]] = []
    queue = api.services.queue
    original = queue.defer

    async def recorded(name: str, payload: dict[str, Any], **options: Any) -> bool:
        deferred.append(payload)
        return await original(name, payload, **options)

    monkeypatch.setattr(queue, "defer", recorded)
    first = await _start(api, {"instruction": NINE_THOUSAND})
    (start,) = [p for p in deferred if p.get("op") == "start"]
    # Its worker died before the job was marked done; another worker runs the same job again.
    await queue.run("api.job", start, attempt=1)
    await api.services.background.drain()
    job = (await api.http.get(api.url(f"/jobs/{start['job_id']}"), headers=api.headers("marketer"))).json()
    assert job["status"] == "succeeded" and job["campaign_id"] == first["id"], job
    assert job["result"]["waiting_for"]["interrupt_id"] == first["waiting_for"]["interrupt_id"]
    listed = (await api.http.get(api.url("/campaigns"), headers=api.headers("marketer"))).json()
    assert [c["id"] for c in listed] == [first["id"]]


async def test_generated_copy_states_a_structured_offer_and_names_the_workspaces_arabic_brand(api: Api) -> None:
    named = await api.http.patch(api.url("/settings"), headers=api.headers("boss"),
                                 json={"brand_name": "Jarir Bookstore", "brand_name_ar": "مكتبة جرير"})
    assert named.status_code == 200, named.text
    brief = {"request": {"platforms": ["snapchat"], "objective": "sales", "theme": "white_friday",
                         "product": "perfume", "budget": {"amount": "3000", "currency": "SAR"},
                         "offer": {"discount_percent": 40, "price": "99", "currency": "SAR"}}}
    job = await api.job(await api.http.post(api.url("/generate/text"), headers=api.headers("creator"), json=brief),
                        "reader")
    assert job["status"] == "succeeded", job
    assert job["result"]["request"]["offer"]["discount_percent"] == 40
    copies = {a["language"]: a["text"] for a in job["result"]["assets"] if a["kind"] == "copy"}
    for language in ("ar", "en"):
        assert "40%" in copies[language]["headline"] and "40%" in copies[language]["description"], copies
    assert "Jarir" not in " ".join(copies["ar"].values())
    refused = await api.http.post(api.url("/generate/text"), headers=api.headers("creator"),
                                  json={"request": {**brief["request"], "offer": {"price": "99"}}})
    assert refused.status_code == 422  # a price without its currency
