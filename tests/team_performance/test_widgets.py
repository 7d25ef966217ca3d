"""Tests of salescoach.team_performance.widgets and .dashboard: driven like a user would, with real ipywidgets."""
from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import pytest

from salescoach.coaching import log_store
from salescoach.coaching.log import CoachingLog
from salescoach.datasets import load, path_of
from salescoach.team_performance import dashboard as d
from salescoach.team_performance import widgets as w
from sqlite_support import writer_until_said


@pytest.fixture(scope="module")
def team() -> pd.DataFrame:
    return load("team")


class MemoryLog:
    """A plain in-memory store with the three functions the session form needs."""

    def __init__(self):
        self.rows: list[dict] = []

    def add(self, record: dict) -> None:
        self.rows.append({**record, "action_id": len(self.rows), "done": False})

    def sessions(self, rep_id: str) -> pd.DataFrame:
        return pd.DataFrame([r for r in self.rows if r["rep_id"] == rep_id])

    def mark_done(self, action_id: int) -> None:
        self.rows[action_id]["done"] = True


def test_scorecard_explorer_follows_the_weights(team):
    e = w.ScorecardExplorer(team)
    first = e.chart.value
    assert e.review.index[0] == "R02"
    for p, s in e.sliders.items():
        s.value = 1 if p == "results" else 0
    assert e.chart.value != first
    assert e.review.loc["R01", "balanced_rank"] < 12  # on results alone Joe climbs
    for s in e.sliders.values():
        s.value = 0
    assert "No weight left" in e.note.value


def test_retention_explorer(team):
    r = w.RetentionExplorer(retention=0.85, years=10)
    ten = r.lift
    r.years.value = 30
    assert r.lift > ten
    r.spend_growth.value = 0.08
    assert "year 30" in r.summary.value and "assumptions" in r.summary.value
    r.retention.value = 0.95
    r.uplift.value = 0.10  # kept to 100% retention, not an error
    assert r.model.retention + r.model.uplift <= 1 + 1e-9
    assert "no end" in r.summary.value and "inf" not in r.summary.value
    r.retention.value, r.uplift.value = 0.93, 0.07  # 0.93 + 0.07 is 1 only up to rounding
    assert "no end" in r.summary.value and "inf" not in r.summary.value


def test_contest_designer(team):
    c = w.ContestDesigner(team)
    assert c.report["ok"].sum() == 1
    c.rule.value = "growth"
    c.strategy_link.value = "win new customers"
    assert c.report.loc["unfair", "ok"] and c.report.loc["no_strategy", "ok"]
    c.checks["same_as_last_year"].value = True
    assert not c.report.loc["routine", "ok"]
    assert "points met" in c.verdict.value


def test_load_team_messages(tmp_path):
    team, message = d.load_team(None)
    assert team is not None and message == ""
    missing, message = d.load_team(tmp_path / "nope.csv")
    assert missing is None and "was not found" in message
    bad = pd.read_csv(path_of("team"))
    bad.loc[2, "calls_prospects"] = -1
    bad.to_csv(tmp_path / "bad.csv", index=False)
    _, message = d.load_team(tmp_path / "bad.csv")
    assert "cannot be used" in message and "calls_prospects" in message and "Fix:" in message
    (tmp_path / "header.csv").write_text(",".join(bad.columns) + "\n")
    _, message = d.load_team(tmp_path / "header.csv")
    assert "is empty" in message
    _, message = d.load_team(tmp_path)
    assert message and "Traceback" not in message


def test_kpi_table_html(team):
    from salescoach.team_performance import analysis as a

    html = d.kpi_table_html(a.kpis(team), review=a.progress_review(team))
    assert html.count("<tr data-rep=") == 14 and "Joe Martin" in html and "bottom 25%" in html
    with pytest.raises(ValueError, match="analysis.kpis"):
        d.kpi_table_html(pd.DataFrame({"rep": ["x"]}))


def test_session_form_adds_lists_and_completes(team):
    log = MemoryLog()
    form = d.SessionForm(log.add, log.sessions, log.mark_done, skills=["prospecting calls"])
    board = d.TeamDashboard(team, panel=form, source="datasets/team.csv")
    assert form.rep_id == "R01" and "Joe Martin" in form.title.value
    board.drilldown.rep.value = "R02"
    assert form.rep_id == "R02" and "Arlene Summers" in board.drilldown.profile.value
    assert "No coaching session" in form.listing.value
    form.skill.value = "prospecting calls"
    form.notes.value = "good opening questions"
    form.action.value = "call five prospects"
    form.due.value = dt.date(2026, 1, 15)
    assert form.submit()
    assert log.rows[0]["rep_id"] == "R02" and log.rows[0]["due"] == dt.date(2026, 1, 15)
    assert "prospecting calls" in form.listing.value and "open" in form.listing.value
    assert form.open_actions.value == 0
    assert form.complete() and log.rows[0]["done"]
    assert form.open_actions.options == () and form.done_button.disabled


def test_session_form_refuses_incomplete_input_and_shows_store_errors(team):
    def broken(_record):
        raise RuntimeError("database is locked")

    log = MemoryLog()
    form = d.SessionForm(broken, log.sessions, log.mark_done)
    assert not form.submit() and "Pick a rep" in form.status.value
    form.show_rep("R03", "Chen Jing")
    assert not form.submit() and "name the skill" in form.status.value
    form.skill.value = "closing"
    form.due.value = dt.date(2026, 2, 1)
    assert not form.submit() and "needs an action" in form.status.value
    form.action.value = "ask for the order"
    assert not form.submit() and "database is locked" in form.status.value

    def unreadable(_rep):
        raise OSError("disk gone")

    form2 = d.SessionForm(log.add, unreadable, log.mark_done)
    form2.show_rep("R03", "Chen Jing")
    assert "cannot be read" in form2.status.value and "disk gone" in form2.status.value


def test_session_form_says_it_waits_for_a_lock_another_process_holds(tmp_path, monkeypatch):
    """The team dashboard routes the coaching log's ``on_wait`` to ``notice``: the wait is said in the form, then
    the outcome replaces it."""
    monkeypatch.setattr(log_store, "LOCK_NOTICE_AFTER", 0.1)
    path = tmp_path / "log.sqlite"
    with CoachingLog(path, timeout=10) as book:
        form = d.SessionForm(lambda r: book.add_session(r["rep"], r["skill"]), lambda _rep: book.sessions(),
                             book.mark_action_done)
        book.on_wait = form.notice
        form.show_rep("R03", "Chen Jing")
        form.skill.value = "closing"
        with writer_until_said(path, form.status) as shown:  # another process in the middle of a write
            assert form.submit()
    waits = [v for v in shown if "Please wait" in v]
    assert len(waits) == 1 and "lock held by another process" in waits[0] and html.escape(str(path)) in waits[0]
    assert "Session added" in form.status.value


def test_dashboard_sections(team):
    board = d.TeamDashboard(team.iloc[:8])  # two reps, the first of them Joe: a trainer's small file
    assert "2 reps" in board.heading.value
    assert board.quartiles.value[:4] == b"\x89PNG"
    assert 0.5 <= board.retention.retention.value <= 0.95


def test_load_team_own_file_messages(tmp_path, monkeypatch):
    """A trainer's own file that is missing is named with its full path; the kit's data fix (regenerate it)
    is not offered for it.  A wrong column name is named, with the fix."""
    monkeypatch.chdir(tmp_path)
    _, message = d.load_team("my team.csv")
    assert html.escape(str(tmp_path / "my team.csv")) in message and "does not exist" in message
    assert "salescoach data" not in message and "--team" in message
    renamed = pd.read_csv(path_of("team")).rename(columns={"customers_lost": "lost_customers"})
    renamed.to_csv(tmp_path / "renamed.csv", index=False)
    team, message = d.load_team(tmp_path / "renamed.csv")
    assert team is None and "cannot be used" in message
    assert "customers_lost" in message and "Fix:" in message and "Traceback" not in message



def test_load_team_a_gbk_file_from_excel_says_how_to_save_it(tmp_path):
    """Excel's plain CSV on a Chinese Windows is GBK: the message says which Excel format to choose."""
    team = pd.read_csv(path_of("team"))
    team.loc[0, "rep"] = "马丁"
    team.to_csv(tmp_path / "excel.csv", index=False, encoding="gbk")
    loaded, message = d.load_team(tmp_path / "excel.csv")
    assert loaded is None and "cannot be used" in message and "CSV UTF-8" in message


def test_a_page_may_choose_team_files_only_inside_the_kit_or_the_served_folder(tmp_path, kit_root):
    """``?team=`` is typed by whoever opens the page: it must not read arbitrary files on the server."""
    assert d.choose_team_file(None) == (None, "")
    assert d.choose_team_file(None, served=tmp_path / "mine.csv") == (tmp_path / "mine.csv", "")
    inside, message = d.choose_team_file("datasets/team.csv", root=kit_root)
    assert message == "" and inside == (kit_root / "datasets" / "team.csv").resolve()
    for outside in ("/etc/passwd", "../../../etc/passwd", str(tmp_path / "other.csv")):
        chosen, message = d.choose_team_file(outside, root=kit_root)
        assert chosen is None and "not served here" in message and "--team" in message
    served = tmp_path / "team" / "mine.csv"
    beside, message = d.choose_team_file(str(tmp_path / "team" / "q3.csv"), served=served, root=kit_root)
    assert message == "" and beside == (tmp_path / "team" / "q3.csv").resolve()
