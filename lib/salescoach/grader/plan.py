"""What a grading worker loads before its first fork, learnt from the course manifest.

The grader never imports a subject package by name: for an assignment, the manifest names its module's
``package`` (``Course.module_of(assignment).package``), and :func:`plan_for` turns that into a
:class:`WarmPlan` -- the ``salescoach.<package>`` modules to import in the worker before the zygote is
forked (so every student process starts with them loaded and the guard protects them), the exercises whose
self-checks are loaded and whose reference answers are computed then, and the module prefixes the guard
puts back before every test cell.  The plan travels to the worker as JSON in its environment.
"""
from __future__ import annotations

import importlib.util
import json
import pkgutil
from dataclasses import asdict, dataclass
from pathlib import Path

#: modules the guard protects in every worker: the kit and the libraries test cells use
BASE_PROTECTED = (
    "salescoach", "pandas", "numpy", "IPython", "builtins", "math", "operator", "functools", "collections",
    "warnings", "re", "json", "copy", "inspect", "traceback", "linecache", "abc", "numbers", "decimal",
    "fractions", "statistics", "datetime", "io", "textwrap", "contextlib", "importlib", "typing",
    "dataclasses", "enum", "matplotlib_inline",
)
ENV_VAR = "SALESCOACH_WARM_PLAN"


@dataclass(frozen=True)
class WarmPlan:
    """Modules to import, exercises whose checks to precompute, and module prefixes the guard protects."""

    modules: tuple[str, ...] = ()
    exercises: tuple[str, ...] = ()
    protected: tuple[str, ...] = BASE_PROTECTED

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> WarmPlan:
        """The plan in ``text`` (as written by :meth:`to_json`); the default plan for an empty text."""
        if not text:
            return cls()
        data = json.loads(text)
        return cls(tuple(data.get("modules") or ()), tuple(data.get("exercises") or ()),
                   tuple(data.get("protected") or BASE_PROTECTED))


def package_modules(package: str) -> list[str]:
    """``salescoach.<package>`` and its modules, found on disk (nothing is imported)."""
    name = f"salescoach.{package}"
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return []
    found = sorted(m.name for m in pkgutil.iter_modules(list(spec.submodule_search_locations))
                   if not m.name.startswith("_"))
    return [name, *(f"{name}.{m}" for m in found)]


def plan_for(kit_root: Path, assignment: str) -> WarmPlan:
    """The warm-up plan for grading ``assignment`` of the course at ``kit_root`` (from its manifest).

    An assignment the manifest does not list (a trainer's own) gets the base plan: its checks, if a subject
    package declares them, are still precomputed.
    """
    from ..kit.manifest import ManifestError, load_course

    try:
        course = load_course(kit_root)
    except (ManifestError, OSError):
        return WarmPlan(exercises=(assignment,))
    packages = course.packages()
    protected = BASE_PROTECTED + tuple(f"salescoach.{p}" for p in packages)
    try:
        package = course.module_of(assignment).package
    except ManifestError:
        package = None
    modules = tuple(package_modules(package)) if package else ()
    return WarmPlan(modules=modules, exercises=(assignment,), protected=protected)


#: how a worker's warm-up note about a package missing from the environment starts
MISSING_PREFIX = "missing package: "


def missing_packages(notes: list[str]) -> str:
    """Why grading must not start when a worker could not import the exercise's library ("" when it can).

    Every submission would fail on the same import error and score zero, so nothing is graded.
    """
    missing = [n[len(MISSING_PREFIX):] for n in notes if n.startswith(MISSING_PREFIX)]
    if not missing:
        return ""
    return ("grading did not start, because the exercise's library cannot be imported in this environment: "
            + "; ".join(missing) + ". Fix: install the kit's packages (`make install` in the kit's folder) and "
            "grade again; nothing was graded or changed")


def dataset_problems(kit_root: Path, assignment: str) -> list[str]:
    """Why a dataset of the assignment's module cannot be loaded (validated as the students' cells will load it).

    Checked before grading starts: a broken dataset would make every submission fail the same way.
    """
    from ..datasets import load
    from ..kit.manifest import ManifestError, load_course

    try:
        names = load_course(kit_root).module_of(assignment).datasets
    except (ManifestError, OSError):
        return []
    problems = []
    for name in names:
        try:
            load(name, root=Path(kit_root))
        except (OSError, ValueError) as exc:
            problems.append(f"dataset {name!r}: {exc}")
    return problems
