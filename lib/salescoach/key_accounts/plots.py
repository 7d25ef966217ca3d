"""Matplotlib figures for the key-account lessons (module M9).

Each function only draws: the numbers come from :mod:`.analysis`.  Functions
take pandas objects, never modify them, never call ``plt.show()``, draw on
``ax=`` (a new figure when None) and return the Axes.  Labels are plain
English; Chinese terms are added when a CJK font is installed
(:func:`salescoach.style.display_label`).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from .. import style
from . import analysis
from . import framework as fw

__all__ = ["waterfall", "driver_bars", "portfolio_risk", "profit_vs_revenue", "budget_map", "GROUP_COLOURS"]

style.add_terms(fw.terms())
style.add_terms({s.en: s.zh for s in analysis.SIGNALS})
style.add_terms({"Loyalty-risk score": "忠诚风险分", "Profit at risk": "风险利润", "Value kept": "保住的价值"})

#: one colour per group: the seven drivers in blues and greens, the relationship factors in warm colours
GROUP_COLOURS = {
    "purchasing": "#1b4f72", "philosophy": "#2874a6", "interaction": "#5dade2", "service": "#117a65",
    "say": "#48c9b0", "relationship": "#7d3c98", "differentiation": "#af7ac5",
    "competitors": "#c0392b", "entry_barriers": "#e67e22", "exit_barriers": "#d4ac0d",
}
_BAND_COLOURS = {"low": "#1b7f5f", "watch": "#e08a1e", "high": "#c44e52"}
_NAMES = {t.id: t.en for t in (*fw.DRIVERS, *fw.FACTORS)}
_yuan = FuncFormatter(lambda x, _pos: style.money(x))


def waterfall(portfolio: pd.DataFrame, account_id: str, ax: Axes | None = None) -> Axes:
    """One account's loyalty-risk score built up signal by signal (biggest points first), ending at the score."""
    parts = analysis.explain(portfolio, account_id)
    ax = style.new_axes(ax, (8, 5))
    labels, start = [], 0.0
    for i, (_sig, row) in enumerate(parts.iterrows()):
        colour = GROUP_COLOURS[row["group"]]
        ax.barh(i, row["points"], left=start, color=colour, edgecolor="white", gid=f"step-{_sig}")
        text = f"+{row['points']:.1f}" if row["points"] > 0.05 else "0 (healthy)"
        ax.annotate(text, (start + row["points"], i), xytext=(4, 0), textcoords="offset points", va="center",
                    fontsize=8, color="0.25")
        start += row["points"]
        labels.append(f"{style.display_label(row['label'])}: {_value(_sig, row['value'])}")
    total = len(parts)
    ax.barh(total, start, color="#1f2d3d", gid="total")
    ax.annotate(f"{start:.1f}", (start, total), xytext=(4, 0), textcoords="offset points", va="center",
                fontsize=9, fontweight="bold")
    labels.append(style.display_label("Loyalty-risk score"))
    ax.set_yticks(range(total + 1), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100 if start > 60 else max(start * 1.3, 10))
    ax.set_xlabel("Points added to the loyalty-risk score (of 100)")
    name = _name(portfolio, account_id)
    ax.set_title(f"{account_id} {name}: {start:.1f} points of risk ({analysis.risk_band(start)}), "
                 "signal by signal")
    groups = list(dict.fromkeys(parts["group"]))
    ax.legend(handles=[Patch(color=GROUP_COLOURS[g], label=style.display_label(_NAMES[g])) for g in groups],
              frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), title="driver or factor",
              title_fontsize=8)
    return ax


def driver_bars(portfolio: pd.DataFrame, account_id: str, k: int = analysis.WEAK_DRIVERS,
                ax: Axes | None = None) -> Axes:
    """The seven loyalty drivers of one account, 0 (nothing there) to 1 (healthy); the ``k`` weakest in red."""
    frame = analysis.check_portfolio(portfolio)
    strengths = analysis.driver_strengths(frame).loc[analysis.check_account(frame, account_id)]
    weak = analysis.weakest_drivers(strengths, k)
    ax = style.new_axes(ax, (6, 3.6))
    y = np.arange(len(strengths))
    colours = ["#c44e52" if d in weak else "#5d6d7e" for d in strengths.index]
    ax.barh(y, np.ones(len(y)), color="#eaecee", gid="missing")
    ax.barh(y, strengths.to_numpy(), color=colours, gid="drivers")
    for yi, d in zip(y, strengths.index):
        note = f"{strengths[d]:.2f}" + ("  weakest" if d in weak else "")
        ax.annotate(note, (max(strengths[d], 0.0), yi), xytext=(4, 0), textcoords="offset points", va="center",
                    fontsize=8, color="#c44e52" if d in weak else "0.25",
                    fontweight="bold" if d in weak else "normal")
    ax.set_yticks(y, [style.display_label(fw.driver(d).en) for d in strengths.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 1.25)
    ax.set_xlabel("Strength: 1 = healthy, 0 = nothing there (grey: missing)")
    ax.set_title(f"Loyalty drivers of {account_id} {_name(frame, account_id)}")
    return ax


def portfolio_risk(portfolio: pd.DataFrame, top: int | None = None, ax: Axes | None = None) -> Axes:
    """Every account's score as a stacked bar of its drivers and factors, most at risk on top, band lines drawn."""
    groups = analysis.group_contributions(portfolio)
    order = groups.sum(axis=1).sort_values(ascending=False, kind="mergesort").index
    if top is not None:
        order = order[:top]
    groups = groups.loc[order]
    ax = style.new_axes(ax, (8, max(3.0, 0.28 * len(groups) + 1.2)))
    y = np.arange(len(groups))
    left = np.zeros(len(groups))
    for g in analysis.GROUPS:
        ax.barh(y, groups[g].to_numpy(), left=left, color=GROUP_COLOURS[g], label=style.display_label(_NAMES[g]),
                edgecolor="white", linewidth=0.5)
        left += groups[g].to_numpy()
    for lower, band in analysis.RISK_BANDS[1:]:
        ax.axvline(lower, color=_BAND_COLOURS[band], ls="--", lw=1)
        ax.annotate(f"{band} from {lower:g}", (lower, -0.9), fontsize=7, color=_BAND_COLOURS[band], ha="left")
    ax.set_yticks(y, [f"{a} {_name(portfolio, a)}" for a in groups.index], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Loyalty-risk score (points from each driver and factor)")
    ax.set_title("The portfolio's loyalty risk, account by account")
    ax.legend(frameon=False, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.07 - 1.0 / len(groups)),
              ncols=3)
    return ax


def profit_vs_revenue(portfolio: pd.DataFrame, highlight: Sequence[str] = (), ax: Axes | None = None) -> Axes:
    """Revenue against gross profit per account, with margin guide lines: a key account is large by profit."""
    profile = analysis.ka_profile(portfolio)
    ax = style.new_axes(ax, (7, 4.5))
    ax.scatter(profile["annual_revenue"], profile["gross_profit"], color="#2874a6", s=30, gid="accounts")
    top = float(profile["annual_revenue"].max()) * 1.05
    for margin in (0.05, 0.15, 0.25):
        ax.plot([0, top], [0, top * margin], color="0.75", lw=0.8, ls=":")
        ax.annotate(f"{margin:.0%} margin", (top, top * margin), fontsize=7, color="0.5", ha="right", va="bottom")
    for acc in highlight:
        if acc in profile.index:
            r = profile.loc[acc]
            ax.scatter([r["annual_revenue"]], [r["gross_profit"]], color="#c44e52", s=60, zorder=3)
            ax.annotate(f"{acc} {r.get('name', '')}", (r["annual_revenue"], r["gross_profit"]), xytext=(-6, 6),
                        textcoords="offset points", fontsize=8, ha="right", color="#c44e52")
    ax.xaxis.set_major_formatter(_yuan)
    ax.yaxis.set_major_formatter(_yuan)
    ax.set_xlabel("Our revenue from the account, last 12 months (yuan)")
    ax.set_ylabel("Gross profit from the account (yuan)")
    ax.set_title("A key account is large by profit, not only by revenue")
    ax.set_xlim(0, top)
    ax.set_ylim(bottom=0)
    return ax


def budget_map(options: pd.DataFrame, chosen: Sequence[str] = (), budget: float | None = None,
               ax: Axes | None = None) -> Axes:
    """Each account's retention plan: its cost (x) against the value it keeps (y); the chosen plans in red."""
    missing = [c for c in ("plan_cost", "value_kept") if c not in options.columns]
    if missing:
        raise ValueError(f"options has no column(s) {missing}. Fix: pass analysis.retention_options(portfolio)")
    ax = style.new_axes(ax, (7, 4.5))
    picked = options.index.isin([str(c) for c in chosen])
    ax.scatter(options.loc[~picked, "plan_cost"], options.loc[~picked, "value_kept"], color="#8c8c9c", s=28,
               label="not funded", gid="others")
    ax.scatter(options.loc[picked, "plan_cost"], options.loc[picked, "value_kept"], color="#c44e52", s=44,
               label="funded", gid="chosen")
    for acc in options.index[picked]:
        ax.annotate(acc, (options.at[acc, "plan_cost"], options.at[acc, "value_kept"]), xytext=(4, 3),
                    textcoords="offset points", fontsize=7, color="#c44e52")
    ax.xaxis.set_major_formatter(_yuan)
    ax.yaxis.set_major_formatter(_yuan)
    ax.set_xlabel("Cost of the account's retention plan for a year (yuan)")
    ax.set_ylabel(style.display_label("Value kept") + " (yuan of gross profit)")
    spent = float(options.loc[picked, "plan_cost"].sum())
    kept = float(options.loc[picked, "value_kept"].sum())
    title = f"Retention plans: {picked.sum()} funded, {style.money(spent)} spent, {style.money(kept)} kept"
    if budget is not None:
        title += f" (budget {style.money(budget)})"
    ax.set_title(title)
    ax.legend(frameon=False, loc="upper left")
    return ax


def _value(column: str, value: float) -> str:
    if column in ("fill_rate", "share_of_wallet"):
        return f"{value:.0%}"
    if column == "revenue_trend":
        return f"{value:+.0%}"
    if column == "satisfaction":
        return f"{value:.1f} of 5"
    if column == "info_lead_days":
        return f"{value:.0f} days"
    if column == "competitor_activity":
        return f"level {value:.0f} of 3"
    return f"{value:.0f}"


def _name(portfolio: pd.DataFrame, account_id: str) -> str:
    frame = portfolio.set_index("account_id") if "account_id" in portfolio.columns else portfolio
    if "name" in frame.columns and str(account_id) in frame.index.astype(str):
        return str(frame.loc[frame.index.astype(str) == str(account_id), "name"].iloc[0])
    return ""
