"""Fixtures of the route tests."""
from __future__ import annotations

import pandas as pd
import pytest

from .places import city


@pytest.fixture
def small_city() -> pd.DataFrame:
    return city(12)
