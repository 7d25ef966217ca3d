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

import base64
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import jinja2
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from nbgrader.api import Gradebook
from nbgrader.utils import parse_utc

from ..files import write_text_atomic
from ..paths import AUTOGRADED_DIR, REPORTS_DIR, SUBMITTED_DIR
from .gradebook import existing_url, reading, require_assignment
from .records import grade_id_order, natural_key, read_sidecar, students_on_disk

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

    * ``auto_score`` -- the autograder's points on code test cells (as :func:`salescoach.assignments.scores`);
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
        graded = {sub.student_id: _submission_row(sub, questions) for sub in gb.assignment_submissions(assignment)}
    students |= set(roster or []) | students_on_disk(course_root, assignment) | set(graded)
    rows, notes = [], {}
    for student in sorted(students, key=str):
        on_disk = _plain_name(student)
        sidecar, problem = (read_sidecar(course_root / AUTOGRADED_DIR / student / assignment)
                            if on_disk else (None, None))
        row = _student_row(student, graded.get(student), sidecar, questions, max_total, duedate,
                           _timestamp_file(course_root, student, assignment) if on_disk else None,
                           on_disk and (course_root / "submitted" / student / assignment).is_dir())
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


def _submission_row(sub: object, questions: list[_Question]) -> dict:
    """Scores of one gradebook submission, read while the session is open."""
    by_cell = {}
    auto = 0.0
    for nb in sub.notebooks:  # type: ignore[attr-defined]
        for grade in nb.grades:
            ungraded = grade.auto_score is None and grade.manual_score is None
            by_cell[(nb.name, grade.name)] = math.nan if ungraded else float(grade.score)
            if grade.cell_type == "code" and grade.auto_score is not None:  # same rule as assignments.scores
                auto += grade.auto_score
    return {
        "scores": {q.column: by_cell.get((q.notebook, q.grade_id), math.nan) for q in questions},
        "auto_score": auto,
        "timestamp": sub.timestamp,  # type: ignore[attr-defined]
        "late_seconds": float(sub.total_seconds_late),  # type: ignore[attr-defined]
        "needs_manual_grade": bool(sub.needs_manual_grade),  # type: ignore[attr-defined]
    }


def _student_row(student: str, sub: dict | None, sidecar: dict | None, questions: list[_Question],
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


# --------------------------------------------------------------------------- charts
def _png(fig: Figure) -> str:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _histogram(percents: Sequence[float], title: str) -> str:
    fig = Figure(figsize=(6, 3.2))
    ax = fig.add_subplot()
    ax.hist(list(percents), bins=np.linspace(0, 100, 11), color="#2e86c1", edgecolor="white")
    ax.set(xlabel="score (% of the points)", ylabel="students", title=title, xlim=(0, 100))
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _png(fig)


def _difficulty_bars(stats: pd.DataFrame) -> str:
    fig = Figure(figsize=(max(5, 0.7 * len(stats) + 3), 3.4))
    ax = fig.add_subplot()
    p = stats["difficulty"].to_numpy(dtype=float)
    colours = ["#8c8c9c" if math.isnan(v) else "#c44e52" if v < TOO_HARD else "#e08a1e" if v > TOO_EASY
               else "#1b7f5f" for v in p]
    names = [str(q) for q in stats["question"]]
    bars = ax.bar(names, np.nan_to_num(p), color=colours)
    ax.bar_label(bars, labels=["no data" if math.isnan(v) else f"{v:.2f}" for v in p], fontsize="small", padding=2)
    ax.axhline(TOO_HARD, color="#c44e52", ls="--", lw=1, label=f"too hard (p < {TOO_HARD})")
    ax.axhline(TOO_EASY, color="#e08a1e", ls="--", lw=1, label=f"too easy (p > {TOO_EASY})")
    ax.set(ylim=(0, 1.05), ylabel="difficulty p (share of points earned)", title="Difficulty per question")
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
    return _png(fig)


def _difficulty_scatter(stats: pd.DataFrame) -> str:
    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    ok = stats.dropna(subset=["difficulty", "discrimination"])
    ax.scatter(ok["difficulty"], ok["discrimination"], color="#1b4f72")
    labels: dict[tuple[float, float], list[str]] = {}
    for q, x, y in zip(ok["question"], ok["difficulty"], ok["discrimination"]):
        labels.setdefault((round(float(x), 3), round(float(y), 3)), []).append(str(q))  # one label per point
    for i, ((x, y), names) in enumerate(sorted(labels.items())):  # lower of two neighbours below, upper above
        ax.annotate(", ".join(names), (x, y), fontsize="small", xytext=(5, -11 if i % 2 == 0 else 4),
                    textcoords="offset points")
    if ok.empty:
        ax.text(0.5, 0.5, "not enough data: discrimination needs 2+ students\nwhose scores differ",
                ha="center", va="center", transform=ax.transAxes)
    ax.axhline(POOR_DISCRIMINATION, color="#c44e52", ls="--", lw=1, label=f"poor discrimination (r < {POOR_DISCRIMINATION})")
    for x in (TOO_HARD, TOO_EASY):
        ax.axvline(x, color="#8c8c9c", ls=":", lw=1)
    ax.set(xlim=(-0.02, 1.02), ylim=(-1.05, 1.05), xlabel="difficulty p (share of points earned)",
           ylabel="discrimination r (corrected item-total)", title="Difficulty vs discrimination")
    ax.legend(fontsize="small", loc="lower left")
    return _png(fig)


# --------------------------------------------------------------------------- formatting
def _num(value: object, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return "–"
    if isinstance(value, float):
        return f"{round(value, digits):g}"
    return str(value)


def _when(value: object) -> str:
    if value is None or pd.isna(value):
        return "–"
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M UTC")


def _duration(seconds: float) -> str:
    """``9000`` -> ``2 h 30 min``; ``0`` -> ``on time``; NaN (no submission) -> ``–``."""
    if seconds is None or math.isnan(seconds):
        return "–"
    if seconds <= 0:
        return "on time"
    minutes = math.ceil(seconds / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{mins} min"] * bool(mins)
    return " ".join(parts)


_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_ENV.filters.update(num=_num, when=_when, duration=_duration, urlquote=lambda s: quote(str(s)))

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:2rem auto;max-width:72rem;
     padding:0 1rem;color:#1d2733;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d6dde5}
.meta{color:#5b6773} .summary span{display:inline-block;margin:.2rem 1.2rem .2rem 0}
table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem} th,td{border:1px solid #d6dde5;padding:.25rem .5rem}
th{background:#eef3f8;text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums}
.flag{color:#a12b2f;font-weight:600} .ok{color:#1b7f5f} .note{color:#5b6773;font-size:.9rem}
img{max-width:100%;height:auto;margin:.5rem 1rem .5rem 0;vertical-align:top}
.empty{padding:1rem;background:#fff6e5;border:1px solid #f0d49b}
"""

_ASSIGNMENT_HTML = _ENV.from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Report: {{ assignment }}</title><style>{{ css|safe }}</style></head>
<body>
<h1>Assignment report: {{ assignment }}</h1>
<p class="meta">Generated {{ generated }} from the gradebook. Due: {{ duedate|when if duedate else "no due date set" }}.
Maximum {{ max_total|num }} points. Files: <a href="students.csv">students.csv</a>, <a href="questions.csv">questions.csv</a>.</p>
<p class="summary">
<span>students: <b>{{ counts.students }}</b></span><span>submitted: <b>{{ counts.submitted }}</b></span>
<span>graded: <b>{{ counts.graded }}</b></span><span>needs manual grading: <b>{{ counts.manual }}</b></span>
<span>failed: <b>{{ counts.failed }}</b></span><span>missing: <b>{{ counts.missing }}</b></span>
<span>late: <b>{{ counts.late }}</b></span>
{% if counts.scored %}<span>mean score: <b>{{ mean_percent|num(1) }}%</b></span><span>median: <b>{{ median_percent|num(1) }}%</b></span>{% endif %}
</p>
{% if not counts.submitted %}
<p class="empty">Nobody has submitted <b>{{ assignment }}</b> yet{% if counts.students %}: all {{ counts.students }} students on the roster are listed as missing below{% endif %}.
There are no scores or question statistics to show.</p>
{% endif %}
{% if counts.manual %}
<p class="note">{{ counts.manual }} submission(s) still need manual grading (formgrader); their totals count only what is graded so far.</p>
{% endif %}

{% if charts %}
<h2>Charts</h2>
{% for alt, png in charts %}<img alt="{{ alt }}" src="data:image/png;base64,{{ png }}">{% endfor %}
{% endif %}

<h2>Questions</h2>
<table>
<tr><th>question</th><th>type</th><th>points</th><th>answered</th><th>mean</th><th>difficulty p</th>
<th>discrimination r</th><th>upper-lower D</th><th>flags</th></tr>
{% for q in questions %}
<tr><td>{{ q.question }}</td><td>{{ "manual" if q.manual else "autograded" }}</td><td class="n">{{ q.max_points|num }}</td>
<td class="n">{{ q.answered }}</td><td class="n">{{ q.mean_score|num }}</td><td class="n">{{ q.difficulty|num }}</td>
<td class="n">{{ q.discrimination|num }}</td><td class="n">{{ q.upper_lower|num }}</td>
<td>{% for f in q.flag_list %}<span class="flag">{{ f }}</span>{% if not loop.last %}, {% endif %}{% endfor %}</td></tr>
{% endfor %}
</table>
<p class="note">Difficulty p = mean score / points (low = hard). Discrimination r = correlation of the question with
the total of the other questions (do students who do well overall also do well here?). D = (mean of the top 27% − mean
of the bottom 27%) / points. "–" = not enough data (fewer than 2 students, or nobody's score differs).</p>
{% if flag_advice %}
<ul>{% for flag, advice in flag_advice %}<li><span class="flag">{{ flag }}</span>: {{ advice }}</li>{% endfor %}</ul>
{% endif %}

<h2>Late submissions ({{ late|length }})</h2>
{% if late %}
<table><tr><th>student</th><th>submitted</th><th>late by</th></tr>
{% for s in late %}<tr><td>{{ s.student }}</td><td>{{ s.submitted|when }}</td><td>{{ s.late_seconds|duration }}</td></tr>{% endfor %}
</table>
{% else %}<p class="ok">None{% if not duedate %} (no due date set in the gradebook){% endif %}.</p>{% endif %}

<h2>Missing submissions ({{ missing|length }})</h2>
{% if missing %}<ul>{% for s in missing %}<li>{{ s }}</li>{% endfor %}</ul>
{% else %}<p class="ok">None: everyone on the roster submitted.</p>{% endif %}

{% if not_graded %}
<h2>Submitted but not autograded yet ({{ not_graded|length }})</h2>
<ul>{% for s in not_graded %}<li>{{ s }}</li>{% endfor %}</ul>
<p class="note">Run the autograder again for these students.</p>
{% endif %}

<h2>Grading failures ({{ failures|length }})</h2>
{% if failures %}
<table><tr><th>student</th><th>reason</th></tr>
{% for s, reason in failures %}<tr><td>{{ s }}</td><td>{{ reason }}</td></tr>{% endfor %}
</table>
{% else %}<p class="ok">None.</p>{% endif %}
{% if notes %}
<h3>Grading notes</h3>
<ul>{% for s, lines in notes %}<li>{{ s }}: {% for n in lines %}{{ n }}{% if not loop.last %}; {% endif %}{% endfor %}</li>{% endfor %}</ul>
{% endif %}

<h2>Students</h2>
<table>
<tr><th>student</th><th>status</th><th>total</th><th>max</th><th>%</th><th>submitted</th><th>late by</th>
{% for q in question_columns %}<th>{{ q }}</th>{% endfor %}</tr>
{% for s in students %}
<tr><td>{{ s.student }}</td><td>{{ s.status }}</td><td class="n">{{ s.total|num }}</td><td class="n">{{ s.max|num }}</td>
<td class="n">{{ s.percent|num(1) }}</td><td>{{ s.submitted|when }}</td><td>{{ s.late_seconds|duration }}</td>
{% for q in question_columns %}<td class="n">{{ s[q]|num }}</td>{% endfor %}</tr>
{% endfor %}
</table>
</body></html>
""")

_COURSE_HTML = _ENV.from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Course report</title><style>{{ css|safe }}</style></head>
<body>
<h1>Course report</h1>
<p class="meta">Generated {{ generated }} from the gradebook. Overall = points earned / points possible over the
assignments below; a missing, failed or not yet graded assignment counts 0 points. File: <a href="course.csv">course.csv</a>.</p>
{% if not assignments %}
<p class="empty">No assignments to report: the gradebook has none yet (release and autograde one first).</p>
{% endif %}
{% if assignments %}
<h2>Assignments</h2>
<table><tr><th>assignment</th><th>due</th><th>submitted</th><th>missing</th><th>failed</th><th>mean %</th></tr>
{% for a in assignments %}
<tr><td><a href="{{ a.name|urlquote }}/index.html">{{ a.name }}</a></td><td>{{ a.duedate|when if a.duedate else "–" }}</td>
<td class="n">{{ a.submitted }}</td><td class="n">{{ a.missing }}</td><td class="n">{{ a.failed }}</td><td class="n">{{ a.mean|num(1) }}</td></tr>
{% endfor %}
</table>
{% endif %}
{% if chart %}
<h2>Overall scores</h2>
<img alt="Distribution of overall scores" src="data:image/png;base64,{{ chart }}">
{% endif %}
{% if students %}
<h2>Students</h2>
<table><tr><th>student</th>{% for a in assignments %}<th>{{ a.name }} %</th>{% endfor %}<th>overall %</th></tr>
{% for s in students %}
<tr><td>{{ s.student }}</td>{% for a in assignments %}<td class="n">{{ s.cells[loop.index0] }}</td>{% endfor %}
<td class="n"><b>{{ s.overall|num(1) }}</b></td></tr>
{% endfor %}
</table>
{% elif assignments %}
<p class="empty">No students in the gradebook or roster yet.</p>
{% endif %}
</body></html>
""")


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
        charts.append(("Score distribution", _histogram(scored["percent"].dropna(), "Score distribution")))
        if len(stats):
            charts.append(("Difficulty per question", _difficulty_bars(stats)))
            charts.append(("Difficulty vs discrimination", _difficulty_scatter(stats)))
    failed = table[table["status"].str.startswith(FAILED_PREFIX)]
    missing = table[table["status"] == STATUS_MISSING]
    late = table[table["late_seconds"].fillna(0) > 0]
    raised = sorted({f for flags in flag_lists for f in flags}, key=list(FLAG_ADVICE).index)
    question_rows = [{**rec, "manual": rec["question"] in manual, "flag_list": fl}
                     for rec, fl in zip(_records(stats), flag_lists)]
    html = _ASSIGNMENT_HTML.render(
        css=_CSS, assignment=assignment, generated=_now(), duedate=table.attrs["duedate"],
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
                cells.append(_num(float(value), 1) + (" (manual grading pending)" if pending else ""))
        rows.append({"student": student, "cells": cells, "overall": float(course.at[i, "overall"])})
    overall = course["overall"].dropna()
    html = _COURSE_HTML.render(css=_CSS, generated=_now(), assignments=summaries, students=rows,
                               chart=_histogram(overall, "Overall scores") if len(overall) and names else None)
    write_text_atomic(out / "course.csv", _csv(course))
    write_text_atomic(out / "index.html", html)
    return out / "index.html"
