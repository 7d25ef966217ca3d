import json
from pathlib import Path

import pytest

from salescoach.kit.lint import lint

pytestmark = pytest.mark.slow


def _where(problems) -> list[str]:
    return [p.where for p in problems]


def test_the_committed_kit_passes_lint(kit_root: Path):
    problems = lint(kit_root)
    assert problems == [], "\n".join(map(str, problems))


def test_notebook_with_outputs_is_reported(kit_copy: Path):
    lesson = kit_copy / "course/modules/m3_customer_grading/01_pareto_and_abc.ipynb"
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["execution_count"] = 1
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi\n"}]
    lesson.write_text(json.dumps(nb), encoding="utf-8")
    problems = lint(kit_copy, release=False)
    assert [p for p in problems if "keep outputs" in p.problem and "01_pareto" in p.where]
    assert all("salescoach clean" in p.fix for p in problems if "keep outputs" in p.problem)


def test_missing_unlisted_broken_and_stale(kit_copy: Path):
    (kit_copy / "course/modules/m3_customer_grading/06_real_data_cdnow.ipynb").unlink()
    extra = kit_copy / "course/modules/m3_customer_grading/99_draft.ipynb"
    extra.write_text((kit_copy / "course/index.ipynb").read_text(encoding="utf-8"), encoding="utf-8")
    (kit_copy / "course/modules/m3_customer_grading/03_pyramids_and_value_grades.ipynb").write_text("{oops", "utf-8")
    (kit_copy / "course/index.ipynb").write_text((kit_copy / "course/index.ipynb").read_text("utf-8")
                                                .replace("Module map", "Old map"), "utf-8")
    problems = lint(kit_copy, release=False)
    text = "\n".join(map(str, problems))
    assert "06_real_data_cdnow.ipynb: listed as a lesson of m3 but missing" in text
    assert "99_draft.ipynb: notebook not listed" in text
    assert "broken notebook JSON" in text
    assert "course/index.ipynb: out of date" in text and "salescoach index" in text


def test_bad_dataset_is_reported(kit_copy: Path):
    csv = kit_copy / "datasets/territory.csv"
    csv.write_text(csv.read_text("utf-8").replace("revenue_12m", "revenue"), "utf-8")
    problems = lint(kit_copy, release=False)
    assert any(p.where == "datasets/territory.csv" and "revenue_12m" in p.problem for p in problems)


def test_hand_edited_exercise_is_out_of_sync(kit_copy: Path):
    ex = kit_copy / "exercises/m3_customer_grading/m3_exercise.ipynb"
    ex.write_text(ex.read_text("utf-8").replace("YOUR CODE HERE", "YOUR CODE THERE", 1), "utf-8")
    problems = lint(kit_copy)
    assert any("m3_exercise.ipynb (differs)" in p.where and "salescoach release" in p.fix for p in problems)
