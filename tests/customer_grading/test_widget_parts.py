"""What the M3 explorers share (salescoach.customer_grading.widget_parts): the summary table and the chart image."""
import re

import ipywidgets
import pandas as pd
from matplotlib.figure import Figure

from salescoach.customer_grading import analysis, widget_parts


def test_summary_table_html_has_spaced_worded_headers_a_caption_and_whole_counts():
    summary = analysis.abc_summary(pd.Series([50.0, 30, 10, 5, 5]), 0.8, 0.95)
    table = widget_parts.summary_table_html(summary, "revenue_12m", "A up to 80%", class_word="tier")
    assert re.findall(r"<th[^>]*>([^<]*)</th>", table) == [
        "tier", "customers", "share of customers", "share of revenue in the last 12 months"]
    assert all(widget_parts.CELL in th for th in re.findall(r"<th[^>]*>", table))
    assert "<caption" in table and "A up to 80%" in table
    assert ">2</td>" in table and ".0000" not in table


def test_chart_widget_is_an_image_that_shows_png():
    chart = widget_parts.chart_widget()
    assert isinstance(chart, ipywidgets.Image) and chart.format == "png"
    figure = Figure(figsize=(2, 2))
    figure.add_subplot().plot([0, 1], [0, 1])
    chart.value = widget_parts.png(figure)
    assert bytes(chart.value).startswith(b"\x89PNG")
