"""Collect students' submissions into nbgrader's ``submitted/<student>/<assignment>/`` layout.

Three kinds of source are recognised from the path alone:

1. a course folder in nbgrader's layout (``submitted/<student>/<assignment>/<notebook>``,
   optional ``timestamp.txt``), or that ``submitted/`` folder itself;
2. a flat folder of ``<student>.ipynb`` files, as a learning-management system exports them.
   Only the exact shape ``<student>.ipynb`` is understood; for other shapes pass ``pattern``,
   a regular expression with a named group ``student`` that must match the whole file name
   (or the name without ``.ipynb``), e.g. ``r"(?P<student>[^_]+)_.*"`` for ``ann_m3_final.ipynb``;
3. a ``.zip`` of either, possibly wrapped in one top-level folder.  Members are read with
   :mod:`zipfile` and never extracted: ``../`` paths, absolute paths and symlinks are refused
   (``unsafe-path``), members above ``max_member_bytes`` are refused (``too-large``), and a zip
   whose members add up to more than ``max_total_bytes`` (a zip bomb) raises ``ValueError``.

Nothing is dropped silently: every file that is not collected becomes a :class:`Problem`
whose message says what to do.  Operating-system clutter (names starting with ``.``,
``__MACOSX``, ``__pycache__``, ``*.pyc``, ``Thumbs.db``, ``desktop.ini`` and nbgrader's ignored
``feedback`` folder) is skipped without a report.  A notebook that is not valid JSON is still
collected (the grader records it as failed) and reported as ``malformed``.

:func:`scan` only reads; :func:`collect` copies into ``<course_root>/submitted`` atomically,
leaves identical submissions untouched and never deletes anything there.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from nbgrader.utils import parse_utc

from ..files import write_bytes_atomic
from ..paths import SUBMITTED_DIR
from .collect_sources import Entry, Problem, TooLarge, Tree, open_tree

#: nbgrader's own ``Exchange.timestamp_format`` (with timezone UTC), e.g. ``2025-12-31 09:30:00.000000 UTC``.
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
#: Largest single notebook (or zip member) accepted, in bytes.
MAX_MEMBER_BYTES = 20 * 1024 * 1024
#: Largest total uncompressed size of a zip, in bytes (beyond this the zip is refused as a zip bomb).
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
#: A student id nbgrader and the course folders can use safely.
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_TIMESTAMP_FILE = "timestamp.txt"
_MAX_TIMESTAMP_BYTES = 4096
_WRAPPER_DEPTH = 4  # how many single wrapping folders are looked through


@dataclass
class Submission:
    """One student's notebook for one assignment (``path`` is inside the zip for zip sources)."""

    student: str
    assignment: str
    notebook: str
    path: Path
    timestamp: datetime | None
    digest: str  # sha256 of the file bytes, hex


#: What each kind of problem means for the trainer, one line each, in the order the summary lists them.
PROBLEM_KINDS = {
    "missing": "on the roster but nothing submitted",
    "duplicate": "more than one submission for one student; none of them was collected",
    "bad-name": "the file name does not give a usable student id",
    "malformed": "collected, but not a readable notebook: the grader will record it as failed",
    "unknown-notebook": "a notebook the assignment does not have",
    "not-a-notebook": "not a notebook; not collected",
    "unsafe-path": "refused: the path points outside the folder or is a link",
    "too-large": "refused: bigger than the size limit",
}


@dataclass
class Collection:
    """What :func:`scan` or :func:`collect` found for one assignment.

    ``actions`` (filled by :func:`collect`) maps each collected student to ``"new"``,
    ``"replaced"``, ``"unchanged"`` or ``"in place"``.
    """

    assignment: str
    submissions: list[Submission]
    problems: list[Problem]
    actions: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        """Counts, then each problem on its own line with its fix, for the terminal."""
        n = len(self.submissions)
        head = f"{self.assignment}: {n} submission{'s' * (n != 1)}"
        if self.actions:
            counts: dict[str, int] = {}
            for action in self.actions.values():
                counts[action] = counts.get(action, 0) + 1
            head += " (" + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) + ")"
        malformed = sum(p.kind == "malformed" for p in self.problems)
        others = len(self.problems) - malformed
        head += f", {others} problem{'s' * (others != 1)}"
        if malformed:
            head += f", {malformed} malformed notebook{'s' * (malformed != 1)} kept for the grader"
        lines = [head]
        order = list(PROBLEM_KINDS)
        for p in sorted(self.problems, key=lambda p: (order.index(p.kind) if p.kind in order else len(order), p.path)):
            lines.append(f"  [{p.kind}] {p.path}: {p.message}")
        return "\n".join(lines)


# --------------------------------------------------------------------------- public API
def scan(source: Path, assignment: str, notebook: str, roster: list[str] | None = None,
         pattern: str | None = None, *, max_member_bytes: int = MAX_MEMBER_BYTES,
         max_total_bytes: int = MAX_TOTAL_BYTES) -> Collection:
    """Read the submissions in ``source`` for ``assignment`` (file name ``notebook``) without writing anything."""
    with open_tree(Path(source), max_total_bytes) as tree:
        coll, _ = _scan_tree(tree, assignment, notebook, roster, pattern, max_member_bytes)
    return coll


def collect(source: Path, course_root: Path, assignment: str, notebook: str, roster: list[str] | None = None,
            pattern: str | None = None, *, max_member_bytes: int = MAX_MEMBER_BYTES,
            max_total_bytes: int = MAX_TOTAL_BYTES) -> Collection:
    """Copy the submissions in ``source`` to ``course_root/submitted/<student>/<assignment>/<notebook>``.

    Each copy is atomic (temporary file + ``os.replace``) and gets a ``timestamp.txt`` in nbgrader's
    format, taken from the source's ``timestamp.txt``, else the zip member's date, else the file's
    modification time.  A submission whose bytes equal what is already there is not touched (file,
    modification time and ``timestamp.txt`` stay); a different one replaces it.  Nothing already in
    ``submitted/`` is ever deleted.  When ``source`` is ``course_root/submitted`` (or ``course_root``)
    nothing is copied and the submissions are reported where they are.
    """
    course_root = Path(course_root)
    if not course_root.is_dir():
        raise FileNotFoundError(f"{course_root}: course folder not found; expected the folder that holds "
                                "nbgrader_config.py (create it, or fix the path)")
    dest_base = course_root / SUBMITTED_DIR
    source = Path(source)
    if source.exists() and source.resolve() in (dest_base.resolve(), course_root.resolve()):
        coll = scan(source, assignment, notebook, roster, pattern,
                    max_member_bytes=max_member_bytes, max_total_bytes=max_total_bytes)
        coll.actions = {s.student: "in place" for s in coll.submissions}
        return coll
    with open_tree(source, max_total_bytes) as tree:
        coll, found = _scan_tree(tree, assignment, notebook, roster, pattern, max_member_bytes)
        existing = _existing_students(dest_base)
        kept: list[Submission] = []
        for sub in coll.submissions:
            same = existing.get(sub.student.lower())
            if same is not None and same != sub.student:
                coll.problems.append(Problem(str(sub.path), "duplicate", (
                    f"student {sub.student!r} differs only in case from {same!r} already in {dest_base}; "
                    f"not collected: rename the file to {same!r} if it is the same student")))
                continue
            try:
                data = found[sub.student].read(max_member_bytes)
            except TooLarge:
                coll.problems.append(_too_large(str(sub.path), max_member_bytes))
                continue
            except OSError as exc:  # vanished or became unreadable since it was scanned
                coll.problems.append(Problem(str(sub.path), "not-a-notebook", f"could not be read ({exc}); "
                                             "not collected: check the file and collect again"))
                continue
            kept.append(_place(sub, data, dest_base, coll.actions))
        coll.submissions = kept
    return coll


# --------------------------------------------------------------------------- writing
def format_timestamp(when: datetime) -> str:
    """``when`` in nbgrader's ``timestamp.txt`` format, in UTC (naive datetimes are taken as UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime(TIMESTAMP_FORMAT)


def _existing_students(dest_base: Path) -> dict[str, str]:
    if not dest_base.is_dir():
        return {}
    return {d.name.lower(): d.name for d in dest_base.iterdir() if d.is_dir()}


def _place(sub: Submission, data: bytes, dest_base: Path, actions: dict[str, str]) -> Submission:
    dst = dest_base / sub.student / sub.assignment / sub.notebook
    stamp_file = dst.parent / _TIMESTAMP_FILE
    digest = hashlib.sha256(data).hexdigest()
    if dst.is_file() and not dst.is_symlink() and _file_digest(dst) == digest:
        actions[sub.student] = "unchanged"
        when = _read_timestamp_file(stamp_file) or sub.timestamp
    else:
        actions[sub.student] = "replaced" if dst.exists() else "new"
        when = sub.timestamp or datetime.now(timezone.utc)
        write_bytes_atomic(dst, data)
        write_bytes_atomic(stamp_file, (format_timestamp(when) + "\n").encode("ascii"))
    return Submission(sub.student, sub.assignment, sub.notebook, dst, when, digest)


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _read_timestamp_file(path: Path) -> datetime | None:
    try:
        return _parse_timestamp(path.read_bytes())
    except (OSError, ValueError):
        return None


# --------------------------------------------------------------------------- reading a tree
def _locate(tree: Tree, assignment: str) -> tuple[str, tuple[str, ...]]:
    """Which layout the tree holds and where: ("nbgrader", parts of submitted/) or ("flat", parts)."""
    parts: tuple[str, ...] = ()
    for _ in range(_WRAPPER_DEPTH + 1):
        files, dirs = tree.children(parts)
        if SUBMITTED_DIR in dirs:
            return "nbgrader", parts + (SUBMITTED_DIR,)
        if (parts[-1] if parts else tree.name) == SUBMITTED_DIR:
            return "nbgrader", parts
        if any(assignment in tree.children(parts + (d,))[1] for d in dirs):
            return "nbgrader", parts
        if any(f.lower().endswith(".ipynb") for f in files):
            return "flat", parts
        if len(dirs) == 1 and not files:
            parts += (dirs[0],)
            continue
        break
    return "flat", parts


@dataclass
class _Candidate:
    student: str
    entry: Entry
    stamp: Entry | None = None


@dataclass
class _Folder:  # one submitted/<student>/<assignment>/ while it is being read
    notebook: Entry | None = None
    stamp: Entry | None = None


def _scan_tree(tree: Tree, assignment: str, notebook: str, roster: list[str] | None, pattern: str | None,
               max_bytes: int) -> tuple[Collection, dict[str, Entry]]:
    _check_names(assignment, notebook)
    regex = _compile_pattern(pattern)
    problems = list(tree.problems)
    layout, base = _locate(tree, assignment)
    if layout == "nbgrader":
        candidates, mentioned = _nbgrader_candidates(tree, base, assignment, notebook, problems)
    else:
        candidates = _flat_candidates(tree, base, regex, problems)
        mentioned = {c.student.lower() for c in candidates}
    candidates = _drop_duplicates(candidates, problems)
    submissions: list[Submission] = []
    found: dict[str, Entry] = {}
    for cand in candidates:
        sub = _read_candidate(cand, assignment, notebook, max_bytes, problems)
        if sub is not None:
            submissions.append(sub)
            found[sub.student] = cand.entry
    submissions.sort(key=lambda s: s.student.lower())
    if roster is not None:
        problems += _missing(roster, submissions, mentioned)
    return Collection(assignment, submissions, problems), found


def _check_names(assignment: str, notebook: str) -> None:
    if not STUDENT_ID.fullmatch(assignment or ""):
        raise ValueError(f"assignment {assignment!r} is not a usable nbgrader assignment id; use letters, digits, "
                         "'.', '_', '-' (e.g. m3_customer_grading)")
    if not notebook or "/" in notebook or "\\" in notebook or notebook.startswith(".") \
            or not notebook.endswith(".ipynb"):
        raise ValueError(f"notebook {notebook!r} should be a plain notebook file name such as m3_exercise.ipynb")


def _compile_pattern(pattern: str | None) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"pattern {pattern!r} is not a valid regular expression ({exc})") from None
    if "student" not in regex.groupindex:
        raise ValueError(f"pattern {pattern!r} has no named group 'student'; write it like "
                         r"'(?P<student>[^_]+)_.*' so the student id can be read from the file name")
    return regex


def _suggest(name: str) -> str:
    fixed = re.sub(r"[^A-Za-z0-9._@-]+", "_", name).strip("._-@")[:64]
    return fixed or "a name made of letters and digits"


def _bad_name(display: str, student: str, hint: str) -> Problem:
    return Problem(display, "bad-name", (
        f"{student!r} is not a usable student id (letters, digits, '.', '_', '@', '-', starting with a letter "
        f"or digit, at most 64 characters); {hint} {_suggest(student)!r}"))


def _not_a_notebook(entry: Entry, why: str) -> Problem:
    return Problem(entry.display, "not-a-notebook", why)


def _too_large(display: str, limit: int) -> Problem:
    return Problem(display, "too-large", (
        f"more than {limit} bytes; not read. Ask the student to clear the outputs (Edit > Clear Outputs of "
        "All Cells), save and resubmit, or raise max_member_bytes"))


def _unsafe(entry: Entry) -> Problem:
    return Problem(entry.display, "unsafe-path", (
        f"{entry.unsafe}; not followed. Replace it with the real file if it is a submission"))


def _flat_candidates(tree: Tree, base: tuple[str, ...], regex: re.Pattern[str] | None,
                     problems: list[Problem]) -> list[_Candidate]:
    out = []
    for entry in tree.walk(base):
        if entry.unsafe:
            problems.append(_unsafe(entry))
            continue
        rel = entry.parts[len(base):]
        name = rel[-1]
        if len(rel) > 1:
            problems.append(_not_a_notebook(entry, (
                f"inside the sub-folder {'/'.join(rel[:-1])!r}; a flat export holds <student>.ipynb files "
                "directly: move it up if it is a submission")))
            continue
        if not name.lower().endswith(".ipynb"):
            problems.append(_not_a_notebook(entry, "not a .ipynb notebook; not collected. Ask the student to "
                                                   "submit the notebook itself"))
            continue
        stem = name[: -len(".ipynb")]
        if regex is None:
            student = stem
        else:
            m = regex.fullmatch(name) or regex.fullmatch(stem)
            if m is None or not m.group("student"):
                problems.append(Problem(entry.display, "bad-name", (
                    f"the file name does not match the pattern {regex.pattern!r}; rename it or adjust the "
                    "pattern")))
                continue
            student = m.group("student")
        if not STUDENT_ID.fullmatch(student):
            problems.append(_bad_name(entry.display, student, "rename the file, e.g. to"))
            continue
        out.append(_Candidate(student, entry))
    return out


def _nbgrader_candidates(tree: Tree, base: tuple[str, ...], assignment: str, notebook: str,
                         problems: list[Problem]) -> tuple[list[_Candidate], set[str]]:
    """Candidates from ``base/<student>/<assignment>/``, and every student with anything there (lower case)."""
    folders: dict[str, _Folder] = {}
    mentioned: set[str] = set()
    elsewhere: set[str] = set()
    for entry in tree.walk(base):
        rel = entry.parts[len(base):]
        if len(rel) >= 3 and rel[1] != assignment:
            elsewhere.add(rel[1])  # another assignment's submission: not ours to judge
            continue
        if len(rel) == 1:
            problems.append(_unsafe(entry) if entry.unsafe else _not_a_notebook(entry, (
                "a file directly in submitted/; nbgrader expects submitted/<student>/<assignment>/<notebook>: "
                "move it there if it is a submission")))
            continue
        if len(rel) == 2:  # a loose file in a student's folder matters only if it stands in for this assignment
            if rel[1] == assignment:
                mentioned.add(rel[0].lower())
                problems.append(_unsafe(entry) if entry.unsafe else _not_a_notebook(entry, (
                    f"a file where the folder {assignment}/ should be; not collected")))
            continue
        mentioned.add(rel[0].lower())
        if entry.unsafe:
            problems.append(_unsafe(entry))
            continue
        student, name = rel[0], rel[-1]
        if len(rel) > 3:
            problems.append(_not_a_notebook(entry, "inside a sub-folder of the submission; not collected"))
            continue
        if name == _TIMESTAMP_FILE:
            folders.setdefault(student, _Folder()).stamp = entry
            continue
        if name == notebook:
            folders.setdefault(student, _Folder()).notebook = entry
            continue
        if name.lower().endswith(".ipynb"):
            problems.append(Problem(entry.display, "unknown-notebook", (
                f"assignment {assignment} has no notebook {name!r}; rename it to {notebook!r} if it is the "
                "student's work (and remove the other copy), or ignore it")))
        else:
            problems.append(_not_a_notebook(entry, "not a notebook; not collected (nbgrader grades "
                                                   f"{notebook} only)"))
    out = []
    for student, folder in sorted(folders.items()):
        if folder.notebook is None:
            continue  # only a timestamp.txt: nothing to grade (reported as missing when on the roster)
        if not STUDENT_ID.fullmatch(student):
            problems.append(_bad_name(folder.notebook.display, student, "rename the student folder, e.g. to"))
            continue
        out.append(_Candidate(student, folder.notebook, folder.stamp))
    if not mentioned and elsewhere:
        raise ValueError(f"no submissions for assignment {assignment!r} under {'/'.join((tree.label,) + base)}; "
                         f"it holds {', '.join(sorted(elsewhere))}: check the assignment name")
    return out, mentioned


def _drop_duplicates(candidates: list[_Candidate], problems: list[Problem]) -> list[_Candidate]:
    groups: dict[str, list[_Candidate]] = {}
    for cand in candidates:
        groups.setdefault(cand.student.lower(), []).append(cand)
    out = []
    for group in groups.values():
        if len(group) == 1:
            out.append(group[0])
            continue
        names = ", ".join(sorted({c.entry.display for c in group}))
        for cand in group:
            problems.append(Problem(cand.entry.display, "duplicate", (
                f"student {cand.student!r} has {len(group)} submissions ({names}); none was collected: "
                "keep the one to grade and remove or rename the others")))
    return out


def _parse_timestamp(raw: bytes) -> datetime:
    text = raw.decode("utf-8").strip()
    if not text:
        raise ValueError("empty")
    return parse_utc(text).replace(tzinfo=timezone.utc)


def _read_candidate(cand: _Candidate, assignment: str, notebook: str, max_bytes: int,
                    problems: list[Problem]) -> Submission | None:
    entry = cand.entry
    try:
        data = entry.read(max_bytes)
    except TooLarge:
        problems.append(_too_large(entry.display, max_bytes))
        return None
    except OSError as exc:
        problems.append(_not_a_notebook(entry, f"could not be read ({exc}); not collected"))
        return None
    why = _malformed(data)
    if why:
        problems.append(Problem(entry.display, "malformed", (
            f"{why}; collected anyway so the grader records it as failed. Ask the student to open it in "
            "JupyterLab, save and resubmit")))
    when = entry.mtime
    if cand.stamp is not None:
        try:
            when = _parse_timestamp(cand.stamp.read(_MAX_TIMESTAMP_BYTES))
        except (TooLarge, OSError, ValueError, OverflowError, UnicodeDecodeError):
            problems.append(Problem(cand.stamp.display, "malformed", (
                "timestamp.txt is not a date nbgrader can read; the notebook's modification time is used "
                "instead. Fix the file (e.g. '2025-12-31 09:30:00.000000 UTC') or delete it")))
    return Submission(cand.student, assignment, notebook, Path(entry.display), when, hashlib.sha256(data).hexdigest())


def _malformed(data: bytes) -> str | None:
    """Why ``data`` is not a notebook nbgrader can open, or None."""
    if not data.strip():
        return "the notebook file is empty"
    try:
        obj = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return "the notebook file is not UTF-8 text"
    except json.JSONDecodeError as exc:
        return f"broken notebook JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})"
    if not isinstance(obj, dict) or not isinstance(obj.get("cells"), list) or "nbformat" not in obj:
        return "JSON, but not a Jupyter notebook (no 'cells' or 'nbformat')"
    return None


def _missing(roster: list[str], submissions: list[Submission], mentioned: set[str]) -> list[Problem]:
    have = {s.student for s in submissions}
    by_lower = {s.student.lower(): s.student for s in submissions}
    out = []
    for student in dict.fromkeys(s.strip() for s in roster if s and s.strip()):
        if student in have:
            continue
        near = by_lower.get(student.lower())
        if near is not None:
            msg = (f"nothing submitted under {student!r}, but {near!r} was collected: rename that submission "
                   f"to {student!r} if it is the same student")
        elif student.lower() in mentioned:
            msg = "no submission could be collected; see the problems listed for this student's files"
        else:
            msg = "on the roster but nothing submitted; ask the student to submit, or record a zero"
        out.append(Problem(student, "missing", msg))
    return out
