"""A notebook with every kind of quiz runs headless (nbclient, as build and the grader run notebooks), and its
HTML export still reads as questions.  Also: a hidden test cell's number is the partial score nbgrader takes."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor

from salescoach import quiz

from .conftest import DEMO

pytestmark = pytest.mark.slow
BANK = quiz.load_items(DEMO)


def test_quiz_notebook_runs_headless_and_exports_readable_html(tmp_path: Path):
    shutil.copy(DEMO, tmp_path / "demo_quiz.yml")
    cells = ["from salescoach import quiz\nbank = quiz.load_items('demo_quiz.yml')"]
    cells += [f"quiz.show(bank[{i.id!r}], lang='both')" for i in BANK]
    cells += ["quiz.answer_box(bank['place-scenarios'], variable='q3')",
              'q3 = {"s1": "basic", "s2": "satisfactory", "s3": "basic", "s4": "moving"}',
              "quiz.score(bank['place-scenarios'], q3, key={'s1': 'basic', 's2': 'satisfactory', "
              "'s3': 'value-added', 's4': 'moving'}).score * 4"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    ExecutePreprocessor(timeout=60, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    outputs = [o for c in nb.cells for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    markdown = [o.data["text/markdown"] for o in outputs if "text/markdown" in o.get("data", {})]
    assert len(markdown) == len(BANK) + 1
    views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == len(BANK) + 1
    assert nb.cells[-1].outputs[0].data["text/plain"] == "3.0"  # nbgrader's partial credit: 3 of 4 placed
    html, _ = HTMLExporter().from_notebook_node(nb)
    for item in BANK:
        assert item.prompt.en.split(",")[0] in html
    assert "把每个情景放到对应的服务层次" in html and "The order arrives as asked, nothing more." in html
