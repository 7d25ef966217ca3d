"""Matplotlib figures for the lifetime-value lessons (module M3b).

Each function only draws: the numbers come from :mod:`.analysis` and :mod:`.buying`.  Functions take
pandas objects, never modify them, never call ``plt.show()``, draw on ``ax=`` (a new figure when None)
and return the Axes.  Labels are plain English; Chinese terms are added when a CJK font is installed
(:func:`salescoach.style.display_label`).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, PercentFormatter

from .. import style
from . import analysis, buying

__all__ = ["holdout_chart", "p_alive_chart", "rank_chart", "value_bars", "clv_vs_revenue_chart"]

style.add_terms({
    "Annual sales": "年销售额", "Total revenue": "总收入", "Contact cost": "接触成本",
    "Net customer profit": "净客户利润", "Expected profit": "客户预期盈利",
    "Relationship duration (years)": "合作关系持续时间", "dormant": "睡眠型",
    "Customer lifetime value": "客户终身价值", "Probability alive": "仍在购买的概率",
})


def holdout_chart(params, summary: pd.DataFrame, max_frequency: int = 7, ax: Axes | None = None) -> Axes:
    """Calibration versus holdout: mean purchases in the holdout period by calibration frequency, actual vs model."""
    table = buying.holdout_by_frequency(params, summary, max_frequency)
    ax = style.new_axes(ax, (7, 4))
    x = np.arange(len(table))
    ax.plot(x, table["actual"], "o-", color="#1f2d3d", lw=2, label="actual purchases", gid="actual")
    ax.plot(x, table["predicted"], "s--", color="#c44e52", lw=2, label="BG/NBD prediction", gid="predicted")
    ax.set_xticks(x, [str(i) for i in table.index])
    ax.set_xlabel("Repeat purchases in the calibration period")
    ax.set_ylabel("Mean purchases per customer in the holdout period")
    ax.set_title("Does the model predict the next period? Calibration versus holdout")
    for xi, n in zip(x, table["customers"]):
        ax.annotate(f"n={n}", (xi, 0), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=7,
                    color="0.4")
    ax.legend(frameon=False)
    ax.set_ylim(bottom=0)
    return ax


def p_alive_chart(params, frequencies: Sequence[int] = (1, 3, 6, 12), T: float = 39.0,
                  ax: Axes | None = None) -> Axes:
    """P(alive) against the week of the last purchase, one line per number of repeat purchases.

    Shows how a long silence weighs more for a frequent buyer (the "increasing frequency paradox").
    """
    if not (np.isfinite(T) and T > 0):
        raise ValueError(f"T must be a number of weeks > 0, got {T}")
    if len(frequencies) == 0:
        raise ValueError("frequencies is empty: give at least one number of repeat purchases")
    ax = style.new_axes(ax, (7, 4))
    recency = np.linspace(0, T, 80)
    for x in frequencies:
        if x < 1:
            raise ValueError(f"frequencies must be >= 1 (with x = 0 P(alive) is 1 by the model), got {x}")
        p = buying.probability_alive(params, np.full_like(recency, x), recency, np.full_like(recency, T))
        ax.plot(recency, p, lw=2, label=f"{x} repeat purchase{'s' if x != 1 else ''}")
    ax.set_xlabel(f"Week of the last purchase (the period ends at week {T:g})")
    ax.set_ylabel(style.display_label("Probability alive"))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0, 1.02)
    ax.set_title("The longer the silence, the less likely the customer is still buying")
    ax.legend(frameon=False, title="customer history")
    return ax


def rank_chart(first: pd.Series, second: pd.Series, names: tuple[str, str] = ("revenue", "lifetime value"),
               highlight: Sequence = (), top: int | None = None, ax: Axes | None = None) -> Axes:
    """Each customer's rank by ``first`` (x) against its rank by ``second`` (y); ``highlight`` marked in red.

    Points below the diagonal rank better by the second measure than by the first.  ``top`` limits both
    axes to the first ``top`` ranks.
    """
    table = analysis.rank_comparison(first, second, ("a", "b"))
    ax = style.new_axes(ax, (6, 6))
    marked = table.index.isin(list(highlight))
    ax.scatter(table["a_rank"][~marked], table["b_rank"][~marked], s=14, color="#2e86c1", alpha=0.6,
               label="customers", gid="customers")
    if marked.any():
        ax.scatter(table["a_rank"][marked], table["b_rank"][marked], s=40, color="#c44e52",
                   label="highlighted", gid="highlighted")
        for cid, row in table[marked].iterrows():
            ax.annotate(str(cid), (row["a_rank"], row["b_rank"]), xytext=(4, 4), textcoords="offset points",
                        fontsize=8, color="#c44e52")
    n = top or len(table)
    ax.plot([1, n], [1, n], color="0.6", ls="--", lw=1, label="same rank by both")
    ax.set_xlim(n + 0.5, 0.5)
    ax.set_ylim(n + 0.5, 0.5)
    ax.set_xlabel(f"Rank by {names[0]} (1 = biggest)")
    ax.set_ylabel(f"Rank by {names[1]} (1 = biggest)")
    ax.set_title(f"Rank by {names[0]} versus rank by {names[1]}")
    ax.legend(frameon=False, loc="lower left")
    return ax


def value_bars(metrics: pd.DataFrame, customers: Sequence, ax: Axes | None = None) -> Axes:
    """Annual sales, contact cost, net profit and expected profit of a few customers side by side."""
    cols = ["annual_sales", "contact_cost", "net_profit", "expected_profit"]
    missing = [c for c in cols if c not in metrics.columns]
    if missing:
        raise ValueError(f"metrics: missing column(s) {missing}. Fix: make it with analysis.value_analysis()")
    unknown = [c for c in customers if c not in metrics.index]
    if unknown or len(customers) == 0:
        raise ValueError(f"customers: give one or more ids of the metrics table; unknown: {unknown[:5]}")
    ax = style.new_axes(ax, (8, 4))
    part = metrics.loc[list(customers), cols]
    width = 0.8 / len(cols)
    x = np.arange(len(part))
    colours = ("#2e86c1", "#e08a1e", "#1b7f5f", "#6c3483")
    for i, (col, colour) in enumerate(zip(cols, colours)):
        label = style.display_label(analysis.METRIC_LABELS[col][0])
        ax.bar(x + (i - 1.5) * width, part[col], width, color=colour, label=label, gid=col)
    ax.axhline(0, color="0.3", lw=0.8)
    ax.set_xticks(x, [str(c) for c in part.index])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: style.money(v)))
    ax.set_ylabel("yuan")
    ax.set_title("Sales are not profit: what each customer leaves after the cost of serving it")
    ax.legend(frameon=False, fontsize=8)
    return ax


def clv_vs_revenue_chart(revenue: pd.Series, clv: pd.Series, highlight: Sequence = (),
                         ax: Axes | None = None, revenue_label: str = "Revenue so far",
                         clv_label: str = "Customer lifetime value") -> Axes:
    """Scatter of past revenue (x) against lifetime value ahead (y), log scales; ``highlight`` in red."""
    r = analysis._money(revenue, "revenue")
    v = analysis._money(clv, "clv")
    analysis._same_index(r, v)
    ax = style.new_axes(ax, (7, 4.5))
    floor = 1e-2
    marked = r.index.isin(list(highlight))
    ax.scatter(np.maximum(r[~marked], floor), np.maximum(v[~marked], floor), s=10, alpha=0.5, color="#2e86c1",
               label="customers", gid="customers")
    if marked.any():
        ax.scatter(np.maximum(r[marked], floor), np.maximum(v[marked], floor), s=30, color="#c44e52",
                   label="highlighted", gid="highlighted")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(revenue_label)
    ax.set_ylabel(style.display_label(clv_label))
    ax.set_title("Big in the past is not the same as valuable ahead")
    ax.legend(frameon=False)
    return ax
