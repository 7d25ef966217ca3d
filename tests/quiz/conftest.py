"""The quiz tests' example bank (tests/quiz/fixtures/demo_quiz.yml: one item of every kind)."""
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO = FIXTURES / "demo_quiz.yml"


@pytest.fixture(scope="session")
def demo_bank():
    from salescoach import quiz

    return quiz.load_items(DEMO)
