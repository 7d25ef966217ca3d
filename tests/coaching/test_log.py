"""The coaching log: adding, listing, updating, exporting; migrations; concurrent writers; damaged, locked and
newer-schema databases (clear error, file untouched)."""
from __future__ import annotations

import csv
import hashlib
import multiprocessing
import sqlite3
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salescoach.coaching import log_schema
from salescoach.coaching.log import (
    ENV_VAR,
    CoachingLog,
    LogCorruptError,
    LogLockedError,
    LogUnavailableError,
    NewerSchemaError,
    UnknownEntryError,
    default_location,
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def book(tmp_path: Path):
    with CoachingLog(tmp_path / "log.sqlite") as b:
        yield b


def fill(b: CoachingLog) -> dict[str, int]:
    sid = b.add_session("Li Na", "Handling price objections", coach="Wang Jun", held_on="2025-03-04",
                        visit_purpose="Renewal talk at Hengda", notes="Rehearsed twice")
    other = b.add_session("Zhao Lei", "Opening the visit", held_on=date(2025, 3, 5), kind="observed visit")
    return {
        "session": sid, "other": other,
        "goal": b.add_goal("Get the buyer to name three criteria", session_id=sid, plan="Ask, then summarise",
                           reasons="Price talk comes later", due_on="2025-03-11"),
        "action": b.add_action("Rehearse the value summary", session_id=sid, due_on="2025-03-06"),
        "coach_action": b.add_action("Join the Hengda visit", rep="Li Na", owner="coach"),
        "followup": b.add_followup(sid, "2025-03-11", kind="observe a visit"),
        "skill": b.rate_skill("Li Na", "Handling price objections", 3, 1, assessed_on="2025-03-01"),
    }


# --------------------------------------------------------------------------- the API
def test_add_list_update(book: CoachingLog):
    ids = fill(book)
    s = book.sessions(rep="Li Na")
    assert list(s["skill"]) == ["Handling price objections"]
    assert s.loc[0, "visit_purpose"] == "Renewal talk at Hengda" and s.loc[0, "held_on"] == date(2025, 3, 4)
    assert list(book.sessions()["rep"]) == ["Zhao Lei", "Li Na"]  # newest first
    detail = book.session(ids["session"])
    assert [g["objective"] for g in detail["goals"]] == ["Get the buyer to name three criteria"]
    assert [a["text"] for a in detail["actions"]] == ["Rehearse the value summary"]
    assert detail["followups"][0]["kind"] == "observe a visit"
    assert set(book.actions("Li Na", open_only=True)["id"]) == {ids["action"], ids["coach_action"]}
    book.mark_action_done(ids["action"], done_on="2025-03-06")
    assert list(book.actions("Li Na", open_only=True)["id"]) == [ids["coach_action"]]
    assert book.actions(session_id=ids["session"]).loc[0, "done_on"] == date(2025, 3, 6)
    book.mark_action_done(ids["action"], done=False)
    assert book.actions(session_id=ids["session"]).loc[0, "done_on"] is None
    book.set_goal_status(ids["goal"], "met")
    assert list(book.goals(status="met")["id"]) == [ids["goal"]]
    book.complete_followup(ids["followup"], outcome="Asked for criteria before price")
    assert book.followups(pending_only=True).empty
    book.update("sessions", ids["session"], notes="  New notes  ", coach="Liu")
    assert book.session(ids["session"])["notes"] == "New notes"
    assert book.reps() == ["Li Na", "Zhao Lei"]
    assert book.counts() == {"sessions": 2, "skills": 1, "goals": 1, "actions": 2, "followups": 1}


def test_latest_skill_rating_wins(book: CoachingLog):
    book.rate_skill("Li Na", "Closing", 3, 1, assessed_on="2025-01-01")
    book.rate_skill("Li Na", "Closing", 3, 2, assessed_on="2025-06-01")
    book.rate_skill("Li Na", "Opening", 2, 3, assessed_on="2025-01-01")
    latest = book.skills("Li Na")
    assert dict(zip(latest["skill"], latest["ability"])) == {"Closing": 2, "Opening": 3}
    assert len(book.skills(latest=False)) == 3


def test_empty_listings_keep_their_columns(book: CoachingLog):
    for frame in (book.sessions("nobody"), book.goals(), book.actions(), book.followups(), book.skills()):
        assert frame.empty and "id" in frame.columns and "rep" in frame.columns


def test_export_csv_is_complete_and_atomic(book: CoachingLog, tmp_path: Path):
    ids = fill(book)
    out = tmp_path / "export"
    written = book.export_csv(out)
    assert sorted(written) == ["actions", "followups", "goals", "sessions", "skills"]
    with open(written["sessions"], newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["rep"] for r in rows] == ["Li Na", "Zhao Lei"] and rows[0]["held_on"] == "2025-03-04"
    assert pd.read_csv(written["actions"])["id"].tolist() == [ids["action"], ids["coach_action"]]
    assert not [p for p in out.iterdir() if p.suffix == ".tmp"]
    # a failing export leaves the previous file as it was
    before = written["goals"].read_bytes()
    book.close()
    (tmp_path / "log.sqlite").write_bytes(b"garbage that is not a database" * 10)
    with pytest.raises(LogCorruptError):
        CoachingLog(tmp_path / "log.sqlite").export_csv(out)
    assert written["goals"].read_bytes() == before
    with pytest.raises(ValueError, match="is a file"):
        book.export_csv(written["goals"])


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


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(("call", "message"), [
    (lambda b: b.add_session("", "Closing"), "rep is empty"),
    (lambda b: b.add_session("   ", "Closing"), "rep is empty"),
    (lambda b: b.add_session(None, "Closing"), "rep must be text"),
    (lambda b: b.add_session("Li Na", ""), "skill is empty"),
    (lambda b: b.add_session("Li Na", "Closing", kind="lecture"), "kind must be one of"),
    (lambda b: b.add_session("Li Na", "Closing", held_on="04/03/2025"), "held_on must be a date"),
    (lambda b: b.add_session("Li Na", "Closing", notes="a\x00b"), "NUL"),
    (lambda b: b.add_session("Li Na" * 100, "Closing"), "keep it under 200"),
    (lambda b: b.rate_skill("Li Na", "Closing", 4, 1), "importance must be 3, 2 or 1"),
    (lambda b: b.rate_skill("Li Na", "Closing", 3, 0), "ability must be 3, 2 or 1"),
    (lambda b: b.rate_skill("Li Na", "Closing", 2.5, 1), "importance must be"),
    (lambda b: b.rate_skill("Li Na", "Closing", True, 1), "importance must be"),
    (lambda b: b.rate_skill("Li Na", "Closing", "3", 1), "importance must be"),
    (lambda b: b.add_goal("Objective"), "session_id this belongs to"),
    (lambda b: b.add_goal("", rep="Li Na"), "objective is empty"),
    (lambda b: b.add_action("Do it", rep="Li Na", owner="boss"), "owner must be one of"),
    (lambda b: b.add_action("Do it", session_id=0), "positive whole number"),
    (lambda b: b.add_followup(None, None, rep="Li Na"), "due_on is missing"),
    (lambda b: b.update("meetings", 1, notes="x"), "unknown log entity"),
    (lambda b: b.update("sessions", 1, id=5), "no editable field 'id'"),
    (lambda b: b.update("sessions", 1), "nothing to update"),
    (lambda b: b.update("actions", 1, done="yes"), "done must be True or False"),
    (lambda b: b.set_goal_status(1, "finished"), "status must be one of"),
])
def test_bad_input_names_the_field(book: CoachingLog, call, message):
    with pytest.raises(ValueError, match=message):
        call(book)
    assert book.counts()["sessions"] == 0


def test_unknown_ids_and_mismatched_reps(book: CoachingLog):
    ids = fill(book)
    with pytest.raises(UnknownEntryError, match="no coaching session with id 99"):
        book.add_action("x", session_id=99)
    with pytest.raises(UnknownEntryError, match="id 99"):
        book.mark_action_done(99)
    with pytest.raises(UnknownEntryError):
        book.session(99)
    with pytest.raises(ValueError, match="is with 'Li Na', not 'Zhao Lei'"):
        book.add_goal("x", session_id=ids["session"], rep="Zhao Lei")
    assert isinstance(UnknownEntryError("x"), LookupError)


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


text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rep=text.filter(lambda s: s.split()), notes=text, importance=st.integers(1, 3), ability=st.integers(1, 3))
def test_text_round_trips(book: CoachingLog, rep: str, notes: str, importance: int, ability: int):
    sid = book.add_session(rep, "Skill 技能", notes=notes)
    got = book.session(sid)
    assert got["rep"] == " ".join(rep.split()) and got["notes"] == notes.strip()
    rid = book.rate_skill(rep, "Skill 技能", importance, ability)
    row = book.skills(latest=False).set_index("id").loc[rid]
    assert (row["importance"], row["ability"]) == (importance, ability)


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
