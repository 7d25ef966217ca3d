"""Matplotlib figures for the route-management lessons (module M6).

Every function only draws (the numbers come from :mod:`.analysis`, :mod:`.travel`, :mod:`.plans` and
:mod:`.diary`), never calls ``plt.show()``, draws on ``ax=`` when given and returns the Axes.  Labels are
plain English; Chinese terms are added through :func:`salescoach.style.display_label` when a CJK font is
installed.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from .. import style
from . import analysis, travel
from .analysis import ROUTE_TERMS, Workload
from .plans import WeekPlan

__all__ = ["survey_chart", "workload_chart", "route_map", "day_timeline", "plan_comparison", "selling_time_chart",
           "effort_vs_sales", "customer_effort_chart", "DAY_COLOURS"]

style.add_terms({k.capitalize(): v for k, v in ROUTE_TERMS.items()} | {"Route plan": "路线安排"})
DAY_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b")
_TRAVEL, _ADMIN, _PHONE = "#c6dbef", "#d9c8a9", "#bcbddc"  # driving, non-selling time, calls


def survey_chart(ax: Axes | None = None, guesses: Sequence[float] | None = None, title: str | None = None) -> Axes:
    """The Forbes-500 survey of reps' territory habits (S2) as bars, with the class's guesses as marks."""
    ax = style.new_axes(ax, (8, 4.2))
    labels = [s for s, _ in analysis.SURVEY]
    shares = [v for _, v in analysis.SURVEY]
    y = np.arange(len(labels))
    ax.barh(y, shares, color="#c44e52", label="share of reps (survey)")
    for yi, v in zip(y, shares):
        ax.annotate(style.pct(v), (v, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    if guesses is not None:
        if len(guesses) != len(labels):
            raise ValueError(f"guesses: give one share per survey finding ({len(labels)}), got {len(guesses)}")
        ax.scatter(list(guesses), y, marker="|", s=300, color="black", zorder=3, label="your guess")
    ax.set(yticks=y, yticklabels=labels, xlim=(0, 1.0), xlabel="share of reps")
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.invert_yaxis()
    ax.set_title(title or "How reps organise their territory (survey of Forbes-500 companies)")
    ax.legend(frameon=False, loc="lower right", fontsize=8)
    return ax


def workload_chart(work: Workload, ax: Axes | None = None, title: str | None = None) -> Axes:
    """One bar of hours a week: visits per class, travel, non-selling time; the capacity as a line."""
    ax = style.new_axes(ax, (8, 2.6))
    left = 0.0
    t = work.table
    for cls, r in t.iterrows():
        if r["visit_hours"] > 0:
            ax.barh(0, r["visit_hours"], left=left, color=style.CLASS_COLOURS.get(str(cls), "#777"),
                    label=f"visits to {cls} customers ({r['visit_hours']:.1f} h)")
            left += r["visit_hours"]
    for value, colour, label in ((t["travel_hours"].sum(), _TRAVEL, "travel"), (work.phone_hours, _PHONE,
                                 "phone and e-mail"), (work.admin_hours, _ADMIN, "non-selling time")):
        if value > 0:
            ax.barh(0, value, left=left, color=colour, label=f"{label} ({value:.1f} h)")
            left += value
    ax.axvline(work.capacity_hours, color="black", lw=2, ls="--", label=f"capacity ({work.capacity_hours:g} h)")
    ax.set(yticks=[], xlabel="hours a week", xlim=(0, max(left, work.capacity_hours) * 1.05))
    verdict = "fits" if work.fits else f"{work.shortfall_hours:.1f} h too much"
    ax.set_title(title or f"Workload versus capacity: {work.needed_hours:.1f} h needed, {verdict}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=3, fontsize=8, frameon=False)
    return ax


def _aspect(ax: Axes, lat: float) -> None:
    ax.set_aspect(1 / np.cos(np.radians(lat)))


def route_map(plan: WeekPlan, territory: pd.DataFrame | None = None, ax: Axes | None = None,
              title: str | None = None, days: Sequence[str] | None = None) -> Axes:
    """The week's routes on a map: one colour per day from the base (star) through its stops and back;
    stops coloured by class; the territory's other customers in light grey; district names at the
    middle of their customers (when the territory has a ``district`` column)."""
    ax = style.new_axes(ax, (9, 7))
    v = plan.visits
    if territory is not None:
        geo = travel.customer_frame(territory)
        ax.scatter(geo["longitude"], geo["latitude"], s=6, color="#d0d0d0", zorder=1, label="other customers")
        if "district" in geo.columns:
            for name, g in geo.groupby("district"):
                ax.annotate(style.display_label(str(name)), (g["longitude"].median(), g["latitude"].median()),
                            ha="center", va="center", fontsize=9, color="#444", zorder=2, fontweight="bold",
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.6})
    pos = v.merge(_positions(plan, territory), on="customer_id", how="left")
    shown = list(plan.days["day"]) if days is None else list(days)
    for k, day in enumerate(plan.days["day"]):
        if day not in shown:
            continue
        stops = pos[pos["day"] == day].sort_values("order")
        lon = [plan.base[1], *stops["longitude"], plan.base[1]]
        lat = [plan.base[0], *stops["latitude"], plan.base[0]]
        colour = DAY_COLOURS[k % len(DAY_COLOURS)]
        hours = plan.days.loc[plan.days["day"] == day, "travel_min"].iloc[0] / 60
        ax.plot(lon, lat, color=colour, lw=1.6, alpha=0.85, zorder=3, label=f"{day}: {len(stops)} visits, "
                f"{hours:.1f} h driving")
    on = pos[pos["day"].isin(shown)].drop_duplicates("customer_id")
    for cls, g in on.groupby("class"):
        ax.scatter(g["longitude"], g["latitude"], s=42, color=style.CLASS_COLOURS.get(str(cls), "#555"),
                   edgecolor="white", zorder=4, label=f"class {cls} customer")
    ax.scatter([plan.base[1]], [plan.base[0]], marker="*", s=260, color="black", zorder=5, label="base (office)")
    _aspect(ax, plan.base[0])
    ax.set(xlabel="longitude (degrees east)", ylabel="latitude (degrees north)",
           title=title or f"The week's routes: {plan.travel_hours:.1f} h of driving for {len(v)} visits")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    return ax


def _positions(plan: WeekPlan, territory: pd.DataFrame | None) -> pd.DataFrame:
    if "latitude" in plan.visits.columns:
        return plan.visits[["customer_id", "latitude", "longitude"]].drop_duplicates("customer_id")
    if territory is None:
        raise ValueError("route_map needs the customers' coordinates: pass territory= (the customer table)")
    geo = travel.customer_frame(territory)
    missing = set(plan.visits["customer_id"]) - set(geo.index)
    if missing:
        raise ValueError(f"territory has no coordinates for customers {sorted(missing)[:10]} of the plan")
    return geo[["latitude", "longitude"]].reset_index()


def day_timeline(plan: WeekPlan, ax: Axes | None = None, title: str | None = None, hours_per_day: float | None = None
                 ) -> Axes:
    """Time arrangement 时间安排: each day as a line of visits (class colours) and drives (grey) from the
    start of the day; the end of the working day as a dashed line."""
    ax = style.new_axes(ax, (10, 0.6 + 0.55 * len(plan.days)))
    labels = list(plan.days["day"])
    for y, d in enumerate(plan.days.itertuples()):
        stops = plan.visits[plan.visits["day"] == d.day].sort_values("order").rename(columns={"class": "cls"})
        t0 = d.start
        for s in stops.itertuples():
            leave = (s.arrival - t0).total_seconds() / 3600 - s.travel_min / 60
            ax.barh(y, s.travel_min / 60, left=leave, color=_TRAVEL, height=0.6)
            ax.barh(y, s.visit_min / 60, left=(s.arrival - t0).total_seconds() / 3600, height=0.6,
                    color=style.CLASS_COLOURS.get(str(s.cls), "#555"), edgecolor="white")
        if len(stops):
            last = (stops["departure"].iloc[-1] - t0).total_seconds() / 3600
            ax.barh(y, (d.end - stops["departure"].iloc[-1]).total_seconds() / 3600, left=last, color=_TRAVEL,
                    height=0.6)
    limit = hours_per_day if hours_per_day is not None else plan.settings.get("hours_per_day")
    if limit:
        ax.axvline(float(limit), color="black", ls="--", lw=1.5, label=f"end of the {float(limit):g} h day")
    handles = [Patch(color=_TRAVEL, label="driving")] + [
        Patch(color=style.CLASS_COLOURS.get(str(c), "#555"), label=f"visit, class {c}")
        for c in sorted(plan.visits["class"].unique())]
    ax.set(yticks=range(len(labels)), yticklabels=labels, xlabel="hours since leaving the base")
    ax.invert_yaxis()
    ax.set_title(title or style.display_label("Time arrangement"))
    ax.legend(handles=ax.get_legend_handles_labels()[0] + handles, loc="upper left", bbox_to_anchor=(1.01, 1),
              fontsize=8, frameon=False)
    return ax


def plan_comparison(comparison: pd.DataFrame, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Driving hours per day, naive plan next to optimised plan (from :func:`plans.compare_plans`)."""
    ax = style.new_axes(ax, (8, 4))
    days = comparison.drop(index="week", errors="ignore")
    x = np.arange(len(days))
    ax.bar(x - 0.2, days["naive_travel_h"], 0.4, color="#c44e52", label="in list order (naive)")
    ax.bar(x + 0.2, days["optimised_travel_h"], 0.4, color="#1b7f5f", label="optimised")
    ax.set(xticks=x, xticklabels=days.index, ylabel="hours of driving")
    if "week" in comparison.index:
        w = comparison.loc["week"]
        title = title or (f"Driving: {w['naive_travel_h']:.1f} h in list order, {w['optimised_travel_h']:.1f} h "
                          f"optimised ({w['saved_h']:.1f} h a week saved)")
    ax.set_title(title or "Driving per day")
    ax.legend(frameon=False)
    return ax


def selling_time_chart(table: pd.DataFrame, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Hours a week now and after the changes (from :func:`analysis.selling_time`), stacked by kind."""
    ax = style.new_axes(ax, (7.5, 3.2))
    parts = table.drop(index="total")
    colours = {"customer visits": style.CLASS_COLOURS["A"], "travel and waiting": _TRAVEL,
               "phone and e-mail": _PHONE, "non-selling time": _ADMIN}
    for y, col in enumerate(("now", "after")):
        left = 0.0
        for kind, value in parts[col].items():
            ax.barh(y, value, left=left, color=colours.get(str(kind), "#777"), label=kind if y == 0 else None)
            left += value
    gained = float(table.loc["total", "gained"])
    ax.set(yticks=[0, 1], yticklabels=["now", "after the changes"], xlabel="hours a week")
    ax.invert_yaxis()
    ax.set_title(title or f"Selling time gained: {gained:.1f} h a week")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=4, fontsize=8, frameon=False)
    return ax


def effort_vs_sales(by_class: pd.DataFrame, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Where the effort went: per class, its share of visits, time and spend next to its share of sales
    (from :func:`diary.effort_by_class`)."""
    ax = style.new_axes(ax, (8, 4.2))
    bars = (("visits_share", "share of visits", "#6baed6"), ("time_share", "share of time", "#2171b5"),
            ("spend_share", "share of spend", "#fd8d3c"), ("sales_share", "share of sales", "#1b7f5f"))
    x = np.arange(len(by_class))
    for k, (col, label, colour) in enumerate(bars):
        ax.bar(x + (k - 1.5) * 0.2, by_class[col], 0.2, color=colour, label=label)
        for xi, v in zip(x, by_class[col]):
            ax.annotate(style.pct(v), (xi + (k - 1.5) * 0.2, v), ha="center", va="bottom", fontsize=7)
    ax.set(xticks=x, xticklabels=[f"class {c}\n({n} customers)" for c, n in by_class["customers"].items()],
           ylabel="share of the total")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    top = float(by_class[[c for c, _, _ in bars]].to_numpy().max()) if len(by_class) else 1.0
    ax.set_ylim(0, top * 1.25)
    ax.set_title(title or "Where the rookie's two weeks went, and where the sales are")
    ax.legend(frameon=False, ncol=4, loc="upper center", fontsize=8)
    return ax


def customer_effort_chart(per_customer: pd.DataFrame, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Each customer: sales (x, log scale) against minutes spent with it in the diary (y); colour = class,
    marker size = money and goods given."""
    ax = style.new_axes(ax, (8, 5))
    for cls, g in per_customer.groupby("class"):
        ax.scatter(g["sales_12m"], g["minutes"], s=20 + g["spend_yuan"] / 4, alpha=0.8, edgecolor="white",
                   color=style.CLASS_COLOURS.get(str(cls), "#555"), label=f"class {cls}")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: style.money(x)))
    ax.set(xlabel="sales in the last 12 months (yuan, log scale)", ylabel="minutes spent in the two weeks")
    ax.set_title(title or "Time per customer against its sales (marker size = money and goods given)")
    ax.legend(frameon=False)
    return ax
