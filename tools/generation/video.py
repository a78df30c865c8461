"""Slideshow video provider: vertical MP4 (H.264 yuv420p + AAC) with Ken Burns pans, dips to black and the voice-over."""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
from pathlib import Path

from tools.generation.base import MediaResult, VideoBrief
from tools.generation.media import probe, run_ffmpeg

MIN_DURATION_S = 6.0  # inside every target platform's window (TikTok 5-60 s, Reels, Snap 3-180 s)
MAX_DURATION_S = 15.0
TRANSITION_S = 0.25  # dip to black between slides
OVERSCAN = 1.10  # slides are scaled 10% larger than the frame so the camera has room to move


def plan_duration(brief: VideoBrief, voice_s: float | None) -> float:
    """The voice-over sets the length (plus a breath at each end); without one, the brief does."""
    target = brief.duration_s if voice_s is None else voice_s + 1.0
    return round(min(MAX_DURATION_S, max(MIN_DURATION_S, target)), 2)


def _motion(k: int, seg: float) -> tuple[str, str]:
    """Crop window x/y expressions for slide k: alternate pans so consecutive slides move differently."""
    p = f"(t/{seg:.3f})"
    moves = (
        (f"(iw-ow)*{p}", f"(ih-oh)*{p}"),  # drift down-right
        (f"(iw-ow)*(1-{p})", "(ih-oh)/2"),  # pan left
        ("(iw-ow)/2", f"(ih-oh)*(1-{p})"),  # rise
        (f"(iw-ow)*{p}", "(ih-oh)/2"),  # pan right
    )
    return moves[k % len(moves)]


def segment_args(
    image: Path, out: Path, *, k: int, n: int, frames: int, width: int, height: int, fps: int, preset: str,
) -> list[str]:
    """One slide as its own H.264 clip: scale once, loop the frame, pan by cropping, dip to/from black."""
    seg = frames / fps
    big_w = int(width * OVERSCAN) // 2 * 2
    big_h = int(height * OVERSCAN) // 2 * 2
    x, y = _motion(k, seg)
    fade_in = 0.3 if k == 0 else TRANSITION_S
    fade_out = 0.5 if k == n - 1 else TRANSITION_S
    # Per frame there is only a crop (zoompan rescales every frame and is ~3x slower), and slides dip
    # through black rather than crossfade: xfade blends every frame and tripled the filter time.
    graph = (
        f"[0:v]scale={big_w}:{big_h}:force_original_aspect_ratio=increase,crop={big_w}:{big_h},setsar=1,"
        f"format=yuv420p,loop=loop=-1:size=1:start=0,fps={fps},setpts=PTS-STARTPTS,"
        f"crop={width}:{height}:x='{x}':y='{y}',"
        f"fade=t=in:st=0:d={fade_in:.2f},fade=t=out:st={seg - fade_out:.3f}:d={fade_out:.2f},format=yuv420p[v]"
    )
    return [
        "-y", "-i", str(image), "-filter_complex", graph, "-map", "[v]", "-frames:v", str(frames), "-r", str(fps),
        "-c:v", "libx264", "-preset", preset, "-crf", "23", "-pix_fmt", "yuv420p", "-g", str(fps * 2),
        "-an", str(out),
    ]


def mux_args(
    concat_list: Path, voice: Path | None, out: Path, *, duration: float, fps: int
) -> list[str]:
    """Join the slide clips without re-encoding and lay the voice-over (or silence) under them as AAC."""
    args = ["-y", "-f", "concat", "-safe", "0", "-i", str(concat_list)]
    if voice is not None:
        args += ["-i", str(voice)]
        # A short lead-in before the first word; pad with silence to the end of the picture.
        audio = (
            "[1:a]aformat=sample_rates=48000:channel_layouts=stereo,adelay=400:all=1,apad,"
            f"afade=t=out:st={max(0.0, duration - 0.5):.3f}:d=0.5[a]"
        )
    else:
        args += ["-f", "lavfi", "-t", f"{duration:.3f}", "-i", "anullsrc=r=48000:cl=stereo"]
        audio = "[1:a]aformat=sample_rates=48000:channel_layouts=stereo[a]"
    return args + [
        "-filter_complex", audio, "-map", "0:v", "-map", "[a]", "-t", f"{duration:.3f}", "-c:v", "copy",
        "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2", "-movflags", "+faststart", str(out),
    ]


class SlideshowVideoProvider:
    """Offline video: the campaign's images with slow pans and dips to black, voice-over as the soundtrack.

    Each slide is encoded as its own clip (concurrently unless `parallel_segments` is off), then the clips
    are joined by stream copy and the audio is muxed in: chunked encoding keeps both cores busy, where a
    single ffmpeg spends much of its time in its one-threaded filter graph.
    """

    name = "slideshow"

    def __init__(
        self, *, fps: int = 24, preset: str = "ultrafast", timeout_s: float = 120.0, parallel_segments: bool = True
    ) -> None:
        self.fps = fps
        self.preset = preset
        self.parallel_segments = parallel_segments
        self._timeout = timeout_s

    async def render(self, brief: VideoBrief, out_dir: Path) -> MediaResult:
        if not brief.image_paths:
            raise ValueError("a slideshow needs at least one image")
        for img in brief.image_paths:
            if not Path(img).is_file():
                raise FileNotFoundError(f"slide image missing: {img}")
        voice_s = None
        if brief.voice_path is not None:
            voice_info = await probe(brief.voice_path)
            if voice_info.audio is None:
                raise ValueError(f"voice file has no audio stream: {brief.voice_path}")
            voice_s = voice_info.duration_s
        duration = plan_duration(brief, voice_s)
        n = len(brief.image_paths)
        total_frames = round(duration * self.fps)
        frames = [total_frames // n + (1 if k < total_frames % n else 0) for k in range(n)]
        duration = total_frames / self.fps
        key = hashlib.sha256(brief.model_dump_json().encode()).hexdigest()[:10]
        out_dir.mkdir(parents=True, exist_ok=True)
        out = out_dir / f"video_{brief.language}_{brief.width}x{brief.height}_{key}.mp4"
        with tempfile.TemporaryDirectory(dir=out_dir, prefix=".slides-") as tmp:
            clips = [Path(tmp) / f"slide{k}.mp4" for k in range(n)]
            jobs = [
                segment_args(
                    Path(img), clips[k], k=k, n=n, frames=frames[k], width=brief.width, height=brief.height,
                    fps=self.fps, preset=self.preset,
                )
                for k, img in enumerate(brief.image_paths)
            ]
            if self.parallel_segments:
                await asyncio.gather(*(run_ffmpeg(a, timeout_s=self._timeout) for a in jobs))
            else:
                for a in jobs:
                    await run_ffmpeg(a, timeout_s=self._timeout)
            concat_list = Path(tmp) / "slides.txt"
            concat_list.write_text("".join(f"file '{c.name}'\n" for c in clips), encoding="utf-8")
            await run_ffmpeg(
                mux_args(concat_list, brief.voice_path, out, duration=duration, fps=self.fps),
                timeout_s=self._timeout,
            )
        info = await probe(out)
        if info.video is None or info.audio is None:
            raise RuntimeError("rendered video is missing a video or audio stream")
        return MediaResult(
            path=out, mime="video/mp4", width=info.video.width, height=info.video.height,
            duration_s=info.duration_s, provider=self.name,
            meta={
                "fps": self.fps, "video_codec": info.video.codec, "pix_fmt": info.video.pix_fmt,
                "audio_codec": info.audio.codec, "sample_rate": info.audio.sample_rate, "slides": n,
                "voice_over": brief.voice_path is not None, "size_bytes": out.stat().st_size,
            },
        )
