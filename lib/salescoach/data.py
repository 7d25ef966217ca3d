"""Dataset loaders: ``load(name)`` returns a validated DataFrame.

Each dataset has a schema (columns, types, units, allowed ranges and row
rules).  A file that breaks its schema raises :class:`DataValidationError`
naming the file, the column, the rows and what to do about it, so a trainer
who edits a CSV by hand sees exactly what went wrong.
"""
from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .paths import datasets_dir

BEIJING_DISTRICTS = (
    "Dongcheng", "Xicheng", "Chaoyang", "Haidian", "Fengtai", "Shijingshan", "Tongzhou",
    "Shunyi", "Daxing", "Changping", "Fangshan", "Mentougou",
)
INDUSTRIES = ("retail", "hospitality", "manufacturing", "healthcare", "education", "logistics", "office services")
CREDIT_RATINGS = ("AAA", "AA", "A", "B", "C")


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

    def with_first_line(self, first_line: int) -> "DataValidationError":
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
    extra: dict = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _territory_rules() -> tuple[RowRule, ...]:
    return (
        RowRule("gross profit cannot exceed revenue", ("gross_profit", "revenue_12m"),
                lambda d: d["gross_profit"] > d["revenue_12m"] + 1e-6,
                "gross_profit is revenue minus cost of goods, so it is at most revenue_12m"),
        RowRule("revenue cannot exceed the customer's annual potential", ("revenue_12m", "annual_potential"),
                lambda d: d["revenue_12m"] > d["annual_potential"] + 1e-6,
                "raise annual_potential or correct revenue_12m"),
        RowRule("a customer with revenue must have at least one order", ("revenue_12m", "orders_12m"),
                lambda d: (d["revenue_12m"] > 0) & (d["orders_12m"] < 1),
                "set orders_12m to the number of orders behind revenue_12m"),
        RowRule("orders without revenue", ("orders_12m", "revenue_12m"),
                lambda d: (d["orders_12m"] > 0) & (d["revenue_12m"] <= 0),
                "set revenue_12m, or orders_12m to 0"),
        RowRule("first and last purchase must both be given or both empty", ("first_purchase", "last_purchase"),
                lambda d: d["first_purchase"].isna() != d["last_purchase"].isna(),
                "fill the missing date or clear both for a customer who never bought"),
        RowRule("last purchase is before first purchase", ("first_purchase", "last_purchase"),
                lambda d: d["last_purchase"] < d["first_purchase"],
                "swap or correct the two dates"),
        RowRule("a visited customer must also be profiled", ("visited", "profiled"),
                lambda d: d["visited"] & ~d["profiled"],
                "set profiled to true: a rep profiles a customer before visiting"),
    )


DATASETS: dict[str, Dataset] = {
    "territory": Dataset(
        name="territory",
        file="territory.csv",
        title="Xiao Zhang's Beijing territory (synthetic)",
        source="Generated by salescoach.synthetic (seeded) from the M1/M3 case facts",
        columns=(
            Column("customer_id", "str", "Customer code, T001-T300", unique=True),
            Column("name", "str", "Company name (invented)"),
            Column("district", "str", "Beijing district", allowed=BEIJING_DISTRICTS),
            Column("latitude", "float", "Latitude of the customer's site", "degrees N", 39.4, 41.1),
            Column("longitude", "float", "Longitude of the customer's site", "degrees E", 115.4, 117.5),
            Column("industry", "str", "Customer's industry", allowed=INDUSTRIES),
            Column("annual_potential", "float", "What the customer could buy from us in a year", "yuan", 0),
            Column("revenue_12m", "float", "Revenue from the customer in the last 12 months", "yuan", 0),
            Column("gross_profit", "float", "Gross profit on that revenue (negative = sold at a loss)", "yuan"),
            Column("orders_12m", "int", "Orders in the last 12 months", "orders", 0),
            Column("credit_rating", "str", "Credit rating, AAA best", allowed=CREDIT_RATINGS),
            Column("growth_yoy", "float", "Revenue growth vs the 12 months before (0.25 = +25%); empty if not "
                   "a customer a year ago", "ratio", -1.0, nullable=True),
            Column("first_purchase", "date", "Date of the first order; empty if never bought", nullable=True),
            Column("last_purchase", "date", "Date of the latest order; empty if never bought", nullable=True),
            Column("profiled", "bool", "A customer profile has been collected"),
            Column("visited", "bool", "The rep has visited the customer"),
        ),
        rules=_territory_rules(),
    ),
    "cdnow_master": Dataset(
        name="cdnow_master",
        file="cdnow_master.txt",
        title="CDNOW purchases, full cohort (real data)",
        source="Fader & Hardie's CDNOW data, as shipped in the lifetimes 0.11.3 wheel (MIT)",
        fmt="whitespace",
        columns=(
            Column("customer_id", "int", "CDNOW customer id (1-23570)", min=1),
            Column("date", "date", "Day of the purchase (1997-01-01 to 1998-06-30)"),
            Column("cds", "int", "Number of CDs bought", "CDs", 1),
            Column("dollar_value", "float", "Amount paid", "US dollars", 0),
        ),
    ),
    "cdnow_sample": Dataset(
        name="cdnow_sample",
        file="cdnow_sample.txt",
        title="CDNOW purchases, the 1/10 sample used in the papers (real data)",
        source="Fader & Hardie's CDNOW 1/10 sample, as shipped in the lifetimes 0.11.3 wheel (MIT)",
        fmt="whitespace",
        header=False,
        columns=(
            Column("customer_id", "int", "Customer id in the master file", min=1),
            Column("sample_id", "int", "Customer id within the sample (1-2357)", min=1),
            Column("date", "date", "Day of the purchase"),
            Column("cds", "int", "Number of CDs bought", "CDs", 1),
            Column("dollar_value", "float", "Amount paid", "US dollars", 0),
        ),
    ),
}


def dataset_names() -> list[str]:
    return list(DATASETS)


def path_of(name: str, root: Path | None = None) -> Path:
    return datasets_dir(root) / _spec(name).file


def _spec(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise ValueError(f"unknown dataset {name!r}; available: {', '.join(DATASETS)}") from None


def load(name: str, path: str | Path | None = None, root: Path | None = None) -> pd.DataFrame:
    """Load dataset ``name`` (see ``dataset_names()``) and validate it against its schema.

    ``path`` reads another file with the same schema (a trainer's own
    territory, say).  Raises FileNotFoundError for a missing file and
    DataValidationError for anything that breaks the schema.
    """
    _spec(name)  # an unknown name is reported before anything else
    file = Path(path) if path is not None else path_of(name, root)
    if not file.is_file():
        raise FileNotFoundError(
            f"{file}: dataset '{name}' not found. Fix: run `salescoach data` to regenerate the synthetic "
            "datasets, or restore the file from git (`git checkout -- datasets/`)"
        )
    stat = file.stat()
    # a fresh frame for every caller, so nobody (a student's cell included) can change what the next caller gets
    return pickle.loads(_validated(name, str(file.resolve()), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _validated(name: str, file: str, mtime_ns: int, size: int) -> bytes:  # noqa: ARG001 - the cache key
    """The validated frame of one version of a file, pickled.

    Cached by (dataset, file, modification time, size): a notebook that loads the same file several times,
    and the grader, which loads it for every submission, parse and check it once.  The cache holds bytes,
    which no code can change in place, inside ``lru_cache``, which Python code cannot reach into.
    """
    spec = _spec(name)
    raw = _read_raw(spec, Path(file))
    try:
        frame = validate(spec, raw, Path(file))
    except DataValidationError as exc:
        raise exc.with_first_line(2 if spec.header else 1) from None
    return pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)


def _read_raw(spec: Dataset, file: Path) -> pd.DataFrame:
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


def validate(spec: Dataset | str, raw: pd.DataFrame, file: Path | str = "<data>") -> pd.DataFrame:
    """Type-convert and check ``raw`` (all text columns) against the schema; return the typed frame."""
    spec = _spec(spec) if isinstance(spec, str) else spec
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
