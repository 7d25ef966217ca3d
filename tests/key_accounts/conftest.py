"""Portfolios shared by the key-account tests (built once per session; tests must not modify them)."""
from __future__ import annotations

import pytest

from salescoach.datasets import load
from salescoach.datasets.key_accounts import make_key_accounts


@pytest.fixture(scope="session")
def portfolio():
    """The shipped portfolio as the lessons load it (an account_id column)."""
    return load("key_accounts")


@pytest.fixture(scope="session")
def other_portfolio():
    """A portfolio from another seed, as the exercise's hidden tests make them."""
    return make_key_accounts(seed=3)
