"""What the M3 explorers share: the summary table in HTML and the chart shown as a PNG image.

Used by :mod:`.abc_explorers` and :mod:`.pyramid_explorers` (and the cell style by
:mod:`.data_card_viewer`); not meant for notebooks, which use :mod:`.widgets`.
"""
from __future__ import annotations

import html
import io

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from .. import style

__all__ = ["CELL", "summary_table_html", "chart_widget", "png"]

#: the style of a table cell in the explorers' HTML tables: spaced and ruled (JupyterLab gives widget tables none)
CELL = "padding:0.2em 0.7em;text-align:right;border-bottom:1px solid #ddd"


def summary_table_html(summary: pd.DataFrame, value_label: str, caption: str = "", class_word: str = "class") -> str:
    """The summary table as HTML with spaced, worded headers (JupyterLab gives widget tables no spacing)."""
    value_label = style.words(value_label)
    head = "".join(f"<th style='{CELL};text-align:{align}'>{html.escape(text)}</th>" for text, align in (
        (class_word, "left"), ("customers", "right"), ("share of customers", "right"),
        (f"share of {value_label}", "right")))
    rows = []
    for label, r in summary.iterrows():
        rows.append(
            f"<tr><td style='{CELL};text-align:left'><b>{html.escape(style.display_label(label))}</b></td>"
            f"<td style='{CELL}'>{style.count(r['customers'])}</td>"
            f"<td style='{CELL}'>{style.pct(r['customer_share'])}</td>"
            f"<td style='{CELL}'>{style.pct(r['value_share'])}</td></tr>"
        )
    cap = (f"<caption style='text-align:left;padding-bottom:0.3em'>{html.escape(caption)}</caption>"
           if caption else "")
    return ("<table style='border-collapse:collapse;margin:0.3em 0'>" + cap + f"<tr>{head}</tr>"
            + "".join(rows) + "</table>")


def chart_widget() -> widgets.Image:
    """Where an explorer shows its chart: an image, redrawn as PNG on every change.

    An image rather than an ``Output`` widget: a notebook run headless (papermill, nbclient, the test suite)
    answers an ``Output`` widget on the kernel's shell channel while it waits there for the cell's reply,
    and may then miss that reply until its timeout (nbclient issue #312).
    """
    return widgets.Image(format="png", layout={"max_width": "100%"})


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes, for the image of :func:`chart_widget`."""
    buf = io.BytesIO()
    figure.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()
