"""The quiz widgets: :func:`show` for lessons and :func:`answer_box` for graded exercise items.

Both are built from the same controls, one per kind (radio buttons, check boxes, a bucket menu per
entry, a ladder with up/down buttons, a number box, a text area).  No ``Output`` widget anywhere: a
notebook run headless may wait a whole cell timeout on one (nbclient #312); feedback is an ``HTML``
widget.

Before the widget, :func:`show` and :func:`answer_box` display the question as Markdown, so a static
render (GitHub, an HTML export, a notebook run without a browser) still reads as a question.

Every widget exposes its parts, so code and tests drive it like a student::

    w = quiz.show(bank["ladder-1"])
    w.controls.set("b")          # or click: w.controls.widget is the RadioButtons
    w.check_button.click()
    w.verdict.correct, w.feedback.value
"""
from __future__ import annotations

import random
import sys
from collections.abc import Callable, MutableMapping
from typing import Any

import ipywidgets as widgets

from .answers import answer_line, form_problems, normalise
from .model import Item
from .scoring import Verdict, score, verdict_html
from .words import resolve_lang, say

__all__ = ["Controls", "controls_for", "QuizWidget", "AnswerBox", "show", "answer_box", "question_markdown",
           "display_order"]

_WIDE = {"width": "auto"}
_LABEL_STYLE = "font-family:sans-serif;line-height:1.4"


def display_order(item: Item) -> list[str]:
    """Ids in the order a student first sees them: an ``order`` item's steps are shuffled (seeded by the item's
    id, never already in the right order); everything else keeps the bank's order."""
    if item.kind != "order":
        return []
    ids = [s.id for s in item.steps]
    if item.key_hidden:
        return ids
    shuffled = ids[:]
    random.Random(f"salescoach.quiz:{item.id}").shuffle(shuffled)
    if shuffled == ids:
        shuffled = ids[1:] + ids[:1]
    return shuffled


# --------------------------------------------------------------------------- controls
class Controls:
    """The answering part of a quiz widget for one item: ``widget`` (to display), ``value`` (the answer as a
    student would write it), :meth:`set` (fill it in, as a user would), :meth:`observe` (call back on change)."""

    def __init__(self, item: Item, lang: str):
        self.item, self.lang = item, lang
        self._callbacks: list[Callable[[], None]] = []
        self.widget: widgets.Widget = self._build()

    def _label(self, text: Any) -> str:
        return text.get(self.lang)

    def _changed(self, _change: Any = None) -> None:
        for cb in self._callbacks:
            cb()

    def observe(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def _build(self) -> widgets.Widget:  # pragma: no cover - every kind overrides it
        raise NotImplementedError

    @property
    def value(self) -> Any:
        raise NotImplementedError

    def set(self, answer: Any) -> None:
        raise NotImplementedError


class _Choice(Controls):
    def _build(self) -> widgets.Widget:
        self.radio = widgets.RadioButtons(options=[(self._label(o.text), o.id) for o in self.item.options],
                                          value=None, layout=_WIDE, style={"description_width": "0px"})
        self.radio.observe(self._changed, "value")
        return self.radio

    @property
    def value(self) -> str | None:
        return self.radio.value

    def set(self, answer: Any) -> None:
        value, _ = normalise(self.item, answer)
        self.radio.value = value


class _Multi(Controls):
    def _build(self) -> widgets.Widget:
        self.boxes = {o.id: widgets.Checkbox(value=False, description=self._label(o.text), indent=False,
                                             layout=_WIDE) for o in self.item.options}
        for box in self.boxes.values():
            box.observe(self._changed, "value")
        return widgets.VBox(list(self.boxes.values()))

    @property
    def value(self) -> list[str]:
        return [i for i, box in self.boxes.items() if box.value]

    def set(self, answer: Any) -> None:
        value, _ = normalise(self.item, answer)
        chosen = set(value or ())
        for i, box in self.boxes.items():
            box.value = i in chosen


class _Categorise(Controls):
    def _build(self) -> widgets.Widget:
        choices = [(say("pick_bucket", self.lang), None)] + [(self._label(b.text), b.id) for b in self.item.buckets]
        self.menus: dict[str, widgets.Dropdown] = {}
        rows = []
        for e in self.item.entries:
            menu = widgets.Dropdown(options=choices, value=None, layout={"width": "16em"})
            menu.observe(self._changed, "value")
            self.menus[e.id] = menu
            label = widgets.HTML(f"<div style='{_LABEL_STYLE}'>{_esc(self._label(e.text))}</div>",
                                 layout={"flex": "1 1 auto", "max_width": "40em"})
            rows.append(widgets.HBox([menu, label], layout={"align_items": "center"}))
        return widgets.VBox(rows)

    @property
    def value(self) -> dict[str, str]:
        return {e: m.value for e, m in self.menus.items() if m.value is not None}

    def set(self, answer: Any) -> None:
        value, _ = normalise(self.item, answer)
        value = value or {}
        for e, menu in self.menus.items():
            menu.value = value.get(e)


class _Order(Controls):
    def _build(self) -> widgets.Widget:
        self.texts = {s.id: self._label(s.text) for s in self.item.steps}
        self.order = display_order(self.item)
        self.rows, self.labels, self.up_buttons, self.down_buttons = [], [], [], []
        for i in range(len(self.order)):
            up = widgets.Button(description="▲", tooltip=say("up", self.lang), layout={"width": "2.6em"})
            down = widgets.Button(description="▼", tooltip=say("down", self.lang), layout={"width": "2.6em"})
            up.on_click(lambda _b, i=i: self.move(i, -1))
            down.on_click(lambda _b, i=i: self.move(i, +1))
            label = widgets.HTML(layout={"flex": "1 1 auto"})
            self.up_buttons.append(up)
            self.down_buttons.append(down)
            self.labels.append(label)
            self.rows.append(widgets.HBox([up, down, label], layout={"align_items": "center"}))
        self._relabel()
        return widgets.VBox(self.rows)

    def _relabel(self) -> None:
        n = len(self.order)
        for i, step in enumerate(self.order):
            self.labels[i].value = f"<div style='{_LABEL_STYLE}'><b>{i + 1}.</b> {_esc(self.texts[step])}</div>"
            self.up_buttons[i].disabled = i == 0
            self.down_buttons[i].disabled = i == n - 1

    def move(self, position: int, by: int) -> None:
        """Move the step at ``position`` (0-based) up (``by=-1``) or down (``by=+1``) the ladder."""
        other = position + by
        if 0 <= position < len(self.order) and 0 <= other < len(self.order):
            self.order[position], self.order[other] = self.order[other], self.order[position]
            self._relabel()
            self._changed()

    @property
    def value(self) -> list[str]:
        return list(self.order)

    def set(self, answer: Any) -> None:
        value, _ = normalise(self.item, answer)
        given = [s for s in (value or []) if s in self.texts]
        self.order = given + [s for s in self.order if s not in given]
        self._relabel()
        self._changed()


class _Numeric(Controls):
    def _build(self) -> widgets.Widget:
        self.box = widgets.Text(placeholder=say("number_placeholder", self.lang), continuous_update=True,
                                layout={"width": "14em"})
        self.box.observe(self._changed, "value")
        unit = widgets.HTML(f"<span style='{_LABEL_STYLE}'>{_esc(self.item.unit)}</span>") if self.item.unit else None
        return widgets.HBox([self.box] + ([unit] if unit else []), layout={"align_items": "center"})

    @property
    def value(self) -> float | str | None:
        value, _ = normalise(self.item, self.box.value)
        return value if value is not None else (self.box.value.strip() or None)

    def set(self, answer: Any) -> None:
        self.box.value = "" if answer is None else str(answer)


class _Text(Controls):
    def _build(self) -> widgets.Widget:
        self.area = widgets.Textarea(placeholder=say("text_placeholder", self.lang), rows=3,
                                     layout={"width": "min(40em, 100%)"})
        self.area.observe(self._changed, "value")
        return self.area

    @property
    def value(self) -> str | None:
        return self.area.value.strip() or None

    def set(self, answer: Any) -> None:
        self.area.value = "" if answer is None else str(answer)


_CONTROLS: dict[str, type[Controls]] = {"choice": _Choice, "multi": _Multi, "categorise": _Categorise,
                                        "order": _Order, "numeric": _Numeric, "text": _Text}


def controls_for(item: Item, lang: str | None = None) -> Controls:
    """The controls for ``item``'s kind."""
    return _CONTROLS[item.kind](item, resolve_lang(lang))


def _esc(text: str) -> str:
    import html

    return html.escape(text).replace("\n", "<br>")


# --------------------------------------------------------------------------- the question as Markdown
def _md(text: str) -> str:
    """A plain label safe inside a Markdown list (no accidental headings, tables or HTML)."""
    return text.replace("\n", " ").replace("|", "\\|").replace("<", "&lt;")


def question_markdown(item: Item, lang: str | None = None, *, fold_answer: bool = False, note: bool = True) -> str:
    """The question as Markdown: title, prompt and what to choose from, readable without widgets.

    ``fold_answer=True`` adds the answer and the whys in a folded ``<details>`` block (never for hidden keys);
    ``note=False`` leaves out the line telling a static reader to run the notebook.
    """
    lang = resolve_lang(lang)
    title = item.title.get(lang) if item.title else ""
    head = f"**{_md(title)}**\n\n" if title else ""
    prompt = item.prompt.get(lang, "\n\n")
    lines = [head + prompt, ""]
    if item.kind in ("choice", "multi"):
        lines += [f"- **{o.id}.** {_md(o.text.get(lang))}" for o in item.options]
    elif item.kind == "categorise":
        lines.append(" · ".join(f"**{_md(b.text.get(lang))}** (`{b.id}`)" for b in item.buckets))
        lines.append("")
        lines += [f"- `{e.id}` {_md(e.text.get(lang))}" for e in item.entries]
    elif item.kind == "order":
        texts = {s.id: s.text.get(lang) for s in item.steps}
        lines += [f"- `{s}` {_md(texts[s])}" for s in display_order(item)]
    elif item.kind == "numeric" and item.unit:
        lines.append(f"({_md(item.unit)})")
    if note:
        lines += ["", f"*{say('static_note', lang)}*"]
    if fold_answer and not item.key_hidden and item.kind != "text":
        from .answers import python_literal

        v = score(item, item.key(), lang=lang)
        body = "\n".join(f"- {line[2:]}" if line.startswith("- ") else line for line in v.feedback[1:])
        lines += ["", f"<details><summary>{say('answer_folded', lang)}</summary>", "",
                  f"`{python_literal(item.key())}`", "", body, "", "</details>"]
    return "\n".join(lines).strip() + "\n"


def _display_markdown(item: Item, lang: str, fold_answer: bool) -> None:
    try:
        from IPython.display import Markdown, display
    except ImportError:  # pragma: no cover - IPython is a dependency
        return
    display(Markdown(question_markdown(item, lang, fold_answer=fold_answer)))


# --------------------------------------------------------------------------- show (lessons)
Recorder = Callable[[Item, Any, Verdict], Any]


class QuizWidget(widgets.VBox):
    """A lesson's quiz item: the controls, a Check button and the feedback.  See :func:`show`.

    Attributes: ``item``, ``lang``, ``controls`` (:class:`Controls`), ``check_button``, ``feedback``
    (HTML widget), ``verdict`` (the last :class:`Verdict`, None before the first check), ``attempts``.
    """

    def __init__(self, item: Item, lang: str | None = None, record: Recorder | None = None):
        if item.key_hidden:
            raise ValueError(f"item {item.id!r} ({item.where}) has a hidden key (key: hidden), so show() cannot "
                             f"give feedback; use answer_box(item, variable=...) in the exercise")
        self.item, self.lang, self.record = item, resolve_lang(lang), record
        self.controls = controls_for(item, self.lang)
        self.check_button = widgets.Button(description=say("check", self.lang), button_style="primary",
                                           icon="check", layout={"width": "auto"})
        self.check_button.add_class("sc-quiz-check")
        self.feedback = widgets.HTML(layout={"width": "100%"})
        self.feedback.add_class("sc-quiz-feedback")
        self.verdict: Verdict | None = None
        self.attempts = 0
        self.check_button.on_click(lambda _b: self.check())
        super().__init__([self.controls.widget, widgets.HBox([self.check_button]), self.feedback],
                         layout={"border": "1px solid #ddd", "padding": "0.5em", "margin": "0.3em 0"})
        self.add_class("sc-quiz")

    @property
    def answer(self) -> Any:
        return self.controls.value

    def check(self) -> Verdict:
        """What the Check button does: score the current answer, show the feedback, record it if asked."""
        answer = self.controls.value
        self.verdict = score(self.item, answer, lang=self.lang)
        self.attempts += 1
        extra = "" if self.verdict.correct or self.verdict.headline == say("no_answer", self.lang) else (
            f"<div style='font-family:sans-serif;color:#555;margin:0 0.8em'>{_esc(say('try_again', self.lang))}</div>")
        self.feedback.value = verdict_html(self.verdict) + extra
        if self.record is not None and answer is not None:
            try:
                self.record(self.item, answer, self.verdict)
            except OSError as exc:  # a full disk or a read-only folder must not break the lesson
                self.feedback.value += (f"<div style='color:#c62828;font-family:sans-serif'>"
                                        f"(answer not recorded: {_esc(str(exc))})</div>")
        return self.verdict

    def __repr__(self) -> str:
        return f"Quiz {self.item.id} ({self.item.kind}): run the notebook to answer here"


def show(item: Item, lang: str | None = None, record: Recorder | None = None, *, markdown: bool = True,
         fold_answer: bool = False) -> QuizWidget:
    """A lesson's "check your understanding" widget for ``item``: controls, Check, feedback with the whys.

    ``lang``: ``"en"``, ``"zh"`` or ``"both"`` (default: :func:`~salescoach.quiz.use_language`, else the
    ``SALESCOACH_LANG`` environment variable, else English).  Displays the question as Markdown first (``markdown=False`` to skip; ``fold_answer=True`` to add the
    answer folded away for static readers), then returns the widget for Jupyter to display.  ``record``:
    a :func:`~salescoach.quiz.recorder` (or any ``f(item, answer, verdict)``) called on every Check.
    """
    widget = QuizWidget(item, lang, record)
    if markdown:
        _display_markdown(item, widget.lang, fold_answer)
    return widget


# --------------------------------------------------------------------------- answer_box (exercises)
class AnswerBox(widgets.VBox):
    """An exercise's quiz item: the controls and the line to paste into the answer cell.  See :func:`answer_box`.

    Attributes: ``item``, ``variable``, ``controls``, ``line`` (the current line of Python, e.g. ``q3 = "b"``),
    ``code`` (HTML widget showing it), ``status`` (HTML widget: complete or what is missing).
    """

    def __init__(self, item: Item, variable: str, lang: str | None = None,
                 namespace: MutableMapping[str, Any] | None = None):
        if not variable.isidentifier():
            raise ValueError(f"variable must be a Python name such as q3, got {variable!r}")
        self.item, self.variable, self.lang, self.namespace = item, variable, resolve_lang(lang), namespace
        self.controls = controls_for(item, self.lang)
        self.code = widgets.HTML()
        self.code.add_class("sc-quiz-line")
        self.status = widgets.HTML()
        self.line = ""
        given = namespace.get(variable) if namespace is not None else None
        if given is not None and given is not Ellipsis and not form_problems(item, given):
            self.controls.set(given)  # start from the answer already in the notebook
        self.controls.observe(self._update)
        self._update(set_variable=False)
        super().__init__([self.controls.widget, self.code, self.status],
                         layout={"border": "1px solid #ddd", "padding": "0.5em", "margin": "0.3em 0"})
        self.add_class("sc-quiz-answer-box")

    def _update(self, set_variable: bool = True) -> None:
        answer = self.controls.value
        self.line = answer_line(self.variable, self.item, answer)
        problems = form_problems(self.item, answer, self.lang)
        self.code.value = (
            f"<div style='font-family:sans-serif;margin-top:0.4em'>{_esc(say('paste', self.lang))}</div>"
            f"<pre style='user-select:all;background:#f4f4f4;padding:0.4em 0.6em;margin:0.2em 0;"
            f"white-space:pre-wrap'>{_esc(self.line)}</pre>"
        )
        colour = "#555" if problems else "#2e7d32"
        text = say("incomplete", self.lang, problems="; ".join(problems)) if problems else say("complete", self.lang)
        note = say("set_variable", self.lang, variable=self.variable)
        self.status.value = (f"<div style='font-family:sans-serif;color:{colour}'>{_esc(text)}</div>"
                             f"<div style='font-family:sans-serif;color:#777;font-size:90%'>{_esc(note)}</div>")
        if set_variable and self.namespace is not None:
            value, _ = normalise(self.item, answer)
            self.namespace[self.variable] = value if value is not None else ...

    @property
    def answer(self) -> Any:
        return self.controls.value

    def __repr__(self) -> str:
        return f"Answer box for {self.variable} ({self.item.kind}): run the notebook to use it"


def _notebook_namespace(caller_globals: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """The notebook's variables: IPython's user namespace when a kernel runs us (so a subject's helper that
    calls :func:`answer_box` still sets the variable where the student's cells see it), else the caller's globals."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return caller_globals
    shell = get_ipython()
    return shell.user_ns if shell is not None and hasattr(shell, "user_ns") else caller_globals


def answer_box(item: Item, variable: str = "answer", lang: str | None = None, *,
               namespace: MutableMapping[str, Any] | None = None, markdown: bool = True) -> AnswerBox:
    """An exercise's quiz item: the same controls as :func:`show`, no key revealed, and the exact line to paste
    into the answer cell (``q3 = "b"``): the autograder reads the notebook's source only.

    As a convenience it also sets ``variable`` in the notebook (``namespace``, default: the kernel's user
    namespace, outside a kernel the caller's globals)
    on every change, and starts from the answer already there.  Works for items with a hidden key.
    """
    if namespace is None:
        namespace = _notebook_namespace(sys._getframe(1).f_globals)
    box = AnswerBox(item, variable, lang, namespace)
    if markdown:
        _display_markdown(item, box.lang, False)
    return box
