"""Charts of what a customer is worth (module M3, lessons 3.2 and 3.4): margins and fake big customers, who
moves when customers are ranked by a second measure, and where a rep's effort goes against the value.

Split from :mod:`.plots` (which re-exports these, so notebooks call ``plots.margin_scatter`` etc.) to keep
each file readable; the same rules hold: draw on ``ax=``, return the Axes, words not column names.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, PercentFormatter

from .. import style
from . import analysis, ranking

__all__ = ["margin_scatter", "rank_shift_chart", "effort_chart"]

CLASS_COLOURS = style.CLASS_COLOURS


def margin_scatter(
    revenue: pd.Series,
    gross_profit: pd.Series,
    flagged: pd.Series | None = None,
    ax: Axes | None = None,
    top_share: float = 0.2,
    max_margin: float = 0.05,
    names: pd.Series | None = None,
    title: str | None = None,
    chinese: bool | None = None,
) -> Axes:
    """Revenue (log scale) vs gross margin, one dot per customer with revenue > 0.

    ``flagged`` marks the fake big customers 假大户; by default it is
    :func:`analysis.fake_big_customers` with ``top_share`` and ``max_margin``.
    The shaded corner is "big by revenue, thin margin".  ``names`` (same
    index) labels the flagged dots; otherwise the index is used.  Returns the
    Axes.
    """
    margin = analysis.gross_margin(revenue, gross_profit)
    r = pd.to_numeric(revenue).astype(float)
    if flagged is None:
        flagged = analysis.fake_big_customers(revenue, gross_profit, top_share=top_share, max_margin=max_margin)
    elif not isinstance(flagged, pd.Series) or not flagged.index.equals(r.index):
        raise ValueError("flagged must be a boolean Series with the same index as revenue")
    buyers = r > 0
    if not buyers.any():
        raise ValueError("no customer has revenue > 0: there is no margin to plot")
    ax = style.new_axes(ax, (7.5, 4.5))
    k = math.ceil(round(top_share * len(r), 9))
    threshold = float(r.sort_values(ascending=False, kind="mergesort").iloc[k - 1]) if k else float("inf")
    ax.axvspan(max(threshold, r[buyers].min()), r.max() * 1.5, ymax=1, color="#c44e52", alpha=0.06, lw=0)
    ax.axhline(max_margin, color="#c44e52", ls=":", lw=1, label=f"thin-margin line ({style.pct(max_margin)})")
    ax.axvline(threshold, color="0.4", ls=":", lw=1, label=f"top {style.pct(top_share)} by revenue start here")
    plain = buyers & ~flagged.astype(bool)
    ax.scatter(r[plain], margin[plain], s=18, color="#2e86c1", alpha=0.6, label="customers", gid="customers")
    fake = buyers & flagged.astype(bool)
    ax.scatter(r[fake], margin[fake], s=60, color="#c44e52", edgecolors="black", linewidths=0.6,
               label=f"fake big customers ({int(fake.sum())})", gid="fake_big")
    labels = names if names is not None else pd.Series(r.index.astype(str), index=r.index)
    # label the flagged dots, alternating above and below so neighbours do not overwrite each other
    for i, idx in enumerate(r[fake].sort_values().index):
        ax.annotate(str(labels.get(idx, idx)), (r[idx], margin[idx]), xytext=(0, 8 if i % 2 == 0 else -14),
                    textcoords="offset points", fontsize=8, ha="center")
    ax.axhline(0, color="0.3", lw=0.6)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: style.money(v)))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("revenue, last 12 months (log scale)")
    ax.set_ylabel("gross margin = gross profit / revenue")
    default = "Revenue vs gross margin: spotting fake big customers" + (" (假大户)" if style.use_chinese(chinese) else "")
    ax.set_title(title if title is not None else default)
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    return ax


# --------------------------------------------------------------------------- comparisons
def rank_shift_chart(
    first: pd.Series,
    second: pd.Series,
    first_label: str = "revenue_12m",
    second_label: str = "gross_profit",
    top: int = 20,
    names: pd.Series | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Who moves when customers are ranked by a second measure: a slope chart of the top ``top`` customers.

    Left: rank by ``first`` (1 = biggest); right: rank by ``second``.  A line
    joins each customer's two ranks; customers that fall out of the top
    ``top`` end at the bottom with their real rank written beside them, so
    the two lists' difference shows even when the two Pareto curves look
    alike.  Ranks are by value, highest first, ties in input order.
    ``names`` (same index) labels the lines; otherwise the index is used.
    Returns the Axes.
    """
    a = ranking._numeric(first, "first")
    b = ranking._numeric(second, "second")
    if not a.index.equals(b.index):
        raise ValueError("first and second must share the same index (one row per customer)")
    if not 1 <= top <= len(a):
        raise ValueError(f"top must be between 1 and the {len(a)} customers, got {top}")
    rank_a = pd.Series(np.arange(1, len(a) + 1), index=ranking._rank_order(a).index).reindex(a.index)
    rank_b = pd.Series(np.arange(1, len(b) + 1), index=ranking._rank_order(b).index).reindex(b.index)
    shown = rank_a.index[(rank_a <= top) | (rank_b <= top)]
    labels = names if names is not None else pd.Series(a.index.astype(str), index=a.index)
    ax = style.new_axes(ax, (6.5, 6.5))
    floor = top + 1.5  # where customers outside the top end
    for idx in shown:
        ra, rb = rank_a[idx], rank_b[idx]
        ya, yb = (ra if ra <= top else floor), (rb if rb <= top else floor)
        dropped, climbed = rb > top, ra > top
        colour = "#c44e52" if dropped else "#1b7f5f" if climbed else "0.55"
        ax.plot([0, 1], [ya, yb], color=colour, lw=2 if (dropped or climbed) else 1, alpha=0.9,
                gid=f"shift_{idx}", marker="o", ms=4)
        if ra <= top:
            ax.text(-0.03, ya, f"{labels.get(idx, idx)} ({ra})", ha="right", va="center", fontsize=8)
        if rb <= top:
            ax.text(1.03, yb, f"({rb}) {labels.get(idx, idx)}", ha="left", va="center", fontsize=8)
    out_of_top = [idx for idx in shown if rank_b[idx] > top]
    if out_of_top:
        names_out = ", ".join(f"{labels.get(i, i)} (rank {rank_b[i]})" for i in out_of_top[:6])
        ax.text(0.5, floor + 1.2, f"out of the top {top} by {style.words(second_label)}: {names_out}",
                ha="center", va="center", fontsize=8, color="#c44e52", gid="dropped_note")
    climbed = [idx for idx in shown if rank_a[idx] > top]
    if climbed:
        ax.text(-0.03, floor, f"outside the top {top}", ha="right", va="center", fontsize=8, color="#1b7f5f")
    ax.set_ylim(floor + 1.8, 0)
    ax.set_xlim(-0.6, 1.9)
    ax.set_xticks([0, 1], [f"rank by {style.words(first_label)}", f"rank by {style.words(second_label)}"])
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(title if title is not None else
                 f"Top {top} by {style.words(first_label)} vs by {style.words(second_label)}")
    return ax


def effort_chart(table: pd.DataFrame, effort_label: str = "visits", value_label: str = "revenue",
                 ax: Axes | None = None, title: str | None = "Where the effort goes vs where the value is",
                 chinese: bool | None = None) -> Axes:
    """Share of effort next to share of value per class, from :func:`analysis.effort_vs_value` (S4).

    Two bars per class (effort grey, value green); the rookie's trap shows as
    tall grey bars where the green ones are short.  Returns the Axes.
    """
    missing = [c for c in ("effort_share", "value_share") if c not in getattr(table, "columns", [])]
    if missing:
        raise ValueError(f"table is missing column(s) {missing}; pass the result of analysis.effort_vs_value(...)")
    ax = style.new_axes(ax, (6.5, 3.6))
    x = np.arange(len(table))
    width = 0.38
    ax.bar(x - width / 2, table["effort_share"], width, color="#8c8c9c", gid="effort",
           label=f"share of {style.words(effort_label)}")
    ax.bar(x + width / 2, table["value_share"], width, color=CLASS_COLOURS["A"], gid="value",
           label=f"share of {style.words(value_label)}")
    for i, (e, v) in enumerate(zip(table["effort_share"], table["value_share"])):
        ax.text(i - width / 2, e, style.pct(e), ha="center", va="bottom", fontsize=8)
        ax.text(i + width / 2, v, style.pct(v), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, [style.display_label(c, chinese) for c in table.index])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    top = float(max(table["effort_share"].max(), table["value_share"].max(), 0.1))
    ax.set_ylim(min(0.0, float(table["value_share"].min()) * 1.1), top * 1.3)
    ax.set_ylabel("share of the total")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8, loc="upper center", ncols=2, frameon=False)
    return ax
