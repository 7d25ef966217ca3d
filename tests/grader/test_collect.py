"""Collecting submissions: flat LMS exports, nbgrader layouts and zips into submitted/<student>/<assignment>/."""
from __future__ import annotations

import hashlib
import os
import re
import stat
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import parse_utc

from grader import exercise as fx
from salescoach.grader.collect import Collection, Problem, Submission, collect, format_timestamp, scan
from salescoach.kit.nbgrader import autograde, nbgrader_config, scores

A = fx.ASSIGNMENT
NB = f"{fx.NOTEBOOK}.ipynb"
WHEN = datetime(2025, 12, 31, 9, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def blank() -> bytes:
    """The real student version (nbgrader's release of the tests' exercise), as a student who typed nothing."""
    return nbformat.writes(fx.student_versions()[0]).encode("utf-8")


@pytest.fixture(scope="module")
def solved() -> bytes:
    """The real student version with every solution cell filled in: different bytes, a real notebook."""
    return nbformat.writes(fx.student_versions()[1]).encode("utf-8")


def _put(path: Path, data: bytes | str, when: datetime | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    if when is not None:
        os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _kinds(coll: Collection) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in coll.problems:
        out.setdefault(p.kind, []).append(Path(p.path).name if p.kind != "missing" else p.path)
    return {k: sorted(v) for k, v in out.items()}


def _students(coll: Collection) -> list[str]:
    return [s.student for s in coll.submissions]


def _tree(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*")}


def _zip(path: Path, members: dict[str, bytes | str], date=(2025, 12, 31, 9, 30, 0)) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=date), data)
    return path


# --------------------------------------------------------------------------- flat folders
def test_flat_folder_reads_each_student_without_writing(tmp_path: Path, blank: bytes, solved: bytes):
    src = tmp_path / "export"
    _put(src / "ann.ipynb", solved, WHEN)
    _put(src / "bob.ipynb", blank, datetime(2026, 1, 2, 8, 0, tzinfo=timezone.utc))
    _put(src / ".DS_Store", b"\0\0")  # clutter is skipped without a report
    _put(src / ".ipynb_checkpoints" / "ann-checkpoint.ipynb", solved)
    before = _tree(src)
    coll = scan(src, A, NB)
    assert _tree(src) == before, "scan must not write"
    assert coll.problems == []
    assert _students(coll) == ["ann", "bob"]
    ann, bob = coll.submissions
    assert ann == Submission("ann", A, NB, src / "ann.ipynb", WHEN, _sha(solved))
    assert bob.timestamp == datetime(2026, 1, 2, 8, 0, tzinfo=timezone.utc) and bob.digest == _sha(blank)
    assert coll.summary().splitlines() == [f"{A}: 2 submissions, 0 problems"]


def test_flat_folder_only_exact_names_unless_a_pattern_is_given(tmp_path: Path, blank: bytes):
    src = tmp_path / "export"
    _put(src / "ann_m3_final.ipynb", blank)
    _put(src / "bob_v1.ipynb", blank)
    _put(src / "bob_v2.ipynb", blank + b"\n")
    _put(src / "cara.ipynb", blank)
    # without a pattern the whole stem is the id: nothing is guessed
    assert _students(scan(src, A, NB)) == ["ann_m3_final", "bob_v1", "bob_v2", "cara"]
    coll = scan(src, A, NB, pattern=r"(?P<student>[a-z]+)_.*")
    assert _students(coll) == ["ann"]
    assert _kinds(coll) == {"duplicate": ["bob_v1.ipynb", "bob_v2.ipynb"], "bad-name": ["cara.ipynb"]}
    assert "does not match the pattern" in next(p.message for p in coll.problems if p.kind == "bad-name")
    with pytest.raises(ValueError, match="named group 'student'"):
        scan(src, A, NB, pattern=r"([a-z]+)_.*")
    with pytest.raises(ValueError, match="not a valid regular expression"):
        scan(src, A, NB, pattern=r"(?P<student>[a-z+")


def test_bad_student_names_are_reported_with_a_suggested_name(tmp_path: Path, blank: bytes):
    src = tmp_path / "export"
    for name in ("Ann Smith", "-dash", "x" * 65, "zoë", "ok.name@corp-1"):
        _put(src / f"{name}.ipynb", blank)
    coll = scan(src, A, NB)
    assert _students(coll) == ["ok.name@corp-1"]
    bad = {Path(p.path).name: p.message for p in coll.problems}
    assert set(bad) == {"Ann Smith.ipynb", "-dash.ipynb", "x" * 65 + ".ipynb", "zoë.ipynb"}
    assert all(p.kind == "bad-name" for p in coll.problems)
    assert "'Ann_Smith'" in bad["Ann Smith.ipynb"]


def test_case_insensitive_duplicates_keep_neither(tmp_path: Path, blank: bytes, solved: bytes):
    src = tmp_path / "export"
    _put(src / "Ann.ipynb", blank)
    _put(src / "ann.ipynb", solved)
    _put(src / "bob.ipynb", blank)
    coll = scan(src, A, NB, roster=["ann", "bob"])
    assert _students(coll) == ["bob"]
    assert _kinds(coll) == {"duplicate": ["Ann.ipynb", "ann.ipynb"], "missing": ["ann"]}
    dup = next(p for p in coll.problems if p.kind == "duplicate")
    assert "none was collected" in dup.message and "Ann.ipynb" in dup.message and "ann.ipynb" in dup.message
    assert "problems listed for this student" in next(p.message for p in coll.problems if p.kind == "missing")


def test_other_files_are_reported_and_malformed_notebooks_kept(tmp_path: Path, blank: bytes):
    src = tmp_path / "export"
    _put(src / "ann.ipynb", blank)
    _put(src / "bob.ipynb", '{"cells": [ {"cell_type": "code", }')  # broken JSON
    _put(src / "cara.ipynb", "{}")  # JSON but not a notebook
    _put(src / "dan.ipynb", b"")
    _put(src / "notes.txt", "hello")
    _put(src / "eve.py", "print(1)")
    _put(src / "late" / "fay.ipynb", blank)
    (src / "gus.ipynb").symlink_to("/etc/passwd")
    coll = scan(src, A, NB)
    assert _students(coll) == ["ann", "bob", "cara", "dan"]
    assert _kinds(coll) == {"malformed": ["bob.ipynb", "cara.ipynb", "dan.ipynb"],
                            "not-a-notebook": ["eve.py", "fay.ipynb", "notes.txt"],
                            "unsafe-path": ["gus.ipynb"]}
    msg = {Path(p.path).name: p.message for p in coll.problems}
    assert "broken notebook JSON at line 1" in msg["bob.ipynb"] and "collected anyway" in msg["bob.ipynb"]
    assert "sub-folder 'late'" in msg["fay.ipynb"]
    bob = coll.submissions[1]
    assert bob.digest == _sha((src / "bob.ipynb").read_bytes())
    summary = coll.summary()
    assert summary.splitlines()[0] == f"{A}: 4 submissions, 4 problems, 3 malformed notebooks kept for the grader"
    assert all(any(line.startswith(f"  [{p.kind}] {p.path}: ") for line in summary.splitlines())
               for p in coll.problems)


def test_roster_reports_missing_students_and_near_misses(tmp_path: Path, blank: bytes):
    src = tmp_path / "export"
    for s in ("ann", "bob", "dan"):
        _put(src / f"{s}.ipynb", blank)
    coll = scan(src, A, NB, roster=["ann", "bob", "cara", "Dan", "  ", "cara"])
    assert _students(coll) == ["ann", "bob", "dan"]
    missing = {p.path: p.message for p in coll.problems}
    assert set(missing) == {"cara", "Dan"} and all(p.kind == "missing" for p in coll.problems)
    assert "nothing submitted" in missing["cara"]
    assert "'dan' was collected" in missing["Dan"]
    assert scan(src, A, NB).problems == [], "no roster, no missing report"


# --------------------------------------------------------------------------- nbgrader layout
@pytest.fixture
def course_source(tmp_path: Path, blank: bytes, solved: bytes) -> Path:
    """A course folder in nbgrader's layout with the usual mess."""
    root = tmp_path / "other_course"
    sub = root / "submitted"
    _put(sub / "ann" / A / NB, solved)
    _put(sub / "ann" / A / "timestamp.txt", "2025-12-31 09:30:00.000000 UTC\n")
    _put(sub / "bob" / A / NB, blank, datetime(2026, 1, 3, 12, 0, tzinfo=timezone.utc))
    _put(sub / "bob" / A / "data.csv", "a,b\n")
    _put(sub / "cara" / A / f"{fx.NOTEBOOK}-Copy1.ipynb", blank)
    _put(sub / "ann" / "m2_other" / "m2.ipynb", blank)  # another assignment: none of our business
    _put(root / "autograded" / "ann" / A / NB, blank)  # not a submission
    _put(root / "nbgrader_config.py", "c = get_config()\n")
    return root


def test_nbgrader_course_folder_and_its_submitted_folder(course_source: Path, blank: bytes, solved: bytes):
    for source in (course_source, course_source / "submitted"):
        coll = scan(source, A, NB, roster=["ann", "bob", "cara"])
        assert _students(coll) == ["ann", "bob"]
        ann, bob = coll.submissions
        assert ann.path == course_source / "submitted" / "ann" / A / NB and ann.digest == _sha(solved)
        assert ann.timestamp == WHEN, "timestamp.txt wins over the file's date"
        assert bob.timestamp == datetime(2026, 1, 3, 12, 0, tzinfo=timezone.utc)
        assert _kinds(coll) == {"not-a-notebook": ["data.csv"], "unknown-notebook": [f"{fx.NOTEBOOK}-Copy1.ipynb"],
                                "missing": ["cara"]}
        unknown = next(p for p in coll.problems if p.kind == "unknown-notebook")
        assert f"rename it to '{NB}'" in unknown.message


def test_unreadable_timestamp_falls_back_to_file_date(course_source: Path):
    stamp = course_source / "submitted" / "ann" / A / "timestamp.txt"
    stamp.write_text("last tuesday-ish\n")
    nb = course_source / "submitted" / "ann" / A / NB
    os.utime(nb, (WHEN.timestamp() + 60, WHEN.timestamp() + 60))
    coll = scan(course_source, A, NB)
    ann = coll.submissions[0]
    assert ann.timestamp == datetime(2025, 12, 31, 9, 31, tzinfo=timezone.utc)
    bad = [p for p in coll.problems if p.kind == "malformed"]
    assert [p.path for p in bad] == [str(stamp)] and "delete it" in bad[0].message


def test_wrong_assignment_name_is_an_error_not_an_empty_collection(course_source: Path):
    with pytest.raises(ValueError, match=rf"no submissions for assignment 'm3' under .*other_course/submitted; it holds {A}, m2_other: "
                                        "check the assignment name"):
        scan(course_source, "m3", NB)
    with pytest.raises(ValueError, match="plain notebook file name"):
        scan(course_source, A, f"../{NB}")


# --------------------------------------------------------------------------- zips
def test_zip_of_a_flat_export_in_a_wrapper_folder(tmp_path: Path, blank: bytes, solved: bytes):
    src = _zip(tmp_path / "export.zip", {"M3 export/ann.ipynb": solved, "M3 export/bob.ipynb": blank,
                                         "__MACOSX/M3 export/._ann.ipynb": b"junk", "M3 export/readme.txt": "x"})
    coll = scan(src, A, NB)
    assert _students(coll) == ["ann", "bob"]
    assert coll.submissions[0].digest == _sha(solved)
    assert coll.submissions[0].path == src / "M3 export" / "ann.ipynb"
    local = datetime(2025, 12, 31, 9, 30).astimezone(timezone.utc)  # DOS dates are local time
    assert all(s.timestamp == local for s in coll.submissions)
    assert _kinds(coll) == {"not-a-notebook": ["readme.txt"]}


def test_zip_of_an_nbgrader_layout(tmp_path: Path, blank: bytes, solved: bytes):
    src = _zip(tmp_path / "course.zip", {
        f"course/submitted/ann/{A}/{NB}": solved,
        f"course/submitted/ann/{A}/timestamp.txt": "2025-12-31 10:30:00.000000 Europe/Paris",
        f"course/submitted/Bob/{A}/{NB}": blank,
        f"course/submitted/bob/{A}/{NB}": blank,
        f"course/autograded/ann/{A}/{NB}": blank,
    })
    coll = scan(src, A, NB)
    assert _students(coll) == ["ann"] and coll.submissions[0].timestamp == WHEN
    assert _kinds(coll) == {"duplicate": [NB, NB]}
    # the submitted folder's contents zipped directly, one student only
    one = _zip(tmp_path / "one.zip", {f"ann/{A}/{NB}": solved})
    assert _students(scan(one, A, NB)) == ["ann"]


def test_zip_slip_absolute_and_symlink_members_are_refused(tmp_path: Path, blank: bytes):
    src = tmp_path / "evil.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("export/ann.ipynb", blank)
        zf.writestr("export/../../evil.ipynb", blank)
        zf.writestr("/tmp/abs.ipynb", blank)
        zf.writestr("C:\\Windows\\win.ipynb", blank)
        zf.writestr("export\\..\\..\\back.ipynb", blank)
        link = zipfile.ZipInfo("export/link.ipynb")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    course = tmp_path / "course"
    course.mkdir()
    coll = collect(src, course, A, NB)
    assert _students(coll) == ["ann"]
    unsafe = sorted(p.path.split("evil.zip/", 1)[1] for p in coll.problems if p.kind == "unsafe-path")
    assert unsafe == ["/tmp/abs.ipynb", "C:\\Windows\\win.ipynb", "export/../../evil.ipynb", "export/link.ipynb",
                      "export\\..\\..\\back.ipynb"]
    assert len(coll.problems) == 5
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == [f"course/submitted/ann/{A}/{NB}", f"course/submitted/ann/{A}/timestamp.txt", "evil.zip"]


def test_oversize_members_and_zip_bombs(tmp_path: Path, blank: bytes):
    big = b'{"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": {}, "pad": "' + b" " * 200_000 + b'"}'
    src = _zip(tmp_path / "export.zip", {"ann.ipynb": blank, "bob.ipynb": big})
    coll = scan(src, A, NB, max_member_bytes=100_000)
    assert _students(coll) == ["ann"]
    assert _kinds(coll) == {"too-large": ["bob.ipynb"]}
    assert "Clear Outputs" in coll.problems[0].message
    assert _students(scan(src, A, NB)) == ["ann", "bob"], "20 MB by default"
    with pytest.raises(ValueError, match="zip bomb"):
        scan(src, A, NB, max_total_bytes=150_000)
    flat = tmp_path / "flat"
    _put(flat / "bob.ipynb", big)
    assert _kinds(scan(flat, A, NB, max_member_bytes=100_000)) == {"too-large": ["bob.ipynb"]}


def test_missing_or_wrong_sources(tmp_path: Path, blank: bytes):
    with pytest.raises(FileNotFoundError, match=r"nowhere.*\.zip of either"):
        scan(tmp_path / "nowhere", A, NB)
    with pytest.raises(FileNotFoundError, match="course folder not found"):
        collect(_put(tmp_path / "x" / "ann.ipynb", blank).parent, tmp_path / "no-course", A, NB)
    with pytest.raises(ValueError, match="not a .zip"):
        scan(_put(tmp_path / "ann.ipynb", blank), A, NB)
    with pytest.raises(ValueError, match="not a readable zip"):
        scan(_put(tmp_path / "broken.zip", b"PK not really"), A, NB)


# --------------------------------------------------------------------------- collect
def test_collect_writes_nbgrader_layout_and_is_idempotent(tmp_path: Path, blank: bytes, solved: bytes):
    src = tmp_path / "export"
    _put(src / "ann.ipynb", blank, WHEN)
    _put(src / "bob.ipynb", '{"broken')
    course = tmp_path / "course"
    _put(course / "submitted" / "zed" / A / NB, blank)  # someone collected earlier, not in this export
    _put(course / "submitted" / "ann" / A / "extra.txt", "kept")

    first = collect(src, course, A, NB)
    assert first.actions == {"ann": "new", "bob": "new"}
    assert _kinds(first) == {"malformed": ["bob.ipynb"]}
    dst = course / "submitted" / "ann" / A / NB
    assert dst.read_bytes() == blank and first.submissions[0].path == dst
    assert (dst.parent / "timestamp.txt").read_text() == "2025-12-31 09:30:00.000000 UTC\n"
    assert (course / "submitted" / "bob" / A / NB).read_text() == '{"broken', "malformed notebooks are kept"
    before = _tree(course)

    again = collect(src, course, A, NB)
    assert again.actions == {"ann": "unchanged", "bob": "unchanged"}
    assert _tree(course) == before, "identical bytes: no file touched"
    assert [s.digest for s in again.submissions] == [s.digest for s in first.submissions]

    later = datetime(2026, 1, 5, 17, 0, tzinfo=timezone.utc)
    _put(src / "ann.ipynb", solved, later)
    third = collect(src, course, A, NB)
    assert third.actions == {"ann": "replaced", "bob": "unchanged"}
    assert dst.read_bytes() == solved and third.submissions[0].digest == _sha(solved)
    assert third.submissions[0].timestamp == later
    assert (dst.parent / "timestamp.txt").read_text() == "2026-01-05 17:00:00.000000 UTC\n"
    assert (course / "submitted" / "zed" / A / NB).is_file() and (dst.parent / "extra.txt").read_text() == "kept"
    assert not [p for p in course.rglob("*.tmp")], "no temporary files left behind"
    assert "1 replaced, 1 unchanged" in third.summary().splitlines()[0]


def test_collect_refuses_a_student_differing_in_case_from_one_already_collected(tmp_path: Path, blank: bytes):
    course = tmp_path / "course"
    _put(course / "submitted" / "ann" / A / NB, blank)
    src = tmp_path / "export"
    _put(src / "Ann.ipynb", blank + b" ")
    coll = collect(src, course, A, NB)
    assert coll.submissions == [] and _kinds(coll) == {"duplicate": ["Ann.ipynb"]}
    assert not (course / "submitted" / "Ann").exists()
    assert (course / "submitted" / "ann" / A / NB).read_bytes() == blank


def test_collect_in_place_copies_nothing(course_source: Path):
    before = _tree(course_source)
    for source in (course_source / "submitted", course_source):
        coll = collect(source, course_source, A, NB)
        assert coll.actions == {"ann": "in place", "bob": "in place"}
        assert coll.submissions[0].path == course_source / "submitted" / "ann" / A / NB
    assert _tree(course_source) == before


def test_timestamps_use_nbgrader_format_and_parse_back(tmp_path: Path, blank: bytes):
    src = _zip(tmp_path / "export.zip", {"ann.ipynb": blank}, date=(2025, 6, 1, 14, 5, 8))  # DOS dates: even seconds
    course = tmp_path / "course"
    course.mkdir()
    coll = collect(src, course, A, NB)
    folder = course / "submitted" / "ann" / A
    text = (folder / "timestamp.txt").read_text().strip()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} UTC", text)
    expected = datetime(2025, 6, 1, 14, 5, 8).astimezone(timezone.utc)
    assert coll.submissions[0].timestamp == expected
    coursedir = CourseDirectory(config=nbgrader_config(course))
    assert coursedir.get_existing_timestamp(str(folder)) == expected.replace(tzinfo=None)
    assert parse_utc(format_timestamp(WHEN)) == WHEN.replace(tzinfo=None)
    assert format_timestamp(WHEN) == "2025-12-31 09:30:00.000000 UTC"


@pytest.mark.slow
def test_collected_zip_autogrades_with_real_nbgrader(tmp_path: Path, blank: bytes, solved: bytes):
    course = fx.make_course(tmp_path)  # the assignment in this course's gradebook, as the trainer's release does
    src = _zip(tmp_path / "lms.zip", {"export/ann.ipynb": solved, "export/bob.ipynb": blank,
                                      "export/Not Valid.ipynb": blank})
    coll = collect(src, course, A, NB)
    assert _students(coll) == ["ann", "bob"] and _kinds(coll) == {"bad-name": ["Not Valid.ipynb"]}
    autograde(course, A)
    got = {s.student: s for s in scores(course, A)}
    assert set(got) == {"ann", "bob"}
    assert got["ann"].full_auto_marks and got["ann"].auto_max == fx.AUTO_POINTS
    assert got["bob"].auto_score == 0
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        stamp = gb.find_submission(A, "ann").timestamp
    assert stamp == coll.submissions[0].timestamp.replace(tzinfo=None), "nbgrader read our timestamp.txt"


def test_problem_is_a_plain_record():
    p = Problem("x.ipynb", "bad-name", "rename it")
    assert (p.path, p.kind, p.message) == ("x.ipynb", "bad-name", "rename it")
