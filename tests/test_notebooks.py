from pathlib import Path

import nbformat
import pytest

from salescoach.notebooks import NotebookError, clear_outputs, dirty_cells, parameters_cell, read, write_atomic


def _nb() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("print(x)")]
    return nb


def test_round_trip_and_parameters(tmp_path: Path):
    path = tmp_path / "a.ipynb"
    write_atomic(_nb(), path)
    nb = read(path)
    assert parameters_cell(nb) == 1
    assert dirty_cells(nb) == []
    assert not list(tmp_path.glob(".*tmp"))


def test_outputs_are_found_and_cleared():
    nb = _nb()
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    nb.cells[2].execution_count = 3
    assert dirty_cells(nb) == [2]
    assert dirty_cells(clear_outputs(nb)) == []


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"cells": [', "broken notebook JSON at line 1"),
        ('{"cells": 3, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "not a valid Jupyter notebook"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_broken_notebooks_get_a_clear_error(tmp_path: Path, content, message):
    path = tmp_path / "broken.ipynb"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(NotebookError, match=message) as info:
        read(path)
    assert str(path) in str(info.value)


def test_missing_notebook(tmp_path: Path):
    with pytest.raises(NotebookError, match="not found"):
        read(tmp_path / "nope.ipynb")


def test_failed_write_keeps_the_old_file(tmp_path: Path):
    path = tmp_path / "a.ipynb"
    write_atomic(_nb(), path)
    before = path.read_bytes()
    bad = _nb()
    bad.cells[0]["source"] = object()  # not serialisable
    with pytest.raises(TypeError):
        write_atomic(bad, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.ipynb"]


def test_unvalidated_write_gives_the_same_bytes_as_nbformat(tmp_path: Path):
    nb = _nb()
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="1\n2\n"),
                           nbformat.v4.new_output("execute_result", {"text/plain": "3", "text/html": "<b>3</b>\n<i/>"},
                                                  execution_count=2)]
    write_atomic(nb, tmp_path / "checked.ipynb")
    write_atomic(nb, tmp_path / "fast.ipynb", validate=False)
    nbformat.write(nb, tmp_path / "nbformat.ipynb")
    assert (tmp_path / "fast.ipynb").read_bytes() == (tmp_path / "checked.ipynb").read_bytes() \
        == (tmp_path / "nbformat.ipynb").read_bytes()
