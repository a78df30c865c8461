"""`adly demo` publishes Snapchat beside TikTok, and all three platforms together, live."""

from __future__ import annotations

import json

import pytest

from bot.console import run_demo
from bot.settings import Settings

SNAP_TIKTOK = (
    "Create Snapchat and TikTok campaign for Ramadan sale with 1000 SAR budget targeting women 25-40 in Riyadh"
)
ALL_THREE = (
    "Create Instagram, TikTok and Snapchat campaign for Ramadan sale with 3000 SAR budget "
    "targeting women 25-40 in Riyadh"
)


@pytest.mark.parametrize(("text", "expected"), [(SNAP_TIKTOK, {"snapchat", "tiktok"}),
                                                 (ALL_THREE, {"meta", "snapchat", "tiktok"})])  # fmt: skip
async def test_demo_publishes_snapchat_live(settings: Settings, capsys: pytest.CaptureFixture[str], text: str,
                                            expected: set[str]) -> None:  # fmt: skip
    code = await run_demo(settings, text, as_json=True)
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0, "\n".join(out[-40:])
    summary = json.loads(out[-1])
    assert summary["status"] == "live"
    platforms = {p["platform"]: p for p in summary["platforms"]}
    assert set(platforms) == expected
    for p in platforms.values():
        assert p["external_campaign_id"] and p["status"] == "active"
        assert p["ad_sets"] and all(s["external_id"] and s["status"] == "active" for s in p["ad_sets"])
        assert p["ads"] and all(a["external_id"] and a["status"] == "active" for a in p["ads"])
    # Snapchat reaches Riyadh through its region (it has no city targeting there) and runs vertical video.
    snap = platforms["snapchat"]
    assert len(snap["ads"]) == 2  # one per language
