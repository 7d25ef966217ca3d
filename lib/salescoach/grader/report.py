"""Class reports a trainer reads in a browser (no Jupyter needed): one per assignment and one for the course.

The numbers come from nbgrader's gradebook (the same rows ``nbgrader autograde``
and formgrader write) plus, when present, the grading engine's sidecar
``autograded/<student>/<assignment>/grading.json`` (its ``status``/``reason``
say why a submission could not be graded, its ``notes`` what the sandbox did).

* :func:`assignment_table` -- one row per student: score per question, totals, submission time, status.
* :func:`item_statistics` -- classical item analysis per question (difficulty, discrimination).
* :func:`write_assignment_report` -- ``reports/<assignment>/index.html`` + ``students.csv`` + ``questions.csv``.
* :func:`write_course_report` -- ``reports/index.html`` + ``course.csv`` linking every assignment report.
* :func:`read_roster` -- the list of student ids from a CSV, so that students who never submitted show up.

The HTML pages are self-contained (inline CSS, charts as base64 PNG drawn with
matplotlib's Agg canvas), so they can be mailed or put on a shared drive.
Times are UTC, as nbgrader stores them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from nbgrader.api import Gradebook
from nbgrader.utils import parse_utc

from ..files import write_text_atomic
from ..kit.nbgrader import SubmissionScores, read_scores
from ..paths import AUTOGRADED_DIR, REPORTS_DIR, SUBMITTED_DIR
from .gradebook import existing_url, reading, require_assignment
from .records import grade_id_order, natural_key, read_sidecar, students_on_disk
from .report_render import ASSIGNMENT_HTML, COURSE_HTML, CSS, difficulty_bars, difficulty_scatter, histogram, num

__all__ = [
    "assignment_table",
    "item_statistics",
    "write_assignment_report",
    "write_course_report",
    "read_roster",
]


STATUS_GRADED = "graded"
STATUS_MISSING = "missing"
STATUS_MANUAL = "needs manual grading"
STATUS_NOT_GRADED = "submitted, not autograded yet"
FAILED_PREFIX = "failed: "

#: Columns after the per-question ones, in this order.
SUMMARY_COLUMNS = ("auto_score", "manual_score", "total", "max", "percent", "submitted", "late_seconds", "status")
STAT_COLUMNS = ("question", "max_points", "answered", "mean_score", "difficulty", "discrimination", "upper_lower")

#: Flag thresholds: difficulty (p) below/above, corrected item-total correlation below.
TOO_HARD, TOO_EASY, POOR_DISCRIMINATION = 0.3, 0.9, 0.2
#: Kelley's (1939) share of students in each of the upper and lower groups.
KELLEY_SHARE = 0.27

FLAG_ADVICE = {
    "too hard": "Fewer than 30% of the points were earned: check the task wording and the tests for a mistake, "
                "then reteach the idea before building on it.",
    "too easy": "More than 90% of the points were earned: fine as a warm-up; otherwise ask for more "
                "(a second case, an explanation) or drop it.",
    "poor discrimination": "Strong and weak students score about the same here (r < 0.2; negative means weaker "
                           "students did better): look for an ambiguous task or a test that passes or fails for "
                           "reasons other than skill, and rewrite it.",
}


# --------------------------------------------------------------------------- gradebook access
def _known_assignments(gb: Gradebook) -> list[str]:
    """Assignment names in the gradebook, by due date then name (nbgrader's own order)."""
    return [a.name for a in gb.assignments]


@dataclass(frozen=True)
class _Question:
    column: str
    notebook: str
    grade_id: str
    max_points: float
    manual: bool


def _questions(gb_assignment: object, course_root: Path) -> list[_Question]:
    """The graded cells of an assignment in notebook order; manual = markdown, solution or task cells."""
    raw = []
    for nb in gb_assignment.notebooks:  # type: ignore[attr-defined]
        order = {gid: i for i, gid in enumerate(grade_id_order(course_root, gb_assignment.name, nb.name))}  # type: ignore[attr-defined]
        solutions = {c.name for c in nb.solution_cells}
        cells = [(c, c.cell_type != "code" or c.name in solutions) for c in nb.grade_cells]
        cells += [(c, True) for c in nb.task_cells]
        cells.sort(key=lambda cm: (order.get(cm[0].name, len(order)), natural_key(cm[0].name)))
        raw += [(nb.name, c.name, float(c.max_score or 0.0), manual) for c, manual in cells]
    counts: dict[str, int] = {}
    for _, gid, _, _ in raw:
        counts[gid] = counts.get(gid, 0) + 1
    reserved = {"student", *SUMMARY_COLUMNS}
    return [_Question(f"{nb}/{gid}" if counts[gid] > 1 or gid in reserved else gid, nb, gid, pts, manual)
            for nb, gid, pts, manual in raw]


def _timestamp_file(course_root: Path, student: str, assignment: str) -> datetime | None:
    """``submitted/<student>/<assignment>/timestamp.txt`` as naive UTC, as nbgrader reads it."""
    path = Path(course_root) / SUBMITTED_DIR / student / assignment / "timestamp.txt"
    try:
        text = path.read_text(encoding="utf-8").strip()
        return parse_utc(text) if text else None
    except (OSError, ValueError, OverflowError):
        return None


def _plain_name(student: str) -> bool:
    """Whether ``student`` can name a folder (roster ids like ``a/b`` or ``..`` are never looked up on disk)."""
    return bool(student) and student not in (".", "..") and "/" not in student and "\\" not in student


# --------------------------------------------------------------------------- the table
def assignment_table(course_root: Path, assignment: str, db_url: str | None = None,
                     roster: list[str] | None = None) -> pd.DataFrame:
    """One row per student (the gradebook's students, plus ``roster``) for ``assignment``.

    Columns: ``student``; one per graded question (its ``grade_id``, e.g. ``q1_tests``,
    ``short_answer``; ``<notebook>/<grade_id>`` when two notebooks share an id) holding the
    score (NaN while not graded, and for missing or failed submissions); then

    * ``auto_score`` -- the autograder's points on code test cells (:attr:`salescoach.kit.nbgrader.SubmissionScores.auto_score`);
    * ``manual_score`` -- points on manually graded questions graded so far (NaN while none are);
    * ``total`` -- the sum of the question scores, i.e. nbgrader's own score (a trainer's override counts);
    * ``max``, ``percent`` (``100 * total / max``);
    * ``submitted`` -- submission time, naive UTC (NaT when the submission had no ``timestamp.txt``);
    * ``late_seconds`` -- seconds past the due date (including extensions; 0 on time or with no due date);
    * ``status`` -- "graded", "needs manual grading", "missing", "failed: <reason>" (from the engine's
      ``grading.json``) or "submitted, not autograded yet".

    ``table.attrs`` carries ``assignment``, ``max_points`` (question -> points), ``manual_questions``,
    ``duedate`` and ``notes`` (student -> the engine's notes) for the report.
    Raises ValueError naming the known assignments when ``assignment`` is not in the gradebook.
    """
    course_root = Path(course_root)
    url = existing_url(course_root, db_url)
    with reading(url) as gb:
        gb_assignment = require_assignment(gb, assignment, url)
        questions = _questions(gb_assignment, course_root)
        max_total = float(gb_assignment.max_score or 0.0)
        duedate = gb_assignment.duedate
        students = {s.id for s in gb.students}
    graded = {sub.student: _submission_row(sub, questions) for sub in read_scores(url, assignment)}
    students |= set(roster or []) | students_on_disk(course_root, assignment) | set(graded)
    rows, notes = [], {}
    for student in sorted(students, key=str):
        on_disk = _plain_name(student)
        sidecar, problem = (read_sidecar(course_root / AUTOGRADED_DIR / student / assignment)
                            if on_disk else (None, None))
        row = _student_row(student, graded.get(student), sidecar=sidecar, questions=questions, max_total=max_total,
                           duedate=duedate,
                           stamp_file=_timestamp_file(course_root, student, assignment) if on_disk else None,
                           has_folder=on_disk and (course_root / SUBMITTED_DIR / student / assignment).is_dir())
        rows.append(row)
        raw_notes = (sidecar or {}).get("notes") or []
        student_notes = [str(n) for n in (raw_notes if isinstance(raw_notes, list) else [raw_notes])]
        student_notes += [problem] if problem else []
        if student_notes:
            notes[student] = student_notes
    table = _frame(rows, questions)
    table.attrs.update(assignment=assignment, max_points={q.column: q.max_points for q in questions},
                       manual_questions=[q.column for q in questions if q.manual],
                       duedate=None if duedate is None else pd.Timestamp(duedate), notes=notes)
    return table


def _submission_row(sub: SubmissionScores, questions: list[_Question]) -> dict:
    """Scores of one gradebook submission: per question (NaN while neither graded automatically nor by hand)."""
    by_cell = {(g.notebook, g.name): float(g.score) if g.graded else math.nan for g in sub.grades}
    return {
        "scores": {q.column: by_cell.get((q.notebook, q.grade_id), math.nan) for q in questions},
        "auto_score": sub.auto_score,
        "timestamp": sub.timestamp,
        "late_seconds": sub.seconds_late,
        "needs_manual_grade": sub.needs_manual_grade,
    }


def _student_row(student: str, sub: dict | None, *, sidecar: dict | None, questions: list[_Question],
                 max_total: float, duedate: datetime | None, stamp_file: datetime | None,
                 has_folder: bool) -> dict:
    nan = math.nan
    row: dict[str, object] = {"student": student, **{q.column: nan for q in questions},
                              "auto_score": nan, "manual_score": nan, "total": nan, "max": max_total,
                              "percent": nan, "submitted": pd.NaT, "late_seconds": nan}
    stamp = sub["timestamp"] if sub and sub["timestamp"] is not None else stamp_file
    if stamp is not None:
        row["submitted"] = pd.Timestamp(stamp)
    if sub is not None:
        row["late_seconds"] = sub["late_seconds"]
    elif sidecar is not None or has_folder:
        row["late_seconds"] = max(0.0, (stamp - duedate).total_seconds()) if stamp and duedate else 0.0
    if sidecar is not None and sidecar.get("status") == "failed":
        reason = str(sidecar.get("reason") or "").strip() or "no reason given"
        row["status"] = FAILED_PREFIX + reason
    elif sub is not None:
        row.update(sub["scores"])
        manual = [sub["scores"][q.column] for q in questions if q.manual]
        graded_manual = [v for v in manual if not math.isnan(v)]
        row["auto_score"] = sub["auto_score"]
        row["manual_score"] = float(sum(graded_manual)) if graded_manual or not manual else nan
        total = float(sum(v for v in sub["scores"].values() if not math.isnan(v)))
        row["total"] = total
        row["percent"] = 100.0 * total / max_total if max_total > 0 else nan
        row["status"] = STATUS_MANUAL if sub["needs_manual_grade"] else STATUS_GRADED
    elif sidecar is not None or has_folder:
        row["status"] = STATUS_NOT_GRADED
    else:
        row["status"] = STATUS_MISSING
    return row


def _frame(rows: list[dict], questions: list[_Question]) -> pd.DataFrame:
    columns = ["student", *[q.column for q in questions], *SUMMARY_COLUMNS]
    table = pd.DataFrame(rows, columns=columns)
    numeric = [q.column for q in questions] + ["auto_score", "manual_score", "total", "max", "percent", "late_seconds"]
    table[numeric] = table[numeric].astype(float)
    table["submitted"] = pd.to_datetime(table["submitted"]).astype("datetime64[ns]")
    table["student"] = table["student"].astype(str)
    table["status"] = table["status"].astype(str)
    return table.reset_index(drop=True)


# --------------------------------------------------------------------------- item statistics
def item_statistics(table: pd.DataFrame, max_points: dict[str, float]) -> pd.DataFrame:
    """Classical item analysis, one row per question in ``max_points`` (column name -> points possible).

    Only students with a score on a question count for it (NaN = not answered / not graded);
    the "total" used below is the sum of all ``max_points`` questions, NaN counting 0.

    * ``answered`` -- number of students with a score on the question.
    * ``difficulty`` -- the classical p-value ``p = mean(score) / max_points``: the share of the
      points the class earned (Crocker & Algina 1986, *Introduction to Classical and Modern Test
      Theory*, ch. 14). Low p = hard.
    * ``discrimination`` -- the corrected item-total correlation: Pearson's r (point-biserial for
      0/max items) between the item score ``x`` and the total of the OTHER items ``y = total - x``,
      ``r = sum((x - mx)(y - my)) / sqrt(sum((x - mx)^2) * sum((y - my)^2))``, so the item is not
      correlated with itself (Henrysson 1963, Psychometrika 28:211-218). Below 0.2 is poor
      (Ebel & Frisbie 1991, *Essentials of Educational Measurement*).
    * ``upper_lower`` -- Kelley's upper-lower index ``D = (mean_upper - mean_lower) / max_points``,
      upper and lower = the top and bottom 27% of students by total score, at least one each
      (Kelley 1939, J. Educ. Psychol. 30:17-24); ties at the cut are broken by table order.

    Undefined values are NaN, never an error: fewer than 2 students, an item or total that does
    not vary, or ``max_points`` of 0.
    """
    missing = [q for q in max_points if q not in table.columns]
    if missing:
        raise ValueError(f"item_statistics: questions {missing} are not columns of the table; "
                         f"columns are {list(table.columns)}")
    items = list(max_points)
    scores = table[items].apply(pd.to_numeric, errors="coerce").astype(float) if items else pd.DataFrame()
    totals = scores.sum(axis=1, skipna=True) if items else pd.Series(dtype=float)
    rows = []
    for q in items:
        points = float(max_points[q])
        answered = scores[q].notna()
        x = scores[q][answered].to_numpy(dtype=float)
        total = totals[answered].to_numpy(dtype=float)
        mean = float(x.mean()) if len(x) else math.nan
        rows.append({
            "question": q,
            "max_points": points,
            "answered": int(len(x)),
            "mean_score": mean,
            "difficulty": mean / points if points > 0 and len(x) else math.nan,
            "discrimination": _pearson(x, total - x),
            "upper_lower": _upper_lower(x, total, points),
        })
    return pd.DataFrame(rows, columns=list(STAT_COLUMNS))


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r; NaN for fewer than 2 pairs or when either side is constant."""
    if len(x) < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return math.nan
    dx, dy = x - x.mean(), y - y.mean()
    denom = math.sqrt(float((dx * dx).sum()) * float((dy * dy).sum()))
    return float((dx * dy).sum() / denom) if denom > 0 else math.nan


def _upper_lower(x: np.ndarray, total: np.ndarray, points: float) -> float:
    """Kelley's D over the top and bottom ``round(0.27 n)`` (>= 1) students by total; NaN when undefined."""
    n = len(x)
    if n < 2 or points <= 0 or np.ptp(total) == 0:
        return math.nan
    k = max(1, math.floor(KELLEY_SHARE * n + 0.5))
    order = np.argsort(total, kind="stable")
    return float((x[order[-k:]].mean() - x[order[:k]].mean()) / points)


def _flags(stats_row: pd.Series) -> list[str]:
    flags = []
    p, r = stats_row["difficulty"], stats_row["discrimination"]
    if pd.notna(p) and p < TOO_HARD:
        flags.append("too hard")
    if pd.notna(p) and p > TOO_EASY:
        flags.append("too easy")
    if pd.notna(r) and r < POOR_DISCRIMINATION:
        flags.append("poor discrimination")
    return flags


# --------------------------------------------------------------------------- roster
def read_roster(path: Path) -> list[str]:
    """Student ids from a CSV with a ``student`` (or ``id``) column, in file order, blanks and repeats dropped."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"roster {path} does not exist; give a CSV file with a 'student' (or 'id') column")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise ValueError(f"roster {path} is empty; it needs a header row with a 'student' (or 'id') column "
                         "and one student id per line") from None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ValueError(f"roster {path} is not a readable UTF-8 CSV ({exc}); save it as CSV UTF-8 with a "
                         "'student' (or 'id') column") from None
    by_name = {str(c).strip().lower(): c for c in frame.columns}
    column = by_name.get("student", by_name.get("id"))
    if column is None:
        raise ValueError(f"roster {path} has no 'student' (or 'id') column; its columns are "
                         f"{[str(c) for c in frame.columns]}. Rename the column of student ids to 'student'")
    ids = [v.strip() for v in frame[column].tolist() if v.strip()]
    return list(dict.fromkeys(ids))


# --------------------------------------------------------------------------- files
def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d %H:%M:%S")


def _safe_name(assignment: str) -> str:
    if not assignment or assignment in (".", "..") or "/" in assignment or "\\" in assignment:
        raise ValueError(f"assignment name {assignment!r} cannot be used as a folder name")
    return assignment


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _records(frame: pd.DataFrame) -> list[dict]:
    return [dict(zip(frame.columns, row)) for row in frame.itertuples(index=False, name=None)]


def _has_score(table: pd.DataFrame) -> pd.Series:
    return table["status"].isin([STATUS_GRADED, STATUS_MANUAL])


# --------------------------------------------------------------------------- reports
def write_assignment_report(course_root: Path, assignment: str, out_dir: Path | None = None,
                            db_url: str | None = None, roster: list[str] | None = None) -> Path:
    """Write ``index.html``, ``students.csv`` and ``questions.csv`` for ``assignment``; returns the HTML path.

    ``out_dir`` defaults to ``course_root/reports/<assignment>``.  An assignment nobody submitted
    gives a report that says so; an unknown one raises ValueError listing the known assignments.
    """
    course_root = Path(course_root)
    table = assignment_table(course_root, assignment, db_url=db_url, roster=roster)
    out = Path(out_dir) if out_dir is not None else course_root / REPORTS_DIR / _safe_name(assignment)
    return _write_assignment_files(table, out)


def _write_assignment_files(table: pd.DataFrame, out: Path) -> Path:
    """Render an :func:`assignment_table` into ``out``: ``index.html``, ``students.csv``, ``questions.csv``."""
    assignment = table.attrs["assignment"]
    max_points = table.attrs["max_points"]
    manual = set(table.attrs["manual_questions"])
    scored = table[_has_score(table)]
    stats = item_statistics(scored, max_points)
    stats["type"] = ["manual" if q in manual else "autograded" for q in stats["question"]]
    flag_lists = [_flags(row) for _, row in stats.iterrows()]
    stats["flags"] = ["; ".join(f) for f in flag_lists]

    charts = []
    if len(scored):
        charts.append(("Score distribution", histogram(scored["percent"].dropna(), "Score distribution")))
        if len(stats):
            charts.append(("Difficulty per question", difficulty_bars(stats, TOO_HARD, TOO_EASY)))
            charts.append(("Difficulty vs discrimination",
                           difficulty_scatter(stats, TOO_HARD, TOO_EASY, POOR_DISCRIMINATION)))
    failed = table[table["status"].str.startswith(FAILED_PREFIX)]
    missing = table[table["status"] == STATUS_MISSING]
    late = table[table["late_seconds"].fillna(0) > 0]
    raised = sorted({f for flags in flag_lists for f in flags}, key=list(FLAG_ADVICE).index)
    question_rows = [{**rec, "manual": rec["question"] in manual, "flag_list": fl}
                     for rec, fl in zip(_records(stats), flag_lists)]
    html = ASSIGNMENT_HTML.render(
        css=CSS, assignment=assignment, generated=_now(), duedate=table.attrs["duedate"],
        max_total=float(table["max"].iloc[0]) if len(table) else sum(max_points.values()),
        counts={"students": len(table), "submitted": int((table["status"] != STATUS_MISSING).sum()),
                "graded": int((table["status"] == STATUS_GRADED).sum()),
                "manual": int((table["status"] == STATUS_MANUAL).sum()), "failed": len(failed),
                "missing": len(missing), "late": len(late), "scored": len(scored)},
        mean_percent=float(scored["percent"].mean()) if len(scored) else math.nan,
        median_percent=float(scored["percent"].median()) if len(scored) else math.nan,
        charts=charts, questions=question_rows, flag_advice=[(f, FLAG_ADVICE[f]) for f in raised],
        late=_records(late), missing=list(missing["student"]),
        not_graded=list(table.loc[table["status"] == STATUS_NOT_GRADED, "student"]),
        failures=[(s, st[len(FAILED_PREFIX):]) for s, st in zip(failed["student"], failed["status"])],
        notes=sorted(table.attrs["notes"].items()),
        question_columns=list(max_points), students=_records(table),
    )
    stats_out = stats[["question", "type", *STAT_COLUMNS[1:], "flags"]]
    write_text_atomic(out / "students.csv", _csv(table))
    write_text_atomic(out / "questions.csv", _csv(stats_out))
    write_text_atomic(out / "index.html", html)
    return out / "index.html"


def write_course_report(course_root: Path, assignments: list[str] | None = None, out_dir: Path | None = None,
                        db_url: str | None = None, roster: list[str] | None = None) -> Path:
    """Write ``reports/index.html`` and ``course.csv`` plus every assignment's report; returns the HTML path.

    ``assignments`` defaults to every assignment in the gradebook (by due date, then name).
    ``course.csv`` has one row per student, a column per assignment with its percent (empty when
    missing, failed or not graded) and ``overall`` = ``100 * sum(total) / sum(max)``, a missing
    assignment counting 0 points.
    """
    course_root = Path(course_root)
    out = Path(out_dir) if out_dir is not None else course_root / REPORTS_DIR
    url = existing_url(course_root, db_url)
    with reading(url) as gb:
        names = _known_assignments(gb) if assignments is None else list(dict.fromkeys(assignments))
        for name in names:
            require_assignment(gb, name, url)
            _safe_name(name)

    tables = {}
    for name in names:
        tables[name] = assignment_table(course_root, name, db_url=db_url, roster=roster)
        _write_assignment_files(tables[name], out / name)
    students = sorted({s for t in tables.values() for s in t["student"]} | set(roster or []), key=str)
    course = pd.DataFrame({"student": pd.Series(students, dtype=str)})
    earned = pd.Series(0.0, index=range(len(students)))
    possible = pd.Series(0.0, index=range(len(students)))
    summaries = []
    for name, table in tables.items():
        t = table.set_index("student").reindex(students)
        course[name] = t["percent"].to_numpy(dtype=float)
        earned += t["total"].fillna(0).to_numpy(dtype=float)
        max_total = float(table["max"].iloc[0]) if len(table) else 0.0
        possible += max_total
        scored = table[_has_score(table)]
        summaries.append({"name": name, "duedate": table.attrs["duedate"],
                          "submitted": int((table["status"] != STATUS_MISSING).sum()),
                          "missing": int((table["status"] == STATUS_MISSING).sum()),
                          "failed": int(table["status"].str.startswith(FAILED_PREFIX).sum()),
                          "mean": float(scored["percent"].mean()) if len(scored) else math.nan})
    course["overall"] = (100.0 * earned / possible.where(possible > 0)).to_numpy(dtype=float)

    rows = []
    for i, student in enumerate(students):
        cells = []
        for name, table in tables.items():
            value = course.at[i, name]
            if pd.isna(value):
                status = table.loc[table["student"] == student, "status"]
                cells.append(status.iloc[0] if len(status) else STATUS_MISSING)
            else:
                pending = (table.loc[table["student"] == student, "status"] == STATUS_MANUAL).any()
                cells.append(num(float(value), 1) + (" (manual grading pending)" if pending else ""))
        rows.append({"student": student, "cells": cells, "overall": float(course.at[i, "overall"])})
    overall = course["overall"].dropna()
    html = COURSE_HTML.render(css=CSS, generated=_now(), assignments=summaries, students=rows,
                               chart=histogram(overall, "Overall scores") if len(overall) and names else None)
    write_text_atomic(out / "course.csv", _csv(course))
    write_text_atomic(out / "index.html", html)
    return out / "index.html"
