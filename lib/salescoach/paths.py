"""Where things live: the kit's root and the names of its folders, in one place.

Every tool names a folder through these constants (never a string literal of
its own), so renaming one is a one-line change.  Two kinds of root appear in
argument names: ``kit_root`` is the clone of the kit (the folder holding
``course/course.yml``); ``course_root`` is an nbgrader course folder being
graded (``submitted/``, ``autograded/``, ``gradebook.db``), by default the
kit itself.
"""
from __future__ import annotations

import os
from pathlib import Path

# --------------------------------------------------------------------------- the kit's own folders
COURSE_DIR = "course"
MODULES_DIR = f"{COURSE_DIR}/modules"
TRAINER_DIR = f"{COURSE_DIR}/trainer"        # trainer notes: never part of what students receive
MANIFEST = Path(COURSE_DIR) / "course.yml"
HOME = Path(COURSE_DIR) / "index.ipynb"
SOLUTIONS_DIR = "solutions"                  # nbgrader's source folder: solutions and hidden tests
EXERCISES_DIR = "exercises"                  # nbgrader's release folder: the student versions
DATASETS_DIR = "datasets"
BUILD_DIR = "build"
DASHBOARD = Path(COURSE_DIR) / "dashboard" / "team_dashboard.ipynb"   # the team dashboard (Voila app)
#: environment variables the dashboard notebook reads: the team file to show, and where the coaching log is
#: (the latter is also read by salescoach.coaching.log_store)
TEAM_FILE_ENV = "SALESCOACH_TEAM_CSV"
COACHING_LOG_ENV = "SALESCOACH_COACHING_LOG"
# --------------------------------------------------------------------------- nbgrader's course folders
SUBMITTED_DIR = "submitted"
AUTOGRADED_DIR = "autograded"
FEEDBACK_DIR = "feedback"
REPORTS_DIR = "reports"
GRADEBOOK_FILE = "gradebook.db"
EXCHANGE_DIR = "exchange"                    # nbgrader's exchange, unless SALESCOACH_EXCHANGE says otherwise


class KitNotFoundError(FileNotFoundError):
    """The course kit's folder (the one holding course/course.yml) could not be found."""


def project_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The kit's root folder.

    Looked up in this order: the ``SALESCOACH_ROOT`` environment variable;
    the first folder at or above ``start`` (default: the current folder)
    that holds ``course/course.yml``; the folder this package was installed
    from (an editable install of a clone).
    """
    env = os.environ.get("SALESCOACH_ROOT")
    if env:
        root = Path(env).expanduser().resolve()
        if not (root / MANIFEST).is_file():
            raise KitNotFoundError(f"SALESCOACH_ROOT={env} has no {MANIFEST}; point it at the clone of the kit")
        return root
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MANIFEST).is_file():
            return folder
    installed = Path(__file__).resolve().parents[2]
    if (installed / MANIFEST).is_file():
        return installed
    raise KitNotFoundError(
        f"no {MANIFEST} found at or above {here}; run from inside the kit's folder or set SALESCOACH_ROOT"
    )


def datasets_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / DATASETS_DIR
