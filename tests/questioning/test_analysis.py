"""Balance rules of a questioning conversation, labelling and scoring helpers (pure functions)."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.questioning import analysis
from salescoach.questioning.classifier import TYPES


def conv(*moves):
    return analysis.conversation(moves)


def q(qtype, answer="fine", vague=False):
    return {"kind": "question", "text": f"a {qtype} question", "type": qtype, "answer": answer, "vague": vague}


def propose(text="We'll install two machines."):
    return {"kind": "proposal", "text": text}


def test_conversation_classifies_untyped_questions():
    t = analysis.conversation([{"text": "Do you stock it?"}, {"text": "How do you order?"}])
    assert list(t["type"]) == ["closed", "descriptive"] and list(t.index) == [1, 2]


@pytest.mark.parametrize("move, message", [
    ({"kind": "chat", "text": "x"}, "kind"), ({"text": ""}, "text"), ({"text": "x", "type": "rhetorical"}, "type"),
])
def test_conversation_rejects_bad_moves(move, message):
    with pytest.raises(ValueError, match=message):
        analysis.conversation([move])


def test_too_many_closed_early_counts_the_first_window_only():
    assert analysis.too_many_closed_early(conv(q("closed"), q("closed"), q("descriptive"), q("descriptive"),
                                               q("closed"), q("closed"))) == []
    remarks = analysis.too_many_closed_early(conv(q("closed"), q("descriptive"), q("closed"), q("closed")))
    assert [r.move for r in remarks] == [4] and remarks[0].rule == "closed-early"
    assert analysis.too_many_closed_early(conv(q("closed"), q("closed"), q("closed")), max_closed=3) == []


def test_vague_answer_needs_a_clarifying_question_next():
    ok = conv(q("descriptive", "it's been a bit hard", vague=True), q("clarifying"))
    assert analysis.missed_clarification(ok) == []
    missed = conv(q("descriptive", "it's been a bit hard", vague=True), q("closed"))
    (r,) = analysis.missed_clarification(missed)
    assert r.move == 2 and "bit hard" in r.en and r.zh
    assert analysis.missed_clarification(conv(q("descriptive", "so-so", vague=True))) == []  # still pending
    assert analysis.missed_clarification(conv(q("descriptive", "meh", vague=True), propose())) != []


def test_proposal_needs_a_consultative_question_before():
    assert [r.move for r in analysis.proposal_without_consultation(conv(q("descriptive"), propose()))] == [2]
    assert analysis.proposal_without_consultation(conv(q("consultative"), propose())) == []
    assert analysis.proposal_without_consultation(conv(propose(), q("consultative"))) != []


def test_balance_remarks_are_sorted_and_inputs_unchanged():
    t = conv(q("closed"), q("closed", "hmm", vague=True), q("closed"), propose())
    before = t.copy()
    remarks = analysis.balance_remarks(t)
    assert [r.move for r in remarks] == sorted(r.move for r in remarks)
    assert {r.rule for r in remarks} == {"closed-early", "no-clarifying", "propose-unconsulted"}
    pd.testing.assert_frame_equal(t, before)


def test_type_mix_has_all_types():
    mix = analysis.type_mix(conv(q("closed"), q("closed"), propose()))
    assert list(mix.index) == list(TYPES) and mix["closed"] == 2 and mix.sum() == 2


def test_missing_column_is_named():
    with pytest.raises(ValueError, match="vague"):
        analysis.balance_remarks(pd.DataFrame({"kind": [], "text": [], "type": [], "answer": []}))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TYPES + ("proposal",)), st.booleans()), max_size=12))
def test_rules_never_crash_and_point_at_real_moves(moves):
    t = conv(*[propose() if k == "proposal" else q(k, vague=v) for k, v in moves])
    for r in analysis.balance_remarks(t):
        assert 1 <= r.move <= len(t) and r.en and r.zh


def test_confusion_matrix_and_accuracy():
    cm = analysis.confusion_matrix(["closed", "opinion"], ["closed", "closed"])
    assert cm.loc["opinion", "closed"] == 1 and cm.shape == (5, 5) and cm.to_numpy().sum() == 2
    frame = pd.DataFrame({"type": ["closed", "opinion", "closed"], "language": ["en", "en", "zh"]})
    acc = analysis.accuracy_by(frame, ["closed", "closed", "closed"])
    assert acc["en"] == 0.5 and acc["zh"] == 1.0
    with pytest.raises(ValueError, match="unknown question type"):
        analysis.confusion_matrix(["closed"], ["yes/no"])
    with pytest.raises(ValueError, match="one prediction"):
        analysis.confusion_matrix(["closed"], [])


def test_label_questions():
    out = analysis.label_questions(["Do you?", "你们怎么订货？"])
    assert list(out["type"]) == ["closed", "descriptive"] and list(out["language"]) == ["en", "zh"]
