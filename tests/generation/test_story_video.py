"""The story video: scenes cut to the voice (found by ffmpeg's scene detector), captions burned in inside the
9:16 safe zone with readable contrast, and never shorter than its voice-over."""

from __future__ import annotations

import io
import math
import struct
import subprocess
import wave
from pathlib import Path

import pytest
from PIL import Image

from tools.generation.backgrounds import theme_style
from tools.generation.base import CopyVariant, ImageBrief, VideoBrief, VoiceBrief
from tools.generation.design import safe_zone
from tools.generation.image import ProceduralImageProvider
from tools.generation.media import ffmpeg_exe, probe, scene_changes, silences
from tools.generation.scenes import (
    MIN_CONTRAST,
    PLATE,
    PLATE_TEXT,
    FramesJob,
    card_colours,
    contrast_ratio,
    render_frames,
)
from tools.generation.storyboard import (
    LEAD_S,
    VIDEO_SAFE_ZONE,
    align_segments,
    plan_scenes,
    split_body,
    spoken_segments,
    synthetic_spans,
    video_length,
)
from tools.generation.studio import voice_script
from tools.generation.text import THEMES
from tools.generation.video import StoryboardVideoProvider
from tools.generation.voice import EspeakVoiceProvider

ARABIC = CopyVariant(
    language="ar",
    headline="عروض رمضان وصلت",
    primary_text="هالرمضان خذ أكثر وادفع أقل. لا يفوتك، خذ نصيبك اليوم.",
    description="عروض لفترة محدودة",
    cta="shop_now",
    cta_label="تسوّقي الحين",
)
ENGLISH = CopyVariant(
    language="en",
    headline="Ramadan Offers Are Here",
    primary_text="This Ramadan, give more and pay less. Don't miss out, get yours today.",
    description="Limited-time offers",
    cta="shop_now",
    cta_label="Shop Now",
)


def _video_brief(words: CopyVariant, **extra: object) -> VideoBrief:
    extra = {"theme": "ramadan", **extra}
    return VideoBrief(
        language=words.language,
        headline=words.headline,
        primary_text=words.primary_text,
        description=words.description,
        cta_label=words.cta_label,
        brand_name="ADLY Store",
        **extra,  # type: ignore[arg-type]
    )


async def _end_card(words: CopyVariant, out: Path) -> Path:
    brief = ImageBrief(theme="ramadan", headline=words.headline, cta_label=words.cta_label,
                       language=words.language, width=1080, height=1920)
    return (await ProceduralImageProvider().render(brief, out)).path


@pytest.mark.parametrize("words", [ARABIC, ENGLISH], ids=["ar", "en"])
async def test_the_video_tells_a_story_in_cuts_and_outlasts_its_voice(tmp_path: Path, words: CopyVariant) -> None:
    voice = await EspeakVoiceProvider().synthesize(VoiceBrief(script=voice_script(words), language=words.language),
                                                   tmp_path)
    end = await _end_card(words, tmp_path)
    result = await StoryboardVideoProvider().render(
        _video_brief(words, image_paths=[end], voice_path=voice.path), tmp_path
    )
    info = await probe(result.path)
    assert info.video is not None and info.audio is not None
    assert (info.video.codec, info.video.pix_fmt, info.video.width, info.video.height) == ("h264", "yuv420p", 1080, 1920)
    assert info.audio.codec == "aac" and info.audio.sample_rate == 48000

    voice_s = (await probe(voice.path)).duration_s
    assert voice_s is not None and info.duration_s is not None
    assert info.duration_s >= voice_s + LEAD_S  # every word is heard: the voice is never cut
    assert info.duration_s <= voice_s + LEAD_S + 1.0  # and the end holds no long silence

    scenes = result.meta["scenes"]
    assert 3 <= len(scenes) <= 5
    assert [s["role"] for s in scenes][0] == "hook" and scenes[-1]["role"] == "cta"
    # ffmpeg's own scene detector, not our timeline, finds the cuts: one where each scene starts, no other.
    cuts = await scene_changes(result.path, threshold=0.3)
    assert len(cuts) >= 3 and len(cuts) == len(scenes) - 1, cuts
    for scene, cut in zip(scenes[1:], cuts, strict=True):
        assert abs(cut - scene["start"]) <= 0.1, (scene, cuts)
    # The cuts fall in the voice's pauses, where one sentence ends and the next begins.
    pauses = [(a + LEAD_S, b + LEAD_S) for a, b in await silences(voice.path)]
    for scene in scenes[1:]:
        assert any(a - 0.05 <= scene["start"] <= b + 0.05 for a, b in pauses), (scene, pauses)
    captions = [c for s in scenes for c in s["captions"]]
    assert captions and all(c in words.primary_text for c in captions)  # the words said, as they are written


@pytest.mark.parametrize("theme", sorted(THEMES))
async def test_every_theme_cuts_where_its_scenes_change(tmp_path: Path, theme: str) -> None:
    """Cards take the theme colour farthest from its pictures, so every template's cuts are found."""
    end = await ProceduralImageProvider().render(
        ImageBrief(theme=theme, headline="Big Offers", cta_label="Shop Now", language="en", width=540, height=960),
        tmp_path,
    )
    brief = _video_brief(ENGLISH, image_paths=[end.path], width=540, height=960, duration_s=8.0, theme=theme)
    result = await StoryboardVideoProvider(fps=12).render(brief, tmp_path)
    starts = [s["start"] for s in result.meta["scenes"][1:]]
    cuts = await scene_changes(result.path, threshold=0.3)
    assert len(cuts) == len(starts) >= 3 and all(abs(c - s) <= 0.1 for c, s in zip(cuts, starts, strict=True))


async def test_a_long_voice_over_makes_a_long_video_not_a_cut_voice(tmp_path: Path) -> None:
    """The old slideshow stopped at 15 s: a 17 s voice-over must play to its last second."""
    voice = tmp_path / "long.wav"
    voice.write_bytes(_speech_like_wav([3.0, 5.0, 5.0, 4.0]))
    result = await StoryboardVideoProvider(fps=12).render(_video_brief(ENGLISH, voice_path=voice), tmp_path)
    assert result.duration_s is not None and result.duration_s >= 17.0 + 0.6 + LEAD_S - 0.05
    ends = [s["end"] for s in result.meta["scenes"]]
    assert ends[-1] == pytest.approx(result.duration_s, abs=0.1)


async def test_without_a_voice_the_story_still_has_its_scenes_and_a_silent_track(tmp_path: Path) -> None:
    result = await StoryboardVideoProvider(fps=12).render(_video_brief(ENGLISH, duration_s=8.0), tmp_path)
    info = await probe(result.path)
    assert info.audio is not None and info.duration_s == pytest.approx(8.0, abs=0.1)
    assert len(result.meta["scenes"]) == 4 and result.meta["scenes"][-1]["visual"] == "end"


async def test_captions_are_burned_into_the_frames(tmp_path: Path) -> None:
    result = await StoryboardVideoProvider(fps=12).render(_video_brief(ENGLISH, duration_s=8.0), tmp_path)
    captioned = next(s for s in result.meta["scenes"] if s["captions"])
    spans = synthetic_spans(split_body(spoken_segments(ENGLISH.headline, ENGLISH.primary_text, ENGLISH.cta_label)), 8.0)
    frames = render_frames(_job(ENGLISH, "ramadan", tmp_path / "frames", spans=spans, total_s=8.0))
    scene = next(f for f in frames if f.scene.cues and f.scene.start == captioned["start"])
    overlay = next(o for o in scene.overlays if o.path.name.startswith("caption"))
    at = scene.scene.start + (overlay.start + overlay.end) / 2
    frame = _frame_at(result.path, at)
    with Image.open(overlay.path) as caption:
        alpha = caption.getchannel("A")
        # Where the caption's glyphs are, the video shows them; around them, what the scene had without them.
        glyphs = [(x, y) for y in range(0, caption.height, 3) for x in range(0, caption.width, 3)
                  if caption.getpixel((x, y))[3] == 255 and caption.getpixel((x, y))[:3] != (0, 0, 0)]
        assert glyphs and alpha.getbbox() is not None
        diff = sum(
            sum(abs(a - b) for a, b in zip(frame.getpixel((overlay.x + x, overlay.y + y)),
                                           caption.getpixel((x, y))[:3], strict=True))
            for x, y in glyphs
        ) / (3 * len(glyphs))
    assert diff < 40, diff  # H.264 blurs glyph edges a little; a missing caption differs by far more


def _frame_at(path: Path, seconds: float) -> Image.Image:
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-ss", f"{seconds:.3f}", "-i", str(path), "-frames:v", "1",
         "-f", "image2pipe", "-vcodec", "png", "-"],
        capture_output=True, check=True, timeout=60,
    ).stdout
    return Image.open(io.BytesIO(raw)).convert("RGB")


def _job(words: CopyVariant, theme: str, out: Path, *, spans: list[tuple[float, float]], total_s: float,
         end_image: Path | None = None, product: str | None = None, offer: str | None = None) -> FramesJob:
    segments = split_body(spoken_segments(words.headline, words.primary_text, words.cta_label))
    plans = plan_scenes(segments, brand_name="ADLY Store", product=product, offer=offer,
                        description=words.description)
    return FramesJob(plans=plans, segments=segments, spans=spans, total_s=total_s, lead_s=LEAD_S, theme=theme,
                     width=1080, height=1920, language=words.language, variation=0, end_image=end_image,
                     brand_name="ADLY Store", cta_label=words.cta_label, out_dir=out)


@pytest.mark.parametrize("theme", ["ramadan", "white_friday", "founding_day", "summer", "back_to_school", "generic"])
@pytest.mark.parametrize("words", [ARABIC, ENGLISH], ids=["ar", "en"])
def test_every_text_sits_inside_the_safe_zone(tmp_path: Path, theme: str, words: CopyVariant) -> None:
    """The still images' margins (placements.margins_for) stay clear: top 14% and bottom 35% (Reels), 14% on
    both sides (TikTok's action column, on the left in its Arabic-region interface)."""
    segments = split_body(spoken_segments(words.headline, words.primary_text, words.cta_label))
    frames = render_frames(_job(words, theme, tmp_path, spans=synthetic_spans(segments, 9.0), total_s=9.0,
                                product="abaya", offer="30%"))
    left, top, right, bottom = VIDEO_SAFE_ZONE.box(1080, 1920)
    assert (left, top, right, bottom) == (151, 269, 929, 1248)
    still = safe_zone(1080, 1920)  # one source: the video's zone is the 9:16 image's
    assert (left, top, right, bottom) == (round(still.x0), round(still.y0), round(still.x1), round(still.y1))
    placed = 0
    for scene in frames:
        boxes = []
        for overlay in scene.overlays:
            with Image.open(overlay.path) as img:
                w, h = img.size
            assert left <= overlay.x and overlay.x + w <= right, (overlay, w)
            assert top <= overlay.y and overlay.y + h <= bottom, (overlay, h)
            boxes.append((overlay.x, overlay.y, overlay.x + w, overlay.y + h, overlay.start, overlay.end))
            placed += 1
        for i, a in enumerate(boxes):  # texts shown at the same time never overlap
            for b in boxes[i + 1:]:
                together = a[4] < b[5] and b[4] < a[5]
                assert not (together and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    assert placed >= 4


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_text_contrast_is_at_least_wcag_aa(theme: str) -> None:
    style = theme_style(theme)
    for pictures in ((12, 14, 40), (128, 128, 128), (240, 236, 226)):
        colours = card_colours(style, pictures)
        assert contrast_ratio(colours.ink, colours.top) >= MIN_CONTRAST
        assert contrast_ratio(colours.ink, colours.bottom) >= MIN_CONTRAST
    # White captions on the plate, whatever the picture under the plate is (white is the worst case).
    alpha = PLATE[3] / 255
    for under in ((255, 255, 255), (128, 128, 128), (0, 0, 0)):
        plate = tuple(round(u * (1 - alpha) + p * alpha) for u, p in zip(under, PLATE[:3], strict=True))
        assert contrast_ratio(PLATE_TEXT, plate) >= MIN_CONTRAST  # type: ignore[arg-type]


def test_scene_plan_is_hook_body_and_call_to_action_with_alternating_visuals() -> None:
    segments = split_body(spoken_segments(ENGLISH.headline, ENGLISH.primary_text, ENGLISH.cta_label))
    assert segments == ["Ramadan Offers Are Here", "This Ramadan, give more and pay less.",
                        "Don't miss out, get yours today.", "Shop Now"]
    plans = plan_scenes(segments, brand_name="ADLY Store", product="Abayas", offer="30%", description="Limited")
    assert [(p.role, p.visual, p.title) for p in plans] == [
        ("hook", "card", "Ramadan Offers Are Here"),
        ("benefit", "photo", "Abayas"),
        ("offer", "card", "30%"),
        ("cta", "end", None),
    ]
    # One body sentence with a comma is still two beats; without one, three scenes (the minimum).
    one = split_body(spoken_segments("Eid Deals", "New looks for Eid, at prices you will love.", "Shop"))
    assert len(plan_scenes(one, brand_name="B", product=None, offer=None, description=None)) == 4
    bare = split_body(spoken_segments("Eid Deals", "New looks.", "Shop"))
    assert [p.visual for p in plan_scenes(bare, brand_name="B", product=None, offer=None, description=None)] == [
        "photo", "card", "end"]
    many = spoken_segments("H", "One. Two. Three. Four. Five.", "Go")
    assert len(plan_scenes(many, brand_name="B", product=None, offer=None, description=None)) == 5


def test_voice_script_says_every_beat_as_a_sentence() -> None:
    assert voice_script(ENGLISH) == (
        "Ramadan Offers Are Here. This Ramadan, give more and pay less. Don't miss out, get yours today. Shop Now."
    )
    assert voice_script(ARABIC).endswith("تسوّقي الحين.")


def test_boundaries_move_to_the_sentence_pauses_not_the_commas() -> None:
    segments = ["Ramadan Offers Are Here", "This Ramadan, give more and pay less.",
                "Don't miss out, get yours today.", "Shop Now"]
    pauses = [(1.53, 1.95), (2.78, 3.0), (3.56, 3.71), (4.63, 5.05), (6.03, 6.25), (7.42, 7.84), (8.71, 9.12)]
    spans = align_segments(segments, 9.12, pauses)
    assert [round(b, 2) for _, b in spans[:-1]] == [1.74, 4.84, 7.63]
    assert spans[0][0] == 0.0 and spans[-1][1] == 8.71  # the trailing silence is not speech
    # No pauses at all: an even reading pace.
    even = align_segments(["aaaa", "aaaa"], 4.0, [])
    assert even == [(0.0, 2.0), (2.0, 4.0)]


def test_video_length_is_the_voice_plus_its_frame_and_never_less() -> None:
    assert video_length(None, 10.0) == 10.0
    assert video_length(2.0, 10.0) == 6.0  # platforms' minimum
    assert video_length(20.0, 10.0) == pytest.approx(20.0 + LEAD_S + 0.6)
    with pytest.raises(ValueError):
        video_length(70.0, 10.0)


def _speech_like_wav(parts: list[float], rate: int = 16000) -> bytes:
    """Tone bursts (the 'sentences') with 0.4 s of silence between them, for timing tests without a TTS."""
    samples: list[int] = []
    for k, seconds in enumerate(parts):
        if k:
            samples += [0] * int(0.4 * rate)
        samples += [int(9000 * math.sin(i / 9)) for i in range(int((seconds - (0.4 if k else 0)) * rate))]
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return buf.getvalue()
