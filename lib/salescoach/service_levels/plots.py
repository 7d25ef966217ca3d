"""Matplotlib charts for the service-level lessons (module M2).

Each function only draws: the numbers come from :mod:`.analysis` and :mod:`.walkthrough`.  Functions
never modify their inputs, never call ``plt.show()``, draw on ``ax=`` when given (a new figure
otherwise) and return the Axes.  Labels are plain English; Chinese terms are added through
:func:`salescoach.style.display_label` when a font with Chinese glyphs is installed.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import style
from . import analysis
from .walkthrough import POSITION_CHINESE, POSITIONS

__all__ = ["ladder_chart", "walk_chart", "plans_chart", "LEVEL_COLOURS"]

style.add_terms(POSITION_CHINESE)
LEVEL_COLOURS = {"lost": "#c44e52", "basic": "#d6eaf8", "satisfactory": "#85c1e9", "value-added": "#2e86c1",
                 "moving": "#1b4f72"}


def ladder_chart(ax: Axes | None = None, at: str | None = None, label: str = "the customer") -> Axes:
    """The four service levels as a staircase, each step resting on the one below; ``at`` marks a level."""
    ax = style.new_axes(ax, (8, 4.5))
    for i, level in enumerate(analysis.LEVELS):
        ax.bar(i, i + 1, width=0.96, color=LEVEL_COLOURS[level], edgecolor="white")
        ax.text(i, i + 1.08, style.display_label(level), ha="center", va="bottom", fontsize=10, fontweight="bold")
        words = analysis.LEVEL_MEANING[level].split()
        lines, line = [], ""
        for w in words:
            if len(line) + len(w) > 18:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}".strip()
        lines.append(line)
        ax.text(i, (i + 1) / 2, "\n".join(lines), ha="center", va="center", fontsize=8,
                color="white" if i >= 2 else "black")
    if at is not None:
        k = analysis.level_index(at)
        ax.annotate(label, xy=(k, k + 1.6), xytext=(k, k + 2.3), ha="center", fontsize=9,
                    arrowprops={"arrowstyle": "->", "color": "#c44e52"}, color="#c44e52")
    ax.set_xlim(-0.6, len(analysis.LEVELS) - 0.4)
    ax.set_ylim(0, len(analysis.LEVELS) + 2.6)
    ax.axis("off")
    ax.set_title("The service ladder: each level builds on the one below")
    return ax


def walk_chart(steps: pd.DataFrame, start: str, ax: Axes | None = None) -> Axes:
    """Where the customer stands on the ladder after each choice of a walk-through (:func:`walkthrough.walk`)."""
    if not isinstance(steps, pd.DataFrame) or not {"after", "choice"} <= set(steps.columns):
        raise ValueError("steps: expected the table of walkthrough.walk(...), with columns 'choice' and 'after'")
    if start not in POSITIONS:
        raise ValueError(f"start must be one of {list(POSITIONS)}, got {start!r}")
    ax = style.new_axes(ax, (8, 3.5))
    levels = [start, *steps["after"].tolist()]
    y = [POSITIONS.index(lv) for lv in levels]
    x = np.arange(len(levels))
    for k, lv in enumerate(POSITIONS):
        ax.axhspan(k - 0.5, k + 0.5, color=LEVEL_COLOURS[lv], alpha=0.25, lw=0)
    ax.plot(x, y, color="0.2", marker="o", lw=2)
    ax.set_yticks(range(len(POSITIONS)), [style.display_label(p) for p in POSITIONS])
    ax.set_xticks(x, ["complaint"] + [f"choice {i + 1} ({c})" for i, c in enumerate(steps["choice"])], fontsize=8)
    ax.set_ylim(-0.5, len(POSITIONS) - 0.5)
    ax.set_title("Where the customer stands after each choice")
    return ax


def plans_chart(table: pd.DataFrame, budget: float | None = None, highlight: Mapping[str, Mapping[str, str]] | None = None,
                ax: Axes | None = None) -> Axes:
    """Every service plan as a point (cost against value kept), the budget line and named plans labelled.

    ``table`` is :func:`analysis.plans_table`; ``highlight`` maps a label to a plan to mark.
    """
    if not isinstance(table, pd.DataFrame) or table.empty or not {"cost", "kept", "A", "B", "C"} <= set(table.columns):
        raise ValueError("table: expected the table of analysis.plans_table(...)")
    ax = style.new_axes(ax, (8, 4.5))
    ordered = table["ordered"] if "ordered" in table.columns else pd.Series(True, index=table.index)
    ax.scatter(table["cost"], table["kept"], s=14, color="0.75", label="other plans")
    ax.scatter(table.loc[ordered, "cost"], table.loc[ordered, "kept"], s=18, color="#85c1e9",
               label="plans that serve A at least as well as B, and B as C")
    if budget is not None:
        ax.axvline(budget, color="#c44e52", ls="--", lw=1.5, label=f"budget: {style.money(budget)} yuan")
    palette = ("#1b7f5f", "#e08a1e", "#c44e52", "#1b4f72", "#8e44ad", "#5d6d7e")
    for i, (name, plan) in enumerate((highlight or {}).items()):
        p = analysis.normalise_plan(plan)
        row = table[(table["A"] == p["A"]) & (table["B"] == p["B"]) & (table["C"] == p["C"])]
        if row.empty:
            raise ValueError(f"plan {name!r} is not in the table")
        ax.scatter(row["cost"], row["kept"], s=70, color=palette[i % len(palette)], zorder=3, edgecolor="black",
                   label=name)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(lambda v, _pos: style.money(v))
    ax.yaxis.set_major_formatter(lambda v, _pos: style.money(v))
    ax.set_xlabel("Cost of the service plan (yuan a year, log scale)")
    ax.set_ylabel("Value kept next year (yuan)")
    ax.set_title("Service plans per class: what they cost and what they keep")
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax
