"""The m2 lessons' headers agree with the manifest: their minutes add up to its teaching + practice time."""
from module_support import lesson_minutes


def test_lesson_minutes_add_up_to_the_manifest_timing():
    minutes, module = lesson_minutes("m2")
    assert sum(minutes) == module.timing["teaching"] + module.timing["practice"], minutes


def test_at_least_24_ladder_scenarios_in_both_languages_each_with_its_why():
    from salescoach import quiz

    bank = quiz.load_bank("m2_service_levels")
    entries = [e for item in ("ladder-a", "ladder-b", "ladder-c") for e in bank[item].entries]
    assert len({e.text.en for e in entries}) == len(entries) >= 24
    assert all(e.text.zh and e.why.en and e.why.zh for e in entries)
    assert {e.bucket for e in entries} == {"basic", "satisfactory", "value-added", "moving"}
