"""TikTok identities carry the brand's avatar: uploaded once under a content-derived name, then reused."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from tests.platforms.conftest import Connected, ad_set_spec, ad_spec, avatar_file, campaign_spec, upload
from tools.generation.avatar import AVATAR_SIZE
from tools.platforms.base import InvalidRequest
from tools.sandbox import API_BASE_URLS


async def _api(c: Connected, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    """One raw call to the simulated API, as TikTok's own docs show it."""
    url = f"{API_BASE_URLS['tiktok']}/open_api/v1.3/{path}/"
    response = await c.http.request(method, url, headers={"Access-Token": c.token}, **kwargs)
    assert response.status_code == 200
    return dict(response.json())


async def _identities(c: Connected) -> list[dict[str, Any]]:
    body = await _api(
        c, "GET", "identity/get", params={"advertiser_id": c.account_id, "identity_type": "CUSTOMIZED_USER"}
    )
    assert body["code"] == 0, body
    return list(body["data"]["identity_list"])


async def _library(c: Connected) -> dict[str, dict[str, Any]]:
    body = await _api(
        c, "GET", "file/image/ad/search", params={"advertiser_id": c.account_id, "page_size": 100}
    )
    assert body["code"] == 0, body
    return {row["image_id"]: row for row in body["data"]["list"]}


def _paths_sent(http: httpx.AsyncClient) -> list[str]:
    """The API paths the client sends from now on (in order), to count uploads and creates."""
    sent: list[str] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request.url.path.split("/v1.3/")[-1].strip("/"))

    http.event_hooks["request"].append(record)
    return sent


async def test_identity_is_created_with_the_uploaded_avatar(connected: Any, tmp_path: Path) -> None:
    avatar = avatar_file(tmp_path)
    async with connected("tiktok") as c:
        media = await upload(c, tmp_path)
        campaign_id = await c.client.create_campaign(
            token=c.token, account_id=c.account_id, spec=campaign_spec()
        )
        ad_set_id = await c.client.create_ad_set(
            token=c.token, account_id=c.account_id, spec=ad_set_spec(campaign_id)
        )
        ad = await c.client.create_ad(
            token=c.token, account_id=c.account_id, spec=ad_spec(ad_set_id, media, brand_avatar=avatar)
        )

        [identity] = await _identities(c)
        assert identity["display_name"] == "Example Shop"
        image = (await _library(c))[identity["image_uri"]]
        content = avatar.read_bytes()
        assert image["file_name"] == f"adly-avatar-{hashlib.sha256(content).hexdigest()[:12]}.png"
        assert image["signature"] == hashlib.md5(content).hexdigest()  # noqa: S324 - TikTok's signature
        assert image["width"] == image["height"] == AVATAR_SIZE
        ads = await _api(
            c, "GET", "ad/get",
            params={"advertiser_id": c.account_id, "filtering": json.dumps({"ad_ids": [ad.ad_id]})},
        )  # fmt: skip
        assert ads["data"]["list"][0]["identity_id"] == identity["identity_id"]


async def test_another_client_reuses_the_identity_and_the_uploaded_avatar(
    connected: Any, tmp_path: Path
) -> None:
    avatar = avatar_file(tmp_path)
    state = tmp_path / "shared-sandbox"
    async with connected("tiktok", state_dir=state) as first:
        await first.client.prefetch(
            token=first.token, account_id=first.account_id, brand_name="Example Shop", brand_avatar=avatar
        )
    async with connected("tiktok", state_dir=state) as second:  # a new process: nothing cached
        sent = _paths_sent(second.http)
        await second.client.prefetch(
            token=second.token, account_id=second.account_id, brand_name="Example Shop", brand_avatar=avatar
        )
        assert "identity/create" not in sent and "file/image/ad/upload" not in sent
        # A second brand name needs an identity of its own; the avatar is already in the library under its
        # content-derived name, so the upload meets 40911 and the existing image is used.
        await second.client.prefetch(
            token=second.token,
            account_id=second.account_id,
            brand_name="Example Shop KSA",
            brand_avatar=avatar,
        )
        assert sent.count("file/image/ad/upload") == 1 and sent.count("identity/create") == 1
        identities = await _identities(second)
        assert [i["display_name"] for i in identities] == ["Example Shop", "Example Shop KSA"]
        assert identities[0]["image_uri"] == identities[1]["image_uri"]
        library = await _library(second)
        assert [
            name for row in library.values() if (name := row["file_name"]).startswith("adly-avatar-")
        ] == [f"adly-avatar-{hashlib.sha256(avatar.read_bytes()).hexdigest()[:12]}.png"]


async def test_ads_created_at_once_upload_one_avatar_and_create_one_identity(
    connected: Any, tmp_path: Path
) -> None:
    avatar = avatar_file(tmp_path)
    async with connected("tiktok") as c:
        sent = _paths_sent(c.http)
        await asyncio.gather(
            *(
                c.client.prefetch(
                    token=c.token, account_id=c.account_id, brand_name="Example Shop", brand_avatar=avatar
                )
                for _ in range(3)
            )
        )
        assert sent.count("file/image/ad/upload") == 1 and sent.count("identity/create") == 1
        assert len(await _identities(c)) == 1


async def test_no_avatar_is_refused_before_calling_identity_create(connected: Any) -> None:
    async with connected("tiktok") as c:
        sent = _paths_sent(c.http)
        with pytest.raises(InvalidRequest) as caught:
            await c.client.prefetch(token=c.token, account_id=c.account_id, brand_name="Example Shop")
        assert caught.value.field == "image_uri"
        assert "identity/create" not in sent and "file/image/ad/upload" not in sent
        assert await _identities(c) == []


async def _upload_png(c: Connected, size: tuple[int, int], file_name: str) -> str:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(out, "PNG")
    content = out.getvalue()
    body = await _api(
        c, "POST", "file/image/ad/upload",
        data={"advertiser_id": c.account_id, "upload_type": "UPLOAD_BY_FILE", "file_name": file_name,
              "image_signature": hashlib.md5(content).hexdigest()},  # noqa: S324 - TikTok's signature
        files={"image_file": (file_name, content, "image/png")},
    )  # fmt: skip
    assert body["code"] == 0, body
    return str(body["data"]["image_id"])


async def test_simulator_refuses_identity_create_without_a_square_uploaded_avatar(connected: Any) -> None:
    async with connected("tiktok") as c:
        wide = await _upload_png(c, (300, 100), "wide.png")
        square = await _upload_png(c, (120, 120), "square.png")
        for extra, complaint in [
            ({}, "this field is required"),
            ({"image_uri": "ad-site-i18n-sg/0123456789abcdef"}, "not in this advertiser's library"),
            ({"image_uri": wide}, "1:1"),
        ]:
            body = await _api(
                c,
                "POST",
                "identity/create",
                json={"advertiser_id": c.account_id, "display_name": "Shop", **extra},
            )
            assert body["code"] == 40002, body
            assert body["message"].startswith("image_uri: ") and complaint in body["message"], body
        assert await _identities(c) == []

        body = await _api(
            c, "POST", "identity/create",
            json={"advertiser_id": c.account_id, "display_name": "Shop", "image_uri": square},
        )  # fmt: skip
        assert body["code"] == 0, body
        [identity] = await _identities(c)
        assert identity["image_uri"] == square and identity["profile_image"].startswith("https://")
