"""The KA business-needs contact sheet 大客户业务需求联系单: records, checks, saving and reloading as CSV.

The columns are those of the ``ka_needs`` dataset (``salescoach.datasets.ka_needs``,
documented in ``datasets/README.md``).  A record is a plain dict; a sheet is a
DataFrame with those columns.  Saving is atomic (a crash never leaves half a
file) and every file is checked against the schema when it is read, so a bad
or missing file gives a message that names the file, the column, the row and
the fix.  Source: SYLLABUS M5 (S1 p.121-122, 四求: the contact sheet); the field
list is a kit assumption.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from ..datasets import DataValidationError, spec
from ..datasets import validate as validate_frame
from ..datasets.ka_needs import NEED_AREAS, NEED_SOURCES, SOURCE_CHINESE, STATUSES, URGENCIES
from ..datasets.schema import read_raw
from ..files import atomic_path

DATASET = "ka_needs"
COLUMNS = tuple(spec(DATASET).column_names)
#: what the form asks for (``need_id`` is given by the sheet)
FIELDS = tuple(c for c in COLUMNS if c != "need_id")
REQUIRED = tuple(c.name for c in spec(DATASET).columns if not c.nullable and c.name != "need_id")
CHOICES = {"area": NEED_AREAS, "source": NEED_SOURCES, "urgency": URGENCIES, "status": STATUSES}
LABELS = {
    "date": "Date 日期", "customer": "Key account 大客户", "contact": "Contact and role 联系人/职务",
    "rep": "Account manager 客户经理", "need": "Need (customer's words) 需求", "area": "Area 类别",
    "source": "Learned by 来源 (问听观求怨)", "urgency": "Urgency 紧急程度", "next_step": "Next step 下一步",
    "owner": "Owner 负责人", "due": "Due 完成期限", "status": "Status 状态",
}
__all__ = ["COLUMNS", "FIELDS", "REQUIRED", "CHOICES", "LABELS", "SOURCE_CHINESE", "empty_sheet", "validate_record",
           "add_record", "save_sheet", "load_sheet"]


def empty_sheet() -> pd.DataFrame:
    """A sheet with the right columns and no rows."""
    return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c in ("date", "due") else object) for c in COLUMNS})


def _date(value: Any, field: str, required: bool) -> pd.Timestamp | None:
    if value is None or (isinstance(value, str) and not value.strip()) or (not isinstance(value, str) and pd.isna(value)):
        if required:
            raise ValueError(f"field '{field}' is empty: give the {LABELS[field]} as YYYY-MM-DD")
        return None
    try:
        if isinstance(value, (dt.date, pd.Timestamp)):
            return pd.Timestamp(value)
        return pd.Timestamp(dt.date.fromisoformat(str(value).strip()))
    except (TypeError, ValueError):
        raise ValueError(f"field '{field}': {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-03-04") from None


def validate_record(record: dict) -> dict:
    """A clean copy of one need record, or ValueError naming the first bad field and the fix.

    Required: every field but ``due``; ``area``, ``source``, ``urgency`` and ``status`` take one of
    :data:`CHOICES`; ``due`` may be empty but not before ``date``.  Unknown keys are an error too.
    """
    if not isinstance(record, dict):
        raise ValueError(f"a record is a dict of fields {list(FIELDS)}; got {type(record).__name__}")
    unknown = sorted(set(record) - set(COLUMNS))
    if unknown:
        raise ValueError(f"unknown field(s) {unknown}; the contact sheet has {list(FIELDS)}")
    out: dict[str, Any] = {}
    for field in FIELDS:
        value = record.get(field)
        if field in ("date", "due"):
            out[field] = _date(value, field, field in REQUIRED)
            continue
        text = "" if value is None else str(value).strip()
        if field in REQUIRED and not text:
            raise ValueError(f"field '{field}' is empty: fill in {LABELS[field]}")
        if field in CHOICES and text not in CHOICES[field]:
            raise ValueError(f"field '{field}': {text!r} is not one of {list(CHOICES[field])}")
        out[field] = text
    if out["due"] is not None and out["due"] < out["date"]:
        raise ValueError(f"field 'due': {out['due']:%Y-%m-%d} is before the date {out['date']:%Y-%m-%d}; "
                         "a next step cannot be due before the need was recorded")
    return out


def add_record(sheet: pd.DataFrame, record: dict) -> pd.DataFrame:
    """A new sheet with ``record`` (validated) appended and given the next id (N001, N002 ...)."""
    clean = validate_record(record)
    ids = pd.to_numeric(sheet["need_id"].astype(str).str.extract(r"(\d+)$")[0], errors="coerce") \
        if len(sheet) else pd.Series(dtype=float)
    clean["need_id"] = f"N{int(ids.max() if ids.notna().any() else 0) + 1:03d}"
    row = pd.DataFrame([clean], columns=list(COLUMNS))
    return row if sheet.empty else pd.concat([sheet[list(COLUMNS)], row], ignore_index=True)


def _as_text(sheet: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=sheet.index)
    for c in COLUMNS:
        s = sheet[c]
        if c in ("date", "due"):
            out[c] = pd.to_datetime(s, errors="coerce").dt.strftime("%Y-%m-%d").fillna("")
        else:
            out[c] = s.fillna("").astype(str)
    return out


def save_sheet(sheet: pd.DataFrame, path: str | Path) -> Path:
    """Check ``sheet`` against the schema and write it as UTF-8 CSV, atomically (all or nothing)."""
    path = Path(path)
    missing = [c for c in COLUMNS if c not in sheet.columns]
    if missing:
        raise ValueError(f"the sheet has no column(s) {missing}; build it with empty_sheet() and add_record()")
    text = _as_text(sheet)
    validate_frame(DATASET, text.replace({"": None}), path)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        text.to_csv(fh, index=False, lineterminator="\n")
    return path


def load_sheet(path: str | Path) -> pd.DataFrame:
    """The sheet saved at ``path``, checked; FileNotFoundError or DataValidationError in plain words."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: there is no contact sheet here yet. Fix: save one first (the form's Save "
                                "button or save_sheet), or check the folder and file name")
    if path.stat().st_size == 0:
        raise DataValidationError(path, None, [], "the file is empty", "save the sheet again, or delete the file")
    ds = spec(DATASET)
    raw = read_raw(ds, path)
    try:
        return validate_frame(ds, raw, path)
    except DataValidationError as exc:
        raise exc.with_first_line(2) from None
