"""Recording students' quiz answers (JSON lines) and summarising a class's answers for the trainer.

A recorder appends one JSON object per Check to a ``.jsonl`` file::

    {"time": "2025-03-01T09:30:12Z", "student": "ana", "bank": "m2_service_levels/quiz.yml",
     "item": "ladder-1", "kind": "choice", "answer": "b", "correct": true, "score": 1.0, "slips": []}

Several kernels (a class on one JupyterHub, several notebooks of one student) may append to the same file:
each record is written with a single ``write`` to a file opened for appending, under an exclusive
``flock`` where the system has one, so lines never interleave or tear.

:func:`summarise` reads any number of such files (or folders of them) and gives one row per item.
"""
from __future__ import annotations

import datetime as _dt
import getpass
import json
import os
import warnings
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from .answers import normalise, python_literal
from .model import Item
from .scoring import Verdict

try:  # POSIX; elsewhere appends rely on O_APPEND alone
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = ["Recorder", "recorder", "append_record", "read_records", "summarise", "SUMMARY_COLUMNS"]

SUMMARY_COLUMNS = ["bank", "item", "kind", "answered", "attempts", "share_correct", "share_correct_last",
                   "mean_score", "commonest_wrong", "commonest_wrong_share", "commonest_slip"]


def bank_label(source: str) -> str:
    """``/home/ana/kit/course/modules/m2_service_levels/quiz.yml`` -> ``m2_service_levels/quiz.yml``: the same
    bank under every student's home folder."""
    if not source:
        return ""
    p = Path(source)
    return f"{p.parent.name}/{p.name}" if p.parent.name else p.name


def slips(item: Item, value: Any) -> list[str]:
    """The parts of an answer that are wrong, by id: ``+d`` (picked, wrong), ``-a`` (right, missed),
    ``s3>basic`` (entry in the wrong bucket), ``s2@1`` (step at the wrong position, 1-based)."""
    key = item.key()
    if key is None or value is None:
        return []
    if item.kind == "multi":
        picked, right = set(value), set(key)
        return [f"+{o.id}" for o in item.options if o.id in picked - right] + [
            f"-{o.id}" for o in item.options if o.id in right - picked]
    if item.kind == "categorise":
        return [f"{e}>{b}" for e, b in value.items() if key.get(e) != b]
    if item.kind == "order":
        return [f"{s}@{i + 1}" for i, s in enumerate(value) if i >= len(key) or key[i] != s]
    return []


def append_record(path: str | os.PathLike[str], record: dict[str, Any]) -> None:
    """Append ``record`` as one JSON line to ``path``: a single write, under an exclusive lock where available."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o664)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


class Recorder:
    """Records each Check of a quiz widget for ``student`` to the JSONL file ``path``.  See :func:`recorder`."""

    def __init__(self, path: str | os.PathLike[str], student: str):
        student = str(student).strip()
        if not student:
            raise ValueError("student is empty: give the student's name or login, e.g. recorder(path, 'ana')")
        self.path, self.student = Path(path), student

    def __call__(self, item: Item, answer: Any, verdict: Verdict | None = None) -> dict[str, Any]:
        value, _ = normalise(item, answer)
        record = {
            "time": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "student": self.student,
            "bank": bank_label(item.source),
            "item": item.id,
            "kind": item.kind,
            "answer": value if value is not None else (answer if isinstance(answer, str) else repr(answer)),
            "correct": bool(verdict.correct) if verdict is not None else None,
            "score": round(float(verdict.score), 4) if verdict is not None else None,
            "slips": slips(item, value) if verdict is not None else [],
        }
        append_record(self.path, record)
        return record

    record = __call__

    def __repr__(self) -> str:
        return f"<quiz recorder: {self.student} -> {self.path}>"


def recorder(path: str | os.PathLike[str], student: str | None = None) -> Recorder:
    """A recorder for :func:`~salescoach.quiz.show` (``show(item, record=rec)``): appends every Check to ``path``.

    ``student`` defaults to the JupyterHub user (``JUPYTERHUB_USER``) or the login name.
    """
    if student is None:
        student = os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
    return Recorder(path, student)


# --------------------------------------------------------------------------- reading and summarising
def _files(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(p.rglob("*.jsonl"))
        elif p.is_file():
            out.append(p)
        else:
            raise FileNotFoundError(f"no answers file or folder {p}")
    return out


def read_records(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> pd.DataFrame:
    """Every record of the JSONL files (folders: their ``*.jsonl``, recursively) as a DataFrame, in file order.

    A line that is not a record is skipped with a warning naming the file and line.
    """
    rows = []
    for path in _files(paths):
        with open(path, encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    if not isinstance(rec, dict) or not rec.get("item") or not rec.get("student"):
                        raise ValueError("no item or student")
                except ValueError as exc:
                    warnings.warn(f"{path}, line {n}: not a quiz answer record ({exc}); skipped", stacklevel=2)
                    continue
                rec["_file"], rec["_line"] = str(path), n
                rows.append(rec)
    columns = ["time", "student", "bank", "item", "kind", "answer", "correct", "score", "slips", "_file", "_line"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["bank"] = frame["bank"].fillna("")
    return frame


def _literal(answer: Any) -> str:
    try:
        return python_literal(answer)
    except TypeError:
        return str(answer)


def _item_row(group: pd.DataFrame) -> dict[str, Any]:
    by_student = group.groupby("student", sort=False)
    first, last = by_student.head(1), by_student.tail(1)
    students = len(first)
    wrong = group[group["correct"] == False]  # noqa: E712 - None (unscored) is neither
    wrong_answers = Counter()
    for _student, answers in wrong.groupby("student", sort=False)["answer"]:
        wrong_answers.update({_literal(a) for a in answers})
    slip_counts = Counter()
    for _student, lists in group.groupby("student", sort=False)["slips"]:
        slip_counts.update({s for lst in lists if isinstance(lst, list) for s in lst})
    top = wrong_answers.most_common(1)
    return {
        "kind": group["kind"].iloc[0],
        "answered": students,
        "attempts": len(group),
        "share_correct": float((first["correct"] == True).mean()),  # noqa: E712
        "share_correct_last": float((last["correct"] == True).mean()),  # noqa: E712
        "mean_score": float(pd.to_numeric(first["score"], errors="coerce").mean()),
        "commonest_wrong": top[0][0] if top else "",
        "commonest_wrong_share": top[0][1] / students if top else 0.0,
        "commonest_slip": slip_counts.most_common(1)[0][0] if slip_counts else "",
    }


def summarise(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> pd.DataFrame:
    """One row per quiz item for the trainer, from students' answer files.

    Columns: ``bank``, ``item``, ``kind``; ``answered`` (students who answered), ``attempts`` (Checks);
    ``share_correct`` (share of students right at their first try), ``share_correct_last`` (right at their
    last try), ``mean_score`` (first tries, partial credit counted); ``commonest_wrong`` (the wrong answer
    most students gave, as they would write it) with ``commonest_wrong_share`` (share of students who gave
    it); ``commonest_slip`` (categorise/multi/order: the commonest wrong part, e.g. ``s3>basic`` = entry s3
    put in bucket basic; see :func:`slips`).  Items are in the order they were first answered.
    """
    records = read_records(paths)
    if records.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    rows = []
    for (bank, item), group in records.groupby(["bank", "item"], sort=False):
        rows.append({"bank": bank, "item": item, **_item_row(group.sort_values("time", kind="stable"))})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
