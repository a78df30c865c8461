"""Story video provider: 3-5 scenes cut to the voice-over, burned-in captions, the ad as the end card (H.264+AAC)."""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
from pathlib import Path

from tools.generation.base import MediaResult, VideoBrief
from tools.generation.brand import brand_for_language, with_brand_for_language
from tools.generation.media import probe, run_ffmpeg, silences
from tools.generation.scenes import OVERSCAN, FramesJob, SceneFrames, render_frames
from tools.generation.storyboard import (
    LEAD_S,
    SafeZone,
    align_segments,
    plan_scenes,
    split_body,
    spoken_segments,
    synthetic_spans,
    video_length,
)
from tools.generation.text import language_key, localize_product, normalize_theme
from tools.generation.workers import run_cpu


def _motion(k: int, seconds: float) -> tuple[str, str]:
    """Crop window x/y expressions for a picture scene: consecutive pictures move different ways."""
    p = f"(t/{seconds:.3f})"
    moves = (
        (f"(iw-ow)*{p}", f"(ih-oh)*{p}"),  # drift down-right
        (f"(iw-ow)*(1-{p})", "(ih-oh)/2"),  # pan left
        ("(iw-ow)/2", f"(ih-oh)*(1-{p})"),  # rise
        (f"(iw-ow)*{p}", "(ih-oh)/2"),  # pan right
    )
    return moves[k % len(moves)]


def scene_frames(starts: list[float], total_s: float, fps: int) -> list[int]:
    """Frames per scene, cut on the frame nearest each scene's start, adding up to the whole video."""
    marks = [round(s * fps) for s in starts] + [round(total_s * fps)]
    return [max(1, marks[k + 1] - marks[k]) for k in range(len(starts))]


def build_ffmpeg_args(
    scenes: list[SceneFrames],
    voice: Path | None,
    out: Path,
    *,
    width: int,
    height: int,
    total_s: float,
    fps: int,
    preset: str,
    variation: int = 0,
) -> list[str]:
    """One ffmpeg run: each scene's still held (pictures panned), its overlays timed on it; hard cuts; audio."""
    frames = scene_frames([s.scene.start for s in scenes], total_s, fps)
    duration = sum(frames) / fps
    big_w = int(width * OVERSCAN) // 2 * 2
    big_h = int(height * OVERSCAN) // 2 * 2
    args: list[str] = ["-y"]
    inputs = 0
    still_index: list[int] = []
    overlay_index: list[list[int]] = []
    for scene in scenes:
        args += ["-i", str(scene.still)]
        still_index.append(inputs)
        inputs += 1
        overlay_index.append([])
        for overlay in scene.overlays:
            args += ["-i", str(overlay.path)]
            overlay_index[-1].append(inputs)
            inputs += 1
    if voice is not None:
        args += ["-i", str(voice)]
    else:
        args += ["-f", "lavfi", "-t", f"{duration:.3f}", "-i", "anullsrc=r=48000:cl=stereo"]
    audio = inputs
    parts: list[str] = []
    for k, scene in enumerate(scenes):
        seconds = frames[k] / fps
        # out_range=tv: JPEG stills are full range; players and ad platforms expect limited-range yuv420p.
        if scene.moves:
            x, y = _motion(k + variation, seconds)
            head = (
                f"[{still_index[k]}:v]scale={big_w}:{big_h}:out_range=tv,setsar=1,format=yuv420p,"
                f"loop=loop=-1:size=1:start=0,fps={fps},trim=end_frame={frames[k]},setpts=PTS-STARTPTS,"
                f"crop={width}:{height}:x='{x}':y='{y}'"
            )
        else:
            head = (
                f"[{still_index[k]}:v]scale={width}:{height}:out_range=tv,setsar=1,format=yuv420p,"
                f"loop=loop=-1:size=1:start=0,fps={fps},trim=end_frame={frames[k]},setpts=PTS-STARTPTS"
            )
        parts.append(f"{head}[b{k}_0]")
        # Captions and titles stay put while the picture under them moves: they are laid on after the pan.
        for j, (overlay, index) in enumerate(zip(scene.overlays, overlay_index[k], strict=True)):
            enable = f"between(t,{overlay.start:.3f},{max(overlay.start, overlay.end - 0.5 / fps):.3f})"
            parts.append(
                f"[b{k}_{j}][{index}:v]overlay=x={overlay.x}:y={overlay.y}:enable='{enable}'"
                f":format=yuv420[b{k}_{j + 1}]"
            )
        parts.append(f"[b{k}_{len(scene.overlays)}]format=yuv420p[s{k}]")
    n = len(scenes)
    parts.append(
        # No fade from or to black: the hook is seen from the first frame (feeds autoplay, and viewers decide in
        # the first second), and the end card holds to the last one (the ad loops).
        "".join(f"[s{k}]" for k in range(n)) + f"concat=n={n}:v=1:a=0,format=yuv420p[v]"
    )
    if voice is not None:
        # The voice starts after a short lead-in and is padded with silence to the end of the picture; the
        # picture is at least as long as lead-in + voice + hold, so no word is ever cut.
        parts.append(
            f"[{audio}:a]aformat=sample_rates=48000:channel_layouts=stereo,"
            f"adelay={round(LEAD_S * 1000)}:all=1,apad"
            f"[a]"
        )
    else:
        parts.append(f"[{audio}:a]aformat=sample_rates=48000:channel_layouts=stereo[a]")
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


class StoryboardVideoProvider:
    """Offline video with a story: hook, benefit, offer and call to action, cut where the voice pauses.

    Each scene is a picture of the theme or a card in its colours, with the words being said burned in as
    captions (shaped right to left for Arabic) inside the 9:16 safe zone; the ad itself ends it.
    """

    name = "storyboard"

    def __init__(self, *, fps: int = 24, preset: str = "ultrafast", timeout_s: float = 120.0) -> None:
        self.fps = fps
        self.preset = preset
        self._timeout = timeout_s

    async def render(self, brief: VideoBrief, out_dir: Path) -> MediaResult:
        if not brief.headline.strip():
            raise ValueError("a story video needs the ad's words (at least its headline)")
        end_image = await asyncio.to_thread(Path(brief.image_paths[0]).absolute) if brief.image_paths else None
        if end_image is not None and not await asyncio.to_thread(end_image.is_file):
            raise FileNotFoundError(f"end card image missing: {end_image}")
        voice_s: float | None = None
        pauses: list[tuple[float, float]] = []
        if brief.voice_path is not None:
            voice_info = await probe(brief.voice_path)
            if voice_info.audio is None or not voice_info.duration_s:
                raise ValueError(f"voice file has no audio stream: {brief.voice_path}")
            voice_s = voice_info.duration_s
            pauses = await silences(brief.voice_path)
        # Captions show what the voice says: the brand in the video's language (as studio.voice_script says it).
        segments = [
            with_brand_for_language(segment, brief.brand_name, brief.language, brief.brand_name_ar)
            for segment in split_body(spoken_segments(brief.headline, brief.primary_text, brief.cta_label))
        ]
        total = video_length(voice_s, brief.duration_s)
        spans = (
            align_segments(segments, voice_s, pauses) if voice_s is not None else synthetic_spans(segments, total)
        )
        theme = normalize_theme(brief.theme)
        # The brand as the video's language writes it: an Arabic hook and end card never show a Latin-only name.
        brand = brand_for_language(brief.brand_name, brief.language, brief.brand_name_ar)
        plans = plan_scenes(
            segments,
            brand_name=brand,
            product=localize_product(brief.product, language_key(brief.language, "gulf")),
            offer=brief.offer,
            description=brief.description or None,
        )
        key = hashlib.sha256(brief.model_dump_json().encode()).hexdigest()[:10]
        await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
        out_dir = await asyncio.to_thread(out_dir.absolute)  # the worker process may run elsewhere
        out = out_dir / f"video_{brief.language}_{brief.width}x{brief.height}_{key}.mp4"
        with tempfile.TemporaryDirectory(dir=out_dir, prefix=".scenes-") as tmp:
            job = FramesJob(
                plans=plans,
                segments=segments,
                spans=spans,
                total_s=total,
                lead_s=LEAD_S,
                theme=theme,
                width=brief.width,
                height=brief.height,
                language=brief.language,
                variation=brief.variation,
                end_image=end_image,
                brand_name=brand,
                cta_label=brief.cta_label,
                out_dir=Path(tmp),
            )
            scenes = await run_cpu(render_frames, job)
            args = build_ffmpeg_args(
                scenes,
                brief.voice_path,
                out,
                width=brief.width,
                height=brief.height,
                total_s=total,
                fps=self.fps,
                preset=self.preset,
                variation=brief.variation,
            )
            await run_ffmpeg(args, timeout_s=self._timeout)
        info = await probe(out)
        if info.video is None or info.audio is None:
            raise RuntimeError("rendered video is missing a video or audio stream")
        zone = SafeZone.for_frame(brief.width, brief.height)
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
                "voice_over": brief.voice_path is not None,
                "voice_s": voice_s,
                "scenes": [
                    {
                        "role": s.scene.plan.role,
                        "visual": s.scene.plan.visual,
                        "start": s.scene.start,
                        "end": s.scene.end,
                        "title": s.scene.plan.title,
                        "kicker": s.scene.plan.kicker,
                        "captions": [c.text for c in s.scene.cues],
                    }
                    for s in scenes
                ],
                "safe_zone": {"top": zone.top, "bottom": zone.bottom, "left": zone.left, "right": zone.right,
                              "source": zone.source},
                "size_bytes": (await asyncio.to_thread(out.stat)).st_size,
            },
        )
