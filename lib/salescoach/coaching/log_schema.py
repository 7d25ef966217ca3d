"""The coaching log's tables and its schema migrations (SQLAlchemy Core; no alembic).

Every table carries the prefix ``coaching_`` so the log can share a database (a PostgreSQL server, say)
with other applications.  The schema is versioned: ``coaching_migrations`` holds one row per migration
applied (version, name, time).  :data:`MIGRATIONS` lists them in order; :func:`migrate` applies the
missing ones inside one transaction that holds the database's write lock, so two processes opening a new
log at the same moment do not both create it.  A database whose version is above :data:`SCHEMA_VERSION`
was written by a newer kit: :func:`migrate` refuses it and changes nothing.

Adding a migration: write a function ``_vN(conn)`` that changes the schema of version N-1 into version N
(``ALTER TABLE`` that both SQLite and PostgreSQL accept), append it to :data:`MIGRATIONS`, update the table
definitions below to the new shape, and add a test that upgrades a version N-1 file with rows in it.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

MIGRATIONS_TABLE = "coaching_migrations"


def define_tables(md: sa.MetaData, version: int) -> dict[str, sa.Table]:
    """The log's tables as they are at schema ``version``, defined in ``md``; keyed by public name."""
    def stamps() -> list[sa.Column]:
        return [sa.Column("created_at", sa.DateTime, nullable=False),
                sa.Column("updated_at", sa.DateTime, nullable=False)]

    def session_fk() -> sa.Column:
        return sa.Column("session_id", sa.Integer, sa.ForeignKey("coaching_sessions.id"), nullable=True, index=True)

    def rep() -> sa.Column:
        return sa.Column("rep", sa.String(200), nullable=False, index=True)

    later = [sa.Column("visit_purpose", sa.Text, nullable=False, server_default="")] if version >= 2 else []
    return {
        # a coaching session: the five steps with one rep on one skill, an observed visit, a debrief ...
        "sessions": sa.Table(
            "coaching_sessions", md,
            sa.Column("id", sa.Integer, primary_key=True), rep(),
            sa.Column("coach", sa.String(200), nullable=False),
            sa.Column("skill", sa.String(200), nullable=False),
            sa.Column("kind", sa.String(40), nullable=False),
            sa.Column("held_on", sa.Date, nullable=False),
            sa.Column("notes", sa.Text, nullable=False), *stamps(), *later),
        # one line of a rep's skills self-assessment grid (importance to the job x ability, 3/2/1 each)
        "skills": sa.Table(
            "coaching_skills", md,
            sa.Column("id", sa.Integer, primary_key=True), rep(),
            sa.Column("skill", sa.String(200), nullable=False),
            sa.Column("importance", sa.Integer, nullable=False),
            sa.Column("ability", sa.Integer, nullable=False),
            sa.Column("assessed_on", sa.Date, nullable=False),
            sa.Column("notes", sa.Text, nullable=False), *stamps(),
            sa.CheckConstraint("importance BETWEEN 1 AND 3", name="ck_coaching_skills_importance"),
            sa.CheckConstraint("ability BETWEEN 1 AND 3", name="ck_coaching_skills_ability")),
        # step 4 of the five steps: the visit objective and the action plan the rep writes down, with reasons
        "goals": sa.Table(
            "coaching_goals", md,
            sa.Column("id", sa.Integer, primary_key=True), session_fk(), rep(),
            sa.Column("objective", sa.Text, nullable=False),
            sa.Column("plan", sa.Text, nullable=False),
            sa.Column("reasons", sa.Text, nullable=False),
            sa.Column("due_on", sa.Date, nullable=True),
            sa.Column("status", sa.String(20), nullable=False), *stamps()),
        # a concrete thing to do after a session, by the rep or the coach
        "actions": sa.Table(
            "coaching_actions", md,
            sa.Column("id", sa.Integer, primary_key=True), session_fk(), rep(),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("owner", sa.String(20), nullable=False),
            sa.Column("due_on", sa.Date, nullable=True),
            sa.Column("done", sa.Boolean, nullable=False),
            sa.Column("done_on", sa.Date, nullable=True), *stamps()),
        # the next look at the rep's progress: an observed visit, a review, the five steps again
        "followups": sa.Table(
            "coaching_followups", md,
            sa.Column("id", sa.Integer, primary_key=True), session_fk(), rep(),
            sa.Column("due_on", sa.Date, nullable=False),
            sa.Column("kind", sa.String(40), nullable=False),
            sa.Column("notes", sa.Text, nullable=False),
            sa.Column("done", sa.Boolean, nullable=False),
            sa.Column("outcome", sa.Text, nullable=False), *stamps()),
    }


def _migrations_table(md: sa.MetaData) -> sa.Table:
    return sa.Table(
        MIGRATIONS_TABLE, md,
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("applied_at", sa.DateTime, nullable=False),
    )


# --------------------------------------------------------------------------- migrations
def _v1(conn: Connection) -> None:
    """The first schema: sessions, skills, goals, actions and follow-ups."""
    md = sa.MetaData()
    define_tables(md, 1)
    md.create_all(conn)


def _v2(conn: Connection) -> None:
    """Sessions record the visit's purpose: the coach must know it before observing (syllabus M7 principles)."""
    conn.execute(sa.text("ALTER TABLE coaching_sessions ADD COLUMN visit_purpose TEXT NOT NULL DEFAULT ''"))


#: (version, name, function) in order; the last version is the schema this kit writes
MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "sessions, skills, goals, actions, follow-ups", _v1),
    (2, "sessions.visit_purpose", _v2),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]

#: the tables as this kit writes them
metadata = sa.MetaData()
TABLES: dict[str, sa.Table] = define_tables(metadata, SCHEMA_VERSION)
migrations = _migrations_table(metadata)


class NewerSchemaError(RuntimeError):
    """The database holds a schema version this kit does not know (it was written by a newer kit)."""


class UnversionedError(RuntimeError):
    """Coaching tables exist but the migrations table does not: the database was not made by this kit."""


def current_version(conn: Connection) -> int:
    """The schema version of the database on ``conn`` (0: no coaching log yet)."""
    names = set(sa.inspect(conn).get_table_names())
    if MIGRATIONS_TABLE not in names:
        stray = sorted(names & {t.name for t in TABLES.values()})
        if stray:
            raise UnversionedError(f"tables {stray} exist but {MIGRATIONS_TABLE} does not")
        return 0
    return int(conn.execute(sa.select(sa.func.max(migrations.c.version))).scalar() or 0)


def migrate(conn: Connection, target: int = SCHEMA_VERSION) -> list[int]:
    """Bring the database on ``conn`` (inside a transaction that holds the write lock) up to ``target``.

    Returns the versions applied.  Raises :class:`NewerSchemaError` when the database is ahead of this kit.
    """
    version = current_version(conn)
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(f"schema version {version}, this kit knows versions up to {SCHEMA_VERSION}")
    if version == 0:
        _migrations_table(sa.MetaData()).create(conn)
    applied = []
    for number, name, step in MIGRATIONS:
        if version < number <= target:
            step(conn)
            conn.execute(migrations.insert().values(version=number, name=name, applied_at=utcnow()))
            applied.append(number)
    return applied


def utcnow() -> datetime:
    """Now in UTC, without tzinfo (stored the same way by every database)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
