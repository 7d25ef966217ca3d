"""The course manifest ``course/course.yml``: the single list of modules every tool reads."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..datasets import registry
from ..paths import EXERCISES_DIR, HOME, MANIFEST, MODULES_DIR, SOLUTIONS_DIR, TRAINER_DIR, project_root

AUDIENCES = ("students", "managers", "both")
QUESTION_KINDS = ("judgment", "analysis", "quiz", "written")
TIMING_KEYS = ("teaching", "practice", "exercise")
MODULE_KEYS = ("id", "slug", "package", "order", "title", "title_zh", "audience", "objectives", "prerequisites",
               "timing", "datasets", "lessons", "trainer_notes", "exercises", "syllabus")
#: fields a module may leave out, with what that means
OPTIONAL_KEYS = {"package": None, "prerequisites": [], "trainer_notes": None, "exercises": [], "syllabus": []}


class ManifestError(ValueError):
    """course/course.yml is malformed; the message names the module, the field and the fix."""


@dataclass(frozen=True)
class Question:
    """One question of an exercise: its id (``q3``), kind, points and a short title.

    ``kind`` is ``judgment`` (a sales decision or interpretation made with the kit's functions), ``analysis``
    (a calculation the student writes), ``quiz`` (choice, categorise, order, numeric) or ``written``
    (graded by the trainer with a rubric).  The exercise notebook's graded cells for the question have the
    ``grade_id`` ``<id>`` or ``<id>_<anything>``, and their points add up to ``points``.
    """

    id: str
    kind: str
    points: float
    title: str


@dataclass(frozen=True)
class Exercise:
    """One graded notebook: nbgrader assignment ``assignment``, file ``notebook`` inside it."""

    assignment: str
    notebook: str
    questions: tuple[Question, ...] = ()

    def source(self, root: Path) -> Path:
        return root / SOLUTIONS_DIR / self.assignment / self.notebook

    def release(self, root: Path) -> Path:
        return root / EXERCISES_DIR / self.assignment / self.notebook

    @property
    def points(self) -> float:
        return sum(q.points for q in self.questions)

    def points_by_kind(self) -> dict[str, float]:
        return {k: sum(q.points for q in self.questions if q.kind == k) for k in QUESTION_KINDS}


@dataclass(frozen=True)
class SyllabusItem:
    """One item of the module's section of the syllabus: where it is taught and which questions assess it.

    ``taught_in`` entries are ``<lesson file>`` or ``<lesson file>#<heading>`` (a heading of that lesson,
    written as in the notebook or as its anchor); ``assessed_by`` entries are question ids of the module's
    exercises.
    """

    item: str
    taught_in: tuple[str, ...]
    assessed_by: tuple[str, ...]


@dataclass(frozen=True)
class Module:
    id: str
    slug: str
    package: str | None
    order: float
    title: str
    title_zh: str
    audience: str
    objectives: tuple[str, ...]
    prerequisites: tuple[str, ...]
    timing: dict[str, int]
    datasets: tuple[str, ...]
    lessons: tuple[str, ...]
    trainer_notes: str | None
    exercises: tuple[Exercise, ...]
    syllabus: tuple[SyllabusItem, ...]

    def lesson_paths(self, root: Path) -> list[Path]:
        return [root / p for p in self.lessons]

    @property
    def duration_minutes(self) -> int:
        """Teaching, practice and exercise time together."""
        return sum(self.timing.values())

    @property
    def assignments(self) -> list[str]:
        return sorted({e.assignment for e in self.exercises})

    def questions(self) -> dict[str, Question]:
        return {q.id: q for e in self.exercises for q in e.questions}


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

    def packages(self) -> list[str]:
        """The subject packages the course's modules use (``customer_grading`` ...), in course order."""
        return list(dict.fromkeys(m.package for m in self.modules if m.package))

    def module_of(self, assignment: str) -> Module:
        """The module whose exercise is nbgrader assignment ``assignment``."""
        for m in self.modules:
            if assignment in m.assignments:
                return m
        raise ManifestError(f"no exercise with assignment {assignment!r} in {MANIFEST}; assignments are: "
                            + ", ".join(a for m in self.modules for a in m.assignments))

    def notebooks(self, key: str | None = None, releases: bool = False) -> list[Path]:
        """The course's notebooks in course order: the home (whole course only), each module's lessons and
        exercise sources, and with ``releases`` the student versions too."""
        paths = [self.root / HOME] if key is None else []
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
    ids = {m.id for m in modules}
    for m in modules:
        unknown = [p for p in m.prerequisites if p not in ids]
        if unknown:
            raise ManifestError(f"{path}: module {m.id}: unknown prerequisite(s) {unknown}; known modules: {sorted(ids)}")
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
    where = f"{path}: module {name}"
    missing = [k for k in MODULE_KEYS if k not in raw and k not in OPTIONAL_KEYS]
    if missing:
        raise ManifestError(f"{where} is missing field(s) {missing}")
    unknown = [k for k in raw if k not in MODULE_KEYS]
    if unknown:
        raise ManifestError(f"{where} has unknown field(s) {unknown}; allowed: {list(MODULE_KEYS)}")
    raw = {**{k: v for k, v in OPTIONAL_KEYS.items()}, **raw}

    def need(key: str, kind: type | tuple[type, ...]) -> Any:
        v = raw[key]
        if not isinstance(v, kind) or isinstance(v, bool):
            raise ManifestError(f"{where}: field '{key}' must be {_kind_name(kind)}, got {v!r}")
        return v

    for key in ("id", "slug", "title", "title_zh", "audience"):
        need(key, str)
    need("order", (int, float))
    for key in ("objectives", "prerequisites", "datasets", "lessons", "exercises", "syllabus"):
        need(key, list)
    need("timing", dict)
    for key in ("package", "trainer_notes"):
        if raw[key] is not None:
            need(key, str)
    if raw["package"] is not None and not re.fullmatch(r"[a-z][a-z0-9_]*", raw["package"]):
        raise ManifestError(f"{where}: package must be a subject package name such as customer_grading, "
                            f"got {raw['package']!r}")
    if raw["audience"] not in AUDIENCES:
        raise ManifestError(f"{where}: audience must be one of {AUDIENCES}, got {raw['audience']!r}")
    timing = _timing(raw["timing"], where)
    unknown_data = [d for d in raw["datasets"] if d not in registry()]
    if unknown_data:
        raise ManifestError(f"{where}: unknown dataset(s) {unknown_data}; known: {list(registry())}")
    prefix = f"{MODULES_DIR}/{raw['slug']}/"
    for lesson in raw["lessons"]:
        if not (isinstance(lesson, str) and lesson.startswith(prefix) and lesson.endswith(".ipynb")):
            raise ManifestError(f"{where}: lesson {lesson!r} must be a notebook path under {prefix}")
    if raw["trainer_notes"] is not None and not raw["trainer_notes"].startswith(f"{TRAINER_DIR}/"):
        raise ManifestError(f"{where}: trainer_notes must be a file under {TRAINER_DIR}/ (kept out of what "
                            f"students receive), got {raw['trainer_notes']!r}")
    exercises = tuple(_exercise(e, where) for e in raw["exercises"])
    qids = [q.id for e in exercises for q in e.questions]
    if len(qids) != len(set(qids)):
        raise ManifestError(f"{where}: question ids must be unique within the module, got {qids}")
    syllabus = tuple(_syllabus_item(s, where) for s in raw["syllabus"])
    return Module(
        id=raw["id"], slug=raw["slug"], package=raw["package"], order=raw["order"], title=raw["title"],
        title_zh=raw["title_zh"], audience=raw["audience"], objectives=tuple(map(str, raw["objectives"])),
        prerequisites=tuple(map(str, raw["prerequisites"])), timing=timing, datasets=tuple(raw["datasets"]),
        lessons=tuple(raw["lessons"]), trainer_notes=raw["trainer_notes"], exercises=exercises, syllabus=syllabus,
    )


def _timing(raw: Any, where: str) -> dict[str, int]:
    bad = [k for k in raw if k not in TIMING_KEYS]
    if bad:
        raise ManifestError(f"{where}: timing has unknown part(s) {bad}; use {list(TIMING_KEYS)} (minutes)")
    out = {k: raw.get(k, 0) for k in TIMING_KEYS}
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in out.values()) or not sum(out.values()):
        raise ManifestError(f"{where}: timing must give whole minutes >= 0 for {list(TIMING_KEYS)}, "
                            f"not all zero; got {raw!r}")
    return out


def _exercise(raw: Any, where: str) -> Exercise:
    if not (isinstance(raw, dict) and {"assignment", "notebook"} <= set(raw) <= {"assignment", "notebook", "questions"}
            and isinstance(raw["assignment"], str) and isinstance(raw["notebook"], str)
            and raw["notebook"].endswith(".ipynb") and "/" not in raw["notebook"]):
        raise ManifestError(f"{where}: each exercise needs 'assignment' (a folder name), 'notebook' (a .ipynb file "
                            f"name) and 'questions' (a list), got {raw!r}")
    questions = []
    for q in raw.get("questions") or []:
        ok = (isinstance(q, dict) and set(q) == {"id", "kind", "points", "title"} and isinstance(q["id"], str)
              and re.fullmatch(r"q\d+[a-z]?", q["id"]) and q["kind"] in QUESTION_KINDS
              and isinstance(q["points"], (int, float)) and not isinstance(q["points"], bool) and q["points"] > 0
              and isinstance(q["title"], str))
        if not ok:
            raise ManifestError(f"{where}: exercise {raw['assignment']}: each question needs id (q1, q2a ...), kind "
                                f"(one of {list(QUESTION_KINDS)}), points (> 0) and title; got {q!r}")
        questions.append(Question(q["id"], q["kind"], float(q["points"]), q["title"]))
    return Exercise(raw["assignment"], raw["notebook"], tuple(questions))


def _syllabus_item(raw: Any, where: str) -> SyllabusItem:
    if not (isinstance(raw, dict) and set(raw) <= {"item", "taught_in", "assessed_by"} and isinstance(raw.get("item"), str)
            and all(isinstance(raw.get(k, []), list) for k in ("taught_in", "assessed_by"))):
        raise ManifestError(f"{where}: each syllabus entry needs 'item' (text), 'taught_in' (lesson sections) and "
                            f"'assessed_by' (question ids), got {raw!r}")
    return SyllabusItem(raw["item"], tuple(map(str, raw.get("taught_in", []))), tuple(map(str, raw.get("assessed_by", []))))


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", list: "a list"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)
