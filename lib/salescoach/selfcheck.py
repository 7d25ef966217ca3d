"""Instant self-checks for students: ``check("q3")`` in an exercise notebook.

How it works
------------
Each graded exercise has a module ``salescoach.checks.<assignment id>`` (for
example ``salescoach.checks.m3_customer_grading``) that registers one
*public* check per question with :func:`register`.  A student runs::

    from salescoach.selfcheck import check, use_exercise
    use_exercise("m3_customer_grading")     # once, in the setup cell
    ...
    check("q3")                              # after answering question 3

``check`` reads the student's answers (variables and functions) from the
notebook's namespace -- the globals of the code that called it -- runs only
that question's public checks and returns a :class:`CheckResult`, which
Jupyter shows as a short verdict in plain words: what was checked, what was
expected, what the student gave and a hint.  Nothing the student wrote can
make ``check`` itself crash: a missing variable, a function that raises or an
answer of the wrong type all become a verdict.

``check("q3", strict=True)`` raises ``AssertionError`` with the same words
instead of returning a failed result; the nbgrader test cells use it, and add
hidden tests after it.  Hidden tests live only in the trainer's source
notebook (``solutions/``), never in this library, which students can read.

Which exercise?  In this order: the ``exercise=`` argument; the one chosen
with :func:`use_exercise`; the only exercise that has a checks module, if
there is exactly one.  Otherwise ``check`` says how to choose.

For territory-wide answers the verdict describes the expected result (the
rule, the size, the type) rather than printing the number to copy; for
small worked examples it shows the expected output in full.
"""
from __future__ import annotations

import copy
import html
import importlib
import pkgutil
import sys
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

__all__ = [
    "check",
    "use_exercise",
    "current_exercise",
    "available_exercises",
    "questions",
    "register",
    "CheckResult",
    "Fail",
    "Answers",
    "UnknownQuestionError",
    "UnknownExerciseError",
    "describe",
]

CHECKS_PACKAGE = "salescoach.checks"


# --------------------------------------------------------------------------- errors
class Fail(Exception):
    """Raised by a public check when the student's answer is not right yet.

    ``checked`` says what was tried (e.g. "abc() on the 5-customer example"),
    ``expected`` what a right answer looks like, ``given`` what the student
    gave and ``hint`` what to try next.
    """

    def __init__(self, expected: str, given: str, hint: str = "", checked: str = ""):
        super().__init__(expected)
        self.checked, self.expected, self.given, self.hint = checked, expected, given, hint


class UnknownQuestionError(ValueError):
    """``check`` was asked about a question id the exercise does not have."""


class UnknownExerciseError(ValueError):
    """No checks module for that exercise, or no way to tell which exercise is meant."""


# --------------------------------------------------------------------------- registry
class Question(NamedTuple):
    """One registered check.  A tuple, so not even ``object.__setattr__`` can swap its ``run`` function."""

    exercise: str
    qid: str
    title: str
    needs: tuple[str, ...]
    run: Callable[[Answers], str | None]
    note: str = ""


_REGISTRY: dict[str, dict[str, Question]] = {}
_current: str | None = None


def register(exercise: str, qid: str, title: str, needs: tuple[str, ...] | list[str], note: str = ""):
    """Decorator: register ``run(answers)`` as the public check of ``exercise``/``qid``.

    ``needs`` are the names the student must have defined (the check reports
    the first missing one and does not run).  ``run`` raises :class:`Fail`
    for a wrong answer and may return a short extra remark for a right one.
    ``note`` is shown on success, e.g. what the hidden tests also cover.
    """

    def decorate(run: Callable[[Answers], str | None]) -> Callable[[Answers], str | None]:
        _REGISTRY.setdefault(exercise, {})[qid] = Question(exercise, qid, title, tuple(needs), run, note)
        return run

    return decorate


def available_exercises() -> list[str]:
    """Assignment ids that have a checks module in ``salescoach.checks``."""
    pkg = importlib.import_module(CHECKS_PACKAGE)
    found = {m.name for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_")}
    return sorted(found | set(_REGISTRY))


def _load(exercise: str) -> dict[str, Question]:
    if exercise not in _REGISTRY:
        if exercise not in available_exercises():
            raise UnknownExerciseError(
                f"no self-checks for exercise {exercise!r}; exercises with self-checks: "
                f"{', '.join(available_exercises()) or '(none)'}"
            )
        importlib.import_module(f"{CHECKS_PACKAGE}.{exercise}")
    return _REGISTRY.get(exercise, {})


def precompute(exercise: str) -> None:
    """Load the checks of ``exercise`` and let its module compute its reference answers now.

    The grader calls this once in each worker, before forking a process per
    submission, so every submission finds them ready.  A checks module opts in
    by defining ``precompute()``.
    """
    _load(exercise)
    hook = getattr(importlib.import_module(f"{CHECKS_PACKAGE}.{exercise}"), "precompute", None)
    if callable(hook):
        hook()


def use_exercise(exercise: str) -> None:
    """Make ``exercise`` (an assignment id such as ``"m3_customer_grading"``) the default for ``check``."""
    global _current
    _load(exercise)
    _current = exercise


def current_exercise() -> str | None:
    """The exercise chosen with :func:`use_exercise`, or None."""
    return _current


def _resolve(exercise: str | None) -> str:
    if exercise:
        return exercise
    if _current:
        return _current
    names = available_exercises()
    if len(names) == 1:
        return names[0]
    raise UnknownExerciseError(
        "several exercises have self-checks (" + ", ".join(names) + "); say which one with "
        'use_exercise("<assignment id>") in the setup cell, or check("q1", exercise="<assignment id>")'
    )


def questions(exercise: str | None = None) -> list[str]:
    """The question ids of ``exercise`` (default: as for :func:`check`), in order."""
    return list(_load(_resolve(exercise)))


# --------------------------------------------------------------------------- result
@dataclass
class CheckResult:
    """The verdict of one self-check.  ``passed`` and ``messages`` (lines of plain text)."""

    question: str
    exercise: str
    title: str
    passed: bool
    messages: list[str] = field(default_factory=list)
    checked: str = ""
    expected: str = ""
    given: str = ""
    hint: str = ""

    def __bool__(self) -> bool:
        return self.passed

    @property
    def text(self) -> str:
        return "\n".join(self.messages)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # IPython plain-text display
        p.text(self.text)

    def _repr_html_(self) -> str:
        colour, mark = ("#2e7d32", "&#10004;") if self.passed else ("#c62828", "&#10008;")
        head, *rest = self.messages or [""]
        rows = "".join(f"<div style='margin-top:0.25em'>{_html_line(line)}</div>" for line in rest)
        return (
            f"<div style='border-left:4px solid {colour};padding:0.4em 0.8em;margin:0.3em 0;"
            f"font-family:sans-serif;line-height:1.4'>"
            f"<div style='color:{colour};font-weight:bold'>{mark} {html.escape(head)}</div>{rows}</div>"
        )


def _html_line(line: str) -> str:
    for label in ("Checked:", "Expected:", "You gave:", "Hint:"):
        if line.startswith(label):
            return f"<b>{label}</b>{html.escape(line[len(label):])}"
    return html.escape(line)


# --------------------------------------------------------------------------- answers
_MISSING = object()


class Answers:
    """The student's namespace as a check sees it.

    ``answers["name"]`` gives a variable; :meth:`call` calls a student's
    function on copies of the arguments and turns any error it raises into a
    :class:`Fail` in plain words.
    """

    def __init__(self, namespace: Mapping[str, Any]):
        self._ns = namespace

    def __getitem__(self, name: str) -> Any:
        value = self._ns.get(name, _MISSING)
        if value is _MISSING:
            raise Fail(
                expected=f"`{name}` defined by your answer",
                given=f"nothing: `{name}` is not defined yet",
                hint=f"run the cell that defines `{name}` first (write it in the answer cell if you have not yet)",
            )
        return value

    def __contains__(self, name: str) -> bool:
        return name in self._ns

    def call(self, name: str, *args: Any, checked: str = "", expected: str = "", copy_args: bool = True,
             **kwargs: Any) -> Any:
        """Call the student's function ``name`` with copies of ``args``/``kwargs``.

        With ``copy_args=False`` the objects are passed as they are, so the
        caller can see whether the function changed its input.
        """
        fn = self[name]
        if not callable(fn):
            raise Fail(
                checked=checked,
                expected=f"`{name}` to be a function (defined with `def {name}(...):`)",
                given=describe(fn),
                hint=f"run the cell with `def {name}(...)` again; make sure no later cell reuses the name `{name}`",
            )
        if copy_args:
            args = tuple(_copy(a) for a in args)
            kwargs = {k: _copy(v) for k, v in kwargs.items()}
        try:
            return fn(*args, **kwargs)
        except NotImplementedError:
            raise Fail(
                checked=checked,
                expected=expected or f"`{name}` to return an answer",
                given="NotImplementedError: the function is not written yet",
                hint=f"replace the line `raise NotImplementedError()` in `{name}` with your code, then run the cell",
            ) from None
        except Exception as exc:  # the student's code: report it, never propagate
            raise Fail(
                checked=checked,
                expected=expected or f"`{name}` to return an answer",
                given=f"an error inside your function: {type(exc).__name__}: {_short(str(exc), 200)}",
                hint=f"call `{name}` yourself on the same input in a new cell to see where it fails",
            ) from None


def _copy(x: Any) -> Any:
    """A copy the student's function may change without spoiling the check's own data."""
    if isinstance(x, (pd.Series, pd.DataFrame, pd.Index, np.ndarray)):
        return x.copy()
    return copy.deepcopy(x)


# --------------------------------------------------------------------------- describe
def _short(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fmt_scalar(x: Any) -> str:
    if x is None:
        return "None"
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        return "NaN" if np.isnan(x) else f"{float(x):.6g}"
    if x is pd.NaT:
        return "NaT"
    if isinstance(x, pd.Timestamp):
        return x.strftime("%Y-%m-%d")
    if isinstance(x, str):
        return repr(x)
    return _short(repr(x), 40)


def describe(x: Any, limit: int = 6) -> str:
    """A short plain-words description of a value, for "You gave: ..." lines."""
    if x is None:
        return "None (nothing was returned: is `return` missing?)"
    if isinstance(x, (bool, np.bool_, int, float, np.integer, np.floating, str, pd.Timestamp)) or x is pd.NaT:
        return _fmt_scalar(x)
    if isinstance(x, pd.DataFrame):
        return f"a table (DataFrame) with {len(x)} rows and columns {list(x.columns)[:8]}"
    if isinstance(x, pd.Series):
        items = [f"{k if isinstance(k, str) else _fmt_scalar(k)}: {_fmt_scalar(v)}" for k, v in list(x.items())[:limit]]
        more = ", …" if len(x) > limit else ""
        return f"a Series of {len(x)} value(s) {{{', '.join(items)}{more}}}"
    if isinstance(x, (list, tuple, set, frozenset, pd.Index, np.ndarray)):
        seq = sorted(x, key=str) if isinstance(x, (set, frozenset)) else list(x)
        kind = {list: "list", tuple: "tuple", set: "set", frozenset: "set"}.get(type(x), type(x).__name__)
        items = ", ".join(_fmt_scalar(v) for v in seq[:limit])
        more = ", …" if len(seq) > limit else ""
        return f"a {kind} of {len(seq)} item(s) [{items}{more}]"
    if callable(x):
        return f"a function ({getattr(x, '__name__', type(x).__name__)})"
    return f"{type(x).__name__} {_short(repr(x), 60)}"


# --------------------------------------------------------------------------- check
def check(
    question: str,
    *,
    exercise: str | None = None,
    strict: bool = False,
    namespace: Mapping[str, Any] | None = None,
) -> CheckResult:
    """Run the public self-check of ``question`` (e.g. ``"q3"``) on the student's answers.

    ``namespace`` defaults to the globals of the caller (the notebook).  With
    ``strict=True`` a failed check raises ``AssertionError`` carrying the
    verdict; otherwise the verdict is returned (Jupyter displays it).
    Raises :class:`UnknownQuestionError` for an id the exercise does not have.
    """
    name = _resolve(exercise)
    registry = _load(name)
    qid = str(question).strip()
    if qid not in registry:
        raise UnknownQuestionError(
            f"no question {question!r} in exercise {name!r}; valid ids: {', '.join(registry)}"
        )
    q = registry[qid]
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    result = _run(q, Answers(namespace))
    if strict and not result.passed:
        raise AssertionError(result.text)
    return result


def _run(q: Question, answers: Answers) -> CheckResult:
    label = f"{q.qid} {q.title}"
    try:
        # Warnings raised by the student's code would print to stderr, which nbgrader scores as a failed
        # test cell; the verdict is what matters here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for needed in q.needs:
                answers[needed]
            remark = q.run(answers)
    except Fail as f:
        lines = [f"{label}: not yet."]
        if f.checked:
            lines.append(f"Checked: {f.checked}")
        lines += [f"Expected: {f.expected}", f"You gave: {f.given}"]
        if f.hint:
            lines.append(f"Hint: {f.hint}")
        return CheckResult(q.qid, q.exercise, q.title, False, lines, f.checked, f.expected, f.given, f.hint)
    except Exception as exc:  # an answer so unexpected that the check itself tripped over it
        expected = "an answer of the kind the question asks for"
        given = f"something the check could not work with ({type(exc).__name__}: {_short(str(exc), 160)})"
        hint = ("re-read the question for the type of answer it asks for (a number, a Series, a list, "
                "a function) and look at your answer in a new cell")
        lines = [f"{label}: not yet.", f"Expected: {expected}", f"You gave: {given}", f"Hint: {hint}"]
        return CheckResult(q.qid, q.exercise, q.title, False, lines, "", expected, given, hint)
    lines = [f"{label}: passed the self-check."]
    if remark:
        lines.append(remark)
    if q.note:
        lines.append(q.note)
    return CheckResult(q.qid, q.exercise, q.title, True, lines)
