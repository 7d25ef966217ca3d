import re
from pathlib import Path

import yaml

from salescoach.kit.home import HOME, home_is_current, write_home
from salescoach.kit.manifest import load_course
from salescoach.notebooks import read


def test_committed_home_is_generated_from_the_manifest(kit_root: Path):
    assert home_is_current(load_course(kit_root)), "run `salescoach index`"


def test_every_link_on_the_home_opens_a_file(kit_root: Path):
    nb = read(kit_root / HOME)
    text = "\n".join(c.source for c in nb.cells)
    links = re.findall(r"\]\(([^)]+\.ipynb)\)", text)
    assert links, "the module map has no links"
    for link in links:
        assert (kit_root / "course" / link).resolve().is_file(), link
    course = load_course(kit_root)
    for m in course.modules:
        assert m.title in text and m.title_zh in text


def test_home_follows_manifest_changes(kit_copy: Path):
    path = kit_copy / "course" / "course.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["modules"][0]["title"] = "Grading customers, revised"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert not home_is_current(load_course(kit_copy))
    write_home(kit_copy)
    assert home_is_current(load_course(kit_copy))
    assert "Grading customers, revised" in (kit_copy / HOME).read_text(encoding="utf-8")


def test_home_links_every_modules_trainer_notes_for_trainers(kit_root: Path):
    from salescoach.kit.home import TRAINERS_ONLY

    nb = read(kit_root / HOME)
    last = nb.cells[-1].source
    assert TRAINERS_ONLY in last and "For trainers" in last
    assert not any(TRAINERS_ONLY in c.source for c in nb.cells[:-1])  # one cell an edition can leave out
    links = re.findall(r"\]\(([^)]+\.md)\)", last)
    course = load_course(kit_root)
    assert len(links) == len([m for m in course.modules if m.trainer_notes])
    for link in links:
        assert (kit_root / "course" / link).resolve().is_file(), link
    assert "trainer/m3_customer_grading.md" in last
