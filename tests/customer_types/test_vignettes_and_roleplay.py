"""The vignettes of the recognise-the-type drill and the role-play scripts: loading, errors with lines, scoring."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.customer_types import catalogue
from salescoach.customer_types.catalogue import TYPES
from salescoach.customer_types.roleplay import (
    GOOD_SHARE,
    RolePlay,
    ScriptFormatError,
    debrief_lines,
    load_script,
    load_scripts,
    outcome_of,
    parse_script,
    replay,
)
from salescoach.customer_types.vignettes import (
    SETTINGS,
    VignetteFormatError,
    check_coverage,
    coverage,
    load_vignettes,
    parse_vignettes,
    score_vignette,
)

SCRIPTS = load_scripts()


# --------------------------------------------------------------------------- vignettes
def test_the_kits_vignettes_cover_every_type_three_times_in_four_settings():
    vs = load_vignettes()
    assert len(vs) >= 42
    check_coverage(vs)
    table = coverage(vs)
    assert (table["total"] >= 3).all() and (table[list(SETTINGS)].sum() > 0).all()
    for v in vs:
        assert v.story.en and v.story.zh and sum(o.correct for o in v.type_options) == 1
        assert v.type in {o.id for o in v.type_options} and len(v.approaches) == 3
        assert all(o.why.en and o.why.zh for o in (*v.type_options, *v.approaches))
    assert len({v.story.en for v in vs}) == len(vs)
    # the right type is not always shown first, nor the right approach always "a"
    assert 0 < sum(v.type_options[0].correct for v in vs) < len(vs) / 2
    assert len({v.approach for v in vs}) == 3


def test_scoring_a_vignette_gives_half_for_each_part_and_every_why():
    v = load_vignettes()[0]
    wrong_type = next(o.id for o in v.type_options if not o.correct)
    wrong_approach = next(a.id for a in v.approaches if not a.correct)
    assert score_vignette(v, v.type, v.approach).score == 1
    half = score_vignette(v, v.type, wrong_approach)
    assert half.score == 0.5 and half.type_right and not half.approach_right and not half.correct
    none = score_vignette(v, wrong_type, wrong_approach, lang="zh")
    assert none.score == 0 and len(none.feedback) == len(v.type_options) + len(v.approaches)
    assert any(line.startswith("✘") for line in none.feedback) and any(line.startswith("→") for line in none.feedback)
    assert score_vignette(v, None, None).score == 0


GOOD_VIGNETTE = """vignettes:
  - id: v1
    type: sceptical
    setting: phone
    kind: business
    story: {en: "A story.", zh: "故事。"}
    types:
      sceptical: {en: "why", zh: "原因"}
      analytical: {en: "why", zh: "原因"}
      shrewd: {en: "why", zh: "原因"}
    approaches:
      - {id: a, en: "A", zh: "甲", correct: true, why: {en: "w", zh: "因"}}
      - {id: b, en: "B", zh: "乙", why: {en: "w", zh: "因"}}
      - {id: c, en: "C", zh: "丙", why: {en: "w", zh: "因"}}
"""


def test_a_good_vignette_file_parses():
    (v,) = parse_vignettes(GOOD_VIGNETTE, "mine.yml")
    assert v.type == "sceptical" and v.approach == "a" and v.line == 2


@pytest.mark.parametrize("old, new, message", [
    ("type: sceptical", "type: skeptic", "line 3 (vignette v1): `type: skeptic` is not a reception type"),
    ("setting: phone", "setting: email", "line 4 (vignette v1): `setting: email` is not a setting"),
    ("      shrewd: {en: \"why\", zh: \"原因\"}\n", "      shrew: {en: \"why\", zh: \"原因\"}\n",
     "line 10 (vignette v1): `shrew` is not a reception type. Fix: did you mean `shrewd`?"),
    (", correct: true", "", "0 approaches are marked correct"),
    ("{id: b, en: \"B\", zh: \"乙\", why: {en: \"w\", zh: \"因\"}}", "{id: b, en: \"B\", zh: \"乙\"}", "no `why`"),
    ("story: {en: \"A story.\", zh: \"故事。\"}", "story: {en: \"A story.\"}", "`story` has no Chinese text"),
    ("    kind: business\n", "    kind: business\n    colour: red\n", "unknown key `colour`"),
    ("      sceptical: {en: \"why\", zh: \"原因\"}\n", "", "the right type `sceptical` is not among the types offered"),
])
def test_vignette_mistakes_name_the_file_line_and_fix(old, new, message):
    assert old in GOOD_VIGNETTE
    with pytest.raises(VignetteFormatError) as e:
        parse_vignettes(GOOD_VIGNETTE.replace(old, new), "mine.yml")
    assert message in str(e.value) and "mine.yml" in str(e.value)


def test_vignette_yaml_syntax_and_missing_file(tmp_path: Path):
    with pytest.raises(VignetteFormatError, match="line 6.*tabs"):
        parse_vignettes(GOOD_VIGNETTE.replace("    story:", "\tstory:"), "tabs.yml")
    with pytest.raises(FileNotFoundError, match="no vignette file here"):
        load_vignettes(tmp_path / "none.yml")
    with pytest.raises(ValueError, match=r"types with fewer than 3: \['talkative'"):
        check_coverage(load_vignettes()[3:])


# --------------------------------------------------------------------------- role-play scripts
def test_the_kits_scripts_cover_the_trickiest_types():
    assert len(SCRIPTS) >= 14
    assert {s.type for s in SCRIPTS.values()} == set(TYPES)  # a student can play every type
    assert {s.kind for s in SCRIPTS.values()} == {"business", "individual"}
    for s in SCRIPTS.values():
        assert 3 <= len(s.turns) <= 4 and set(s.outcomes) == {"good", "mixed", "poor"} and s.debrief.zh
        for t in s.turns:
            best = [o.id for o in t.options if o.points == 2]
            assert len(best) == 1 and t.customer.zh
            assert all(o.say.zh and o.reply.zh and o.why.zh for o in t.options)
        # the best option is not always in the same place
        assert len({[o.id for o in t.options if o.points == 2][0] for t in s.turns}) >= 2, s.id


def best_run(s):
    return [next(o.id for o in t.options if o.points == 2) for t in s.turns]


@pytest.mark.parametrize("sid", sorted(SCRIPTS))
def test_every_script_has_a_good_a_mixed_and_a_poor_run(sid):
    s = SCRIPTS[sid]
    best = replay(s, best_run(s))
    assert best.outcome == "good" and best.points == s.max_points and not best.walked_out
    worst = replay(s, [min(t.options, key=lambda o: o.points).id for t in s.turns])
    assert worst.outcome == "poor"
    ones = replay(s, [next(o.id for o in t.options if o.points == 1) for t in s.turns])
    assert ones.outcome == "mixed"


def test_a_walk_out_ends_the_run_and_is_poor():
    s = SCRIPTS["self-centred-designer"]
    r = replay(s, ["b", "c", "a"])
    assert r.walked_out and r.outcome == "poor" and r.points == 4
    lines = debrief_lines(r)
    assert lines[0].startswith("Poor outcome: 4 of 6 points") and "ended the meeting early" in lines[1]
    assert "Give them the stage" in lines[-2]
    run = RolePlay(s)
    run.choose("b")
    run.choose("c")
    run.choose("a")
    assert run.finished and run.turn is None
    with pytest.raises(ValueError, match="is over"):
        run.choose("a")


def test_replay_errors_name_the_turn_and_the_options():
    s = SCRIPTS["picky-hotel"]
    with pytest.raises(ValueError, match=r"turn 2 of 'picky-hotel' has no option 'z'; choose one of 'a', 'b', 'c'"):
        replay(s, ["b", "z"])
    with pytest.raises(ValueError, match="must be a list of option ids"):
        replay(s, "bcab")
    assert replay(s, ["B", " c "]).outcome == "unfinished"   # case and spaces are forgiven
    assert debrief_lines(replay(s, ["b"]), "zh")[0].startswith("尚未结束")


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(sorted(SCRIPTS)), st.data())
def test_property_any_run_scores_within_bounds_and_its_outcome_follows_the_share(sid, data):
    s = SCRIPTS[sid]
    choices = [data.draw(st.sampled_from([o.id for o in t.options])) for t in s.turns]
    r = replay(s, choices)
    assert 0 <= r.points <= s.max_points and 0 <= r.share <= 1
    assert r.outcome == outcome_of(r.points, s.max_points, r.walked_out)
    if not r.walked_out:
        assert len(r.turns) == len(s.turns)
        assert (r.outcome == "good") == (r.share >= GOOD_SHARE)
    assert replay(s, choices) == r  # deterministic


GOOD_SCRIPT = """id: mine
type: timid
kind: individual
title: {en: "T", zh: "题"}
setting: {en: "S", zh: "景"}
turns:
""" + "".join(f"""  - customer: {{en: "C{n}", zh: "客{n}"}}
    options:
      - {{id: a, say: {{en: "x", zh: "甲"}}, points: 2, reply: {{en: "r", zh: "应"}}, why: {{en: "w", zh: "因"}}}}
      - {{id: b, say: {{en: "y", zh: "乙"}}, points: 1, reply: {{en: "r", zh: "应"}}, why: {{en: "w", zh: "因"}}}}
      - {{id: c, say: {{en: "z", zh: "丙"}}, points: 0, reply: {{en: "r", zh: "应"}}, why: {{en: "w", zh: "因"}}}}
""" for n in (1, 2, 3)) + """outcomes:
  good: {en: "g", zh: "好"}
  mixed: {en: "m", zh: "中"}
  poor: {en: "p", zh: "差"}
debrief: {en: "d", zh: "复"}
"""


def test_a_trainers_script_parses():
    s = parse_script(GOOD_SCRIPT, "mine.yml")
    assert s.id == "mine" and len(s.turns) == 3 and replay(s, ["a", "a", "b"]).outcome == "good"


@pytest.mark.parametrize("old, new, message", [
    ("points: 1", "points: 3", "line 10 (turn 1, option b): `points: 3` is not 0, 1 or 2"),
    ("type: timid", "type: shy", "line 2 (script): `type: shy` is not a reception type"),
    ("points: 2", "points: 1", "line 8 (turn 1): no option scores 2"),
    ("  mixed: {en: \"m\", zh: \"中\"}\n", "", "no `mixed`"),
    ("setting: {en: \"S\", zh: \"景\"}", "setting: {en: \"S\"}", "`setting` has no Chinese text"),
    ("points: 0, reply", "points: 0, ends: maybe, reply", "`ends: maybe` is not true or false"),
    ("points: 1, reply", "points: 1, ends: true, reply", "an option that ends the meeting scores points"),
    ("id: b,", "id: a,", "two options have the id `a`"),
])
def test_script_mistakes_name_the_file_line_and_fix(old, new, message):
    with pytest.raises(ScriptFormatError) as e:
        parse_script(GOOD_SCRIPT.replace(old, new, 1), "mine.yml")
    assert message in str(e.value) and str(e.value).startswith("mine.yml:")


def test_script_files_folders_and_duplicates(tmp_path: Path):
    (tmp_path / "one.yml").write_text(GOOD_SCRIPT, encoding="utf-8")
    assert list(load_scripts(tmp_path)) == ["mine"]
    (tmp_path / "two.yml").write_text(GOOD_SCRIPT, encoding="utf-8")
    with pytest.raises(ScriptFormatError, match="the id `mine` is also used by"):
        load_scripts(tmp_path)
    (tmp_path / "bad.yml").write_bytes("id: é".encode("latin-1"))
    with pytest.raises(ScriptFormatError, match="not UTF-8"):
        load_script(tmp_path / "bad.yml")
    with pytest.raises(FileNotFoundError, match="no role-play script here"):
        load_script(tmp_path / "none.yml")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FileNotFoundError, match="holds no"):
        load_scripts(empty)


def test_every_script_type_is_a_catalogue_type():
    assert {s.type for s in SCRIPTS.values()} <= set(catalogue.TYPES)
