"""The coaching log's errors: one base class, :class:`CoachingLogError`, that a caller catches for all of them.

Every message names the log and says what to do.  Raised by :mod:`.log_store` (opening, locking, damaged or
newer-schema databases), :mod:`.log` (unknown ids when recording) and :mod:`.log_queries` (unknown ids, exports).
"""
from __future__ import annotations

__all__ = [
    "CoachingLogError", "LogCorruptError", "LogLockedError", "NewerSchemaError", "LogUnavailableError",
    "ExportError", "UnknownEntryError",
]


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
