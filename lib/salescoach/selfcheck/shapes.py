"""Answer-shape checks shared by every subject's self-checks.

Each helper takes what a student gave, the name it was given under and what
a right answer looks like, and either returns the value in a usable form or
raises :class:`~salescoach.selfcheck.engine.Fail` with a hint for the shape
that was given instead: a percentage instead of a fraction, a one-element
Series instead of a number, a True/False mask instead of a list of ids, a
table instead of one column, a list without labels...
"""
from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .describe import describe, is_mask
from .engine import Fail

__all__ = ["number", "whole_number", "fraction", "series", "per_item", "id_list", "label", "close", "TOL"]

TOL = 1e-6


def close(a: float, b: float, tol: float = TOL) -> bool:
    """Equal up to float noise (relative 1e-9, absolute ``tol``)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=tol)


def number(x: Any, name: str, expected: str) -> float:
    """One finite number (an int or float, numpy's included); a mask, a Series, a list or NaN is a Fail."""
    if isinstance(x, (bool, np.bool_)):
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x),
                   hint="a True/False is not a number: compute the number itself")
    if isinstance(x, (int, float, np.integer, np.floating)):
        value = float(x)
        if math.isnan(value):
            raise Fail(checked=f"`{name}`", expected=expected, given="NaN (not a number)",
                       hint="NaN usually comes from dividing 0 by 0 or from a missing value: look at the total")
        if math.isinf(value):
            raise Fail(checked=f"`{name}`", expected=expected, given=describe(x),
                       hint="an infinite value comes from dividing by 0: look at the denominator")
        return value
    hint = "give a single number"
    if is_mask(x):
        hint = "that is a True/False mask; count its True values with mask.sum(), or use it to select rows"
    elif isinstance(x, (pd.Series, pd.DataFrame, np.ndarray)) and np.size(x) == 1:
        hint = "you have a one-element Series/array: take the number out with float(...) or .item()"
    elif isinstance(x, (pd.Series, pd.DataFrame, list, tuple, np.ndarray)):
        hint = "you have several values: add them up or divide to get one number"
    elif isinstance(x, str):
        hint = "that is text; write the number without quotes"
    raise Fail(checked=f"`{name}`", expected=expected, given=describe(x), hint=hint)


def whole_number(x: Any, name: str, expected: str) -> int:
    value = number(x, name, expected)
    if value != int(value):
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x), hint="a count is a whole number")
    return int(value)


def fraction(x: Any, name: str, expected: str, reference: float | None = None) -> float:
    """A share between 0 and 1; a percentage (62 for 0.62) gets its own hint."""
    value = number(x, name, expected)
    if value > 1 or value < 0:
        as_pct = reference is not None and close(value / 100, reference, 1e-4)
        hint = ("that looks like a percentage; write the share as a fraction (0.62, not 62)" if as_pct or value > 1
                else "a share is a part divided by the total, so it lies between 0 and 1")
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x), hint=hint)
    return value


def series(x: Any, name: str, expected: str, checked: str = "") -> pd.Series:
    checked = checked or f"`{name}`"
    if isinstance(x, pd.Series):
        return x
    if isinstance(x, pd.DataFrame):
        hint = "you returned a table; return one column of it (a Series), e.g. df['column']"
    elif isinstance(x, (list, tuple, np.ndarray, pd.Index)):
        hint = "keep the labels attached: return a pandas Series, not a plain list or array"
    elif x is None:
        hint = "add a `return` line at the end of the function"
    else:
        hint = "build a pandas Series"
    raise Fail(checked=checked, expected=expected, given=describe(x), hint=hint)


def per_item(x: Any, name: str, ids: pd.Index, what: str, item: str = "customer") -> pd.Series:
    """The student's one-value-per-item Series, re-indexed by ``ids`` (in their order).

    A Series on a plain 0..n-1 index of the right length is taken in file
    order; anything else must carry the ids as its index.
    """
    key = ids.name or "id"
    expected = f"a Series with one {what} per {item} ({len(ids)} rows) indexed by {key}"
    s = series(x, name, expected)
    if len(s) == len(ids) and s.index.is_unique and set(s.index) == set(ids):
        return s.reindex(ids)
    if len(s) == len(ids) and s.index.equals(pd.RangeIndex(len(ids))):
        return pd.Series(s.to_numpy(), index=ids, name=s.name)  # same row order as the dataset
    if len(s) != len(ids):
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(s),
                   hint=f"work on all {len(ids)} {item}s (don't filter rows out)")
    raise Fail(checked=f"`{name}`", expected=expected, given=describe(s),
               hint=f"index it by {key}, e.g. start from a table with .set_index('{key}')")


def id_list(x: Any, name: str, valid: Collection[str], expected: str, example: Sequence[str] = ()) -> list[str]:
    """Ids from a list/tuple/set/Index/array/Series/DataFrame answer; a mask or an unknown id is a Fail."""
    shown = ", ".join(repr(e) for e in list(example)[:2]) or "'ID1', 'ID2'"
    if is_mask(x):
        n_true = int(np.asarray(list(x) if isinstance(x, (list, tuple)) else x, dtype=bool).sum())
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x),
                   hint=f"that is a True/False mask, not the ids: keep the {n_true} ids where it is True, "
                        "e.g. frame.index[mask] or list(ids[mask])")
    if isinstance(x, pd.DataFrame):
        key = next((c for c in x.columns if str(c).endswith("_id")), None)
        x = x[key] if key is not None else x.index
    if isinstance(x, pd.Series):
        values = [str(v) for v in x.tolist()]
        x = x.tolist() if values and all(v in valid for v in values) else list(x.index)
    if isinstance(x, (list, tuple, set, frozenset, pd.Index, np.ndarray)):
        out = [str(v) for v in x]
    else:
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x),
                   hint=f"give the ids as a list, e.g. [{shown}], or an Index such as df.index")
    unknown = [v for v in out if v not in valid]
    if unknown:
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x),
                   hint=f"{unknown[0]!r} is not a known id; ids look like {shown}")
    return out


def label(x: Any, name: str, allowed: Sequence[str], expected: str = "", aliases: dict[str, str] | None = None) -> str:
    """One of ``allowed`` (case and spaces ignored; ``aliases`` such as Chinese terms map to a label)."""
    expected = expected or f"one of {list(allowed)}"
    if not isinstance(x, (str, np.str_)):
        hint = "write the answer as text in quotes, e.g. " + repr(allowed[0]) if allowed else "write text"
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x), hint=hint)
    key = " ".join(str(x).split()).lower()
    table = {a.lower(): a for a in allowed}
    table.update({k.lower(): v for k, v in (aliases or {}).items()})
    if key not in table:
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x),
                   hint=f"use exactly one of {list(allowed)}")
    return table[key]
