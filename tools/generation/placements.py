"""Placement safe zones: the frame margins each placement's interface covers, as data with their sources."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Margins:
    """Fractions of the frame kept free of text, buttons and logos: (top, bottom, left, right)."""

    top: float
    bottom: float
    left: float
    right: float
    source: str

    def union(self, other: Margins) -> Margins:
        return Margins(
            max(self.top, other.top),
            max(self.bottom, other.bottom),
            max(self.left, other.left),
            max(self.right, other.right),
            f"{self.source}; {other.source}",
        )


# Feed placements have no interface over the picture; 6% is our own design margin (text never touches
# the edge). The vertical numbers are the platforms' published safe-zone guidance, rounded up to whole percent:
PLACEMENT_MARGINS: dict[str, Margins] = {
    "meta_feed": Margins(0.06, 0.06, 0.06, 0.06, "design margin (Meta Feed has no overlay)"),
    # Meta Ads Guide, Stories: "leave roughly 14% (250 pixels) at the top and bottom free of text and logos".
    "meta_stories": Margins(0.14, 0.14, 0.06, 0.06, "Meta Ads Guide, Stories (14% top/bottom)"),
    # Meta Ads Guide, Reels: "leave 14% at the top, 35% at the bottom and 6% on the sides free of text,
    # logos and key elements" (profile, caption and CTA sit over the lower third).
    "meta_reels": Margins(0.14, 0.35, 0.06, 0.06, "Meta Ads Guide, Reels (14% top, 35% bottom, 6% sides)"),
    # TikTok Ads Manager creative safe zone for 1080x1920: ~130 px top (tabs), ~480 px bottom (caption,
    # ad label, CTA), ~140 px right (like/comment/share/profile column), ~60 px left.
    "tiktok": Margins(0.08, 0.26, 0.06, 0.13, "TikTok Ads creative safe zone (1080x1920 overlay)"),
    # Snap Ads creative guidelines: keep ~150 px at top and bottom clear, plus the attachment/CTA bar
    # (~20% of the height) at the bottom; the right edge holds the share/more controls.
    "snapchat": Margins(0.08, 0.20, 0.05, 0.08, "Snap Ads creative guidelines (150 px top, CTA bar bottom)"),
}

# Which placements show an image of each aspect (we make 1:1 and 4:5 for feeds, 9:16 for every vertical).
VERTICAL_PLACEMENTS = ("meta_stories", "meta_reels", "tiktok", "snapchat")
FEED_PLACEMENTS = ("meta_feed",)


def is_vertical(width: int, height: int) -> bool:
    return height / width >= 1.7


def placements_for(width: int, height: int) -> tuple[str, ...]:
    """The placements an image of this size is shown in (one 9:16 image serves every vertical one)."""
    return VERTICAL_PLACEMENTS if is_vertical(width, height) else FEED_PLACEMENTS


def margins_for(width: int, height: int, *, centred: bool = True) -> Margins:
    """The union of the margins of every placement showing this size; sides mirrored when `centred`
    (centred text stays centred, and the wider side's interface is cleared on both)."""
    names = placements_for(width, height)
    merged = PLACEMENT_MARGINS[names[0]]
    for name in names[1:]:
        merged = merged.union(PLACEMENT_MARGINS[name])
    if centred:
        side = max(merged.left, merged.right)
        merged = Margins(merged.top, merged.bottom, side, side, merged.source)
    return merged
