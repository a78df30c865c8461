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


# Feed placements have no interface over the picture; 6% is our own design margin (text never touches the
# edge). The vertical numbers are the platforms' safe-zone guidance, rounded up to whole percent, checked
# against public sources on 2026-12-05 (the platforms change their interfaces: check again when they do).
PLACEMENT_MARGINS: dict[str, Margins] = {
    "meta_feed": Margins(0.06, 0.06, 0.06, 0.06, "design margin (Meta Feed has no overlay)"),
    # Meta's Ads Guide for Stories: "leave roughly 14% (250 pixels) at the top and bottom free of text and
    # logos" (250 px is 13% of 1920); current guidance and spec sheets keep 14% at the top and 20% (~380 px)
    # at the bottom for the reply bar and CTA. We take the larger.
    "meta_stories": Margins(0.14, 0.20, 0.06, 0.06, "Meta Ads Guide, Stories (14% top, 14-20% bottom)"),
    # Meta's guidance for Reels ads: "leave 14% at the top, 35% at the bottom and 6% on the sides free of
    # text, logos and key elements" (profile, caption and CTA sit over the lower third).
    "meta_reels": Margins(0.14, 0.35, 0.06, 0.06, "Meta Ads Guide, Reels (14% top, 35% bottom, 6% sides)"),
    # TikTok publishes no numbers: Ads Manager's In-Feed help gives safe-zone template files that change with
    # the caption's length and add-ons, in a standard (LTR) version and an Arabic (RTL) one whose like /
    # comment / share column is on the left. Measured on the 1080x1920 templates: ~150 px at the top (tabs),
    # ~440-500 px at the bottom (caption, ad label, CTA), ~150 px on the column's side; both sides here,
    # since an Arabic-region viewer has the column on the left.
    "tiktok": Margins(0.08, 0.26, 0.14, 0.14, "TikTok Ads Manager In-Feed safe-zone templates (LTR and RTL)"),
    # Snap Ads creative guidelines: a 150 px buffer at the top (brand name and headline) and bottom (the "AD"
    # slug, the CTA and caret of ads with attachments; we keep 20% for that bar) and a 64 px margin around.
    "snapchat": Margins(0.08, 0.20, 0.06, 0.06, "Snap Ads creative guidelines (150 px top/bottom, 64 px sides)"),
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
