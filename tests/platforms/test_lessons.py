"""The m1 lessons' headers agree with the manifest: their minutes add up to its teaching + practice time."""
from module_support import lesson_minutes


def test_lesson_minutes_add_up_to_the_manifest_timing():
    minutes, module = lesson_minutes("m1")
    assert sum(minutes) == module.timing["teaching"] + module.timing["practice"], minutes


def test_week_drill_and_decision_points_explain_every_choice():
    from salescoach import quiz

    bank = quiz.load_bank("m1_platforms")
    week = bank["eisenhower-week"]
    assert {e.bucket for e in week.entries} == {b.id for b in week.buckets}
    assert all(e.why.en and e.why.zh for e in week.entries)  # feedback on each placement
    for case in ("coke-decision", "electrolux-decision"):
        options = bank[case].options
        assert sum(bool(o.correct) for o in options) == 1 and all(o.why.en and o.why.zh for o in options)
