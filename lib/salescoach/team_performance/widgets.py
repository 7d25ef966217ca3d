"""Interactive controls (ipywidgets) for the team-performance lessons and the team dashboard (module M8).

* :class:`ScorecardExplorer` - one slider per scorecard perspective; the ranking, the quartiles and the
  quartile chart follow the weights (how much does Joe's place depend on what you count?).
* :class:`RetentionExplorer` - the +5-points what-if with every assumption on a slider, the chart and the
  assumptions in words.
* :class:`ContestDesigner` - a sales contest as a form, read against S2's effective / ineffective lists.

The team dashboard's parts are in :mod:`.dashboard`.

Each widget is a ``VBox`` whose parts are attributes, so code and tests can drive it like a user would.
Charts are redrawn into an ``Image`` (PNG), not an ``Output`` widget (headless runs, nbclient #312).
"""
from __future__ import annotations

import html
import io
from collections.abc import Mapping, Sequence

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from . import analysis, management, plots
from .retention import RETENTION_UPLIFT, RetentionModel, expected_lifetime, retention_whatif

__all__ = ["ScorecardExplorer", "RetentionExplorer", "ContestDesigner", "message_html"]
_STYLE = {"description_width": "initial"}


def _png(figure: Figure) -> bytes:
    buf = io.BytesIO()
    figure.savefig(buf, format="png", bbox_inches="tight", dpi=90)
    return buf.getvalue()


def _figure(figsize: tuple[float, float]) -> Figure:
    fig = Figure(figsize=figsize, layout="constrained")  # not pyplot: no figure piles up in the notebook
    return fig


def _chart() -> widgets.Image:
    """Where a chart is shown: a PNG at its own size (not stretched by the box around it)."""
    return widgets.Image(format="png", layout={"max_width": "100%", "align_self": "flex-start",
                                               "object_fit": "contain"})


def message_html(title: str, text: str, kind: str = "error") -> str:
    """A boxed message for a page (dashboard, explorer): red for errors, green for done, grey for info."""
    colour = {"error": "#c62828", "ok": "#2e7d32", "info": "#555"}[kind]
    return (f"<div class='sc-message sc-{kind}' style='border-left:4px solid {colour};padding:0.5em 0.9em;"
            f"margin:0.4em 0;font-family:sans-serif'><b style='color:{colour}'>{html.escape(title)}</b>"
            f"<div style='margin-top:0.3em;white-space:pre-wrap'>{html.escape(text)}</div></div>")


# --------------------------------------------------------------------------- scorecard explorer
class ScorecardExplorer(widgets.VBox):
    """The balanced scorecard with a weight slider per perspective.

    Attributes: ``sliders`` (perspective -> IntSlider, weights 0-5), ``review`` (the current
    :func:`analysis.progress_review`), ``table`` (HTML widget), ``chart`` (Image).
    """

    def __init__(self, team: pd.DataFrame, highlight: Sequence[str] = ("R01", "R02"),
                 weights: Mapping[str, float] | None = None):
        self.team = team
        self.kpis = analysis.kpis(team)
        self.highlight = [h for h in highlight if h in self.kpis.index]
        start = dict(weights or {p: 1 for p in analysis.SCORECARD})
        self.sliders = {p: widgets.IntSlider(value=int(start.get(p, 1)), min=0, max=5, description=f"{p} weight",
                                             continuous_update=False, style=_STYLE)
                        for p in analysis.SCORECARD}
        self.table = widgets.HTML()
        self.chart = _chart()
        self.note = widgets.HTML()
        for s in self.sliders.values():
            s.observe(lambda _change: self.update(), names="value")
        super().__init__([widgets.HBox(list(self.sliders.values())[:3]), widgets.HBox(list(self.sliders.values())[3:]),
                          self.note, widgets.HBox([self.chart, self.table])])
        self.update()

    @property
    def weights(self) -> dict[str, float]:
        return {p: float(s.value) for p, s in self.sliders.items()}

    def update(self) -> None:
        if sum(self.weights.values()) == 0:
            self.note.value = message_html("No weight left", "Give at least one perspective a weight above 0.",
                                           "info")
            return
        self.note.value = ""
        card = analysis.scorecard(self.kpis, weights=self.weights)
        review = analysis.progress_review(self.team, weights=self.weights)
        self.review = review
        fig = _figure((7.5, 0.4 * len(review) + 1.6))
        plots.quartile_chart(review, ax=fig.subplots(), highlight=self.highlight)
        self.chart.value = _png(fig)
        rows = "".join(f"<tr><td>{html.escape(str(r['rep']))}</td><td>{int(r['sales_rank'])}</td>"
                       f"<td>{int(r['balanced_rank'])}</td><td>{html.escape(str(r['quartile']))}</td></tr>"
                       for _, r in review.iterrows())
        self.card = card
        self.table.value = ("<table style='border-collapse:collapse'><tr><th>rep</th><th>rank on sales</th>"
                            "<th>balanced rank</th><th>quartile</th></tr>" + rows + "</table>")


# --------------------------------------------------------------------------- retention what-if
class RetentionExplorer(widgets.VBox):
    """The retention what-if (:func:`retention_whatif`) with its assumptions on sliders.

    Attributes: ``retention``, ``uplift``, ``spend_growth`` (FloatSlider), ``years`` (IntSlider),
    ``model`` (the current :class:`RetentionModel`), ``lift`` (float), ``summary`` (HTML with
    the lifetime, the lift and the assumptions), ``chart`` (Image).
    """

    def __init__(self, retention: float = 0.85, uplift: float = RETENTION_UPLIFT, years: int = 10,
                 spend_growth: float = 0.0):
        RetentionModel(retention=retention, uplift=uplift, years=years, spend_growth=spend_growth)
        pct = {"readout_format": ".0%", "continuous_update": False, "style": _STYLE}
        self.retention = widgets.FloatSlider(value=retention, min=0.5, max=0.95, step=0.01,
                                             description="retention now", **pct)
        self.uplift = widgets.FloatSlider(value=uplift, min=0.0, max=0.10, step=0.01, description="uplift",
                                          **pct)
        self.spend_growth = widgets.FloatSlider(value=spend_growth, min=0.0, max=0.15, step=0.01,
                                                description="more spend per year stayed", **pct)
        self.years = widgets.IntSlider(value=years, min=2, max=40, description="years", continuous_update=False,
                                       style=_STYLE)
        self.summary = widgets.HTML()
        self.chart = _chart()
        for w in (self.retention, self.uplift, self.spend_growth, self.years):
            w.observe(lambda _change: self.update(), names="value")
        super().__init__([widgets.HBox([self.retention, self.uplift]), widgets.HBox([self.spend_growth, self.years]),
                          widgets.HBox([self.chart, self.summary])])
        self.update()

    def update(self) -> None:
        r = self.retention.value
        uplift = min(self.uplift.value, round(1 - r, 10))
        self.model = RetentionModel(retention=r, uplift=uplift, years=self.years.value,
                                             spend_growth=self.spend_growth.value)
        whatif = retention_whatif(self.model)
        self.lift = float(whatif["lift"].iloc[-1])
        fig = _figure((6.5, 3.8))
        plots.retention_chart(whatif, ax=fig.subplots(), retention=r, uplift=uplift)
        self.chart.value = _png(fig)
        life_now, life_better = expected_lifetime(1 - r), expected_lifetime(1 - r - uplift) \
            if r + uplift < 1 else float("inf")
        items = "".join(f"<li>{html.escape(a)}</li>" for a in self.model.assumptions())
        self.summary.value = (
            f"<div style='max-width:26em'><p><b>Expected customer lifetime</b>: {life_now:.1f} years now, "
            f"{life_better:.1f} years with +{uplift:.0%} retention.</p>"
            f"<p><b>Business in year {self.model.years}</b>: <span class='sc-lift'>{self.lift:+.0%}</span>.</p>"
            f"<p>The model's assumptions (kit model):</p><ul>{items}</ul></div>")


# --------------------------------------------------------------------------- contest designer
class ContestDesigner(widgets.VBox):
    """A sales contest as a form; every change re-reads it with :func:`management.check_contest`.

    Attributes: one widget per field of :class:`management.ContestDesign` (``theme``, ``rule``,
    ``target`` ...), ``design`` (the current design), ``report`` (the checker's DataFrame), ``verdict``
    and ``result`` (HTML).
    """

    def __init__(self, team: pd.DataFrame | None = None, design: management.ContestDesign | None = None):
        self.team = team
        d = design or management.ContestDesign()
        t = {"style": _STYLE, "layout": {"width": "30em"}}
        self.theme = widgets.Text(value=d.theme, description="theme", **t)
        self.owner_team = widgets.Text(value=", ".join(d.owner_team), description="run by (names)", **t)
        self.rule = widgets.Dropdown(options=[(v, k) for k, v in management.CONTEST_RULES.items()], value=d.rule,
                                     description="winner", **t)
        self.target = widgets.FloatText(value=d.target if d.target is not None else 0.0,
                                        description="target (0 = none)", **t)
        self.strategy_link = widgets.Text(value=d.strategy_link, description="strategic goal", **t)
        self.training_link = widgets.Text(value=d.training_link, description="training it builds on", **t)
        self.prizes = widgets.Text(value=", ".join(d.prizes), description="prizes", **t)
        self.results_within_days = widgets.IntText(value=d.results_within_days or 0,
                                                   description="results within (days, 0 = not set)", **t)
        self.checks = {name: widgets.Checkbox(value=getattr(d, name), description=label, indent=False)
                       for name, label in (("market_analysis", "market analysed first"),
                                           ("support_staff_included", "support staff included"),
                                           ("rules_published", "rules published"),
                                           ("prizes_new", "prizes new this time"),
                                           ("evaluation_planned", "evaluation planned"),
                                           ("same_as_last_year", "same as last year"))}
        self.verdict = widgets.HTML()
        self.result = widgets.HTML()
        fields = [self.theme, self.owner_team, self.rule, self.target, self.strategy_link, self.training_link,
                  self.prizes, self.results_within_days]
        for w in [*fields, *self.checks.values()]:
            w.observe(lambda _change: self.update(), names="value")
        super().__init__([widgets.HBox([widgets.VBox(fields), widgets.VBox(list(self.checks.values()))]),
                          self.verdict, self.result])
        self.update()

    def _design(self) -> management.ContestDesign:
        def names(text: str) -> list[str]:
            return [x.strip() for x in text.split(",") if x.strip()]

        return management.ContestDesign(
            theme=self.theme.value, owner_team=names(self.owner_team.value), rule=self.rule.value,
            target=self.target.value or None, strategy_link=self.strategy_link.value,
            training_link=self.training_link.value, prizes=names(self.prizes.value),
            results_within_days=self.results_within_days.value or None,
            **{k: bool(w.value) for k, w in self.checks.items()})

    def update(self) -> None:
        self.design = self._design()
        self.report = management.check_contest(self.design, self.team)
        self.verdict.value = f"<p><b>{html.escape(management.contest_verdict(self.report))}</b></p>"
        rows = "".join(
            f"<tr><td>{'&#10004;' if r['ok'] else '&#10008;'}</td><td>{html.escape(r['list'])}</td>"
            f"<td>{html.escape(r['trait'])} {html.escape(r['zh'])}</td><td>{html.escape(r['why'])}</td></tr>"
            for _, r in self.report.iterrows())
        self.result.value = ("<table style='border-collapse:collapse'><tr><th></th><th>list</th><th>point</th>"
                             "<th>your design</th></tr>" + rows + "</table>")
