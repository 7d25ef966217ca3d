"""``salescoach lab``: JupyterLab on the course home, ready for a trainer on the very first open.

Before JupyterLab starts:

* the environment's ``bin/`` goes first on ``PATH``: nbgrader runs ``alembic`` by name when Formgrader
  creates the gradebook, and a Lab started from an IDE or a desktop shortcut may not have it on ``PATH``
  (Formgrader then hangs on "Loading, please wait..." behind an HTTP 500);
* the gradebook is created with its migrations stamped (nbgrader's own ``Gradebook``), so Formgrader's
  first request finds it ready;
* nbgrader's exchange folder (Release, Collect, the students' Assignment List) exists: ``exchange/``
  inside the kit by default, or ``SALESCOACH_EXCHANGE`` (the setting lives in ``configure`` of
  :mod:`salescoach.kit.nbgrader`, read by ``nbgrader_config.py``).
"""
from __future__ import annotations

import os
import shutil
import sys
import warnings
from pathlib import Path

from ..paths import GRADEBOOK_FILE, HOME
from .nbgrader import COURSE_ID, exchange_root, tools_on_path


def environment() -> dict[str, str]:
    """This process's environment with the Python environment's ``bin/`` first on ``PATH``."""
    tools_on_path()
    return dict(os.environ)


def prepare(kit_root: Path) -> None:
    """Create the exchange folder and the gradebook (with its migrations) if they do not exist yet."""
    exchange = exchange_root(kit_root)
    exchange.mkdir(parents=True, exist_ok=True)
    if os.access(exchange, os.W_OK) and exchange.stat().st_uid == os.geteuid():
        exchange.chmod(0o1777)  # nbgrader's layout: every user may drop submissions, nobody removes others'
    db = kit_root / GRADEBOOK_FILE
    if not db.exists():
        tools_on_path()
        from nbgrader.api import Gradebook
        from sqlalchemy.exc import SAWarning

        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=SAWarning)
            with Gradebook(f"sqlite:///{db}", COURSE_ID):
                pass


def lab_argv(kit_root: Path, port: int, ip: str, open_browser: bool, extra: list[str]) -> list[str]:
    """The ``jupyter lab`` command line for the course home (``FileNotFoundError`` without JupyterLab)."""
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or shutil.which("jupyter")
    if jupyter is None:
        raise FileNotFoundError("jupyter is not installed in this environment; run `make start` from the kit's "
                                "folder")
    argv = [jupyter, "lab", f"--ServerApp.root_dir={kit_root}", f"--ServerApp.ip={ip}", f"--port={port}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    # no network at run time: JupyterLab must not poll for news or updates
    argv += ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if not open_browser:
        argv.append("--no-browser")
    argv += extra[1:] if extra[:1] == ["--"] else extra
    argv.append(str(kit_root / HOME))
    return argv
