"""The M5 exercise's public self-checks: form only, plain words, never the key."""
from salescoach.selfcheck import check

EX = "m5_questioning"
GOOD_Q2 = {
    "opinion": "I think the weekend gaps cost you more than the late material; how do you see it?",
    "closed": "Do all 40 stores order through head office?",
    "descriptive": "How do your store managers find out a line is running low?",
    "clarifying": "When you say the material was late, how many days late was it?",
    "consultative": "What if we topped up your busiest stores on Fridays - how would that work for you?",
}


def run(q, **ns):
    return check(q, exercise=EX, namespace=ns)


def test_q1_checks_form_not_correctness():
    wrong_but_wellformed = {k: "closed" for k in "abcdef"}
    assert run("q1", q1=wrong_but_wellformed).passed
    r = run("q1", q1={"a": "closed"})
    assert not r.passed and "add" in r.text and "'b'" in r.text
    r = run("q1", q1={**wrong_but_wellformed, "a": "yes-no"})
    assert not r.passed and "use exactly one of" in r.text
    assert run("q1", q1={**wrong_but_wellformed, "a": "封闭式问题"}).passed  # Chinese names are understood
    assert "not defined" in run("q1").text


def test_q2_shows_how_the_classifier_reads_each_question():
    assert run("q2", q2=GOOD_Q2).passed
    r = run("q2", q2={**GOOD_Q2, "opinion": "Do you think the weekend gaps cost you more?"})
    assert not r.passed and 'q2["opinion"] reads as closed' in r.text
    r = run("q2", q2={**GOOD_Q2, "closed": "Yes?"})
    assert not r.passed and "whole question" in r.text


def test_q4_and_q5_forms():
    assert run("q4", q4={"d1": "a", "d2": "a", "d3": "a", "d4": "a"}).passed
    assert not run("q4", q4=["b", "c", "c", "a"]).passed
    assert run("q5", q5={"s1": "观", "s2": "request", "s3": "complaint", "s4": "listen", "s5": "ask"}).passed
    assert not run("q5", q5={"s1": "see", "s2": "request", "s3": "complaint", "s4": "listen", "s5": "ask"}).passed
