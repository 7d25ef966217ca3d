"""Shared by the coaching log's tests: a fresh log (``book``) and :func:`fill`, which puts one of each entry in it."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from salescoach.coaching.log import CoachingLog


@pytest.fixture
def book(tmp_path: Path):
    with CoachingLog(tmp_path / "log.sqlite") as b:
        yield b


def fill(b: CoachingLog) -> dict[str, int]:
    sid = b.add_session("Li Na", "Handling price objections", coach="Wang Jun", held_on="2025-03-04",
                        visit_purpose="Renewal talk at Hengda", notes="Rehearsed twice")
    other = b.add_session("Zhao Lei", "Opening the visit", held_on=date(2025, 3, 5), kind="observed visit")
    return {
        "session": sid, "other": other,
        "goal": b.add_goal("Get the buyer to name three criteria", session_id=sid, plan="Ask, then summarise",
                           reasons="Price talk comes later", due_on="2025-03-11"),
        "action": b.add_action("Rehearse the value summary", session_id=sid, due_on="2025-03-06"),
        "coach_action": b.add_action("Join the Hengda visit", rep="Li Na", owner="coach"),
        "followup": b.add_followup(sid, "2025-03-11", kind="observe a visit"),
        "skill": b.rate_skill("Li Na", "Handling price objections", 3, 1, assessed_on="2025-03-01"),
    }
