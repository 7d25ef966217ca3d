from pathlib import Path

import pytest
import yaml

from salescoach.kit.manifest import ManifestError, load_course


def test_manifest_lists_m3_with_its_files(kit_root: Path):
    course = load_course(kit_root)
    m3 = course.module("m3")
    assert course.module("m3_customer_grading") is m3
    assert m3.title_zh == "客户分级与客户价值"
    assert m3.audience == "students" and m3.duration_minutes > 0
    assert len(m3.objectives) >= 3
    assert all(p.is_file() for p in m3.lesson_paths(kit_root))
    assert [e.assignment for e in m3.exercises] == ["m3_customer_grading"]
    assert m3.exercises[0].source(kit_root).is_file()
    assert m3.exercises[0].release(kit_root).is_file()


def test_unknown_module_names_the_choices(kit_root: Path):
    with pytest.raises(ManifestError, match="m3 \\(m3_customer_grading\\)"):
        load_course(kit_root).module("m99")


def _edit(kit: Path, change) -> None:
    path = kit / "course" / "course.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["modules"][0].pop("title_zh"), "missing field"),
        (lambda d: d["modules"][0].update(audience="everyone"), "audience must be one of"),
        (lambda d: d["modules"][0].update(order="three"), "'order' must be a whole number"),
        (lambda d: d["modules"][0].update(datasets=["nope"]), "unknown dataset"),
        (lambda d: d["modules"][0].update(lessons=["elsewhere/x.ipynb"]), "must be a notebook path under"),
        (lambda d: d["modules"][0].update(colour="red"), "unknown field"),
        (lambda d: d["modules"].append(dict(d["modules"][0])), "share id"),
        (lambda d: d["modules"][0].update(exercises=[{"assignment": "a"}]), "each exercise needs"),
    ],
)
def test_malformed_manifest_is_named(kit_copy: Path, change, message):
    _edit(kit_copy, change)
    with pytest.raises(ManifestError, match=message):
        load_course(kit_copy)


def test_broken_yaml_and_missing_manifest(kit_copy: Path):
    path = kit_copy / "course" / "course.yml"
    path.write_text("modules: [\n  - id: m3\n bad", encoding="utf-8")
    with pytest.raises(ManifestError, match="not valid YAML"):
        load_course(kit_copy)
    path.unlink()
    with pytest.raises(ManifestError, match="missing"):
        load_course(kit_copy)
