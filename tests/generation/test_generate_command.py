"""`adly generate`: the seed instruction becomes a bundle on disk and a JSON manifest on the last line."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import pytest

from bot import generate_command
from tools.generation.studio import providers_from_config

SEED = (
    "Create Instagram and TikTok campaign for Ramadan sale with 1000 SAR budget "
    "targeting women 25-40 in Riyadh"
)


def _args(out: Path, text: str = SEED) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    generate_command.add_arguments(parser)
    return parser.parse_args([text, "--out", str(out), "--json", "--today", "2025-02-10", "--offline"])


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


async def test_seed_bundle_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "assets"
    code = await generate_command.run(_args(out))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    manifest = json.loads(captured.out.strip().splitlines()[-1])
    assets = manifest["assets"]
    kinds = [a["kind"] for a in assets]
    assert kinds.count("copy") == 6 and kinds.count("video") == 1 and kinds.count("voice") == 2
    images = [a for a in assets if a["kind"] == "image"]
    for lang in ("ar", "en"):
        sizes = {(a["width"], a["height"]) for a in images if a["language"] == lang}
        assert {(1080, 1080), (1080, 1350), (1080, 1920)} <= sizes
    files = [Path(a["path"]) for a in assets if a["kind"] != "copy"]
    assert all(f.is_file() and f.parent == out.resolve() for f in files)  # noqa: ASYNC240 - a test's check
    for a in assets:
        assert set(a) >= {
            "id",
            "kind",
            "language",
            "platforms",
            "path",
            "mime",
            "width",
            "height",
            "duration_s",
            "provider",
            "text",
        }
        assert a["platforms"] == ["meta", "tiktok"]
        if a["kind"] == "copy":
            assert a["path"] is None and set(a["text"]) >= {"headline", "primary_text", "description", "cta"}
    video = next(a for a in assets if a["kind"] == "video")
    assert video["language"] == "ar" and (video["width"], video["height"]) == (1080, 1920)
    assert 6 <= video["duration_s"] <= 15
    arabic = [a for a in assets if a["kind"] == "copy" and a["language"] == "ar"]
    assert all(a["text"]["cta_label"] == "تسوّقي الحين" for a in arabic)  # the audience is women
    assert len({a["id"] for a in assets}) == len(assets)


async def test_missing_required_asset_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tools.generation import studio

    class NoVideo:
        name = "no-video"

        async def render(self, brief: object, out_dir: Path) -> object:
            raise RuntimeError("encoder missing")

    def offline() -> studio.Providers:
        providers = studio.Providers(**vars(real()))
        providers.video = [NoVideo()]
        return providers

    real = studio.offline_providers
    monkeypatch.setattr(generate_command, "offline_providers", offline)
    code = await generate_command.run(_args(tmp_path / "out"))
    captured = capsys.readouterr()
    assert code == 1
    assert "could not make video:ar (no-video: RuntimeError: encoder missing)" in captured.err
    assert "missing required assets: ar video" in captured.err


def test_spec_from_arabic_request_for_men() -> None:
    from agent.parsing import parse_instruction

    request = parse_instruction(
        "حملة على سناب لليوم الوطني بميزانية ٥٠٠٠ ريال للرجال في جدة", today=date(2025, 2, 10)
    )
    spec = generate_command.bundle_spec_from_request(request, register="msa")
    assert spec.copy_brief.theme == "saudi_national_day" and spec.copy_brief.platforms == ["snapchat"]
    assert spec.copy_brief.audience_gender == "male" and spec.voice_gender == "male"
    assert spec.copy_brief.register == "msa" and spec.primary_language == "ar"


def test_configured_providers_come_first_offline_last() -> None:
    providers = providers_from_config(
        openai_api_key="sk-test",
        openai_base_url=None,
        chat_model="gpt-4o-mini",
        image_model="gpt-image-1",
        tts_model="gpt-4o-mini-tts",
    )
    assert [p.name for p in providers.copy] == ["openai-chat:gpt-4o-mini", "templates"]
    assert [p.name for p in providers.image] == ["openai-images:gpt-image-1", "procedural"]
    assert [p.name for p in providers.voice] == ["openai-tts:gpt-4o-mini-tts", "espeak-ng"]
    assert [p.name for p in providers.video] == ["storyboard"]
    offline = providers_from_config(
        openai_api_key=None, openai_base_url=None, chat_model="m", image_model="m", tts_model="m"
    )
    assert [p.name for p in offline.copy] == ["templates"]
