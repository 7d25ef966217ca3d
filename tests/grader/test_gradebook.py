"""The grader's gradebook on SQLite and on a real PostgreSQL server: URLs, connection checks, nbgrader's
assignment records, real autograding into it, and two processes writing at once through the writer lock."""
from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
import time
import warnings
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from grader import exercise as fx
from pg import create_database
from salescoach.grader.gradebook import (
    ADVISORY_LOCK_KEY,
    GradebookError,
    check_connection,
    default_url,
    ensure_gradebook,
    lock_path,
    normalize_url,
    redact,
    sqlite_path,
    writer_lock,
)
from salescoach.kit.nbgrader import NbgraderError, autograde, scores
from salescoach.notebooks import read

ASSIGNMENT, NOTEBOOK = fx.ASSIGNMENT, fx.NOTEBOOK
CELLS = sorted(["q1_public", "q1_hidden_zero", "q2_public", "q2_hidden_key", "q3_answer"])


# --------------------------------------------------------------------------- URLs
def test_default_url_is_nbgraders_default(tmp_path: Path):
    assert default_url(tmp_path) == f"sqlite:///{tmp_path.resolve()}/gradebook.db"
    assert normalize_url(None, tmp_path) == normalize_url("  ", tmp_path) == default_url(tmp_path)


def test_normalize_sqlite_urls_and_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    root = tmp_path / "course"
    assert normalize_url("sqlite:///grades.db", root) == f"sqlite:///{root.resolve()}/grades.db"
    assert normalize_url("sqlite:////srv/x/g.db", root) == "sqlite:////srv/x/g.db"
    assert normalize_url("sqlite:////srv/x/g.db?timeout=30", root) == "sqlite:////srv/x/g.db?timeout=30"
    assert normalize_url("books/g.db", root) == f"sqlite:///{root.resolve()}/books/g.db"
    assert normalize_url("/srv/g.DB", root) == "sqlite:////srv/g.DB"
    assert normalize_url("~/g.db", root) == f"sqlite:///{tmp_path.resolve()}/home/g.db"
    assert sqlite_path(normalize_url("books/g.db", root)) == root.resolve() / "books" / "g.db"


def test_normalize_postgres_urls_use_psycopg2(tmp_path: Path):
    for given in ("postgresql://u:pw@db.example:5433/grades", "postgres://u:pw@db.example:5433/grades",
                  "postgresql+psycopg2://u:pw@db.example:5433/grades"):
        assert normalize_url(given, tmp_path) == "postgresql+psycopg2://u:pw@db.example:5433/grades"
    assert normalize_url("postgresql:///grades", tmp_path) == "postgresql+psycopg2:///grades"  # local socket


@pytest.mark.parametrize("bad", ["mysql://u:s3cret@h/db", "grades.csv", "sqlite://", "sqlite:///:memory:",
                                 "postgresql://u:s3cret@h:5432", "postgresql+asyncpg://u:s3cret@h/db"])
def test_unsupported_urls_are_refused_with_the_accepted_forms(tmp_path: Path, bad: str):
    with pytest.raises(ValueError) as info:
        normalize_url(bad, tmp_path)
    message = str(info.value)
    assert "s3cret" not in message
    assert redact(bad) in message
    assert "postgresql://" in message


def test_redact_hides_passwords_only():
    assert redact("postgresql+psycopg2://ann:p%40ss:w0rd@h:5432/db") == "postgresql+psycopg2://ann:***@h:5432/db"
    assert redact("postgresql://ann@h/db") == "postgresql://ann@h/db"
    assert redact("postgresql://ann:pw@h/db?sslmode=require&password=pw2") == \
        "postgresql://ann:***@h/db?sslmode=require&password=***"
    assert redact("sqlite:////srv/g.db") == "sqlite:////srv/g.db"


# --------------------------------------------------------------------------- connection checks
def test_check_connection_sqlite(tmp_path: Path):
    check_connection(default_url(tmp_path))
    assert not (tmp_path / "gradebook.db").exists(), "checking must not create the gradebook"
    with pytest.raises(GradebookError, match="does not exist"):
        check_connection(default_url(tmp_path / "missing"))
    (tmp_path / "gradebook.db").write_text("not a database, just text" * 100)
    with pytest.raises(GradebookError, match="not a usable SQLite gradebook"):
        check_connection(default_url(tmp_path))


def test_check_connection_postgres_problems_are_plain(postgres_url: str, tmp_path: Path):
    from sqlalchemy.engine import make_url

    good = normalize_url(postgres_url, tmp_path)
    check_connection(good)
    u = make_url(good)
    password = u.password
    missing_db = u.set(database="no_such_db").render_as_string(hide_password=False)
    with pytest.raises(GradebookError, match=r"database 'no_such_db' does not exist.*createdb") as info:
        check_connection(missing_db)
    assert password not in str(info.value)
    wrong_password = u.set(password="wrong-pw").render_as_string(hide_password=False)
    with pytest.raises(GradebookError, match="refused user 'postgres'") as info:
        check_connection(wrong_password)
    assert "wrong-pw" not in str(info.value)
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    unreachable = u.set(port=port).render_as_string(hide_password=False)
    with pytest.raises(GradebookError, match=f"cannot reach the PostgreSQL server at 127.0.0.1:{port}") as info:
        check_connection(unreachable)
    assert password not in str(info.value)


def test_missing_driver_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    import sys

    monkeypatch.setitem(sys.modules, "psycopg2", None)  # what Python does when the package is not installed
    with pytest.raises(GradebookError, match="pip install psycopg2-binary"):
        check_connection(normalize_url("postgresql://u:pw@127.0.0.1:1/db", tmp_path))


# --------------------------------------------------------------------------- the course and backends
def _course(root: Path, students: dict[str, bool]) -> Path:
    """A scratch course: the assignment's nbgrader source plus submissions (True = full solution, False = blank)."""
    (root / "solutions" / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(fx.source_notebook(), root / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    blank, full = fx.student_versions()
    for student, solved in students.items():
        fx.submit(root, student, full if solved else blank)
    return root


@pytest.fixture(scope="module")
def recorded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh SQLite gradebook in which ensure_gradebook recorded the assignment (copied by each test)."""
    root = _course(tmp_path_factory.mktemp("recorded") / "course", {})
    url = default_url(root)
    assert ensure_gradebook(url, root, ASSIGNMENT) == [NOTEBOOK]
    assert not (root / "exercises").exists(), "the course's release folder is left alone"
    return url


@pytest.fixture(scope="module")
def recorded_postgres(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> str:
    """The same in a fresh PostgreSQL database (nbgrader creates the tables), copied by each test."""
    root = _course(tmp_path_factory.mktemp("recorded-pg") / "course", {})
    url = normalize_url(create_database(postgres_url, "gb_recorded"), root)
    assert ensure_gradebook(url, root, ASSIGNMENT) == [NOTEBOOK]
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A gradebook of its own for the test, SQLite or PostgreSQL, recording the assignment already."""
    name = "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[-50:]
    if request.param == "sqlite":
        src = sqlite_path(request.getfixturevalue("recorded_sqlite"))
        (tmp_path / "course").mkdir()
        url = default_url(tmp_path / "course")
        with sqlite3.connect(src) as a, sqlite3.connect(sqlite_path(url)) as b:
            a.backup(b)
        return url
    from sqlalchemy.engine import make_url

    template = make_url(request.getfixturevalue("recorded_postgres")).database
    return normalize_url(create_database(request.getfixturevalue("postgres_url"), f"gb_{name}", template),
                         tmp_path)


def _tables(url: str) -> set[str]:
    from sqlalchemy import inspect

    engine = create_engine(url, poolclass=NullPool)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_ensure_gradebook_records_the_assignment(tmp_path: Path, backend_url: str):
    root = _course(tmp_path / "course", {})
    assert {"assignment", "grade_cells", "submitted_assignment", "alembic_version"} <= _tables(backend_url)
    for again in (False, True):  # idempotent
        if again:
            assert ensure_gradebook(backend_url, root, ASSIGNMENT) == [NOTEBOOK]
        with Gradebook(backend_url, "salescoach") as gb:
            a = gb.find_assignment(ASSIGNMENT)
            assert [n.name for n in a.notebooks] == [NOTEBOOK]
            assert sorted(c.name for c in a.notebooks[0].grade_cells) == CELLS
            assert a.max_score == 6 and a.course_id == "salescoach"
            assert len(gb.assignments) == 1
            version = gb.db.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            assert len(version) == 1 and version[0]
    if backend_url.startswith("sqlite"):
        db = sqlite_path(backend_url)
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert lock_path(db).exists()


def test_ensure_gradebook_needs_the_source(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="solutions/nope"):
        ensure_gradebook(default_url(tmp_path), tmp_path, "nope")


@pytest.mark.slow
def test_real_autograde_into_the_gradebook(tmp_path: Path, backend_url: str):
    """nbgrader autograde writes the same grades into SQLite and PostgreSQL gradebooks."""
    root = _course(tmp_path / "course", {"full": True, "blank": False})
    with writer_lock(backend_url):
        autograde(root, ASSIGNMENT, db_url=backend_url)
    by_student = {s.student: s for s in scores(root, ASSIGNMENT, db_url=backend_url)}
    assert sorted(by_student) == ["blank", "full"]
    assert by_student["full"].auto_score == by_student["full"].auto_max == fx.AUTO_POINTS
    assert by_student["full"].manual_max == 2 and by_student["full"].needs_manual_grade
    assert by_student["blank"].auto_score == 0 and len(by_student["blank"].failed_cells) == 4
    # re-recording the assignment keeps the submissions; nbgrader refuses to drop cells that have grades
    ensure_gradebook(backend_url, root, ASSIGNMENT)
    assert len(scores(root, ASSIGNMENT, db_url=backend_url)) == 2
    if not backend_url.startswith("sqlite"):
        return
    src = root / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    nb = read(src)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "q2_hidden_key"]
    nbformat.write(nb, src)
    with pytest.raises(NbgraderError, match="Cannot add or remove cells"):
        ensure_gradebook(backend_url, root, ASSIGNMENT)


# --------------------------------------------------------------------------- the writer lock
def test_writer_lock_excludes_others_and_times_out(tmp_path: Path, backend_url: str):
    held, release = threading.Event(), threading.Event()

    def holder():
        with writer_lock(backend_url):
            held.set()
            release.wait(30)

    t = threading.Thread(target=holder)
    t.start()
    try:
        assert held.wait(30)
        started = time.monotonic()
        with pytest.raises(TimeoutError, match="another grader") as info:
            with writer_lock(backend_url, timeout=0.3):
                pass
        assert 0.3 <= time.monotonic() - started < 5
        if backend_url.startswith("sqlite"):
            assert str(lock_path(sqlite_path(backend_url))) in str(info.value)
            assert f"process {os.getpid()}" in str(info.value)
        else:
            assert str(ADVISORY_LOCK_KEY) in str(info.value)
            from sqlalchemy.engine import make_url

            assert make_url(backend_url).password not in str(info.value)
    finally:
        release.set()
        t.join()
    with writer_lock(backend_url, timeout=5):
        with writer_lock(backend_url, timeout=0.1):  # re-entrant in the same thread
            pass


def _writer(url: str, who: str, rounds: int, barrier, results) -> None:
    """Child process: write a q1 grade for the own students and for shared ones, each write under the lock."""
    import random

    warnings.filterwarnings("ignore")
    import logging

    logging.getLogger("traitlets").setLevel(logging.CRITICAL)
    log, errors = [], []
    barrier.wait(60)
    for i in range(rounds):
        for student in (f"{who}-{i % 4}", f"shared-{i % 3}"):
            value = float((i + len(who) * len(student)) % 3)
            try:
                with writer_lock(url, timeout=120):
                    t0 = time.monotonic()
                    with Gradebook(url, "salescoach") as gb:
                        gb.update_or_create_student(student)
                        gb.update_or_create_submission(ASSIGNMENT, student)
                        grade = gb.find_grade("q1_public", NOTEBOOK, ASSIGNMENT, student)
                        grade.auto_score = value
                        grade.needs_manual_grade = False
                        gb.db.commit()
                    log.append((t0, time.monotonic(), who, student, value))
            except Exception as exc:  # reported to the parent, which fails the test
                errors.append(f"{type(exc).__name__}: {exc}"[:300])
            time.sleep(random.uniform(0.0, 0.01))  # "grading" the next notebook, outside the lock
    results.put((who, log, errors))


@pytest.mark.slow
def test_two_processes_write_one_gradebook(backend_url: str):
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    rounds = 8
    procs = [ctx.Process(target=_writer, args=(backend_url, who, rounds, barrier, results)) for who in ("ann", "bo")]
    for p in procs:
        p.start()
    outcome = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert [e for _, _, errors in outcome for e in errors] == []
    writes = sorted(w for _, log, _ in outcome for w in log)
    assert len(writes) == 2 * 2 * rounds
    # the lock held: no two writes overlapped in time, and the two processes did take turns
    for before, after in zip(writes, writes[1:]):
        assert before[1] <= after[0], f"writes overlapped: {before} / {after}"
    assert sum(1 for a, b in zip(writes, writes[1:]) if a[2] != b[2]) >= 2
    last = {student: value for _, _, _, student, value in writes}
    with Gradebook(backend_url, "salescoach") as gb:
        subs = gb.assignment_submissions(ASSIGNMENT)
        assert sorted(s.student_id for s in subs) == sorted(last)
        for sub in subs:
            grades = {g.name: g for nb in sub.notebooks for g in nb.grades}
            assert sorted(grades) == CELLS, "every grade row is present"
            assert grades["q1_public"].auto_score == last[sub.student_id]
        dupes = gb.db.execute(text("SELECT student_id, COUNT(*) FROM submitted_assignment "
                                   "GROUP BY assignment_id, student_id HAVING COUNT(*) > 1")).all()
        assert dupes == []
        assert gb.db.execute(text("SELECT COUNT(*) FROM student")).scalar() == len(last)
    if backend_url.startswith("sqlite"):
        with sqlite3.connect(sqlite_path(backend_url)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_missing_postgres_binaries_skip_unless_required(monkeypatch: pytest.MonkeyPatch):
    from pg import REQUIRE_ENV, skip_or_fail

    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no binaries"):
        skip_or_fail("no binaries")
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="no binaries.*make system-test-deps"):
        skip_or_fail("no binaries")
