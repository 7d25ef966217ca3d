"""Matplotlib charts for the sales-platform lessons (module M1).

Each function only draws: the numbers come from :mod:`.analysis` and :mod:`.capacity`.  Functions take
pandas objects, never modify them, never call ``plt.show()``, draw on ``ax=`` when given (a new figure
otherwise) and return the Axes.  Labels are plain English; Chinese terms are added through
:func:`salescoach.style.display_label` when a font with Chinese glyphs is installed.
"""
from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from matplotlib.ticker import PercentFormatter

from .. import style
from . import analysis

__all__ = ["funnel_chart", "progress_chart", "gap_distribution", "quality_chart", "projection_chart",
           "eisenhower_grid"]

style.add_terms({
    **analysis.STAGE_CHINESE,
    "market platform": "市场平台",
    "Urgent and important": "重要且紧急", "Important, not urgent": "重要不紧急",
    "Urgent, not important": "紧急不重要", "Neither": "不紧急也不重要",
})
_STAGE_COLOURS = ("#1b4f72", "#2874a6", "#3498db", "#1b7f5f", "#e08a1e", "#c44e52")


def _table(x: pd.DataFrame, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    if not isinstance(x, pd.DataFrame) or x.empty:
        raise ValueError(f"{what}: expected a non-empty table, e.g. the result of {what}(...)")
    missing = [c for c in columns if c not in x.columns]
    if missing:
        raise ValueError(f"{what}: the table has no column(s) {missing}")
    return x


def funnel_chart(table: pd.DataFrame, ax: Axes | None = None, title: str = "From the market to the KA customers"
                 ) -> Axes:
    """The stages of :func:`analysis.funnel` as a funnel: one centred bar per stage, widest at the top.

    Each bar is labelled with its customers and the conversion from the stage above; where the table's
    ``in_previous`` shows that a stage is not inside the one above (the work platform is not chosen from the
    visited customers), the label says how many of its customers were at the stage above instead.
    """
    t = _table(table, ("customers", "conversion"), "funnel")
    ax = style.new_axes(ax, (8, 0.6 * len(t) + 1.2))
    widest = max(float(t["customers"].max()), 1.0)
    y = np.arange(len(t))[::-1]
    for i, (stage, row) in enumerate(t.iterrows()):
        width = float(row["customers"])
        colour = _STAGE_COLOURS[i % len(_STAGE_COLOURS)]
        ax.barh(y[i], width, left=(widest - width) / 2, color=colour, height=0.8)
        ax.text(-0.02 * widest, y[i], style.display_label(str(stage)), ha="right", va="center", fontsize=10)
        note = f"{int(width)}"
        inside = row.get("in_previous", width)
        if i > 0 and pd.notna(inside) and int(inside) < width:  # not nested: a ratio would read as a conversion
            note += f"  (only {int(inside)} of them at the stage above)"
        elif i > 0 and pd.notna(row["conversion"]):
            note += f"  ({style.pct(row['conversion'])} of the stage above)"
        if width > 0.45 * widest:
            ax.text(widest / 2, y[i], note, ha="center", va="center", fontsize=9, color="white")
        else:
            ax.text((widest + width) / 2 + 0.02 * widest, y[i], note, ha="left", va="center", fontsize=9)
    ax.set_xlim(-0.45 * widest, 1.15 * widest)
    ax.set_ylim(-0.6, len(t) - 0.4)
    ax.axis("off")
    ax.set_title(title)
    return ax


def progress_chart(case: pd.DataFrame, data: pd.DataFrame | None = None, ax: Axes | None = None) -> Axes:
    """Xiao Zhang's reported progress (bars; a range where he gave one) beside the territory data's counts."""
    c = _table(case, ("step", "low", "high"), "case_progress")
    ax = style.new_axes(ax, (8, 4))
    x = np.arange(len(c))
    mid = (c["low"] + c["high"]) / 2
    ax.bar(x, c["low"], color="#85c1e9", label="the case (Xiao Zhang's report)")
    ranged = c["high"] > c["low"]
    ax.bar(x[ranged], (c["high"] - c["low"])[ranged], bottom=c["low"][ranged], color="#d6eaf8", hatch="//",
           edgecolor="#85c1e9", label="range he gave")
    for xi, lo, hi in zip(x, c["low"], c["high"]):
        ax.text(xi, hi + 4, f"{lo}" if lo == hi else f"{lo}-{hi}", ha="center", fontsize=8)
    if data is not None:
        d = _table(data, ("step", "customers"), "territory_progress").set_index("step")["customers"]
        at = [i for i, s in enumerate(c["step"]) if s in d.index]
        ax.scatter(at, [d[c["step"].iloc[i]] for i in at], color="#c44e52", zorder=3, marker="D",
                   label="the territory data")
    ax.set_xticks(x, [f"month {m}\n{s}" for m, s in zip(c.get("month", [""] * len(c)), c["step"])], fontsize=8)
    ax.set_ylabel("customers")
    ax.set_ylim(0, float(max(c["high"].max(), mid.max())) * 1.12)
    ax.set_title("Xiao Zhang's first two months in Beijing")
    ax.legend(frameon=False, fontsize=8)
    return ax


def gap_distribution(sim: pd.DataFrame, ax: Axes | None = None, bins: int = 40) -> Axes:
    """Histogram of the value a habit-chosen work platform holds, as a share of the analytic choice's value."""
    s = _table(sim, ("habit_value", "analysis_value"), "habit_vs_analysis")
    ax = style.new_axes(ax, (8, 4))
    best = float(s["analysis_value"].iloc[0])
    share = s["habit_value"] / best if best > 0 else s["habit_value"] * 0.0
    ax.hist(share, bins=bins, color=style.CLASS_COLOURS["C"], alpha=0.9, label=f"{len(s):,} habit picks")
    ax.axvline(1.0, color=style.CLASS_COLOURS["A"], lw=2, label="the analytic pick (A first, then B)")
    ax.axvline(float(share.median()), color="#c44e52", ls="--", lw=1.5,
               label=f"median habit pick: {style.pct(share.median())} of it")
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("Value of the work platform, as a share of the analytic pick's value")
    ax.set_ylabel("number of draws")
    ax.set_title("Choosing the work platform by habit leaves most of the value outside it")
    ax.legend(frameon=False, fontsize=8, loc="upper center")
    return ax


def quality_chart(quality: pd.DataFrame, ceiling: int | None = None, target: float = 0.9, ax: Axes | None = None,
                  mark: int | None = None) -> Axes:
    """Service quality of A and B customers against the size of the purchase platform (capacity model)."""
    q = _table(quality, ("customers", "quality_a", "quality_b"), "service_quality")
    ax = style.new_axes(ax, (8, 4))
    ax.plot(q["customers"], q["quality_a"], color=style.CLASS_COLOURS["A"], lw=2, label="A customers")
    ax.plot(q["customers"], q["quality_b"], color=style.CLASS_COLOURS["B"], lw=2, label="B customers")
    ax.axhline(target, color="0.5", ls=":", lw=1, label=f"target: {style.pct(target)} of what they need")
    if ceiling is not None:
        ax.axvline(ceiling, color="#c44e52", ls="--", lw=1.5, label=f"ceiling: {ceiling} buying customers")
    if mark is not None:
        ax.axvline(mark, color="0.3", lw=1, label=f"your purchase platform: {mark}")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(-0.03, 1.08)
    ax.set_xlabel("Buying customers in the purchase platform")
    ax.set_ylabel("Service quality (hours given / hours needed)")
    ax.set_title("The purchase platform's ceiling: more buyers, thinner service for A and B")
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    return ax


def projection_chart(projections: Mapping[str, pd.DataFrame], ceiling: int | None = None, ax: Axes | None = None
                     ) -> Axes:
    """Purchase platform size year by year for several scenarios (label -> :func:`capacity.platform_projection`)."""
    if not projections:
        raise ValueError("projections is empty: give at least one scenario, e.g. {'no development': table}")
    ax = style.new_axes(ax, (8, 4))
    colours = ("#8c8c9c", "#2e86c1", "#1b7f5f", "#e08a1e")
    for i, (label, p) in enumerate(projections.items()):
        p = _table(p, ("start", "end"), "platform_projection")
        years = [0, *p.index.tolist()]
        sizes = [float(p["start"].iloc[0]), *p["end"].tolist()]
        ax.plot(years, sizes, marker="o", color=colours[i % len(colours)], label=label)
    if ceiling is not None:
        ax.axhline(ceiling, color="#c44e52", ls="--", lw=1, label=f"ceiling ({ceiling})")
    ax.set_xlabel("year")
    ax.set_ylabel("buying customers")
    ax.set_ylim(bottom=0)
    ax.set_title("Customers leave every year: without new ones the platform shrinks")
    ax.legend(frameon=False, fontsize=8)
    return ax


def _two_lines(text: str, width: int = 52) -> str:
    """``text`` wrapped to at most two lines of ``width`` characters, cut with an ellipsis."""
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1][: width - 1] + "…"]
    return "\n  ".join(lines)


def eisenhower_grid(planned: pd.DataFrame, label: str = "task", ax: Axes | None = None) -> Axes:
    """The 2 x 2 urgent x important grid with each task written in its quadrant (from :func:`analysis.plan_week`)."""
    p = _table(planned, ("quadrant", label), "plan_week")
    ax = style.new_axes(ax, (9, 6))
    cells = {"do-now": (0, 1), "schedule": (1, 1), "delegate": (0, 0), "drop": (1, 0)}
    titles = {"do-now": "Urgent and important", "schedule": "Important, not urgent",
              "delegate": "Urgent, not important", "drop": "Neither"}
    fills = {"do-now": "#f5b7b1", "schedule": "#a9dfbf", "delegate": "#fad7a0", "drop": "#e5e7e9"}
    for q, (cx, cy) in cells.items():
        ax.add_patch(Rectangle((cx, cy), 1, 1, facecolor=fills[q], edgecolor="white", lw=3))
        ax.text(cx + 0.03, cy + 0.95, style.display_label(titles[q]), fontsize=10, fontweight="bold", va="top")
        tasks = [_two_lines(str(t)) for t in p.loc[p["quadrant"] == q, label]]
        shown = tasks[:6] + ([f"... and {len(tasks) - 6} more"] if len(tasks) > 6 else [])
        ax.text(cx + 0.03, cy + 0.86, "\n".join(f"• {t}" for t in shown), fontsize=7.5, va="top", linespacing=1.3)
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 2)
    ax.set_xticks([0.5, 1.5], ["urgent", "not urgent"])
    ax.set_yticks([0.5, 1.5], ["not important", "important"])
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title("A rep's week by the Eisenhower principle (urgent x important)")
    return ax
