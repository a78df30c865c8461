"""OAuth in the embedded default: where each platform is reached, the consent pages ADLY serves, and retries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from agent.oauth import OAuthFailed
from agent.turns import Turn, Where
from bot.console import connect_in_sandbox
from bot.platform_wiring import platform_route
from bot.services import Services, open_services
from bot.settings import Settings
from bot.web import create_app
from store.models import AdAccount, AuditEvent
from tools.sandbox import SandboxFaults, complete_consent

PUBLIC = "http://127.0.0.1:8780"
INSTRUCTION = "Create {} campaign for Ramadan sale with 3000 SAR budget targeting women 25-40 in Riyadh"
NAMES = {"meta": "Instagram", "tiktok": "TikTok", "snapchat": "Snapchat"}
LISTING_PATHS = {"meta": "me/adaccounts", "tiktok": "oauth2/advertiser/get", "snapchat": "me/organizations"}


# ---------------------------------------------------------------------------------------------- the rule


def test_where_each_platform_goes(settings: Settings) -> None:
    # Nothing set: the in-process simulator, its consent page served by ADLY under the public URL.
    route = platform_route(settings, "meta", public_url=PUBLIC)
    assert (route.mode, route.oauth_base_url, route.app_id) == ("sandbox", f"{PUBLIC}/sandbox/meta", "sandbox-meta-app")
    # A base URL without credentials: real HTTP there, sandbox credentials, consent pages there too.
    over_http = settings.model_copy(update={"tiktok_api_base_url": "http://127.0.0.1:8791/"})
    route = platform_route(over_http, "tiktok", public_url=PUBLIC)
    assert (route.mode, route.api_base_url, route.oauth_base_url, route.app_id, route.app_secret) == (
        "sandbox-http", "http://127.0.0.1:8791", "http://127.0.0.1:8791", "sandbox-tiktok-app", "sandbox-secret")
    # Credentials: the real hosts; with a base URL too (a proxy), the API goes there and consent stays real.
    live = settings.model_copy(update={"snapchat_client_id": "cid", "snapchat_client_secret": SecretStr("snap-secret-value")})
    route = platform_route(live, "snapchat", public_url=PUBLIC)
    assert (route.mode, route.api_base_url, route.oauth_base_url) == (
        "live", "https://adsapi.snapchat.com", "https://accounts.snapchat.com")
    proxied = live.model_copy(update={"snapchat_api_base_url": "http://proxy.local:9000"})
    route = platform_route(proxied, "snapchat", public_url=PUBLIC)
    assert (route.mode, route.api_base_url, route.oauth_base_url, route.app_id) == (
        "live", "http://proxy.local:9000", "https://accounts.snapchat.com", "cid")
    assert route.app_secret == "snap-secret-value" and "snap-secret-value" not in repr(route)  # kept out of logs


async def test_an_api_base_url_without_credentials_goes_over_http(settings: Settings) -> None:
    calls: list[str] = []
    over_http = settings.model_copy(update={"meta_api_base_url": "http://127.0.0.1:1"})
    async with open_services(over_http) as services:
        assert services.platform_modes == {"meta": "sandbox-http", "tiktok": "sandbox", "snapchat": "sandbox"}
        assert "meta" not in services.sandboxed  # no simulator runs in-process for it
        link = services.platforms["meta"].authorize_url(state="s", redirect_uri=f"{PUBLIC}/oauth/meta/callback")
        assert link.startswith("http://127.0.0.1:1/v26.0/dialog/oauth?client_id=sandbox-meta-app")

        async def seen(request: httpx.Request) -> None:
            calls.append(str(request.url))

        services.sandbox_browsers["meta"].event_hooks["request"].append(seen)
        with pytest.raises(httpx.ConnectError):  # a real connection attempt to that port, refused
            await complete_consent(services.sandbox_browsers["meta"], link)
    assert calls and calls[0].startswith("http://127.0.0.1:1/")


# ---------------------------------------------------------------------------------------------- the pages


@pytest.fixture
async def web(settings: Settings) -> AsyncIterator[tuple[Services, httpx.AsyncClient]]:
    async with open_services(settings, port=8780) as services:
        app = create_app(settings, services=services)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC) as http:
            yield services, http


async def _connect_link(services: Services, platform: str) -> tuple[Turn, str]:
    workspace = await services.local_workspace("console:you")
    turn = await services.driver.start(workspace_id=workspace.id, user="console:you",
                                       text=INSTRUCTION.format(NAMES[platform]), where=Where("console"))
    assert turn.prompt is not None and turn.prompt.kind == "connect", turn
    links = {link["platform"]: link["authorize_url"] for link in turn.prompt.payload["links"]}
    return turn, links[platform]


@pytest.mark.parametrize("platform", ["meta", "tiktok", "snapchat"])
async def test_adly_serves_the_consent_page_and_its_code_connects(
    web: tuple[Services, httpx.AsyncClient], platform: str
) -> None:
    services, http = web
    turn, link = await _connect_link(services, platform)
    assert link.startswith(f"{PUBLIC}/sandbox/{platform}/")
    redirect = await complete_consent(http, link)  # through ADLY's own HTTP app, as a browser would
    assert redirect.startswith(f"{PUBLIC}/oauth/{platform}/callback?")
    landing = await http.get(redirect)
    assert landing.status_code == 200 and "<h1>Connected</h1>" in landing.text, landing.text
    await services.background.drain()
    after = await services.driver.current(turn.conversation_id)
    assert after.prompt is None or after.prompt.kind != "connect"
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AdAccount).where(AdAccount.platform == platform)) == 1


async def test_the_pages_are_only_consent_pages_and_only_send_back_to_adly(
    web: tuple[Services, httpx.AsyncClient],
) -> None:
    services, http = web
    _, link = await _connect_link(services, "meta")
    query = parse_qs(urlsplit(link).query)
    evil = {k: v[0] for k, v in query.items()} | {"redirect_uri": "https://evil.example/steal"}
    page = await http.get(f"{urlsplit(link).path}?{urlencode(evil)}")
    assert page.status_code == 400 and "Allow" not in page.text
    # A forged form post (no page shown first) cannot redirect elsewhere either.
    forged = await http.post(urlsplit(link).path, data=evil | {"decision": "allow"})
    assert forged.status_code == 400 and "location" not in forged.headers
    too_big = await http.post(urlsplit(link).path, content=b"a=" + b"x" * 100_000,
                              headers={"content-type": "application/x-www-form-urlencoded"})
    assert too_big.status_code == 413
    # The simulated API itself is not exposed, nor are platforms that do not exist.
    for path in ("/sandbox/meta/v26.0/me/adaccounts", "/sandbox/tiktok/open_api/v1.3/advertiser/info/",
                 "/sandbox/snapchat/login/oauth2/access_token", "/sandbox/linkedin/oauth"):
        assert (await http.get(path)).status_code == 404, path
        assert (await http.post(path, data={"a": "b"})).status_code == 404, path


async def test_a_platform_with_credentials_has_no_sandbox_page(settings: Settings) -> None:
    live = settings.model_copy(update={"meta_app_id": "123", "meta_app_secret": SecretStr("shh")})
    async with open_services(live, port=8780) as services:
        app = create_app(live, services=services)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC) as http:
            page = await http.get("/sandbox/meta/v26.0/dialog/oauth", params={
                "client_id": "123", "redirect_uri": f"{PUBLIC}/oauth/meta/callback", "state": "x"})
            assert page.status_code == 404
            assert (await http.get("/healthz")).json()["platforms"]["meta"] == "live"
        link = services.platforms["meta"].authorize_url(state="s", redirect_uri=f"{PUBLIC}/oauth/meta/callback")
        assert link.startswith("https://www.facebook.com/")


# ---------------------------------------------------------------------------------------------- declined


async def test_a_declined_consent_connects_nothing_and_leaves_the_link_usable(
    web: tuple[Services, httpx.AsyncClient],
) -> None:
    services, http = web
    turn, link = await _connect_link(services, "tiktok")
    redirect = await complete_consent(http, link, decision="deny")
    assert "error=access_denied" in redirect
    landing = await http.get(redirect)
    assert landing.status_code == 400 and "Nothing was connected" in landing.text
    # A forged "declined" with a state we did not sign is not recorded.
    forged = await http.get("/oauth/tiktok/callback", params={"error": "access_denied", "state": "forged.state"})
    assert forged.status_code == 400
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AdAccount)) == 0
        declined = list(await session.scalars(select(AuditEvent).where(AuditEvent.action == "ad_account.declined")))
    assert len(declined) == 1 and declined[0].details["platform"] == "tiktok"
    still = await services.driver.current(turn.conversation_id)
    assert still.prompt is not None and still.prompt.kind == "connect"
    # The same link works when the person changes their mind.
    landing = await http.get(await complete_consent(http, link))
    assert "<h1>Connected</h1>" in landing.text


async def _arabic_snapchat_connect(services: Services) -> Turn:
    """An Arabic speaker's Snapchat campaign, stopped at its connect link."""
    workspace = await services.local_workspace("console:you")
    turn = await services.driver.start(
        workspace_id=workspace.id, user="console:you", where=Where("console"),
        text="سوي حملة سناب شات لتخفيضات رمضان بميزانية 3000 ريال تستهدف النساء 25-40 في الرياض")
    assert turn.prompt is not None and turn.prompt.kind == "connect", turn
    return turn


async def test_the_driver_says_why_in_the_users_language(web: tuple[Services, httpx.AsyncClient]) -> None:
    services, http = web
    turn = await _arabic_snapchat_connect(services)
    link = turn.prompt.payload["links"][0]["authorize_url"]
    redirect = await complete_consent(http, link, decision="deny")
    state = parse_qs(urlsplit(redirect).query)["state"][0]
    told = await services.driver.decline_oauth(platform="snapchat", state=state, reason="access_denied",
                                               actor="oauth:snapchat")
    assert told is not None and told.notice is not None and "سناب شات" in told.notice and "لم يُربط" in told.notice
    with pytest.raises(OAuthFailed):
        await services.driver.decline_oauth(platform="meta", state=state, reason="x", actor="oauth:meta")


async def test_the_landing_page_speaks_the_conversations_language(web: tuple[Services, httpx.AsyncClient]) -> None:
    services, http = web
    turn = await _arabic_snapchat_connect(services)
    redirect = await complete_consent(http, turn.prompt.payload["links"][0]["authorize_url"])
    # An English browser still reads the Arabic speaker's conversation in Arabic, right to left.
    landing = await http.get(redirect, headers={"accept-language": "en-US,en;q=0.9"})
    assert landing.status_code == 200
    assert "dir='rtl'" in landing.text and "<h1>تم الربط</h1>" in landing.text and "Connected" not in landing.text
    # Used again: the link no longer names a conversation, so the browser's language decides.
    replayed = await http.get(redirect, headers={"accept-language": "ar-SA,ar;q=0.9,en;q=0.5"})
    assert replayed.status_code == 400 and "استُخدم من قبل" in replayed.text and "<h1>لم يتم الربط</h1>" in replayed.text
    english = await http.get(redirect)
    assert "already used or has expired" in english.text and "dir='ltr'" in english.text
    reconnect = await http.get("/oauth/meta/reconnect", params={"ticket": "forged"},
                               headers={"accept-language": "ar"})
    assert reconnect.status_code == 400 and "رابط إعادة الربط هذا غير صالح" in reconnect.text


@pytest.mark.parametrize(("header", "expected"), [
    ("ar-SA,ar;q=0.9,en;q=0.8", "ar"), ("en-GB,en;q=0.9,ar;q=0.8", "en"), ("fr-FR,ar;q=0.5,en;q=0.4", "ar"),
    ("fr-FR,de;q=0.5", "en"), ("", "en"), (None, "en"), ("en;q=0.2,ar;q=0.7", "ar"), ("ar;q=0,en", "en"),
    ("ar;q=abc,en;q=0.1", "en"),
])
def test_the_browsers_language_is_read_by_preference(header: str | None, expected: str) -> None:
    from agent.oauth_texts import page_language

    assert page_language(header) == expected


# ---------------------------------------------------------------------------------------------- retries


@pytest.mark.parametrize("platform", ["meta", "tiktok", "snapchat"])
async def test_account_listing_survives_a_server_error(settings: Settings, platform: str) -> None:
    faults = {platform: SandboxFaults(server_error_on={LISTING_PATHS[platform]: 1})}
    async with open_services(settings, sandbox_faults=faults) as services:
        services.ctx.publish_backoff_s = 0.01
        turn, _ = await _connect_link(services, platform)
        said: list[str] = []
        after = await connect_in_sandbox(services, turn, "console:you", said.append)
        assert after.prompt is None or after.prompt.kind != "connect", after
        async with services.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(AdAccount)) == 1


async def test_a_platform_that_keeps_failing_gives_a_clear_reason_and_connects_nothing(settings: Settings) -> None:
    faults = {"meta": SandboxFaults(server_error_on={"me/adaccounts": 10})}
    async with open_services(settings, sandbox_faults=faults) as services:
        services.ctx.publish_backoff_s = 0.01
        turn, _ = await _connect_link(services, "meta")
        with pytest.raises(OAuthFailed, match="Meta \\(Facebook/Instagram\\) did not answer while connecting.*press Connect again"):
            await connect_in_sandbox(services, turn, "console:you", lambda _: None)
        async with services.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(AdAccount)) == 0


async def test_a_connect_link_reveals_no_ids_and_works_once_before_it_expires(
    web: tuple[Services, httpx.AsyncClient],
) -> None:
    services, http = web
    turn, link = await _connect_link(services, "meta")
    workspace = await services.local_workspace("console:you")
    # The state is an opaque reference: neither the workspace nor the conversation can be read off a link.
    assert workspace.id not in link and turn.conversation_id not in link
    redirect = await complete_consent(http, link)
    assert "<h1>Connected</h1>" in (await http.get(redirect)).text
    replayed = await http.get(redirect)
    assert replayed.status_code == 400 and "already used or has expired" in replayed.text
    # A link past its 30 minutes is refused even though its signature is good.
    _, second = await _connect_link(services, "tiktok")
    later = services.ctx.clock() + timedelta(minutes=31)
    services.ctx.clock = lambda: later
    expired = await http.get(await complete_consent(http, second))
    assert expired.status_code == 400 and "expired" in expired.text
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AdAccount).where(AdAccount.platform == "tiktok")) == 0
