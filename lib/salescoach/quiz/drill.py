"""A drill: several items one after another in one widget, with a running tally (vignette drills, warm-ups).

::

    drill = quiz.drill(quiz.load_items("vignettes.yml"), lang="both")
    drill.quiz.controls.set("b"); drill.quiz.check_button.click(); drill.next_button.click()

Like :func:`~salescoach.quiz.show`, it first displays every question as Markdown (a numbered list) so a
static render still reads; the widget shows one question at a time with its controls, Check and the
feedback, Previous/Next and the tally of items right at the first try.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets

from .model import Item
from .scoring import Verdict
from .widgets import QuizWidget, Recorder, question_markdown
from .words import resolve_lang, say

__all__ = ["Drill", "drill", "prompt_html"]


def prompt_html(text: str) -> str:
    """A prompt's light Markdown as HTML: paragraphs, line breaks, **bold** and *italics*; everything escaped."""
    out = []
    for para in re.split(r"\n\s*\n", text.strip()):
        p = html.escape(para)
        p = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", p)
        p = re.sub(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", r"<i>\1</i>", p)
        out.append(f"<p style='margin:0.3em 0'>{p.replace(chr(10), '<br>')}</p>")
    return "".join(out)


class Drill(widgets.VBox):
    """Items one at a time; see :func:`drill`.

    Attributes: ``items``, ``index`` (0-based), ``quiz`` (the :class:`QuizWidget` of the current item),
    ``question`` (HTML widget with the prompt), ``progress`` (HTML: "Question 2 of 5 · 1 right at the first
    try"), ``previous_button``, ``next_button``, ``first_tries`` (item id -> first :class:`Verdict`).
    """

    def __init__(self, items: Iterable[Item], lang: str | None = None, record: Recorder | None = None):
        self.items = [i for i in items]
        if not self.items:
            raise ValueError("a drill needs at least one item; the file or list given has none")
        hidden = [i.id for i in self.items if i.key_hidden]
        if hidden:
            raise ValueError(f"items {', '.join(hidden)} have a hidden key (key: hidden): a drill cannot give feedback")
        self.lang, self.record = resolve_lang(lang), record
        self.first_tries: dict[str, Verdict] = {}
        self.progress = widgets.HTML()
        self.question = widgets.HTML()
        self.previous_button = widgets.Button(description="◀", tooltip="previous", layout={"width": "3em"})
        self.next_button = widgets.Button(description="▶", tooltip="next", layout={"width": "3em"})
        self.previous_button.on_click(lambda _b: self.go(self.index - 1))
        self.next_button.on_click(lambda _b: self.go(self.index + 1))
        self._quizzes: dict[int, QuizWidget] = {}
        self.index = 0
        self.quiz = self._quiz(0)
        nav = widgets.HBox([self.previous_button, self.next_button, self.progress], layout={"align_items": "center"})
        super().__init__([nav, self.question, self.quiz], layout={"border": "1px solid #ddd", "padding": "0.5em"})
        self.add_class("sc-quiz-drill")
        self.go(0)

    def _quiz(self, index: int) -> QuizWidget:
        if index not in self._quizzes:
            item = self.items[index]
            q = QuizWidget(item, self.lang, self._record)
            q.layout.border = "none"
            self._quizzes[index] = q
        return self._quizzes[index]

    def _record(self, item: Item, answer: Any, verdict: Verdict) -> None:
        self.first_tries.setdefault(item.id, verdict)
        self._show_progress()
        if self.record is not None:
            self.record(item, answer, verdict)

    def go(self, index: int) -> None:
        """Show item ``index`` (0-based; out of range is ignored)."""
        if not 0 <= index < len(self.items):
            return
        self.index = index
        self.quiz = self._quiz(index)
        item = self.items[index]
        title = f"<b>{html.escape(item.title.get(self.lang))}</b>" if item.title else ""
        self.question.value = f"<div style='font-family:sans-serif'>{title}{prompt_html(item.prompt.get(self.lang, chr(10) * 2))}</div>"
        if self.children:
            self.children = (self.children[0], self.question, self.quiz)
        self.previous_button.disabled = index == 0
        self.next_button.disabled = index == len(self.items) - 1
        self._show_progress()

    def _show_progress(self) -> None:
        right = sum(v.correct for v in self.first_tries.values())
        self.progress.value = (f"<span style='font-family:sans-serif'>"
                               f"{html.escape(say('drill_progress', self.lang, n=self.index + 1, total=len(self.items)))}"
                               f" · {html.escape(say('drill_tally', self.lang, right=right, done=len(self.first_tries)))}"
                               f"</span>")

    def __repr__(self) -> str:
        return f"Drill of {len(self.items)} questions: run the notebook to answer here"


def drill(items: Iterable[Item], lang: str | None = None, record: Recorder | None = None, *,
          markdown: bool = True) -> Drill:
    """A drill over ``items`` (a :class:`~salescoach.quiz.Bank` or any list of items): one at a time, Check,
    feedback, Previous/Next and a tally.  Displays all the questions as Markdown first (``markdown=False`` to
    skip)."""
    widget = Drill(items, lang, record)
    if markdown:
        try:
            from IPython.display import Markdown, display
        except ImportError:  # pragma: no cover
            return widget
        parts = [f"**{n}.** " + question_markdown(item, widget.lang, note=False)
                 for n, item in enumerate(widget.items, 1)]
        display(Markdown("\n\n".join(parts + [f"*{say('static_note', widget.lang)}*"])))
    return widget
