"""Complaint walk-throughs: the shipped file is valid and consistent; broken files name file, line and fix."""
from __future__ import annotations

from pathlib import Path

import pytest

from salescoach.service_levels import walkthrough as w

ROOT = Path(__file__).resolve().parents[2]
HOTEL = ROOT / "course/modules/m2_service_levels/complaint_hotel.yml"

GOOD = """\
id: demo
title: {en: "Demo", zh: "示例"}
customer: {en: "A customer"}
start: {node: s1, level: basic}
nodes:
  - id: s1
    text: {en: "The complaint."}
    choices:
      - {id: a, en: "Listen", move: 1, next: s2, why: {en: "Good."}}
      - {id: b, en: "Argue", move: -2, next: gone, why: {en: "Bad."}}
  - id: s2
    text: {en: "Next."}
    choices:
      - {id: a, en: "Fix it", move: 2, next: kept, why: {en: "Good."}}
      - {id: b, en: "Wait", move: 0, next: kept, why: {en: "Meh."}}
  - {id: kept, end: true, text: {en: "Kept."}}
  - {id: gone, end: true, text: {en: "Lost."}}
"""


def test_the_hotel_walkthrough_has_one_best_path_to_moving():
    hotel = w.load(HOTEL)
    table = w.paths(hotel)
    assert (table["level"] == "moving").sum() == 1
    assert w.best_path(hotel) == ["b", "b", "b", "a"]
    assert set(table["level"]) == set(w.POSITIONS)  # every outcome, from lost to moving, can happen
    for node in hotel.nodes.values():  # every text and every why has both languages
        assert node.text["en"] and node.text["zh"]
        for c in node.choices:
            assert c.text["zh"] and c.why["en"] and c.why["zh"]


def test_walk_moves_and_clips_at_the_ends():
    demo = w.parse(GOOD)
    steps = w.walk(demo, ["a", "a"])
    assert steps["after"].tolist() == ["satisfactory", "moving"]
    assert w.walk(demo, ["b"])["after"].tolist() == ["lost"]  # basic - 2 stops at lost
    assert w.walk(demo, []).empty
    with pytest.raises(ValueError, match="has no choice 'z'"):
        w.walk(demo, ["z"])
    with pytest.raises(ValueError, match="after the end step 'gone'"):
        w.walk(demo, ["b", "a"])


@pytest.mark.parametrize("old, new, message", [
    ("next: s2,", "next: s3,", r"line 9 \(step s1, choice a\): next: 's3' is not a step. Fix: did you mean `s2`"),
    ("move: 1,", "move: 5,", r"line 9 \(step s1, choice a\): move '5' is not a whole number from -2 to 2"),
    ('why: {en: "Bad."}', "why: ", r"line 10 \(step s1, choice b\): the choice's why is missing"),
    ("level: basic", "level: gold", r"line 4 \(start\): level 'gold' is not a place on the ladder"),
    ("  - id: s2\n", "  - id: s2\n    txt: {en: x}\n", r"line 12 \(step s2\): unknown key `txt`. Fix: did you mean `text`"),
    ("next: kept, why: {en: \"Meh.\"}", "next: s1, why: {en: \"Meh.\"}", r"leads back to an earlier step \(a loop\)"),
    ("next: gone,", "next: kept,", r"line 17 \(step gone\): no choice leads to this step"),
    ("start: {node: s1,", "start: {node: s0,", r"the start step 's0' does not exist"),
    ("title: {en", "title: {en: x}\ntitle: {en", r"line 3: the key `title` appears twice"),
    ("  - id: s1\n", "  - id: s1\n\t", r"not valid YAML"),
])
def test_broken_files_name_the_line_and_the_fix(tmp_path, old, new, message):
    assert old in GOOD
    path = tmp_path / "broken.yml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(w.WalkthroughError, match=message) as err:
        w.load(path)
    assert str(path) in str(err.value)


def test_every_problem_is_reported_at_once_and_missing_file():
    text = GOOD.replace("move: 1,", "move: 9,").replace("next: kept, why: {en: \"Good.\"}", "next: nowhere, why: {}")
    with pytest.raises(w.WalkthroughError) as err:
        w.parse(text, "two.yml")
    assert len(err.value.problems) >= 3
    with pytest.raises(w.WalkthroughError, match="cannot read the file"):
        w.load("/no/such/file.yml")
    with pytest.raises(w.WalkthroughError, match="the file must be a block"):
        w.parse("- just a list")
