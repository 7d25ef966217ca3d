"""Reading the coaching log: each entity's entries as a DataFrame, one session with its goals, actions and
follow-ups, the reps named, entries per entity, and the CSV export (one file per entity, written atomically).

Every listing returns a DataFrame with the entity's columns (empty with the same columns when nothing
matches).  An unknown id raises :class:`~salescoach.coaching.log_errors.UnknownEntryError`; an export folder
that cannot be written :class:`~salescoach.coaching.log_errors.ExportError` (the log is only read).
"""
from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from ..files import write_text_atomic
from . import log_fields as fields
from .log_errors import ExportError, UnknownEntryError
from .log_fields import GOAL_STATUSES
from .log_schema import TABLES
from .log_store import LogStore

__all__ = ["LogQueries"]


class LogQueries(LogStore):
    """The reading half of :class:`~salescoach.coaching.log.CoachingLog`: listings, counts and the export."""

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
