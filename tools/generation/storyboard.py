"""The video's story as data: what the voice says, the scenes that show it, when each cut and caption falls."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Literal

from tools.generation.placements import margins_for

SceneRole = Literal["hook", "benefit", "offer", "cta"]
Visual = Literal["photo", "card", "end"]

MIN_SCENES = 3
MAX_SCENES = 5
LEAD_S = 0.25  # silence before the first word: the hook is on screen before it is said
TAIL_S = 0.6  # the end card stays up after the last word, so the voice is never cut
MIN_DURATION_S = 6.0  # inside every vertical placement's window (TikTok 5-60 s, Reels, Snap 3-180 s)
MAX_DURATION_S = 60.0  # TikTok's and Reels' ad length; a longer voice-over is refused, never cut

_SENTENCE_END = re.compile(r"(?<=[.!?؟…])\s+")
_TERMINAL = ".!?؟…"
_COMMA = re.compile(r"[،,]\s+")


@dataclass(frozen=True)
class SafeZone:
    """Fractions of the frame kept free of text: those of the still images of the same size
    (placements.margins_for), so the video and its end card (the 9:16 ad) clear the same interfaces.

    A 9:16 video runs on TikTok, Snapchat, Reels and Stories, so it keeps the strictest margin of each side:
    top 14% and bottom 35% (Reels), and TikTok's action column on both sides (it is on the left in the
    Arabic-region interface), so centred text stays centred.
    """

    top: float
    bottom: float
    left: float
    right: float
    source: str = ""

    @classmethod
    def for_frame(cls, width: int, height: int) -> SafeZone:
        m = margins_for(width, height)
        return cls(m.top, m.bottom, m.left, m.right, m.source)

    def box(self, width: int, height: int) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in pixels."""
        return (
            round(width * self.left),
            round(height * self.top),
            round(width * (1 - self.right)),
            round(height * (1 - self.bottom)),
        )


VIDEO_SAFE_ZONE = SafeZone.for_frame(1080, 1920)  # the size every story video is made at


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def spoken_segments(headline: str, primary_text: str, cta_label: str) -> list[str]:
    """What the voice-over says, one segment per beat: the headline, each sentence of the text, the CTA."""
    parts = [headline.strip(), *sentences(primary_text), cta_label.strip()]
    return [p for p in parts if p]


def voice_script(headline: str, primary_text: str, cta_label: str) -> str:
    """The voice-over's script: its segments as sentences, so the speaker pauses where the video cuts."""
    return " ".join(_as_sentence(s) for s in spoken_segments(headline, primary_text, cta_label))


def _as_sentence(segment: str) -> str:
    return segment if segment[-1] in _TERMINAL else f"{segment}."


def caption_text(segment: str) -> str:
    """A caption drops the full stop a sentence ends with (subtitles do); ! and ? carry meaning and stay."""
    return segment[:-1].rstrip() if segment.endswith(".") and len(segment) > 1 else segment


@dataclass(frozen=True)
class ScenePlan:
    role: SceneRole
    visual: Visual  # photo: the theme's picture; card: a flat contrasting card; end: the ad itself
    segments: tuple[int, ...]  # which spoken segments play over it
    title: str | None = None  # a short on-screen title (brand, product, offer); captions are separate
    kicker: str | None = None  # a small line above everything (the brand, on the hook)
    captioned: bool = True  # False when the title already is the words said (the hook's headline)


def plan_scenes(
    segments: Sequence[str],
    *,
    brand_name: str,
    product: str | None,
    offer: str | None,
    description: str | None,
) -> list[ScenePlan]:
    """3-5 scenes: hook (the headline), one to three body beats (benefit, then offer), the call to action.

    The last scene is the ad itself (its CTA button shows the words said over it). Visuals alternate
    backwards from it, picture and contrasting card, so every cut changes most of the frame.
    """
    if len(segments) < 2:
        raise ValueError("a story needs at least a headline and a call to action")
    hook, *body, cta = range(len(segments))
    groups: list[tuple[int, ...]] = [(i,) for i in body]
    if len(groups) > MAX_SCENES - 2:  # more sentences than beats: the last beat says the rest
        keep = MAX_SCENES - 3
        groups = [*groups[:keep], tuple(i for g in groups[keep:] for i in g)]
    beats: list[tuple[SceneRole, str | None]]
    if len(groups) == 1:
        beats = [("offer", offer) if offer else ("benefit", product or description or None)]
    else:
        middle: list[tuple[SceneRole, str | None]] = [("benefit", None)] * (len(groups) - 2)
        beats = [("benefit", product or None), *middle, ("offer", offer or description or None)]
    # The hook shows its headline big, as its own caption, under the brand.
    plans = [ScenePlan("hook", "photo", (hook,), caption_text(segments[hook]), brand_name or None, False)]
    plans += [ScenePlan(role, "photo", g, title) for (role, title), g in zip(beats, groups, strict=True)]
    plans.append(ScenePlan("cta", "end", (cta,)))
    n = len(plans)
    return [
        p if p.visual == "end" else replace(p, visual="card" if (n - 1 - k) % 2 else "photo")
        for k, p in enumerate(plans)
    ]


def split_body(segments: list[str]) -> list[str]:
    """A single body sentence with a comma becomes two beats at the comma nearest its middle, so a short
    text still gets a benefit and an offer scene (four scenes, three cuts)."""
    if len(segments) != 3:
        return segments
    body = segments[1]
    commas = [m for m in _COMMA.finditer(body) if 8 <= m.start() <= len(body) - 8]
    if not commas:
        return segments
    cut = min(commas, key=lambda m: abs(m.start() - len(body) / 2))
    return [segments[0], body[: cut.start() + 1].strip(), body[cut.end() :].strip(), segments[2]]


# ---------------------------------------------------------------------------------------------------------
# Timing


def align_segments(
    segments: Sequence[str], voice_s: float, pauses: Sequence[tuple[float, float]]
) -> list[tuple[float, float]]:
    """When each segment is spoken: (start, end) seconds into the voice.

    Speech is assumed to run at an even rate (characters per second) between the first and the last word,
    which puts each boundary between segments at an estimate. A speaker pauses between sentences, longer
    than at a comma, so each boundary then moves to the middle of a pause: the pauses are chosen in order to
    be near the estimates and long (snap_boundaries); a boundary with no pause near it keeps its estimate.
    """
    if not segments:
        return []
    speech_start, speech_end = 0.0, voice_s
    inner: list[tuple[float, float]] = []
    for start, end in pauses:
        if start <= 0.05:
            speech_start = max(speech_start, end)
        elif end >= voice_s - 0.05:
            speech_end = min(speech_end, start)
        else:
            inner.append((start, end))
    speech_end = max(speech_end, speech_start)
    weights = [max(1, len(s)) for s in segments]
    span = speech_end - speech_start
    lengths = [span * w / sum(weights) for w in weights]
    guesses: list[float] = []
    for length in lengths[:-1]:
        guesses.append((guesses[-1] if guesses else speech_start) + length)
    bounds = snap_boundaries(guesses, sorted(inner), lengths)
    edges = [speech_start, *bounds, speech_end]
    return [(edges[i], edges[i + 1]) for i in range(len(segments))]


def snap_boundaries(
    guesses: Sequence[float], pauses: Sequence[tuple[float, float]], lengths: Sequence[float]
) -> list[float]:
    """Each estimated boundary moved to the middle of a pause, choosing pauses in order at the least cost.

    A pause costs its distance from the estimate less its own length (a sentence's pause is longer than a
    comma's); keeping the estimate costs half the shorter neighbouring segment, so a pause farther away
    than that is never taken.
    """
    mids = [((a + b) / 2, b - a) for a, b in pauses]
    n, m = len(guesses), len(mids)

    @cache
    def best(k: int, last: int) -> tuple[float, tuple[int, ...]]:
        if k == n:
            return 0.0, ()
        keep = 0.5 * min(lengths[k], lengths[k + 1])
        cost, rest = best(k + 1, last)
        options = [(keep + cost, (-1, *rest))]
        for i in range(last + 1, m):
            mid, length = mids[i]
            cost, rest = best(k + 1, i)
            options.append((abs(mid - guesses[k]) - length + cost, (i, *rest)))
        return min(options, key=lambda o: o[0])

    chosen = best(0, -1)[1]
    bounds: list[float] = []
    for k, i in enumerate(chosen):
        at = mids[i][0] if i >= 0 else guesses[k]
        bounds.append(max(at, bounds[-1] + 0.05) if bounds else at)
    return bounds


@dataclass(frozen=True)
class Cue:
    text: str
    start: float  # seconds from the start of the video
    end: float


@dataclass(frozen=True)
class TimedScene:
    plan: ScenePlan
    start: float
    end: float
    cues: list[Cue] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return self.end - self.start


def chunk_caption(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Split a segment into captions that each fit the caption box (`fits`), word by word, in reading order."""
    words = text.split()
    chunks: list[str] = []
    current: list[str] = []
    for word in words:
        trial = " ".join([*current, word])
        if current and not fits(trial):
            chunks.append(" ".join(current))
            current = [word]
        else:
            current.append(word)
    if current:
        chunks.append(" ".join(current))
    return chunks


def timeline(
    plans: Sequence[ScenePlan],
    segments: Sequence[str],
    spans: Sequence[tuple[float, float]],
    *,
    total_s: float,
    lead_s: float,
    fits: Callable[[str], bool],
) -> list[TimedScene]:
    """Scenes cut where their first segment starts being said; captions follow the words inside each scene.

    `spans` are the segments' times in the voice; the video plays the voice `lead_s` in. The first scene
    starts at 0 and the last ends at `total_s`. The end card has no caption (its button shows its words),
    nor has the hook (its title is the headline being said).
    """
    starts = [0.0] + [lead_s + _cut_point(spans, p.segments[0]) for p in plans[1:]]
    ends = [*starts[1:], total_s]
    timed: list[TimedScene] = []
    for plan, start, end in zip(plans, starts, ends, strict=True):
        cues: list[Cue] = []
        if plan.captioned and plan.visual != "end":
            pieces: list[tuple[str, float, float]] = []
            for i in plan.segments:
                chunks = chunk_caption(caption_text(segments[i]), fits)
                s0, s1 = spans[i]
                weights = [max(1, len(c)) for c in chunks]
                acc = 0
                for chunk, w in zip(chunks, weights, strict=True):
                    a = s0 + (s1 - s0) * acc / sum(weights)
                    acc += w
                    pieces.append((chunk, lead_s + a, lead_s + s0 + (s1 - s0) * acc / sum(weights)))
            for k, (text, a, _) in enumerate(pieces):
                # A caption stays up until the next replaces it (no blank flashes between chunks).
                cue_start = start if k == 0 else max(start, a)
                cue_end = end if k == len(pieces) - 1 else max(cue_start, pieces[k + 1][1])
                cues.append(Cue(text, round(cue_start, 3), round(min(cue_end, end), 3)))
        timed.append(TimedScene(plan, round(start, 3), round(end, 3), cues))
    return timed


def _cut_point(spans: Sequence[tuple[float, float]], segment: int) -> float:
    """Cut in the pause before `segment`: halfway between the previous segment's end and its start."""
    previous_end = spans[segment - 1][1] if segment > 0 else 0.0
    return (previous_end + spans[segment][0]) / 2


def video_length(voice_s: float | None, fallback_s: float) -> float:
    """At least the voice plus its lead-in and the end card's hold; never shorter than a platform allows."""
    if voice_s is None:
        return round(max(MIN_DURATION_S, min(MAX_DURATION_S, fallback_s)), 3)
    needed = LEAD_S + voice_s + TAIL_S
    if needed > MAX_DURATION_S:
        raise ValueError(f"the voice-over is {voice_s:.1f}s; a vertical ad is at most {MAX_DURATION_S:.0f}s")
    return round(max(MIN_DURATION_S, needed), 3)


def synthetic_spans(segments: Sequence[str], total_s: float) -> list[tuple[float, float]]:
    """Without a voice-over the captions are read at an even pace over the video, leaving the end card its
    share (the CTA's words) plus the tail."""
    return align_segments(segments, max(0.1, total_s - LEAD_S - TAIL_S), [])
