"""The spend chart is a real PNG: one series (a colour of bars and a legend swatch) per platform, the budget pace
line, a panel per currency, and Arabic labels drawn shaped."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from PIL import Image
from report_rows import accounts, campaign, daily_rows, tree

from agent.performance.build import build_report
from agent.performance.chart import PLATFORM_COLORS, report_chart, spend_chart
from tools.charts.spend import PACE

START = date(2027, 2, 8)


def decoded(png: bytes) -> Image.Image:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png))
    image.load()  # decodes every pixel: a truncated or corrupt file fails here
    assert image.format == "PNG"
    return image.convert("RGB")


def pixels_of(image: Image.Image, color: tuple[int, int, int]) -> int:
    counts = {c: n for n, c in image.getcolors(image.width * image.height) or []}
    return counts.get(color, 0)


def test_one_series_per_platform_and_the_pace_line() -> None:
    rows = (daily_rows("meta", START, 5, spend="200") + daily_rows("tiktok", START, 5, spend="100")
            + daily_rows("snapchat", START, 5, spend="50"))
    report = build_report(campaign=campaign(), tree=tree(("meta", "tiktok", "snapchat")), snapshots=rows,
                          accounts=accounts(), now=datetime(2027, 2, 12, 20, tzinfo=ZoneInfo("Asia/Riyadh")))
    image = decoded(report_chart(report, "en"))
    assert image.width == 1100 and image.height > 400
    # Each platform's colour fills its bars: meta spent twice TikTok's and four times Snapchat's each day, so its
    # area is about twice and four times theirs (the legend swatches are the same size for all three).
    areas = {p: pixels_of(image, c) for p, c in PLATFORM_COLORS.items()}
    assert all(areas.values())
    assert 1.7 < areas["meta"] / areas["tiktok"] < 2.3 and 3.4 < areas["meta"] / areas["snapchat"] < 4.6
    # The pace line: 3,000 SAR over 10 days, 300 a day, dashed across the plot.
    assert pixels_of(image, PACE) > 500


def test_a_platform_without_spend_draws_no_series() -> None:
    days = [START + timedelta(days=n) for n in range(3)]
    png = spend_chart(days, {("meta", "SAR"): {d: Decimal(100) for d in days}}, {}, "en")
    image = decoded(png)
    assert pixels_of(image, PLATFORM_COLORS["meta"]) > 1000
    assert pixels_of(image, PLATFORM_COLORS["tiktok"]) == 0 and pixels_of(image, PLATFORM_COLORS["snapchat"]) == 0
    assert pixels_of(image, PACE) == 0  # no budget pace given, no line


def test_two_currencies_two_panels_never_one_bar() -> None:
    days = [START + timedelta(days=n) for n in range(3)]
    one = decoded(spend_chart(days, {("meta", "SAR"): {d: Decimal(100) for d in days}}, {}, "en"))
    two = decoded(spend_chart(days, {("meta", "SAR"): {d: Decimal(100) for d in days},
                                     ("tiktok", "USD"): {d: Decimal(30) for d in days}}, {}, "en"))
    assert two.height > one.height + 300  # a second panel, with its own axis
    # Each panel has its own axis: Meta's 100 SAR bars fill an axis of 100, TikTok's 30 USD bars 60% of an axis of
    # 50 (area ratio ~1.67). On one shared axis TikTok's would be 30% of Meta's (ratio ~3.3).
    meta, tiktok = pixels_of(two, PLATFORM_COLORS["meta"]), pixels_of(two, PLATFORM_COLORS["tiktok"])
    assert 1.4 < meta / tiktok < 1.95


def test_arabic_chart_is_drawn_right_to_left_with_shaped_labels() -> None:
    rows = daily_rows("meta", START, 3, spend="200") + daily_rows("tiktok", START, 3, spend="100")
    report = build_report(campaign=campaign(), tree=tree(), snapshots=rows, accounts=accounts(),
                          now=datetime(2027, 2, 10, 20, tzinfo=ZoneInfo("Asia/Riyadh")))
    english, arabic = decoded(report_chart(report, "en")), decoded(report_chart(report, "ar"))
    assert english.tobytes() != arabic.tobytes()
    # The title sits on the right in Arabic, on the left in English: ink in the top band's left or right fifth.
    def ink(image: Image.Image, left: int, right: int) -> int:
        band = image.crop((left, 10, right, 60))
        return sum(n for n, (r, g, b) in band.getcolors(band.width * band.height) or [] if max(r, g, b) < 100)

    assert ink(english, 0, 220) > 200 and ink(english, 880, 1100) == 0
    assert ink(arabic, 880, 1100) > 200 and ink(arabic, 0, 220) == 0
    # Shaped Arabic: the title's letters join, so it is narrower than the same letters drawn apart one by one.
    from agent.performance.texts import pt
    from tools.generation.layout import load_font

    font = load_font(28)
    title = pt("chart_title", "ar")
    joined = font.getlength(title, direction="rtl", language="ar")
    apart = sum(font.getlength(ch, direction="rtl", language="ar") for ch in title)
    assert joined < apart
