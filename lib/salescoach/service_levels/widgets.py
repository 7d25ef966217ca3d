"""Interactive controls (ipywidgets) for the service-level lessons (module M2).

* :func:`complaint_walkthrough`: a branching complaint conversation from a YAML file; each button is what
  the rep does next, and the customer's place on the service ladder moves with it; after every choice
  the student reads why it moved the customer up or down.
* :func:`plan_explorer`: a level per customer class and a budget; the plan's cost, the value it keeps
  and whether it fits, against every other plan.

Each is a ``VBox`` whose parts are attributes, so code (and tests) drive it as a user would.  Charts are
redrawn into an ``Image`` widget (PNG), not an ``Output`` widget (nbclient #312).
"""
from __future__ import annotations

import html
import io
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from .. import style
from ..paths import project_root
from . import analysis, plots, walkthrough

__all__ = ["ComplaintWalkthrough", "complaint_walkthrough", "PlanExplorer", "plan_explorer"]

_WIDE = {"description_width": "initial"}
_ARROWS = {-2: "&#8595;&#8595; two levels down", -1: "&#8595; one level down", 0: "&#8594; no change",
           1: "&#8593; one level up", 2: "&#8593;&#8593; two levels up"}


def _png(figure: Figure) -> bytes:
    buf = io.BytesIO()
    figure.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _text(t: dict[str, str], lang: str) -> str:
    en, zh = html.escape(t.get("en", "")), html.escape(t.get("zh", ""))
    if lang == "zh" and zh:
        return zh
    if lang == "both" and zh:
        return f"{en}<br><span style='color:#555'>{zh}</span>"
    return en


def _level(position: str) -> str:
    zh = walkthrough.POSITION_CHINESE.get(position, "")
    name = "lost (ready to leave)" if position == "lost" else position
    return f"<b>{html.escape(name)}</b> {html.escape(zh)}"


class ComplaintWalkthrough(widgets.VBox):
    """A branching complaint conversation; see :func:`complaint_walkthrough`.

    Attributes: ``scenario`` (the :class:`walkthrough.Walkthrough`), ``buttons`` (one per choice of the
    current step), ``history`` (the steps taken, as :func:`walkthrough.walk` returns them), ``position``
    (the customer's place on the ladder), ``story``, ``feedback`` (HTML), ``chart`` (Image), ``restart_button``.
    """

    def __init__(self, scenario: walkthrough.Walkthrough, lang: str = "both"):
        if lang not in ("en", "zh", "both"):
            raise ValueError(f"lang must be 'en', 'zh' or 'both', got {lang!r}")
        self.scenario, self.lang = scenario, lang
        self.header = widgets.HTML(f"<h4>{_text(scenario.title, lang)}</h4><p>{_text(scenario.customer, lang)}</p>")
        self.story = widgets.HTML()
        self.feedback = widgets.HTML()
        self.choices_box = widgets.VBox()
        self.restart_button = widgets.Button(description="Start again", icon="refresh")
        self.restart_button.on_click(lambda _b: self.restart())
        self.chart = widgets.Image(format="png", layout={"max_width": "100%"})
        self.figure = Figure(figsize=(8, 3.2), layout="constrained")
        super().__init__([self.header, self.feedback, self.story, self.choices_box, self.chart, self.restart_button])
        self.restart()

    @property
    def taken(self) -> list[str]:
        return list(self.history["choice"])

    def restart(self) -> None:
        self.node_id, self.position = self.scenario.start, self.scenario.start_level
        self.history = walkthrough.walk(self.scenario, [])
        self.feedback.value = ""
        self._show()

    def choose(self, choice_id: str) -> None:
        """Take choice ``choice_id`` at the current step (what clicking its button does)."""
        node = self.scenario.node(self.node_id)
        if node.end:
            raise ValueError("the walk-through is over: press 'Start again'")
        c = node.choice(choice_id)
        self.history = walkthrough.walk(self.scenario, [*self.taken, c.id])
        self.position = self.history["after"].iloc[-1]
        self.node_id = c.next
        self.feedback.value = (f"<div style='border-left:4px solid #2e86c1;padding-left:8px'>"
                               f"<b>You chose:</b> {_text(c.text, self.lang)}<br>{_ARROWS[c.move]} &rarr; "
                               f"the customer is now at {_level(self.position)}.<br><i>Why:</i> "
                               f"{_text(c.why, self.lang)}</div>")
        self._show()

    def _show(self) -> None:
        node = self.scenario.node(self.node_id)
        where = f"<p>Where the customer stands now: {_level(self.position)}</p>"
        if node.end:
            meaning = analysis.LEVEL_MEANING.get(self.position, "the customer is ready to leave or has left")
            self.story.value = (f"<p><b>The end.</b> {_text(node.text, self.lang)}</p>{where}"
                                f"<p>Final level: {html.escape(meaning)}.</p>")
            self.buttons = []
        else:
            self.story.value = f"<p>{_text(node.text, self.lang).replace(chr(10), ' ')}</p>{where}<p><b>What do you do?</b></p>"
            self.buttons = []
            for c in node.choices:
                b = widgets.Button(description=f"{c.id}", tooltip=c.text.get("en", ""), layout={"width": "3em"})
                b.on_click(lambda _b, cid=c.id: self.choose(cid))
                self.buttons.append(widgets.HBox([b, widgets.HTML(_text(c.text, self.lang))]))
        self.choices_box.children = tuple(self.buttons)
        self.figure.clear()
        plots.walk_chart(self.history, self.scenario.start_level, ax=self.figure.add_subplot())
        self.chart.value = _png(self.figure)


def complaint_walkthrough(path: str | Path = "course/modules/m2_service_levels/complaint_hotel.yml",
                          lang: str = "both", kit_root: Path | None = None) -> ComplaintWalkthrough:
    """The walk-through of ``path`` (relative to the kit's root unless absolute) as a clickable widget."""
    p = Path(path)
    if not p.is_absolute():
        p = (kit_root or project_root()) / p
    return ComplaintWalkthrough(walkthrough.load(p), lang)


class PlanExplorer(widgets.VBox):
    """Pick a level per class and a budget; see :func:`plan_explorer`.

    Attributes: ``levels`` (dict class -> Dropdown), ``budget`` (slider), ``outcome`` (the plan's table
    from :func:`analysis.plan_outcome`), ``fits`` (cost within budget), ``summary``, ``chart``.
    """

    def __init__(self, classes: pd.Series, value: pd.Series, budget: float = 300_000,
                 plan: dict[str, str] | None = None, assumptions: analysis.ServiceAssumptions | None = None):
        self.classes, self.value, self.assumptions = classes, value, assumptions or analysis.ServiceAssumptions()
        self.table = analysis.plans_table(classes, value, self.assumptions)  # validates the inputs
        start = analysis.normalise_plan(plan or analysis.same_for_everyone("satisfactory"))
        self.levels = {c: widgets.Dropdown(options=list(analysis.LEVELS), value=start[c], description=f"{c} customers",
                                           style=_WIDE) for c in analysis.CLASSES}
        top = float(self.table["cost"].max())
        self.budget = widgets.IntSlider(value=int(budget), min=0, max=int(round(top, -4)), step=10_000,
                                        description="budget (yuan a year)", continuous_update=False, style=_WIDE,
                                        layout={"width": "32em"})
        self.summary = widgets.HTML()
        self.chart = widgets.Image(format="png", layout={"max_width": "100%"})
        self.figure = Figure(figsize=(8, 4.5), layout="constrained")
        for w in (*self.levels.values(), self.budget):
            w.observe(lambda _change: self.update(), names="value")
        super().__init__([widgets.HBox(list(self.levels.values())), self.budget, self.summary, self.chart])
        self.update()

    @property
    def plan(self) -> dict[str, str]:
        return {c: w.value for c, w in self.levels.items()}

    def update(self) -> None:
        self.outcome = analysis.plan_outcome(self.classes, self.value, self.plan, self.assumptions)
        total = self.outcome.loc["total"]
        self.fits = bool(total["cost"] <= self.budget.value)
        verdict = ("<span style='color:#2e7d32'>fits the budget</span>" if self.fits
                   else f"<span style='color:#c62828'>is {html.escape(style.money(total['cost'] - self.budget.value))}"
                        " yuan over the budget</span>")
        order = "" if analysis.is_ordered(self.plan) else (
            "<br><i>This plan serves a lower class better than a higher one: is that what you mean?</i>")
        rows = "".join(f"<tr><td>{c}</td><td>{r['customers']}</td><td>{html.escape(r['level'])}</td>"
                       f"<td>{style.money(r['cost'])}</td><td>{style.money(r['kept'])}</td></tr>"
                       for c, r in self.outcome.drop(index="total").iterrows())
        self.summary.value = (
            f"<table><tr><th>class</th><th>customers</th><th>level</th><th>cost</th><th>value kept</th></tr>"
            f"{rows}</table>The plan costs <b>{html.escape(style.money(total['cost']))}</b> yuan a year and "
            f"{verdict}; it keeps <b>{html.escape(style.money(total['kept']))}</b> yuan of next year's value "
            f"(of {html.escape(style.money(total['value']))} today).{order}")
        self.figure.clear()
        plots.plans_chart(self.table, self.budget.value, {"your plan": self.plan}, ax=self.figure.add_subplot())
        self.chart.value = _png(self.figure)


def plan_explorer(classes: pd.Series, value: pd.Series, budget: float = 300_000, plan: dict[str, str] | None = None,
                  assumptions: analysis.ServiceAssumptions | None = None) -> PlanExplorer:
    """A level per class and a budget slider: the plan's cost and the value it keeps, against every plan."""
    return PlanExplorer(classes, value, budget, plan, assumptions)
