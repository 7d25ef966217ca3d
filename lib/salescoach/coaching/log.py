"""The coaching log: sessions, skills, goals, action items and follow-ups, kept in a database.

Where it lives (first that applies): the ``location`` argument (a file path or an SQLAlchemy URL such as
``postgresql://user:pw@host/db``), the environment variable ``SALESCOACH_COACHING_LOG`` (same forms), or
the SQLite file ``course/coaching_log.sqlite`` in the kit's folder.  Any database SQLAlchemy reaches by URL
works the same; SQLite and PostgreSQL are tested.

Python API (also what the team dashboard's coaching-log form calls)::

    from salescoach.coaching.log import CoachingLog

    with CoachingLog() as book:                       # or CoachingLog("my_team.sqlite")
        sid = book.add_session("Li Na", "Handling price objections", coach="Wang", kind="five-step",
                               held_on="2025-03-04", visit_purpose="Renewal at Hengda", notes="...")
        book.add_goal("Get the buyer to name their three criteria", session_id=sid, plan="...", reasons="...")
        aid = book.add_action("Rehearse the value summary twice", session_id=sid, due_on="2025-03-06")
        book.add_followup(sid, due_on="2025-03-11", kind="observe a visit")
        book.rate_skill("Li Na", "Handling price objections", importance=3, ability=1)
        book.sessions(rep="Li Na")                    # a DataFrame, newest first
        book.actions(rep="Li Na", open_only=True)
        book.mark_action_done(aid)
        book.update("sessions", sid, notes="...")     # any editable field of any entity
        book.export_csv("exports/")                   # one CSV per entity, each written atomically

Every ``add_*`` returns the new entry's id; every listing returns a DataFrame with the entity's columns
(empty with the same columns when nothing matches).  Bad input raises ``ValueError`` naming the field and
the fix; an unknown id raises :class:`UnknownEntryError`.

Safety (what the tests check): writes take the database's write lock at their start (SQLite ``BEGIN
IMMEDIATE``) and wait up to ``timeout`` seconds for it, so several processes (the dashboard and a
notebook) writing at once lose nothing.  A file that is not a SQLite database or fails its integrity check
raises :class:`LogCorruptError`; a database locked longer than ``timeout`` :class:`LogLockedError`; a
database written by a newer kit :class:`NewerSchemaError`.  In each case nothing is written and the
file is never replaced or recreated.  An export folder that cannot be written raises :class:`ExportError`
(the log is only read).

Layering: other subjects must not import this module (a subject imports only another subject's
``analysis``).  The dashboard's notebook imports it and hands a :class:`CoachingLog` to the widgets.
"""
from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url

from .. import paths
from ..files import write_text_atomic
from . import log_fields as fields
from . import log_schema as schema
from .log_fields import ACTION_OWNERS, FOLLOWUP_KINDS, GOAL_STATUSES, SESSION_KINDS
from .log_schema import SCHEMA_VERSION, TABLES

__all__ = [
    "ENV_VAR", "DEFAULT_FILE", "SESSION_KINDS", "GOAL_STATUSES", "ACTION_OWNERS", "FOLLOWUP_KINDS",
    "CoachingLog", "CoachingLogError", "LogCorruptError", "LogLockedError", "NewerSchemaError",
    "LogUnavailableError", "ExportError", "UnknownEntryError", "default_location", "open_log",
]

ENV_VAR = "SALESCOACH_COACHING_LOG"
DEFAULT_FILE = Path(paths.COURSE_DIR) / "coaching_log.sqlite"
SQLITE_MAGIC = b"SQLite format 3\x00"



# --------------------------------------------------------------------------- errors
class CoachingLogError(RuntimeError):
    """A problem with the coaching log's database (the message names it and says what to do)."""


class LogCorruptError(CoachingLogError):
    """The file is not a SQLite database, or fails its integrity check; it was left untouched."""


class LogLockedError(CoachingLogError):
    """Another program held the database's lock for longer than the timeout; nothing was written."""


class NewerSchemaError(CoachingLogError):
    """The database was written by a newer version of the kit; it was left untouched."""


class LogUnavailableError(CoachingLogError):
    """The database cannot be opened or written (missing, read-only, server unreachable ...)."""


class ExportError(CoachingLogError):
    """The CSV export could not be written (the folder cannot be created or written); the log is unchanged."""


class UnknownEntryError(CoachingLogError, LookupError):
    """No entry with that id."""


# --------------------------------------------------------------------------- location
def default_location(kit_root: Path | None = None) -> str:
    """``$SALESCOACH_COACHING_LOG`` if set (a relative path is taken from ``kit_root``), else
    ``<kit_root>/course/coaching_log.sqlite``."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        # a relative path is taken from the kit's folder, not from each program's working folder: a notebook
        # (run in its own folder), the dashboard (run in course/dashboard/) and salescoach-log must all find
        # the same file
        if "://" in env or Path(env).expanduser().is_absolute():
            return env
        return str((kit_root or paths.project_root()) / env)
    return str((kit_root or paths.project_root()) / DEFAULT_FILE)


def _to_url(location: str | os.PathLike[str]) -> URL:
    text = os.fspath(location)
    if "://" in text:
        try:
            url = make_url(text)
        except Exception as exc:  # sqlalchemy.exc.ArgumentError, ValueError
            raise ValueError(f"coaching log location {text!r} is not a database URL SQLAlchemy understands "
                             f"({exc}); give a file path or a URL such as postgresql://user:pw@host/db") from None
        if url.drivername == "postgresql":  # the kit installs psycopg2; SQLAlchemy 2.1 would look for psycopg 3
            url = url.set(drivername="postgresql+psycopg2")
        return url
    path = Path(text).expanduser().resolve()
    return URL.create("sqlite", database=str(path))


def _describe(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


# --------------------------------------------------------------------------- the log
class CoachingLog:
    """A coaching log at ``location`` (see the module docstring); ``create=False`` refuses a missing file.

    ``timeout``: seconds a write waits for another process's lock before :class:`LogLockedError`.
    """

    def __init__(self, location: str | os.PathLike[str] | None = None, *, kit_root: Path | None = None,
                 timeout: float = 30.0, create: bool = True) -> None:
        if not (isinstance(timeout, (int, float)) and timeout >= 0):
            raise ValueError(f"timeout must be a number of seconds >= 0, got {timeout!r}")
        self.url = _to_url(location if location is not None else default_location(kit_root))
        self.where = _describe(self.url)
        self.timeout = float(timeout)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self._check_file(create)
        self._engine = self._make_engine()
        self._writer = self._engine.execution_options(coaching_write=True)
        self._tx: Connection | None = None  # the open transaction() of this log, if any
        try:
            self._open()
        except BaseException:
            self._engine.dispose()
            raise

    # ----------------------------------------------------------------- opening
    def _check_file(self, create: bool) -> None:
        path = Path(str(self.url.database))
        if path.is_dir():
            raise LogUnavailableError(f"coaching log {path} is a folder; give the path of a file inside it, "
                                      f"e.g. {path / DEFAULT_FILE.name}")
        if path.exists():
            try:
                with open(path, "rb") as fh:
                    head = fh.read(len(SQLITE_MAGIC))
            except OSError as exc:
                raise LogUnavailableError(f"coaching log {path} cannot be read ({exc.strerror}); check its "
                                          "permissions") from None
            if head and head != SQLITE_MAGIC:
                raise LogCorruptError(self._corrupt_message("it does not start like a SQLite database"))
        elif not create:
            raise LogUnavailableError(f"coaching log {path} does not exist; check the path (or {ENV_VAR}). "
                                      "A new log is started by the first session added (the dashboard's form, "
                                      "CoachingLog(path) in a notebook, or salescoach-log add session ... --create)")
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LogUnavailableError(f"cannot create the folder {path.parent} for the coaching log "
                                          f"({exc.strerror}); choose another location with {ENV_VAR}") from None

    def _make_engine(self) -> Engine:
        if not self.is_sqlite:
            return sa.create_engine(self.url, pool_pre_ping=True)
        engine = sa.create_engine(self.url, connect_args={"timeout": self.timeout},
                                  poolclass=sa.pool.NullPool)

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # a writer takes the write lock at once (waiting up to `timeout` for it), so two writers never
            # deadlock upgrading a read lock; readers take no lock until they read
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("coaching_write")
                                 else "BEGIN")

        return engine

    def _open(self) -> None:
        with self._guard("opening"):
            with self._engine.connect() as conn:
                if self.is_sqlite:
                    problems = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
                    if problems != ["ok"]:
                        raise LogCorruptError(self._corrupt_message("its integrity check failed: "
                                                                    + "; ".join(problems[:3])))
                version = schema.current_version(conn)
            self._refuse_newer(version)
            if version < SCHEMA_VERSION:
                with self._writer.begin() as conn:
                    if self.url.get_backend_name() == "postgresql":
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(74230071)"))
                    schema.migrate(conn)
        self.schema_version = SCHEMA_VERSION

    def _refuse_newer(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise NewerSchemaError(
                f"coaching log {self.where} was written by a newer version of salescoach (schema version "
                f"{version}; this one knows up to {SCHEMA_VERSION}). It was left untouched: update the kit "
                "(git pull, then make install) to use it")

    def _corrupt_message(self, why: str) -> str:
        return (f"coaching log {self.where} is damaged or is not a coaching log: {why}. It was left untouched. "
                "Restore it from a backup or a CSV export, or point "
                f"{ENV_VAR} (or the location argument) at a new file")

    @contextlib.contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """Turn the database's errors into :class:`CoachingLogError` messages that say what to do."""
        try:
            yield
        except CoachingLogError:
            raise
        except schema.NewerSchemaError as exc:
            raise NewerSchemaError(f"coaching log {self.where}: {exc}; it was left untouched: update the kit") \
                from None
        except schema.UnversionedError as exc:
            raise LogCorruptError(self._corrupt_message(str(exc))) from None
        except sa.exc.DBAPIError as exc:
            text = str(exc.orig).lower()
            if "locked" in text or "busy" in text:
                raise LogLockedError(
                    f"coaching log {self.where} was locked by another program for more than {self.timeout:g} s "
                    f"while {doing} (a notebook or the dashboard writing, or a database browser holding it "
                    "open); close that program and try again. Nothing was written") from None
            if "not a database" in text or "malformed" in text or "disk image" in text:
                raise LogCorruptError(self._corrupt_message(str(exc.orig))) from None
            if "readonly" in text or "read-only" in text or "unable to open" in text:
                raise LogUnavailableError(f"coaching log {self.where} cannot be written while {doing} "
                                          f"({exc.orig}); check the file's and its folder's permissions") from None
            if isinstance(exc, sa.exc.OperationalError) and not self.is_sqlite:
                raise LogUnavailableError(f"coaching log {self.where} is unreachable while {doing} ({exc.orig}); "
                                          "check the server, the URL and the password") from None
            raise

    # ----------------------------------------------------------------- housekeeping
    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> CoachingLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"CoachingLog({self.where!r})"

    @contextlib.contextmanager
    def transaction(self) -> Iterator[CoachingLog]:
        """Group writes so that all of them are stored or none, e.g. a session with its action item::

            with book.transaction():
                sid = book.add_session("Li Na", "Closing")
                book.add_action("Ask for the order twice", session_id=sid)

        An error inside the block (bad input, a lock held past ``timeout``) stores nothing of it.  A nested
        ``transaction()`` joins the outer one.
        """
        if self._tx is not None:
            yield self
            return
        with self._guard("writing"), self._writer.begin() as conn:
            self._still_ours(conn)
            self._tx = conn
            try:
                yield self
            finally:
                self._tx = None

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        """The open transaction's connection, or a new write transaction (committed at the end)."""
        if self._tx is not None:
            yield self._tx
        else:
            with self._writer.begin() as conn:
                self._still_ours(conn)
                yield conn

    def _still_ours(self, conn: Connection) -> None:
        """Refuse to write once a newer kit has upgraded the log while this one had it open (the dashboard
        runs for days): its rows could miss what the newer schema needs."""
        self._refuse_newer(int(conn.execute(sa.select(sa.func.max(schema.migrations.c.version))).scalar() or 0))

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        """The open transaction's connection (it sees its own uncommitted rows), or a new reading one."""
        if self._tx is not None:
            yield self._tx
        else:
            with self._engine.connect() as conn:
                yield conn

    def _insert(self, entity: str, values: dict[str, Any], doing: str) -> int:
        table = TABLES[entity]
        now = schema.utcnow()
        values = {**values, "created_at": now, "updated_at": now}
        with self._guard(doing), self._write() as conn:
            if values.get("session_id") is not None:
                self._session_rep(conn, values["session_id"], values.get("rep"))
            return int(conn.execute(table.insert().values(**values)).inserted_primary_key[0])

    def _session_rep(self, conn: Connection, session_id: int, rep: str | None) -> str:
        t = TABLES["sessions"]
        found = conn.execute(sa.select(t.c.rep).where(t.c.id == session_id)).scalar()
        if found is None:
            raise UnknownEntryError(f"no coaching session with id {session_id} in {self.where}; list them with "
                                    ".sessions()")
        if rep is not None and rep != found:
            raise ValueError(f"session {session_id} is with {found!r}, not {rep!r}: leave rep out or give the "
                             "session of that rep")
        return found

    # ----------------------------------------------------------------- adding
    def add_session(self, rep: str, skill: str, *, coach: str = "", kind: str = "five-step",
                    held_on: Any = None, visit_purpose: str = "", notes: str = "") -> int:
        """Record a coaching session with ``rep`` on ``skill``; ``held_on`` defaults to today. Returns its id."""
        values = {
            "rep": fields.name(rep, "rep"), "skill": fields.name(skill, "skill"),
            "coach": fields.name(coach, "coach", required=False), "kind": fields.choice(kind, "kind", SESSION_KINDS),
            "held_on": fields.day(held_on, "held_on", default_today=True),
            "visit_purpose": fields.text(visit_purpose, "visit_purpose"), "notes": fields.text(notes, "notes"),
        }
        return self._insert("sessions", values, "adding a session")

    def rate_skill(self, rep: str, skill: str, importance: int, ability: int, *, assessed_on: Any = None,
                   notes: str = "") -> int:
        """Record one line of ``rep``'s skills self-assessment (importance and ability 3/2/1). Returns its id."""
        values = {
            "rep": fields.name(rep, "rep"), "skill": fields.name(skill, "skill"),
            "importance": fields.rating(importance, "importance"), "ability": fields.rating(ability, "ability"),
            "assessed_on": fields.day(assessed_on, "assessed_on", default_today=True),
            "notes": fields.text(notes, "notes"),
        }
        return self._insert("skills", values, "rating a skill")

    def add_goal(self, objective: str, *, session_id: int | None = None, rep: str | None = None, plan: str = "",
                 reasons: str = "", due_on: Any = None, status: str = "open") -> int:
        """Record a goal (step 4: the visit objective, the action plan and the reasons for it). Returns its id."""
        values = {**self._owner_of(session_id, rep), "objective": fields.text(objective, "objective", required=True),
                  "plan": fields.text(plan, "plan"), "reasons": fields.text(reasons, "reasons"),
                  "due_on": fields.day(due_on, "due_on"), "status": fields.choice(status, "status", GOAL_STATUSES)}
        return self._insert("goals", values, "adding a goal")

    def add_action(self, text: str, *, session_id: int | None = None, rep: str | None = None, owner: str = "rep",
                   due_on: Any = None) -> int:
        """Record an action item (``owner`` "rep" or "coach"). Returns its id."""
        values = {**self._owner_of(session_id, rep), "text": fields.text(text, "text", required=True),
                  "owner": fields.choice(owner, "owner", ACTION_OWNERS), "due_on": fields.day(due_on, "due_on"),
                  "done": False, "done_on": None}
        return self._insert("actions", values, "adding an action item")

    def add_followup(self, session_id: int | None, due_on: Any, *, rep: str | None = None, kind: str = "review",
                     notes: str = "") -> int:
        """Schedule a follow-up of a session (or of ``rep`` when ``session_id`` is None). Returns its id."""
        values = {**self._owner_of(session_id, rep), "due_on": fields.day(due_on, "due_on", required=True),
                  "kind": fields.choice(kind, "kind", FOLLOWUP_KINDS), "notes": fields.text(notes, "notes"),
                  "done": False, "outcome": ""}
        return self._insert("followups", values, "adding a follow-up")

    def _owner_of(self, session_id: int | None, rep: str | None) -> dict[str, Any]:
        if session_id is None and rep is None:
            raise ValueError("give the session_id this belongs to, or the rep's name (rep=...)")
        sid = None if session_id is None else fields.entry_id(session_id, "session_id")
        if rep is None:
            with self._guard("looking up a session"), self._read() as conn:
                rep = self._session_rep(conn, sid, None)
        return {"session_id": sid, "rep": fields.name(rep, "rep")}

    # ----------------------------------------------------------------- updating
    def update(self, entity: str, entry_id: int, **changes: Any) -> None:
        """Change fields of one entry, e.g. ``update("goals", 3, status="met")``; ids and times are not editable."""
        table = fields.table(entity)
        entry_id = fields.entry_id(entry_id, "entry_id")
        values = {name: fields.clean_field(entity, name, value) for name, value in changes.items()}
        if not values:
            example = sorted(fields.EDITABLE[entity])[0]
            raise ValueError(f"nothing to update: give fields to change, e.g. {example}=...")
        if entity == "actions" and "done" in values and "done_on" not in values:
            values["done_on"] = date.today() if values["done"] else None
        values["updated_at"] = schema.utcnow()
        with self._guard(f"updating {entity}"), self._write() as conn:
            if "session_id" in values and values["session_id"] is not None:
                self._session_rep(conn, values["session_id"], values.get("rep"))
            if conn.execute(table.update().where(table.c.id == entry_id).values(**values)).rowcount == 0:
                raise UnknownEntryError(f"no entry with id {entry_id} in {entity} of {self.where}")

    def mark_action_done(self, action_id: int, done: bool = True, done_on: Any = None) -> None:
        """Mark an action item done (today unless ``done_on``), or open again with ``done=False``."""
        when = fields.day(done_on, "done_on", default_today=True) if done else None
        self.update("actions", action_id, done=bool(done), done_on=when)

    def set_goal_status(self, goal_id: int, status: str) -> None:
        """``status``: one of :data:`GOAL_STATUSES`."""
        self.update("goals", goal_id, status=status)

    def complete_followup(self, followup_id: int, outcome: str = "") -> None:
        """Mark a follow-up done, with what came of it."""
        self.update("followups", followup_id, done=True, outcome=outcome)

    # ----------------------------------------------------------------- listing
    def _rows(self, entity: str, where: Mapping[str, Any] | None = None, order: tuple[str, ...] = ("id",),
              descending: bool = False) -> list[dict[str, Any]]:
        table = TABLES[entity]
        query = sa.select(table)
        for name, value in (where or {}).items():
            query = query.where(table.c[name] == value)
        cols = [table.c[c].desc() if descending else table.c[c] for c in order]
        with self._guard(f"listing {entity}"), self._engine.connect() as conn:
            return [dict(r) for r in conn.execute(query.order_by(*cols)).mappings().all()]

    def _select(self, entity: str, where: Mapping[str, Any] | None = None, order: tuple[str, ...] = ("id",),
                descending: bool = False) -> pd.DataFrame:
        rows = self._rows(entity, where, order, descending)
        return pd.DataFrame(rows, columns=[c.name for c in TABLES[entity].columns])

    def sessions(self, rep: str | None = None, *, skill: str | None = None) -> pd.DataFrame:
        """Sessions, newest first (by date held, then by id), optionally of one rep and/or one skill."""
        where = {k: v for k, v in (("rep", rep), ("skill", skill)) if v is not None}
        return self._select("sessions", where, ("held_on", "id"), descending=True).reset_index(drop=True)

    def session(self, session_id: int) -> dict[str, Any]:
        """One session as a dict, with its ``goals``, ``actions`` and ``followups`` as lists of dicts."""
        sid = fields.entry_id(session_id, "session_id")
        found = self._rows("sessions", {"id": sid})
        if not found:
            raise UnknownEntryError(f"no coaching session with id {sid} in {self.where}")
        record = found[0]
        for entity in ("goals", "actions", "followups"):
            record[entity] = self._rows(entity, {"session_id": sid})
        return record

    def skills(self, rep: str | None = None, *, latest: bool = True) -> pd.DataFrame:
        """Skill ratings; ``latest`` keeps each rep's newest rating of each skill."""
        df = self._select("skills", {"rep": rep} if rep is not None else None, ("assessed_on", "id"))
        if latest and not df.empty:
            df = df.drop_duplicates(["rep", "skill"], keep="last").sort_values(["rep", "id"])
        return df.reset_index(drop=True)

    def goals(self, rep: str | None = None, *, status: str | None = None) -> pd.DataFrame:
        """Goals in the order written, optionally of one rep and/or with one status."""
        where: dict[str, Any] = {"rep": rep} if rep is not None else {}
        if status is not None:
            where["status"] = fields.choice(status, "status", GOAL_STATUSES)
        return self._select("goals", where)

    def actions(self, rep: str | None = None, *, session_id: int | None = None,
                open_only: bool = False) -> pd.DataFrame:
        """Action items in the order written; ``open_only`` leaves out those done."""
        where: dict[str, Any] = {k: v for k, v in (("rep", rep), ("session_id", session_id)) if v is not None}
        if open_only:
            where["done"] = False
        return self._select("actions", where)

    def followups(self, rep: str | None = None, *, pending_only: bool = False) -> pd.DataFrame:
        """Follow-ups by due date; ``pending_only`` leaves out those done."""
        where: dict[str, Any] = {"rep": rep} if rep is not None else {}
        if pending_only:
            where["done"] = False
        return self._select("followups", where, ("due_on", "id"))

    def reps(self) -> list[str]:
        """Every rep named anywhere in the log, sorted."""
        with self._guard("listing reps"), self._engine.connect() as conn:
            names: set[str] = set()
            for table in TABLES.values():
                names.update(conn.execute(sa.select(table.c.rep).distinct()).scalars())
        return sorted(names)

    def counts(self) -> dict[str, int]:
        """Number of entries per entity."""
        with self._guard("counting entries"), self._engine.connect() as conn:
            return {name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar())
                    for name, t in TABLES.items()}

    # ----------------------------------------------------------------- export
    def export_csv(self, folder: str | os.PathLike[str], entities: tuple[str, ...] | None = None) -> dict[str, Path]:
        """Write ``<folder>/<entity>.csv`` for each entity (all five by default), read in one transaction.

        Each file is written to a temporary name and renamed over the old one, so a reader never sees half
        a file and a failed export leaves the previous one in place.  Returns the paths written.
        """
        names = tuple(TABLES) if entities is None else tuple(fields.table_name(e) for e in entities)
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise ValueError(f"export folder {folder} is a file; give a folder (it is created if missing)")
        frames = {}
        with self._guard("exporting"), self._engine.connect() as conn, conn.begin():
            for name in names:
                table = TABLES[name]
                rows = conn.execute(sa.select(table).order_by(table.c.id)).mappings().all()
                frames[name] = pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in table.columns])
        written = {}
        for name, df in frames.items():
            buf = io.StringIO()
            df.to_csv(buf, index=False, lineterminator="\n")
            try:
                write_text_atomic(folder / f"{name}.csv", buf.getvalue())
            except OSError as exc:
                raise ExportError(f"cannot write {folder / f'{name}.csv'} ({exc.strerror or exc}); choose a folder "
                                  "you can write to. The coaching log itself is unchanged"
                                  + (f"; already written: {', '.join(map(str, written.values()))}" if written
                                     else "")) from None
            written[name] = folder / f"{name}.csv"
        return written


def open_log(location: str | os.PathLike[str] | None = None, **kwargs: Any) -> CoachingLog:
    """Same as ``CoachingLog(location, **kwargs)``."""
    return CoachingLog(location, **kwargs)
