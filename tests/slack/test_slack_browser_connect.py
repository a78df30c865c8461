"""Connect in a real browser: `adly serve` on loopback, a fake Slack Web API, headless Chromium clicking Allow.

With no ad-platform credentials, the Connect buttons must open the sandbox consent pages that `adly serve`
itself serves under its public URL; Allow lands on ADLY's "Connected" page and the thread goes on.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fake_slack import FakeSlack, find_element
from slack_harness import APPROVER, SECRET, event_body, mention_event, signed_headers

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser")) if p), None)
if CHROMIUM is None:
    pytest.skip(
        "BROWSER TESTS NOT RUN: Chromium is not installed (apt-get install chromium); `.ci/run` installs it",
        allow_module_level=True,
    )
playwright = pytest.importorskip("playwright.async_api", reason="BROWSER TESTS NOT RUN: pip install -e '.[test]'")

# As the machine's notes say: without these, Chromium keeps calling Google's hosts, which a closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]
THREE_PLATFORMS = ("Create Instagram, TikTok and Snapchat campaign for Ramadan sale with 3000 SAR budget "
                   "targeting women 25-40 in Riyadh")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """`adly serve --http` in its own process, its data dir, and Slack's side of the conversation."""

    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log: Path
    fake: FakeSlack

    async def mention(self, text: str) -> None:
        body = event_body(mention_event(text), event_id=f"Ev{os.urandom(4).hex()}")
        async with httpx.AsyncClient(timeout=10) as http:
            answer = await http.post(f"{self.url}/slack/events", content=body.encode(),
                                     headers={"Content-Type": "application/json", **signed_headers(body)})
        assert answer.status_code == 200, answer.text

    async def wait_for(self, what: str, found: Callable[[], Any], within_s: float = 120) -> Any:
        """Poll (without blocking the loop that runs the fake Slack) until `found()` is truthy."""
        deadline = asyncio.get_running_loop().time() + within_s
        while not (result := found()):
            assert self.process.poll() is None, f"adly serve died:\n{self.log.read_text()[-4000:]}"
            if asyncio.get_running_loop().time() > deadline:
                posted = [m.get("text") for m in self.fake.posted()]
                raise AssertionError(f"no {what} after {within_s}s; posted: {posted}\n{self.log.read_text()[-3000:]}")
            await asyncio.sleep(0.2)
        return result

    def connect_url(self, platform: str) -> str | None:
        for message in reversed(self.fake.posted()):
            found = find_element(message.get("blocks") or [], f"adly.connect.open.{platform}")
            if found is not None:
                return str(found[1]["url"])
        return None

    def ad_accounts(self) -> list[tuple[str, str]]:
        with sqlite3.connect(self.data_dir / "adly.sqlite") as db:
            return list(db.execute("SELECT platform, external_account_id FROM ad_accounts ORDER BY platform"))


def _start(args: list[str], *, cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`adly ARGS` in a process of its own (Popen returns at once), its output into `log`."""
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "bot.cli", *args], cwd=cwd, env=env, stdout=out,
                                stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()  # SIGTERM: uvicorn shuts down gracefully
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
async def served(tmp_path: Path, fake_slack: FakeSlack) -> AsyncIterator[Served]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("META_", "TIKTOK_", "SNAPCHAT_", "OPENAI_", "SLACK_", "ADLY_", "DATABASE_"))}
    env.update({
        "ADLY_DATA_DIR": str(tmp_path / "data"), "ADLY_PUBLIC_URL": url, "ADLY_APPROVERS": APPROVER,
        "ADLY_SCHEDULER_ENABLED": "false", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake_slack.api_url,
    })
    log = tmp_path / "serve.log"
    process = _start(["serve", "--http", "--port", str(port)], cwd=tmp_path, env=env, log=log)
    server = Served(url, tmp_path / "data", process, log, fake_slack)
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            async def healthy() -> bool:
                try:
                    return (await http.get(f"{url}/healthz")).status_code == 200
                except httpx.HTTPError:
                    return False

            deadline = asyncio.get_running_loop().time() + 90
            while not await healthy():
                assert process.poll() is None, f"adly serve exited:\n{log.read_text()}"
                assert asyncio.get_running_loop().time() < deadline, f"adly serve did not start:\n{log.read_text()}"
                await asyncio.sleep(0.2)
            health = (await http.get(f"{url}/healthz")).json()
            assert health["platforms"] == {"meta": "sandbox", "tiktok": "sandbox", "snapchat": "sandbox"}, health
        yield server
    finally:
        _stop(process)


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    async with playwright.async_playwright() as driver:
        chromium = await driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


async def _consent(browser: Any, url: str, button: str) -> tuple[str, str, str]:
    """Open the Connect button's URL, press `button` on the consent page: (consent title, landing h1, landing text)."""
    page = await browser.new_page()
    try:
        await page.goto(url)
        title = await page.title()
        async with page.expect_navigation():
            await page.get_by_role("button", name=button).click()
        return title, await page.locator("h1").inner_text(), await page.locator("body").inner_text()
    finally:
        await page.close()


async def test_connect_buttons_open_sandbox_pages_that_a_browser_completes(served: Served, browser: Any) -> None:
    await served.mention(THREE_PLATFORMS)
    titles = {"meta": "Facebook", "tiktok": "TikTok", "snapchat": "Snapchat"}
    for platform in ("meta", "tiktok", "snapchat"):
        url = await served.wait_for(f"{platform} Connect button", lambda p=platform: served.connect_url(p))
        # ADLY's own page, not the real platform's login that cannot work with sandbox credentials.
        assert url.startswith(f"{served.url}/sandbox/{platform}/"), url
        title, heading, text = await _consent(browser, url, "Allow")
        assert titles[platform] in title and "sandbox" in title, title
        assert heading == "Connected", text
    # The same sandbox state the API calls see: the code the page gave was exchanged, the accounts stored.
    assert [p for p, _ in served.ad_accounts()] == ["meta", "snapchat", "tiktok"]
    # The thread goes on: the creative is generated and shown for review.
    review = await served.wait_for("review card", lambda: served.fake.cards("adly.review.approve"))
    assert review[-1]["thread_ts"] == "1700000000.000100"


async def test_denied_consent_is_told_in_the_thread_and_connects_nothing(served: Served, browser: Any) -> None:
    await served.mention("Create Instagram campaign for Ramadan sale with 1000 SAR budget targeting women 25-40 in Riyadh")
    url = await served.wait_for("Meta Connect button", lambda: served.connect_url("meta"))
    _, heading, text = await _consent(browser, url, "Deny")
    assert heading == "Not connected" and "Connect" in text, text
    notice = await served.wait_for(
        "declined notice", lambda: [m for m in served.fake.posted() if "declined" in str(m.get("text"))]
    )
    assert "Meta" in notice[0]["text"] and "Nothing was connected" in notice[0]["text"], notice
    assert notice[0]["thread_ts"] == "1700000000.000100"
    assert served.ad_accounts() == []
    assert not served.fake.cards("adly.review.approve")
    # The same Connect button still works: the person changes their mind.
    _, heading, _ = await _consent(browser, served.connect_url("meta") or url, "Allow")
    assert heading == "Connected"
    assert [p for p, _ in served.ad_accounts()] == ["meta"]
    await served.wait_for("review card", lambda: served.fake.cards("adly.review.approve"))
