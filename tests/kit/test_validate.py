"""nbgrader's Validate (the button students press, and ``nbgrader validate``) speaks in check()'s plain words."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from salescoach.kit.manifest import load_course
from salescoach.kit.nbgrader import fill_submission, solution_ids
from salescoach.notebooks import read, write_atomic

pytestmark = pytest.mark.slow


def test_validate_shows_verdicts_not_kit_tracebacks(kit_root: Path, tmp_path: Path):
    ex = load_course(kit_root).exercises()[0]
    source = read(ex.source(kit_root))
    half = fill_submission(read(ex.release(kit_root)), source, solution_ids(source)[:1])
    nb = tmp_path / ex.notebook
    write_atomic(half, nb)
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    proc = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "validate", str(nb)], cwd=kit_root,
                          env=env, capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert "VALIDATION FAILED" in out or "failed" in out.lower(), out[-2000:]
    assert "Hint:" in out and "not yet" in out, "the verdicts of check() should be shown"
    assert "site-packages" not in out and "/lib/salescoach/" not in out, "no install paths in what students see"
