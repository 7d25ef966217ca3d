"""Reading, checking and writing notebook files safely."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat

from .files import write_text_atomic

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def language_info() -> dict:
    """The ``language_info`` the kit's kernel writes into a notebook when JupyterLab opens it.

    Committed notebooks carry exactly this (``salescoach clean`` writes it), so opening and closing one
    in JupyterLab leaves it unmodified.  It names the Python version of this environment: on a machine
    with another Python, JupyterLab updates that one field.
    """
    from ipykernel.ipkernel import IPythonKernel

    return copy.deepcopy(dict(IPythonKernel.language_info))


def kernel_metadata_is_current(nb: nbformat.NotebookNode) -> bool:
    """The notebook carries the kernelspec and ``language_info`` the kernel would write."""
    return nb.metadata.get("kernelspec") == KERNELSPEC and nb.metadata.get("language_info") == language_info()


def set_kernel_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Write the kernelspec and ``language_info`` the kernel would write (see :func:`language_info`)."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = language_info()
    return nb


class NotebookError(ValueError):
    """A notebook file is missing, not JSON, or not a valid notebook."""


def read(path: Path) -> nbformat.NotebookNode:
    """Read and validate a notebook, or raise NotebookError naming the file and the fix."""
    path = Path(path)
    if not path.is_file():
        raise NotebookError(f"{path}: notebook not found; restore it from git or fix the path in course/course.yml")
    try:
        text = path.read_text(encoding="utf-8")
        json.loads(text)
    except UnicodeDecodeError as exc:
        raise NotebookError(f"{path}: not UTF-8 text ({exc}); restore it from git") from None
    except json.JSONDecodeError as exc:
        raise NotebookError(f"{path}: broken notebook JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}); "
                            "restore it from git or repair it in a text editor") from None
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except (nbformat.ValidationError, KeyError, AttributeError, TypeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NotebookError(f"{path}: not a valid Jupyter notebook ({first}); open and re-save it in JupyterLab, "
                            "or restore it from git") from None
    return nb


def dirty_cells(nb: nbformat.NotebookNode) -> list[int]:
    """Indexes of code cells that still carry outputs or an execution count."""
    return [i for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)]


def clear_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = []
            c.execution_count = None
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    for c in nb.cells:
        c.metadata.pop("execution", None)
        c.metadata.pop("papermill", None)
    return nb


def parameters_cell(nb: nbformat.NotebookNode) -> int | None:
    """Index of the code cell tagged ``parameters`` (papermill), or None."""
    for i, c in enumerate(nb.cells):
        if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", []):
            return i
    return None


def write_atomic(nb: nbformat.NotebookNode, path: Path, validate: bool = True, durable: bool = True) -> None:
    """Write a notebook through a temporary file and a rename, so a failure never leaves half a file.

    ``validate=False`` skips nbformat's schema check (which only logs) for a notebook already known to be
    valid; the bytes written are the same.  ``durable`` as for :func:`salescoach.files.atomic_path`.
    """
    text = nbformat.writes(nb) if validate else nbformat.v4.writes(nb)
    text = text if text.endswith("\n") else text + "\n"  # as nbformat.write does
    write_text_atomic(Path(path), text, durable=durable)
