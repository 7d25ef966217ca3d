"""Matplotlib charts for the coaching lessons (module M7): they only draw, the numbers come from :mod:`.analysis`.

* :func:`skills_grid_chart` - one rep's self-assessment as the 3 x 3 grid (importance x ability), skills
  written in their cells, coloured by development priority.
* :func:`team_heatmap` - rep x skill heat map of priority scores for the whole team.
* :func:`coaching_hours_chart` - coach hours per rep that the pipeline implies (big deals plan-do-check,
  small ones do-check), against the hours the manager has.
* :func:`survey_chart` - the buyer survey's figures, with a team's estimates beside them.

Every function draws on ``ax=`` (or a new figure) and returns the Axes; none modifies its input.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from .. import style
from . import analysis

__all__ = ["PRIORITY_COLOURS", "skills_grid_chart", "team_heatmap", "coaching_hours_chart", "survey_chart"]

PRIORITY_COLOURS = {"develop now": "#c44e52", "develop next": "#e08a1e", "watch": "#f2d16b", "strength": "#1b7f5f"}
_SCORE_COLOURS = ("#1b7f5f", "#a9d18e", "#f2d16b", "#f0b27a", "#e08a1e", "#d35f5f", "#c44e52")  # score 0..6

style.add_terms({**analysis.PRIORITY_CHINESE, "Importance to the job": "对工作的重要性", "Ability": "能力",
                 "Skills self-assessment": "知识与技巧测验表", "Coach hours": "指导时间"})
style.add_terms({k: v for k, v in {
    "Prospecting": "寻找潜在客户", "Planning the visit": "访问计划", "Opening the visit": "开场",
    "Researching needs": "研究客户需求", "Product knowledge": "产品知识", "Showing the product": "展示产品",
    "Handling objections": "处理异议", "Proposing a solution": "提出解决方案", "Closing": "成交",
    "Account follow-up": "客户维护"}.items()})


def skills_grid_chart(grid: pd.DataFrame, rep: str, *, ax: Axes | None = None, chinese: bool | None = None) -> Axes:
    """``rep``'s skills placed in the 3 x 3 grid: ability across (1 needs improvement ... 3 competent),
    importance up (1 ... 3 very important); each cell coloured by its priority (score = importance x (3 - ability))."""
    pri = analysis.development_priorities(grid, rep)
    ax = style.new_axes(ax, (7.5, 6))
    for imp in (1, 2, 3):
        for ab in (1, 2, 3):
            score = analysis.priority_score(imp, ab)
            label = analysis.priority_label(score)
            ax.add_patch(_cell(ab, imp, PRIORITY_COLOURS[label]))
            names = pri.loc[(pri["importance"] == imp) & (pri["ability"] == ab), "skill"].tolist()
            text = "\n".join(textwrap.shorten(style.display_label(n, chinese), 34, placeholder="…") for n in names)
            ax.text(ab, imp + 0.38, style.display_label(label, chinese), ha="center", va="top", fontsize=7.5,
                    color="#333333", style="italic")
            ax.text(ab, imp - 0.05, text, ha="center", va="center", fontsize=8.5 if len(names) < 4 else 7.5)
    ax.set_xlim(0.5, 3.5)
    ax.set_ylim(0.5, 3.5)
    ax.set_xticks([1, 2, 3], [f"{k} {analysis.ABILITY_LABELS[k]}" for k in (1, 2, 3)])
    ax.set_yticks([1, 2, 3], [f"{k} {analysis.IMPORTANCE_LABELS[k]}" for k in (1, 2, 3)])
    ax.set_xlabel(style.display_label("Ability", chinese))
    ax.set_ylabel(style.display_label("Importance to the job", chinese))
    ax.set_title(f"{rep}: {style.display_label('Skills self-assessment', chinese)}")
    ax.set_aspect("equal")
    return ax


def _cell(x: float, y: float, colour: str):
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=colour, alpha=0.35, edgecolor="white", linewidth=2)


def team_heatmap(grid: pd.DataFrame, *, ax: Axes | None = None, chinese: bool | None = None) -> Axes:
    """Rep x skill heat map of priority scores (0 strength ... 6 develop now), the score written in each cell."""
    matrix = analysis.grid_matrix(grid, "score")
    ax = style.new_axes(ax, (max(7.0, 0.75 * matrix.shape[1] + 2.5), max(3.5, 0.45 * matrix.shape[0] + 2)))
    values = matrix.to_numpy(dtype=float)
    im = ax.imshow(np.ma.masked_invalid(values), cmap=ListedColormap(_SCORE_COLOURS), vmin=-0.5, vmax=6.5,
                   aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        if not np.isnan(v):
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=8, color="white" if v >= 4 else "#222222")
    ax.set_xticks(range(matrix.shape[1]), [style.display_label(s, chinese) for s in matrix.columns], rotation=40,
                  ha="right")
    ax.set_yticks(range(matrix.shape[0]), list(matrix.index))
    bar = ax.figure.colorbar(im, ax=ax, ticks=range(7), fraction=0.04, pad=0.02)
    bar.set_label("priority score: importance x (3 - ability)")
    ax.set_title("Where the team needs coaching (6 = very important and needs improvement)")
    return ax


def coaching_hours_chart(pipeline: pd.DataFrame, hours_available: float | None = None, *,
                         big_deal_threshold: float = analysis.BIG_DEAL_THRESHOLD,
                         minutes: analysis.CoachingMinutes = analysis.DEFAULT_MINUTES, ax: Axes | None = None,
                         chinese: bool | None = None) -> Axes:
    """Stacked bars per rep: coach hours on big deals (plan-do-check) and small ones (do-check); a dashed line at
    ``hours_available`` spread evenly over the reps, if given."""
    deals = analysis.coaching_time(pipeline, big_deal_threshold, minutes)
    if deals.empty:
        raise ValueError("the pipeline has no deals: nothing to coach")
    hours = deals.pivot_table(index="rep", columns="approach", values="coach_min", aggfunc="sum", fill_value=0) / 60
    hours = hours.reindex(columns=["plan-do-check", "do-check"], fill_value=0)
    ax = style.new_axes(ax, (8, 4.5))
    reps = list(hours.index)
    ax.bar(reps, hours["plan-do-check"], color="#1b4f72", label="big deals: plan, do, check")
    ax.bar(reps, hours["do-check"], bottom=hours["plan-do-check"], color="#85c1e9", label="small deals: do, check")
    if hours_available is not None:
        if hours_available < 0:
            raise ValueError(f"hours_available must be >= 0, got {hours_available!r}")
        per_rep = hours_available / len(reps)
        ax.axhline(per_rep, color="#c44e52", linestyle="--",
                   label=f"your {hours_available:g} h spread over {len(reps)} reps ({per_rep:.1f} h each)")
    ax.set_ylabel(style.display_label("Coach hours", chinese))
    ax.set_title(f"Coaching every open deal would take {hours.to_numpy().sum():.0f} hours")
    ax.tick_params(axis="x", rotation=30)
    ax.legend(loc="upper right", fontsize=8)
    return ax


def survey_chart(comparison: pd.DataFrame | None = None, *, ax: Axes | None = None) -> Axes:
    """Horizontal bars of the buyer survey (share of buyers), with the team's estimates as markers if given
    (``comparison`` from :func:`analysis.compare_estimates`)."""
    comparison = analysis.compare_estimates({}) if comparison is None else comparison
    for col in ("statement", "actual", "estimate"):
        if col not in comparison.columns:
            raise ValueError(f"comparison has no column {col!r}: build it with analysis.compare_estimates(...)")
    ax = style.new_axes(ax, (8, 3.6))
    y = np.arange(len(comparison))[::-1]
    ax.barh(y, comparison["actual"] * 100, color="#2e86c1", label="surveyed buyers")
    for yi, v in zip(y, comparison["actual"]):
        ax.text(v * 100 + 1, yi, f"{v:.0%}", va="center", fontsize=9)
    est = pd.to_numeric(comparison["estimate"], errors="coerce")
    if est.notna().any():
        ax.scatter(est * 100, y, marker="D", color="#c44e52", zorder=3, label="your team's estimate")
    ax.set_yticks(y, [textwrap.fill(s, 34) for s in comparison["statement"]])
    ax.set_xlim(0, 105)
    ax.set_xlabel("share of buyers who said so (%)")
    ax.set_title("What buyers say about sales reps")
    ax.legend(loc="lower right", fontsize=8)
    return ax
