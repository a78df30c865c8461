"""Charts drawn as PNG with Pillow and raqm (Arabic shaped and ordered right): the spend chart of reports."""

from tools.charts.spend import Panel, Series, SpendChart, render_spend_chart

__all__ = ["Panel", "Series", "SpendChart", "render_spend_chart"]
