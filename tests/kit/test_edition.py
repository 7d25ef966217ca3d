"""The student edition holds no answer, and a student can install and use it with its one command."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

from browser_support import free_port, jupyter_env, server
from salescoach.kit.edition import AUTHORING_PLUGINS, build_edition, leaks, trainer_only_text
from salescoach.kit.manifest import load_course
from salescoach.kit.nbgrader import fill_submission
from salescoach.notebooks import read, write_atomic

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def edition(kit_root: Path, tmp_path_factory) -> Path:
    return build_edition(kit_root, tmp_path_factory.mktemp("edition"))


def test_the_edition_holds_no_solution_hidden_test_or_trainer_note(edition: Path, kit_root: Path):
    secrets = trainer_only_text(kit_root)
    assert len(secrets) > 50, "the scan needs the trainer's material to look for"
    assert leaks(edition, secrets) == []
    assert not (edition / "solutions").exists() and not (edition / "course" / "trainer").exists()
    text = (edition / "course" / "index.ipynb").read_text(encoding="utf-8")
    assert "solutions/" not in text and "Trainers" not in text
    assert "trainer_notes" not in (edition / "course" / "course.yml").read_text(encoding="utf-8")


def test_the_scan_finds_a_planted_answer(edition: Path, kit_root: Path, tmp_path: Path):
    copy = tmp_path / "edition"
    shutil.copytree(edition, copy)
    ex = load_course(kit_root).exercises()[0]
    shutil.copy2(ex.source(kit_root), copy / "exercises" / "leaked.ipynb")
    found = leaks(copy, trainer_only_text(kit_root))
    assert any(f.startswith("exercises/leaked.ipynb") for f in found)


def test_the_wheel_holds_the_library_and_the_student_versions_are_nbgraders(edition: Path, kit_root: Path):
    wheel = next((edition / "wheels").glob("salescoach-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "salescoach/selfcheck/engine.py" in names and "salescoach/customer_grading/checks.py" in names
    assert not any(n.startswith(("solutions/", "course/", "tests/")) for n in names)
    for ex in load_course(kit_root).exercises():
        assert (edition / "exercises" / ex.assignment / ex.notebook).read_bytes() == ex.release(kit_root).read_bytes()


def test_lessons_run_and_check_works_from_the_edition(edition: Path, kit_root: Path, tmp_path: Path):
    """The library from the wheel (not the clone), the data from the edition: a lesson runs, check() answers."""
    site = tmp_path / "site"
    zipfile.ZipFile(next((edition / "wheels").glob("salescoach-*.whl"))).extractall(site)
    env = jupyter_env(tmp_path / "home")
    env["PYTHONPATH"] = str(site)
    env.pop("SALESCOACH_ROOT", None)
    course = load_course(edition)
    lesson = course.modules[0].lesson_paths(edition)[0]
    ex = course.exercises()[0]
    student = tmp_path / "work" / ex.notebook
    source = read(ex.source(kit_root))
    answered = fill_submission(read(edition / "exercises" / ex.assignment / ex.notebook), source)
    answered.cells.append(__import__("nbformat").v4.new_code_cell("import salescoach; print(salescoach.__file__)"))
    student.parent.mkdir()
    write_atomic(answered, student)
    shutil.copytree(edition / "course", tmp_path / "work" / "course")  # the kit's root is found from the notebook
    shutil.copytree(edition / "datasets", tmp_path / "work" / "datasets")
    for nb, cwd in ((lesson, lesson.parent), (student, student.parent)):
        out = tmp_path / f"out-{nb.name}"
        proc = subprocess.run([sys.executable, "-m", "papermill", str(nb), str(out), "--cwd", str(cwd),
                               "--no-progress-bar", "-k", "python3"], env=env, capture_output=True, text=True,
                              timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
    executed = json.loads((tmp_path / f"out-{student.name}").read_text(encoding="utf-8"))
    outputs = json.dumps([c.get("outputs", []) for c in executed["cells"]])
    assert "passed the self-check" in outputs
    assert str(site) in outputs, "the library must come from the edition's wheel"


def test_one_command_installs_and_opens_it(edition: Path, tmp_path: Path):
    """`python3 start.py` in a copy of the edition: a fresh .venv, then JupyterLab without authoring tools."""
    copy = tmp_path / "edition"
    shutil.copytree(edition, copy)
    env = jupyter_env(tmp_path / "home")
    env.pop("PYTHONPATH", None)
    python = Path(sys.base_prefix) / "bin" / "python3"
    proc = subprocess.run([str(python), "start.py", "--install-only"], cwd=copy, env=env, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    port = free_port()
    argv = [str(python), "start.py", "--no-browser", f"--port={port}", "--ServerApp.token=",
            "--ServerApp.password="]
    with server(argv, env, port, tmp_path / "lab.log", cwd=copy) as url:
        page = urllib.request.urlopen(f"{url}/lab/tree/course/index.ipynb", timeout=60).read().decode()
        config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                      page, re.S).group(1))
        disabled = config.get("disabledExtensions", [])
        for plugin in AUTHORING_PLUGINS:
            assert plugin in disabled, f"{plugin} must be switched off, got {disabled}"
        status = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", f"{url}/formgrader"],
                                capture_output=True, text=True).stdout
        assert status == "404", "Formgrader must not be served to students"
    assert os.path.isdir(copy / ".venv")
