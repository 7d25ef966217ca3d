"""Matplotlib figures for the customer-grading lessons (module M3).

Every function here only draws: the numbers come from :mod:`salescoach.customer_grading.analysis`
(Pareto curve, ABC classes, pyramid levels, margins, fake big customers).
Functions take pandas objects, never modify them, never call ``plt.show()``,
and return what they drew on:

* one-panel charts return the :class:`~matplotlib.axes.Axes` (pass ``ax=`` to
  draw into an existing one, e.g. inside a widget);
* the two-panel count-vs-profit comparison returns the
  :class:`~matplotlib.figure.Figure` (pass ``fig=`` to redraw into one).

Labels are in English.  Chinese terms (客户金字塔 ...) are added only when a
font with Chinese glyphs is installed (``chinese=None``, the default, checks);
otherwise matplotlib would draw empty boxes.  The lessons show the Chinese
terms in their text and tables instead.

Bad input (empty data, NaN, negative values where a share is needed, labels
and values that do not line up) raises ``ValueError`` saying what to fix.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from .. import style
from . import analysis
from .value_plots import effort_chart, margin_scatter, rank_shift_chart

__all__ = [
    "CLASS_COLOURS",
    "has_cjk_font",
    "level_colours",
    "display_label",
    "pareto_chart",
    "pareto_curves",
    "pyramid_chart",
    "count_profit_pyramids",
    "territory_map",
    "margin_scatter",
    "rank_shift_chart",
    "effort_chart",
]

# the words and Chinese terms of this module's labels are registered by .analysis (imported above)
CLASS_COLOURS = style.CLASS_COLOURS
has_cjk_font = style.has_cjk_font
display_label = style.display_label
level_colours = style.level_colours
_new_axes = style.new_axes
_pct = style.pct
_money = style.money


def _as_series(values: pd.Series | Sequence[float], name: str) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        raise ValueError(f"{name}: expected one column (a Series), got a DataFrame; pick a column, e.g. df['revenue_12m']")
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise ValueError(f"{name}: expected a list or Series of numbers, got {type(values).__name__}")
    return pd.Series(list(values))


def _checked_curve(values: pd.Series | Sequence[float]) -> pd.DataFrame:
    curve = analysis.pareto_curve(_as_series(values, "values"))
    if curve.empty:
        raise ValueError("values is empty: there are no customers to draw")
    if curve["value"].sum() <= 0:
        raise ValueError("every value is zero: a Pareto curve needs at least one customer with value > 0")
    return curve


# --------------------------------------------------------------------------- Pareto
def pareto_chart(
    values: pd.Series | Sequence[float],
    a_cut: float = 0.8,
    b_cut: float = 0.95,
    ax: Axes | None = None,
    title: str | None = None,
    value_label: str = "value",
    reference: bool = True,
    chinese: bool | None = None,
) -> Axes:
    """The Pareto curve 帕累托曲线 with the A/B/C regions of ABC analysis shaded.

    x = share of customers ranked by ``values`` (biggest first), y = their
    cumulative share of the total.  The A, B and C regions come from
    :func:`analysis.abc_classes` with the same cut-offs; their legend entries
    give the number of customers and the value share of each class.  With
    ``reference=True`` the chart also shows the 80/20 reference point, the
    real share held by the top 20%, and the "all customers equal" diagonal.

    Returns the Axes.  Raises ValueError for empty input, NaN, negative values,
    all-zero values, or cut-offs outside 0 < a_cut < b_cut <= 1.
    """
    curve = _checked_curve(values)
    classes = analysis.abc_classes(_as_series(values, "values"), a_cut, b_cut)
    value_label = style.words(value_label)
    ax = _new_axes(ax, (7.5, 4.5))
    n = len(curve)
    counts = classes.value_counts().reindex(list(analysis.ABC_LABELS), fill_value=0)
    shares = curve["value_share"].groupby(classes.reindex(curve.index), observed=False).sum()

    start = 0.0
    for label in analysis.ABC_LABELS:
        width = counts[label] / n
        ax.axvspan(start, start + width, color=CLASS_COLOURS[label], alpha=0.18, lw=0,
                   label=f"{label}: {counts[label]} customers ({_pct(width)}), {_pct(shares.get(label, 0.0))} of {value_label}")
        if width > 0.04:
            ax.text(start + width / 2, 0.04, label, ha="center", va="bottom", fontsize=13, fontweight="bold",
                    color=CLASS_COLOURS[label])
        start += width

    x = np.concatenate([[0.0], curve["customer_share"].to_numpy()])
    y = np.concatenate([[0.0], curve["cumulative_share"].to_numpy()])
    ax.plot(x, y, color="#1f2d3d", lw=2, label=f"cumulative share of {value_label}", gid="pareto_curve")
    label_at = style.spread([a_cut, b_cut], min_gap=0.055, hi=1.0)  # close cut-offs: labels must not overlap
    for cut, name, y in ((a_cut, "A", label_at[0]), (b_cut, "B", label_at[1])):
        ax.axhline(cut, color=CLASS_COLOURS[name], ls=":", lw=1.2, gid=f"{name.lower()}_cut")
        ax.text(0.995, y, f"{name} cut-off {_pct(cut)}", ha="right", va="center", fontsize=8,
                color=CLASS_COLOURS[name], transform=ax.get_yaxis_transform(), gid=f"{name.lower()}_cut_label",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})

    if reference:
        ax.plot([0, 1], [0, 1], color="0.6", lw=0.8, ls="--", label="all customers equal", gid="equal_line")
        ax.plot([0.2, 0.2, 0], [0, 0.8, 0.8], color="#c44e52", lw=1, ls="--", label="80/20 reference",
                gid="reference_8020")
        top20 = analysis.share_of_top(curve["value"], 0.2)
        ax.plot([0.2], [top20], "o", color="#c44e52", ms=6, gid="top20_point")
        ax.annotate(f"top 20% hold {_pct(top20)}", (0.2, top20), xytext=(12, -18), textcoords="offset points",
                    fontsize=9, color="#c44e52", arrowprops={"arrowstyle": "-", "color": "#c44e52", "lw": 0.8})

    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(f"share of customers, ranked by {value_label} (biggest first)")
    ax.set_ylabel(f"cumulative share of {value_label}")
    default = f"Pareto curve of {value_label}, ABC classes at {_pct(a_cut)} / {_pct(b_cut)}"
    ax.set_title(title if title is not None else default + (" (帕累托曲线)" if style.use_chinese(chinese) else ""))
    ax.legend(loc="center right", fontsize=8, framealpha=0.9)
    return ax


def pareto_curves(
    series: Mapping[str, pd.Series | Sequence[float]],
    ax: Axes | None = None,
    title: str | None = "Pareto curves compared",
    value_label: str = "value",
    reference: bool = True,
) -> Axes:
    """Several Pareto curves on one chart (e.g. revenue vs profit, or a full data set vs its sample).

    ``series`` maps a name to the values of one data set.  Each legend entry
    reports what the top 20% hold there.  Returns the Axes.
    """
    if not isinstance(series, Mapping) or not series:
        raise ValueError("series must be a non-empty mapping {name: values}, e.g. {'revenue': df['revenue_12m']}")
    value_label = style.words(value_label)
    ax = _new_axes(ax, (7, 4.5))
    styles = ("-", "--", "-.", ":")
    colours = ("#1f2d3d", "#2e86c1", "#e08a1e", "#1b7f5f", "#c44e52", "#7d3c98")
    for i, (name, values) in enumerate(series.items()):
        try:
            curve = _checked_curve(values)
        except ValueError as exc:
            raise ValueError(f"series {name!r}: {exc}") from None
        x = np.concatenate([[0.0], curve["customer_share"].to_numpy()])
        y = np.concatenate([[0.0], curve["cumulative_share"].to_numpy()])
        top20 = analysis.share_of_top(curve["value"], 0.2)
        ax.plot(x, y, ls=styles[i % len(styles)], color=colours[i % len(colours)], lw=2,
                label=f"{style.words(name)} (n={len(curve):,}): top 20% hold {_pct(top20)}")
    if reference:
        ax.plot([0, 1], [0, 1], color="0.6", lw=0.8, ls="--", label="all customers equal")
        ax.plot([0.2, 0.2, 0], [0, 0.8, 0.8], color="#c44e52", lw=1, ls="--", label="80/20 reference")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(f"share of customers, ranked by {value_label} (biggest first)")
    ax.set_ylabel(f"cumulative share of {value_label}")
    if title:
        ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    return ax


# --------------------------------------------------------------------------- pyramids
def _level_amounts(data: pd.Series | Mapping[str, float], order: Sequence[str] | None) -> pd.Series:
    """Per-level amounts from either one label per customer (counted) or an amount per level."""
    if isinstance(data, Mapping) and not isinstance(data, pd.Series):
        data = pd.Series(dict(data), dtype=float)
    if isinstance(data, pd.DataFrame):
        raise ValueError("expected a Series of levels (one per customer) or of amounts per level, got a DataFrame")
    if not isinstance(data, pd.Series):
        raise ValueError(f"expected a pandas Series or a mapping, got {type(data).__name__}")
    if data.empty:
        raise ValueError("no data: the Series of levels is empty")
    if isinstance(data.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(data.dtype):
        if data.isna().any():
            bad = data.index[data.isna()].tolist()[:10]
            raise ValueError(f"{int(data.isna().sum())} customer(s) without a level at rows {bad}; grade every customer")
        cats = list(data.cat.categories) if isinstance(data.dtype, pd.CategoricalDtype) else list(dict.fromkeys(data))
        amounts = data.astype(object).value_counts().reindex(cats, fill_value=0).astype(float)
    else:
        amounts = data.astype(float)
        if amounts.isna().any():
            raise ValueError(f"missing amount(s) for level(s) {amounts.index[amounts.isna()].tolist()}")
        if amounts.index.duplicated().any():
            raise ValueError(f"level(s) listed twice: {amounts.index[amounts.index.duplicated()].tolist()}")
    amounts.index = amounts.index.astype(str)
    if order is not None:
        order = [str(x) for x in order]
        unknown = [x for x in amounts.index if x not in order and amounts[x] != 0]
        if unknown:
            raise ValueError(f"levels {unknown} are not in order={order}")
        amounts = amounts.reindex(order, fill_value=0.0)
    return amounts


def pyramid_chart(
    data: pd.Series | Mapping[str, float],
    ax: Axes | None = None,
    order: Sequence[str] | None = None,
    title: str | None = None,
    value_label: str = "customers",
    money: bool = False,
    chinese: bool | None = None,
    min_width: float = 0.06,
) -> Axes:
    """A customer pyramid 客户金字塔: one centred bar per level, top level at the top.

    ``data`` is either one level per customer (e.g. the result of
    :func:`analysis.pyramid_levels`, :func:`analysis.value_grades` or
    :func:`analysis.abcd_quota`), which is counted, or an amount per level (a
    numeric Series or dict indexed by level, e.g. profit per grade).  Bar
    width is proportional to the amount, so counts give an upright pyramid
    and profit usually an inverted one.  ``order`` lists levels top to bottom
    (default: category order, or the order given).  A negative amount (a
    level that loses money) is drawn as an empty red outline and annotated.
    ``money=True`` writes amounts compactly (1.2M).  A level whose bar
    would be thinner than ``min_width`` of the widest bar (the 1% VIP level,
    say) is drawn at that width so it stays visible; its label gives the true
    number.  Returns the Axes.
    """
    amounts = _level_amounts(data, order)
    value_label = style.words(value_label)
    total = float(amounts.clip(lower=0).sum())
    if total <= 0:
        raise ValueError(f"nothing to draw: every level's {value_label} is zero or negative")
    ax = _new_axes(ax, (6.5, 3.8))
    shares = (amounts.clip(lower=0) / total).to_numpy()
    widths = np.where(shares > 0, np.maximum(shares, min_width * shares.max()), 0.0)
    colours = level_colours(list(amounts.index))
    n = len(amounts)
    ys = np.arange(n)[::-1]  # first level on top
    for y, label, w, amount in zip(ys, amounts.index, widths, amounts.to_numpy()):
        if amount < 0:
            ax.barh(y, 0.02, left=-0.01, height=0.8, fill=False, edgecolor="#c44e52", hatch="//",
                    label=label, gid=f"level_{label}")
        else:
            ax.barh(y, w, left=-w / 2, height=0.8, color=colours[label], edgecolor="white", label=label,
                    gid=f"level_{label}")
        shown = _money(amount) if money else f"{amount:,.0f}"
        net = float(amounts.sum())
        share = amount / (net if net > 0 else total)  # shares of the net total, so they add up to 100%
        note = " (loss)" if amount < 0 else ""
        unit = f" {value_label}" if value_label else ""
        ax.text(max(widths) / 2 + 0.03, y, f"{shown}{unit} ({_pct(share)}){note}", va="center", fontsize=9)
    ax.set_yticks(ys, [display_label(x, chinese) for x in amounts.index])
    ax.set_xlim(-max(widths) / 2 - 0.03, max(widths) / 2 + 0.03 + max(0.55, 0.8 * max(widths)))
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(title if title is not None else f"Pyramid of {value_label}"
                 + (" (客户金字塔)" if style.use_chinese(chinese) else ""))
    return ax


def count_profit_pyramids(
    levels: pd.Series,
    profit: pd.Series,
    fig: Figure | None = None,
    title: str | None = None,
    profit_label: str = "gross profit",
    chinese: bool | None = None,
    level_word: str = "grade",
) -> Figure:
    """Count pyramid vs inverted profit pyramid 客户数量金字塔 / 利润倒金字塔, side by side.

    ``levels`` is one grade per customer (categorical, best grade first),
    ``profit`` the money each customer brings, same index.  Left: how many
    customers each grade has; right: how much profit it brings.  When a few
    top customers bring most of the profit the right pyramid stands on its
    head.  Pass ``fig`` to redraw into an existing figure (it is cleared);
    ``level_word`` names the levels in the titles ("grade", "tier", "level").
    Returns the Figure.
    """
    if not isinstance(levels, pd.Series) or not isinstance(profit, pd.Series):
        raise ValueError("levels and profit must both be pandas Series with one row per customer")
    if len(levels) != len(profit) or not levels.index.equals(profit.index):
        raise ValueError("levels and profit must share the same index (one row per customer, same order)")
    p = pd.to_numeric(profit, errors="coerce")
    if p.isna().any():
        bad = p.index[p.isna()].tolist()[:10]
        raise ValueError(f"profit: missing or non-numeric value(s) at rows {bad}; fill them first, e.g. fillna(0)")
    counts = _level_amounts(levels, None)
    per_level = p.groupby(levels.astype(object)).sum().reindex(counts.index, fill_value=0.0)
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(12, 3.8), layout="constrained")
    else:
        fig.clear()
    left, right = fig.subplots(1, 2)
    profit_label = style.words(profit_label)
    pyramid_chart(counts, ax=left, title=f"Customers per {level_word} (count pyramid)", value_label="customers",
                  chinese=chinese)
    pyramid_chart(per_level, ax=right, title=f"{profit_label[:1].upper()}{profit_label[1:]} per {level_word}",
                  value_label="", money=True, chinese=chinese)
    fig.suptitle(title if title is not None else f"Count pyramid vs {profit_label} pyramid")
    return fig


# --------------------------------------------------------------------------- scatter charts
def territory_map(
    customers: pd.DataFrame,
    classes: pd.Series,
    size: pd.Series | None = None,
    ax: Axes | None = None,
    title: str | None = "Territory map, coloured by class",
    chinese: bool | None = None,
    legend_title: str = "class",
) -> Axes:
    """A map-like scatter of customers by ``longitude``/``latitude``, coloured by class.

    With a ``district`` column the district names are written at the middle
    of their customers.

    ``classes`` is one class per customer (same index as ``customers``);
    ``size`` (optional, e.g. revenue) scales the dots, area proportional to
    the value.  Returns the Axes.
    """
    if not isinstance(customers, pd.DataFrame):
        raise ValueError("customers must be a DataFrame with 'longitude' and 'latitude' columns")
    missing = [c for c in ("longitude", "latitude") if c not in customers.columns]
    if missing:
        raise ValueError(f"customers is missing column(s) {missing}; a map needs longitude and latitude")
    if not isinstance(classes, pd.Series) or not classes.index.equals(customers.index):
        raise ValueError("classes must be a Series with the same index as customers (one class per customer)")
    if customers.empty:
        raise ValueError("customers is empty: there is nothing to map")
    if size is not None:
        if not isinstance(size, pd.Series) or not size.index.equals(customers.index):
            raise ValueError("size must be a Series with the same index as customers")
        s = pd.to_numeric(size, errors="coerce").fillna(0).clip(lower=0)
        area = 8 + 300 * s / s.max() if s.max() > 0 else pd.Series(20.0, index=s.index)
    else:
        area = pd.Series(20.0, index=customers.index)
    ax = _new_axes(ax, (7, 6))
    cats = list(classes.cat.categories) if isinstance(classes.dtype, pd.CategoricalDtype) else sorted(classes.dropna().unique())
    colours = level_colours(cats)
    # draw the least valuable class first, so the few important dots sit on top
    for label in reversed(cats):
        mask = (classes.astype(object) == label).to_numpy()
        if not mask.any():
            continue
        ax.scatter(customers["longitude"][mask], customers["latitude"][mask], s=area[mask], c=[colours[label]],
                   alpha=0.8, edgecolors="white", linewidths=0.5, label=f"{display_label(label, chinese)} ({mask.sum()})")
    if "district" in customers.columns:  # district names at the middle of their customers, so the map reads
        middles = _spread_names(customers.groupby("district")[["longitude", "latitude"]].median())
        for district, (lon, lat) in middles.iterrows():
            ax.text(lon, lat, str(district), fontsize=8, ha="center", va="center", color="#1f2d3d", alpha=0.85,
                    gid=f"district_{district}",
                    path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])
    mean_lat = float(customers["latitude"].mean())
    ax.set_aspect(1 / math.cos(math.radians(mean_lat)))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    if title:
        ax.set_title(title)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="best", fontsize=8, markerscale=0.6, title=legend_title)
    return ax


def _spread_names(middles: pd.DataFrame, near: float = 0.1, gap: float = 0.03) -> pd.DataFrame:
    """Name positions (longitude, latitude) with names that would overlap moved apart in latitude."""
    out = middles.sort_values("longitude").copy()
    lons = out["longitude"].to_numpy()
    start = 0
    for end in range(1, len(out) + 1):  # runs of names closer than `near` in longitude share a column
        if end == len(out) or lons[end] - lons[end - 1] > near:
            rows = out.index[start:end]
            out.loc[rows, "latitude"] = style.spread(out.loc[rows, "latitude"].tolist(), gap)
            start = end
    return out
