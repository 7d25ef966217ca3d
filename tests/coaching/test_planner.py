"""salescoach.coaching.planner: building a plan, its problems, the printable HTML (all user text escaped), saving
and recording it in the coaching log."""
from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.coaching import planner
from salescoach.coaching.log import CoachingLog
from salescoach.coaching.log_errors import LogLockedError


def full_plan(**changes):
    values = dict(
        coach="Wang Fang", held_on="2025-03-04", visit_purpose="Renewal talk with the buyer at Hengda Hotels",
        explain="Why objections are requests for information", demonstrate="Wang plays the rep with Chen Jing",
        rehearse="Zhao Lei answers three price objections", objective="Agree the renewal at list price",
        plan_points=[("Ask for the buyer's three criteria", "price comes after value"),
                     ("Summarise the value before any number", "the buyer must see what he pays for")],
        review_questions=["Why do you think the buyer will raise price first?"], deal_value=260_000,
        follow_up_on="2025-03-11")
    values.update(changes)
    return planner.plan_session("Zhao Lei", "Handling objections", **values)


def test_a_complete_plan_has_no_problems():
    plan = full_plan()
    assert plan.problems() == []
    assert plan.held_on == date(2025, 3, 4) and plan.approach == "plan-do-check"
    assert full_plan(deal_value=50_000).approach == "do-check"


def test_problems_name_the_step():
    plan = planner.plan_session("Zhao Lei", "Closing", review_questions=["Why did you drop the price?"],
                                plan_points=["Ask for the order"])
    problems = "\n".join(plan.problems())
    for expected in ("step 1 (Explain) is empty", "step 3 (Rehearse) is empty", "visit objective",
                     "reason behind every plan point", "aimed at the rep", "purpose is not known"):
        assert expected in problems


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"rep": ""}, "rep is empty"),
    ({"skill": "  "}, "skill is empty"),
    ({"held_on": "4 March"}, "held_on must be a date"),
    ({"plan_points": "ask questions"}, "list of \\(point, reason\\) pairs"),
    ({"plan_points": [("a", "b", "c")]}, "plan_points\\[0\\]"),
    ({"deal_value": -5}, "deal_value"),
    ({"explain": 5}, "explain must be text"),
    ({"notes": "x" * 5000}, "under 4000"),
])
def test_bad_input(kwargs, message):
    args = {"rep": "Zhao Lei", "skill": "Closing", **kwargs}
    with pytest.raises(ValueError, match=message):
        planner.plan_session(args.pop("rep"), args.pop("skill"), **args)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> _Collector:
    c = _Collector()
    c.feed(page)
    return c


def test_html_is_a_complete_printable_page():
    page = planner.plan_html(full_plan())
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page and "<script" not in page
    text = "".join(parse(page).text)
    for expected in ("Zhao Lei", "Handling objections", "Step 1: Explain 讲解", "Step 5: Review 回顾",
                     "Ask for the buyer's three criteria", "price comes after value", "260,000 yuan: plan-do-check",
                     "After the visit 指导模式", "Do not take part in the visit", "How do you feel about the visit?"):
        assert expected in text, expected
    assert "Still to settle" not in text
    fragment = planner.plan_html(full_plan(), fragment=True)
    assert fragment.startswith("<div class='sc-plan'>") and "<body" not in fragment and "@media" not in fragment
    assert "\nh1 {" not in fragment  # styles are scoped to the plan


HOSTILE = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"'><b>bold</b>", "a & b < c > d",
           "</div></body>", "<!-- x -->")


def _everywhere(text):
    return planner.plan_session(text, text, coach=text, visit_purpose=text, explain=text, demonstrate=text,
                                rehearse=text, objective=text, plan_points=[(text, text)], review_questions=[text],
                                notes=text)


@pytest.mark.parametrize("evil", HOSTILE)
def test_every_user_text_is_escaped(evil):
    """The page's tags are the same whether every field holds markup or plain words."""
    plain = _everywhere("plain words")
    plan = _everywhere(evil)
    for fragment in (False, True):
        page = planner.plan_html(plan, title=evil, fragment=fragment)
        parsed = parse(page)
        assert parsed.tags == parse(planner.plan_html(plain, title="plain", fragment=fragment)).tags
        assert "script" not in parsed.tags and "img" not in parsed.tags
        assert evil in "".join(parsed.text)


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=40).filter(str.strip))
def test_escaping_holds_for_any_text(text):
    plan = planner.plan_session(text, "Closing", notes=text, review_questions=[text])
    page = planner.plan_html(plan)
    tags = parse(page).tags
    assert tags.count("script") == 0
    assert set(tags) <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "table", "tr", "th",
                         "td", "div", "p", "ul", "ol", "li", "span", "b", "br"}


def test_save_plan_writes_atomically(tmp_path: Path):
    path = planner.save_plan(full_plan(), tmp_path / "plans" / "zhao.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in path.parent.iterdir()] == ["zhao.html"]
    with pytest.raises(ValueError, match="is a folder"):
        planner.save_plan(full_plan(), tmp_path)
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    with pytest.raises(ValueError, match=r"cannot save the plan as .*notes\.txt.*choose a file name"):
        planner.save_plan(full_plan(), tmp_path / "notes.txt" / "zhao.html")
    with pytest.raises(ValueError, match="needs a SessionPlan"):
        planner.plan_html({"rep": "x"})


def test_record_plan_in_the_log(tmp_path: Path):
    with CoachingLog(tmp_path / "log.sqlite") as book:
        sid = planner.record_plan(book, full_plan())
        session = book.session(sid)
        assert session["visit_purpose"].startswith("Renewal") and session["kind"] == "five-step"
        assert session["goals"][0]["objective"] == "Agree the renewal at list price"
        assert "price comes after value" in session["goals"][0]["reasons"]
        assert session["followups"][0]["kind"] == "observe a visit"
        assert "Explain:" in session["notes"]


def test_record_plan_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A plan whose follow-up cannot be stored leaves no half-recorded session behind."""
    with CoachingLog(tmp_path / "log.sqlite") as book:
        def fails(*_args, **_kwargs):
            raise LogLockedError("locked for more than 30 s")
        monkeypatch.setattr(book, "add_followup", fails)
        with pytest.raises(LogLockedError):
            planner.record_plan(book, full_plan())
        assert book.counts() == {"sessions": 0, "skills": 0, "goals": 0, "actions": 0, "followups": 0}
