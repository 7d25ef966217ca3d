"""What the grader keeps on disk beside nbgrader's files, and how every stage reads it.

* ``autograded/<student>/<assignment>/grading.json`` (the *sidecar*), written
  last by :mod:`.nbgrader_steps` for each submission: ``student``, ``assignment``,
  ``status`` ("graded" or "failed"), ``reason``, ``notes``, ``sandbox``,
  ``seconds``, ``digest``, ``score``, ``max_score``.  A course graded by plain
  ``nbgrader autograde`` has none; every reader copes with that.
* The order of an assignment's graded cells, read from its source (or
  released) notebook, so reports and exports list questions as the
  notebook does.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..files import write_text_atomic
from ..paths import AUTOGRADED_DIR, EXERCISES_DIR, SOLUTIONS_DIR, SUBMITTED_DIR

SIDECAR = "grading.json"


def sidecar_path(course_root: Path, student: str, assignment: str) -> Path:
    return Path(course_root) / AUTOGRADED_DIR / student / assignment / SIDECAR


def write_sidecar(folder: Path, record: dict[str, Any], durable: bool = True) -> None:
    write_text_atomic(Path(folder) / SIDECAR, json.dumps(record, indent=1, ensure_ascii=False), durable=durable)


def read_sidecar(folder: Path) -> tuple[dict | None, str | None]:
    """The sidecar in an autograded folder (``None`` when absent), and a note when it cannot be read."""
    path = Path(folder) / SIDECAR
    if not path.is_file():
        return None, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, f"the grading record {SIDECAR} could not be read ({type(exc).__name__}); showing the gradebook's result"
    if not isinstance(data, dict):
        return None, f"the grading record {SIDECAR} is not a JSON object; showing the gradebook's result"
    return data, None


def students_on_disk(course_root: Path, assignment: str) -> set[str]:
    """Students with a submission folder, or a sidecar, for ``assignment`` (hidden folders ignored)."""
    root = Path(course_root)
    found: set[str] = set()
    for step in (SUBMITTED_DIR, AUTOGRADED_DIR):
        base = root / step
        if base.is_dir():
            found |= {p.name for p in base.iterdir()
                      if not p.name.startswith(".") and (p / assignment).is_dir()
                      and (step == SUBMITTED_DIR or (p / assignment / SIDECAR).is_file())}
    return found


def grade_id_order(course_root: Path, assignment: str, notebook: str) -> list[str]:
    """The ``grade_id``s of a notebook's cells in notebook order (from ``solutions/``, else ``exercises/``)."""
    for folder in (SOLUTIONS_DIR, EXERCISES_DIR):
        path = Path(course_root) / folder / assignment / f"{notebook}.ipynb"
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        ids = [(c.get("metadata", {}).get("nbgrader") or {}).get("grade_id") for c in cells if isinstance(c, dict)]
        return list(dict.fromkeys(i for i in ids if i))
    return []


def natural_key(text: str) -> list[object]:
    """Sort key that puts ``q2`` before ``q10``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]
