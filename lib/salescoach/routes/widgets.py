"""Interactive controls (ipywidgets) for the route-management lessons (module M6).

* :func:`frequency_explorer` - a slider per class for its visits a week: the weekly visit table and
  the workload against capacity update, with what to cut when the week does not fit.
* :func:`selling_time_explorer` - the what-if sliders of S2's ways to gain selling time (fewer B and
  C visits, less travel, shorter visits, less non-selling time, phone and e-mail instead of visits):
  hours a week now and after, and the selling time gained.

The numbers come from :mod:`.analysis`, the charts from :mod:`.plots`.  Charts are redrawn into an
``ipywidgets.Image`` (PNG), not an ``Output`` widget (headless runs can hang on Output widgets,
nbclient #312).  Each explorer is a ``VBox`` whose parts are attributes, so code and tests can drive it
like a user: ``w.sliders["fewer_c"].value = 0.5; w.table``.
"""
from __future__ import annotations

import html
import io
from collections.abc import Mapping, Sequence

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from . import analysis, plots

__all__ = ["FrequencyExplorer", "frequency_explorer", "SellingTimeExplorer", "selling_time_explorer"]


def _png(figure: Figure) -> bytes:
    buf = io.BytesIO()
    figure.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _table_html(df: pd.DataFrame, formats: Mapping[str, str]) -> str:
    head = "".join(f"<th style='text-align:right'>{html.escape(str(c))}</th>" for c in df.columns)
    rows = []
    for idx, r in df.iterrows():
        cells = "".join(f"<td style='text-align:right'>{format(r[c], formats.get(c, ''))}</td>" for c in df.columns)
        rows.append(f"<tr><td><b>{html.escape(str(idx))}</b></td>{cells}</tr>")
    return ("<table style='border-collapse:collapse'><tr><th style='text-align:left'>"
            f"{html.escape(str(df.index.name or ''))}</th>{head}</tr>{''.join(rows)}</table>")


class FrequencyExplorer(widgets.VBox):
    """Visit frequency 拜访频率 per class -> visit count 拜访数 -> workload against capacity.

    Attributes: ``sliders`` (class -> FloatSlider, visits a week), ``work`` (the current
    :class:`analysis.Workload`), ``table_html``, ``message`` (HTML), ``chart`` (Image), ``figure``.
    """

    def __init__(self, classes: pd.Series | Sequence[str], frequency: Mapping[str, float] = analysis.DEFAULT_FREQUENCY,
                 visit_minutes: Mapping[str, float] = analysis.DEFAULT_VISIT_MINUTES,
                 travel_minutes: float = analysis.TRAVEL_MINUTES, days_per_week: int = analysis.DAYS_PER_WEEK,
                 hours_per_day: float = analysis.HOURS_PER_DAY):
        self.classes = analysis._labels(classes)
        if self.classes.empty:
            raise ValueError("classes is empty: there are no customers to plan visits for")
        self._args = dict(visit_minutes=visit_minutes, travel_minutes=travel_minutes, days_per_week=days_per_week,
                          hours_per_day=hours_per_day)
        top = analysis.max_visits_per_week(days_per_week, 1)
        self.sliders = {str(c): widgets.FloatSlider(value=float(f), min=0.0, max=float(top), step=0.25,
                                                    description=f"class {c}", continuous_update=False,
                                                    readout_format=".2f")
                        for c, f in frequency.items()}
        self.table_html, self.message = widgets.HTML(), widgets.HTML()
        self.chart = widgets.Image(format="png", layout={"max_width": "100%"})
        self.figure = Figure(figsize=(8, 2.6), layout="constrained")
        self.ax = self.figure.add_subplot()
        super().__init__(children=[
            widgets.HTML("<b>Visits a week per customer</b> (0.5 = every two weeks): move a slider, watch the "
                         "visit count and the workload."),
            widgets.HBox(list(self.sliders.values())), self.table_html, self.message, self.chart])
        for s in self.sliders.values():
            s.observe(self._refresh, names="value")
        self._refresh()

    @property
    def frequency(self) -> dict[str, float]:
        return {c: s.value for c, s in self.sliders.items()}

    def _refresh(self, _change: object = None) -> None:
        self.work = analysis.workload(self.classes, self.frequency, **self._args)
        shown = self.work.table[["customers", "frequency", "weekly_visits", "hours"]]
        self.table_html.value = _table_html(shown, {"frequency": ".2f", "weekly_visits": ".1f", "hours": ".1f"})
        colour = "#1b7f5f" if self.work.fits else "#c44e52"
        self.message.value = f"<p style='color:{colour}'>{html.escape(self.work.message)}</p>"
        self.ax.clear()
        plots.workload_chart(self.work, ax=self.ax)
        self.chart.value = _png(self.figure)


def frequency_explorer(classes: pd.Series | Sequence[str], **kwargs) -> FrequencyExplorer:
    """Sliders for the visit frequency of each class; see :class:`FrequencyExplorer`."""
    return FrequencyExplorer(classes, **kwargs)


_LEVERS = (("fewer_b", "fewer B visits"), ("fewer_c", "fewer C visits"), ("phone_share", "B/C by phone, e-mail"),
           ("shorter_travel", "less travel, waiting"), ("shorter_visits", "shorter visits"),
           ("less_admin", "less non-selling time"))


class SellingTimeExplorer(widgets.VBox):
    """What-if sliders for the ways to gain selling time (S2); see :func:`analysis.selling_time`.

    Attributes: ``sliders`` (lever -> FloatSlider, a share 0-1), ``table`` (hours now, after, gained),
    ``gained`` (hours a week), ``table_html``, ``chart`` (Image), ``figure``.
    """

    def __init__(self, classes: pd.Series | Sequence[str], frequency: Mapping[str, float] = analysis.DEFAULT_FREQUENCY,
                 visit_minutes: Mapping[str, float] = analysis.DEFAULT_VISIT_MINUTES,
                 travel_minutes: float = analysis.TRAVEL_MINUTES, admin_hours: float = analysis.ADMIN_HOURS,
                 phone_minutes: float = analysis.PHONE_MINUTES, **start: float):
        unknown = set(start) - {k for k, _ in _LEVERS}
        if unknown:
            raise ValueError(f"unknown lever(s) {sorted(unknown)}; the levers are {[k for k, _ in _LEVERS]}")
        self.classes = analysis._labels(classes)
        self._args = dict(frequency=frequency, visit_minutes=visit_minutes, travel_minutes=travel_minutes,
                          admin_hours=admin_hours, phone_minutes=phone_minutes)
        analysis.selling_time(self.classes, **self._args)  # bad input is reported before any widget exists
        self.sliders = {k: widgets.FloatSlider(value=float(start.get(k, 0.0)), min=0.0, max=1.0, step=0.05,
                                               description=label, readout_format=".0%", continuous_update=False,
                                               style={"description_width": "11em"}, layout={"width": "26em"})
                        for k, label in _LEVERS}
        self.table_html = widgets.HTML()
        self.chart = widgets.Image(format="png", layout={"max_width": "100%"})
        self.figure = Figure(figsize=(7.5, 3.2), layout="constrained")
        self.ax = self.figure.add_subplot()
        super().__init__(children=[
            widgets.HTML("<b>Ways to gain selling time</b>: move the sliders (shares of today's visits, travel "
                         "and time) and read the hours a week freed for selling."),
            widgets.VBox(list(self.sliders.values())), self.table_html, self.chart])
        for s in self.sliders.values():
            s.observe(self._refresh, names="value")
        self._refresh()

    @property
    def levers(self) -> dict[str, float]:
        return {k: s.value for k, s in self.sliders.items()}

    def _refresh(self, _change: object = None) -> None:
        self.table = analysis.selling_time(self.classes, **self._args, **self.levers)
        self.gained = float(self.table.loc["total", "gained"])
        self.table_html.value = _table_html(self.table, {c: ".1f" for c in self.table.columns}) + (
            f"<p><b>Selling time gained: {self.gained:.1f} h a week</b></p>")
        self.ax.clear()
        plots.selling_time_chart(self.table, ax=self.ax)
        self.chart.value = _png(self.figure)


def selling_time_explorer(classes: pd.Series | Sequence[str], **kwargs) -> SellingTimeExplorer:
    """The what-if sliders; see :class:`SellingTimeExplorer`."""
    return SellingTimeExplorer(classes, **kwargs)
