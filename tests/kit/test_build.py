"""Every notebook of the course runs top to bottom in a fresh kernel; failures name the notebook and cell."""
from pathlib import Path

import nbformat
import pytest

from salescoach.kit.build import build, course_notebooks, execute
from salescoach.kit.manifest import load_course
from salescoach.notebooks import parameters_cell, read

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = course_notebooks(load_course(ROOT))

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[str(p.relative_to(ROOT)) for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path):
    before = path.read_bytes()
    result = execute(path, ROOT, out_dir=tmp_path)
    assert result.ok, result.error
    assert path.read_bytes() == before, "building must not modify the committed notebook"
    executed = read(tmp_path / path.relative_to(ROOT))
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


def test_every_lesson_has_a_parameters_cell():
    lessons = [p for m in load_course(ROOT).modules for p in m.lesson_paths(ROOT)]
    for p in lessons:
        assert parameters_cell(read(p)) is not None, p


def test_a_trainer_can_vary_the_parameters(tmp_path: Path):
    lesson = ROOT / "course/modules/m3_customer_grading/01_pareto_and_abc.ipynb"
    result = execute(lesson, ROOT, out_dir=tmp_path, parameters={"A_CUT": 0.7, "VALUE_COLUMN": "gross_profit"})
    assert result.ok, result.error
    executed = read(tmp_path / lesson.relative_to(ROOT))
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "A_CUT = 0.7" in injected[0].source


def _tiny_course(kit: Path, failing_source: str) -> Path:
    """Replace the module's notebooks with tiny ones; lesson 01 fails with ``failing_source`` in cell 3."""
    course = load_course(kit)
    m3 = course.module("m3")
    for i, path in enumerate(m3.lesson_paths(kit) + [e.source(kit) for e in m3.exercises]):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_markdown_cell("# tiny"), nbformat.v4.new_code_cell("x = 1"),
                    nbformat.v4.new_code_cell(failing_source if i == 0 else "y = x + 1")]
        nbformat.write(nb, path)
    return m3.lesson_paths(kit)[0]


@pytest.mark.parametrize("jobs", [1, 2])
def test_failure_names_notebook_cell_and_error(kit_copy: Path, jobs: int):
    lesson = _tiny_course(kit_copy, "1 / 0")
    results = build("m3", root=kit_copy, progress=False, jobs=jobs)
    assert [r.notebook for r in results] == course_notebooks(load_course(kit_copy), "m3")
    failed = [r for r in results if not r.ok]
    assert [r.notebook for r in failed] == [lesson]
    assert failed[0].cell == 3
    assert "cell 3" in failed[0].error and "ZeroDivisionError" in failed[0].error


def test_cli_build_exit_code_and_report(kit_copy: Path, capsys):
    from salescoach.kit.cli import main

    _tiny_course(kit_copy, "raise RuntimeError('customer list is empty')")
    assert main(["--root", str(kit_copy), "build", "m3", "-q"]) == 1
    out = capsys.readouterr().out
    assert "FAIL course/modules/m3_customer_grading/01_pareto_and_abc.ipynb" in out
    assert "RuntimeError: customer list is empty" in out and "6 of 7 notebooks" in out


def test_broken_notebook_file_is_reported_not_crashing(kit_copy: Path):
    lesson = kit_copy / "course/modules/m3_customer_grading/01_pareto_and_abc.ipynb"
    lesson.write_text("{not json", encoding="utf-8")
    result = execute(lesson, kit_copy, out_dir=kit_copy / "out")
    assert not result.ok and "broken notebook JSON" in result.error
