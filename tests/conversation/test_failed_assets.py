"""An asset that could not be made (the video tool down) is said in the user's language, can be made again from the
review, and approval waits while a platform would have nothing to show: no plan is built on a missing video."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from conversation_helpers import TODAY, USER, say, until

from agent.localize import slot_label
from agent.turns import Where
from bot.services import open_services
from bot.settings import Settings
from tools.generation.media import ffmpeg_exe
from tools.generation.workers import shutdown_pool

TIKTOK_AR = "حملة تيك توك لتخفيضات رمضان بميزانية ٣٠٠٠ ريال للنساء في الرياض"


@pytest.fixture
def video_tool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """ffmpeg behind a switch: while the returned file exists it fails as a missing or broken binary would."""
    real = ffmpeg_exe()
    broken = tmp_path / "ffmpeg-broken"
    script = tmp_path / "ffmpeg"
    script.write_text(f'#!/bin/sh\nif [ -e "{broken}" ]; then echo "ffmpeg: cannot run" >&2; exit 1; fi\n'
                      f'exec "{real}" "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(script))
    # The renderers' workers and this process look ffmpeg up once: start them afresh with the switch.
    shutdown_pool()
    ffmpeg_exe.cache_clear()
    broken.touch()
    yield broken
    shutdown_pool()
    ffmpeg_exe.cache_clear()
    os.environ.pop("IMAGEIO_FFMPEG_EXE", None)


async def test_a_failed_video_is_said_made_again_and_blocks_approval_until_then(settings: Settings,
                                                                                video_tool: Path) -> None:
    async with open_services(settings) as services:
        workspace = await services.local_workspace(USER)
        turn = await services.driver.start(workspace_id=workspace.id, user=USER, text=TIKTOK_AR,
                                           where=Where("console", "t", "failed-video"), today=TODAY)
        turn = await until(services, turn, "review")
        payload = turn.prompt.payload  # type: ignore[union-attr]
        assert "video:ar" in payload["failed"] and payload["missing_media"] == ["tiktok"], payload
        assert "video:ar" not in payload["message"] and f"تعذّر إنشاء {slot_label('video:ar', 'ar')}" in payload["message"]
        review = turn.prompt.interrupt_id  # type: ignore[union-attr]

        # Approving now would build TikTok ads with no video: refused, in Arabic, and the review stays.
        turn = await say(services, turn, "موافقة")
        assert turn.prompt is not None and turn.prompt.interrupt_id == review
        assert turn.notice is not None and "لن يكون لدى تيك توك ما تعرضه" in turn.notice, turn.notice

        # The tool is back: "make the video again" retries the one that failed.
        os.unlink(video_tool)  # noqa: ASYNC240 - one tiny file, the test is the only one waiting
        turn = await say(services, turn, "أعد إنشاء الفيديو")
        payload = turn.prompt.payload  # type: ignore[union-attr]
        assert turn.prompt.kind == "review" and "video:ar" in {a["slot"] for a in payload["assets"]}, payload
        assert "video:ar" not in payload["failed"] and payload["missing_media"] == []
        turn = await say(services, turn, "موافقة")
        assert turn.prompt is not None and turn.prompt.kind == "preview", (turn.notice, turn.prompt)


@pytest.mark.parametrize(("platforms", "slots", "missing"), [
    (["tiktok"], ["copy:ar", "image:ar:9x16"], ["tiktok"]),  # TikTok runs videos only
    (["tiktok", "meta"], ["copy:ar", "image:ar:1x1"], ["tiktok"]),
    (["meta", "snapchat"], ["copy:en", "video:en"], []),  # a video serves Meta and Snapchat alike
    (["meta"], ["copy:en", "voice:en"], ["meta"]),
    (["snapchat", "tiktok"], ["video:ar"], []),
])
def test_which_platforms_the_made_assets_cannot_serve(platforms: list[str], slots: list[str],
                                                      missing: list[str]) -> None:
    from agent.planning import platforms_without_media

    assert platforms_without_media(platforms, slots) == missing
