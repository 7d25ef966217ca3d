"""The pyramid explorers of the customer-grading lessons (module M3): count pyramid beside profit pyramid.

* :func:`value_score_explorer` - one slider per indicator weight of the
  composite customer value score; shows the four value grades (key,
  important, general, maintenance) with their share of customers and of
  profit, and the count pyramid next to the profit pyramid (lesson 3.3).
* :func:`tier_explorer` - the profitability pyramid (platinum, gold,
  iron, lead) with its two kit assumptions on sliders (lesson 3.4).

The numbers come from :mod:`salescoach.customer_grading.analysis`, the charts from
:mod:`salescoach.customer_grading.plots`.  Each explorer is a ``VBox`` whose parts are
attributes, so code (and tests) can drive it like a user would.
"""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from .. import style
from . import analysis, plots
from .widget_parts import chart_widget, png, summary_table_html

__all__ = ["ValueScoreExplorer", "value_score_explorer", "TierExplorer", "tier_explorer"]


# --------------------------------------------------------------------------- value score explorer
class ValueScoreExplorer(widgets.VBox):
    """Weights of the composite value score on sliders; see :func:`value_score_explorer`.

    Attributes: ``sliders`` (dict indicator -> FloatSlider), ``weights``
    (current dict), ``scores`` (Series 0-100), ``grades`` (Series of
    key/important/general/maintenance), ``summary`` (DataFrame from
    :func:`analysis.grade_summary` of profit per grade), ``summary_html``, ``note``,
    ``chart`` (Image widget showing ``figure``), ``figure``.
    """

    def __init__(
        self,
        indicators: pd.DataFrame,
        weights: Mapping[str, float],
        profit: pd.Series,
        *,
        quotas: Sequence[float] = (0.05, 0.15, 0.30, 0.50),
        method: str = "rank",
        profit_label: str = "gross profit",
        max_weight: float = 1.0,
    ):
        if not isinstance(indicators, pd.DataFrame):
            raise ValueError("indicators must be a DataFrame with one column per indicator")
        if not isinstance(profit, pd.Series) or not profit.index.equals(indicators.index):
            raise ValueError("profit must be a Series with the same index as indicators")
        # validate everything once, with grading's own messages
        scores = analysis.value_score(indicators, weights, method=method)
        grades = analysis.value_grades(scores, quotas)
        self.summary = analysis.grade_summary(grades, profit)
        self.indicators, self.profit, self.quotas, self.method = indicators, profit, tuple(quotas), method
        self.profit_label = profit_label
        top = max(max_weight, max(weights.values()))
        self.sliders = {
            col: widgets.FloatSlider(value=float(w), min=0.0, max=float(top), step=0.05,
                                     description=style.words(col), description_allow_html=False,
                                     readout_format=".2f", continuous_update=False,
                                     style={"description_width": "16em"}, layout={"width": "min(100%, 36em)"})
            for col, w in weights.items()
        }
        self.scores, self.grades = scores, grades
        self.note = widgets.HTML()
        self.summary_html = widgets.HTML()
        self.chart = chart_widget()
        self.figure = Figure(figsize=(12, 3.8), layout="constrained")
        super().__init__(
            children=[
                widgets.HTML("<b>Composite customer value</b>: weight the indicators; grades are quotas of "
                             f"{', '.join(f'{q:.0%}' for q in self.quotas)} (key / important / general / maintenance)."),
                widgets.VBox(list(self.sliders.values())),
                self.note,
                self.summary_html,
                self.chart,
            ]
        )
        for s in self.sliders.values():
            s.observe(self._on_change, names="value")
        self._refresh()

    @property
    def weights(self) -> dict[str, float]:
        return {col: float(s.value) for col, s in self.sliders.items()}

    def _on_change(self, change: dict) -> None:
        self._refresh()

    def _refresh(self) -> None:
        weights = self.weights
        if sum(weights.values()) <= 0:
            self.note.value = ("<span style='color:#c44e52'>All weights are zero: give at least one indicator "
                               "a weight above zero. The grades below are from the last valid weights.</span>")
            return
        self.scores = analysis.value_score(self.indicators, weights, method=self.method)
        self.grades = analysis.value_grades(self.scores, self.quotas)
        self.summary = analysis.grade_summary(self.grades, self.profit)
        total = sum(weights.values())
        self.note.value = "Weights as shares: " + ", ".join(
            f"{html.escape(style.words(c))} {w / total:.0%}" for c, w in weights.items()
        )
        self.summary_html.value = summary_table_html(self.summary, self.profit_label)
        plots.count_profit_pyramids(self.grades, self.profit, fig=self.figure, profit_label=self.profit_label)
        self.chart.value = png(self.figure)


def value_score_explorer(
    indicators: pd.DataFrame,
    weights: Mapping[str, float],
    profit: pd.Series,
    *,
    quotas: Sequence[float] = (0.05, 0.15, 0.30, 0.50),
    method: str = "rank",
    profit_label: str = "gross profit",
) -> ValueScoreExplorer:
    """Sliders for the weights of :func:`analysis.value_score`, with the resulting value grades.

    ``indicators`` has one numeric column per indicator named in
    ``weights`` (no NaN); ``profit`` is the money per customer used for the
    profit pyramid.  Grades come from :func:`analysis.value_grades` with
    ``quotas``.  If every weight is set to zero the widget keeps the last
    grades and says why.  Returns a :class:`ValueScoreExplorer`.
    """
    return ValueScoreExplorer(indicators, weights, profit, quotas=quotas, method=method, profit_label=profit_label)


# --------------------------------------------------------------------------- profitability tiers explorer
class TierExplorer(widgets.VBox):
    """The profitability pyramid with its two kit assumptions on sliders; see :func:`tier_explorer`.

    Attributes: ``promoter_slider`` (IntSlider, the loyalty threshold on the 0-10 scale), ``top_slider``
    (FloatSlider, the share of net profit held by the top earners), ``tiers`` (Series), ``summary``
    (DataFrame of customers and net profit per tier), ``summary_html``, ``chart`` (Image), ``figure``.
    """

    def __init__(self, net_profit: pd.Series, would_recommend: pd.Series, promoter: int = 9,
                 top_cut: float = 0.80, next_cut: float = 0.95):
        if not isinstance(net_profit, pd.Series) or not isinstance(would_recommend, pd.Series) \
                or not net_profit.index.equals(would_recommend.index):
            raise ValueError("net_profit and would_recommend must be Series with the same index (one per customer)")
        self.net_profit, self.would_recommend, self.next_cut = net_profit, would_recommend, next_cut
        self.tiers = analysis.profitability_tiers(net_profit, analysis.loyal(would_recommend, promoter),
                                                  top_cut, next_cut)  # validates once, with the library's messages
        slider = {"style": {"description_width": "16em"}, "layout": {"width": "min(100%, 36em)"},
                  "continuous_update": False}
        self.promoter_slider = widgets.IntSlider(value=promoter, min=0, max=10, description="loyal from (0-10)",
                                                 **slider)
        self.top_slider = widgets.FloatSlider(value=top_cut, min=0.3, max=round(next_cut - 0.01, 2), step=0.01,
                                              readout_format=".0%", description="top earners hold", **slider)
        self.summary_html = widgets.HTML(layout={"margin": "0 0 0 1em"})
        self.chart = chart_widget()
        self.figure = Figure(figsize=(11, 3.4), layout="constrained")
        self.summary = pd.DataFrame()
        super().__init__(children=[
            widgets.HTML("<b>Profitability pyramid 客户金字塔 (platinum, gold, iron, lead)</b>: move the two kit "
                         "assumptions and watch the tiers change."),
            self.promoter_slider, self.top_slider,
            widgets.HBox([self.chart, self.summary_html], layout={"flex_flow": "row wrap",
                                                                   "align_items": "flex-start"}),
        ])
        self.promoter_slider.observe(self._refresh, names="value")
        self.top_slider.observe(self._refresh, names="value")
        self._refresh()

    def _refresh(self, _change: dict | None = None) -> None:
        is_loyal = analysis.loyal(self.would_recommend, self.promoter_slider.value)
        self.tiers = analysis.profitability_tiers(self.net_profit, is_loyal, self.top_slider.value, self.next_cut)
        self.summary = analysis.grade_summary(self.tiers, self.net_profit)
        self.summary_html.value = summary_table_html(self.summary, "net_profit", class_word="tier")
        plots.count_profit_pyramids(self.tiers, self.net_profit, fig=self.figure, profit_label="net_profit",
                                    level_word="tier")
        self.chart.value = png(self.figure)


def tier_explorer(net_profit: pd.Series, would_recommend: pd.Series, promoter: int = 9, top_cut: float = 0.80,
                  next_cut: float = 0.95) -> TierExplorer:
    """Sliders for the two kit assumptions of :func:`analysis.profitability_tiers`.

    ``promoter``: the score on the 0-10 "would recommend us" scale from which a customer counts as loyal;
    ``top_cut``: the share of net profit that the top earners hold.  Shows the count pyramid beside the
    net-profit pyramid and a table per tier.  Pass the customers who have bought.
    """
    return TierExplorer(net_profit, would_recommend, promoter, top_cut, next_cut)
