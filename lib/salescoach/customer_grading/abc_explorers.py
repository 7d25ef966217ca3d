"""The ABC explorers of the customer-grading lessons (module M3): grading customers by amounts.

* :func:`pareto_explorer` - two sliders for the A and B cut-offs of ABC
  analysis, the Pareto chart redrawn on every change and a summary of how
  many customers and what share of value fall in A, B and C (lesson 3.1).
* :func:`work_platform_explorer` - sliders for the size of the work
  platform and its reserve list, with the A/B/C mix and the share of value
  they cover beside picks made without analysis (lesson 3.2).

The numbers come from :mod:`salescoach.customer_grading.analysis`, the chart from
:mod:`salescoach.customer_grading.plots`.  Each explorer is a ``VBox`` whose parts are
attributes, so code (and tests) can drive it like a user would::

    w = pareto_explorer(territory["revenue_12m"])
    w.a_slider.value = 0.7
    w.summary            # DataFrame, already updated
"""
from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from .. import style
from . import analysis, plots
from .widget_parts import CELL, chart_widget, png, summary_table_html

__all__ = ["ParetoExplorer", "pareto_explorer", "WorkPlatformExplorer", "work_platform_explorer"]


def _one_line(summary: pd.DataFrame, value_label: str) -> str:
    """The summary in one line under the sliders, so a slider move shows at once even when the chart is
    further down the page: 'A 18 customers (6%) hold 81% of revenue · B ...'."""
    value_label = style.words(value_label)
    parts = [f"<b>{html.escape(str(label))}</b> {style.count(r['customers'])} customers "
             f"({style.pct(r['customer_share'])}) hold {style.pct(r['value_share'])}"
             for label, r in summary.iterrows()]
    return " · ".join(parts) + f" <span style='color:#666'>of {html.escape(value_label)}</span>"


# --------------------------------------------------------------------------- Pareto explorer
class ParetoExplorer(widgets.VBox):
    """ABC analysis with two sliders; see :func:`pareto_explorer`.

    Attributes: ``a_slider``, ``b_slider`` (FloatSlider), ``summary``
    (DataFrame from :func:`analysis.abc_summary`), ``classes`` (Series of A/B/C),
    ``line`` (HTML: the summary in one line, under the sliders),
    ``summary_html`` (HTML widget), ``note`` (HTML widget explaining any
    correction of the B slider), ``chart`` (Image widget showing the chart),
    ``figure``/``ax`` (the matplotlib chart, redrawn in place).
    """

    def __init__(
        self,
        values: pd.Series | Sequence[float],
        a_cut: float = 0.8,
        b_cut: float = 0.95,
        *,
        value_label: str = "value",
        step: float = 0.01,
        figsize: tuple[float, float] = (6.8, 4.0),
    ):
        if not 0 < step < 0.5:
            raise ValueError(f"step must be between 0 and 0.5, got {step}")
        values = plots._as_series(values, "values")
        if len(values) == 0:
            raise ValueError("values is empty: there are no customers to grade")
        summary = analysis.abc_summary(values, a_cut, b_cut)  # raises ValueError on bad values or cut-offs
        if float(pd.to_numeric(values).sum()) <= 0:
            raise ValueError("every value is zero: there is nothing to grade")
        if a_cut > 1 - step:
            raise ValueError(f"a_cut must be at most {1 - step:g} so that B can stay above it, got {a_cut}")
        self.values = values
        self.value_label = value_label
        self.step = step
        # wide sliders: 1% steps on a short slider are too fine to hit with a mouse (issue 14)
        slider_style = {"description_width": "6em"}
        slider_layout = {"width": "min(100%, 32em)"}
        self.a_slider = widgets.FloatSlider(
            value=a_cut, min=min(step, a_cut), max=round(1 - step, 10), step=step, description="A cut-off",
            readout_format=".0%", continuous_update=False, style=slider_style, layout=slider_layout,
        )
        self.b_slider = widgets.FloatSlider(
            value=b_cut, min=round(2 * step, 10), max=1.0, step=step, description="B cut-off",
            readout_format=".0%", continuous_update=False, style=slider_style, layout=slider_layout,
        )
        self.note = widgets.HTML(
            value="<i>B is always kept above A: move A past B and B moves up with it.</i>"
        )
        self.line = widgets.HTML()
        self.summary_html = widgets.HTML(layout={"margin": "0 0 0 1em"})
        self.chart = chart_widget()
        self.figure = Figure(figsize=figsize, layout="constrained")
        self.ax = self.figure.add_subplot()
        self.summary = summary
        self.classes = analysis.abc_classes(values, a_cut, b_cut)
        self._busy = False
        words = style.words(value_label)
        # the chart sits right under the sliders (the table beside it, or under it on a narrow screen), so a
        # slider move changes what is in view even at 900 px (issue 14)
        super().__init__(
            children=[
                widgets.HTML(f"<b>ABC analysis of {html.escape(words)}</b>: move the cut-offs and watch "
                             "the classes change."),
                self.a_slider,
                self.b_slider,
                self.line,
                self.note,
                widgets.HBox([self.chart, self.summary_html],
                             layout={"flex_flow": "row wrap", "align_items": "flex-start"}),
            ]
        )
        self.a_slider.observe(self._on_change, names="value")
        self.b_slider.observe(self._on_change, names="value")
        self._refresh()

    @property
    def a_cut(self) -> float:
        return float(self.a_slider.value)

    @property
    def b_cut(self) -> float:
        return float(self.b_slider.value)

    def _on_change(self, change: dict) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            a, b = self.a_cut, self.b_cut
            note = ""
            if b <= a + 1e-9:
                new_b = min(1.0, round(a + self.step, 10))
                if change["owner"] is self.a_slider:
                    note = (f"B cut-off moved up to {new_b:.0%}: it must stay above the A cut-off "
                            f"({a:.0%}).")
                else:
                    note = (f"B cut-off cannot be at or below the A cut-off ({a:.0%}); "
                            f"it was set back to {new_b:.0%}.")
                self.b_slider.value = new_b
            self._refresh(note)
        finally:
            self._busy = False

    def _refresh(self, note: str = "") -> None:
        a, b = self.a_cut, self.b_cut
        self.classes = analysis.abc_classes(self.values, a, b)
        self.summary = analysis.grade_summary(self.classes, pd.to_numeric(self.values).astype(float))
        words = style.words(self.value_label)
        self.summary_html.value = summary_table_html(self.summary, self.value_label,
                                                f"A up to {a:.0%} of {words}, B up to {b:.0%}")
        self.line.value = _one_line(self.summary, self.value_label)
        if note:
            self.note.value = f"<span style='color:#c44e52'>{html.escape(note)}</span>"
        else:
            self.note.value = "<i>B is always kept above A: move A past B and B moves up with it.</i>"
        self.ax.clear()
        plots.pareto_chart(self.values, a, b, ax=self.ax, value_label=self.value_label)
        self.chart.value = png(self.figure)


def pareto_explorer(
    values: pd.Series | Sequence[float],
    a_cut: float = 0.8,
    b_cut: float = 0.95,
    *,
    value_label: str = "value",
    step: float = 0.01,
) -> ParetoExplorer:
    """An interactive ABC analysis: sliders for the A and B cut-offs, the Pareto chart and a summary.

    ``values`` is one non-negative number per customer (e.g.
    ``territory["revenue_12m"]``).  The B slider always stays above the A
    slider (at least one ``step`` higher): moving A up to or past B pushes B
    up, moving B down to or below A puts it back, and the widget says so.
    Returns a :class:`ParetoExplorer` (a VBox); read ``.summary`` for the
    current table.  Raises ValueError for bad values or cut-offs.
    """
    return ParetoExplorer(values, a_cut, b_cut, value_label=value_label, step=step)


# --------------------------------------------------------------------------- work platform explorer
class WorkPlatformExplorer(widgets.VBox):
    """How many customers to manage actively, and who; see :func:`work_platform_explorer`.

    Attributes: ``size_slider``, ``reserve_slider`` (IntSlider), ``table`` (DataFrame: one row per pick,
    columns A/B/C counts and ``value_share``), ``table_html`` (HTML widget).
    """

    def __init__(self, values: pd.Series, classes: pd.Series, size: int = 50, reserve: int = 10, *,
                 value_label: str = "value", n_picks: int = 200, seed: int = 0):
        values = plots._as_series(values, "values")
        if not isinstance(classes, pd.Series) or not classes.index.equals(values.index):
            raise ValueError("classes must be a Series with the same index as values (one class per customer)")
        n = len(values)
        if not (1 <= size <= n and 0 <= reserve <= n - size):
            raise ValueError(f"size and reserve must fit the {n} customers: 1 <= size, size + reserve <= {n}")
        self.values, self.classes, self.value_label = values, classes, value_label
        self.n_picks, self.seed = n_picks, seed
        slider = {"style": {"description_width": "12em"}, "layout": {"width": "min(100%, 34em)"},
                  "continuous_update": False}
        self.size_slider = widgets.IntSlider(value=size, min=1, max=n, description="managed customers", **slider)
        self.reserve_slider = widgets.IntSlider(value=reserve, min=0, max=max(0, n - size),
                                                description="in reserve", **slider)
        self.table_html = widgets.HTML()
        self.table = pd.DataFrame()
        super().__init__(children=[
            widgets.HTML(f"<b>Work platform 工作平台</b>: choose how many customers to manage actively and how "
                         f"many to keep in reserve; compare with {n_picks} picks made without analysis."),
            self.size_slider, self.reserve_slider, self.table_html,
        ])
        self.size_slider.observe(self._refresh, names="value")
        self.reserve_slider.observe(self._refresh, names="value")
        self._refresh()

    def _refresh(self, _change: dict | None = None) -> None:
        n = len(self.values)
        self.reserve_slider.max = max(0, n - self.size_slider.value)
        size, reserve = self.size_slider.value, min(self.reserve_slider.value, n - self.size_slider.value)
        chosen, spare = analysis.work_platform(self.values, size=size, reserve=reserve)
        total = float(pd.to_numeric(self.values).sum()) or 1.0
        picks = analysis.random_work_platforms(self.values, self.classes, size=size, n_picks=self.n_picks,
                                               seed=self.seed)
        labels = [str(c) for c in (self.classes.cat.categories if isinstance(self.classes.dtype, pd.CategoricalDtype)
                                   else sorted(self.classes.unique()))]
        rows = {}
        for name, idx in ((f"top {size} of the ranking", chosen), (f"reserve: the next {reserve}", spare)):
            counts = self.classes.loc[idx].astype(str).value_counts()
            rows[name] = {**{c: int(counts.get(c, 0)) for c in labels},
                          "value_share": float(self.values.loc[idx].sum()) / total}
        rows[f"{size} picked without analysis (median of {self.n_picks})"] = {
            **{c: "" for c in labels}, "value_share": float(picks["value_share"].median())}
        if "C" in labels:
            rows[f"{size} picked without analysis (median of {self.n_picks})"]["C"] = int(picks["c_customers"].median())
        self.table = pd.DataFrame(rows).T
        words = style.words(self.value_label)
        head = "".join(f"<th style='{CELL}'>{html.escape(h)}</th>"
                       for h in ["", *[f"{c} customers" for c in labels], f"share of {words}"])
        body = "".join(
            f"<tr><td style='{CELL};text-align:left'>{html.escape(name)}</td>"
            + "".join(f"<td style='{CELL}'>{'' if r[c] == '' else style.count(r[c])}</td>" for c in labels)
            + f"<td style='{CELL}'>{style.pct(r['value_share'])}</td></tr>"
            for name, r in self.table.iterrows())
        self.table_html.value = f"<table style='border-collapse:collapse;margin:0.3em 0'><tr>{head}</tr>{body}</table>"


def work_platform_explorer(values: pd.Series, classes: pd.Series, size: int = 50, reserve: int = 10, *,
                           value_label: str = "value", n_picks: int = 200, seed: int = 0) -> WorkPlatformExplorer:
    """Sliders for the size of the work platform 工作平台 and its reserve list (M1 case, used in M3).

    The work platform is the top ``size`` customers of the ranking by ``values``; the reserve the next
    ``reserve``.  The table shows the A/B/C mix (``classes``) and the share of value of each, beside the
    median of ``n_picks`` random picks of the same size (a rep who picks without analysis).
    """
    return WorkPlatformExplorer(values, classes, size, reserve, value_label=value_label, n_picks=n_picks, seed=seed)
