"""Images and voice-over: sizes, streams and durations, read back from the files with ffmpeg (video: test_story_video)."""

from __future__ import annotations

import base64
import io
import json
import math
import struct
import wave
from pathlib import Path

import httpx
import pytest
from PIL import Image

from tools.generation.base import IMAGE_SIZES, ImageBrief, VoiceBrief
from tools.generation.image import OpenAIImageProvider, ProceduralImageProvider
from tools.generation.media import parse_media_info, probe
from tools.generation.voice import EspeakVoiceProvider, OpenAITTSProvider


def _brief(size: tuple[int, int], language: str = "ar", theme: str = "ramadan") -> ImageBrief:
    headline = "ليالي رمضان أحلى معنا" if language == "ar" else "Ramadan Offers Are Here"
    return ImageBrief(
        theme=theme,
        headline=headline,
        cta_label="تسوّقي الحين" if language == "ar" else "Shop Now",
        language=language,
        width=size[0],
        height=size[1],
        brand_name="ADLY Store",
    )


@pytest.mark.parametrize("size", IMAGE_SIZES)
async def test_procedural_images_have_the_placement_size(tmp_path: Path, size: tuple[int, int]) -> None:
    result = await ProceduralImageProvider().render(_brief(size), tmp_path)
    with Image.open(result.path) as img:
        assert img.size == size and img.format == "JPEG" and img.mode == "RGB"
    assert (result.width, result.height, result.mime) == (*size, "image/jpeg")


async def test_every_theme_renders_and_differs(tmp_path: Path) -> None:
    from tools.generation.text import THEMES

    colours = set()
    for theme in THEMES:
        result = await ProceduralImageProvider().render(_brief((1080, 1080), "en", theme), tmp_path)
        with Image.open(result.path) as img:
            colours.add(img.resize((1, 1)).getpixel((0, 0)))
    assert len(colours) == len(THEMES)


def _wav_bytes(seconds: float = 1.5, rate: int = 24000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(
            b"".join(struct.pack("<h", int(8000 * math.sin(i / 20))) for i in range(int(seconds * rate)))
        )
    return buf.getvalue()


async def test_espeak_arabic_female_draft_voice(tmp_path: Path) -> None:
    result = await EspeakVoiceProvider().synthesize(
        VoiceBrief(script="رمضان كريم. تسوّقي الحين من متجرنا.", language="ar"), tmp_path
    )
    assert result.meta["draft"] is True and result.meta["voice"] == "ar+f3"
    assert result.mime == "audio/wav" and result.duration_s is not None and 1.0 < result.duration_s < 15
    info = await probe(result.path)
    assert info.audio is not None and info.video is None
    assert info.duration_s == pytest.approx(result.duration_s, abs=0.05)


def test_parse_ffmpeg_banner() -> None:
    banner = "\n".join(
        [
            "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x.mp4':",
            "  Duration: 00:00:10.46, start: 0.000000, bitrate: 1933 kb/s",
            "  Stream #0:0[0x1](und): Video: h264 (Constrained Baseline) (avc1 / 0x31637661), "
            "yuv420p(tv, progressive), 1080x1920 [SAR 1:1 DAR 9:16], 1800 kb/s, "
            "24 fps, 24 tbr, 12288 tbn (default)",
            "  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), "
            "48000 Hz, stereo, fltp, 128 kb/s (default)",
        ]
    )
    info = parse_media_info(banner)
    assert info.duration_s == pytest.approx(10.46)
    assert info.video is not None and (info.video.width, info.video.height, info.video.pix_fmt) == (
        1080,
        1920,
        "yuv420p",
    )
    assert info.video.fps == 24.0
    assert info.audio is not None and info.audio.sample_rate == 48000 and info.audio.channels == "stereo"


async def test_openai_image_provider_lays_text_on_the_key_visual(tmp_path: Path) -> None:
    visual = io.BytesIO()
    Image.new("RGB", (1024, 1536), (30, 90, 160)).save(visual, "PNG")
    calls: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append(body)
        assert request.url.path == "/v1/images/generations"
        assert request.headers["Authorization"] == "Bearer sk-test"
        return httpx.Response(
            200, json={"data": [{"b64_json": base64.b64encode(visual.getvalue()).decode()}]}
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        provider = OpenAIImageProvider(api_key="sk-test", http=http)
        ar = await provider.render(_brief((1080, 1920)), tmp_path)
        en = await provider.render(_brief((1080, 1920), "en"), tmp_path)
    assert len(calls) == 1  # one key visual serves both languages
    assert calls[0]["size"] == "1024x1536" and "no text" in str(calls[0]["prompt"]).lower()
    assert ar.path != en.path
    with Image.open(ar.path) as img:
        assert img.size == (1080, 1920)


async def test_openai_tts_provider_writes_wav_with_duration(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        assert request.url.path == "/v1/audio/speech"
        assert (
            body["voice"] == "shimmer" and body["response_format"] == "wav" and "Gulf" in body["instructions"]
        )
        return httpx.Response(200, content=_wav_bytes(2.0))

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        result = await OpenAITTSProvider(api_key="sk-test", http=http).synthesize(
            VoiceBrief(script="رمضان كريم", language="ar"), tmp_path
        )
    assert result.meta["draft"] is False
    assert result.duration_s == pytest.approx(2.0, abs=0.05)


async def test_openai_http_error_is_a_provider_failure(tmp_path: Path) -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(429))) as http:
        with pytest.raises(httpx.HTTPStatusError):
            await OpenAITTSProvider(api_key="k", http=http).synthesize(
                VoiceBrief(script="hi", language="en"), tmp_path
            )
