"""``salescoach clean``: the course's notebooks as they are committed.

Outputs, execution counts and run metadata (papermill's, widget state) cleared; the kernelspec and the
``language_info`` the kernel writes when JupyterLab opens a notebook set, so opening and closing a
notebook leaves it unmodified.  Only notebooks that change are rewritten (atomically).
"""
from __future__ import annotations

from pathlib import Path

from ..notebooks import clear_outputs, dirty_cells, kernel_metadata_is_current, read, set_kernel_metadata, write_atomic
from .manifest import Course


def needs_cleaning(nb) -> bool:  # noqa: ANN001 - a NotebookNode
    return bool(dirty_cells(nb)) or "widgets" in nb.metadata or "papermill" in nb.metadata \
        or not kernel_metadata_is_current(nb)


def clean(course: Course) -> list[Path]:
    """Clean the course home, the lessons and the exercise sources; the paths rewritten."""
    out = []
    for path in course.notebooks():  # student versions follow their sources: `salescoach release`
        if path.is_file():
            nb = read(path)
            if needs_cleaning(nb):
                write_atomic(set_kernel_metadata(clear_outputs(nb)), path)
                out.append(path)
    return out
