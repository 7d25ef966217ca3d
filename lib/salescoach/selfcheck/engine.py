"""Instant self-checks for students: ``check("q3")`` in an exercise notebook.

How it works
------------
Each graded exercise has a ``checks`` module in its subject package (for
example ``salescoach.customer_grading.checks`` for the assignment
``m3_customer_grading``) that sets ``EXERCISE`` to the assignment id and
registers one *public* check per question with :func:`register`.  A student runs::

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
import os
import re
import sys
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .describe import _short, describe

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
    "load_checks",
    "checks_module",
    "precompute",
    "grading_run",
    "CheckFailed",
]

#: an assignment id's module prefix ("m3_", "m3b_"): what is left names the subject package
_MODULE_PREFIX = re.compile(r"^m\d+[a-z]?_")


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
_MODULES: dict[str, str] = {}  # assignment id -> its checks module
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


def _subject_packages() -> list[str]:
    """Names of the library's subject packages that have a ``checks`` module (found on disk, nothing imported)."""
    base = Path(__file__).resolve().parents[1]
    return sorted(p.parent.name for p in base.glob("*/checks.py") if not p.parent.name.startswith("_"))


def _import_checks(package: str) -> str | None:
    """Import ``salescoach.<package>.checks``; the assignment id it declares (``EXERCISE``), or None."""
    module = importlib.import_module(f"salescoach.{package}.checks")
    exercise = getattr(module, "EXERCISE", None)
    if isinstance(exercise, str):
        _MODULES[exercise] = module.__name__
        return exercise
    return None


def checks_module(exercise: str) -> str:
    """The dotted name of the module holding the checks of assignment ``exercise`` (imported on the way).

    A subject's checks module is found by the assignment's name first
    (``m3_customer_grading`` -> ``salescoach.customer_grading.checks``), then by
    asking every subject package with a ``checks`` module which assignment it
    checks.  Raises :class:`UnknownExerciseError` when none does.
    """
    if exercise in _MODULES:
        return _MODULES[exercise]
    packages = _subject_packages()
    guess = _MODULE_PREFIX.sub("", exercise)
    ordered = ([guess] if guess in packages else []) + [p for p in packages if p != guess]
    for package in ordered:
        if _import_checks(package) == exercise:
            return _MODULES[exercise]
    raise UnknownExerciseError(
        f"no self-checks for exercise {exercise!r}; exercises with self-checks: "
        f"{', '.join(available_exercises()) or '(none)'}"
    )


def available_exercises() -> list[str]:
    """Assignment ids that have self-checks (imports every subject's ``checks`` module)."""
    for package in _subject_packages():
        _import_checks(package)
    return sorted(set(_MODULES) | set(_REGISTRY))


def load_checks(exercise: str) -> Mapping[str, Question]:
    """The registered questions of ``exercise`` in order, read-only (imports its checks module if needed)."""
    return MappingProxyType(_load(exercise))


def _load(exercise: str) -> dict[str, Question]:
    if exercise not in _REGISTRY:
        checks_module(exercise)
    return _REGISTRY.get(exercise, {})


def precompute(exercise: str) -> None:
    """Load the checks of ``exercise`` and let its module compute its reference answers now.

    The grader calls this once in each worker, before forking a process per
    submission, so every submission finds them ready.  A checks module opts in
    by defining ``precompute()``.
    """
    _load(exercise)
    hook = getattr(importlib.import_module(checks_module(exercise)), "precompute", None)
    if callable(hook):
        hook()


def protected_state() -> list[dict]:
    """The engine's own tables (registry, module index) that the grader guards against a student's cell."""
    return [_REGISTRY, _MODULES, *_REGISTRY.values()]


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
        """The verdict as plain text: code names without their markdown backticks (``abc``, not ```abc```)."""
        return "\n".join(self.messages).replace("`", "")

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
            f"<div style='color:{colour};font-weight:bold'>{mark} {_code(head)}</div>{rows}</div>"
        )


def _html_line(line: str) -> str:
    for label in ("Checked:", "Expected:", "You gave:", "Hint:"):
        if line.startswith(label):
            return f"<b>{label}</b>{_code(line[len(label):])}"
    return _code(line)


def _code(text: str) -> str:
    """Escaped HTML in which `name` (markdown's inline code) shows as code, not as literal backticks."""
    parts = html.escape(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: show it as it is
        return html.escape(text)
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


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


# --------------------------------------------------------------------------- check
def check(
    question: str,
    *,
    exercise: str | None = None,
    strict: bool = False,
    graded: bool = False,
    namespace: Mapping[str, Any] | None = None,
) -> CheckResult:
    """Run the public self-check of ``question`` (e.g. ``"q3"``) on the student's answers.

    ``namespace`` defaults to the globals of the caller (the notebook).  With
    ``strict=True`` a failed check raises ``AssertionError`` carrying the
    verdict; otherwise the verdict is returned (Jupyter displays it).

    ``graded=True`` is for an exercise's graded test cells: the failed verdict
    raises ``AssertionError`` (so the cell scores 0) only while nbgrader or the
    kit's grader runs the notebook (``NBGRADER_EXECUTION`` is set: autograde,
    validate); in the student's own Run All it is shown like any self-check and
    the run goes on.  Raises :class:`UnknownQuestionError` for an id the
    exercise does not have.
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
    if not result.passed and (strict or (graded and grading_run())):
        raise CheckFailed(result.text)
    return result


class CheckFailed(AssertionError):
    """A failed self-check in a graded cell: an ``AssertionError`` whose traceback is the verdict alone.

    IPython (Jupyter, nbgrader's Validate and autograde, the kit's grader) shows what
    ``_render_traceback_`` returns instead of a stack trace, so the student sees the verdict in plain words,
    not frames of the kit's install paths.
    """

    def _render_traceback_(self) -> list[str]:
        return ["AssertionError: " + str(self)]


# the error's name in notebook outputs (``ename``), which nbgrader and the feedback pages show
CheckFailed.__name__ = CheckFailed.__qualname__ = "AssertionError"


def grading_run() -> bool:
    """True while nbgrader (autograde, validate) or the kit's grader runs the notebook."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


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
