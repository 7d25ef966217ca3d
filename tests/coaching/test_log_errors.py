"""The coaching log's errors: every one is a CoachingLogError (what the CLI and the dashboard catch)."""
from __future__ import annotations

import pytest

from salescoach.coaching import log_errors
from salescoach.coaching.log_errors import CoachingLogError, UnknownEntryError


@pytest.mark.parametrize("name", log_errors.__all__)
def test_every_error_is_a_coaching_log_error(name: str):
    error = getattr(log_errors, name)
    assert issubclass(error, CoachingLogError) and issubclass(error, RuntimeError)
    assert error.__doc__


def test_an_unknown_id_is_also_a_lookup_error():
    assert issubclass(UnknownEntryError, LookupError)
