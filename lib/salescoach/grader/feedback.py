"""Per-student HTML feedback for autograded submissions (replaces ``nbgrader generate_feedback``).

nbgrader's own feedback shows the autograded notebook as it ran, hidden tests
included (nbgrader issue #917).  These pages show instead:

* a header: student, assignment, submission time and lateness, score so far
  (automatic plus any manual grades) out of the maximum;
* per notebook, a table of the graded questions (points, passed / failed /
  needs manual grading);
* the notebook: the student's own cells with their outputs; every locked cell
  (task text, setup, test cells) is taken from the *release* notebook
  ``exercises/<assignment>/<nb>.ipynb``, matched by ``grade_id``, so a test
  cell shows only its public part.  Nothing a test cell printed or displayed
  is shown.  A failed test shows, instead of its traceback, only what the
  public checks say: the ``ename: evalue`` of a test cell that is public as
  a whole, or a self-check's verdict on its question; a failure of a hidden
  test reads "A hidden test failed for this question." with the question's
  hint (the note of its public self-check).  So hidden-test text cannot be
  carried out in an exception message, encoded or not.

Every line of text that repeats a line of a hidden-test block is removed from
what is shown.  Pages are self-contained (inline CSS, images as ``data:``
URIs, no JavaScript, no external links) and everything the student wrote is
escaped; a Content-Security-Policy meta tag blocks scripts and remote loads
as a second line of defence.

The grading engine may leave ``autograded/<student>/<assignment>/grading.json``
(``status``, ``reason``, ``notes``); when it says ``"failed"`` the page says the
submission could not be graded and why.  Without it (plain ``nbgrader
autograde``) the gradebook alone is used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from ..files import write_text_atomic
from ..kit.nbgrader import GradeRecord, NbgraderError, SubmissionScores, read_scores
from ..paths import AUTOGRADED_DIR, EXERCISES_DIR, FEEDBACK_DIR, SOLUTIONS_DIR, SUBMITTED_DIR
from . import records
from .feedback_render import CSP, CSS, anchor, clean_text, esc, fmt, outputs_html, render_markdown, scrub, status_class
from .gradebook import existing_url, reading, redact, require_assignment

HIDDEN_FAILED = "A hidden test failed for this question."

_HIDDEN_BLOCK = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[^\n]*\n(.*?)^[ \t]*### END HIDDEN TESTS", re.M | re.S)
_QUESTION = re.compile(r"^q(\d+[a-z]?)(?:_|$)", re.I)
_VERDICT = re.compile(r"^(q\d+[a-z]?) .*: not yet\.$", re.I)


# --------------------------------------------------------------------------- what the gradebook says
def grade_status(grade: GradeRecord) -> str:
    """The result a student reads for one graded cell."""
    if grade.manual_score is not None:
        return "graded by your trainer"
    if grade.needs_manual_grade or grade.auto_score is None:
        return "needs manual grading"
    if grade.cell_type != "code":
        return "no answer given" if grade.auto_score == 0 else "graded"
    return "passed" if grade.auto_score >= grade.max_score else "failed"


@dataclass(frozen=True)
class NotebookGrades:
    """One notebook's part of a :class:`~salescoach.kit.nbgrader.SubmissionScores`, by cell name."""

    name: str
    grades: dict[str, GradeRecord]
    comments: dict[str, str]

    @classmethod
    def of(cls, record: SubmissionScores | None, name: str) -> NotebookGrades:
        if record is None:
            return cls(name, {}, {})
        return cls(name, {g.name: g for g in record.notebook(name)},
                   {cell: text for (nb, cell), text in record.comments.items() if nb == name})

    @property
    def score(self) -> float:
        return sum(g.score for g in self.grades.values())

    @property
    def max_score(self) -> float:
        return sum(g.max_score for g in self.grades.values())


@dataclass(frozen=True)
class Sidecar:
    """``grading.json`` written by the grading engine (absent: a plain nbgrader run)."""

    status: str = "graded"
    reason: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    @classmethod
    def read(cls, folder: Path) -> Sidecar:
        """The sidecar of an autograded folder; an unreadable one becomes a note, not a crash."""
        data, problem = records.read_sidecar(folder)
        if data is None:
            return cls(notes=(problem,) if problem else ())
        notes = data.get("notes") or []
        if not isinstance(notes, list):
            notes = [notes]
        reason = data.get("reason")
        return cls(str(data.get("status") or "graded"), None if reason is None else str(reason),
                   tuple(str(n) for n in notes))


@dataclass
class _Context:
    """Everything one student's pages are built from."""

    course_root: Path
    assignment: str
    student: str
    notebook_names: list[str]
    record: SubmissionScores | None
    sidecar: Sidecar
    submitted_at: str | None
    hints: dict[str, str] = field(default_factory=dict)


def _check_name(kind: str, name: str) -> None:
    if not name or name in (".", "..") or Path(name).name != name or "\\" in name:
        raise ValueError(f"{kind} {name!r} is not a plain folder name; give the id as it appears in "
                         f"{AUTOGRADED_DIR}/")


def _autograded_folder(course_root: Path, assignment: str, student: str) -> Path:
    _check_name("student", student)
    folder = Path(course_root) / AUTOGRADED_DIR / student / assignment
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} does not exist: student {student!r} has no autograded submission of "
                                f"{assignment!r}; check the student id, or autograde the submission first")
    return folder


def _submitted_at(course_root: Path, assignment: str, student: str, record: SubmissionScores | None) -> str | None:
    if record is not None and record.timestamp is not None:
        return f"{record.timestamp:%Y-%m-%d %H:%M} UTC"
    for base in (AUTOGRADED_DIR, SUBMITTED_DIR):
        stamp = Path(course_root) / base / student / assignment / "timestamp.txt"
        if stamp.is_file():
            text = stamp.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            return text[0][:64] if text else None
    return None


def _question_hints(assignment: str) -> dict[str, str]:
    """Per question id (``q2``), the note of the exercise's public self-check, used as a hint for hidden tests."""
    from .. import selfcheck

    try:
        registry = selfcheck.load_checks(assignment)
    except Exception:  # no self-checks for this assignment (or they fail to import): no hints
        return {}
    return {qid: q.note for qid, q in registry.items() if q.note}


def _contexts(course_root: Path, assignment: str, students: list[str] | None, db_url: str | None) -> list[_Context]:
    """One context per student (default: every autograded student), from one gradebook session."""
    _check_name("assignment", assignment)
    course_root = Path(course_root)
    url = existing_url(course_root, db_url)
    with reading(url) as gb:
        names = sorted(nb.name for nb in require_assignment(gb, assignment, url).notebooks)
    wanted = autograded_students(course_root, assignment) if students is None else students
    folders = [(student, _autograded_folder(course_root, assignment, student)) for student in wanted]
    try:
        recorded = {s.student: s for s in read_scores(url, assignment, [s for s, _ in folders])}
    except NbgraderError as exc:
        raise ValueError(str(exc)) from None
    found = [(student, folder, recorded.get(student)) for student, folder in folders]
    hints = _question_hints(assignment)
    out = []
    for student, folder, record in found:
        sidecar = Sidecar.read(folder)
        if record is None and not sidecar.failed:
            raise ValueError(f"{folder} exists but the gradebook {redact(url)} has no grades for {student!r} on "
                             f"{assignment!r}; autograde the submission again")
        out.append(_Context(course_root, assignment, student, names, record, sidecar,
                            _submitted_at(course_root, assignment, student, record), hints))
    return out


# --------------------------------------------------------------------------- hidden tests
def hidden_lines(*sources: str) -> set[str]:
    """Stripped, non-empty lines inside ``### BEGIN/END HIDDEN TESTS`` blocks of the given cell sources."""
    out = set()
    for source in sources:
        for block in _HIDDEN_BLOCK.findall(source or ""):
            out |= {ln.strip() for ln in block.splitlines() if ln.strip()}
    return out


def _notebook_hidden_lines(release: dict[str, Any], *notebooks: nbformat.NotebookNode | None) -> set[str]:
    """Hidden lines of the graded and source notebooks: inside the markers, and, in case a grader dropped the
    markers, any line of a test cell that its public (released) version does not have."""
    out = hidden_lines(*(c.get("source", "") for nb in notebooks if nb is not None for c in nb.cells))
    for nb in notebooks:
        for cell in nb.cells if nb is not None else []:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                public_cell = release.get(meta.get("grade_id"))
                public = {ln.strip() for ln in public_cell.source.splitlines()} if public_cell else set()
                out |= {ln.strip() for ln in cell.get("source", "").splitlines() if ln.strip()} - public
    return out


def failure_message(ename: str | None, evalue: str | None, hidden: set[str], hint: str | None = None, *,
                    public_only: bool = True, question: str | None = None) -> str:
    """Plain-language verdict of a failed test: ``ename: evalue`` minus hidden lines, never a traceback.

    Only what the public checks say is shown: the message of a test cell that is public as a whole
    (``public_only``), or, from a cell that also holds hidden tests, a self-check's verdict on its own
    ``question`` ("q3 ...: not yet." and its lines).  Anything else -- a hidden test's message, or text the
    student's code put into an exception -- and an empty message (a bare ``assert``) become "A hidden test
    failed for this question." plus the question's hint.
    """
    value, _ = scrub(clean_text(evalue or ""), hidden)
    value = "\n".join(ln for ln in value.splitlines() if ln.strip()).strip()
    if value and (public_only or is_check_verdict(value, question)):
        return f"{ename}: {value}" if ename else value
    text = HIDDEN_FAILED
    if ename and ename != "AssertionError":
        text += f" It raised {ename}."
    if hint:
        text += f" Hint: {hint}"
    return text


def is_check_verdict(text: str, question: str | None) -> bool:
    """Whether ``text`` is a failed self-check's verdict on ``question`` (its first line "q3 <title>: not yet.")."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    m = _VERDICT.match(first)
    return bool(m and question and m.group(1).lower() == question.lower())


def question_labels(grade_ids_in_order: list[str], graded: set[str]) -> dict[str, str]:
    """Short labels for graded cells: ``q3_tests`` -> "Q3"; a graded cell without a number takes the number of
    the nearest ``qN_...`` cell above it (``short_answer`` after ``q8_task`` -> "Q8"), else its own id."""
    labels, last = {}, None
    for gid in grade_ids_in_order:
        m = _QUESTION.match(gid)
        if m:
            last = f"Q{m.group(1)}"
        if gid in graded:
            labels[gid] = f"Q{m.group(1)}" if m else (last or gid)
    for gid in graded - set(labels):
        m = _QUESTION.match(gid)
        labels[gid] = f"Q{m.group(1)}" if m else gid
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    return {gid: (f"{lab} ({gid})" if counts[lab] > 1 else lab) for gid, lab in labels.items()}


def _read_nb(path: Path) -> nbformat.NotebookNode | None:
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception:  # missing or malformed: the caller shows what it can without it
        return None


def _gid(cell: Any) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _late_text(record: SubmissionScores | None) -> str:
    if record is None:
        return "unknown"
    if record.timestamp is None:
        return "unknown (no submission time recorded)"
    if record.duedate is None:
        return "no due date set"
    if record.seconds_late <= 0:
        return "on time"
    minutes = int(record.seconds_late // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = ([f"{days} d"] if days else []) + ([f"{hours} h"] if hours else []) + [f"{mins} min"]
    text = "late by " + " ".join(parts)
    if record.late_penalty:
        text += f" (late penalty: {fmt(record.late_penalty)} points)"
    return text


# --------------------------------------------------------------------------- the page
def _questions_table(grades: NotebookGrades, labels: dict[str, str], order: list[str]) -> str:
    if not grades.grades:
        return "<p class='note'>No graded questions in this notebook.</p>"
    ordered = [g for g in order if g in grades.grades] + sorted(set(grades.grades) - set(order))
    rows = "".join(
        f"<tr><td><a href='#{anchor(gid)}'>{esc(labels.get(gid, gid))}</a></td>"
        f"<td>{esc(fmt(g.score))} / {esc(fmt(g.max_score))}</td>"
        f"<td class='{status_class(grade_status(g))}'>{esc(grade_status(g))}</td></tr>"
        for gid in ordered for g in [grades.grades[gid]])
    return ("<table class='q'><thead><tr><th>Question</th><th>Points</th><th>Result</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _comment(grades: NotebookGrades, gid: str | None) -> str:
    if gid and gid in grades.comments:
        return f"<div class='comment'><b>Comment:</b> {esc(grades.comments[gid])}</div>"
    return ""


def _grade_line(grade: GradeRecord | None, label: str) -> str:
    if grade is None:
        return ""
    return (f"<p class='score'>{esc(label)}: {esc(fmt(grade.score))} / {esc(fmt(grade.max_score))} "
            f"<span class='{status_class(grade_status(grade))}'>({esc(grade_status(grade))})</span></p>")


def _holds_hidden_tests(source: str, public: str | None) -> bool:
    """Whether a test cell's graded source has more than its released (public) version."""
    if public is None or hidden_lines(source):
        return True
    shown = {ln.strip() for ln in public.splitlines()}
    return any(ln.strip() and ln.strip() not in shown for ln in source.splitlines())


def _test_cell(cell: Any, cell_id: str | None, *, public: str | None, grade: GradeRecord | None, label: str,
               hidden: set[str], hint: str | None, question: str | None) -> str:
    status = grade_status(grade) if grade else "not graded"
    css = "ok" if status == "passed" else "bad" if status == "failed" else ""
    where = f" id='{anchor(cell_id)}'" if cell_id else ""
    parts = [f"<div class='cell test {css}'{where}><div class='tag'>Test for {esc(label)}</div>"]
    if public is not None:
        parts.append(f"<pre class='src'>{esc(clean_text(public))}</pre>")
    else:
        parts.append("<p class='note'>[test code not shown: this cell is not in the released notebook]</p>")
    parts.append(_grade_line(grade, "Points"))
    if grade is not None and grade.auto_score is not None and grade.auto_score < grade.max_score:
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        last = errors[-1] if errors else {}
        message = failure_message(last.get("ename"), last.get("evalue"), hidden, hint, question=question,
                                  public_only=not _holds_hidden_tests(cell.get("source", ""), public))
        parts.append(f"<p class='why'>Why it did not pass</p><pre class='msg'>{esc(message)}</pre>")
    parts.append("</div>")
    return "".join(parts)


def _cells(nb: nbformat.NotebookNode, release: dict[str, Any], grades: NotebookGrades, labels: dict[str, str],
           hidden: set[str], hints: dict[str, str]) -> str:
    parts = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        gid = meta.get("grade_id")
        is_test = bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"
        locked = bool(meta.get("locked")) or is_test or (gid in release and release[gid].get("metadata", {})
                                                          .get("nbgrader", {}).get("locked"))
        grade = grades.grades.get(gid) if gid else None
        label = labels.get(gid, gid or "")
        if is_test:
            public = release[gid].source if gid in release else None
            m = _QUESTION.match(gid or "")
            question = f"q{m.group(1).lower()}" if m else None
            parts.append(_test_cell(cell, gid if grade else None, public=public, grade=grade, label=label, hidden=hidden,
                                    hint=hints.get(question or ""), question=question))
            continue
        if locked:
            if gid not in release:
                continue  # a locked cell the student never saw: nothing of it is shown
            source = release[gid].source
        else:
            source = cell.source
        if cell.cell_type == "markdown":
            body = f"<div class='md'>{render_markdown(clean_text(source))}</div>"
        elif cell.cell_type == "code":
            body = (f"<pre class='src'>{esc(clean_text(source))}</pre>" if source.strip() else "") + \
                   outputs_html(cell.get("outputs", []), hidden)
        else:
            body = f"<pre class='src'>{esc(clean_text(source))}</pre>"
        if not body.strip():
            continue
        tag = "" if locked else "<div class='tag'>Your answer</div>" if meta.get("solution") else ""
        where = f" id='{anchor(gid)}'" if gid and grade else ""
        parts.append(f"<div class='cell'{where}>{tag}{body}{_grade_line(grade, label)}{_comment(grades, gid)}</div>")
    return "".join(parts)


def _notebook_section(ctx: _Context, name: str) -> str:
    root, a, s = ctx.course_root, ctx.assignment, ctx.student
    grades = NotebookGrades.of(ctx.record, name)
    graded_nb = _read_nb(root / AUTOGRADED_DIR / s / a / f"{name}.ipynb")
    release_nb = _read_nb(root / EXERCISES_DIR / a / f"{name}.ipynb")
    source_nb = _read_nb(root / SOLUTIONS_DIR / a / f"{name}.ipynb")
    release = {gid: c for c in (release_nb.cells if release_nb else []) if (gid := _gid(c))}
    order = [g for nb in (graded_nb, release_nb) if nb is not None for c in nb.cells if (g := _gid(c))]
    order = list(dict.fromkeys(order))
    labels = question_labels(order, set(grades.grades))
    hidden = _notebook_hidden_lines(release, graded_nb, source_nb)
    parts = [f"<section><h2>{esc(name)}.ipynb</h2>",
             f"<p class='score'>Score: {esc(fmt(grades.score))} / {esc(fmt(grades.max_score))}</p>",
             _questions_table(grades, labels, order), "<h3>Your notebook</h3>"]
    if graded_nb is None:
        parts.append("<p class='note'>This notebook was not found among your graded files "
                     "(was it submitted under this name?).</p>")
    else:
        if release_nb is None:
            parts.append("<p class='note'>The released notebook is missing from the course folder, so the test "
                         "code is not shown.</p>")
        parts.append(_cells(graded_nb, release, grades, labels, hidden, ctx.hints))
    parts.append("</section>")
    return "".join(parts)


def _page(ctx: _Context, notebooks: list[str]) -> str:
    failed = ctx.sidecar.failed
    total = "not graded"
    if not failed and ctx.record is not None:
        total = esc(f"{fmt(ctx.record.score)} / {fmt(ctx.record.max_score)}")
        if any(grade_status(g) == "needs manual grading" for g in ctx.record.grades):
            total += "<span class='sofar'>so far: some answers still need manual grading</span>"
    facts = [("Student", ctx.student), ("Assignment", ctx.assignment),
             ("Submitted", ctx.submitted_at or "unknown"),
             ("Lateness", _late_text(ctx.record))]
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    dl += f"<dt>Score</dt><dd class='total'>{total}</dd>"
    parts = [f"<h1>Feedback: {esc(ctx.assignment)}</h1>", f"<div class='box'><dl class='facts'>{dl}</dl></div>"]
    if failed:
        reason = ctx.sidecar.reason or "no reason was recorded"
        parts.append("<div class='box alert'><p><b>Your submission could not be graded.</b></p>"
                     f"<p>Reason: {esc(reason)}</p><p>Please ask your trainer what to do next.</p></div>")
    if ctx.sidecar.notes:
        items = "".join(f"<li>{esc(n)}</li>" for n in ctx.sidecar.notes)
        parts.append(f"<div class='box notes'><h3>Notes from the grader</h3><ul>{items}</ul></div>")
    if not failed:
        parts += [_notebook_section(ctx, name) for name in notebooks]
    title = f"Feedback: {ctx.assignment} ({ctx.student})"
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
            "<meta name='referrer' content='no-referrer'>"
            f"<title>{esc(title)}</title><style>{CSS}</style></head>"
            f"<body><main>{''.join(parts)}</main></body></html>\n")


# --------------------------------------------------------------------------- public API
def feedback_html(course_root: Path, assignment: str, student: str, db_url: str | None = None) -> str:
    """The feedback page for ``student``'s submission of ``assignment`` (all its notebooks), as HTML text.

    Raises ValueError if the assignment is not in the gradebook and
    FileNotFoundError if the student has no ``autograded/<student>/<assignment>`` folder.
    """
    (ctx,) = _contexts(Path(course_root), assignment, [student], db_url)
    return _page(ctx, ctx.notebook_names)


def autograded_students(course_root: Path, assignment: str) -> list[str]:
    """Students with an ``autograded/<student>/<assignment>`` folder, sorted."""
    base = Path(course_root) / AUTOGRADED_DIR
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / assignment).is_dir() and not p.name.startswith("."))


def write_feedback(course_root: Path, assignment: str, students: list[str] | None = None,
                   db_url: str | None = None) -> list[Path]:
    """Write ``feedback/<student>/<assignment>/<notebook>.html`` for each autograded student (or ``students``).

    One page per notebook, as nbgrader lays feedback out; each page carries the
    assignment's header and that notebook's questions and cells.  Returns the
    paths written.  Errors as for :func:`feedback_html`, all raised before
    anything is written.
    """
    course_root = Path(course_root)
    written = []
    for ctx in _contexts(course_root, assignment, students, db_url):
        for name in ctx.notebook_names:
            path = course_root / FEEDBACK_DIR / ctx.student / assignment / f"{name}.html"
            write_text_atomic(path, _page(ctx, [name]))
            written.append(path)
    return written
