"""The brand avatar is made at startup (logo or initials), checked there, and published as the TikTok identity's."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.console import SEED_INSTRUCTION, run_demo
from bot.services import open_services
from bot.settings import SettingError, Settings
from tools.generation.avatar import drawn_avatar, logo_avatar


def _with(settings: Settings, **changes: Any) -> Settings:
    return Settings(_env_file=None, adly_data_dir=settings.data_dir, **changes)  # type: ignore[call-arg]


def _sim_rows(settings: Settings, kind: str) -> list[dict[str, Any]]:
    with sqlite3.connect(settings.sandbox_dir / "tiktok.sqlite") as db:
        return [json.loads(r[0]) for r in db.execute("SELECT data FROM objects WHERE kind = ?", (kind,))]


def _logo(path: Path) -> Path:
    img = Image.new("RGB", (500, 300), (250, 245, 230))
    img.paste((20, 110, 90), (100, 50, 400, 250))
    img.save(path, "JPEG", quality=95)
    return path


async def test_startup_draws_the_brand_initials_when_no_logo_is_set(settings: Settings) -> None:
    arabic = _with(settings, adly_brand_name="متجر الورد")
    async with open_services(arabic) as services:
        avatar = services.ctx.brand_avatar
        assert avatar is not None and avatar.parent == arabic.asset_dir / "brand"
        assert avatar.read_bytes() == drawn_avatar("متجر الورد")
        assert avatar.name == f"avatar-{hashlib.sha256(avatar.read_bytes()).hexdigest()[:12]}.png"
    async with open_services(arabic) as services:  # a restart finds the same file and writes nothing new
        assert services.ctx.brand_avatar == avatar
        assert list((arabic.asset_dir / "brand").iterdir()) == [avatar]


async def test_a_configured_logo_is_the_avatar_of_the_published_tiktok_identity(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logo = _logo(tmp_path / "logo.jpg")
    branded = _with(settings, adly_brand_logo=logo)
    normalised = logo_avatar(logo.read_bytes())
    async with open_services(branded) as services:
        assert services.ctx.brand_avatar is not None
        assert services.ctx.brand_avatar.read_bytes() == normalised
    with Image.open(io.BytesIO(normalised)) as img:
        assert img.size[0] == img.size[1]

    code = await run_demo(branded, SEED_INSTRUCTION, as_json=True)
    assert code == 0, capsys.readouterr().out[-3000:]
    [identity] = _sim_rows(branded, "identity")
    images = {row["image_id"]: row for row in _sim_rows(branded, "image")}
    uploaded = images[identity["image_uri"]]
    assert uploaded["signature"] == hashlib.md5(normalised).hexdigest()  # noqa: S324 - the bytes TikTok got
    assert identity["display_name"] == branded.adly_brand_name


def _unusable_logo(kind: str, folder: Path) -> Path:
    if kind == "missing":
        return folder / "missing.png"
    if kind == "directory":
        return folder
    if kind == "text":
        (folder / "logo.png").write_text("not a picture")
        return folder / "logo.png"
    Image.new("RGB", (64, 64)).save(folder / "logo.gif")
    return folder / "logo.gif"


@pytest.mark.parametrize(
    ("kind", "complaint"),
    [
        ("missing", "cannot read the file"),
        ("directory", "cannot read the file"),
        ("text", "not a PNG or JPEG image"),
        ("gif", "GIF image"),
    ],
)
async def test_an_unusable_logo_stops_the_start_naming_the_setting(
    settings: Settings, tmp_path: Path, kind: str, complaint: str
) -> None:
    folder = tmp_path / "brand-files"
    folder.mkdir()
    logo = _unusable_logo(kind, folder)
    with pytest.raises(SettingError, match="ADLY_BRAND_LOGO") as caught:
        async with open_services(_with(settings, adly_brand_logo=logo)):
            pytest.fail("the services opened with an unusable logo")
    assert str(logo) in str(caught.value) and complaint in str(caught.value)
