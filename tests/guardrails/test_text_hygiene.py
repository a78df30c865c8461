"""Text hygiene at the edges: invisible characters that change meaning are refused, landing pages must be public."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from agent.instructions import HiddenCharacters, clean_instruction
from agent.turns import Where
from agent.validation import landing_url_problem
from bot.services import open_services
from bot.settings import Settings

REVERSED_THOUSAND = "Create TikTok campaign with \u202e0001\u202c SAR for women in Riyadh"  # reads as "1000 SAR"


def test_direction_controls_inside_a_number_are_refused_elsewhere_removed() -> None:
    with pytest.raises(HiddenCharacters):
        clean_instruction(REVERSED_THOUSAND)
    with pytest.raises(HiddenCharacters):
        clean_instruction("ميزانية \u2066١٠٠٠\u2069 ريال")
    assert clean_instruction("Ramadan\u200b sale \u202eon TikTok\u202c") == ("Ramadan sale on TikTok", True)
    assert clean_instruction("حملة \u200fرمضان 1000 ريال") == ("حملة \u200fرمضان 1000 ريال", False)  # RLM reorders nothing


def test_adly_parse_refuses_the_reversed_thousand(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADLY_")}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "parse", REVERSED_THOUSAND, "--json"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == "" and "invisible direction characters" in done.stderr


async def test_the_driver_refuses_it_before_creating_anything(settings: Settings) -> None:
    async with open_services(settings) as services:
        workspace = await services.local_workspace("console:you")
        with pytest.raises(HiddenCharacters):
            await services.driver.start(workspace_id=workspace.id, user="console:you", text=REVERSED_THOUSAND,
                                        where=Where("console"))


@pytest.mark.parametrize(("url", "problem"), [
    ("https://shop.example.sa/ramadan", None),
    ("https://1.1.1.1/offer", None),
    ("http://shop.example.sa/ramadan", "landing_url_not_https"),
    ("https://user:pass@shop.example.sa/", "landing_url_credentials"),
    ("https://127.0.0.1:8780/", "landing_url_private"),
    ("https://localhost/", "landing_url_private"),
    ("https://10.0.0.5/admin", "landing_url_private"),
    ("https://[::1]/", "landing_url_private"),
    ("https://intranet/", "landing_url_private"),
    ("https://shop.example.sa/\u202egpj.exe", "landing_url_hidden"),
])
def test_landing_pages_must_be_https_public_and_plain(url: str, problem: str | None) -> None:
    assert landing_url_problem(url) == problem


async def test_a_loopback_or_reversed_landing_page_is_asked_about_not_published(settings: Settings) -> None:
    async with open_services(settings) as services:
        workspace = await services.local_workspace("console:you")
        for url in ("https://127.0.0.1/offer", "http://10.0.0.5:8780/admin"):
            turn = await services.driver.start(
                workspace_id=workspace.id, user="console:you", where=Where("console"),
                text=f"Create Instagram campaign for Ramadan sale with 3000 SAR budget targeting women 25-40 in "
                     f"Riyadh, landing page {url}")
            assert turn.prompt is not None and turn.prompt.kind == "clarify", turn
            codes = {i["code"] for i in turn.prompt.payload["issues"]}
            assert codes & {"landing_url_private", "landing_url_not_https"}, codes
        # Typed in the instruction itself, a reversed web address is refused outright, like a reversed number.
        with pytest.raises(HiddenCharacters):
            clean_instruction("landing page https://shop.example.sa/\u202egpj.exe please")


async def test_a_real_platform_never_gets_the_placeholder_landing_page(settings: Settings) -> None:
    # Meta with app credentials is a real platform: no example.com for it, whatever the objective.
    live = settings.model_copy(update={"meta_app_id": "123", "meta_app_secret": SecretStr("s3cret-value")})
    async with open_services(live) as services:
        workspace = await services.local_workspace("console:you")
        turn = await services.driver.start(
            workspace_id=workspace.id, user="console:you", where=Where("console"),
            text="Create Instagram awareness campaign for Ramadan with 3000 SAR targeting women 25-40 in Riyadh")
        assert turn.prompt is not None and turn.prompt.kind == "clarify", turn
        assert any(i["field"] == "landing_url" and i["severity"] == "error" for i in turn.prompt.payload["issues"])
    # The sandbox keeps its example page, and says so.
    async with open_services(settings) as services:
        workspace = await services.local_workspace("console:you")
        turn = await services.driver.start(
            workspace_id=workspace.id, user="console:you", where=Where("console"),
            text="Create Instagram awareness campaign for Ramadan with 3000 SAR targeting women 25-40 in Riyadh")
        assert turn.prompt is not None and turn.prompt.kind == "connect", turn
