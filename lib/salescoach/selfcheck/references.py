"""Reference answers for the self-checks, computed once per process and handed out as fresh copies.

A checks module decorates a module-level function with :func:`pickled`; the
result of each call is kept as pickled bytes inside ``functools.lru_cache``,
which no student cell can change in place, and every caller gets a new
object from :func:`fresh`.  The grader computes them all before it forks a
process per submission (the module's ``precompute()``).
"""
from __future__ import annotations

import functools
import pickle
from collections.abc import Callable
from typing import Any

__all__ = ["pickled", "fresh"]


def pickled(fn: Callable[..., Any]) -> Callable[..., bytes]:
    """Decorator: ``fn(*args)`` computed once per distinct ``args`` and cached as pickled bytes."""

    @functools.cache
    @functools.wraps(fn)
    def cached(*args: Any) -> bytes:
        return pickle.dumps(fn(*args), protocol=pickle.HIGHEST_PROTOCOL)

    return cached


def fresh(data: bytes) -> Any:
    """A new copy of a cached reference (so a caller may change it freely)."""
    return pickle.loads(data)
