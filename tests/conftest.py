"""Shared fixtures: the kit's root, a disposable copy of the kit, and isolated Jupyter folders."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")  # tests draw charts off screen

# Property tests: the same examples on every run by default, so CI is reproducible (a failure there is the
# same failure here); SALESCOACH_HYPOTHESIS=explore draws new examples each run, to hunt for edge cases
# (what it finds becomes an @example).
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("SALESCOACH_HYPOTHESIS", "repeatable"))

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


def copy_kit(dst: Path) -> Path:
    """Copy the kit's parts (``KIT_PARTS``) into the new folder ``dst``, without checkpoints or bytecode."""
    dst.mkdir()
    for part in KIT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dst / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        elif src.is_file():
            shutil.copy2(src, dst / part)
    return dst


@pytest.fixture
def kit_copy(tmp_path: Path) -> Path:
    """A full copy of the kit in a temporary folder, safe to break."""
    return copy_kit(tmp_path / "kit")


@pytest.fixture(scope="session")
def territory():
    """Xiao Zhang's territory as the lessons load it (do not modify: shared by the session)."""
    from salescoach.datasets import load

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


#: student code that counts the copies of a text (given as hex, so the scan holds no copy of its own but
#: the key) in its own process's memory, leaving the count in ``hits``
MEMORY_SCAN = """key = bytes.fromhex('{key}')
hits = 0
with open('/proc/self/maps') as maps, open('/proc/self/mem', 'rb', 0) as mem:
    for line in maps:
        span, perms = line.split()[:2]
        start, end = (int(x, 16) for x in span.split('-'))
        if 'r' in perms and end - start < 1 << 28:
            try:
                mem.seek(start)
                hits += mem.read(end - start).count(key)
            except (OSError, ValueError, OverflowError):
                pass
"""
