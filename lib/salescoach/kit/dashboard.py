"""``salescoach dashboard``: the Voila command line that serves the team dashboard notebook (M8)."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def dashboard_command(root: Path, port: int = 8866, ip: str = "127.0.0.1", team: str | None = None,
                      log: str | None = None, browser: bool = True, extra: list[str] | None = None,
                      ) -> tuple[list[str], dict[str, str]]:
    """The Voila command line and environment that serve the team dashboard notebook (see paths.DASHBOARD).

    ``team`` (a CSV with the team dataset's columns) and ``log`` (coaching log file or database URL) reach
    the notebook through environment variables; a missing team file is refused here, a broken one is
    explained in the page.
    """
    from ..paths import COACHING_LOG_ENV, DASHBOARD, TEAM_FILE_ENV

    notebook = root / DASHBOARD
    if not notebook.is_file():
        raise FileNotFoundError(f"{notebook} is missing; restore it from git (`git checkout -- {DASHBOARD}`)")
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or shutil.which("voila")
    if voila is None:
        raise RuntimeError("voila is not installed in this environment; run `make install` from the kit's folder")
    env = dict(os.environ, SALESCOACH_ROOT=str(root))
    if team is not None:
        path = Path(team).expanduser().resolve()
        if not path.is_file():
            raise FileNotFoundError(f"--team {team}: no such file; give the path of a CSV with the columns of "
                                    "datasets/team.csv (see datasets/README.md)")
        env[TEAM_FILE_ENV] = str(path)
    if log is not None:
        # Voila runs the notebook in course/dashboard/: a relative path is resolved here, from where the
        # command was typed, or the page would open (and create) another, empty log
        env[COACHING_LOG_ENV] = log if "://" in log else str(Path(log).expanduser().resolve())
    argv = [voila, str(notebook), f"--port={port}", f"--Voila.ip={ip}"]
    if not browser:
        argv.append("--no-browser")
    return argv + list(extra or []), env
