"""A student's answer in the form scoring needs, read leniently; and the answer written back as a line of Python.

What a student may write for each kind (the form the answer cell and the
widgets use):

=============  ====================================  ==================================
kind           answer                                 also understood
=============  ====================================  ==================================
choice         ``"b"`` (an option id)                 the option's text; ``"B"``; ``2`` for id "2"
multi          ``["a", "c"]``                         ``"a, c"``; a set or tuple
categorise     ``{"s1": "basic", "s2": "premium"}``   ``{"basic": ["s1"], ...}``; a pandas Series
order          ``["s3", "s1", "s2"]``                 ``"s3, s1, s2"``
numeric        ``0.62``                               ``"0.62"``, ``"62%"``, ``"0,62"``, ``"1,000"``, full-width digits
text           ``"a few words"``                      any string
=============  ====================================  ==================================

:func:`normalise` never raises on a student's answer: what it cannot read
becomes a *problem* (a short sentence) and scores as wrong.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from .model import Item
from .words import say

__all__ = ["normalise", "form_problems", "normalise_text", "parse_number", "python_literal", "answer_line",
           "is_blank", "answer_form", "require_form"]

_SPLIT = re.compile(r"[\s,;，、；]+")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def normalise_text(text: str) -> str:
    """Text as rubric matching compares it: full-width folded (NFKC), case folded, punctuation and symbols
    turned into spaces, runs of spaces collapsed.  ``"ＡＢＣ，Price!"`` -> ``"abc price"``."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text)
    return " ".join(text.split())


def is_blank(answer: Any) -> bool:
    """No answer yet: None, ``...``, an empty string, list or mapping."""
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, str):
        return not answer.strip()
    if isinstance(answer, (list, tuple, set, frozenset, dict)):
        return len(answer) == 0
    return False


def parse_number(value: Any) -> float | None:
    """A number from a number or a numeric text (``"62%"`` -> 0.62, ``"1,000"`` -> 1000, ``"0,62"`` -> 0.62);
    None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if not isinstance(value, str):
        try:
            out = float(value)  # int, float, numpy and Decimal numbers
        except (TypeError, ValueError):
            return None
        return out if math.isfinite(out) else None
    text = unicodedata.normalize("NFKC", value).strip().replace(" ", "").replace("_", "")
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], 0.01
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        out = float(text) * scale
    except ValueError:
        return None
    return out if math.isfinite(out) else None


def _lookup(item_ids: dict[str, str], texts: dict[str, str], value: Any) -> str | None:
    """The id a student meant: the id itself, its case-folded form, or the option's text."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    key = str(value).strip()
    if key in item_ids.values():
        return key
    folded = normalise_text(key)
    return item_ids.get(folded) or texts.get(folded)


def _index(pairs: list[tuple[str, Any]]) -> tuple[dict[str, str], dict[str, str]]:
    """(folded id -> id, folded en/zh text -> id) for options, buckets, entries or steps."""
    ids = {normalise_text(i): i for i, _ in pairs}
    texts: dict[str, str] = {}
    for i, text in pairs:
        for t in (text.en, text.zh):
            if t:
                texts.setdefault(normalise_text(t), i)
    return ids, texts


def _as_list(answer: Any) -> list[Any]:
    if isinstance(answer, str):
        return [p for p in _SPLIT.split(answer.strip()) if p]
    if isinstance(answer, Mapping):
        return list(answer)
    if hasattr(answer, "tolist"):  # numpy array, pandas Series/Index
        answer = answer.tolist()
    if isinstance(answer, (list, tuple, set, frozenset)):
        return list(answer)
    return [answer]


def _ids_in(answer: Any, pairs: list[tuple[str, Any]], what: str, lang: str) -> tuple[list[str], list[str]]:
    ids, texts = _index(pairs)
    values = _as_list(answer)
    if isinstance(answer, str) and _lookup(ids, texts, answer):  # one id or text that contains a comma/space
        values = [answer]
    found, unknown = [], []
    for v in values:
        ident = _lookup(ids, texts, v)
        (found if ident else unknown).append(ident or str(v))
    problems = []
    if unknown:
        problems.append(say("unknown_ids", lang, what=what, ids=", ".join(map(repr, unknown)),
                            valid=", ".join(i for i, _ in pairs)))
    return found, problems


def _categorise(item: Item, answer: Any, lang: str) -> tuple[dict[str, str], list[str]]:
    if hasattr(answer, "to_dict") and not isinstance(answer, Mapping):
        answer = answer.to_dict()
    if not isinstance(answer, Mapping):
        return {}, [say("unknown_ids", lang, what="answer form", ids=type(answer).__name__,
                        valid='{"entry id": "bucket id", ...}')]
    e_ids, e_texts = _index([(e.id, e.text) for e in item.entries])
    b_ids, b_texts = _index([(b.id, b.text) for b in item.buckets])
    pairs: list[tuple[Any, Any]] = list(answer.items())
    # the other way round: {"basic": ["s1", "s2"], ...}
    if pairs and all(_lookup(b_ids, b_texts, k) and isinstance(v, (list, tuple, set)) for k, v in pairs):
        pairs = [(e, k) for k, v in pairs for e in v]
    out: dict[str, str] = {}
    bad_entries, bad_buckets, repeated = [], [], []
    for entry, bucket in pairs:
        e = _lookup(e_ids, e_texts, entry)
        b = _lookup(b_ids, b_texts, bucket)
        if e is None:
            bad_entries.append(repr(entry))
        elif is_blank(bucket):
            continue
        elif b is None:
            bad_buckets.append(repr(bucket))
        elif e in out and out[e] != b:
            repeated.append(e)
        else:
            out[e] = b
    problems = []
    if bad_entries:
        problems.append(say("unknown_ids", lang, what="entries", ids=", ".join(bad_entries),
                            valid=", ".join(e.id for e in item.entries)))
    if bad_buckets:
        problems.append(say("unknown_ids", lang, what="buckets", ids=", ".join(bad_buckets),
                            valid=", ".join(b.id for b in item.buckets)))
    if repeated:
        problems.append(say("repeated", lang, ids=", ".join(repeated)))
    return {e.id: out[e.id] for e in item.entries if e.id in out}, problems


def normalise(item: Item, answer: Any, lang: str = "en") -> tuple[Any, list[str]]:
    """``(value, problems)``: the answer in its canonical form (see the module docstring) and what could not be read.

    The value is None when nothing usable was given.  Never raises on the answer.
    """
    if is_blank(answer):
        return None, []
    kind = item.kind
    if kind == "choice":
        found, problems = _ids_in(answer, [(o.id, o.text) for o in item.options], "option", lang)
        if len(set(found)) > 1:
            return None, problems + [say("repeated", lang, ids=", ".join(found)) + " (one option only)"]
        return (found[0] if found else None), problems
    if kind == "multi":
        found, problems = _ids_in(answer, [(o.id, o.text) for o in item.options], "options", lang)
        chosen = set(found)
        return [o.id for o in item.options if o.id in chosen], problems
    if kind == "categorise":
        value, problems = _categorise(item, answer, lang)
        return (value or None), problems
    if kind == "order":
        found, problems = _ids_in(answer, [(s.id, s.text) for s in item.steps], "steps", lang)
        twice = sorted({s for s in found if found.count(s) > 1})
        if twice:
            problems.append(say("repeated", lang, ids=", ".join(twice)))
        seen: list[str] = []
        for s in found:
            if s not in seen:
                seen.append(s)
        return (seen or None), problems
    if kind == "numeric":
        number = parse_number(answer)
        if number is None:
            return None, [say("not_a_number", lang, given=answer if isinstance(answer, str) else str(answer))]
        return number, []
    if kind == "text":
        if not isinstance(answer, str):
            answer = str(answer)
        return answer.strip(), []
    raise ValueError(f"unknown item kind {kind!r}")


def form_problems(item: Item, answer: Any, lang: str = "en") -> list[str]:
    """What keeps ``answer`` from being a complete answer to ``item``, without saying whether it is right.

    For an exercise's public check: unknown ids, entries not placed, steps missing or repeated, not a number.
    An empty list means the form is fine.
    """
    value, problems = normalise(item, answer, lang)
    if value is None and not problems:
        return [say("no_answer", lang)]
    if item.kind == "categorise" and value is not None:
        missing = [e.id for e in item.entries if e.id not in value]
        if missing:
            problems.append(say("unplaced", lang, n=len(missing), ids=", ".join(missing)))
    if item.kind == "order" and value is not None:
        missing = [s.id for s in item.steps if s.id not in value]
        if missing:
            problems.append(say("missing_steps", lang, ids=", ".join(missing)))
    return problems


# --------------------------------------------------------------------------- the answer as Python source
def python_literal(value: Any) -> str:
    """``value`` as Python source a student can paste: strings in double quotes, ints without ``.0``."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{python_literal(k)}: {python_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(python_literal(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as an answer")


def answer_line(variable: str, item: Item, answer: Any) -> str:
    """The line for the answer cell, e.g. ``q3 = "b"``; the answer in its canonical form (unreadable parts dropped)."""
    if not variable.isidentifier():
        raise ValueError(f"variable must be a Python name such as q3, got {variable!r}")
    value, _ = normalise(item, answer)
    if value is None:
        value = {"categorise": {}, "multi": [], "order": []}.get(item.kind, ...)
        return f"{variable} = ..." if value is ... else f"{variable} = {python_literal(value)}"
    return f"{variable} = {python_literal(value)}"


# --------------------------------------------------------------------------- for an exercise's public check
def answer_form(item: Item, variable: str = "answer") -> str:
    """What a complete answer to ``item`` looks like, in words and an example, without the key.

    ``q3 = {"s1": "<bucket>", ...}: one bucket for each of s1, s2, s3 (buckets: basic, moving)``.
    """
    if item.kind == "choice":
        return f'{variable} = "<one of {", ".join(o.id for o in item.options)}>"'
    if item.kind == "multi":
        return f'{variable} = [...]: a list of the option ids you pick, from {", ".join(o.id for o in item.options)}'
    if item.kind == "categorise":
        first = item.entries[0].id
        return (f'{variable} = {{"{first}": "<bucket>", ...}}: one bucket for each of '
                f'{", ".join(e.id for e in item.entries)} (buckets: {", ".join(b.id for b in item.buckets)})')
    if item.kind == "order":
        return f'{variable} = [...]: every step once, first to last: {", ".join(s.id for s in item.steps)}'
    if item.kind == "numeric":
        return f"{variable} = <a number>" + (f" (in {item.unit})" if item.unit else "")
    return f'{variable} = "<your answer in a few words>"'


def require_form(item: Item, answer: Any, variable: str = "answer") -> None:
    """For an exercise's public check (``checks.py``): raise :class:`~salescoach.selfcheck.Fail` when ``answer``
    is not a complete answer of the right form (unknown ids, entries not placed, steps missing, not a number).

    It never says whether the answer is right: the key stays in the hidden tests.
    """
    problems = form_problems(item, answer)
    if not problems:
        return
    from ..selfcheck import Fail, describe

    raise Fail(
        checked=f"the form of `{variable}`",
        expected=answer_form(item, variable),
        given=f"{describe(answer)}: " + "; ".join(problems),
        hint=f"fix the line `{variable} = ...` in the answer cell; the answer box above it writes the line for you",
    )
