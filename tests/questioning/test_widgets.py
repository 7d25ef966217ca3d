"""The drill, the question checker and the contact-sheet form, driven like a user would."""
from __future__ import annotations

import pandas as pd
import pytest

from salescoach.questioning import contact_sheet as cs
from salescoach.questioning import widgets
from salescoach.questioning.drill import Conversation, ScenarioError, load_scenarios


def test_checker_shows_type_and_reason():
    w = widgets.question_checker()
    w.question.value = "So you mean the bigger size doesn't fit?"
    w.button.click()
    assert "clarifying" in w.result.value and "meant" in w.result.value
    w.question.value = "   "
    w.button.click()
    assert "no words" in w.result.value


def test_drill_gives_type_feedback_and_balance_remarks():
    d = widgets.questioning_drill("corner-shop")
    for q in ("Do you stock cola?", "Is the shop busy?", "Are you happy with your supplier?"):
        d.question.value = q
        d.ask_button.click()
    assert "closed" in d.feedback.value and "Too many closed questions early" in d.balance.value
    d.question.value = "How is business going?"
    d.ask_button.click()
    assert "vague" in d.transcript.value
    d.question.value = "What do you mean by a headache?"
    d.ask_button.click()
    assert "Friday" in d.transcript.value  # the customer explains the vague answer
    d.propose_button.click()
    assert "proposed before asking a single consultative question" in d.balance.value
    assert list(d.conversation.turns["kind"]) == ["question"] * 5 + ["proposal"]


def test_drill_in_chinese_and_empty_question():
    d = widgets.questioning_drill("machinery-ka", lang="zh")
    d.ask("")
    assert "no words" in d.feedback.value and d.conversation.turns.empty
    d.ask("如果我们夜班派工程师驻厂，您看怎么样？")
    d.propose("驻厂加月度检查")
    assert "董事会" in d.transcript.value and "Move" not in d.balance.value


def test_unknown_scenario():
    with pytest.raises(ValueError, match="corner-shop"):
        widgets.questioning_drill("nope")


def test_bad_scenario_file_is_named(tmp_path):
    bad = tmp_path / "s.yml"
    bad.write_text("scenarios:\n  - id: x\n    title: {en: X}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"s.yml: scenario 'x': missing 'setting'"):
        load_scenarios(bad)
    bad.write_text("scenarios: [\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenarios(bad)


def test_conversation_answers_vague_then_clarified():
    c = Conversation(load_scenarios()["machinery-ka"])
    c.ask("What happened on line 2?")
    turn = c.ask("How do you find our service?")
    assert turn.vague
    turn = c.ask("Do you want more engineers?")
    assert [r.rule for r in turn.remarks] == ["no-clarifying"]


RECORD = {"date": "2025-05-06", "customer": "Huaxin", "contact": "Ms Zhou, buyer", "rep": "Li Wei",
          "need": "Weekend stock-outs", "area": "delivery", "source": "ask", "urgency": "high",
          "next_step": "Propose a Friday top-up", "owner": "Li Wei", "due": "", "status": "open"}


def test_contact_sheet_round_trip(tmp_path):
    path = tmp_path / "sheet.csv"
    sheet = cs.add_record(cs.add_record(cs.empty_sheet(), RECORD), {**RECORD, "need": "Invoices", "due": "2025-05-20"})
    assert list(sheet["need_id"]) == ["N001", "N002"]
    cs.save_sheet(sheet, path)
    back = cs.load_sheet(path)
    assert back.loc[1, "need"] == "Invoices" and pd.isna(back.loc[0, "due"]) and back.loc[1, "due"].day == 20


@pytest.mark.parametrize("change, message", [
    ({"need": " "}, "field 'need' is empty"), ({"source": "gossip"}, "field 'source'"),
    ({"date": "6 May"}, "not a date"), ({"due": "2025-05-01"}, "before the date"), ({"colour": "red"}, "unknown"),
])
def test_contact_sheet_rejects_bad_records(change, message):
    with pytest.raises(ValueError, match=message):
        cs.validate_record({**RECORD, **change})


def test_contact_sheet_missing_or_bad_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no contact sheet here yet"):
        cs.load_sheet(tmp_path / "none.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("need_id,date\nN001,2025-01-01\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        cs.load_sheet(bad)
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="empty"):
        cs.load_sheet(tmp_path / "empty.csv")


def test_contact_sheet_form_saves_and_reloads(tmp_path):
    path = tmp_path / "sheet.csv"
    form = widgets.contact_sheet_form(path)
    for k, v in RECORD.items():
        form.fields[k].value = v
    form.fields["need"].value = ""
    assert not form.add() and "field 'need' is empty" in form.message.value
    form.fields["need"].value = "Weekend stock-outs"
    assert form.add() and form.save() and path.is_file()
    again = widgets.contact_sheet_form(path)  # reloads on creation
    assert len(again.sheet) == 1 and "Weekend stock-outs" in again.table.value
    path.write_text("garbage\n", encoding="utf-8")
    assert not again.load() and "Could not load" in again.message.value


def test_failed_save_keeps_the_old_file(tmp_path):
    path = tmp_path / "sheet.csv"
    cs.save_sheet(cs.add_record(cs.empty_sheet(), RECORD), path)
    before = path.read_bytes()
    broken = cs.add_record(cs.empty_sheet(), RECORD).assign(status="lost")
    with pytest.raises(ValueError, match="status"):
        cs.save_sheet(broken, path)
    assert path.read_bytes() == before
