"""The coaching log: sessions, skills, goals, action items and follow-ups, kept in a database.

:class:`CoachingLog` is the whole log; this module holds its recording half (adding entries, updating them,
marking them done).  Where the log lives, locking and safety: :mod:`.log_store`; listings and the CSV export:
:mod:`.log_queries`; the errors: :mod:`.log_errors`; the checks of each field: :mod:`.log_fields`; the tables
and migrations: :mod:`.log_schema`.

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

Every ``add_*`` returns the new entry's id.  Bad input raises ``ValueError`` naming the field and the fix; an
unknown id raises :class:`~salescoach.coaching.log_errors.UnknownEntryError`.

Layering: other subjects must not import this module (a subject imports only another subject's
``analysis``).  The dashboard's notebook imports it and hands a :class:`CoachingLog` to the widgets.
"""
from __future__ import annotations

import os
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import log_fields as fields
from . import log_schema as schema
from .log_errors import UnknownEntryError
from .log_fields import ACTION_OWNERS, FOLLOWUP_KINDS, GOAL_STATUSES, SESSION_KINDS
from .log_queries import LogQueries
from .log_schema import TABLES

__all__ = ["CoachingLog", "open_log"]


class CoachingLog(LogQueries):
    """A coaching log at ``location``: where it lives, ``timeout``, ``create`` and ``on_wait`` as for
    :class:`~salescoach.coaching.log_store.LogStore`; listings and the export from
    :class:`~salescoach.coaching.log_queries.LogQueries`; adding and updating entries here.
    """

    # ----------------------------------------------------------------- recording
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


def open_log(location: str | os.PathLike[str] | None = None, **kwargs: Any) -> CoachingLog:
    """Same as ``CoachingLog(location, **kwargs)``."""
    return CoachingLog(location, **kwargs)
