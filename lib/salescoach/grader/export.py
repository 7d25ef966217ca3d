"""Grades out of nbgrader's gradebook into a CSV file a trainer can open in a spreadsheet.

:func:`export_grades` writes one row per student × assignment::

    student, assignment, status, timestamp, late_seconds, <one column per question>,
    auto, manual, late_penalty, total, max, reason

* a question's score is nbgrader's ``Grade.score`` (the manual score when a
  grader entered one, else the autograder's, plus any extra credit); empty
  while a manually graded answer waits for its grade;
* ``auto`` adds the questions scored by the autograder only, ``manual`` those
  with a manual score, so ``total = max(0, auto + manual - late_penalty)``,
  the same as ``score`` in ``nbgrader export``; ``max`` is the assignment's
  maximum;
* ``status``: ``graded``, ``needs manual grading``, ``failed`` (the grader's
  ``grading.json`` sidecar says no grade could be computed; ``reason`` says
  why), ``not graded`` (a submission without a gradebook entry) or
  ``not submitted``;
* ``timestamp`` is the submission time in UTC (ISO 8601), as nbgrader stores it.

Question columns are named by the cell's ``grade_id`` (``notebook/grade_id``,
then ``assignment/notebook/grade_id`` where that would be ambiguous), in
notebook order.  :func:`export_gradebook_csv` writes nbgrader's own format
(``nbgrader export``, ``CsvExportPlugin``).  Both files are written atomically.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from ..files import atomic_path
from ..kit.nbgrader import SubmissionScores, read_scores
from ..paths import AUTOGRADED_DIR, SUBMITTED_DIR
from .gradebook import check_connection, existing_url, reading, require_assignment
from .records import grade_id_order, natural_key, read_sidecar, students_on_disk

HEAD = ["student", "assignment", "status", "timestamp", "late_seconds"]
TAIL = ["auto", "manual", "late_penalty", "total", "max", "reason"]
#: grades are personal data: a new export file is readable by its owner only (a replaced one keeps its mode)
PRIVATE = 0o600

Cell = tuple[str, str, str]  # (assignment, notebook, grade_id)


def export_grades(course_root: Path, out: Path, db_url: str | None = None, assignment: str | None = None) -> Path:
    """Write the grades CSV (see the module docstring) to ``out`` atomically, UTF-8; returns ``out``."""
    columns, rows = grade_table(course_root, db_url, assignment)
    with atomic_path(Path(out), PRIVATE) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
    return Path(out)


def export_gradebook_csv(course_root: Path, out: Path, db_url: str | None = None,
                         assignment: str | None = None) -> Path:
    """nbgrader's standard ``grades.csv`` (``nbgrader export``'s ``CsvExportPlugin``), written atomically to ``out``."""
    from nbgrader.plugins import CsvExportPlugin

    url = _open_url(course_root, db_url)
    out = Path(out)
    with reading(url) as gb:
        if assignment is not None:
            require_assignment(gb, assignment, url)
        with atomic_path(out, PRIVATE) as tmp:
            plugin = CsvExportPlugin(to=str(tmp), assignment=[assignment] if assignment else [])
            plugin.export(gb)
    return out


# --------------------------------------------------------------------------- the table
def grade_table(course_root: Path, db_url: str | None = None,
                assignment: str | None = None) -> tuple[list[str], list[dict[str, object]]]:
    """The rows :func:`export_grades` writes, as ``(columns, rows)``; numbers stay floats, blanks are ``None``."""
    root = Path(course_root).expanduser().resolve()
    url = _open_url(root, db_url)
    with reading(url) as gb:
        if assignment is not None:
            require_assignment(gb, assignment, url)
        assignments = sorted((a for a in gb.assignments if assignment is None or a.name == assignment),
                             key=lambda a: a.name)
        known_students = {s.id for s in gb.students}  # with those who have files on disk: a row each per assignment
        cells: list[Cell] = []
        for a in assignments:
            for nb in sorted(a.notebooks, key=lambda n: n.name):
                names = [c.name for c in nb.grade_cells] + [c.name for c in nb.task_cells]
                order = grade_id_order(root, a.name, nb.name)
                names.sort(key=lambda n: (order.index(n) if n in order else len(order), natural_key(n)))
                cells += [(a.name, nb.name, n) for n in dict.fromkeys(names)]
        maxima = {a.name: float(a.max_score) for a in assignments}
    labels = _labels(cells)
    columns = HEAD + list(labels.values()) + TAIL
    students = set(known_students)
    for name in maxima:
        students |= students_on_disk(root, name)
    rows: list[dict[str, object]] = []
    for name, max_score in maxima.items():
        recorded = {s.student: s for s in read_scores(url, name)}
        for student in sorted(students):
            rows.append(_row(root, name, student, recorded.get(student), max_score=max_score, labels=labels,
                             columns=columns))
    return columns, rows


def _row(root: Path, assignment: str, student: str, sub: SubmissionScores | None, *, max_score: float,
         labels: dict[Cell, str], columns: list[str]) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(columns)
    row.update(student=student, assignment=assignment, max=max_score)
    sidecar, _ = read_sidecar(root / AUTOGRADED_DIR / student / assignment)
    submitted = (root / SUBMITTED_DIR / student / assignment).is_dir()
    if sidecar is not None and sidecar.get("status") == "failed":
        row.update(status="failed", reason=str(sidecar.get("reason") or "the grader could not compute a grade"))
        return row
    if sub is None:
        row["status"] = "not graded" if (submitted or sidecar is not None) else "not submitted"
        return row
    auto = manual = 0.0
    for grade in sub.grades:
        label = labels.get((assignment, grade.notebook, grade.name))
        if grade.manual_score is not None:
            manual += grade.score
        elif grade.auto_score is not None:
            auto += grade.score
        else:
            continue  # waiting for a manual grade: left empty
        if label:
            row[label] = float(grade.score)
    row.update(status="needs manual grading" if sub.needs_manual_grade else "graded",
               timestamp=_utc(sub.timestamp), late_seconds=sub.seconds_late, auto=auto,
               manual=manual, late_penalty=sub.late_penalty, total=max(0.0, auto + manual - sub.late_penalty))
    return row


def _labels(cells: list[Cell]) -> dict[Cell, str]:
    """Shortest unambiguous column name per cell: ``grade_id``, ``notebook/grade_id``, ``assignment/notebook/grade_id``."""
    out = {}
    for cell in cells:
        a, nb, gid = cell
        for label, same in ((gid, lambda c, gid=gid: c[2] == gid), (f"{nb}/{gid}", lambda c, nb=nb, gid=gid: c[1:] == (nb, gid))):
            if sum(1 for c in cells if same(c)) == 1 and label not in HEAD + TAIL:
                out[cell] = label
                break
        else:
            out[cell] = f"{a}/{nb}/{gid}"
    return out


# --------------------------------------------------------------------------- helpers
def _open_url(course_root: Path, db_url: str | None) -> str:
    url = existing_url(course_root, db_url)
    check_connection(url)
    return url


def _utc(ts: dt.datetime | None) -> str | None:
    if ts is None:
        return None
    return (ts if ts.tzinfo else ts.replace(tzinfo=dt.timezone.utc)).isoformat(sep=" ")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)
