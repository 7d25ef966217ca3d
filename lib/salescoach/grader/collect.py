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
import os
import re
import stat
import struct
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from fnmatch import fnmatch
from pathlib import Path

from nbgrader.utils import parse_utc

from ..files import write_bytes_atomic
from ..paths import SUBMITTED_DIR

#: nbgrader's own ``Exchange.timestamp_format`` (with timezone UTC), e.g. ``2025-12-31 09:30:00.000000 UTC``.
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
#: Largest single notebook (or zip member) accepted, in bytes.
MAX_MEMBER_BYTES = 20 * 1024 * 1024
#: Largest total uncompressed size of a zip, in bytes (beyond this the zip is refused as a zip bomb).
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
#: Largest number of members in a zip.
MAX_MEMBERS = 20_000
#: A student id nbgrader and the course folders can use safely.
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_JUNK_NAMES = ("__MACOSX", "__pycache__", "*.pyc", "Thumbs.db", "desktop.ini", "feedback")
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


@dataclass
class Problem:
    """A file that was not collected as it stands (or a roster student without one), and what to do."""

    path: str
    kind: str  # bad-name, duplicate, not-a-notebook, malformed, unsafe-path, too-large, unknown-notebook, missing
    message: str


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
    with _open_tree(Path(source), max_total_bytes) as tree:
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
    with _open_tree(source, max_total_bytes) as tree:
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
            except _TooLarge:
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


# --------------------------------------------------------------------------- sources as trees
class _TooLarge(Exception):
    pass


@dataclass
class _Entry:
    """A file of the source: relative path parts, where to show it, its date, how to read it."""

    parts: tuple[str, ...]
    display: str
    size: int
    mtime: datetime | None
    read: Callable[[int], bytes]  # read(limit) -> bytes, raises _TooLarge beyond limit
    unsafe: str | None = None  # a reason the entry must not be read


class _Tree:
    """A source as relative paths: children of a folder and every file below one."""

    def __init__(self, name: str | None, label: str) -> None:
        self.name = name  # the source folder's own name (None for a zip)
        self.label = label  # the source as the trainer named it
        self.problems: list[Problem] = []  # found while opening (zip members that are unsafe or duplicated)

    def children(self, parts: tuple[str, ...]) -> tuple[list[str], list[str]]:  # (files, folders), junk skipped
        raise NotImplementedError

    def walk(self, parts: tuple[str, ...]) -> Iterator[_Entry]:
        raise NotImplementedError


def _is_junk(name: str) -> bool:
    return name.startswith(".") or any(fnmatch(name, pat) for pat in _JUNK_NAMES)


def _read_limited(fh, limit: int) -> bytes:  # type: ignore[no-untyped-def]
    chunks, total = [], 0
    while True:
        chunk = fh.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise _TooLarge
        chunks.append(chunk)


class _FolderTree(_Tree):
    def __init__(self, root: Path) -> None:
        super().__init__(root.resolve().name, str(root))
        self.root = root

    def children(self, parts: tuple[str, ...]) -> tuple[list[str], list[str]]:
        files, dirs = [], []
        with os.scandir(self.root.joinpath(*parts)) as it:
            for e in it:
                if _is_junk(e.name):
                    continue
                (dirs if e.is_dir(follow_symlinks=False) else files).append(e.name)
        return sorted(files), sorted(dirs)

    def walk(self, parts: tuple[str, ...]) -> Iterator[_Entry]:
        with os.scandir(self.root.joinpath(*parts)) as it:
            entries = sorted((e for e in it if not _is_junk(e.name)), key=lambda e: e.name)
        for e in entries:
            sub = parts + (e.name,)
            path = Path(e.path)
            if e.is_symlink():
                yield _Entry(sub, str(path), 0, None, _refuse, unsafe="a symbolic link")
            elif e.is_dir(follow_symlinks=False):
                yield from self.walk(sub)
            elif e.is_file(follow_symlinks=False):
                st = e.stat(follow_symlinks=False)
                yield _Entry(sub, str(path), st.st_size, datetime.fromtimestamp(st.st_mtime, timezone.utc),
                             lambda limit, p=path: _read_path(p, limit))
            else:
                yield _Entry(sub, str(path), 0, None, _refuse, unsafe="not a regular file")


def _read_path(path: Path, limit: int) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        return _read_limited(fh, limit)


def _refuse(limit: int) -> bytes:
    raise OSError("refused")


class _ZipTree(_Tree):
    def __init__(self, zf: zipfile.ZipFile, zip_path: Path, max_total_bytes: int) -> None:
        super().__init__(None, str(zip_path))
        self.zf = zf
        self.zip_path = zip_path
        self.max_total = max_total_bytes
        self.read_total = 0
        self.files: dict[tuple[str, ...], _Entry] = {}
        self.dirs: set[tuple[str, ...]] = {()}
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ValueError(f"{zip_path}: {len(infos)} members, more than the {MAX_MEMBERS} accepted; "
                             "split the export into smaller zips")
        declared = sum(i.file_size for i in infos)
        if declared > max_total_bytes:
            raise ValueError(f"{zip_path}: members add up to {declared} bytes uncompressed, more than the "
                             f"{max_total_bytes} accepted (a zip bomb?); if the export is genuine, unpack it "
                             "yourself and collect the folder, or raise max_total_bytes")
        seen: dict[tuple[str, ...], list[str]] = {}
        for info in infos:
            shown = f"{zip_path}/{info.filename}"
            name = info.filename.replace("\\", "/")
            reason = _unsafe_member(info, name)
            if reason:
                self.problems.append(Problem(shown, "unsafe-path", (
                    f"zip member {reason}; not read. Re-create the zip from the folder of submissions "
                    "(the paths inside must be relative and plain files)")))
                continue
            parts = tuple(p for p in name.split("/") if p not in ("", "."))
            if not parts:
                continue
            for i in range(1, len(parts)):
                self.dirs.add(parts[:i])
            if info.is_dir():
                self.dirs.add(parts)
                continue
            seen.setdefault(parts, []).append(shown)
            if info.flag_bits & 0x1:
                self.problems.append(Problem(shown, "not-a-notebook", (
                    "zip member is encrypted and cannot be read; export the zip without a password")))
                continue
            self.files[parts] = _Entry(parts, shown, info.file_size, _zip_member_time(info),
                                       lambda limit, i=info: self._read(i, limit))
        for parts, shown_list in seen.items():
            if len(shown_list) > 1:
                self.files.pop(parts, None)
                for shown in shown_list:
                    self.problems.append(Problem(shown, "duplicate", (
                        f"the zip holds {len(shown_list)} members with this same path; none was read. "
                        "Re-create the zip so each file appears once")))

    def _read(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        if info.file_size > limit:
            raise _TooLarge
        try:
            with self.zf.open(info) as fh:
                data = _read_limited(fh, limit)
        except zipfile.BadZipFile as exc:
            raise OSError(f"damaged zip member ({exc})") from None
        self.read_total += len(data)
        if self.read_total > self.max_total:
            raise ValueError(f"{self.zip_path}: more than {self.max_total} bytes uncompressed (a zip bomb?); "
                             "unpack it yourself and collect the folder, or raise max_total_bytes")
        return data

    def children(self, parts: tuple[str, ...]) -> tuple[list[str], list[str]]:
        n = len(parts)
        files = {p[n] for p in self.files if len(p) == n + 1 and p[:n] == parts}
        dirs = {p[n] for p in self.dirs if len(p) == n + 1 and p[:n] == parts}
        return (sorted(f for f in files if not _is_junk(f)), sorted(d for d in dirs if not _is_junk(d)))

    def walk(self, parts: tuple[str, ...]) -> Iterator[_Entry]:
        n = len(parts)
        for p in sorted(self.files):
            if p[:n] == parts and len(p) > n and not any(_is_junk(c) for c in p[n:]):
                yield self.files[p]


def _unsafe_member(info: zipfile.ZipInfo, name: str) -> str | None:
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "has an absolute path"
    if ".." in name.split("/"):
        return "climbs out of the folder with '..'"
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_ISLNK(mode):
        return "is a symbolic link"
    if "\x00" in name:
        return "has a NUL character in its name"
    return None


def _zip_member_time(info: zipfile.ZipInfo) -> datetime | None:
    """The member's modification time in UTC.

    The Info-ZIP "extended timestamp" extra field (0x5455) holds a UTC Unix time and wins when present;
    otherwise the DOS date in the header is local time of the machine reading it (as ``unzip`` does).
    """
    extra = info.extra
    i = 0
    while i + 4 <= len(extra):
        header_id, size = struct.unpack("<HH", extra[i:i + 4])
        body = extra[i + 4:i + 4 + size]
        if header_id == 0x5455 and len(body) >= 5 and body[0] & 1:
            return datetime.fromtimestamp(struct.unpack("<I", body[1:5])[0], timezone.utc)
        i += 4 + size
    try:
        return datetime(*info.date_time).astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None


@contextmanager
def _open_tree(source: Path, max_total_bytes: int) -> Iterator[_Tree]:
    if not source.exists() and not source.is_symlink():
        raise FileNotFoundError(f"{source}: not found; expected a course folder with submitted/, a folder of "
                                "<student>.ipynb files, or a .zip of either")
    if source.is_dir():
        yield _FolderTree(source)
        return
    if source.suffix.lower() != ".zip":
        raise ValueError(f"{source}: a file that is not a .zip; pass a course folder with submitted/, a folder of "
                         "<student>.ipynb files, or a .zip of either")
    try:
        zf = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise ValueError(f"{source}: not a readable zip ({exc}); download the export again") from None
    with zf:
        yield _ZipTree(zf, source, max_total_bytes)


# --------------------------------------------------------------------------- reading a tree
def _locate(tree: _Tree, assignment: str) -> tuple[str, tuple[str, ...]]:
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
    entry: _Entry
    stamp: _Entry | None = None


@dataclass
class _Folder:  # one submitted/<student>/<assignment>/ while it is being read
    notebook: _Entry | None = None
    stamp: _Entry | None = None


def _scan_tree(tree: _Tree, assignment: str, notebook: str, roster: list[str] | None, pattern: str | None,
               max_bytes: int) -> tuple[Collection, dict[str, _Entry]]:
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
    found: dict[str, _Entry] = {}
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


def _not_a_notebook(entry: _Entry, why: str) -> Problem:
    return Problem(entry.display, "not-a-notebook", why)


def _too_large(display: str, limit: int) -> Problem:
    return Problem(display, "too-large", (
        f"more than {limit} bytes; not read. Ask the student to clear the outputs (Edit > Clear Outputs of "
        "All Cells), save and resubmit, or raise max_member_bytes"))


def _unsafe(entry: _Entry) -> Problem:
    return Problem(entry.display, "unsafe-path", (
        f"{entry.unsafe}; not followed. Replace it with the real file if it is a submission"))


def _flat_candidates(tree: _Tree, base: tuple[str, ...], regex: re.Pattern[str] | None,
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


def _nbgrader_candidates(tree: _Tree, base: tuple[str, ...], assignment: str, notebook: str,
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
    except _TooLarge:
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
        except (_TooLarge, OSError, ValueError, OverflowError, UnicodeDecodeError):
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
