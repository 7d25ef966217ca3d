"""The lifetime-value models' input checks, shared by :mod:`.buying` (BG/NBD) and :mod:`.spending` (Gamma-Gamma, CLV).

Inputs are array-likes or Series; outputs keep a Series' index.  Bad input raises ``ValueError`` naming the
rows and the fix.
"""
from __future__ import annotations

from dataclasses import MISSING, fields

import numpy as np
import pandas as pd


def index_of(*values) -> pd.Index | None:
    """The index of the first Series or DataFrame among ``values`` (None: plain arrays)."""
    for v in values:
        if isinstance(v, (pd.Series, pd.DataFrame)):
            return v.index
    return None


def as_array(values, name: str) -> np.ndarray:
    """``values`` as a float array (text that is not a number becomes NaN); a table is refused, naming the fix."""
    if isinstance(values, pd.DataFrame):
        transpose = " (summary.T is pandas' transpose of the whole table, not the column T)" if name == "T" else ""
        raise ValueError(f"{name}: expected one column (a Series), got a table{transpose}. Fix: pick the column, "
                         f"e.g. summary['{name}']")
    x = np.asarray(pd.to_numeric(pd.Series(np.ravel(np.asarray(values, dtype=object))), errors="coerce"),
                   dtype=float) if np.asarray(values).dtype.kind not in "fiub" else np.asarray(values, dtype=float)
    return np.atleast_1d(x)


def rows_where(mask: np.ndarray, index: pd.Index | None) -> str:
    """The rows where ``mask`` holds, for an error message (their labels when there is an index; ten at most)."""
    pos = np.flatnonzero(mask)
    labels = [index[i] for i in pos[:10]] if index is not None else pos[:10].tolist()
    return ", ".join(str(v) for v in labels) + (f" (+{len(pos) - 10} more)" if len(pos) > 10 else "")


def checked_history(frequency, recency, T) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index | None]:
    """x, t_x, T as float arrays of one length, checked: x whole >= 0, 0 <= t_x <= T, t_x = 0 when x = 0."""
    index = index_of(frequency, recency, T)
    x, tx, t = as_array(frequency, "frequency"), as_array(recency, "recency"), as_array(T, "T")
    x, tx, t = np.broadcast_arrays(x, tx, t)
    if x.size == 0:
        raise ValueError("no customers: frequency, recency and T are empty. Fix: summarise a transaction log "
                         "with rfm_summary() first")
    for arr, name in ((x, "frequency"), (tx, "recency"), (t, "T")):
        bad = ~np.isfinite(arr)
        if bad.any():
            raise ValueError(f"{name}: missing or infinite values at rows {rows_where(bad, index)}. Fix: every "
                             "customer needs a number; drop or fill those rows")
        if (arr < 0).any():
            raise ValueError(f"{name}: negative values at rows {rows_where(arr < 0, index)}. Fix: counts and times "
                             "are never negative; check how they were computed")
    if (x != np.round(x)).any():
        raise ValueError(f"frequency: not whole numbers at rows {rows_where(x != np.round(x), index)}. Fix: "
                         "frequency counts repeat purchases")
    tol = 1e-9 * np.maximum(1.0, t)
    if (tx > t + tol).any():
        raise ValueError(f"dates out of order: recency (last purchase) is after T (end of the period) at rows "
                         f"{rows_where(tx > t + tol, index)}. Fix: both count from the first purchase, and the last "
                         "purchase falls inside the period")
    if ((x == 0) & (tx > 0)).any():
        raise ValueError(f"recency must be 0 for customers without repeat purchases, but is not at rows "
                         f"{rows_where((x == 0) & (tx > 0), index)}. Fix: recency is the time of the last *repeat* "
                         "purchase")
    return x.astype(float), np.minimum(tx, t).astype(float), t.astype(float), index


def labelled(values: np.ndarray, index: pd.Index | None, name: str):
    """A Series on ``index`` when the input had one, else the array (a float for one value)."""
    if index is not None and len(index) == len(values):
        return pd.Series(values, index=index, name=name)
    return values if values.size > 1 else float(values[0])


def model_params(params, kind: type) -> tuple[float, ...]:
    """A model's parameters (a ``kind`` instance or a tuple) as floats, checked: as many as ``kind`` has, all > 0."""
    if isinstance(params, kind):
        values = params.as_tuple()
    else:
        values = tuple(float(v) for v in params)
    n = sum(f.default is MISSING for f in fields(kind))  # the model's parameters: the fields without a default
    if len(values) != n or not all(np.isfinite(v) and v > 0 for v in values):
        raise ValueError(f"parameters must be {n} positive numbers, got {values}")
    return values


def unique_rows(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Distinct rows of the columns and how often each occurs (customers with the same history share a term)."""
    stacked = np.column_stack(columns)
    uniq, counts = np.unique(stacked, axis=0, return_counts=True)
    return [uniq[:, i] for i in range(uniq.shape[1])], counts.astype(float)
