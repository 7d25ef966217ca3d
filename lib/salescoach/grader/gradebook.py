"""The grader's gradebook: nbgrader's own database, so formgrader keeps working on the same grades.

SQLite (``<course>/gradebook.db``) by default, or PostgreSQL through a URL
(``postgresql://user:password@host:5432/database``, driven by psycopg2).

* :func:`normalize_url` turns what the trainer typed into the URL nbgrader uses;
  :func:`redact` hides the password whenever a URL is shown.
* :func:`check_connection` says plainly what is wrong (folder missing, server
  unreachable, database missing, driver missing) before any grading starts.
* :func:`writer_lock` serialises the writes of grader processes that share a
  gradebook: an ``fcntl.flock`` on ``<db>.lock`` for SQLite, a PostgreSQL
  advisory lock (:data:`ADVISORY_LOCK_KEY`) held on a dedicated connection.
* :func:`existing_url`, :func:`reading` and :func:`require_assignment` are how
  the read-side stages (feedback, report, export) open a gradebook that must
  already exist and find an assignment in it.
* :func:`has_assignment` says whether an assignment is recorded yet (the CLI
  records it with :func:`ensure_gradebook` before collecting or grading).
* :func:`ensure_gradebook` records an assignment, its notebooks and cells the
  way ``nbgrader generate_assignment`` does (nbgrader's ``Gradebook`` creates
  the tables of a fresh database itself, on PostgreSQL too; the only alembic
  involvement is the ``alembic heads`` call that stamps the schema version).

SQLite is switched to write-ahead logging (``journal_mode=WAL``): the setting
is stored in the database file, so it also holds for the engines nbgrader opens
itself, and formgrader or an export can read while a grader writes.  A busy
timeout, by contrast, belongs to each connection: nbgrader's connections keep
sqlite3's default of 5 s (only a ``?timeout=`` in the URL would change it, and
that breaks ``nbgrader db upgrade``), which is ample once the grader processes'
writes go one at a time through :func:`writer_lock`.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import random
import re
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from ..kit.nbgrader import NbgraderError, open_gradebook, run_converter, tools_on_path
from ..notebooks import read
from ..paths import GRADEBOOK_FILE, SOLUTIONS_DIR

PG_DRIVER = "postgresql+psycopg2"
ACCEPTED_FORMS = ("sqlite:///<path to a .db file>", "a file path ending in .db",
                  "postgresql://<user>:<password>@<host>:<port>/<database>")
#: The key of the PostgreSQL advisory lock that grader processes take before writing (first 8 bytes of
#: sha256("salescoach.grader.gradebook") as a signed 64-bit integer; advisory locks are per database).
ADVISORY_LOCK_KEY = int.from_bytes(hashlib.sha256(b"salescoach.grader.gradebook").digest()[:8], "big", signed=True)
#: Seconds our own SQLite connections wait for a lock held by another connection (sqlite3's default is 5).
SQLITE_BUSY_TIMEOUT = 60.0


class GradebookError(NbgraderError):
    """The gradebook cannot be used; the message names the problem and the fix."""


# --------------------------------------------------------------------------- URLs
def default_url(course_root: Path) -> str:
    """``sqlite:///<absolute course root>/gradebook.db``, nbgrader's own default."""
    return f"sqlite:///{Path(course_root).expanduser().resolve() / GRADEBOOK_FILE}"


def redact(url: str) -> str:
    """``url`` with its password (in the authority or a ``password=`` parameter) replaced by ``***``."""
    out = re.sub(r"^([A-Za-z][A-Za-z0-9+.\-]*://[^:/@?#]*:)[^/?#]*@", r"\1***@", url)
    return re.sub(r"(?i)([?&]password=)[^&#]*", r"\1***", out)


def _accepted() -> str:
    return "; ".join(ACCEPTED_FORMS)


def normalize_url(url: str | None, course_root: Path) -> str:
    """The SQLAlchemy URL nbgrader should use for the gradebook the trainer named.

    ``None`` or empty: :func:`default_url`.  ``sqlite:///path`` and bare paths
    ending in ``.db`` (relative ones are taken relative to ``course_root``):
    ``sqlite:///<absolute path>``.  ``postgresql://`` / ``postgres://`` /
    ``postgresql+psycopg2://``: ``postgresql+psycopg2://...`` (a database name
    is required).  Anything else raises ``ValueError`` naming the accepted forms.
    """
    root = Path(course_root).expanduser().resolve()
    if url is None or not url.strip():
        return default_url(root)
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if not sep:
        if url.lower().endswith(".db"):
            return f"sqlite:///{_absolute(Path(url), root)}"
        raise ValueError(f"gradebook {redact(url)!r} is neither a database URL nor a .db file; use one of: "
                         f"{_accepted()}")
    if scheme == "sqlite":
        path, _, query = rest.partition("?")
        if not path.startswith("/") or path in ("/", "/:memory:") or "mode=memory" in query:
            raise ValueError(f"gradebook URL {redact(url)!r} names no database file (an in-memory SQLite gradebook "
                             f"would vanish when grading ends); use one of: {_accepted()}")
        file = _absolute(Path(path[1:]), root)
        return f"sqlite:///{file}" + (f"?{query}" if query else "")
    if scheme in ("postgresql", "postgres", PG_DRIVER):
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            parsed = make_url(f"{PG_DRIVER}://{rest}")
        except (ArgumentError, ValueError) as exc:
            raise ValueError(f"gradebook URL {redact(url)!r} is not a valid PostgreSQL URL ({exc}); use "
                             f"{ACCEPTED_FORMS[2]}") from None
        if not parsed.database:
            raise ValueError(f"gradebook URL {redact(url)!r} names no database; use {ACCEPTED_FORMS[2]}")
        return f"{PG_DRIVER}://{rest}"
    raise ValueError(f"gradebook URL {redact(url)!r} is not supported (scheme {scheme!r}); use one of: {_accepted()}")


def _absolute(path: Path, root: Path) -> Path:
    path = path.expanduser()
    return (path if path.is_absolute() else root / path).resolve()


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


def sqlite_path(url: str) -> Path:
    """The database file of a ``sqlite:///`` URL (query string dropped)."""
    if not is_sqlite(url):
        raise ValueError(f"{redact(url)!r} is not a SQLite URL")
    return Path(url.partition("://")[2].partition("?")[0][1:])


# --------------------------------------------------------------------------- connection check
def check_connection(url: str) -> None:
    """Raise :class:`GradebookError` (a plain sentence with the fix) if the gradebook at ``url`` cannot be used.

    SQLite: the folder must exist and be writable, an existing file must be a
    SQLite database.  PostgreSQL: the psycopg2 driver must be installed, the
    server reachable, the user accepted and the database present.
    """
    if is_sqlite(url):
        _check_sqlite(sqlite_path(url))
    else:
        _check_postgres(url)


def _check_sqlite(path: Path) -> None:
    if not path.parent.is_dir():
        raise GradebookError(f"the folder of the gradebook {path} does not exist; create it or choose another "
                             "gradebook")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise GradebookError(f"the folder {path.parent} is not writable, so the gradebook {path.name} cannot be "
                             "written there; fix its permissions or choose another gradebook")
    if not path.exists():
        return  # nbgrader creates it
    if not os.access(path, os.R_OK | os.W_OK):
        raise GradebookError(f"the gradebook {path} is not readable and writable by you; fix its permissions")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=SQLITE_BUSY_TIMEOUT)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise GradebookError(f"{path} is not a usable SQLite gradebook ({exc}); move it aside and grade again to "
                             "start a new one, or restore it from a backup") from None


def _pg_parts(url: str) -> tuple[str, str, str]:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return f"{u.host or 'localhost'}:{u.port or 5432}", u.username or "", u.database or ""


def _require_psycopg2() -> None:
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        raise GradebookError("a PostgreSQL gradebook needs the psycopg2 driver, which is not installed: run "
                             "`pip install psycopg2-binary` in the kit's environment (`make install` does it)") from None


def _pg_engine(url: str):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 10})


def explain_pg_error(exc: BaseException, url: str) -> str:
    """A sentence for the trainer about a failed PostgreSQL connection (never the password)."""
    where, user, db = _pg_parts(url)
    text = str(getattr(exc, "orig", None) or exc).strip()
    low = text.lower()
    first = text.splitlines()[0] if text else type(exc).__name__
    if "does not exist" in low and "database" in low:
        host, _, port = where.rpartition(":")
        return (f"the PostgreSQL database {db!r} does not exist on {where}: create it first "
                f"(`createdb -h {host} -p {port} -U {user or '<user>'} {db}`) or fix the gradebook URL")
    if "password authentication failed" in low or "no password supplied" in low or "authentication" in low:
        return (f"the PostgreSQL server at {where} refused user {user!r} ({first}); check the user name and "
                "password in the gradebook URL")
    if any(s in low for s in ("connection refused", "could not connect", "timeout expired", "could not translate",
                              "no route to host", "network is unreachable", "server closed the connection")):
        return (f"cannot reach the PostgreSQL server at {where} ({first}); is it running, and are host and port "
                f"in the gradebook URL {redact(url)} right?")
    return f"cannot open the PostgreSQL gradebook {redact(url)}: {first}"


def _check_postgres(url: str) -> None:
    _require_psycopg2()
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    engine = _pg_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError as exc:
        raise GradebookError(explain_pg_error(exc, url)) from None
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- writer lock
_held = threading.local()


def _lock_key(url: str) -> str:
    if is_sqlite(url):
        return f"file:{sqlite_path(url)}"
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return f"pg:{u.host}:{u.port}:{u.database}"


@contextmanager
def writer_lock(url: str, timeout: float = 600) -> Iterator[None]:
    """Hold the gradebook's inter-process writer lock for the ``with`` block.

    Grader processes writing the same gradebook take it around each write so
    their writes never interleave.  SQLite: ``fcntl.flock`` on ``<db>.lock``
    next to the database (which is also switched to WAL journaling).
    PostgreSQL: ``pg_advisory_lock(ADVISORY_LOCK_KEY)`` on a dedicated
    connection.  Re-entrant within a thread.  Raises ``TimeoutError`` after
    ``timeout`` seconds of waiting.
    """
    key = f"{os.getpid()}:{_lock_key(url)}"  # a forked child does not inherit the parent's hold
    depths: dict[str, int] = _held.__dict__.setdefault("depths", {})
    if depths.get(key):
        depths[key] += 1
        try:
            yield
        finally:
            depths[key] -= 1
        return
    lock = _file_lock(sqlite_path(url), timeout) if is_sqlite(url) else _advisory_lock(url, timeout)
    with lock:
        depths[key] = 1
        try:
            yield
        finally:
            depths.pop(key, None)


def lock_path(db: Path) -> Path:
    """``<db>.lock``: the file the SQLite writer lock is taken on."""
    return db.with_name(db.name + ".lock")


@contextmanager
def _file_lock(db: Path, timeout: float) -> Iterator[None]:
    if not db.parent.is_dir():
        raise GradebookError(f"the folder of the gradebook {db} does not exist; create it or choose another gradebook")
    path = lock_path(db)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        writable = True
    except PermissionError:  # another user's lock file: locking works on a read-only handle too
        fd = os.open(path, os.O_RDONLY)
        writable = False
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_holder(path)
                    raise TimeoutError(f"another grader{holder} has been writing to the gradebook {db} for more "
                                       f"than {timeout:g} s (lock file {path}); wait for it to finish or stop it") from None
                time.sleep(random.uniform(0.002, 0.02))
        try:
            if writable:  # who holds it, for the message another grader gets when it gives up waiting
                os.pwrite(fd, f"{os.getpid():<20}\n".encode(), 0)  # fixed width: no truncating needed
            if db.exists():
                _wal_once(db)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _read_holder(path: Path) -> str:
    try:
        pid = path.read_text().strip()
    except OSError:
        return ""
    return f" (process {pid})" if pid.isdigit() else ""


def _wal_once(db: Path) -> None:
    """:func:`enable_wal` the first time this process locks this database file (the mode stays in the file)."""
    try:
        st = db.stat()
    except OSError:
        return
    key = (st.st_dev, st.st_ino)
    if key not in _WAL_CHECKED:
        enable_wal(db)
        _WAL_CHECKED.add(key)


_WAL_CHECKED: set[tuple[int, int]] = set()


def enable_wal(db: Path) -> None:
    """Switch the SQLite database ``db`` to write-ahead logging (stored in the file; a no-op when already on)."""
    conn = sqlite3.connect(db, timeout=SQLITE_BUSY_TIMEOUT)
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode=WAL")
    except sqlite3.DatabaseError as exc:
        raise GradebookError(f"{db} is not a usable SQLite gradebook ({exc}); move it aside and grade again to "
                             "start a new one, or restore it from a backup") from None
    finally:
        conn.close()


@contextmanager
def _advisory_lock(url: str, timeout: float) -> Iterator[None]:
    _require_psycopg2()
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    engine = _pg_engine(url)
    try:
        try:
            conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except DBAPIError as exc:
            raise GradebookError(explain_pg_error(exc, url)) from None
        try:
            deadline = time.monotonic() + timeout
            while not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_LOCK_KEY}).scalar():
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"another grader has been writing to the gradebook {redact(url)} for more "
                                       f"than {timeout:g} s (PostgreSQL advisory lock {ADVISORY_LOCK_KEY}); wait for "
                                       "it to finish or stop it")
                time.sleep(random.uniform(0.005, 0.03))
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_KEY})
        finally:
            conn.close()  # ends the session, which releases the lock in any case
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- assignment records
def existing_url(course_root: Path, db_url: str | None) -> str:
    """:func:`normalize_url`, refusing a SQLite gradebook that does not exist yet (reading must not create one)."""
    url = normalize_url(db_url, Path(course_root))
    if is_sqlite(url) and not sqlite_path(url).is_file():
        raise FileNotFoundError(f"no gradebook at {sqlite_path(url)}: autograde the submissions first "
                                "(`salescoach grade autograde` or `nbgrader autograde`), or name the gradebook you "
                                "graded into (db_url, --db)")
    return url


@contextmanager
def reading(url: str) -> Iterator[Gradebook]:
    """nbgrader's ``Gradebook`` at ``url`` under the kit's course id (:func:`salescoach.kit.nbgrader.open_gradebook`)."""
    with open_gradebook(url) as gb:
        yield gb


def require_assignment(gb: Gradebook, assignment: str, url: str):  # -> nbgrader.api.Assignment
    """The gradebook's record of ``assignment``, or a ValueError naming the assignments it does have."""
    try:
        return gb.find_assignment(assignment)
    except MissingEntry:
        known = ", ".join(sorted(a.name for a in gb.assignments)) or "none"
        raise ValueError(f"assignment {assignment!r} is not in the gradebook {redact(url)} (known assignments: "
                         f"{known}); autograde it first, or check the spelling") from None


def has_assignment(db_url: str, assignment: str) -> bool:
    """Whether the gradebook at ``db_url`` already records ``assignment``."""
    with reading(db_url) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            return False
    return True


def ensure_gradebook(url: str, course_root: Path, assignment: str) -> list[str]:
    """Record ``assignment`` with its notebooks and cells in the gradebook as ``nbgrader generate_assignment`` does.

    Runs nbgrader's ``GenerateAssignment`` on ``<course_root>/solutions/<assignment>``
    in a scratch folder (the course's ``exercises/`` is left alone) against the
    gradebook ``url``, under :func:`writer_lock`.  Creates the database tables
    when the gradebook is new.  Idempotent; an assignment that already has
    submissions keeps them (nbgrader refuses to add or remove its cells).
    Returns the notebook names recorded.
    """
    root = Path(course_root).expanduser().resolve()
    src = root / SOLUTIONS_DIR / assignment
    if not src.is_dir():
        raise FileNotFoundError(f"{src} does not exist: the gradebook records assignment {assignment!r} from its "
                                f"source notebooks in {SOLUTIONS_DIR}/{assignment}/; restore them or check the name")
    notebooks = sorted(src.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"{src} has no notebooks to record for assignment {assignment!r}")
    for nb in notebooks:
        read(nb)  # a broken source notebook gets a clear error before nbgrader's
    check_connection(url)
    tools_on_path()
    with writer_lock(url), tempfile.TemporaryDirectory(prefix="salescoach-gradebook-") as tmp:
        scratch = Path(tmp)
        shutil.copytree(src, scratch / SOLUTIONS_DIR / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        run_converter(_generate_assignment(), scratch, assignment, db_url=url, force=True, create_assignment=True)
        if is_sqlite(url):
            enable_wal(sqlite_path(url))
    return [nb.stem for nb in notebooks]


def _generate_assignment() -> type:
    from nbgrader.converters import GenerateAssignment

    return GenerateAssignment
