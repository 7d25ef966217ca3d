"""Another process's writer on a SQLite file, for the coaching log's lock tests (log store and the widgets)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another process's connection in the middle of a write (it holds the write lock until it rolls back)."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


@contextmanager
def writer_until_said(path: Path, status: Any) -> Iterator[list[str]]:
    """Hold the write lock on ``path`` until ``status`` (a widget's HTML status line) says "Please wait".

    Yields the values the status line took.  The other writer finishes once the wait was said, not on a timer,
    so a stalled machine cannot release the lock before the wait began.
    """
    holder = hold_write_lock(path)
    shown: list[str] = []

    def seen(change: dict) -> None:
        shown.append(change["new"])
        if "Please wait" in change["new"]:
            holder.execute("ROLLBACK")

    status.observe(seen, "value")
    try:
        yield shown
    finally:
        status.unobserve(seen, "value")
        holder.close()
