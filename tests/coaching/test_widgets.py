"""salescoach.coaching.widgets, driven like a user would (real ipywidgets, no Output widgets)."""
from __future__ import annotations

from pathlib import Path

import ipywidgets
import pytest

from salescoach.coaching import log_store
from salescoach.coaching import widgets as w
from salescoach.coaching.log import CoachingLog
from salescoach.datasets import load
from sqlite_support import writer_until_said


def _no_output_widgets(widget):
    stack = [widget]
    while stack:
        x = stack.pop()
        assert not isinstance(x, ipywidgets.Output)
        stack.extend(getattr(x, "children", ()))


def test_debrief_practice():
    practice = w.debrief_practice()
    _no_output_widgets(practice)
    assert "Situation 1 of 5" in practice.situation.value
    review = practice.submit("Why did you give the discount?")
    assert review.rep_focused and "Still aimed at the rep" in practice.feedback.value
    assert "pushed on price" in practice.feedback.value
    practice.question.value = "Why do you think the buyer asked for 8%?"
    practice.check_button.click()
    assert "Good: about the buyer" in practice.feedback.value and "1 of 2" in practice.score.value
    assert practice.submit("  ") is None and "Type a question" in practice.feedback.value
    practice.next_button.click()
    assert "Situation 2 of 5" in practice.situation.value and practice.question.value == ""
    for _ in range(4):
        practice.next()
    assert practice.index == 0
    practice.submit("<script>x</script> why did you?")
    assert "<script>" not in practice.feedback.value
    with pytest.raises(ValueError, match="at least one"):
        w.debrief_practice([])
    with pytest.raises(ValueError, match="pair of texts"):
        w.debrief_practice([("only one",)])


def test_session_planner_previews_saves_and_records(tmp_path: Path):
    with CoachingLog(tmp_path / "log.sqlite") as book:
        p = w.session_planner("Zhao Lei", "Handling objections", book=book, save_to=tmp_path / "plan.html",
                              visit_purpose="Hengda renewal")
        _no_output_widgets(p)
        assert "Zhao Lei" in p.preview.value and p.plan is not None
        p.explain.value = "<b>objections</b> are questions"
        assert "&lt;b&gt;objections" in p.preview.value
        p.plan_points.value = "Ask for criteria | price comes later\nSummarise value"
        p.review_questions.value = "Why did you give in?\n"
        assert p.plan.plan_points == (("Ask for criteria", "price comes later"), ("Summarise value", ""))
        assert "aimed at the rep" in p.preview.value
        p.save_button.click()
        assert (tmp_path / "plan.html").is_file() and "Saved" in p.status.value
        p.record_button.click()
        assert "Recorded as session 1" in p.status.value and len(book.sessions("Zhao Lei")) == 1
        p.held_on.value = "yesterday"
        assert p.plan is None and "held_on must be a date" in p.status.value
        assert p.save() is None and p.record() is None
    no_log = w.session_planner("A", "B")
    assert no_log.record_button.disabled and no_log.record() is None and "No coaching log" in no_log.status.value
    with pytest.raises(ValueError, match="unknown field"):
        w.session_planner(colour="red")


def test_session_planner_shows_log_errors_in_the_page(tmp_path: Path):
    with CoachingLog(tmp_path / "log.sqlite") as book:
        p = w.session_planner("Zhao Lei", "Closing", book=book)
        book.close()
        (tmp_path / "log.sqlite").write_bytes(b"not a database at all" * 20)
        assert p.record() is None and "Not recorded" in p.status.value


def test_session_planner_says_a_wait_for_the_lock_in_the_page(tmp_path: Path, monkeypatch):
    """While recording, a wait for another process's lock is said in the planner (a button's callback has no
    visible stderr in JupyterLab); the log's own ``on_wait`` is back afterwards."""
    monkeypatch.setattr(log_store, "LOCK_NOTICE_AFTER", 0.1)
    path = tmp_path / "log.sqlite"
    elsewhere: list[str] = []
    with CoachingLog(path, timeout=10, on_wait=elsewhere.append) as book:
        p = w.session_planner("Zhao Lei", "Closing", book=book)
        with writer_until_said(path, p.status) as shown:  # another process in the middle of a write
            p.record_button.click()
        assert book.on_wait == elsewhere.append and elsewhere == []
    waits = [v for v in shown if "Please wait" in v]
    assert len(waits) == 1 and "lock held by another process" in waits[0]
    assert "Recorded as session 1" in p.status.value


def test_skills_grid_explorer():
    grid = load("coaching_skills")
    ex = w.skills_grid_explorer(grid, "Li Na")
    _no_output_widgets(ex)
    first = ex.chart.value
    assert first[:4] == b"\x89PNG" and "Researching needs" in ex.table.value
    ex.picker.value = "Chen Jing"
    assert ex.chart.value != first and ex.priorities["rep"].eq("Chen Jing").all()
    with pytest.raises(ValueError, match="no rep"):
        w.skills_grid_explorer(grid, "Nobody")
