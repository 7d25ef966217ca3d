"""Interactive controls (ipywidgets) for the key-account lessons (module M9).

* :func:`account_explorer` - pick an account: its waterfall of the loyalty-risk score, its seven drivers,
  and the strategies and retention plan the recommender proposes.
* :func:`budget_chooser` - tick the accounts whose retention plan you fund: the money spent, the value kept
  and what is left of the budget, with a chart of every plan's cost against the value it keeps.
* :func:`review_planner` - choose an account and the length of its annual review meeting, see the agenda,
  save the printable HTML page.

Each is a ``VBox`` whose parts are attributes, so code (and tests) drive it like a user would.  Charts are
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
from . import analysis, plots, review
from . import framework as fw

__all__ = ["AccountExplorer", "BudgetChooser", "ReviewPlanner", "account_explorer", "budget_chooser",
           "review_planner"]

_WIDE = {"description_width": "initial"}


def _png(figure: Figure) -> bytes:
    buf = io.BytesIO()
    figure.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _account_options(portfolio: pd.DataFrame) -> list[tuple[str, str]]:
    table = analysis.risk_table(portfolio)
    names = table["name"] if "name" in table.columns else pd.Series("", index=table.index)
    return [(f"{a} {names[a]} (risk {table.at[a, 'risk']:.0f})", a) for a in table.index]


class AccountExplorer(widgets.VBox):
    """One account at a time; see :func:`account_explorer`.

    Attributes: ``account`` (Dropdown), ``summary`` (HTML), ``chart`` (Image), ``figure``, ``plan`` (the
    current :class:`~.analysis.RetentionPlan`).
    """

    def __init__(self, portfolio: pd.DataFrame, account_id: str | None = None):
        self.portfolio = analysis.check_portfolio(portfolio, (*analysis.SIGNAL_COLUMNS, "gross_profit"))
        options = _account_options(self.portfolio)
        self.account = widgets.Dropdown(options=options, value=account_id or options[0][1], description="account",
                                        style=_WIDE, layout={"width": "32em"})
        self.summary = widgets.HTML()
        self.chart = widgets.Image(format="png", layout={"max_width": "100%"})
        self.figure = Figure(figsize=(11, 4.6), layout="constrained")
        self.account.observe(lambda _change: self.update(), names="value")
        super().__init__([self.account, self.summary, self.chart])
        self.update()

    def update(self) -> None:
        acc = self.account.value
        self.plan = analysis.retention_plan(self.portfolio, acc)
        table = analysis.explain(self.portfolio, acc)
        top = table.head(2)
        recs = analysis.recommend(self.portfolio, acc) if self.plan.weak_drivers else None
        weak = ", ".join(fw.label(fw.driver(d)) for d in self.plan.weak_drivers) or "none"
        rec_txt = ("; ".join(f"{r['en']} {r['zh']}" for _s, r in recs.iterrows()) if recs is not None
                   else "nothing to fix")
        plan_txt = ", ".join(fw.strategy(s).en for s in self.plan.strategies) or "no plan needed"
        self.summary.value = (
            f"<b>{html.escape(acc)}</b>: loyalty-risk score <b>{self.plan.risk:.1f}</b> "
            f"({analysis.risk_band(self.plan.risk)}). Biggest contributions: "
            + ", ".join(f"{html.escape(r['label'])} +{r['points']:.1f}" for _s, r in top.iterrows())
            + f".<br>Weakest drivers: <b>{html.escape(weak)}</b>. Strategies that address them: "
            f"{html.escape(rec_txt)}.<br>Retention plan: <b>{html.escape(plan_txt)}</b> "
            f"({self.plan.cost:,.0f} yuan a year), score after a year {self.plan.risk_after:.1f}, "
            f"value kept {self.plan.value_kept:,.0f} yuan.")
        self.figure.clear()
        left, right = self.figure.subplots(1, 2, width_ratios=[1.35, 1])
        plots.waterfall(self.portfolio, acc, ax=left)
        left.get_legend().remove()
        plots.driver_bars(self.portfolio, acc, ax=right)
        self.chart.value = _png(self.figure)


def account_explorer(portfolio: pd.DataFrame, account_id: str | None = None) -> AccountExplorer:
    """A dropdown of accounts (most at risk first) with the waterfall, the drivers and the recommended plan."""
    return AccountExplorer(portfolio, account_id)


class BudgetChooser(widgets.VBox):
    """Fund retention plans under a budget; see :func:`budget_chooser`.

    Attributes: ``boxes`` (account id -> Checkbox), ``chosen`` (ticked ids), ``outcome``
    (:func:`~.analysis.budget_outcome`), ``summary`` (HTML), ``chart`` (Image), ``figure``.
    """

    def __init__(self, options: pd.DataFrame, budget: float):
        if not budget > 0:
            raise ValueError(f"budget={budget!r}: give the money available for retention plans, in yuan, above 0")
        analysis.budget_outcome(options, [], budget)  # checks the table
        self.options, self.budget = options, float(budget)
        self.boxes = {}
        for acc, row in options.iterrows():
            label = (f"{acc} risk {row['risk']:.0f}, plan {style.money(row['plan_cost'])}, "
                     f"keeps {style.money(row['value_kept'])}")
            self.boxes[acc] = widgets.Checkbox(value=False, description=label, indent=False,
                                               layout={"width": "24em"})
            self.boxes[acc].observe(lambda _change: self.update(), names="value")
        grid = widgets.GridBox(list(self.boxes.values()),
                               layout={"grid_template_columns": "repeat(3, 24em)", "grid_gap": "0 1em"})
        self.summary = widgets.HTML()
        self.chart = widgets.Image(format="png", layout={"max_width": "100%"})
        self.figure = Figure(figsize=(7, 4.2), layout="constrained")
        super().__init__([grid, self.summary, self.chart])
        self.update()

    @property
    def chosen(self) -> list[str]:
        return [acc for acc, box in self.boxes.items() if box.value]

    def update(self) -> None:
        self.outcome = analysis.budget_outcome(self.options, self.chosen, self.budget)
        o = self.outcome
        warn = ("" if o["within_budget"] else
                f" <b style='color:#c62828'>Over budget by {-o['left']:,.0f} yuan: untick a plan.</b>")
        self.summary.value = (f"{o['accounts']} plans funded: <b>{o['cost']:,.0f}</b> of {o['budget']:,.0f} yuan "
                              f"spent, <b>{o['value_kept']:,.0f}</b> yuan of gross profit kept.{warn}")
        self.figure.clear()
        plots.budget_map(self.options, self.chosen, self.budget, ax=self.figure.add_subplot())
        self.chart.value = _png(self.figure)


def budget_chooser(options: pd.DataFrame, budget: float) -> BudgetChooser:
    """A checkbox per account's retention plan, with the budget spent, the value kept and a chart."""
    return BudgetChooser(options, budget)


class ReviewPlanner(widgets.VBox):
    """The annual review meeting planner; see :func:`review_planner`.

    Attributes: ``account`` (Dropdown), ``minutes`` (IntSlider), ``file`` (Text), ``save`` (Button),
    ``preview`` (HTML: the agenda), ``status`` (HTML), ``plan`` (the current :class:`~.review.ReviewPlan`).
    """

    def __init__(self, portfolio: pd.DataFrame, account_id: str | None = None, folder: str | Path = "."):
        self.portfolio = portfolio
        options = _account_options(portfolio)
        self.folder = Path(folder)
        self.account = widgets.Dropdown(options=options, value=account_id or options[0][1], description="account",
                                        style=_WIDE, layout={"width": "32em"})
        self.minutes = widgets.IntSlider(value=120, min=review.MIN_MINUTES, max=240, step=5,
                                         description="meeting length (minutes)", style=_WIDE,
                                         continuous_update=False)
        self.file = widgets.Text(description="save as", style=_WIDE, layout={"width": "32em"})
        self.save = widgets.Button(description="Save printable page", button_style="primary", icon="print")
        self.preview = widgets.HTML()
        self.status = widgets.HTML()
        self.account.observe(lambda _change: self.update(), names="value")
        self.minutes.observe(lambda _change: self.update(), names="value")
        self.save.on_click(lambda _b: self.write())
        super().__init__([widgets.HBox([self.account, self.minutes]), widgets.HBox([self.file, self.save]),
                          self.status, self.preview])
        self.update()

    def update(self) -> None:
        self.plan = review.plan_review(self.portfolio, self.account.value, minutes=self.minutes.value)
        self.file.value = str(self.folder / f"review_{self.plan.account_id}.html")
        rows = "".join(f"<tr><td>{a.minutes} min</td><td><b>{html.escape(a.title)}</b> {html.escape(a.title_zh)}"
                       f"</td></tr>" for a in self.plan.agenda)
        prep = "".join(f"<li>{html.escape(p)}</li>" for p in self.plan.preparation)
        self.preview.value = (f"<b>Agenda</b><table>{rows}</table><b>Prepare</b><ul>{prep}</ul>")
        self.status.value = ""

    def write(self) -> Path | None:
        try:
            path = review.save_html(self.plan, self.file.value)
        except (OSError, ValueError) as exc:
            self.status.value = f"<b style='color:#c62828'>Not saved:</b> {html.escape(str(exc))}"
            return None
        self.status.value = (f"Saved <code>{html.escape(str(path))}</code>: open it in a browser and print it "
                             "(Ctrl+P).")
        return path


def review_planner(portfolio: pd.DataFrame, account_id: str | None = None, folder: str | Path = ".") -> ReviewPlanner:
    """Choose an account and the meeting's length; see its agenda; save the printable HTML page."""
    return ReviewPlanner(portfolio, account_id, folder)
