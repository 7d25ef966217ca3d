"""Interactive controls (ipywidgets) for the sales-platform lessons (module M1).

* :func:`work_platform_explorer`: a slider for the rep's capacity (customers he can manage actively)
  and the reserve; the analytic pick (A first, then B) against many habit picks, redrawn on every change.
* :func:`ceiling_explorer`: sliders for the capacity model's kit assumptions; the A and B service
  quality against the size of the purchase platform, with the ceiling marked.

Each explorer is a ``VBox`` whose parts are attributes, so code (and tests) drive it as a user would.
Charts are redrawn into an ``Image`` widget (PNG), not an ``Output`` widget (headless runs can hang on
Output widgets: nbclient #312).
"""
from __future__ import annotations

import html
import io
from dataclasses import replace

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import style
from . import analysis, capacity, plots

__all__ = ["WorkPlatformExplorer", "work_platform_explorer", "CeilingExplorer", "ceiling_explorer"]

_WIDE = {"description_width": "initial"}


def _png(figure: Figure) -> bytes:
    buf = io.BytesIO()
    figure.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


class WorkPlatformExplorer(widgets.VBox):
    """Habit against analysis for a capacity the user sets; see :func:`work_platform_explorer`.

    Attributes: ``capacity`` and ``reserve`` (sliders), ``chosen`` and ``reserved`` (the analytic pick's
    ids), ``simulation`` (one row per habit draw), ``summary`` (HTML), ``chart`` (Image), ``figure``.
    """

    def __init__(self, values: pd.Series, classes: pd.Series, capacity: int = 50, reserve: int = 10,
                 n_draws: int = 1000, seed: int = 0):
        analysis.analytic_pick(values, classes, capacity, reserve)  # validates the inputs
        self.values, self.classes, self.n_draws, self.seed = values, classes, n_draws, seed
        top = min(len(values), 150)
        self.capacity = widgets.IntSlider(value=capacity, min=5, max=max(top - 1, 5), step=5,
                                          description="customers he can manage", continuous_update=False,
                                          style=_WIDE)
        self.reserve = widgets.IntSlider(value=reserve, min=0, max=30, description="kept in reserve",
                                         continuous_update=False, style=_WIDE)
        self.summary = widgets.HTML()
        self.chart = widgets.Image(format="png", layout={"max_width": "100%"})
        self.figure = Figure(figsize=(8, 4), layout="constrained")
        for w in (self.capacity, self.reserve):
            w.observe(lambda _change: self.update(), names="value")
        super().__init__([widgets.HBox([self.capacity, self.reserve]), self.summary, self.chart])
        self.update()

    def update(self) -> None:
        cap = min(self.capacity.value, len(self.values) - 1)
        res = min(self.reserve.value, len(self.values) - cap)
        self.chosen, self.reserved = analysis.analytic_pick(self.values, self.classes, cap, res)
        self.simulation = analysis.habit_vs_analysis(self.values, self.classes, cap, self.n_draws, self.seed)
        picked = analysis.pick_summary(self.values, self.classes, self.chosen)
        kept = analysis.pick_summary(self.values, self.classes, self.reserved) if len(self.reserved) else None
        share = self.simulation["habit_value"] / self.simulation["analysis_value"]
        reserve_text = (f", with {kept['B']} B and {kept['C']} C in reserve" if kept is not None else "")
        self.summary.value = (
            f"<b>Analysis:</b> {picked['A']} A + {picked['B']} B + {picked['C']} C customers{reserve_text}, "
            f"holding {html.escape(style.pct(picked['value_share']))} of the territory's value.<br>"
            f"<b>Habit</b> ({self.n_draws:,} random picks of {cap}): on average "
            f"{self.simulation['habit_C'].mean():.0f} C customers; the median pick holds "
            f"{html.escape(style.pct(share.median()))} of what the analytic pick holds "
            f"(best draw {html.escape(style.pct(share.max()))}).")
        self.figure.clear()
        plots.gap_distribution(self.simulation, ax=self.figure.add_subplot())
        self.chart.value = _png(self.figure)


def work_platform_explorer(values: pd.Series, classes: pd.Series, capacity: int = 50, reserve: int = 10,
                           n_draws: int = 1000, seed: int = 0) -> WorkPlatformExplorer:
    """A capacity slider: the analytic work platform against ``n_draws`` seeded habit picks."""
    return WorkPlatformExplorer(values, classes, capacity, reserve, n_draws, seed)


class CeilingExplorer(widgets.VBox):
    """The capacity model with its assumptions on sliders; see :func:`ceiling_explorer`.

    Attributes: one slider per assumption (``hours``, ``development``, ``basic``, ``a_hours``,
    ``b_hours``), ``target``, ``assumptions`` (current), ``ceiling`` (current), ``summary``, ``chart``.
    """

    def __init__(self, assumptions: capacity.CapacityAssumptions | None = None, target: float = 0.9,
                 mark: int | None = None, max_customers: int = 160):
        a = assumptions or capacity.CapacityAssumptions()
        self.base, self.mark, self.max_customers = a, mark, max_customers
        self.hours = widgets.IntSlider(value=int(a.hours_per_month), min=80, max=240, step=10,
                                       description="hours a month", continuous_update=False, style=_WIDE)
        self.development = widgets.FloatSlider(value=a.development_share, min=0.0, max=0.5, step=0.05,
                                               description="share for new customers", readout_format=".0%",
                                               continuous_update=False, style=_WIDE)
        self.basic = widgets.FloatSlider(value=a.basic_hours, min=0.1, max=2.0, step=0.1,
                                         description="basic service per buyer (h)", continuous_update=False,
                                         style=_WIDE)
        self.a_hours = widgets.FloatSlider(value=a.a_hours, min=1, max=12, step=0.5,
                                           description="A relationship work (h)", continuous_update=False,
                                           style=_WIDE)
        self.b_hours = widgets.FloatSlider(value=a.b_hours, min=0.5, max=8, step=0.5,
                                           description="B relationship work (h)", continuous_update=False,
                                           style=_WIDE)
        self.target = widgets.FloatSlider(value=target, min=0.5, max=1.0, step=0.05, description="target quality",
                                          readout_format=".0%", continuous_update=False, style=_WIDE)
        self.summary = widgets.HTML()
        self.chart = widgets.Image(format="png", layout={"max_width": "100%"})
        self.figure = Figure(figsize=(8, 4), layout="constrained")
        controls = (self.hours, self.development, self.basic, self.a_hours, self.b_hours, self.target)
        for w in controls:
            w.observe(lambda _change: self.update(), names="value")
        super().__init__([widgets.HBox([widgets.VBox(list(controls[:3])), widgets.VBox(list(controls[3:]))]),
                          self.summary, self.chart])
        self.update()

    def update(self) -> None:
        self.assumptions = replace(self.base, hours_per_month=float(self.hours.value),
                                   development_share=float(self.development.value), basic_hours=float(self.basic.value),
                                   a_hours=float(self.a_hours.value), b_hours=float(self.b_hours.value))
        self.ceiling = capacity.ceiling(self.assumptions, self.target.value)
        sizes = np.arange(0, self.max_customers + 1, 2)
        quality = capacity.service_quality(sizes, self.assumptions)
        text = (f"Ceiling: <b>{self.ceiling}</b> buying customers keep A and B at "
                f"{html.escape(style.pct(self.target.value))} of the service they need "
                f"({self.assumptions.customer_hours:.0f} hours a month for customers).")
        if self.mark is not None:
            at = capacity.service_quality([self.mark], self.assumptions).iloc[0]
            text += (f"<br>With {self.mark} buying customers, A customers get "
                     f"{html.escape(style.pct(at['quality_a']))} and B customers "
                     f"{html.escape(style.pct(at['quality_b']))} of what they need.")
        self.summary.value = text
        self.figure.clear()
        plots.quality_chart(quality, self.ceiling, self.target.value, ax=self.figure.add_subplot(), mark=self.mark)
        self.chart.value = _png(self.figure)


def ceiling_explorer(assumptions: capacity.CapacityAssumptions | None = None, target: float = 0.9,
                     mark: int | None = None) -> CeilingExplorer:
    """Sliders for the capacity model's kit assumptions, with the ceiling of the purchase platform."""
    return CeilingExplorer(assumptions, target, mark)
