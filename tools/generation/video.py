"""Slideshow video provider: vertical MP4 (H.264 yuv420p + AAC), Ken Burns pans, dips to black, voice-over."""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
from pathlib import Path

from PIL import Image, ImageEnhance, ImageFilter, ImageOps

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


def build_ffmpeg_args(
    images: list[Path],
    voice: Path | None,
    out: Path,
    *,
    width: int,
    height: int,
    frames: list[int],
    fps: int,
    preset: str,
    variation: int = 0,
) -> list[str]:
    """One ffmpeg run: per slide scale once, loop, pan by cropping, dip to/from black; concat; audio."""
    n = len(images)
    duration = sum(frames) / fps
    big_w = int(width * OVERSCAN) // 2 * 2
    big_h = int(height * OVERSCAN) // 2 * 2
    args: list[str] = ["-y"]
    for img in images:
        args += ["-i", str(img)]
    if voice is not None:
        args += ["-i", str(voice)]
    else:
        args += ["-f", "lavfi", "-t", f"{duration:.3f}", "-i", "anullsrc=r=48000:cl=stereo"]
    parts: list[str] = []
    for k in range(n):
        seg = frames[k] / fps
        x, y = _motion(k + variation, seg)
        fade_in = 0.3 if k == 0 else TRANSITION_S
        fade_out = 0.5 if k == n - 1 else TRANSITION_S
        # Per frame there is only a crop (zoompan rescales every frame and is ~3x slower), and slides dip
        # through black rather than crossfade (xfade blends every frame and tripled the filter time).
        # out_range=tv: JPEG slides are full range; players and ad platforms expect limited-range yuv420p.
        parts.append(
            f"[{k}:v]scale={big_w}:{big_h}:force_original_aspect_ratio=increase:out_range=tv,"
            f"crop={big_w}:{big_h},setsar=1,format=yuv420p,loop=loop=-1:size=1:start=0,fps={fps},"
            f"trim=end_frame={frames[k]},setpts=PTS-STARTPTS,crop={width}:{height}:x='{x}':y='{y}',"
            f"fade=t=in:st=0:d={fade_in:.2f},fade=t=out:st={seg - fade_out:.3f}:d={fade_out:.2f}[s{k}]"
        )
    parts.append("".join(f"[s{k}]" for k in range(n)) + f"concat=n={n}:v=1:a=0,format=yuv420p[v]")
    if voice is not None:
        # A short lead-in before the first word; pad with silence to the end of the picture.
        parts.append(
            f"[{n}:a]aformat=sample_rates=48000:channel_layouts=stereo,adelay=400:all=1,apad,"
            f"afade=t=out:st={max(0.0, duration - 0.5):.3f}:d=0.5[a]"
        )
    else:
        parts.append(f"[{n}:a]aformat=sample_rates=48000:channel_layouts=stereo[a]")
    return args + [
        "-filter_complex",
        ";".join(parts),
        "-map",
        "[v]",
        "-map",
        "[a]",
        "-t",
        f"{duration:.3f}",
        "-r",
        str(fps),
        # x264 picks its own thread count (1.5 per core). Measured on 2 cores for this graph: auto 1.7 s wall,
        # 2 threads 1.8 s, 1 thread 2.3 s, all at ~3.0 CPU-s, and a one-threaded filter graph saved nothing.
        # Fewer threads would only slow a video made alone; beside other work the cores are full either way.
        "-c:v",
        "libx264",
        "-preset",
        preset,
        "-crf",
        "23",
        "-pix_fmt",
        "yuv420p",
        "-color_range",
        "tv",
        "-g",
        str(fps * 2),
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        "-ar",
        "48000",
        "-ac",
        "2",
        "-movflags",
        "+faststart",
        str(out),
    ]


def fit_slides(images: list[Path], width: int, height: int, tmp: Path) -> list[Path]:
    """Slides of another shape (a 1:1 or 4:5 ad in a 9:16 video) are shown whole over a blurred, darkened
    fill of themselves; cropping them to cover the frame would cut their headline and button off."""
    target = width / height
    fitted: list[Path] = []
    for k, path in enumerate(images):
        with Image.open(path) as src:
            # The header has the size: a slide that already fits (the usual 9:16 one) is never decoded.
            if abs(src.width / src.height - target) / target < 0.05:
                fitted.append(path)
                continue
            img = src.convert("RGB")
        back = ImageOps.fit(img, (width // 4, height // 4), Image.Resampling.BILINEAR)
        back = back.filter(ImageFilter.GaussianBlur(12)).resize((width, height), Image.Resampling.BILINEAR)
        back = ImageEnhance.Brightness(back).enhance(0.55)
        # Leave room for the camera's pan: the picture stays whole inside the frame after the overscan crop.
        front = ImageOps.contain(
            img, (int(width / OVERSCAN), int(height / OVERSCAN)), Image.Resampling.LANCZOS
        )
        back.paste(front, ((width - front.width) // 2, (height - front.height) // 2))
        out = tmp / f"fitted{k}.jpg"
        back.save(out, "JPEG", quality=92)
        fitted.append(out)
    return fitted


class SlideshowVideoProvider:
    """Offline video: the campaign's images with slow pans and dips to black, voice-over as the soundtrack."""

    name = "slideshow"

    def __init__(self, *, fps: int = 24, preset: str = "ultrafast", timeout_s: float = 120.0) -> None:
        self.fps = fps
        self.preset = preset
        self._timeout = timeout_s

    async def render(self, brief: VideoBrief, out_dir: Path) -> MediaResult:
        if not brief.image_paths:
            raise ValueError("a slideshow needs at least one image")
        missing = await asyncio.to_thread(lambda: [p for p in brief.image_paths if not Path(p).is_file()])
        if missing:
            raise FileNotFoundError(f"slide image missing: {missing[0]}")
        voice_s = None
        if brief.voice_path is not None:
            voice_info = await probe(brief.voice_path)
            if voice_info.audio is None:
                raise ValueError(f"voice file has no audio stream: {brief.voice_path}")
            voice_s = voice_info.duration_s
        n = len(brief.image_paths)
        total_frames = round(plan_duration(brief, voice_s) * self.fps)
        frames = [total_frames // n + (1 if k < total_frames % n else 0) for k in range(n)]
        key = hashlib.sha256(brief.model_dump_json().encode()).hexdigest()[:10]
        await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
        out = out_dir / f"video_{brief.language}_{brief.width}x{brief.height}_{key}.mp4"
        with tempfile.TemporaryDirectory(dir=out_dir, prefix=".slides-") as tmp:
            slides = await asyncio.to_thread(
                fit_slides, [Path(p) for p in brief.image_paths], brief.width, brief.height, Path(tmp)
            )
            args = build_ffmpeg_args(
                slides,
                brief.voice_path,
                out,
                width=brief.width,
                height=brief.height,
                frames=frames,
                fps=self.fps,
                preset=self.preset,
                variation=brief.variation,
            )
            await run_ffmpeg(args, timeout_s=self._timeout)
        info = await probe(out)
        if info.video is None or info.audio is None:
            raise RuntimeError("rendered video is missing a video or audio stream")
        return MediaResult(
            path=out,
            mime="video/mp4",
            width=info.video.width,
            height=info.video.height,
            duration_s=info.duration_s,
            provider=self.name,
            meta={
                "fps": self.fps,
                "video_codec": info.video.codec,
                "pix_fmt": info.video.pix_fmt,
                "audio_codec": info.audio.codec,
                "sample_rate": info.audio.sample_rate,
                "slides": n,
                "voice_over": brief.voice_path is not None,
                "size_bytes": (await asyncio.to_thread(out.stat)).st_size,
            },
        )
