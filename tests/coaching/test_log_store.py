"""The coaching log's store: where it lives; schema versions (upgrade, newer refused, untouched); damaged and
locked databases (clear error, file untouched); a long wait for another process's lock is said once, with the
lock file; several processes writing at once lose nothing; PostgreSQL; transactions."""
from __future__ import annotations

import hashlib
import multiprocessing
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from salescoach.coaching import log_schema, log_store
from salescoach.coaching.log import CoachingLog
from salescoach.coaching.log_errors import (
    LogCorruptError,
    LogLockedError,
    LogUnavailableError,
    NewerSchemaError,
)
from salescoach.coaching.log_store import ENV_VAR, default_location
from sqlite_support import hold_write_lock

from .conftest import fill


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_location_from_argument_env_and_kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert default_location(tmp_path) == str(tmp_path / "course" / "coaching_log.sqlite")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "elsewhere" / "team.sqlite"))
    with CoachingLog() as b:
        b.add_session("Li Na", "Closing")
    assert (tmp_path / "elsewhere" / "team.sqlite").is_file()
    monkeypatch.setenv(ENV_VAR, f"sqlite:///{tmp_path / 'by_url.sqlite'}")
    with CoachingLog() as b:
        assert b.counts()["sessions"] == 0
    assert (tmp_path / "by_url.sqlite").is_file()


def test_a_relative_log_variable_is_taken_from_the_kit_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Notebooks, the dashboard (run in course/dashboard/) and salescoach-log start in different folders:
    a relative $SALESCOACH_COACHING_LOG must still name one file for all of them."""
    kit, elsewhere = tmp_path / "kit", tmp_path / "kit" / "course" / "dashboard"
    elsewhere.mkdir(parents=True)
    monkeypatch.setenv(ENV_VAR, "logs/team_a.sqlite")
    monkeypatch.chdir(elsewhere)
    assert default_location(kit) == str(kit / "logs" / "team_a.sqlite")
    with CoachingLog(kit_root=kit) as b:
        b.add_session("Li Na", "Closing")
    assert (kit / "logs" / "team_a.sqlite").is_file() and not (elsewhere / "logs").exists()


def test_bad_locations(tmp_path: Path):
    with pytest.raises(LogUnavailableError, match="is a folder"):
        CoachingLog(tmp_path)
    with pytest.raises(LogUnavailableError, match="does not exist"):
        CoachingLog(tmp_path / "missing.sqlite", create=False)
    assert not (tmp_path / "missing.sqlite").exists()
    with pytest.raises(ValueError, match="not a database URL"):
        CoachingLog("nonsense://::")
    with pytest.raises(ValueError, match="timeout"):
        CoachingLog(tmp_path / "x.sqlite", timeout=-1)


# --------------------------------------------------------------------------- schema versions
def test_a_version_1_log_is_upgraded_keeping_its_rows(tmp_path: Path):
    path = tmp_path / "old.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        assert log_schema.migrate(conn, target=1) == [1]
        now = log_schema.utcnow()
        conn.execute(sa.text("INSERT INTO coaching_sessions (rep, coach, skill, kind, held_on, notes, created_at, "
                             "updated_at) VALUES ('Li Na', '', 'Closing', 'five-step', '2024-05-01', 'old', :t, :t)"),
                     {"t": now})
    engine.dispose()
    with CoachingLog(path) as b:
        assert b.schema_version == log_schema.SCHEMA_VERSION == 2
        s = b.sessions()
        assert list(s["notes"]) == ["old"] and list(s["visit_purpose"]) == [""]
        b.add_session("Li Na", "Closing", visit_purpose="new")
    with sa.create_engine(f"sqlite:///{path}").connect() as conn:
        assert [r[0] for r in conn.execute(sa.text("SELECT version FROM coaching_migrations ORDER BY 1"))] == [1, 2]


def test_a_newer_schema_is_refused_and_left_untouched(tmp_path: Path):
    path = tmp_path / "log.sqlite"
    with CoachingLog(path) as b:
        fill(b)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO coaching_migrations VALUES (99, 'from the future', '2030-01-01 00:00:00')")
    conn.close()
    before = digest(path)
    with pytest.raises(NewerSchemaError, match=r"newer version of salescoach \(schema version 99; this one knows "
                                               r"up to 2\)\. It was left untouched"):
        CoachingLog(path)
    assert digest(path) == before


def test_a_log_upgraded_by_a_newer_kit_while_open_is_not_written(tmp_path: Path):
    path = tmp_path / "log.sqlite"
    with CoachingLog(path) as b:
        sid = fill(b)["session"]
        with sqlite3.connect(path) as conn:  # a newer kit (another manager's notebook) upgrades the file
            conn.execute("INSERT INTO coaching_migrations VALUES (99, 'from the future', '2030-01-01 00:00:00')")
        conn.close()
        before = digest(path)
        with pytest.raises(NewerSchemaError, match="schema version 99"):
            b.add_session("Li Na", "Closing")
        with pytest.raises(NewerSchemaError, match="schema version 99"):
            b.update("sessions", sid, notes="changed")
        assert digest(path) == before


def test_coaching_tables_without_a_version_are_refused(tmp_path: Path):
    path = tmp_path / "log.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE coaching_sessions (id INTEGER PRIMARY KEY, rep TEXT)")
        conn.execute("INSERT INTO coaching_sessions VALUES (1, 'Li Na')")
    conn.close()
    before = digest(path)
    with pytest.raises(LogCorruptError, match="coaching_migrations does not"):
        CoachingLog(path)
    assert digest(path) == before


def test_other_tables_in_the_database_are_left_alone(tmp_path: Path):
    path = tmp_path / "shared.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY)")
    conn.close()
    with CoachingLog(path) as b:
        b.add_session("Li Na", "Closing")
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert "orders" in names and "coaching_sessions" in names


# --------------------------------------------------------------------------- damaged and locked files
def _damage_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) >= 3 * page
    data[page: 3 * page] = b"\xa5" * (2 * page)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["not sqlite", "pages overwritten", "truncated"])
def test_a_damaged_file_is_refused_and_never_overwritten(tmp_path: Path, damage: str):
    path = tmp_path / "log.sqlite"
    if damage == "not sqlite":
        path.write_text("rep,skill\nLi Na,Closing\n")
    else:
        with CoachingLog(path) as b:
            for i in range(30):
                b.add_session("Li Na", f"Skill {i}", notes="x" * 400)
        if damage == "pages overwritten":
            _damage_middle(path)
        else:
            path.write_bytes(path.read_bytes()[: 4096 * 3 + 100])
    before = digest(path)
    with pytest.raises(LogCorruptError, match="damaged or is not a coaching log.*left untouched"):
        CoachingLog(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.sqlite"]


def test_a_locked_database_gives_a_clear_error_and_loses_nothing(tmp_path: Path):
    path = tmp_path / "log.sqlite"
    with CoachingLog(path) as b:
        fill(b)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(LogLockedError, match=r"locked by another program for more than 0.2 s.*Nothing was written"):
            CoachingLog(path, timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
    with CoachingLog(path, timeout=0.2) as b:
        holder.execute("BEGIN IMMEDIATE")  # another writer in the middle of a write
        try:
            with pytest.raises(LogLockedError, match="while adding a session"):
                b.add_session("Li Na", "Closing")
            assert len(b.sessions()) == 2  # readers still read
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        b.add_session("Li Na", "Closing")
        assert len(b.sessions()) == 3


def test_a_long_wait_for_the_lock_is_said_once_on_stderr_with_the_lock_file(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setattr(log_store, "LOCK_NOTICE_AFTER", 0.1)
    holders: list = []
    say = log_store._to_stderr

    def say_then_release(line: str) -> None:  # the other writer finishes once the wait was said: no race
        say(line)
        holders[0].execute("ROLLBACK")

    monkeypatch.setattr(log_store, "_to_stderr", say_then_release)
    path = tmp_path / "log.sqlite"
    with CoachingLog(path, timeout=10) as b:
        fill(b)
        assert capsys.readouterr().err == ""  # no wait, nothing said
        holders.append(hold_write_lock(path))
        try:
            b.add_session("Li Na", "Closing")  # waits for the other writer, then writes
        finally:
            holders[0].close()
        said = capsys.readouterr().err.splitlines()
        assert len(said) == 1, said
        assert "waiting up to 9.9 s more for the lock held by another process" in said[0]
        assert said[0].endswith(f"lock file: {path}")
        assert len(b.sessions()) == 3


def test_a_lock_held_past_the_timeout_is_said_then_refused(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(log_store, "LOCK_NOTICE_AFTER", 0.1)
    path = tmp_path / "log.sqlite"
    said: list[str] = []
    with CoachingLog(path, timeout=0.5, on_wait=said.append) as b:  # the caller's own message path
        fill(b)
        holder = hold_write_lock(path)
        try:
            with pytest.raises(LogLockedError, match="more than 0.5 s while adding a session"):
                b.add_session("Li Na", "Closing")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert len(said) == 1 and "held by another process" in said[0] and str(path) in said[0]
        assert len(b.sessions()) == 2
    # a reader waits too (the file held exclusively while the log is opened) and says so
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(LogLockedError, match="while opening"):
            CoachingLog(path, timeout=0.5, on_wait=said.append)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(said) == 2 and str(path) in said[1]


def test_a_short_wait_for_the_lock_is_not_said(tmp_path: Path, capsys):
    path = tmp_path / "log.sqlite"
    with CoachingLog(path, timeout=0.2) as b:  # below LOCK_NOTICE_AFTER: waits, then fails, silently
        holder = hold_write_lock(path)
        try:
            with pytest.raises(LogLockedError):
                b.add_session("Li Na", "Closing")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    assert log_store.LOCK_NOTICE_AFTER > 0.2 and capsys.readouterr().err == ""


# --------------------------------------------------------------------------- several processes at once
WRITERS, EACH = 4, 15


def _writer(location: str, who: int, start) -> None:
    start.wait(30)
    with CoachingLog(location, timeout=60) as b:
        for i in range(EACH):
            sid = b.add_session(f"Rep {who}", f"Skill {i}", notes=f"{who}-{i}")
            aid = b.add_action(f"action {who}-{i}", session_id=sid)
            b.rate_skill(f"Rep {who}", f"Skill {i}", 1 + i % 3, 1 + who % 3)
            if i % 2:
                b.mark_action_done(aid)


def run_writers(location: str) -> None:
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    procs = [ctx.Process(target=_writer, args=(location, w, start)) for w in range(WRITERS)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * WRITERS


def check_nothing_lost(b: CoachingLog) -> None:
    assert b.counts() == {"sessions": WRITERS * EACH, "skills": WRITERS * EACH, "goals": 0,
                          "actions": WRITERS * EACH, "followups": 0}
    s = b.sessions()
    assert set(s["notes"]) == {f"{w}-{i}" for w in range(WRITERS) for i in range(EACH)}
    a = b.actions()
    assert int(a["done"].sum()) == WRITERS * (EACH // 2)
    assert a["session_id"].is_unique


def test_several_processes_writing_at_once_lose_nothing(tmp_path: Path):
    """A fresh file: the processes also race to create the schema."""
    path = tmp_path / "log.sqlite"
    run_writers(str(path))
    with CoachingLog(path) as b:
        check_nothing_lost(b)


# --------------------------------------------------------------------------- PostgreSQL
def test_postgresql_works_the_same(postgres_url: str):
    from pg import create_database

    url = create_database(postgres_url, "coaching_log_test")
    run_writers(url)
    with CoachingLog(url) as b:
        check_nothing_lost(b)
        ids = fill(b)
        b.mark_action_done(ids["action"])
        assert b.session(ids["session"])["actions"][0]["done"] is True
        assert "***" in b.where or "postgres" in b.where
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1))
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO coaching_migrations VALUES (7, 'future', now())"))
    engine.dispose()
    with pytest.raises(NewerSchemaError, match="schema version 7"):
        CoachingLog(url)


def test_a_transaction_stores_all_or_nothing(book: CoachingLog):
    with pytest.raises(ValueError, match="text is empty"):
        with book.transaction():
            sid = book.add_session("Li Na", "Closing")
            book.add_goal("Close on the second visit", session_id=sid)   # sees the uncommitted session
            book.add_action("   ", session_id=sid)
    assert book.counts()["sessions"] == 0 and book.counts()["goals"] == 0
    with book.transaction():
        sid = book.add_session("Li Na", "Closing")
        with book.transaction():  # a nested block joins the outer one
            aid = book.add_action("Ask for the order twice", session_id=sid)
        book.mark_action_done(aid)
    assert book.session(sid)["actions"][0]["done"] is True
