"""``salescoach edition``: what students receive, and nothing else.

The student edition is a folder (and a zip of it) holding the course home written for students, the
lessons, the student versions of the exercises, the datasets, the kit's library as a wheel, a student
README and ``start.py``, the one command that installs everything into the edition's own ``.venv/`` and
opens JupyterLab on the course home.  It holds no ``solutions/``, no trainer notes, no hidden tests and no
nbgrader authoring tools (Formgrader, Create Assignment and the course list are switched off in the
student's JupyterLab; the Assignment List and Validate stay).  :func:`leaks` scans every file of an
edition, the wheel's members included, for text that only the trainer's material holds.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import yaml

from ..datasets import registry
from ..files import write_text_atomic
from ..notebooks import read, write_atomic
from ..paths import COURSE_DIR, DATASETS_DIR, EXERCISES_DIR, HOME, MANIFEST, SOLUTIONS_DIR, TRAINER_DIR
from .home import home_notebook
from .manifest import Course, load_course
from .nbgrader import COURSE_ID

EDITION_NAME = "salescoach-student"
#: JupyterLab plugins and server extensions of nbgrader's authoring side, switched off in the student's Lab
AUTHORING_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                     "@jupyter/nbgrader:course-list")
AUTHORING_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
_SKIP = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", ".DS_Store")


def build_edition(kit_root: Path, out_dir: Path) -> Path:
    """Write the student edition under ``out_dir``; returns its folder (a zip of it lies beside it).

    Built in a scratch folder and moved into place only when complete, so a failed build leaves the
    previous edition as it was.  Raises ``RuntimeError`` when the wheel cannot be built.
    """
    course = load_course(kit_root)
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".edition-", dir=out_dir) as tmp:
        dst = Path(tmp) / EDITION_NAME
        dst.mkdir()
        _copy_course(course, dst)
        _wheel(course.root, dst / "wheels")
        write_text_atomic(dst / "README.md", _readme(course))
        write_text_atomic(dst / "start.py", _START_PY)
        write_text_atomic(dst / "nbgrader_config.py", _NBGRADER_CONFIG.format(course_id=COURSE_ID))
        final = out_dir / EDITION_NAME
        shutil.rmtree(final, ignore_errors=True)
        dst.rename(final)
    archive = shutil.make_archive(str(out_dir / EDITION_NAME), "zip", out_dir, EDITION_NAME)
    return final if Path(archive).is_file() else final


def _copy_course(course: Course, dst: Path) -> None:
    for m in course.modules:
        folder = course.root / COURSE_DIR / "modules" / m.slug
        if folder.is_dir():
            shutil.copytree(folder, dst / COURSE_DIR / "modules" / m.slug, ignore=_SKIP)
        for e in m.exercises:
            src = course.root / EXERCISES_DIR / e.assignment
            shutil.copytree(src, dst / EXERCISES_DIR / e.assignment, ignore=_SKIP)
    (dst / DATASETS_DIR).mkdir()
    for ds in registry().values():
        src = course.root / DATASETS_DIR / ds.file
        if src.is_file():
            shutil.copy2(src, dst / DATASETS_DIR / ds.file)
    card = course.root / DATASETS_DIR / "README.md"
    if card.is_file():
        shutil.copy2(card, dst / DATASETS_DIR / "README.md")
    raw = yaml.safe_load((course.root / MANIFEST).read_text(encoding="utf-8"))
    for m in raw.get("modules", []):
        m.pop("trainer_notes", None)
    write_text_atomic(dst / MANIFEST, "# The course's modules (student edition).\n"
                      + yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=120))
    student_course = load_course(dst)
    write_atomic(home_notebook(student_course, for_students=True), dst / HOME)
    for nb in (dst / COURSE_DIR).rglob("*.ipynb"):
        read(nb)  # every notebook shipped is a valid one


def _wheel(kit_root: Path, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="salescoach-wheel-") as build:
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(out),
             str(kit_root)],
            capture_output=True, text=True, cwd=build, env=_build_env(build))
    wheels = sorted(out.glob("salescoach-*.whl"))
    if proc.returncode != 0 or not wheels:
        raise RuntimeError(f"could not build the library's wheel (pip wheel exited {proc.returncode}): "
                           f"{proc.stderr.strip()[-2000:]}. Fix: `make install` installs the build tools "
                           "(setuptools >= 77, wheel) into the kit's environment")
    return wheels[-1]


def _build_env(build: str) -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["TMPDIR"] = build  # setuptools' build/ and egg-info go to the scratch folder, not the clone
    return env


def trainer_only_text(kit_root: Path) -> set[str]:
    """Lines only the trainer's material holds: solution code, hidden tests, mark schemes, trainer notes.

    Lines of 25 characters or more (shorter ones, such as ``return total``, are common code), stripped.
    """
    from .nbgrader import solution_sources

    lines: set[str] = set()
    course = load_course(kit_root)
    for e in course.exercises():
        nb = read(e.source(kit_root))
        for text in solution_sources(nb).values():
            lines |= _long_lines(text)
        for cell in nb.cells:
            for block in re.findall(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", cell.source, re.S):
                lines |= _long_lines(block)
            for block in re.findall(r"=== BEGIN MARK SCHEME ===(.*?)=== END MARK SCHEME ===", cell.source, re.S):
                lines |= _long_lines(block)
    notes = kit_root / TRAINER_DIR
    for path in notes.rglob("*.md") if notes.is_dir() else []:
        lines |= _long_lines(path.read_text(encoding="utf-8"))
    shown = _student_text(course)
    return {ln for ln in lines if ln not in shown}  # what students are shown anyway is no secret


def _student_text(course: Course) -> str:
    """Everything students receive as text: lessons, banks, student exercises, the data card, the library."""
    parts = [e.release(course.root).read_text(encoding="utf-8") for e in course.exercises()]
    for m in course.modules:
        folder = course.root / COURSE_DIR / "modules" / m.slug
        parts += [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()
                  and p.suffix in (".ipynb", ".yml", ".yaml", ".md") and ".ipynb_checkpoints" not in p.parts]
    card = course.root / DATASETS_DIR / "README.md"
    if card.is_file():
        parts.append(card.read_text(encoding="utf-8"))
    # the library ships as a wheel students can read: code that a solution shares with it is no secret
    parts += [p.read_text(encoding="utf-8") for p in sorted(Path(__file__).resolve().parents[1].rglob("*.py"))]
    text = "\n".join(parts)
    return text + "\n" + text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _long_lines(text: str) -> set[str]:
    return {ln.strip() for ln in text.splitlines() if len(ln.strip()) >= 25}


def leaks(edition: Path, secrets: set[str]) -> list[str]:
    """``<file>: <line>`` for every secret line found in the edition (zip and wheel members read too)."""
    found = []
    for path in sorted(Path(edition).rglob("*")):
        if not path.is_file():
            continue
        if path.suffix in (".whl", ".zip"):
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    found += [f"{path.name}!{name}: {s}" for s in _secrets_in(zf.read(name), secrets)]
        else:
            found += [f"{path.relative_to(edition)}: {s}" for s in _secrets_in(path.read_bytes(), secrets)]
    for part in (SOLUTIONS_DIR, TRAINER_DIR):
        if (Path(edition) / part).exists():
            found.append(f"{part}/ is in the edition")
    return found


def _secrets_in(data: bytes, secrets: set[str]) -> list[str]:
    text = data.decode("utf-8", errors="replace")
    # notebooks hold their lines as JSON strings: look at them decoded too
    decoded = text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
    return sorted(s for s in secrets if s in text or s in decoded)


def _readme(course: Course) -> str:
    modules = "\n".join(f"- M{m.order:g} {m.title} ({m.title_zh})" for m in course.modules)
    return f"""# {course.title} — student edition

{course.title_zh}

## Install and open (one command)

You need Python 3.11 or newer. In this folder, run:

    python3 start.py

The first run installs the course's tools into `.venv/` here (a few minutes; it needs the internet once),
then every run opens JupyterLab on the course home in your browser. Stop it with Ctrl+C in the terminal.

## What is here

- `course/index.ipynb`: the course home; start there. Lessons are in `course/modules/`.
- `exercises/`: the graded exercises. Answer where a cell says `# YOUR CODE HERE` or `YOUR ANSWER HERE`,
  run `check("q1")` (and so on) for instant feedback, then hand in the notebook as your trainer says.
- `datasets/`: the data the lessons use, described in `datasets/README.md`.

Modules:

{modules}
"""


_NBGRADER_CONFIG = '''"""nbgrader settings for students: the course id, and the exchange your trainer gives (if any)."""
import os

c = get_config()  # noqa: F821 (provided by nbgrader)
c.CourseDirectory.course_id = "{course_id}"
if os.environ.get("SALESCOACH_EXCHANGE"):
    c.Exchange.root = os.environ["SALESCOACH_EXCHANGE"]
'''

_START_PY = f'''#!/usr/bin/env python3
"""Install the course's tools into .venv/ (first run only) and open JupyterLab on the course home."""
import os
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PLUGINS = {AUTHORING_PLUGINS!r}
SERVER_EXTENSIONS = {AUTHORING_SERVER_EXTENSIONS!r}


def run(*argv):
    subprocess.run([str(a) for a in argv], check=True)


def install():
    if sys.version_info < (3, 11):
        sys.exit("This course needs Python 3.11 or newer; you have " + sys.version.split()[0])
    print("Installing the course's tools into .venv/ (first run only) ...")
    venv.EnvBuilder(with_pip=True).create(VENV)
    python = BIN / "python"
    wheel = sorted((HERE / "wheels").glob("salescoach-*.whl"))[-1]
    run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(python, "-m", "pip", "install", "--quiet", wheel)
    for plugin in PLUGINS:  # the trainer's nbgrader tools stay out of the student's JupyterLab
        run(BIN / "jupyter", "labextension", "disable", "--level=sys_prefix", plugin)
    for ext in SERVER_EXTENSIONS:
        run(BIN / "jupyter", "server", "extension", "disable", "--sys-prefix", ext)
    run(BIN / "jupyter", "labextension", "disable", "--level=sys_prefix",
        "@jupyterlab/apputils-extension:announcements")
    (VENV / ".installed").write_text("ok")


def main():
    if not (VENV / ".installed").exists():
        install()
    if "--install-only" in sys.argv:
        return
    argv = [str(BIN / "jupyter"), "lab", "--ServerApp.root_dir=" + str(HERE), "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    argv += [a for a in sys.argv[1:] if a != "--install-only"]
    argv.append(str(HERE / "course" / "index.ipynb"))
    env = dict(os.environ, PATH=str(BIN) + os.pathsep + os.environ.get("PATH", ""))
    os.chdir(HERE)
    os.execve(argv[0], argv, env)


if __name__ == "__main__":
    main()
'''
