"""Charts for sales team performance (module M8): every function draws on ``ax=`` (or a new figure) and
returns the Axes.

* :func:`quartile_chart` - reps ranked on the balanced scorecard, coloured by quartile, with each rep's
  rank on sales alone beside the bar;
* :func:`scorecard_chart` - the scorecard as a heat map, reps by measures, grouped by perspective;
* :func:`rep_profile_chart` - two or three reps side by side, measure by measure (Joe vs Arlene);
* :func:`rep_trend_chart` - one rep's quarters: sales, quota and the same quarter a year earlier;
* :func:`retention_chart` - the retention what-if: business now vs with more retention, year by year;
* :func:`lifetime_chart` - expected customer lifetime against annual churn;
* :func:`manager_time_chart` - a manager's week against the split reported in S2.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, PercentFormatter

from .. import style
from ..style import display_label, money, new_axes, pct
from . import analysis, management
from .retention import expected_lifetime

style.add_terms({
    **analysis.QUARTILE_CHINESE,
    **analysis.PERSPECTIVE_CHINESE,
    **{k.label: k.zh for k in analysis.KPIS.values()},
    **management.MANAGER_TIME_CHINESE,
    "balanced": "平衡计分", "sales alone": "仅看销量",
})

#: quartile colours, best to worst (green to red, so the bottom quartile reads as a warning)
QUARTILE_COLOURS = dict(zip(analysis.QUARTILE_LABELS, ("#1b7f5f", "#7fb77e", "#e0a85a", "#c44e52")))


def quartile_chart(review: pd.DataFrame, ax: Axes | None = None, highlight: Sequence[str] = (),
                   title: str | None = None, chinese: bool | None = None) -> Axes:
    """Reps ranked by balanced score (best on top), bars coloured by quartile, sales rank written beside.

    ``review`` is :func:`analysis.progress_review`'s result.  ``highlight`` (rep_ids) are drawn with a
    black edge and their names in bold.
    """
    needed = ["rep", "balanced_score", "quartile", "sales_rank"]
    missing = [c for c in needed if c not in review.columns]
    if missing:
        raise ValueError(f"review is missing column(s) {missing}; give the result of analysis.progress_review()")
    if review.empty:
        raise ValueError("review is empty: no rep to draw")
    r = review.sort_values("balanced_score", ascending=True, kind="mergesort")
    ax = new_axes(ax, (8, 0.42 * len(r) + 1.5))
    y = np.arange(len(r))
    colours = [QUARTILE_COLOURS[str(q)] for q in r["quartile"]]
    edges = ["black" if i in set(highlight) else "none" for i in r.index]
    ax.barh(y, r["balanced_score"], color=colours, edgecolor=edges, linewidth=1.5, gid="balanced")
    for yi, (_, row) in zip(y, r.iterrows()):
        ax.text(row["balanced_score"] + 1, yi, f"sales rank {int(row['sales_rank'])}", va="center", fontsize=8,
                color="0.25")
    labels = [f"{row['rep']} ({rep_id})" for rep_id, row in r.iterrows()]
    ax.set_yticks(y, labels)
    for tick, rep_id in zip(ax.get_yticklabels(), r.index):
        if rep_id in set(highlight):
            tick.set_fontweight("bold")
    ax.set_xlim(0, 118)
    ax.set_xlabel("balanced score (0 = worst in the team, 100 = best)")
    from matplotlib.patches import Patch

    handles = [Patch(color=QUARTILE_COLOURS[q], label=display_label(q, chinese)) for q in analysis.QUARTILE_LABELS]
    ax.legend(handles=handles, loc="lower right", fontsize=8, title="quartile", framealpha=0.9)
    ax.set_title(title if title is not None else "Reps ranked on the balanced scorecard, with their rank on sales")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def scorecard_chart(card: pd.DataFrame, ax: Axes | None = None, names: pd.Series | None = None,
                    title: str | None = None, chinese: bool | None = None) -> Axes:
    """The scorecard as a heat map: one row per rep (best balanced score on top), one column per measure,
    grouped by perspective, then the balanced score and the score on sales alone; each cell shows 0-100.

    ``card`` is :func:`analysis.scorecard`'s result; ``names`` (rep_id -> name) labels the rows.
    """
    if not isinstance(card.columns, pd.MultiIndex) or ("balanced", "score") not in card.columns:
        raise ValueError("card must be the result of analysis.scorecard()")
    if card.empty:
        raise ValueError("card is empty: no rep to draw")
    measures = [c for c in card.columns if c[1] != "score"]
    cols = measures + [("balanced", "score"), ("sales", "score")]
    c = card.sort_values(("balanced", "score"), ascending=False, kind="mergesort")[cols]
    values = c.to_numpy(dtype=float)
    ax = new_axes(ax, (0.62 * len(cols) + 3, 0.4 * len(c) + 2.4))
    masked = np.ma.masked_invalid(values)
    ax.imshow(masked, cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, "n/a" if np.isnan(v) else f"{v:.0f}", ha="center", va="center", fontsize=7,
                color="black")
    labels = [display_label(analysis.kpi_label(m), chinese) if p not in ("balanced", "sales")
              else display_label("balanced" if p == "balanced" else "sales alone", chinese) for p, m in cols]
    ax.set_xticks(range(len(cols)), labels, rotation=60, ha="right", fontsize=8)
    rows = [f"{names.get(i, i)}" if names is not None else str(i) for i in c.index]
    ax.set_yticks(range(len(c)), rows, fontsize=8)
    # perspective separators and names on top
    edges = np.cumsum([sum(1 for p, _ in measures if p == q) for q in dict.fromkeys(p for p, _ in measures)])
    start = 0
    for q, end in zip(dict.fromkeys(p for p, _ in measures), edges):
        ax.axvline(end - 0.5, color="white", lw=3)
        ax.text((start + end - 1) / 2, -0.8, display_label(q, chinese), ha="center", va="bottom", fontsize=8,
                fontweight="bold")
        start = end
    ax.set_ylim(len(c) - 0.5, -1.4)
    ax.set_title(title if title is not None else "Balanced scorecard: each rep's place in the team per measure "
                 "(100 = best)", pad=14)
    return ax


def rep_profile_chart(card: pd.DataFrame, rep_ids: Sequence[str], ax: Axes | None = None,
                      names: pd.Series | None = None, title: str | None = None, chinese: bool | None = None) -> Axes:
    """Two or three reps' scores (0-100) measure by measure, horizontal bars side by side."""
    unknown = [r for r in rep_ids if r not in card.index]
    if unknown:
        raise ValueError(f"rep(s) {unknown} are not in the scorecard; reps are {list(card.index)}")
    if not 1 <= len(rep_ids) <= 4:
        raise ValueError("give one to four reps to compare")
    measures = [c for c in card.columns if c[1] != "score"] + [("balanced", "score"), ("sales", "score")]
    ax = new_axes(ax, (8, 0.38 * len(measures) * max(1, len(rep_ids) / 2) + 1.5))
    y = np.arange(len(measures))[::-1]
    height = 0.8 / len(rep_ids)
    palette = ("#c44e52", "#2e86c1", "#1b7f5f", "#8c8c9c")
    for k, rep in enumerate(rep_ids):
        vals = card.loc[rep, measures].to_numpy(dtype=float)
        label = f"{names.get(rep, rep)}" if names is not None else rep
        ax.barh(y + ((len(rep_ids) - 1) / 2 - k) * height, np.nan_to_num(vals), height=height, color=palette[k],
                label=label, gid=f"rep_{rep}")
    labels = [display_label(analysis.kpi_label(m), chinese) if p not in ("balanced", "sales")
              else display_label("balanced" if p == "balanced" else "sales alone", chinese) for p, m in measures]
    ax.set_yticks(y, labels, fontsize=8)
    ax.axvline(50, color="0.5", ls=":", lw=1)
    ax.set_xlim(0, 100)
    ax.set_xlabel("score in the team (0 = worst, 50 = middle, 100 = best)", labelpad=2)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.07), ncol=len(rep_ids), fontsize=8, frameon=False)
    ax.set_title(title if title is not None else "Measure by measure: " + " vs ".join(
        str(names.get(r, r)) if names is not None else r for r in rep_ids))
    return ax


def rep_trend_chart(team: pd.DataFrame, rep_id: str, ax: Axes | None = None, title: str | None = None) -> Axes:
    """One rep's quarters: sales (bars), quota (line) and the same quarter a year earlier (dashed)."""
    analysis._require(team, ["rep_id", "quarter", "rep", "sales", "quota", "sales_last_year"])
    rows = team[team["rep_id"] == rep_id].sort_values("quarter")
    if rows.empty:
        raise ValueError(f"no rep {rep_id!r} in the data; reps are {sorted(team['rep_id'].unique())}")
    ax = new_axes(ax, (6.5, 3.6))
    x = np.arange(len(rows))
    ax.bar(x, rows["sales"], color="#2e86c1", label="sales", gid="sales")
    ax.plot(x, rows["quota"], color="#c44e52", marker="o", label="quota")
    ax.plot(x, rows["sales_last_year"], color="0.35", ls="--", marker=".", label="a year earlier")
    ax.set_xticks(x, rows["quarter"])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v)))
    ax.set_ylabel("yuan")
    ax.legend(fontsize=8, loc="lower right")
    name = rows["rep"].iloc[0]
    ax.set_title(title if title is not None else f"{name}: sales by quarter against quota and last year")
    return ax


def retention_chart(whatif: pd.DataFrame, ax: Axes | None = None, retention: float | None = None,
                    uplift: float | None = None, title: str | None = None) -> Axes:
    """Business year by year at today's retention and with the uplift (:func:`retention_whatif`),
    the gap shaded and the lift in the last year written at the end of the lines."""
    needed = ["business_now", "business_better", "lift"]
    if not set(needed) <= set(whatif.columns) or whatif.empty:
        raise ValueError("whatif must be the result of retention_whatif()")
    ax = new_axes(ax, (7, 4))
    years = whatif.index.to_numpy()
    now_label = f"retention {pct(retention)}" if retention is not None else "retention now"
    better_label = (f"retention {pct(retention + uplift)}" if retention is not None and uplift is not None
                    else "with the uplift")
    ax.plot(years, whatif["business_now"], color="0.35", marker=".", label=now_label, gid="now")
    ax.plot(years, whatif["business_better"], color="#1b7f5f", marker=".", label=better_label, gid="better")
    ax.fill_between(years, whatif["business_now"], whatif["business_better"], color="#1b7f5f", alpha=0.12)
    last = whatif.iloc[-1]
    ax.text(0.98, 0.05, f"+{pct(last['lift'])} business in year {years[-1]}", transform=ax.transAxes, ha="right",
            va="bottom", fontsize=10, color="#1b7f5f", fontweight="bold", gid="lift")
    ax.set_xlabel("year")
    ax.set_ylabel("business in the year\n(units: one new customer's first-year purchases)")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(title if title is not None else "What more retention does to the business, year by year")
    return ax


def lifetime_chart(ax: Axes | None = None, marks: Sequence[float] = (0.10, 0.15), max_churn: float = 0.5,
                   title: str | None = None) -> Axes:
    """Expected customer lifetime (1 / churn) against annual churn, with ``marks`` labelled."""
    if not 0 < max_churn <= 1:
        raise ValueError("max_churn must be in (0, 1]")
    ax = new_axes(ax, (6.5, 3.6))
    c = np.linspace(0.04, max_churn, 200)
    ax.plot(c, 1 / c, color="#2e86c1")
    for m in marks:
        life = expected_lifetime(m)
        ax.plot([m], [life], "o", color="#c44e52")
        ax.annotate(f"{pct(m)} churn: {life:.1f} years", (m, life), xytext=(8, 4), textcoords="offset points",
                    fontsize=9)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("customers lost in a year (annual churn)")
    ax.set_ylabel("expected customer lifetime (years)")
    ax.set_title(title if title is not None else "The fewer customers you lose, the longer each one stays")
    return ax


def manager_time_chart(split: pd.DataFrame, ax: Axes | None = None, title: str | None = None,
                       chinese: bool | None = None) -> Axes:
    """A manager's share of time per area (:func:`management.time_split`) next to S2's reported split."""
    if not {"share", "reported_share"} <= set(split.columns):
        raise ValueError("split must be the result of management.time_split()")
    ax = new_axes(ax, (6.5, 3.6))
    x = np.arange(len(split))
    ax.bar(x - 0.2, split["reported_share"], width=0.4, color="0.6", label="reported in the source (S2)")
    ax.bar(x + 0.2, split["share"], width=0.4, color="#2e86c1", label="your week", gid="yours")
    ax.set_xticks(x, [display_label(a, chinese) for a in split.index])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel("share of working time")
    ax.legend(fontsize=8)
    ax.set_title(title if title is not None else "Where a sales manager's time goes")
    return ax
