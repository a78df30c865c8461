"""The platforms: Meta, TikTok, Snapchat and Meta's apps, asked for or negated."""

from __future__ import annotations

from agent.models import Span
from agent.parsing.analysis import Analysis
from agent.parsing.lexicon import META_PUBLISHERS, PLATFORM_OF
from agent.parsing.scan import Hit, Scan, is_negated


def read_platforms(scan: Scan, analysis: Analysis,
                   sources: dict[str, list[Span]]) -> tuple[list[str], dict[str, list[str]]]:
    positive: dict[str, None] = {}
    negative: set[str] = set()
    spans: list[Span] = []
    pub_spans: list[Span] = []
    last_negated: Hit | None = None
    for hit in scan.hits:
        if hit.cat != "platform":
            continue
        name = str(hit.value)
        negated = is_negated(scan, hit)
        if not negated and last_negated is not None:
            gap = [t[2] for t in scan.tokens[last_negated.tj:hit.ti]]
            # "no Snapchat or TikTok", "بدون سناب ولا تيك توك": the negation covers the coordinated list.
            between = scan.norm.text[last_negated.end:hit.start]
            negated = bool(gap) and "," not in between and all(w in ("or", "and", "nor", "و", "او", "ولا") for w in gap)
        if negated:
            negative.add(name)
            if analysis.negation_at is None:
                analysis.negation_at = hit.start
            last_negated = hit
            continue
        last_negated = None
        positive[name] = None
        if name in META_PUBLISHERS:
            pub_spans.append(scan.span(hit.start, hit.end))
        spans.append(scan.span(hit.start, hit.end))
    analysis.platforms_negated = {PLATFORM_OF.get(n, n) for n in negative if n != "all" and (n not in META_PUBLISHERS
                                                                                         or n == "meta")}
    analysis.publishers_negated = {n for n in negative if n in META_PUBLISHERS}
    selected: set[str] = set()
    if "all" in positive:
        selected = {"meta", "tiktok", "snapchat"}
    for name in positive:
        if name != "all":
            selected.add(PLATFORM_OF[name])
    # "all but Instagram" still leaves Facebook on Meta; "not Meta" removes it entirely.
    for name in negative:
        if name in ("meta", "tiktok", "snapchat"):
            selected.discard(name)
    publishers = [p for p in META_PUBLISHERS if p in positive]
    if "meta" in selected and not publishers and analysis.publishers_negated:
        publishers = [p for p in ("facebook", "instagram") if p not in analysis.publishers_negated]
    platforms = sorted(selected)
    if platforms:
        sources["platforms"] = spans
    pub = {"meta": publishers} if publishers and "meta" in selected else {}
    if pub:
        sources["publisher_platforms"] = pub_spans or spans
    return platforms, pub
