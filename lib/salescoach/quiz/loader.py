"""Reading question banks from YAML, checked on load: every problem names the file, the line and the fix.

The YAML itself is read by :mod:`.yamlfile` (the line of every node, texts as written); this module
turns its blocks into items, kind by kind, and finds bank files by path, folder, module slug or id.
All problems of a file are reported at once (:class:`QuizFormatError`).
"""
from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..paths import MODULES_DIR, project_root
from .model import KINDS, NO_TEXT, Bank, Bucket, Entry, Item, Option, RubricPoint, Step, Text
from .yamlfile import BlockReader, Doc, Path_, Problem, QuizFormatError, parse_yaml, unique_ids

__all__ = ["QuizFormatError", "Problem", "load_bank", "load_items", "parse_items", "bank_path", "course_banks",
           "validate_files"]

BANK_FILE = "quiz.yml"
_COMMON = ("id", "kind", "prompt", "title", "why", "hint", "tags", "key")
_KIND_KEYS = {
    "choice": ("options",),
    "multi": ("options",),
    "categorise": ("buckets", "entries"),
    "order": ("steps",),
    "numeric": ("answer", "tolerance", "unit"),
    "text": ("rubric", "model_answer", "pass_mark"),
}
_KIND_ALIASES = {"categorize": "categorise", "single": "choice", "mcq": "choice", "ordering": "order",
                 "number": "numeric", "short": "text", "short_answer": "text"}
_TOP_KEYS = ("module", "title", "items")


# --------------------------------------------------------------------------- items by kind
def _choices(r: BlockReader, kind: str, hidden: bool) -> dict[str, Any]:
    options = []
    for path, block in r.blocks("options", 2, "options"):
        o = BlockReader(r.doc, path, block, f"{r.where}, option {block.get('id', '?')}", ("id", "en", "zh", "correct", "why"))
        option = Option(o.ident(), o.label("option"), o.flag("correct"), o.text("why"))
        if hidden and (o.has("correct") or o.has("why")):
            o.fail("correct" if o.has("correct") else "why", "this item's key is hidden (`key: hidden`) but the "
                   "option says whether it is right", "remove `correct:` and `why:`; keep the key in the hidden tests")
        elif not hidden and not option.why:
            o.fail(None, "the option has no `why`", 'add why: {en: "...", zh: "..."} saying why it is right or wrong')
        options.append((path, option))
    unique_ids(r, [(p, o.id) for p, o in options], "option")
    right = sum(o.correct for _, o in options)
    if not hidden and options:
        if kind == "choice" and right != 1:
            r.fail("options", f"{right} options are marked `correct: true`; a choice item has exactly one",
                   "mark one option `correct: true`" + ("; for several right options use kind: multi" if right else ""))
        if kind == "multi" and right == 0:
            r.fail("options", "no option is marked `correct: true`", "mark every right option `correct: true`")
    return {"options": tuple(o for _, o in options)}


def _categorise(r: BlockReader, hidden: bool) -> dict[str, Any]:
    buckets = []
    for path, block in r.blocks("buckets", 2, "buckets"):
        b = BlockReader(r.doc, path, block, f"{r.where}, bucket {block.get('id', '?')}", ("id", "en", "zh", "why"))
        buckets.append((path, Bucket(b.ident(), b.label("bucket"), b.text("why"))))
    unique_ids(r, [(p, b.id) for p, b in buckets], "bucket")
    bucket_ids = [b.id for _, b in buckets]
    entries = []
    for path, block in r.blocks("entries", 1, "entries"):
        e = BlockReader(r.doc, path, block, f"{r.where}, entry {block.get('id', '?')}", ("id", "en", "zh", "bucket", "why"))
        entry = Entry(e.ident(), e.label("entry"), e.string("bucket") or None, e.text("why"))
        if hidden:
            if e.has("bucket") or e.has("why"):
                e.fail("bucket" if e.has("bucket") else "why", "this item's key is hidden (`key: hidden`) but the "
                       "entry names its bucket", "remove `bucket:` and `why:`; keep the key in the hidden tests")
            entry = Entry(entry.id, entry.text)
        else:
            if not entry.bucket:
                e.fail(None, "the entry has no `bucket`", f"add `bucket: <one of {', '.join(bucket_ids)}>`")
            elif bucket_ids and entry.bucket not in bucket_ids:
                close = difflib.get_close_matches(entry.bucket, bucket_ids, n=1)
                e.fail("bucket", f"`bucket: {entry.bucket}` is not one of the item's buckets",
                       (f"did you mean `{close[0]}`? " if close else "") + f"bucket ids: {', '.join(bucket_ids)}")
            if not entry.why:
                e.fail(None, "the entry has no `why`", 'add why: {en: "...", zh: "..."} saying why it goes there')
        entries.append((path, entry))
    unique_ids(r, [(p, e.id) for p, e in entries], "entry")
    return {"buckets": tuple(b for _, b in buckets), "entries": tuple(e for _, e in entries)}


def _order(r: BlockReader, hidden: bool) -> dict[str, Any]:
    steps = []
    for path, block in r.blocks("steps", 2, "steps"):
        s = BlockReader(r.doc, path, block, f"{r.where}, step {block.get('id', '?')}", ("id", "en", "zh", "why"))
        steps.append((path, Step(s.ident(), s.label("step"), s.text("why"))))
    unique_ids(r, [(p, s.id) for p, s in steps], "step")
    return {"steps": tuple(s for _, s in steps)}


def _numeric(r: BlockReader, hidden: bool) -> dict[str, Any]:
    if hidden:
        if r.has("answer"):
            r.fail("answer", "this item's key is hidden (`key: hidden`) but it gives the answer",
                   "remove `answer:`; keep it in the hidden tests")
        answer = None
    else:
        answer = r.number("answer", required=True)
    tolerance = r.number("tolerance", default=0.0)
    if tolerance is not None and tolerance < 0:
        r.fail("tolerance", "`tolerance` is negative", "write how far off an answer may be, e.g. tolerance: 0.01")
        tolerance = 0.0
    return {"answer": answer, "tolerance": tolerance or 0.0, "unit": r.string("unit")}


def _text_item(r: BlockReader, hidden: bool) -> dict[str, Any]:
    if hidden:
        for key in ("rubric", "model_answer"):
            if r.has(key):
                r.fail(key, f"this item's key is hidden (`key: hidden`) but it has a `{key}`",
                       f"remove `{key}:`; keep it in the solution's mark scheme")
        return {}
    points = []
    for path, block in r.blocks("rubric", 1, "rubric points"):
        p = BlockReader(r.doc, path, block, f"{r.where}, rubric point {path[-1] + 1}", ("keywords", "en", "zh"))
        words = p.value.get("keywords")
        if not isinstance(words, list) or not words:
            p.fail("keywords" if "keywords" in p.value else None, "the rubric point has no `keywords` list",
                   "add keywords: [word, another word, 中文词] (any one of them shows the point is made)")
            words = []
        raws = [r.doc.raw.get(path + ("keywords", i), str(w)).strip() for i, w in enumerate(words)]
        if any(isinstance(w, (dict, list)) for w in words) or any(not w for w in raws):
            p.fail("keywords", "a keyword is empty or not a plain word", "write keywords: [price, 价格]")
        points.append(RubricPoint(tuple(w for w in raws if w), p.label("rubric point")))
    pass_mark = r.number("pass_mark")
    if pass_mark is not None and not (1 <= pass_mark <= max(len(points), 1) and pass_mark == int(pass_mark)):
        r.fail("pass_mark", f"`pass_mark: {pass_mark:g}` is not a whole number from 1 to {len(points)}",
               "give how many rubric points make the answer right, or leave it out (all of them)")
        pass_mark = None
    return {"rubric": tuple(points), "model_answer": r.text("model_answer"),
            "pass_mark": int(pass_mark) if pass_mark is not None else None}


_BUILDERS: dict[str, Callable[..., dict[str, Any]]] = {
    "choice": lambda r, hidden: _choices(r, "choice", hidden),
    "multi": lambda r, hidden: _choices(r, "multi", hidden),
    "categorise": _categorise,
    "order": _order,
    "numeric": _numeric,
    "text": _text_item,
}


def _item(doc: Doc, path: Path_, block: dict[str, Any], index: int) -> Item | None:
    where = f"item {block.get('id', index + 1)}"
    head = BlockReader(doc, path, block, where, None)
    kind = head.string("kind", required=True).lower()
    kind = _KIND_ALIASES.get(kind, kind)
    if kind and kind not in KINDS:
        close = difflib.get_close_matches(kind, KINDS, n=1)
        head.fail("kind", f"`kind: {kind}` is not a kind of item",
                  (f"did you mean `{close[0]}`? " if close else "") + f"kinds: {', '.join(KINDS)}")
        kind = ""
    if kind:
        foreign = {k: other for other, keys in _KIND_KEYS.items() for k in keys if k not in _KIND_KEYS[kind]}
        r = BlockReader(doc, path, block, where, _COMMON + _KIND_KEYS[kind], foreign)
    else:
        r = BlockReader(doc, path, block, where, _COMMON + tuple(k for ks in _KIND_KEYS.values() for k in ks))
    ident = r.ident()
    key = r.string("key")
    if key and key != "hidden":
        r.fail("key", f"`key: {key}` is not understood", "write `key: hidden` for a graded exercise item, or leave it out")
    hidden = key == "hidden"
    tags = r.value.get("tags") or []
    if not isinstance(tags, list):
        r.fail("tags", "`tags` should be a list", "write tags: [pareto, abc]")
        tags = []
    fields: dict[str, Any] = {
        "id": ident, "kind": kind, "prompt": r.text("prompt", required=True), "title": r.text("title"),
        "why": r.text("why"), "hint": r.text("hint"), "key_hidden": hidden, "source": doc.source,
        "line": doc.line(path), "tags": tuple(str(t) for t in tags),
    }
    if hidden and r.has("why"):
        r.fail("why", "this item's key is hidden (`key: hidden`) but it has a `why`",
               "remove `why:`; explain the answer in the trainer notes or the feedback")
    if not kind:
        return None
    fields.update(_BUILDERS[kind](r, hidden))
    if kind in ("order", "numeric") and not hidden and not fields["why"]:
        r.fail(None, f"a{'n' if kind == 'order' else ''} {kind} item needs a `why` (shown after answering)",
               'add why: {en: "...", zh: "..."} explaining the right answer')
    return Item(**fields)


def parse_items(text: str, source: str = "<text>", *, bank: bool = False) -> Bank:
    """Items from YAML ``text`` (what :func:`load_items` does after reading the file)."""
    doc = parse_yaml(text, source)
    data = doc.data
    if isinstance(data, list):
        if bank:
            doc.add((), "", "the file is a bare list of items",
                    "start the file with `module: <id>` and put the list under `items:`")
        data = {"items": data}
    if not isinstance(data, dict):
        doc.add((), "", "the file holds no question bank", "write `module: m2` and `items:` with a list of items")
        raise QuizFormatError(source, doc.problems)
    if bank:
        BlockReader(doc, (), data, "", _TOP_KEYS)
    items_value = data.get("items")
    if not isinstance(items_value, list) or not items_value:
        doc.add(("items",) if "items" in data else (), "", "no items (`items:` with a list of questions)",
                "add `items:` followed by the questions, each starting with `- id: ...` and `kind: ...`")
    items: list[Item] = []
    for i, block in enumerate(items_value if isinstance(items_value, list) else []):
        if not isinstance(block, dict):
            doc.add(("items", i), "", f"item number {i + 1} is not a block of `key: value` lines",
                    "start each item with `- id: ...` and indent its other keys under it")
            continue
        item = _item(doc, ("items", i), block, i)
        if item is not None:
            items.append(item)
    seen: dict[str, int] = {}
    for item in items:
        if item.id in seen:
            doc.problems.append(Problem(source, item.line, f"item {item.id}", f"the id `{item.id}` is also used by "
                                f"the item on line {seen[item.id]}", "give every item its own id"))
        seen.setdefault(item.id, item.line)
    if doc.problems:
        raise QuizFormatError(source, sorted(doc.problems, key=lambda p: p.line))
    title = data.get("title")
    return Bank(tuple(items), module=str(data.get("module") or ""),
                title=Text(str(title)) if isinstance(title, str) else
                Text(str(title.get("en", "")), str(title.get("zh", ""))) if isinstance(title, dict) else NO_TEXT,
                source=source)


# --------------------------------------------------------------------------- files
def bank_path(path_or_slug: str | Path, root: Path | None = None) -> Path:
    """The file of a bank: a path to a YAML file or a folder holding ``quiz.yml``, or a module's slug or id.

    ``"m3_customer_grading"`` and ``"m3"`` both name ``course/modules/m3_customer_grading/quiz.yml`` under
    the kit's root (``root``, default: found as for :func:`salescoach.paths.project_root`).
    """
    p = Path(path_or_slug).expanduser()
    if p.suffix.lower() in (".yml", ".yaml") or p.is_file():
        if not p.is_file():
            raise FileNotFoundError(f"question bank {p} does not exist (looked in {p.resolve().parent})")
        return p
    if p.is_dir() and (p / BANK_FILE).is_file():
        return p / BANK_FILE
    slug = str(path_or_slug)
    modules = (root or project_root()) / MODULES_DIR
    exact = modules / slug / BANK_FILE
    if exact.is_file():
        return exact
    by_id = sorted(modules.glob(f"{slug}_*/{BANK_FILE}")) if re.fullmatch(r"m\d+[a-z]?", slug) else []
    if len(by_id) == 1:
        return by_id[0]
    known = sorted(f.parent.name for f in modules.glob(f"*/{BANK_FILE}"))
    raise FileNotFoundError(
        f"no question bank for {slug!r}: {exact} does not exist; modules with a {BANK_FILE}: "
        f"{', '.join(known) or '(none yet)'}. Give a module slug, a module id such as m3, or the path of a YAML file"
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QuizFormatError(str(path), [Problem(str(path), 0, "", f"the file is not UTF-8 text ({exc.reason})",
                                                  "save it as UTF-8 (any editor's 'Save with encoding')")]) from None


def load_bank(path_or_slug: str | Path, *, root: Path | None = None) -> Bank:
    """A module's question bank (``course/modules/<slug>/quiz.yml``), checked; see :func:`bank_path`.

    Raises :class:`QuizFormatError` listing every problem with its line and fix, ``FileNotFoundError``
    naming where it looked.
    """
    path = bank_path(path_or_slug, root)
    return _parse_cached(_read(path), str(path), True)


def load_items(path: str | Path) -> Bank:
    """Items from any YAML file in the bank format (a drill, a vignette set): ``items:`` or a bare list.

    Other top-level keys are left for the file's own use.  Raises :class:`QuizFormatError` like
    :func:`load_bank`.
    """
    p = Path(path).expanduser()
    if not p.is_file():
        raise FileNotFoundError(f"items file {p} does not exist (looked in {p.resolve().parent})")
    return _parse_cached(_read(p), str(p), False)


@functools.lru_cache(maxsize=64)
def _parse_cached(text: str, source: str, bank: bool) -> Bank:
    """Banks are immutable, so a lesson loading its bank in every cell parses the file once (per content)."""
    return parse_items(text, source, bank=bank)


def course_banks(root: Path | None = None) -> list[Path]:
    """Every module's question bank in the course (``course/modules/*/quiz.yml``), sorted."""
    return sorted(((root or project_root()) / MODULES_DIR).glob(f"*/{BANK_FILE}"))


def validate_files(paths: list[str | Path]) -> list[Problem]:
    """The problems of each file (none: all load).  Files named ``quiz.yml`` are read as module banks, others
    as item files (:func:`load_items`).  A missing file is a problem too."""
    problems: list[Problem] = []
    for path in map(Path, paths):
        try:
            if path.name == BANK_FILE:
                load_bank(path)
            else:
                load_items(path)
        except QuizFormatError as exc:
            problems += exc.problems
        except FileNotFoundError as exc:
            problems.append(Problem(str(path), 0, "", str(exc), "give the path of an existing YAML file"))
    return problems
