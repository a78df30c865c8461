"""ffmpeg plumbing: the bundled binary, async runs, and media info read back from `ffmpeg -i`."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


class FFmpegError(RuntimeError):
    pass


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """imageio-ffmpeg ships a static ffmpeg; there is no ffprobe, so info is parsed from `ffmpeg -i`."""
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


@dataclass(frozen=True)
class VideoStream:
    codec: str
    pix_fmt: str | None
    width: int
    height: int
    fps: float | None


@dataclass(frozen=True)
class AudioStream:
    codec: str
    sample_rate: int | None
    channels: str | None


@dataclass(frozen=True)
class MediaInfo:
    duration_s: float | None
    video: VideoStream | None
    audio: AudioStream | None
    bitrate_kbps: int | None = None


_DURATION_RE = re.compile(r"Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)")
_BITRATE_RE = re.compile(r"Duration:.*?bitrate:\s*(\d+)\s*kb/s")
_VIDEO_RE = re.compile(r"Stream #\d+:\d+\S*: Video: (\w+)(?P<rest>.*)")
_AUDIO_RE = re.compile(r"Stream #\d+:\d+\S*: Audio: (\w+)(?P<rest>.*)")
_SIZE_RE = re.compile(r",\s*(\d{2,5})x(\d{2,5})\b")
_PIXFMT_RE = re.compile(r"\),\s*([a-z0-9_]+)(?:\(|,)|^\s*,\s*([a-z0-9_]+)(?:\(|,)")
_FPS_RE = re.compile(r"([\d.]+)\s*fps")
_RATE_RE = re.compile(r"(\d+)\s*Hz")
_CHANNELS_RE = re.compile(r"Hz,\s*([a-z0-9.() ]+?),")


def parse_media_info(text: str) -> MediaInfo:
    """Duration and first video/audio stream from ffmpeg's banner (stderr of `ffmpeg -i FILE`)."""
    duration = None
    if m := _DURATION_RE.search(text):
        duration = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    bitrate = int(m.group(1)) if (m := _BITRATE_RE.search(text)) else None
    video = None
    if m := _VIDEO_RE.search(text):
        rest = m.group("rest")
        size = _SIZE_RE.search(rest)
        pix = _PIXFMT_RE.search(rest)
        fps = _FPS_RE.search(rest)
        if size:
            video = VideoStream(
                codec=m.group(1),
                pix_fmt=(pix.group(1) or pix.group(2)) if pix else None,
                width=int(size.group(1)),
                height=int(size.group(2)),
                fps=float(fps.group(1)) if fps else None,
            )
    audio = None
    if m := _AUDIO_RE.search(text):
        rest = m.group("rest")
        rate = _RATE_RE.search(rest)
        channels = _CHANNELS_RE.search(rest)
        audio = AudioStream(
            codec=m.group(1),
            sample_rate=int(rate.group(1)) if rate else None,
            channels=channels.group(1).strip() if channels else None,
        )
    return MediaInfo(duration_s=duration, video=video, audio=audio, bitrate_kbps=bitrate)


async def run_ffmpeg(args: list[str], *, timeout_s: float = 120.0) -> str:
    """Run ffmpeg as an asyncio subprocess; return its stderr, raise FFmpegError with the tail on failure."""
    proc = await asyncio.create_subprocess_exec(
        ffmpeg_exe(),
        "-hide_banner",
        "-nostdin",
        *args,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, err = await asyncio.wait_for(proc.communicate(), timeout_s)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise FFmpegError(f"ffmpeg timed out after {timeout_s:.0f}s") from None
    stderr = err.decode("utf-8", "replace")
    if proc.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-6:])
        raise FFmpegError(f"ffmpeg exited {proc.returncode}: {tail}")
    return stderr


async def probe(path: Path) -> MediaInfo:
    """Media info of `path` (ffmpeg exits 1 without an output file; its banner is what we read)."""
    proc = await asyncio.create_subprocess_exec(
        ffmpeg_exe(),
        "-hide_banner",
        "-nostdin",
        "-i",
        str(path),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    text = err.decode("utf-8", "replace")
    if "Duration:" not in text:
        raise FFmpegError(f"ffmpeg could not read {path.name}: {text.strip().splitlines()[-1:]}")
    return parse_media_info(text)


_SILENCE_START_RE = re.compile(r"silence_start:\s*(-?[\d.]+)")
_SILENCE_END_RE = re.compile(r"silence_end:\s*([\d.]+)")
_PTS_TIME_RE = re.compile(r"pts_time:\s*([\d.]+)")


def parse_silences(text: str, duration_s: float | None) -> list[tuple[float, float]]:
    """(start, end) of each silence silencedetect reported; one still open at the end ends with the file."""
    found: list[tuple[float, float]] = []
    start: float | None = None
    for line in text.splitlines():
        if m := _SILENCE_START_RE.search(line):
            start = max(0.0, float(m.group(1)))
        elif (m := _SILENCE_END_RE.search(line)) and start is not None:
            found.append((start, float(m.group(1))))
            start = None
    if start is not None and duration_s is not None:
        found.append((start, duration_s))
    return found


async def silences(
    path: Path, *, noise_db: float = -32.0, min_s: float = 0.12, timeout_s: float = 60.0
) -> list[tuple[float, float]]:
    """The pauses in a voice-over (quieter than `noise_db` for at least `min_s`): where its sentences end."""
    info = await probe(path)
    stderr = await run_ffmpeg(
        ["-i", str(path), "-af", f"silencedetect=noise={noise_db}dB:d={min_s}", "-f", "null", "-"],
        timeout_s=timeout_s,
    )
    return parse_silences(stderr, info.duration_s)


async def scene_changes(path: Path, *, threshold: float = 0.3, timeout_s: float = 120.0) -> list[float]:
    """Times of the cuts ffmpeg's scene detector finds in a video (frames whose scene score > threshold)."""
    stderr = await run_ffmpeg(
        ["-i", str(path), "-an", "-vf", f"select='gt(scene,{threshold})',showinfo", "-f", "null", "-"],
        timeout_s=timeout_s,
    )
    return [float(m.group(1)) for line in stderr.splitlines() if "Parsed_showinfo" in line
            if (m := _PTS_TIME_RE.search(line))]
