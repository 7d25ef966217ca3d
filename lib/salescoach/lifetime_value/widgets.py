"""Interactive controls (ipywidgets) for the lifetime-value lessons (module M3b).

* :func:`win_back_explorer` - sliders for the P(alive) threshold below which a customer counts as dormant
  and for the number of calls; the call list (:func:`analysis.win_back_list`) and a chart of where the
  chosen customers sit (P(alive) against value if active) are redrawn on every change.
* :func:`understanding` - a lesson's "check your understanding" item from the module's question bank
  (``course/modules/m3b_lifetime_value/quiz.yml``), shown with :mod:`salescoach.quiz` when the kit has it,
  otherwise with a plain choice widget that gives the same feedback.

Each explorer is a ``VBox`` whose parts are attributes, so code (and tests) drive it like a user would.
Charts are redrawn into an ``Image`` widget (PNG), not an ``Output`` widget (nbclient #312).
"""
from __future__ import annotations

import html
import importlib
import io
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import yaml
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from .. import style
from ..paths import project_root
from . import analysis

__all__ = ["WinBackExplorer", "win_back_explorer", "understanding", "BANK"]

#: the module's question bank, relative to the kit's root
BANK = Path("course/modules/m3b_lifetime_value/quiz.yml")


def _png(figure: Figure) -> bytes:
    buf = io.BytesIO()
    figure.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


class WinBackExplorer(widgets.VBox):
    """Dormant customers and the call list; see :func:`win_back_explorer`.

    Attributes: ``threshold`` and ``calls`` (sliders), ``table`` (the current call list, a DataFrame),
    ``reached`` (share of all dormant value at stake the calls reach), ``summary`` (HTML widget),
    ``chart`` (Image widget), ``figure``.
    """

    def __init__(self, p_alive: pd.Series, value_if_active: pd.Series, threshold: float = 0.5, calls: int = 20):
        analysis.win_back_list(p_alive, value_if_active, threshold)  # validates the inputs
        self.p_alive, self.value_if_active = p_alive, value_if_active
        self.threshold = widgets.FloatSlider(value=threshold, min=0.05, max=1.0, step=0.05,
                                             description="dormant below P(alive)", readout_format=".0%",
                                             continuous_update=False, style={"description_width": "initial"})
        self.calls = widgets.IntSlider(value=calls, min=1, max=100, description="calls this week",
                                       continuous_update=False, style={"description_width": "initial"})
        self.summary = widgets.HTML()
        self.chart = widgets.Image(format="png", layout={"max_width": "100%"})
        self.figure = Figure(figsize=(7, 4), layout="constrained")
        for w in (self.threshold, self.calls):
            w.observe(lambda _change: self.update(), names="value")
        super().__init__([widgets.HBox([self.threshold, self.calls]), self.summary, self.chart])
        self.update()

    def update(self) -> None:
        full = analysis.win_back_list(self.p_alive, self.value_if_active, self.threshold.value)
        self.table = full.head(self.calls.value)
        total = float(full["value_at_stake"].sum())
        self.reached = float(self.table["value_at_stake"].sum()) / total if total > 0 else 0.0
        self.summary.value = (
            f"<b>{len(full):,}</b> dormant customers (P(alive) below {self.threshold.value:.0%}); "
            f"the first <b>{len(self.table)}</b> calls reach <b>{self.reached:.0%}</b> of their value at stake "
            f"({html.escape(style.money(self.table['value_at_stake'].sum()))} of "
            f"{html.escape(style.money(total))}).")
        self._draw(full)

    def _draw(self, full: pd.DataFrame) -> None:
        self.figure.clear()
        ax = self.figure.add_subplot()
        ax.scatter(self.p_alive, self.value_if_active.clip(lower=1e-2), s=6, color="0.75", label="all customers")
        ax.scatter(full["p_alive"], full["value_if_active"].clip(lower=1e-2), s=8, color="#e08a1e",
                   label=style.display_label("dormant"))
        ax.scatter(self.table["p_alive"], self.table["value_if_active"].clip(lower=1e-2), s=30, color="#c44e52",
                   label="called this week")
        ax.axvline(self.threshold.value, color="#c44e52", ls=":", lw=1)
        ax.set_yscale("log")
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel("Probability the customer is still buying, P(alive)")
        ax.set_ylabel("Value in a year if still active")
        ax.set_title("Whom to call: dormant, and worth a lot if they come back")
        ax.legend(frameon=False, fontsize=8, loc="lower right")
        self.chart.value = _png(self.figure)


def win_back_explorer(p_alive: pd.Series, value_if_active: pd.Series, threshold: float = 0.5,
                      calls: int = 20) -> WinBackExplorer:
    """Sliders for the dormancy threshold and the number of calls, with the call list and its chart."""
    return WinBackExplorer(p_alive, value_if_active, threshold, calls)


# --------------------------------------------------------------------------- check your understanding
def _bank_items(kit_root: Path | None = None) -> dict[str, dict]:
    path = (kit_root or project_root()) / BANK
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read the question bank ({exc}). Fix: restore it from git") from exc
    return {item["id"]: item for item in data.get("items", [])}


def understanding(item_id: str, kit_root: Path | None = None) -> widgets.Widget:
    """A check-your-understanding item of the module's bank: :func:`salescoach.quiz.show` when available."""
    try:
        quiz = importlib.import_module("salescoach.quiz")
    except ImportError:
        quiz = None
    if quiz is not None and hasattr(quiz, "load_bank") and hasattr(quiz, "show"):
        return quiz.show(quiz.load_bank((kit_root or project_root()) / BANK)[item_id], lang="both")
    items = _bank_items(kit_root)
    if item_id not in items:
        raise ValueError(f"no item {item_id!r} in {BANK}; items: {sorted(items)}")
    return _choice_widget(items[item_id])


def _choice_widget(item: dict) -> widgets.VBox:
    """A single-choice question with a Check button and the why of every option (the quiz engine's stand-in)."""
    prompt = item["prompt"]
    options = item["options"]
    radio = widgets.RadioButtons(options=[(f"{o['en']} {o.get('zh', '')}".strip(), o["id"]) for o in options],
                                 value=None, layout={"width": "max-content"})
    feedback = widgets.HTML()
    button = widgets.Button(description="Check", button_style="primary")

    def on_check(_b) -> None:
        if radio.value is None:
            feedback.value = "<i>Choose an answer first.</i>"
            return
        rows = []
        for o in options:
            mark = "&#10004;" if o.get("correct") else "&#10008;"
            chosen = " <b>(your answer)</b>" if o["id"] == radio.value else ""
            rows.append(f"<li>{mark} {html.escape(o['en'])}{chosen}: {html.escape(o['why']['en'])} "
                        f"{html.escape(o['why'].get('zh', ''))}</li>")
        right = any(o.get("correct") and o["id"] == radio.value for o in options)
        head = "<b style='color:#2e7d32'>Right.</b>" if right else "<b style='color:#c62828'>Not quite.</b>"
        feedback.value = f"{head}<ul>{''.join(rows)}</ul>"

    button.on_click(on_check)
    box = widgets.VBox([widgets.HTML(f"<b>{html.escape(prompt['en'])}</b><br>{html.escape(prompt.get('zh', ''))}"),
                        radio, button, feedback])
    box.radio, box.button, box.feedback = radio, button, feedback
    return box
