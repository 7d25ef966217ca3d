"""nbgrader's autograde steps for a whole batch: one gradebook session and cached lookups.

This is the one place where the grader changes how nbgrader's own code runs (nbgrader is bounded to
``>=0.9.5,<0.10`` in ``pyproject.toml`` because of it; a new minor version needs these checked first):

* the module-level name ``Gradebook`` in the modules listed in :data:`GRADEBOOK_USERS` (nbgrader's
  preprocessors and its ``Autograde`` converter open a gradebook per notebook by calling it) is pointed at
  one shared, already open :class:`SharedGradebook` for the length of :func:`shared_gradebook`, then put back;
* ``nbgrader.nbgraderformat.common.jsonschema`` (which nbgrader's metadata check calls for every cell) is
  replaced by :class:`CachedJsonschema` for the same time, then put back.

:class:`SharedGradebook` subclasses nbgrader's public ``Gradebook`` and overrides public methods only.
"""
from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

from nbgrader.api import Gradebook

from ..kit.nbgrader import tools_on_path

#: nbgrader modules that call ``Gradebook(...)`` while autograding one notebook
GRADEBOOK_USERS = ("nbgrader.preprocessors.overwritecells", "nbgrader.preprocessors.saveautogrades",
                   "nbgrader.preprocessors.overwritekernelspec", "nbgrader.preprocessors.latesubmissions",
                   "nbgrader.converters.autograde")


def _no_commit() -> None:
    """Stands in for ``session.commit`` inside :meth:`SharedGradebook.one_transaction`."""


class SharedGradebook(Gradebook):
    """One open gradebook for the whole batch: nbgrader's steps open and close it per notebook otherwise.

    The assignment's own records (its notebooks and source, grade, solution
    and task cells, which ``OverwriteCells`` reads for every cell of every
    submission) do not change during a run, so their lookups are cached.
    """

    CACHED = ("find_source_cell", "find_grade_cell", "find_graded_cell", "find_solution_cell", "find_task_cell",
              "find_notebook")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cache: dict[tuple, Any] = {}
        self._rows: dict[tuple, Any] = {}
        # objects stay loaded after a commit (this process is the only writer during the run)
        self.db.remove()
        self.db.session_factory.configure(expire_on_commit=False)
        for name in self.CACHED:
            setattr(self, name, self._cached(name, getattr(Gradebook, name).__get__(self)))

    def _cached(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def lookup(*args: Any) -> Any:
            key = (name, *args)
            if key not in self._cache:
                self._cache[key] = fn(*args)
            return self._cache[key]

        return lookup

    def __exit__(self, *exc: Any) -> None:
        pass

    def close(self) -> None:
        pass

    def really_close(self) -> None:
        Gradebook.close(self)

    @contextlib.contextmanager
    def submission_rows(self, notebooks: list[str], assignment: str, student: str) -> Iterator[None]:
        """Load one submission's grade and comment rows in a query per notebook; nbgrader's ``find_grade`` and
        ``find_comment`` (one query each, per cell) are answered from them inside the block."""
        rows: dict[tuple, Any] = {}
        for notebook in notebooks:
            sub = Gradebook.find_submission_notebook(self, notebook, assignment, student)
            rows.update({("grade", g.name, notebook): g for g in sub.grades})
            rows.update({("comment", c.name, notebook): c for c in sub.comments})
        self._rows = rows
        try:
            yield
        finally:
            self._rows = {}

    def find_grade(self, grade_cell: str, notebook: str, assignment: str, student: str) -> Any:
        hit = self._rows.get(("grade", grade_cell, notebook))
        return hit if hit is not None else Gradebook.find_grade(self, grade_cell, notebook, assignment, student)

    def find_comment(self, solution_cell: str, notebook: str, assignment: str, student: str) -> Any:
        hit = self._rows.get(("comment", solution_cell, notebook))
        return hit if hit is not None else Gradebook.find_comment(self, solution_cell, notebook, assignment, student)

    @contextlib.contextmanager
    def one_transaction(self) -> Iterator[None]:
        """nbgrader commits after every grade and comment; inside this block those commits do nothing and
        the submission is committed once at the end (or rolled back as a whole).  The session still flushes
        before every query (autoflush), so whatever nbgrader reads back reflects what it wrote."""
        self.db.commit = _no_commit  # type: ignore[method-assign]
        try:
            yield
        except BaseException:
            del self.db.commit
            self.db.rollback()
            raise
        del self.db.commit
        self.db.commit()


class CachedJsonschema:
    """``jsonschema`` for nbgrader's metadata check, with each schema checked once instead of once per cell.

    ``jsonschema.validate(instance, schema)`` checks the schema itself and then
    the instance; nbgrader calls it for every cell of every notebook with the
    same schema.  The result (the best-matching error, raised) is the same.
    Cell metadata that already passed is not checked again: every student's
    copy of a cell carries the same nbgrader metadata unless it was tampered with.
    """

    def __init__(self) -> None:
        import jsonschema

        self._js = jsonschema
        self._validators: dict[str, Any] = {}
        self._valid: set[tuple[str, str]] = set()
        self._schema_keys: dict[int, tuple[dict, str]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._js, name)

    def validate(self, instance: Any, schema: dict, *args: Any, **kwargs: Any) -> None:
        held = self._schema_keys.get(id(schema))
        if held is None or held[0] is not schema:
            held = self._schema_keys[id(schema)] = (schema, json.dumps(schema, sort_keys=True))
        key = held[1]
        seen = (key, json.dumps(instance, sort_keys=True, default=repr))
        if seen in self._valid:
            return
        validator = self._validators.get(key)
        if validator is None:
            cls = self._js.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = self._validators[key] = cls(schema)
        error = self._js.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error
        self._valid.add(seen)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout = 60000")
    cur.execute("PRAGMA journal_mode = WAL")  # readers (formgrader) and this writer do not block each other
    cur.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a commit per grade no longer waits on fsync
    cur.close()


@contextlib.contextmanager
def shared_gradebook(db_url: str, course_id: str) -> Iterator[SharedGradebook]:
    """Let nbgrader's own steps use one gradebook connection (and one schema check) for the whole run."""
    import nbgrader.nbgraderformat.common as nbformat_common
    from sqlalchemy import event

    tools_on_path()
    gb = SharedGradebook(db_url, course_id)
    if db_url.startswith("sqlite"):
        event.listen(gb.engine, "connect", _sqlite_pragmas)
        gb.db.remove()
        gb.engine.dispose()
    mods = [sys.modules.get(m) or __import__(m, fromlist=["Gradebook"]) for m in GRADEBOOK_USERS]
    saved = [m.Gradebook for m in mods]
    saved_js = nbformat_common.jsonschema
    for m in mods:
        m.Gradebook = lambda *a, **k: gb  # noqa: E731
    nbformat_common.jsonschema = CachedJsonschema()
    try:
        yield gb
    finally:
        for m, g in zip(mods, saved):
            m.Gradebook = g
        nbformat_common.jsonschema = saved_js
        gb.really_close()
