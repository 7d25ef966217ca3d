"""Fixtures shared by the M1 platform tests."""
from __future__ import annotations

import pytest

from salescoach.customer_grading.analysis import abc_classes


@pytest.fixture(scope="module")
def zhang(territory):
    """Xiao Zhang's territory indexed by customer, and its ABC classes."""
    t = territory.set_index("customer_id")
    return t, abc_classes(t["revenue_12m"])
