"""``score(item, answer) -> Verdict``: right or not, a score in [0, 1], and why, for every kind of item.

Partial scores (kit assumption; the sources give no rule):

* ``multi``: share of the right options picked minus share of the wrong options picked, at least 0.
  Picking every option therefore scores 0, like picking none.
* ``categorise``: share of entries in their right bucket.
* ``order``: share of pairs of steps in the right relative order (Kendall's concordance): one step
  moved one place costs little, a ladder upside down scores 0. A missing step counts as out of order.
* ``text``: share of rubric points made (a point is made when any of its keywords appears); right
  when at least ``pass_mark`` points (default: all) are made.
* ``choice`` and ``numeric``: 1 or 0.
* An answer with parts that cannot be read (an option that does not exist, a step given twice) is never
  full marks: it scores at most what one wrong part leaves (one wrong option picked, one entry misplaced,
  one pair of steps out of order; 0 for ``choice`` and ``numeric``).

``score`` is pure: it never changes the item, never raises on a student's answer (what it cannot read
scores 0 and says why) and gives the same verdict for the same input.
"""
from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from .answers import normalise, normalise_text, parse_number
from .model import Item, Text
from .words import check_lang, say

__all__ = ["Mark", "Verdict", "score", "with_key", "keyword_in", "format_number"]

_TOLERANCE_EPS = 1e-9
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True)
class Mark:
    """One line of the feedback: an option/entry/step/rubric point, how it went, and why.

    ``status``: ``right`` (picked or placed right), ``wrong`` (picked or placed wrong), ``missed`` (right
    but not picked/placed), ``neutral`` (rightly left out; or information such as the right answer).
    """

    label: str
    status: str
    note: str = ""
    why: str = ""


@dataclass(frozen=True)
class Verdict:
    """The verdict on one answer.  ``correct``, ``score`` in [0, 1], ``feedback`` (plain-text lines).

    ``marks`` holds the same feedback per option/entry/step for display; ``problems`` what in the answer
    could not be read.  Shown in Jupyter like a self-check result (green, amber or red bar).
    """

    correct: bool
    score: float
    feedback: list[str] = field(default_factory=list)
    item: str = ""
    kind: str = ""
    headline: str = ""
    marks: tuple[Mark, ...] = ()
    notes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    answer: Any = None

    def __bool__(self) -> bool:
        return self.correct

    @property
    def text(self) -> str:
        return "\n".join(self.feedback)

    def __str__(self) -> str:
        return self.text

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(self.text)

    def _repr_html_(self) -> str:
        return verdict_html(self)


# --------------------------------------------------------------------------- display (HTML like CheckResult)
_COLOURS = {"right": "#2e7d32", "wrong": "#c62828", "missed": "#c62828", "neutral": "#555555"}
_SIGNS = {"right": "&#10004;", "wrong": "&#10008;", "missed": "&#9675;", "neutral": "&#8226;"}


def verdict_html(v: Verdict) -> str:
    """The verdict as HTML in the look of a self-check's :class:`~salescoach.selfcheck.CheckResult`."""
    colour = "#2e7d32" if v.correct else ("#e08a1e" if v.score > 0 else "#c62828")
    mark = "&#10004;" if v.correct else ("&#9680;" if v.score > 0 else "&#10008;")
    rows = []
    for p in v.problems:
        rows.append(f"<div style='margin-top:0.25em;color:#c62828'>{html.escape(p)}</div>")
    for m in v.marks:
        why = f"<div style='margin-left:1.4em;color:#444'>{_br(m.why)}</div>" if m.why else ""
        note = f" <span style='color:{_COLOURS[m.status]}'>({html.escape(m.note)})</span>" if m.note else ""
        rows.append(
            f"<div class='sc-quiz-mark sc-quiz-{m.status}' style='margin-top:0.3em'>"
            f"<span style='color:{_COLOURS[m.status]}'>{_SIGNS[m.status]}</span> "
            f"{html.escape(m.label)}{note}{why}</div>"
        )
    for n in v.notes:
        rows.append(f"<div style='margin-top:0.4em'>{_bold_label(n)}</div>")
    return (
        f"<div class='sc-quiz-verdict' data-correct='{str(v.correct).lower()}' data-score='{v.score:.3f}' "
        f"style='border-left:4px solid {colour};padding:0.4em 0.8em;margin:0.3em 0;"
        f"font-family:sans-serif;line-height:1.4'>"
        f"<div style='color:{colour};font-weight:bold'>{mark} {html.escape(v.headline)}</div>{''.join(rows)}</div>"
    )


def _bold_label(line: str) -> str:
    for colon in (": ", "："):
        head, sep, rest = line.partition(colon)
        if sep and len(head) <= 40:
            return f"<b>{html.escape(head)}{colon.strip()}</b> {_br(rest)}"
    return _br(line)


def _br(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


# --------------------------------------------------------------------------- helpers
def format_number(x: float) -> str:
    """``0.62`` -> ``"0.62"``, ``1000.0`` -> ``"1,000"``, ``1e-05`` -> ``"1e-05"``."""
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:.6g}"


def keyword_in(keyword: str, normalised_answer: str) -> bool:
    """Whether ``keyword`` occurs in an answer already passed through :func:`normalise_text`.

    Chinese (CJK) keywords match anywhere, spaces ignored.  Other keywords match at the start of a word,
    so ``pric`` matches "price", "prices" and "pricing" but ``cost`` does not match "accost".
    """
    kw = normalise_text(keyword)
    if not kw:
        return False
    if _CJK.search(kw):
        return kw.replace(" ", "") in normalised_answer.replace(" ", "")
    pattern = r"(?<![0-9a-z])" + r"\s*".join(re.escape(part) for part in kw.split(" "))
    return re.search(pattern, normalised_answer) is not None


def _t(text: Text, lang: str, sep: str = " ") -> str:
    return text.get(lang, sep)


def _headline(item: Item, correct: bool, value: float, lang: str, detail: str = "") -> str:
    word = say("right", lang) if correct else say("partly" if value > 0 else "not_yet", lang)
    parts = [word]
    if not correct and item.kind in ("multi", "categorise", "order", "text"):
        parts.append(say("score", lang, score=value))
    if detail:
        parts.append(detail)
    return " · ".join(parts)


def _verdict(item: Item, correct: bool, value: float, lang: str, marks: list[Mark], notes: list[str],
             problems: list[str], answer: Any, detail: str = "") -> Verdict:
    value = min(1.0, max(0.0, float(value)))
    headline = _headline(item, correct, value, lang, detail)
    lines = [f"{item.id}: {headline}"] + list(problems)
    for m in marks:
        lines.append(f"- {m.label}" + (f" ({m.note})" if m.note else "") + (f": {m.why}" if m.why else ""))
    lines += notes
    return Verdict(correct, value, lines, item.id, item.kind, headline, tuple(marks), tuple(notes),
                   tuple(problems), answer)


def _labelled(key: str, text: Text, lang: str) -> str:
    """``"Why: ..."`` / ``"原因：..."``; in both languages ``"Why / 原因: English\nChinese"``."""
    label = say(key, lang)
    return f"{label}{'：' if lang == 'zh' else ': '}{_t(text, lang, chr(10))}"


def _why_note(item: Item, lang: str) -> list[str]:
    return [_labelled("why", item.why, lang)] if item.why else []


# --------------------------------------------------------------------------- per kind
def _choice(item: Item, chosen: str | None, lang: str) -> tuple[bool, float, list[Mark], list[str]]:
    marks = []
    for o in item.options:
        if o.id == chosen:
            status, note = ("right", say("your_choice", lang)) if o.correct else ("wrong", say("your_choice", lang))
        else:
            status, note = ("missed", say("right_answer", lang)) if o.correct else ("neutral", "")
        marks.append(Mark(_t(o.text, lang), status, note, _t(o.why, lang, "\n")))
    ok = chosen is not None and item.option(chosen).correct
    return ok, float(ok), marks, []


def _multi(item: Item, chosen: Sequence[str] | None, lang: str) -> tuple[bool, float, list[Mark], list[str]]:
    picked = set(chosen or ())
    marks = []
    for o in item.options:
        if o.id in picked:
            status, note = ("right", say("picked_right", lang)) if o.correct else ("wrong", say("picked_wrong", lang))
        else:
            status, note = ("missed", say("missed", lang)) if o.correct else ("neutral", say("left_out", lang))
        marks.append(Mark(_t(o.text, lang), status, note, _t(o.why, lang, "\n")))
    right = {o.id for o in item.options if o.correct}
    hits, wrong = len(picked & right), len(picked - right)
    n_wrong = len(item.options) - len(right)
    value = max(0.0, hits / len(right) - (wrong / n_wrong if n_wrong else 0.0))
    detail = say("multi_count", lang, hits=hits, total=len(right), wrong=wrong)
    return picked == right, value, marks, [detail]


def _categorise(item: Item, placed: dict[str, str] | None, lang: str) -> tuple[bool, float, list[Mark], list[str]]:
    placed = placed or {}
    buckets = {b.id: b for b in item.buckets}
    marks, right = [], 0
    for e in item.entries:
        key = buckets[e.bucket].text if e.bucket in buckets else Text(str(e.bucket))
        given = placed.get(e.id)
        if given == e.bucket:
            right += 1
            status, note = "right", say("placed_right", lang, bucket=key)
        elif given is None:
            status, note = "missed", say("not_placed", lang, bucket=key)
        else:
            status, note = "wrong", say("placed_wrong", lang, given=buckets[given].text, bucket=key)
        marks.append(Mark(_t(e.text, lang), status, note, _t(e.why, lang, "\n")))
    total = len(item.entries)
    return right == total, right / total, marks, [say("placed_count", lang, right=right, total=total)]


def _order(item: Item, given: Sequence[str] | None, lang: str) -> tuple[bool, float, list[Mark], list[str]]:
    given = list(given or [])
    key = [s.id for s in item.steps]
    pos = {s: i for i, s in enumerate(given)}
    pairs = list(combinations(key, 2))
    good = sum(1 for a, b in pairs if a in pos and b in pos and pos[a] < pos[b])
    marks = []
    steps = {s.id: s for s in item.steps}
    for want, step_id in enumerate(key, start=1):
        s = steps[step_id]
        if step_id not in pos:
            status, note = "missed", say("step_missing", lang, pos=want)
        elif pos[step_id] + 1 == want:
            status, note = "right", say("step_right", lang, pos=want)
        else:
            status, note = "wrong", say("step_wrong", lang, given=pos[step_id] + 1, pos=want)
        marks.append(Mark(_t(s.text, lang), status, note, _t(s.why, lang, "\n")))
    return given == key, good / len(pairs), marks, [say("pairs", lang, right=good, total=len(pairs))]


def _numeric(item: Item, given: float | None, lang: str) -> tuple[bool, float, list[Mark], list[str]]:
    assert item.answer is not None
    unit = f" {item.unit}" if item.unit else ""
    answer = format_number(item.answer) + unit
    tol = f" (± {format_number(item.tolerance)})" if item.tolerance else ""
    notes = [say("numeric_answer", lang, answer=answer + tol)]
    if given is None:
        return False, 0.0, [], notes
    ok = _close(given, item.answer, item.tolerance)
    if not ok:
        notes.insert(0, say("numeric_off", lang, given=format_number(given) + unit))
        if _close(given / 100, item.answer, item.tolerance) and abs(item.answer) < 1.5:
            notes.append(say("numeric_pct", lang, given=format_number(given), fraction=format_number(given / 100)))
        elif _close(given * 100, item.answer, item.tolerance) and abs(given) < 1.5:
            notes.append(say("numeric_frac", lang, given=format_number(given), pct=format_number(given * 100)))
    elif item.tolerance:
        notes.append(say("numeric_close", lang, tolerance=format_number(item.tolerance)))
    return ok, float(ok), [], notes


def _close(given: float, answer: float, tolerance: float) -> bool:
    return abs(given - answer) <= tolerance + _TOLERANCE_EPS * max(1.0, abs(answer))


def _text(item: Item, given: str | None, lang: str) -> tuple[bool, float, list[Mark], list[str]]:
    norm = normalise_text(given or "")
    marks, made = [], 0
    for point in item.rubric:
        hit = bool(norm) and any(keyword_in(k, norm) for k in point.keywords)
        made += hit
        marks.append(Mark(_t(point.text, lang), "right" if hit else "missed", say("made" if hit else "not_made", lang)))
    total = len(item.rubric)
    need = item.pass_mark or total
    notes = [say("rubric_count", lang, made=made, total=total)]
    if item.model_answer:
        notes.append(_labelled("model_answer", item.model_answer, lang))
    return made >= need, made / total, marks, notes


_KINDS = {"choice": _choice, "multi": _multi, "categorise": _categorise, "order": _order, "numeric": _numeric,
          "text": _text}


# --------------------------------------------------------------------------- public
def with_key(item: Item, key: Any) -> Item:
    """A copy of ``item`` whose key is ``key`` (written like an answer: ``"b"``, ``{"s1": "basic"}``, ``0.62`` ...).

    For graded exercise items whose key is hidden (``key: hidden`` in the bank): the hidden test cell
    holds the key and calls ``score(item, q3, key="b")``.  ``whys`` stay as the bank gives them (none
    for a hidden item).
    """
    value, problems = normalise(item, key)
    if problems or value is None:
        raise ValueError(f"key {key!r} does not fit item {item.id!r} ({item.kind}): "
                         + ("; ".join(problems) or "it is empty"))
    if item.kind == "choice":
        return dataclasses.replace(item, key_hidden=False, options=tuple(
            dataclasses.replace(o, correct=o.id == value) for o in item.options))
    if item.kind == "multi":
        return dataclasses.replace(item, key_hidden=False, options=tuple(
            dataclasses.replace(o, correct=o.id in value) for o in item.options))
    if item.kind == "categorise":
        missing = [e.id for e in item.entries if e.id not in value]
        if missing:
            raise ValueError(f"key for item {item.id!r} does not place {', '.join(missing)}")
        return dataclasses.replace(item, key_hidden=False, entries=tuple(
            dataclasses.replace(e, bucket=value[e.id]) for e in item.entries))
    if item.kind == "order":
        steps = {s.id: s for s in item.steps}
        if set(value) != set(steps):
            raise ValueError(f"key for item {item.id!r} must list every step once: {', '.join(steps)}")
        return dataclasses.replace(item, key_hidden=False, steps=tuple(steps[s] for s in value))
    if item.kind == "numeric":
        return dataclasses.replace(item, key_hidden=False, answer=float(value))
    raise ValueError(f"item {item.id!r} is a {item.kind} item: give its rubric in the bank, not a key")


def score(item: Item, answer: Any, *, key: Any = None, lang: str = "en") -> Verdict:
    """The verdict on ``answer`` to ``item``: ``correct``, ``score`` in [0, 1] and ``feedback`` lines.

    ``key`` replaces the item's key (see :func:`with_key`); an item with a hidden key needs it.  ``lang``:
    ``"en"``, ``"zh"`` or ``"both"`` for the feedback.  Partial scores: see the module docstring.
    """
    check_lang(lang)
    if key is not None:
        item = with_key(item, key)
    if item.key_hidden:
        raise ValueError(f"item {item.id!r} ({item.where}) has a hidden key (key: hidden): score it in the hidden "
                         f"tests with score(item, answer, key=...), or show it with answer_box()")
    value, problems = normalise(item, answer, lang)
    correct, points, marks, notes = _KINDS[item.kind](item, value, lang)
    if value is None and not problems:
        hint = [_labelled("hint", item.hint, lang)] if item.hint else []
        return Verdict(False, 0.0, [f"{item.id}: {say('no_answer', lang)}", *hint], item.id, item.kind,
                       say("no_answer", lang), notes=tuple(hint))
    correct = correct and not problems
    if problems:
        points = min(points, 1.0 - _one_wrong_part(item))
    hint = [_labelled("hint", item.hint, lang)] if item.hint and not correct else []
    return _verdict(item, correct, points, lang, marks, notes + _why_note(item, lang) + hint, problems, value)


def _one_wrong_part(item: Item) -> float:
    """What one wrong part of an answer costs (see the module docstring); 1.0 for an all-or-nothing item."""
    if item.kind == "multi":
        right = sum(o.correct for o in item.options)
        return 1.0 / ((len(item.options) - right) or right)
    if item.kind == "categorise":
        return 1.0 / len(item.entries)
    if item.kind == "order":
        return 1.0 / max(1, len(item.steps) * (len(item.steps) - 1) // 2)
    return 1.0


def numeric_value(answer: Any) -> float | None:
    """The number in a numeric answer (see :func:`~salescoach.quiz.answers.parse_number`)."""
    return parse_number(answer)
