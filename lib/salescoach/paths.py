"""Where the course kit lives on disk: the project root and its standard folders."""
from __future__ import annotations

import os
from pathlib import Path

MANIFEST = Path("course") / "course.yml"


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
    return (root or project_root()) / "datasets"
