"""Signed OAuth state, consent pages, and wire-format details (Meta form encoding, TikTok 404, Snap 200 errors)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.platforms.conftest import campaign_spec
from tools.oauth import StateSignatureError, sign_state, verify_state
from tools.platforms.base import InvalidRequest, PolicyRejected
from tools.platforms.meta import encode_params
from tools.platforms.snapchat import raise_for_error
from tools.platforms.tiktok import TikTokClient
from tools.sandbox import TIKTOK_API_BASE_URL, complete_consent, sandbox_http_client

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
SECRET = b"k" * 32


def test_state_is_an_opaque_signed_reference() -> None:
    reference = "r4nd0m-Reference_123"
    token = sign_state(SECRET, reference=reference)
    assert verify_state(SECRET, token) == reference
    # Nothing readable travels in it: no workspace, conversation or platform (those stay in the store).
    assert token.split(".")[0] == reference and len(token.split(".")) == 2


def test_state_rejects_tampering_and_another_secret() -> None:
    token = sign_state(SECRET, reference="ref1")
    mac = token.split(".")[1]
    with pytest.raises(StateSignatureError):
        verify_state(SECRET, f"ref2.{mac}")
    with pytest.raises(StateSignatureError):
        verify_state(b"other", token)
    for garbage in ("garbage", "", ".", "ref1.", f".{mac}", "x" * 600):
        with pytest.raises(StateSignatureError):
            verify_state(SECRET, garbage)
    with pytest.raises(ValueError):
        sign_state(SECRET, reference="has.dot")


@pytest.mark.parametrize("platform", ["meta", "tiktok", "snapchat"])
async def test_consent_page_redirects_with_code_and_state(platform: str, tmp_path: Path) -> None:
    from tools.platforms.registry import make_client
    from tools.sandbox import API_BASE_URLS, OAUTH_BASE_URLS

    async with sandbox_http_client(platform, state_dir=tmp_path) as http:
        client = make_client(platform, http=http, base_url=API_BASE_URLS[platform],
                             oauth_base_url=OAUTH_BASE_URLS[platform], app_id="a", app_secret="s")  # fmt: skip
        url = client.authorize_url(state="xyz", redirect_uri="https://adly.test/cb?x=1")
        page = await http.get(url)
        assert page.status_code == 200 and "Allow" in page.text
        back = urlsplit(await complete_consent(http, url))
        assert (back.netloc, back.path) == ("adly.test", "/cb")
        query = parse_qs(back.query)
        assert query["state"] == ["xyz"] and query["x"] == ["1"]
        code = query["auth_code" if platform == "tiktok" else "code"][0]
        await client.exchange_code(code=code, redirect_uri="https://adly.test/cb?x=1")
        with pytest.raises(Exception):  # noqa: B017 - each platform words it differently; a code is single use
            await client.exchange_code(code=code, redirect_uri="https://adly.test/cb?x=1")


def test_meta_params_encode_like_the_sdk() -> None:
    encoded = encode_params({"name": "x", "special_ad_categories": [], "targeting": {"b": 1, "a": [2]},
                             "is_adset_budget_sharing_enabled": False, "daily_budget": 10000, "skip": None})  # fmt: skip
    assert encoded == {"name": "x", "special_ad_categories": "[]", "targeting": '{"a":[2],"b":1}',
                       "is_adset_budget_sharing_enabled": "false", "daily_budget": "10000"}  # fmt: skip


async def test_tiktok_missing_trailing_slash_is_http_404(tmp_path: Path) -> None:
    async with sandbox_http_client("tiktok", state_dir=tmp_path) as http:
        assert (
            await http.get("/open_api/v1.3/campaign/get", headers={"Access-Token": "x"})
        ).status_code == 404

        class NoSlash(TikTokClient):
            def _url(self, path: str) -> str:
                return super()._url(path).rstrip("/")

        client = NoSlash(
            http, base_url=TIKTOK_API_BASE_URL, oauth_base_url=TIKTOK_API_BASE_URL, app_id="a", app_secret="s"
        )
        with pytest.raises(InvalidRequest) as info:
            await client.create_campaign(token="x", account_id="1", spec=campaign_spec())
        assert info.value.http_status == 404


def test_snapchat_failure_inside_a_200() -> None:
    body = {"request_status": "SUCCESS", "campaigns": [
        {"sub_request_status": "ERROR", "sub_request_error_reason": "name: is required (at most 375 characters)."}]}  # fmt: skip
    response = httpx.Response(
        200, json=body, request=httpx.Request("POST", "https://adsapi.snapchat.com/v1/x")
    )
    with pytest.raises(InvalidRequest) as info:
        raise_for_error(response, body)
    assert info.value.field == "name"
    policy = {"request_status": "ERROR", "display_message": "Creative violates advertising policy"}
    with pytest.raises(PolicyRejected):
        raise_for_error(httpx.Response(400, json=policy, request=response.request), policy)
