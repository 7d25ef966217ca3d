"""The coaching log's recording half: adding, updating and marking entries done; bad input names the field;
unknown ids and mismatched reps; any text round-trips."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salescoach.coaching.log import CoachingLog
from salescoach.coaching.log_errors import UnknownEntryError

from .conftest import fill


# --------------------------------------------------------------------------- the API
def test_add_list_update(book: CoachingLog):
    ids = fill(book)
    s = book.sessions(rep="Li Na")
    assert list(s["skill"]) == ["Handling price objections"]
    assert s.loc[0, "visit_purpose"] == "Renewal talk at Hengda" and s.loc[0, "held_on"] == date(2025, 3, 4)
    assert list(book.sessions()["rep"]) == ["Zhao Lei", "Li Na"]  # newest first
    detail = book.session(ids["session"])
    assert [g["objective"] for g in detail["goals"]] == ["Get the buyer to name three criteria"]
    assert [a["text"] for a in detail["actions"]] == ["Rehearse the value summary"]
    assert detail["followups"][0]["kind"] == "observe a visit"
    assert set(book.actions("Li Na", open_only=True)["id"]) == {ids["action"], ids["coach_action"]}
    book.mark_action_done(ids["action"], done_on="2025-03-06")
    assert list(book.actions("Li Na", open_only=True)["id"]) == [ids["coach_action"]]
    assert book.actions(session_id=ids["session"]).loc[0, "done_on"] == date(2025, 3, 6)
    book.mark_action_done(ids["action"], done=False)
    assert book.actions(session_id=ids["session"]).loc[0, "done_on"] is None
    book.set_goal_status(ids["goal"], "met")
    assert list(book.goals(status="met")["id"]) == [ids["goal"]]
    book.complete_followup(ids["followup"], outcome="Asked for criteria before price")
    assert book.followups(pending_only=True).empty
    book.update("sessions", ids["session"], notes="  New notes  ", coach="Liu")
    assert book.session(ids["session"])["notes"] == "New notes"
    assert book.reps() == ["Li Na", "Zhao Lei"]
    assert book.counts() == {"sessions": 2, "skills": 1, "goals": 1, "actions": 2, "followups": 1}


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(("call", "message"), [
    (lambda b: b.add_session("", "Closing"), "rep is empty"),
    (lambda b: b.add_session("   ", "Closing"), "rep is empty"),
    (lambda b: b.add_session(None, "Closing"), "rep must be text"),
    (lambda b: b.add_session("Li Na", ""), "skill is empty"),
    (lambda b: b.add_session("Li Na", "Closing", kind="lecture"), "kind must be one of"),
    (lambda b: b.add_session("Li Na", "Closing", held_on="04/03/2025"), "held_on must be a date"),
    (lambda b: b.add_session("Li Na", "Closing", notes="a\x00b"), "NUL"),
    (lambda b: b.add_session("Li Na" * 100, "Closing"), "keep it under 200"),
    (lambda b: b.rate_skill("Li Na", "Closing", 4, 1), "importance must be 3, 2 or 1"),
    (lambda b: b.rate_skill("Li Na", "Closing", 3, 0), "ability must be 3, 2 or 1"),
    (lambda b: b.rate_skill("Li Na", "Closing", 2.5, 1), "importance must be"),
    (lambda b: b.rate_skill("Li Na", "Closing", True, 1), "importance must be"),
    (lambda b: b.rate_skill("Li Na", "Closing", "3", 1), "importance must be"),
    (lambda b: b.add_goal("Objective"), "session_id this belongs to"),
    (lambda b: b.add_goal("", rep="Li Na"), "objective is empty"),
    (lambda b: b.add_action("Do it", rep="Li Na", owner="boss"), "owner must be one of"),
    (lambda b: b.add_action("Do it", session_id=0), "positive whole number"),
    (lambda b: b.add_followup(None, None, rep="Li Na"), "due_on is missing"),
    (lambda b: b.update("meetings", 1, notes="x"), "unknown log entity"),
    (lambda b: b.update("sessions", 1, id=5), "no editable field 'id'"),
    (lambda b: b.update("sessions", 1), "nothing to update"),
    (lambda b: b.update("actions", 1, done="yes"), "done must be True or False"),
    (lambda b: b.set_goal_status(1, "finished"), "status must be one of"),
])
def test_bad_input_names_the_field(book: CoachingLog, call, message):
    with pytest.raises(ValueError, match=message):
        call(book)
    assert book.counts()["sessions"] == 0


def test_unknown_ids_and_mismatched_reps(book: CoachingLog):
    ids = fill(book)
    with pytest.raises(UnknownEntryError, match="no coaching session with id 99"):
        book.add_action("x", session_id=99)
    with pytest.raises(UnknownEntryError, match="id 99"):
        book.mark_action_done(99)
    with pytest.raises(UnknownEntryError):
        book.session(99)
    with pytest.raises(ValueError, match="is with 'Li Na', not 'Zhao Lei'"):
        book.add_goal("x", session_id=ids["session"], rep="Zhao Lei")
    assert isinstance(UnknownEntryError("x"), LookupError)


text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rep=text.filter(lambda s: s.split()), notes=text, importance=st.integers(1, 3), ability=st.integers(1, 3))
def test_text_round_trips(book: CoachingLog, rep: str, notes: str, importance: int, ability: int):
    sid = book.add_session(rep, "Skill 技能", notes=notes)
    got = book.session(sid)
    assert got["rep"] == " ".join(rep.split()) and got["notes"] == notes.strip()
    rid = book.rate_skill(rep, "Skill 技能", importance, ability)
    row = book.skills(latest=False).set_index("id").loc[rid]
    assert (row["importance"], row["ability"]) == (importance, ability)

