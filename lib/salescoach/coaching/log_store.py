"""Where the coaching log lives, and opening, locking and writing its database safely.

Where it lives (first that applies): the ``location`` argument (a file path or an SQLAlchemy URL such as
``postgresql://user:pw@host/db``), the environment variable ``SALESCOACH_COACHING_LOG`` (same forms), or
the SQLite file ``course/coaching_log.sqlite`` in the kit's folder.  Any database SQLAlchemy reaches by URL
works the same; SQLite and PostgreSQL are tested.

Safety (what the tests check): writes take the database's write lock at their start (SQLite ``BEGIN
IMMEDIATE``) and wait up to ``timeout`` seconds for it, so several processes (the dashboard and a
notebook) writing at once lose nothing.  A wait longer than :data:`LOCK_NOTICE_AFTER` seconds is said once
(on stderr, or to the ``on_wait`` function given), with the file that holds the lock.  A file that is not a
SQLite database or fails its integrity check raises :class:`LogCorruptError`; a database locked longer than
``timeout`` :class:`LogLockedError`; a database written by a newer kit :class:`NewerSchemaError`.  In each
case nothing is written and the file is never replaced or recreated.

:class:`LogStore` holds all of this; :class:`~salescoach.coaching.log.CoachingLog` builds on it (through
:class:`~salescoach.coaching.log_queries.LogQueries`) with the entries themselves.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url

from .. import paths
from . import log_schema as schema
from .log_errors import (
    CoachingLogError,
    LogCorruptError,
    LogLockedError,
    LogUnavailableError,
    NewerSchemaError,
)
from .log_schema import SCHEMA_VERSION

__all__ = ["ENV_VAR", "DEFAULT_FILE", "LOCK_NOTICE_AFTER", "LogStore", "default_location"]

ENV_VAR = "SALESCOACH_COACHING_LOG"
DEFAULT_FILE = Path(paths.COURSE_DIR) / "coaching_log.sqlite"
SQLITE_MAGIC = b"SQLite format 3\x00"
#: seconds of waiting for another process's lock before the log says it is waiting (kit assumption: shorter
#: waits are two writers taking turns, not worth a line)
LOCK_NOTICE_AFTER = 1.0


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


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the store
class LogStore:
    """The database of a coaching log at ``location`` (see the module docstring); ``create=False`` refuses a
    missing file.

    ``timeout``: seconds a write waits for another process's lock before :class:`LogLockedError`.
    ``on_wait``: called with one line when a wait passes :data:`LOCK_NOTICE_AFTER` seconds (default: print it
    on stderr).
    """

    def __init__(self, location: str | os.PathLike[str] | None = None, *, kit_root: Path | None = None,
                 timeout: float = 30.0, create: bool = True, on_wait: Callable[[str], Any] | None = None) -> None:
        if not (isinstance(timeout, (int, float)) and timeout >= 0):
            raise ValueError(f"timeout must be a number of seconds >= 0, got {timeout!r}")
        self.url = _to_url(location if location is not None else default_location(kit_root))
        self.where = _describe(self.url)
        self.timeout = float(timeout)
        self.on_wait = on_wait or _to_stderr
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
            # deadlock upgrading a read lock; a reader takes its read lock at once too, so that a wait for it is
            # said like a writer's
            if conn.get_execution_options().get("coaching_write"):
                self._take_lock(conn, "BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")
                self._take_lock(conn, "PRAGMA schema_version")

        return engine

    def _take_lock(self, conn: Connection, statement: str) -> None:
        """Run ``statement`` (it takes a lock), waiting up to ``timeout`` for another process's lock; a wait
        past :data:`LOCK_NOTICE_AFTER` seconds is said once, with the file that holds the lock."""
        raw = conn.connection.dbapi_connection
        first = min(self.timeout, LOCK_NOTICE_AFTER)
        rest = self.timeout - first
        try:
            raw.execute(f"PRAGMA busy_timeout = {int(first * 1000)}")
            try:
                raw.execute(statement).fetchall()
                return
            except sqlite3.Error as exc:
                busy = "locked" in str(exc).lower() or "busy" in str(exc).lower()
            if busy and rest > 0:
                self.on_wait(f"coaching log: waiting up to {rest:g} s more for the lock held by another process "
                             "(a notebook or the dashboard writing, or a database browser holding it open); "
                             f"lock file: {self.where}")
            # again through SQLAlchemy, so that a lock still held (or any other error) is reported like any other
            raw.execute(f"PRAGMA busy_timeout = {int(rest * 1000)}")
            conn.exec_driver_sql(statement)
        finally:
            with contextlib.suppress(sqlite3.Error):
                raw.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")

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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.where!r})"

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Self]:
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
