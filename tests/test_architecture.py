"""The library's three layers hold (import-linter), and ruff finds nothing (the configuration in pyproject.toml).

Layers (see the module pattern): subject packages (one per module topic) import only the shared base and,
where the material builds on it, another subject's ``analysis``; the shared base imports no subject and no
trainer tool; the trainer tools (``kit``, ``grader``) never import a subject by name.  The contract is written
here from the packages found on disk, so a new subject is covered the moment it exists.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "lib" / "salescoach"
TOOLS = ("kit", "grader")
#: shared packages of the base layer (every other package with an __init__.py is a subject)
BASE_PACKAGES = ("datasets", "selfcheck", "quiz")


def _packages() -> list[str]:
    return sorted(p.parent.name for p in LIB.glob("*/__init__.py"))


def subjects() -> list[str]:
    return [p for p in _packages() if p not in TOOLS + BASE_PACKAGES]


def base_modules() -> list[str]:
    mods = [p.stem for p in LIB.glob("*.py") if p.stem != "__init__"]
    return sorted(mods + [p for p in _packages() if p in BASE_PACKAGES])


def contract(subject_names: list[str]) -> str:
    pkg = "salescoach"
    subjects_ = [f"{pkg}.{s}" for s in subject_names]
    tools = [f"{pkg}.{t}" for t in TOOLS]
    base = [f"{pkg}.{b}" for b in base_modules()]

    def lines(mods: list[str]) -> str:
        return "".join(f"\n    {m}" for m in mods)

    text = f"""[importlinter]
root_package = {pkg}
include_external_packages = False

[importlinter:contract:base]
name = The shared base imports no subject and no trainer tool
type = forbidden
source_modules ={lines(base)}
forbidden_modules ={lines(subjects_ + tools)}
"""
    if subjects_:
        ignores = [f"{a}.* -> {b}.analysis" for a in subjects_ for b in subjects_ if a != b]
        text += f"""
[importlinter:contract:subjects-tools]
name = Subjects never import the trainer tools
type = forbidden
source_modules ={lines(subjects_)}
forbidden_modules ={lines(tools)}

[importlinter:contract:tools-subjects]
name = Trainer tools never import a subject by name (they learn what they need from the manifest)
type = forbidden
source_modules ={lines(tools)}
forbidden_modules ={lines(subjects_)}
"""
        if len(subjects_) > 1:
            text += f"""
[importlinter:contract:subjects]
name = A subject imports another subject's analysis only
type = independence
modules ={lines(subjects_)}
ignore_imports ={lines(ignores)}
unmatched_ignore_imports_alerting = none
"""
    return text


def test_the_layers_hold(tmp_path: Path):
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint_imports, "import-linter is not installed: make install-test"
    assert "customer_grading" in subjects()
    cfg = tmp_path / "importlinter.ini"
    cfg.write_text(contract(subjects()))
    proc = subprocess.run([lint_imports, "--config", str(cfg), "--no-cache"], cwd=ROOT, capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT / "lib"), "PATH": "/usr/bin:/bin"}, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_forbidden_import_is_caught(tmp_path: Path):
    """The contract can fail: a copy of the library whose base imports a subject breaks it."""
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    copy = tmp_path / "lib"
    shutil.copytree(LIB, copy / "salescoach", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "salescoach" / "files.py").write_text(
        (LIB / "files.py").read_text() + "\nfrom .customer_grading import analysis  # noqa\n")
    cfg = tmp_path / "importlinter.ini"
    cfg.write_text(contract(subjects()))
    proc = subprocess.run([lint_imports, "--config", str(cfg), "--no-cache"], cwd=tmp_path, capture_output=True,
                          text=True, env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"}, timeout=300)
    assert proc.returncode != 0
    assert "salescoach.files" in proc.stdout


@pytest.mark.parametrize("folder", ["lib", "tests", "benchmarks"])
def test_ruff_is_clean(folder: str):
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is not installed: make install-test"
    proc = subprocess.run([ruff, "check", folder], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_library_file_is_too_long_without_a_reason():
    """A file past ~500 lines holds two things, unless its first lines say why it does not."""
    long = []
    for path in LIB.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 550 and "Why this file is long" not in text[:3000]:
            long.append(f"{path.relative_to(ROOT)} ({text.count(chr(10))} lines)")
    assert not long, "split these or say at the top why they are long: " + ", ".join(long)
