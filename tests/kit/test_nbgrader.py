"""Real nbgrader runs: exercises/ is what nbgrader generates; solutions score full marks, blanks score zero."""
from pathlib import Path

import pytest

from salescoach.kit.manifest import load_course
from salescoach.kit.nbgrader import (
    NbgraderError,
    autograde,
    fill_submission,
    generate,
    scores,
    solution_ids,
    solution_sources,
    submit,
)
from salescoach.kit.release import release, release_differences
from salescoach.notebooks import read

pytestmark = pytest.mark.slow


def _exercises(root: Path):
    return load_course(root).exercises()


def test_exercises_are_exactly_what_nbgrader_generates(kit_root: Path, tmp_path: Path):
    for ex in _exercises(kit_root):
        fresh = generate(kit_root, ex.assignment, tmp_path / ex.assignment) / ex.notebook
        assert fresh.read_bytes() == ex.release(kit_root).read_bytes(), \
            f"{ex.release(kit_root)} differs from nbgrader's output: run `salescoach release`"
    assert release_differences(root=kit_root) == []


def test_student_version_hides_solutions_and_hidden_tests(kit_root: Path):
    for ex in _exercises(kit_root):
        text = ex.release(kit_root).read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text and "MARK SCHEME" not in text
        source = read(ex.source(kit_root))
        hidden = [c.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0].strip()
                  for c in source.cells if "### BEGIN HIDDEN TESTS" in c.source]
        assert hidden, "the exercise should have hidden tests"
        for block in hidden:
            for line in block.splitlines():
                if line.strip().startswith("assert"):
                    assert line.strip() not in text, f"hidden test leaked: {line.strip()}"
        # a line the source shows students anyway (a skeleton in the task text, a locked cell) is no secret
        shown = "\n".join(c.source for c in source.cells if not c.metadata.get("nbgrader", {}).get("solution"))
        for answer in solution_sources(source).values():
            lines = [ln.strip() for ln in answer.splitlines() if len(ln.strip()) > 25 and ln.strip() not in shown]
            leaked = [ln for ln in lines if ln in text]
            assert not leaked, f"solution code leaked into the student version: {leaked[:3]}"


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory, kit_root: Path):
    """A scratch nbgrader course with three students: full solution, blank, half done; autograded for real."""
    course_dir = tmp_path_factory.mktemp("course")
    results = {}
    for ex in _exercises(kit_root):
        released = read(generate(kit_root, ex.assignment, course_dir) / ex.notebook)
        source = read(ex.source(kit_root))
        ids = solution_ids(source)
        submit(course_dir, "full", ex, fill_submission(released, source))
        submit(course_dir, "blank", ex, released)
        submit(course_dir, "half", ex, fill_submission(released, source, ids[: len(ids) // 2]))
        autograde(course_dir, ex.assignment)
        results[ex.assignment] = {s.student: s for s in scores(course_dir, ex.assignment)}
    return results


def test_solution_gets_full_marks(graded_course):
    for assignment, by_student in graded_course.items():
        full = by_student["full"]
        assert full.auto_max >= 6, "at least six autograded parts"
        assert full.full_auto_marks, f"{assignment}: failed {full.failed_cells}"
        assert full.manual_max > 0 and full.needs_manual_grade


def test_blank_gets_zero_and_half_gets_some(graded_course):
    for by_student in graded_course.values():
        assert by_student["blank"].auto_score == 0
        assert 0 < by_student["half"].auto_score < by_student["full"].auto_max


def test_failed_release_keeps_the_committed_exercises(kit_copy: Path):
    target = kit_copy / "exercises/m3_customer_grading/m3_exercise.ipynb"
    before = target.read_bytes()
    (kit_copy / "solutions/m3_customer_grading/m3_exercise.ipynb").write_text("{broken", encoding="utf-8")
    with pytest.raises(ValueError, match="broken notebook JSON"):
        release(root=kit_copy)
    assert target.read_bytes() == before


def test_release_regenerates_a_deleted_exercise(kit_copy: Path):
    target = kit_copy / "exercises/m3_customer_grading/m3_exercise.ipynb"
    expected = target.read_bytes()
    target.unlink()
    assert release_differences(root=kit_copy) == ["exercises/m3_customer_grading/m3_exercise.ipynb (missing)"]
    release("m3", root=kit_copy)
    assert target.read_bytes() == expected


def test_missing_source_folder_is_a_clear_error(kit_copy: Path, tmp_path: Path):
    with pytest.raises(NbgraderError, match="does not exist"):
        generate(kit_copy, "no_such_assignment", tmp_path)
