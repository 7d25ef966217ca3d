"""The m1 lessons' headers agree with the manifest: their minutes add up to its teaching + practice time."""
import re
from pathlib import Path

from salescoach.kit.manifest import load_course
from salescoach.notebooks import read

ROOT = Path(__file__).resolve().parents[2]


def test_lesson_minutes_add_up_to_the_manifest_timing():
    module = load_course(ROOT).module("m1")
    minutes = []
    for lesson in module.lessons:
        header = read(ROOT / lesson).cells[0].source
        found = re.search(r"\*\*Time:\*\* about (\d+) minutes", header)
        assert found, f"{lesson}: the header gives no 'Time: about N minutes'"
        minutes.append(int(found.group(1)))
    assert sum(minutes) == module.timing["teaching"] + module.timing["practice"], minutes
