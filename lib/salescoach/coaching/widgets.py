"""Interactive tools (ipywidgets) for the coaching lessons and for managers (module M7).

* :class:`DebriefPractice` - practise stage-3 debrief questions: a rep-focused question to rewrite, a text
  box, a Check button; the feedback says whether the new question is aimed at the rep or at the buyer and
  suggests a buyer-focused form.  ``submit(text)`` does what typing and clicking do.
* :class:`SessionPlanner` - a form for the five-step session; the printable plan is previewed as you type,
  saved as an HTML file, and (given a coaching log) recorded in the log.
* :class:`SkillsGridExplorer` - pick a rep: their skills grid chart and development priorities.

Charts are shown as PNG in an ``Image`` widget and text in ``HTML`` widgets, never in an ``Output`` widget
(headless runs can hang on those: nbclient #312).  Parts are attributes, so code and tests drive them like
a user would.
"""
from __future__ import annotations

import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from . import analysis, debrief, planner, plots

__all__ = ["DebriefPractice", "debrief_practice", "SessionPlanner", "session_planner", "SkillsGridExplorer",
           "skills_grid_explorer", "PRACTICE_QUESTIONS"]

#: questions to rewrite in the practice widget: (situation, rep-focused question), English and Chinese
PRACTICE_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("The buyer at Hengda asked for 8% off; Zhao Lei gave 5% at once.", "Why did you give the discount so fast?"),
    ("Li Na left without asking who else decides.", "Why didn't you ask who the decision-maker is?"),
    ("The demo was cut short when the buyer looked at his watch.", "What made you skip half of the demo?"),
    ("客户说竞争对手便宜15%，小赵马上降了价。", "你为什么马上就降价？"),
    ("客户问交货期，销售人员没有回答就转到价格上。", "你当时怎么没有回答交货期的问题？"),
)


def _esc(text: Any) -> str:
    return html.escape(str(text))


def _png(figure: Figure) -> bytes:
    buf = io.BytesIO()
    figure.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


# --------------------------------------------------------------------------- debrief practice
class DebriefPractice(widgets.VBox):
    """Rewrite rep-focused debrief questions into buyer-focused ones, with instant feedback.

    Attributes: ``situation`` (HTML), ``question`` (Text), ``check_button``, ``next_button``, ``feedback``
    (HTML), ``score`` (HTML), ``history`` (list of :class:`~salescoach.coaching.debrief.QuestionReview`).
    """

    def __init__(self, questions: Sequence[tuple[str, str]] = PRACTICE_QUESTIONS):
        questions = tuple(questions)
        if not questions:
            raise ValueError("give at least one (situation, question) pair to practise on")
        for i, pair in enumerate(questions):
            if not (isinstance(pair, tuple | list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
                raise ValueError(f"questions[{i}] must be a (situation, question) pair of texts, got {pair!r}")
        self.questions = questions
        self.index = 0
        self.history: list[debrief.QuestionReview] = []
        self.situation = widgets.HTML()
        self.question = widgets.Text(placeholder="Your buyer-focused question 你的问题 …",
                                     layout={"width": "100%"})
        self.check_button = widgets.Button(description="Check", button_style="primary", icon="check")
        self.next_button = widgets.Button(description="Next situation", icon="forward")
        self.feedback = widgets.HTML()
        self.score = widgets.HTML()
        self.check_button.on_click(lambda _: self.submit(self.question.value))
        self.next_button.on_click(lambda _: self.next())
        super().__init__([widgets.HTML("<b>Debrief practice 销售之后的问题</b>: ask <i>why</i> about the buyer, "
                                       "not the rep."), self.situation, self.question,
                          widgets.HBox([self.check_button, self.next_button]), self.feedback, self.score])
        self._show()

    def _show(self) -> None:
        situation, asked = self.questions[self.index]
        self.situation.value = (f"<p><b>Situation {self.index + 1} of {len(self.questions)}:</b> {_esc(situation)}"
                                f"<br>A coach asked: <q>{_esc(asked)}</q><br>Rewrite it so it asks about the "
                                "buyer.</p>")
        self.feedback.value = ""
        self.question.value = ""

    def submit(self, text: str) -> debrief.QuestionReview | None:
        """Check ``text`` as the rewritten question; shows and returns the verdict (None for an empty text)."""
        if not str(text).strip():
            self.feedback.value = "<span style='color:#c44e52'>Type a question first.</span>"
            return None
        review = debrief.review_question(str(text))
        self.history.append(review)
        if review.rep_focused:
            msg = (f"<p style='color:#c44e52'><b>Still aimed at the rep</b> (<q>{_esc(review.matched)}</q>). "
                   f"{_esc(review.advice)}<br>Try: <q>{_esc(review.suggestion)}</q></p>")
        elif review.buyer_focused:
            msg = f"<p style='color:#1b7f5f'><b>Good: about the buyer.</b> {_esc(review.advice)}</p>"
        else:
            msg = f"<p style='color:#e08a1e'><b>Not aimed at the rep, but not about the buyer yet.</b> " \
                  f"{_esc(review.advice)}</p>"
        self.feedback.value = msg
        good = sum(r.buyer_focused for r in self.history)
        self.score.value = f"<small>{good} of {len(self.history)} questions about the buyer so far.</small>"
        return review

    def next(self) -> None:
        """Move to the next situation (back to the first after the last)."""
        self.index = (self.index + 1) % len(self.questions)
        self._show()


def debrief_practice(questions: Sequence[tuple[str, str]] = PRACTICE_QUESTIONS) -> DebriefPractice:
    """A :class:`DebriefPractice` widget."""
    return DebriefPractice(questions)


# --------------------------------------------------------------------------- session planner
class SessionPlanner(widgets.VBox):
    """A form for a five-step coaching session with a live preview of the printable plan.

    Attributes: one widget per field (``rep``, ``skill``, ``coach``, ``held_on``, ``visit_purpose``,
    ``explain``, ``demonstrate``, ``rehearse``, ``objective``, ``plan_points`` (one "point | reason" per line),
    ``review_questions`` (one per line)), ``preview`` (HTML), ``status`` (HTML), ``save_button``,
    ``record_button``, ``path`` (Text, where the HTML is saved), ``plan`` (the current SessionPlan or None).
    """

    def __init__(self, rep: str = "", skill: str = "", *, book: Any = None, save_to: str | Path = "coaching_plan.html",
                 **defaults: str):
        self.book = book
        self.plan: planner.SessionPlan | None = None
        text = {"layout": {"width": "100%"}, "style": {"description_width": "10em"}, "continuous_update": False}
        self.rep = widgets.Text(value=rep, description="Rep", **text)
        self.skill = widgets.Text(value=skill, description="Skill", **text)
        self.coach = widgets.Text(description="Coach", **text)
        self.held_on = widgets.Text(description="Date (YYYY-MM-DD)", **text)
        self.visit_purpose = widgets.Text(description="Visit purpose", **text)
        area = {**text, "layout": {"width": "100%", "height": "4.5em"}}
        self.explain = widgets.Textarea(description="1 Explain 讲解", **area)
        self.demonstrate = widgets.Textarea(description="2 Demonstrate 示范", **area)
        self.rehearse = widgets.Textarea(description="3 Rehearse 演练", **area)
        self.objective = widgets.Textarea(description="4 Visit objective", **area)
        self.plan_points = widgets.Textarea(description="4 Plan | reason", placeholder="one per line: point | reason",
                                            **area)
        self.review_questions = widgets.Textarea(description="5 Review questions", placeholder="one per line", **area)
        self.fields = ("rep", "skill", "coach", "held_on", "visit_purpose", "explain", "demonstrate", "rehearse",
                       "objective", "plan_points", "review_questions")
        for name, value in defaults.items():
            if name not in self.fields:
                raise ValueError(f"unknown field {name!r}; fields: {list(self.fields)}")
            getattr(self, name).value = value
        self.path = widgets.Text(value=str(save_to), description="Save as", **text)
        self.save_button = widgets.Button(description="Save printable plan", icon="print")
        self.record_button = widgets.Button(description="Record in coaching log", icon="book",
                                            disabled=book is None)
        self.status = widgets.HTML()
        self.preview = widgets.HTML()
        for name in self.fields:
            getattr(self, name).observe(lambda _: self.refresh(), names="value")
        self.save_button.on_click(lambda _: self.save())
        self.record_button.on_click(lambda _: self.record())
        form = widgets.VBox([getattr(self, n) for n in self.fields])
        super().__init__([widgets.HTML("<b>Five-step session planner 指导的五个步骤</b>"), form,
                          widgets.HBox([self.path, self.save_button, self.record_button]), self.status,
                          self.preview])
        self.refresh()

    def _build(self) -> planner.SessionPlan:
        points = []
        for line in self.plan_points.value.splitlines():
            if line.strip():
                point, _, reason = line.partition("|")
                points.append((point.strip(), reason.strip()))
        return planner.plan_session(
            self.rep.value, self.skill.value, coach=self.coach.value, held_on=self.held_on.value.strip() or None,
            visit_purpose=self.visit_purpose.value, explain=self.explain.value, demonstrate=self.demonstrate.value,
            rehearse=self.rehearse.value, objective=self.objective.value, plan_points=points,
            review_questions=[q for q in self.review_questions.value.splitlines() if q.strip()])

    def refresh(self) -> planner.SessionPlan | None:
        """Rebuild the plan from the form; shows the preview, or what to fix."""
        try:
            self.plan = self._build()
        except ValueError as exc:
            self.plan = None
            self.preview.value = ""
            self.status.value = f"<span style='color:#c44e52'>{_esc(exc)}</span>"
            return None
        self.preview.value = planner.plan_html(self.plan, fragment=True)
        self.status.value = ""
        return self.plan

    def save(self) -> Path | None:
        """Save the printable plan to the ``path`` field's file; returns the path (None if the form has errors)."""
        plan = self.refresh()
        if plan is None:
            return None
        try:
            path = planner.save_plan(plan, Path(self.path.value).expanduser())
        except (OSError, ValueError) as exc:
            self.status.value = f"<span style='color:#c44e52'>Not saved: {_esc(exc)}</span>"
            return None
        self.status.value = f"Saved: <code>{_esc(path)}</code> (open it in a browser and print it)."
        return path

    def _waiting(self, line: str) -> None:
        self.status.value = f"<span style='color:#555'>Please wait: {_esc(line)}</span>"

    def record(self) -> int | None:
        """Record the plan in the coaching log given as ``book``; returns the session id."""
        plan = self.refresh()
        if plan is None or self.book is None:
            if self.book is None:
                self.status.value = "No coaching log: create the planner with book=CoachingLog(...)."
            return None
        said_elsewhere = getattr(self.book, "on_wait", None)
        if said_elsewhere is not None:  # a wait for another process's lock is said here while recording
            self.book.on_wait = self._waiting
        try:
            sid = planner.record_plan(self.book, plan)
        except Exception as exc:  # a CoachingLogError or a ValueError: shown in the page, not as a traceback
            self.status.value = f"<span style='color:#c44e52'>Not recorded: {_esc(exc)}</span>"
            return None
        finally:
            if said_elsewhere is not None:
                self.book.on_wait = said_elsewhere
        self.status.value = f"Recorded as session {sid} in {_esc(getattr(self.book, 'where', 'the log'))}."
        return sid


def session_planner(rep: str = "", skill: str = "", *, book: Any = None, save_to: str | Path = "coaching_plan.html",
                    **defaults: str) -> SessionPlanner:
    """A :class:`SessionPlanner` widget."""
    return SessionPlanner(rep, skill, book=book, save_to=save_to, **defaults)


# --------------------------------------------------------------------------- skills grid
class SkillsGridExplorer(widgets.VBox):
    """Pick a rep: their 3 x 3 skills grid (``chart``, an Image) and their priorities (``table``, HTML)."""

    def __init__(self, grid: pd.DataFrame, rep: str | None = None):
        self.grid = analysis.validate_grid(grid)
        reps = list(dict.fromkeys(self.grid["rep"]))
        if rep is not None and rep not in reps:
            raise ValueError(f"no rep {rep!r} in the grid; reps: {reps}")
        self.picker = widgets.Dropdown(options=reps, value=rep or reps[0], description="Rep")
        self.chart = widgets.Image(format="png", layout={"max_width": "100%"})
        self.table = widgets.HTML()
        self.figure = Figure(figsize=(7.5, 6), layout="constrained")
        self.ax = self.figure.add_subplot()
        self.priorities = pd.DataFrame()
        self.picker.observe(lambda _: self.refresh(), names="value")
        super().__init__([self.picker, widgets.HBox([self.chart, self.table])])
        self.refresh()

    def refresh(self) -> None:
        self.priorities = analysis.development_priorities(self.grid, self.picker.value)
        self.ax.clear()
        plots.skills_grid_chart(self.grid, self.picker.value, ax=self.ax)
        self.chart.value = _png(self.figure)
        rows = "".join(f"<tr><td>{r['rank']}</td><td>{_esc(r['skill'])}</td><td>{r['importance']}</td>"
                       f"<td>{r['ability']}</td><td>{r['score']}</td><td>{_esc(r['priority'])}</td></tr>"
                       for _, r in self.priorities.iterrows())
        self.table.value = ("<table><tr><th>#</th><th>skill</th><th>importance</th><th>ability</th><th>score</th>"
                            f"<th>priority</th></tr>{rows}</table>")


def skills_grid_explorer(grid: pd.DataFrame, rep: str | None = None) -> SkillsGridExplorer:
    """A :class:`SkillsGridExplorer` widget."""
    return SkillsGridExplorer(grid, rep)
