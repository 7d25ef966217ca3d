"""Interactive controls (ipywidgets) for the customer-grading lessons (module M3).

* :func:`pareto_explorer` - two sliders for the A and B cut-offs of ABC
  analysis, the Pareto chart redrawn on every change and a summary of how
  many customers and what share of value fall in A, B and C.
* :func:`work_platform_explorer` - sliders for the size of the work
  platform and its reserve list, with the A/B/C mix and the share of value
  they cover beside picks made without analysis.
* :func:`tier_explorer` - the profitability pyramid (platinum, gold,
  iron, lead) with its two kit assumptions on sliders.
* :func:`data_card_viewer` - pick a customer, read its core customer
  data card.
* :func:`value_score_explorer` - one slider per indicator weight of the
  composite customer value score; shows the four value grades (key,
  important, general, maintenance) with their share of customers and of
  profit, and the count pyramid next to the profit pyramid.

The numbers come from :mod:`salescoach.customer_grading.analysis`; the charts from
:mod:`salescoach.customer_grading.plots`.  The two summary tables are pure functions
(:func:`grade_summary`, :func:`abc_summary`) so they can be used and tested
without any widget.

Each explorer is a ``VBox`` whose parts are attributes, so code (and tests)
can drive it like a user would::

    w = pareto_explorer(territory["revenue_12m"])
    w.a_slider.value = 0.7
    w.summary            # DataFrame, already updated
"""
from __future__ import annotations

import html
import io
from collections.abc import Mapping, Sequence

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from .. import style
from . import analysis, plots

__all__ = [
    "grade_summary",
    "abc_summary",
    "ParetoExplorer",
    "pareto_explorer",
    "ValueScoreExplorer",
    "value_score_explorer",
    "WorkPlatformExplorer",
    "work_platform_explorer",
    "TierExplorer",
    "tier_explorer",
    "DataCardViewer",
    "data_card_viewer",
]



# --------------------------------------------------------------------------- pure summaries
grade_summary = analysis.grade_summary
abc_summary = analysis.abc_summary


_CELL = "padding:0.2em 0.7em;text-align:right;border-bottom:1px solid #ddd"


def _summary_html(summary: pd.DataFrame, value_label: str, caption: str = "", class_word: str = "class") -> str:
    """The summary table as HTML with spaced, worded headers (JupyterLab gives widget tables no spacing)."""
    value_label = style.words(value_label)
    head = "".join(f"<th style='{_CELL};text-align:{align}'>{html.escape(text)}</th>" for text, align in (
        (class_word, "left"), ("customers", "right"), ("share of customers", "right"),
        (f"share of {value_label}", "right")))
    rows = []
    for label, r in summary.iterrows():
        rows.append(
            f"<tr><td style='{_CELL};text-align:left'><b>{html.escape(style.display_label(label))}</b></td>"
            f"<td style='{_CELL}'>{style.count(r['customers'])}</td>"
            f"<td style='{_CELL}'>{style.pct(r['customer_share'])}</td>"
            f"<td style='{_CELL}'>{style.pct(r['value_share'])}</td></tr>"
        )
    cap = (f"<caption style='text-align:left;padding-bottom:0.3em'>{html.escape(caption)}</caption>"
           if caption else "")
    return ("<table style='border-collapse:collapse;margin:0.3em 0'>" + cap + f"<tr>{head}</tr>"
            + "".join(rows) + "</table>")


def _one_line(summary: pd.DataFrame, value_label: str) -> str:
    """The summary in one line under the sliders, so a slider move shows at once even when the chart is
    further down the page: 'A 18 customers (6%) hold 81% of revenue · B ...'."""
    value_label = style.words(value_label)
    parts = [f"<b>{html.escape(str(label))}</b> {style.count(r['customers'])} customers "
             f"({style.pct(r['customer_share'])}) hold {style.pct(r['value_share'])}"
             for label, r in summary.iterrows()]
    return " · ".join(parts) + f" <span style='color:#666'>of {html.escape(value_label)}</span>"


def _chart_widget() -> widgets.Image:
    """Where an explorer shows its chart: an image, redrawn as PNG on every change.

    An image rather than an ``Output`` widget: a notebook run headless (papermill, nbclient, the test suite)
    answers an ``Output`` widget on the kernel's shell channel while it waits there for the cell's reply,
    and may then miss that reply until its timeout (nbclient issue #312).
    """
    return widgets.Image(format="png", layout={"max_width": "100%"})


def _png(figure: Figure) -> bytes:
    buf = io.BytesIO()
    figure.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


# --------------------------------------------------------------------------- Pareto explorer
class ParetoExplorer(widgets.VBox):
    """ABC analysis with two sliders; see :func:`pareto_explorer`.

    Attributes: ``a_slider``, ``b_slider`` (FloatSlider), ``summary``
    (DataFrame from :func:`abc_summary`), ``classes`` (Series of A/B/C),
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
        summary = abc_summary(values, a_cut, b_cut)  # raises ValueError on bad values or cut-offs
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
        self.chart = _chart_widget()
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
        self.summary = grade_summary(self.classes, pd.to_numeric(self.values).astype(float))
        words = style.words(self.value_label)
        self.summary_html.value = _summary_html(self.summary, self.value_label,
                                                f"A up to {a:.0%} of {words}, B up to {b:.0%}")
        self.line.value = _one_line(self.summary, self.value_label)
        if note:
            self.note.value = f"<span style='color:#c44e52'>{html.escape(note)}</span>"
        else:
            self.note.value = "<i>B is always kept above A: move A past B and B moves up with it.</i>"
        self.ax.clear()
        plots.pareto_chart(self.values, a, b, ax=self.ax, value_label=self.value_label)
        self.chart.value = _png(self.figure)


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


# --------------------------------------------------------------------------- value score explorer
class ValueScoreExplorer(widgets.VBox):
    """Weights of the composite value score on sliders; see :func:`value_score_explorer`.

    Attributes: ``sliders`` (dict indicator -> FloatSlider), ``weights``
    (current dict), ``scores`` (Series 0-100), ``grades`` (Series of
    key/important/general/maintenance), ``summary`` (DataFrame from
    :func:`grade_summary` of profit per grade), ``summary_html``, ``note``,
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
        self.summary = grade_summary(grades, profit)
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
        self.chart = _chart_widget()
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
        self.summary = grade_summary(self.grades, self.profit)
        total = sum(weights.values())
        self.note.value = "Weights as shares: " + ", ".join(
            f"{html.escape(style.words(c))} {w / total:.0%}" for c, w in weights.items()
        )
        self.summary_html.value = _summary_html(self.summary, self.profit_label)
        plots.count_profit_pyramids(self.grades, self.profit, fig=self.figure, profit_label=self.profit_label)
        self.chart.value = _png(self.figure)


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
        head = "".join(f"<th style='{_CELL}'>{html.escape(h)}</th>"
                       for h in ["", *[f"{c} customers" for c in labels], f"share of {words}"])
        body = "".join(
            f"<tr><td style='{_CELL};text-align:left'>{html.escape(name)}</td>"
            + "".join(f"<td style='{_CELL}'>{'' if r[c] == '' else style.count(r[c])}</td>" for c in labels)
            + f"<td style='{_CELL}'>{style.pct(r['value_share'])}</td></tr>"
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
        self.chart = _chart_widget()
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
        self.summary = grade_summary(self.tiers, self.net_profit)
        self.summary_html.value = _summary_html(self.summary, "net_profit", class_word="tier")
        plots.count_profit_pyramids(self.tiers, self.net_profit, fig=self.figure, profit_label="net_profit",
                                    level_word="tier")
        self.chart.value = _png(self.figure)


def tier_explorer(net_profit: pd.Series, would_recommend: pd.Series, promoter: int = 9, top_cut: float = 0.80,
                  next_cut: float = 0.95) -> TierExplorer:
    """Sliders for the two kit assumptions of :func:`analysis.profitability_tiers`.

    ``promoter``: the score on the 0-10 "would recommend us" scale from which a customer counts as loyal;
    ``top_cut``: the share of net profit that the top earners hold.  Shows the count pyramid beside the
    net-profit pyramid and a table per tier.  Pass the customers who have bought.
    """
    return TierExplorer(net_profit, would_recommend, promoter, top_cut, next_cut)


# --------------------------------------------------------------------------- data card viewer
class DataCardViewer(widgets.VBox):
    """Pick a customer, see its core customer data card; see :func:`data_card_viewer`.

    Attributes: ``picker`` (Dropdown of customer ids), ``card`` (DataFrame of the shown card),
    ``card_html`` (HTML widget).
    """

    def __init__(self, customers: pd.DataFrame, as_of: str | pd.Timestamp, owner: str,
                 extra: pd.DataFrame | None = None, ids: list[str] | None = None):
        if not isinstance(customers, pd.DataFrame) or customers.empty:
            raise ValueError("customers must be a non-empty table indexed by customer id "
                             "(e.g. territory.set_index('customer_id'))")
        if extra is not None and not extra.index.isin(customers.index).all():
            raise ValueError("extra must be indexed by customer ids of customers")
        ids = list(ids) if ids is not None else list(customers.index)
        unknown = [i for i in ids if i not in customers.index]
        if not ids or unknown:
            raise ValueError(f"ids must be customer ids of customers; unknown: {unknown[:5]}")
        self.customers, self.as_of, self.owner, self.extra = customers, as_of, owner, extra
        label = customers["name"] if "name" in customers.columns else pd.Series(ids, index=ids)
        self.picker = widgets.Dropdown(options=[(f"{i} {label.get(i, '')}".strip(), i) for i in ids],
                                       description="customer", layout={"width": "min(100%, 30em)"})
        self.card_html = widgets.HTML()
        self.card = pd.DataFrame()
        super().__init__(children=[
            widgets.HTML("<b>Core customer data card 核心客户资料卡</b>: pick a customer."),
            self.picker, self.card_html,
        ])
        self.picker.observe(self._refresh, names="value")
        self._refresh()

    def _refresh(self, _change: dict | None = None) -> None:
        cid = self.picker.value
        row = self.customers.loc[cid]
        extra = self.extra.loc[cid].to_dict() if self.extra is not None and cid in self.extra.index else {}
        self.card = analysis.data_card(row, self.as_of, self.owner, extra=extra)
        rows, last = [], None
        for section, item, value in self.card.itertuples(index=False):
            head = f"<b>{html.escape(section)}</b>" if section != last else ""
            last = section
            rows.append(f"<tr><td style='{_CELL};text-align:left'>{head}</td>"
                        f"<td style='{_CELL};text-align:left'>{html.escape(item)}</td>"
                        f"<td style='{_CELL}'>{html.escape(value)}</td></tr>")
        self.card_html.value = "<table style='border-collapse:collapse;margin:0.3em 0'>" + "".join(rows) + "</table>"


def data_card_viewer(customers: pd.DataFrame, as_of: str | pd.Timestamp, owner: str,
                     extra: pd.DataFrame | None = None, ids: list[str] | None = None) -> DataCardViewer:
    """A dropdown of customers (``ids``, default all) and the data card of the one picked.

    ``customers`` is the territory indexed by customer id; ``extra`` (same index) adds computed fields
    such as ``abc_class``, ``tier``, ``value_type``, ``net_profit``, ``expected_profit``, ``core`` (see
    :func:`analysis.data_card` for where each goes).
    """
    return DataCardViewer(customers, as_of, owner, extra, ids)
