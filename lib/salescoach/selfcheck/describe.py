"""Plain-words descriptions of a student's answer, for the "You gave: ..." line of a self-check."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["describe", "is_mask"]


def is_mask(x: Any) -> bool:
    """True for a True/False mask: a boolean Series, array, Index or list of booleans (at least one value)."""
    if isinstance(x, (pd.Series, pd.Index, np.ndarray)):
        return len(x) > 0 and (x.dtype == bool or str(x.dtype) == "boolean")
    if isinstance(x, (list, tuple)):
        return len(x) > 0 and all(isinstance(v, (bool, np.bool_)) for v in x)
    return False


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
    if is_mask(x):
        n_true = int(np.asarray(list(x) if isinstance(x, (list, tuple)) else x, dtype=bool).sum())
        return f"a True/False mask of {len(x)} values ({n_true} True)"
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
