"""The dashboard notebook's coaching-log binding, run in this process (no Voila, no browser: seconds).

The browser test (test_dashboard_browser.py) drives the page; this one checks what the form writes when a
part of it cannot be stored.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from salescoach import paths
from salescoach.coaching.log import CoachingLog

ROOT = Path(__file__).resolve().parents[2]


def _run_dashboard(monkeypatch: pytest.MonkeyPatch, log: Path):
    """Execute the notebook's code cells as Voila would; returns the TeamDashboard it displays."""
    monkeypatch.setenv(paths.COACHING_LOG_ENV, str(log))
    monkeypatch.delenv(paths.TEAM_FILE_ENV, raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.chdir(ROOT / paths.DASHBOARD.parent)
    shown: list = []
    scope: dict = {}
    for cell in nbformat.read(ROOT / paths.DASHBOARD, as_version=4).cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, str(paths.DASHBOARD), "exec"), scope)  # noqa: S102 - our own notebook
            scope["display"] = lambda *objs, **_kw: shown.extend(objs)
    return shown[-1]


def test_a_session_whose_action_cannot_be_stored_is_not_half_stored(monkeypatch, tmp_path: Path):
    log = tmp_path / "log.sqlite"
    form = _run_dashboard(monkeypatch, log).drilldown.panel
    form.skill.value = "closing"
    form.action.value = "x" * 20_001  # longer than the log takes: the action is refused
    assert form.submit() is False and "not added" in form.status.value
    with CoachingLog(log, create=False) as book:
        assert book.counts()["sessions"] == 0 and book.counts()["actions"] == 0
    form.action.value = "Ask three customers for a referral"
    assert form.submit() is True
    with CoachingLog(log, create=False) as book:
        assert book.counts()["sessions"] == 1 and book.counts()["actions"] == 1
