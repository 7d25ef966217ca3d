"""The course manifest ``course/course.yml``: the single list of modules every tool reads."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .data import DATASETS
from .paths import MANIFEST, project_root

AUDIENCES = ("students", "managers")
MODULE_KEYS = ("id", "slug", "order", "title", "title_zh", "audience", "duration_minutes", "objectives",
               "datasets", "lessons", "exercises")


class ManifestError(ValueError):
    """course/course.yml is malformed; the message names the module, the field and the fix."""


@dataclass(frozen=True)
class Exercise:
    """One graded notebook: nbgrader assignment ``assignment``, file ``notebook`` inside it."""

    assignment: str
    notebook: str

    def source(self, root: Path) -> Path:
        return root / "solutions" / self.assignment / self.notebook

    def release(self, root: Path) -> Path:
        return root / "exercises" / self.assignment / self.notebook


@dataclass(frozen=True)
class Module:
    id: str
    slug: str
    order: int
    title: str
    title_zh: str
    audience: str
    duration_minutes: int
    objectives: tuple[str, ...]
    datasets: tuple[str, ...]
    lessons: tuple[str, ...]
    exercises: tuple[Exercise, ...]

    def lesson_paths(self, root: Path) -> list[Path]:
        return [root / p for p in self.lessons]

    @property
    def assignments(self) -> list[str]:
        return sorted({e.assignment for e in self.exercises})


@dataclass(frozen=True)
class Course:
    root: Path
    title: str
    title_zh: str
    modules: tuple[Module, ...]

    def module(self, key: str) -> Module:
        """A module by id (``m3``) or slug (``m3_customer_grading``)."""
        for m in self.modules:
            if key in (m.id, m.slug):
                return m
        raise ManifestError(f"no module {key!r} in {MANIFEST}; modules are: "
                            + ", ".join(f"{m.id} ({m.slug})" for m in self.modules))

    def select(self, key: str | None) -> list[Module]:
        return list(self.modules) if key is None else [self.module(key)]

    def exercises(self, key: str | None = None) -> list[Exercise]:
        return [e for m in self.select(key) for e in m.exercises]

    def notebooks(self, key: str | None = None, releases: bool = False) -> list[Path]:
        """The course's notebooks in course order: the home (whole course only), each module's lessons and
        exercise sources, and with ``releases`` the student versions too."""
        paths = [self.root / "course" / "index.ipynb"] if key is None else []
        for m in self.select(key):
            paths += m.lesson_paths(self.root)
            paths += [e.source(self.root) for e in m.exercises]
            if releases:
                paths += [e.release(self.root) for e in m.exercises]
        return paths


def load_course(root: Path | None = None) -> Course:
    """Read and validate ``course/course.yml``."""
    root = root or project_root()
    path = root / MANIFEST
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path} is missing; restore it from git (`git checkout -- {MANIFEST}`)") from None
    except yaml.YAMLError as exc:
        raise ManifestError(f"{path} is not valid YAML: {exc}. Fix the indentation or quoting there") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("modules"), list):
        raise ManifestError(f"{path} must be a mapping with a 'modules:' list")
    modules = tuple(_module(m, i, path) for i, m in enumerate(raw["modules"]))
    _unique(modules, "id", path)
    _unique(modules, "slug", path)
    _unique(modules, "order", path)
    assignments = [e.assignment for m in modules for e in m.exercises]
    for a in set(assignments):
        owners = {m.id for m in modules for e in m.exercises if e.assignment == a}
        if len(owners) > 1:
            raise ManifestError(f"{path}: assignment {a!r} appears in modules {sorted(owners)}; give each its own")
    return Course(root=root, title=str(raw.get("title", "")), title_zh=str(raw.get("title_zh", "")),
                  modules=tuple(sorted(modules, key=lambda m: m.order)))


def _unique(modules: tuple[Module, ...], attr: str, path: Path) -> None:
    seen: dict[Any, str] = {}
    for m in modules:
        v = getattr(m, attr)
        if v in seen:
            raise ManifestError(f"{path}: modules {seen[v]} and {m.id} share {attr} {v!r}; make it unique")
        seen[v] = m.id


def _module(raw: Any, i: int, path: Path) -> Module:
    if not isinstance(raw, dict):
        raise ManifestError(f"{path}: module #{i + 1} must be a mapping of fields, got {type(raw).__name__}")
    name = raw.get("id", f"#{i + 1}")
    missing = [k for k in MODULE_KEYS if k not in raw]
    if missing:
        raise ManifestError(f"{path}: module {name} is missing field(s) {missing}")
    unknown = [k for k in raw if k not in MODULE_KEYS]
    if unknown:
        raise ManifestError(f"{path}: module {name} has unknown field(s) {unknown}; allowed: {list(MODULE_KEYS)}")

    def need(key: str, kind: type | tuple[type, ...]) -> Any:
        v = raw[key]
        if not isinstance(v, kind) or isinstance(v, bool):
            raise ManifestError(f"{path}: module {name}: field '{key}' must be {_kind_name(kind)}, got {v!r}")
        return v

    for key in ("id", "slug", "title", "title_zh", "audience"):
        need(key, str)
    for key in ("order", "duration_minutes"):
        need(key, int)
    for key in ("objectives", "datasets", "lessons", "exercises"):
        need(key, list)
    if raw["audience"] not in AUDIENCES:
        raise ManifestError(f"{path}: module {name}: audience must be one of {AUDIENCES}, got {raw['audience']!r}")
    if raw["duration_minutes"] <= 0:
        raise ManifestError(f"{path}: module {name}: duration_minutes must be positive")
    unknown_data = [d for d in raw["datasets"] if d not in DATASETS]
    if unknown_data:
        raise ManifestError(f"{path}: module {name}: unknown dataset(s) {unknown_data}; known: {list(DATASETS)}")
    prefix = f"course/modules/{raw['slug']}/"
    for lesson in raw["lessons"]:
        if not (isinstance(lesson, str) and lesson.startswith(prefix) and lesson.endswith(".ipynb")):
            raise ManifestError(f"{path}: module {name}: lesson {lesson!r} must be a notebook path under {prefix}")
    exercises = []
    for e in raw["exercises"]:
        if not (isinstance(e, dict) and set(e) == {"assignment", "notebook"}
                and all(isinstance(v, str) for v in e.values()) and e["notebook"].endswith(".ipynb")
                and "/" not in e["notebook"]):
            raise ManifestError(f"{path}: module {name}: each exercise needs 'assignment' (a folder name) and "
                                f"'notebook' (a .ipynb file name), got {e!r}")
        exercises.append(Exercise(e["assignment"], e["notebook"]))
    return Module(
        id=raw["id"], slug=raw["slug"], order=raw["order"], title=raw["title"], title_zh=raw["title_zh"],
        audience=raw["audience"], duration_minutes=raw["duration_minutes"],
        objectives=tuple(map(str, raw["objectives"])), datasets=tuple(raw["datasets"]),
        lessons=tuple(raw["lessons"]), exercises=tuple(exercises),
    )


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", list: "a list"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)
