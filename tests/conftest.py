"""Shared fixtures: the kit's root, a disposable copy of the kit, and isolated Jupyter folders."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")  # tests draw charts off screen

ROOT = Path(__file__).resolve().parents[1]
KIT_PARTS = ("course", "solutions", "exercises", "datasets", "nbgrader_config.py")


@pytest.fixture(scope="session")
def kit_root() -> Path:
    return ROOT


@pytest.fixture(autouse=True, scope="session")
def _isolated_jupyter(tmp_path_factory: pytest.TempPathFactory):
    """Keep Jupyter, IPython and matplotlib state out of $HOME and apart between test runs."""
    base = tmp_path_factory.mktemp("jupyter-home")
    saved = {k: os.environ.get(k) for k in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR")}
    for key in saved:
        (base / key).mkdir()
        os.environ[key] = str(base / key)
    os.environ.setdefault("MPLBACKEND", "Agg")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def kit_copy(tmp_path: Path) -> Path:
    """A full copy of the kit in a temporary folder, safe to break."""
    dst = tmp_path / "kit"
    dst.mkdir()
    for part in KIT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dst / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        elif src.is_file():
            shutil.copy2(src, dst / part)
    return dst


@pytest.fixture(scope="session")
def territory():
    """Xiao Zhang's territory as the lessons load it (do not modify: shared by the session)."""
    from salescoach.data import load

    return load("territory")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="session")
def postgres_url():
    """URL of a database on a throwaway PostgreSQL server for this test session (one per xdist worker).

    Skips when Debian's postgresql binaries are absent; fails instead under SALESCOACH_REQUIRE_POSTGRES=1
    (``make test``).
    """
    from pg import find_bindir, postgres_server, skip_or_fail

    bindir = find_bindir()
    if bindir is None:
        skip_or_fail("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql")
    with postgres_server(bindir) as url:
        yield url
