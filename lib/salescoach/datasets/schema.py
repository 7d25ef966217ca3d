"""The schema engine every dataset family uses: columns, row rules, validation with clear errors.

A :class:`Dataset` describes one file (columns with types, units, ranges and
allowed values; rules across columns).  :func:`validate` turns the raw text
of a file into a typed frame, or raises :class:`DataValidationError` naming
the file, the column, the rows (and their file lines) and the fix, so a
trainer who edits a CSV by hand sees exactly what went wrong.  Each family's
own file (``territory.py``, ``cdnow.py`` ...) declares its datasets with
these classes and, for synthetic data, its seeded generator.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd


class DataValidationError(ValueError):
    """A dataset file does not match its schema. ``file``, ``column`` and ``rows`` say where."""

    def __init__(self, file: Path | str, column: str | None, rows: list[int], problem: str, fix: str,
                 first_line: int | None = None):
        self.file, self.column, self.rows, self.problem, self.fix = str(file), column, rows, problem, fix
        #: file line of data row 0 (rows count data rows from 0); None when not read from a file
        self.first_line = first_line
        where = f"column '{column}'" if column else "file"
        rows_txt = f" at rows {_shown(rows)}" if rows else ""
        if rows and first_line is not None:
            rows_txt += f" (file lines {_shown([r + first_line for r in rows])})"
        super().__init__(f"{self.file}: {where}: {problem}{rows_txt}. Fix: {fix}")

    def with_first_line(self, first_line: int) -> DataValidationError:
        return DataValidationError(self.file, self.column, self.rows, self.problem, self.fix, first_line)


def _shown(rows: list[int]) -> str:
    return ", ".join(str(r) for r in rows[:10]) + (f" (+{len(rows) - 10} more)" if len(rows) > 10 else "")


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its type, unit, meaning and allowed values."""

    name: str
    kind: str  # "str", "int", "float", "date", "bool"
    description: str
    unit: str = ""
    min: float | None = None
    max: float | None = None
    allowed: tuple[str, ...] | None = None
    nullable: bool = False
    unique: bool = False


@dataclass(frozen=True)
class RowRule:
    """A rule across columns; ``broken(df)`` is True on the rows that violate it."""

    description: str
    columns: tuple[str, ...]
    broken: Callable[[pd.DataFrame], pd.Series]
    fix: str


@dataclass(frozen=True)
class Dataset:
    name: str
    file: str
    title: str
    columns: tuple[Column, ...]
    rules: tuple[RowRule, ...] = ()
    fmt: str = "csv"  # "csv", or "whitespace" for the CDNOW text files
    header: bool = True
    source: str = ""
    #: seeded generator of a synthetic dataset (``salescoach data`` writes its frame), None for real data
    generator: Callable[[], pd.DataFrame] | None = field(default=None, compare=False)
    extra: dict = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def read_raw(spec: Dataset, file: Path) -> pd.DataFrame:
    try:
        if spec.fmt == "whitespace":
            raw = pd.read_csv(file, sep=r"\s+", header=None, dtype=str, skiprows=1 if spec.header else 0,
                              engine="python")
            if raw.shape[1] != len(spec.columns):
                raise DataValidationError(file, None, [], f"expected {len(spec.columns)} fields per line, found "
                                          f"{raw.shape[1]}", f"restore the original {spec.file} from git")
            raw.columns = spec.column_names
            return raw
        return pd.read_csv(file, dtype=str, keep_default_na=False, na_values=[""])
    except DataValidationError:
        raise
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DataValidationError(file, None, [], f"cannot be parsed ({exc})",
                                  "check the file is plain UTF-8 CSV, or restore it from git") from exc


def validate(spec: Dataset, raw: pd.DataFrame, file: Path | str = "<data>") -> pd.DataFrame:
    """Type-convert and check ``raw`` (all text columns) against the schema; return the typed frame."""
    cols = list(raw.columns)
    missing = [c for c in spec.column_names if c not in cols]
    extra = [c for c in cols if c not in spec.column_names]
    if missing:
        raise DataValidationError(file, missing[0], [], f"missing column(s) {missing}",
                                  f"the file needs exactly these columns: {spec.column_names}")
    if extra:
        raise DataValidationError(file, extra[0], [], f"unexpected column(s) {extra}",
                                  f"remove them or rename to the expected columns {spec.column_names}")
    out = pd.DataFrame(index=raw.index)
    for col in spec.columns:
        out[col.name] = _convert(col, raw[col.name], file)
    for rule in spec.rules:
        broken = rule.broken(out).fillna(False).astype(bool)
        if broken.any():
            raise DataValidationError(file, rule.columns[0], out.index[broken].tolist(), rule.description, rule.fix)
    return out


def _convert(col: Column, s: pd.Series, file: Path | str) -> pd.Series:
    text = s.astype("string").str.strip()
    empty = text.isna() | (text == "")
    if empty.any() and not col.nullable:
        raise DataValidationError(file, col.name, _rows(empty), "empty value(s) in a required column",
                                  f"fill in {col.name} ({col.description})")
    kind = col.kind
    if kind == "str":
        out = text.astype(object).where(~empty, None)
    elif kind in ("int", "float"):
        num = pd.to_numeric(text.where(~empty), errors="coerce")
        bad = (num.isna() | num.isin([np.inf, -np.inf])) & ~empty  # 'inf' parses but is no amount
        if bad.any():
            raise DataValidationError(file, col.name, _rows(bad), f"not a number (e.g. {text[bad].iloc[0]!r})",
                                      f"write {col.name} as a plain number" + (f" in {col.unit}" if col.unit else ""))
        if kind == "int":
            frac = num.notna() & (num != np.floor(num.fillna(0)))
            if frac.any():
                raise DataValidationError(file, col.name, _rows(frac), "not a whole number",
                                          f"{col.name} counts {col.unit or 'items'}: use whole numbers")
            out = num.astype("Int64") if col.nullable else num.astype("int64")
        else:
            out = num.astype(float)
    elif kind == "date":
        # the file's own format (CDNOW: YYYYMMDD) is the one most of its dates use, so one typo does not
        # make every other date in the column look wrong
        compact = text[~empty].str.fullmatch(r"\d{8}")
        fmt = "%Y%m%d" if len(compact) and compact.mean() > 0.5 else "%Y-%m-%d"
        dates = pd.to_datetime(text.where(~empty), format=fmt, errors="coerce")
        bad = dates.isna() & ~empty
        if bad.any():
            raise DataValidationError(file, col.name, _rows(bad), f"not a date (e.g. {text[bad].iloc[0]!r})",
                                      "write dates as " + ("YYYYMMDD" if fmt == "%Y%m%d" else "YYYY-MM-DD"))
        out = dates
    elif kind == "bool":
        low = text.str.lower()
        mapping = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
        bad = ~low.isin(list(mapping)) & ~empty
        if bad.any():
            raise DataValidationError(file, col.name, _rows(bad), f"not true/false (e.g. {text[bad].iloc[0]!r})",
                                      "write true or false")
        out = low.map(mapping).astype(bool)
    else:  # pragma: no cover - schema bug
        raise ValueError(f"unknown column kind {kind!r}")
    _check_values(col, out, file)
    return out


def _check_values(col: Column, out: pd.Series, file: Path | str) -> None:
    if col.allowed is not None:
        bad = out.notna() & ~out.isin(col.allowed)
        if bad.any():
            raise DataValidationError(file, col.name, _rows(bad), f"unknown value(s) {sorted(set(out[bad]))[:5]}",
                                      f"use one of {list(col.allowed)}")
    if col.min is not None:
        bad = out.notna() & (out < col.min)
        if bad.any():
            raise DataValidationError(file, col.name, _rows(bad), f"value(s) below the minimum {col.min:g}",
                                      f"{col.name} cannot be less than {col.min:g}" + (f" {col.unit}" if col.unit else ""))
    if col.max is not None:
        bad = out.notna() & (out > col.max)
        if bad.any():
            raise DataValidationError(file, col.name, _rows(bad), f"value(s) above the maximum {col.max:g}",
                                      f"{col.name} cannot be more than {col.max:g}" + (f" {col.unit}" if col.unit else ""))
    if col.unique:
        dup = out.duplicated(keep=False) & out.notna()
        if dup.any():
            raise DataValidationError(file, col.name, _rows(dup), "duplicate value(s)",
                                      f"{col.name} identifies a row: make each value unique")


def _rows(mask: pd.Series) -> list[int]:
    return [int(i) for i in mask.index[mask.fillna(False).astype(bool)]]
