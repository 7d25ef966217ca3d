"""Reading question banks from YAML, checked on load: every problem names the file, the line and the fix.

A trainer edits these files by hand, so the loader reads them the way a
person means them: ids and texts are taken as written (``id: no`` stays the
text "no", not YAML's False; ``en: 2024`` stays "2024"), a duplicated key is
an error rather than a silent overwrite, and a misspelt key gets a "did you
mean".  All problems of a file are reported at once (:class:`QuizFormatError`).
"""
from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..paths import MODULES_DIR, project_root
from .model import KINDS, NO_TEXT, Bank, Bucket, Entry, Item, Option, RubricPoint, Step, Text

__all__ = ["QuizFormatError", "Problem", "load_bank", "load_items", "parse_items", "bank_path"]

BANK_FILE = "quiz.yml"
_ID = re.compile(r"^[\w.\-]{1,60}$")
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

Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a bank: where (file, line, which item), what, and how to fix it."""

    source: str
    line: int
    where: str
    problem: str
    fix: str

    def __str__(self) -> str:
        at = f"line {self.line}" if self.line else "top"
        ctx = f" ({self.where})" if self.where else ""
        return f"{self.source}, {at}{ctx}: {self.problem}. Fix: {self.fix}"


class QuizFormatError(ValueError):
    """A question bank that does not follow the format.  ``problems`` lists each with its line and fix."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        self.line = problems[0].line if problems else 0
        head = f"{source}: {len(problems)} problem(s) in the question bank"
        super().__init__(head + "".join(f"\n  - {p}" for p in problems))


# --------------------------------------------------------------------------- YAML with line numbers
@dataclass
class _Doc:
    """The parsed file: plain data plus the line of every node and the text of every scalar as written."""

    source: str
    data: Any = None
    lines: dict[Path_, int] = field(default_factory=dict)
    raw: dict[Path_, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, path: Path_) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 0)

    def add(self, path: Path_, where: str, problem: str, fix: str) -> None:
        self.problems.append(Problem(self.source, self.line(path), where, problem, fix))


def _yaml_error(source: str, exc: yaml.YAMLError) -> QuizFormatError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 0
    what = " ".join(str(getattr(exc, k, "") or "") for k in ("context", "problem")).strip() or str(exc)
    if "\\t" in what or "'\\t'" in str(exc) or "tab" in what:
        fix = "indent with spaces, never tabs"
    elif "mapping values are not allowed" in what:
        fix = 'a text containing ": " must be quoted, e.g. en: "Rule: keep the best customers"'
    elif "could not find expected ':'" in what or "simple key" in what:
        fix = "each line inside an item is `key: value`; check the indentation and the colon on this line"
    elif "found undefined alias" in what or "found character" in what:
        fix = 'quote the text (en: "...") so that *, &, @, ` or % at its start are read as text'
    else:
        fix = 'check the indentation and quote texts that contain ":", "#" or start with a special character'
    return QuizFormatError(source, [Problem(source, line, "", f"not valid YAML ({what})", fix)])


def _parse(text: str, source: str) -> _Doc:
    doc = _Doc(source)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            doc.data = None
            return doc
        doc.data = _walk(loader, node, (), doc)
    except yaml.YAMLError as exc:
        raise _yaml_error(source, exc) from None
    finally:
        loader.dispose()
    return doc


def _walk(loader: yaml.SafeLoader, node: yaml.Node, path: Path_, doc: _Doc) -> Any:
    doc.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
            if key in out:
                doc.lines[path + (key, "#dup")] = key_node.start_mark.line + 1
                doc.add(path + (key, "#dup"), "", f"the key `{key}` appears twice in the same block",
                        f"keep one `{key}:` (YAML would silently use the last one)")
            out[key] = _walk(loader, value_node, path + (key,), doc)
            doc.lines[path + (key,)] = key_node.start_mark.line + 1  # a list or block under a key: the key's line
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(loader, child, path + (i,), doc) for i, child in enumerate(node.value)]
    doc.raw[path] = str(node.value)
    return loader.construct_object(node, deep=True)


# --------------------------------------------------------------------------- reading fields
class _Reader:
    """Reads one block (an item, an option ...) of the parsed file, recording problems instead of raising."""

    def __init__(self, doc: _Doc, path: Path_, value: Any, where: str, allowed: tuple[str, ...] | None,
                 foreign: dict[str, str] | None = None):
        self.doc, self.path, self.where = doc, path, where
        self.value = value if isinstance(value, dict) else {}
        for key in self.value if allowed is not None else ():
            if key in allowed:
                continue
            if foreign and key in foreign:
                doc.add(path + (key,), where, f"`{key}` belongs to {foreign[key]} items",
                        f"remove `{key}:` or change `kind:` to {foreign[key]}")
                continue
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean `{close[0]}`? " if close else ""
            doc.add(path + (key,), where, f"unknown key `{key}`",
                    f"{hint}keys allowed here: {', '.join(allowed)}")

    def has(self, key: str) -> bool:
        return key in self.value and self.value[key] is not None

    def fail(self, key: str | None, problem: str, fix: str) -> None:
        self.doc.add(self.path + ((key,) if key else ()), self.where, problem, fix)

    def string(self, key: str, required: bool = False, default: str = "") -> str:
        if not self.has(key):
            if required:
                self.fail(None, f"no `{key}`", f"add `{key}: ...` to this block")
            return default
        value = self.value[key]
        if isinstance(value, (dict, list)):
            self.fail(key, f"`{key}` should be a single text, not a {'list' if isinstance(value, list) else 'block'}",
                      f"write `{key}: some text` on one line")
            return default
        return self.doc.raw.get(self.path + (key,), str(value)).strip()

    def ident(self, key: str = "id") -> str:
        value = self.string(key, required=True)
        if value and not _ID.match(value):
            self.fail(key, f"`{key}: {value}` is not a usable id",
                      "use letters, digits, '-', '_' or '.' only, no spaces (e.g. s1, basic, ladder-1)")
        return value

    def text(self, key: str, required: bool = False, what: str = "") -> Text:
        """``key: text`` (English only) or ``key: {en: ..., zh: ...}``."""
        if not self.has(key):
            if required:
                self.fail(None, f"no `{key}`{what}", f'add {key}: {{en: "...", zh: "..."}}')
            return NO_TEXT
        value = self.value[key]
        if isinstance(value, dict):
            sub = _Reader(self.doc, self.path + (key,), value, self.where, ("en", "zh"))
            text = Text(sub.string("en"), sub.string("zh"))
            if not text.en:
                sub.fail(None, f"`{key}` has no English text (`en:`)", f'add en: "..." under {key}:')
            return text
        if isinstance(value, list):
            self.fail(key, f"`{key}` should be a text, not a list", f'write {key}: {{en: "...", zh: "..."}}')
            return NO_TEXT
        return Text(self.string(key))

    def label(self, what: str) -> Text:
        """The ``en:``/``zh:`` of an option, bucket, entry or step, written directly in its block."""
        text = Text(self.string("en"), self.string("zh"))
        if not text.en:
            self.fail(None, f"{what} has no English text (`en:`)", f'add en: "..." to this {what}')
        return text

    def number(self, key: str, required: bool = False, default: float | None = None) -> float | None:
        if not self.has(key):
            if required:
                self.fail(None, f"no `{key}`", f"add `{key}: <number>` (e.g. {key}: 0.62)")
            return default
        value = self.value[key]
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(key, f"`{key}` should be a number", f"write `{key}: 0.62` (a number, no quotes)")
            return default
        try:
            out = float(str(self.doc.raw.get(self.path + (key,), value)).replace("_", ""))
        except ValueError:
            raw = self.doc.raw.get(self.path + (key,), str(value))
            fix = (f"write the fraction: {key}: {_pct_to_fraction(raw)}" if raw.strip().endswith("%")
                   else f"write `{key}: 0.62` (digits with a dot, no units or % sign)")
            self.fail(key, f"`{key}: {raw}` is not a number", fix)
            return default
        if not math.isfinite(out):
            self.fail(key, f"`{key}` must be a finite number", f"write a number such as `{key}: 0.62`")
            return default
        return out

    def flag(self, key: str) -> bool:
        if not self.has(key):
            return False
        value = self.value[key]
        if not isinstance(value, bool):
            self.fail(key, f"`{key}: {self.doc.raw.get(self.path + (key,), value)}` is not true or false",
                      f"write `{key}: true` or leave it out")
            return False
        return value

    def blocks(self, key: str, minimum: int, what: str) -> list[tuple[Path_, Any]]:
        if not self.has(key):
            self.fail(None, f"no `{key}` list", f"add `{key}:` with at least {minimum} {what}")
            return []
        value = self.value[key]
        if not isinstance(value, list):
            self.fail(key, f"`{key}` should be a list (each {what} on a line starting with '- ')",
                      f"write {key}:\\n  - {{id: ..., en: ...}}")
            return []
        if len(value) < minimum:
            self.fail(key, f"`{key}` has {len(value)} {what}, at least {minimum} are needed",
                      f"add {minimum - len(value)} more")
        out = []
        for i, block in enumerate(value):
            if not isinstance(block, dict):
                self.doc.add(self.path + (key, i), self.where, f"{what} number {i + 1} is not a block of `key: value`",
                             "write it as - {id: ..., en: \"...\", zh: \"...\"}")
                continue
            out.append((self.path + (key, i), block))
        return out


def _pct_to_fraction(raw: str) -> str:
    try:
        return f"{float(raw.strip().rstrip('%')) / 100:g}"
    except ValueError:
        return "0.62"


def _unique(reader: _Reader, ids: list[tuple[Path_, str]], what: str) -> None:
    seen: set[str] = set()
    for path, ident in ids:
        if ident and ident in seen:
            reader.doc.add(path, reader.where, f"two {what}s have the id `{ident}`", f"give each {what} its own id")
        seen.add(ident)


# --------------------------------------------------------------------------- items by kind
def _choices(r: _Reader, kind: str, hidden: bool) -> dict[str, Any]:
    options = []
    for path, block in r.blocks("options", 2, "options"):
        o = _Reader(r.doc, path, block, f"{r.where}, option {block.get('id', '?')}", ("id", "en", "zh", "correct", "why"))
        option = Option(o.ident(), o.label("option"), o.flag("correct"), o.text("why"))
        if hidden and (o.has("correct") or o.has("why")):
            o.fail("correct" if o.has("correct") else "why", "this item's key is hidden (`key: hidden`) but the "
                   "option says whether it is right", "remove `correct:` and `why:`; keep the key in the hidden tests")
        elif not hidden and not option.why:
            o.fail(None, "the option has no `why`", 'add why: {en: "...", zh: "..."} saying why it is right or wrong')
        options.append((path, option))
    _unique(r, [(p, o.id) for p, o in options], "option")
    right = sum(o.correct for _, o in options)
    if not hidden and options:
        if kind == "choice" and right != 1:
            r.fail("options", f"{right} options are marked `correct: true`; a choice item has exactly one",
                   "mark one option `correct: true`" + ("; for several right options use kind: multi" if right else ""))
        if kind == "multi" and right == 0:
            r.fail("options", "no option is marked `correct: true`", "mark every right option `correct: true`")
    return {"options": tuple(o for _, o in options)}


def _categorise(r: _Reader, hidden: bool) -> dict[str, Any]:
    buckets = []
    for path, block in r.blocks("buckets", 2, "buckets"):
        b = _Reader(r.doc, path, block, f"{r.where}, bucket {block.get('id', '?')}", ("id", "en", "zh", "why"))
        buckets.append((path, Bucket(b.ident(), b.label("bucket"), b.text("why"))))
    _unique(r, [(p, b.id) for p, b in buckets], "bucket")
    bucket_ids = [b.id for _, b in buckets]
    entries = []
    for path, block in r.blocks("entries", 1, "entries"):
        e = _Reader(r.doc, path, block, f"{r.where}, entry {block.get('id', '?')}", ("id", "en", "zh", "bucket", "why"))
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
    _unique(r, [(p, e.id) for p, e in entries], "entry")
    return {"buckets": tuple(b for _, b in buckets), "entries": tuple(e for _, e in entries)}


def _order(r: _Reader, hidden: bool) -> dict[str, Any]:
    steps = []
    for path, block in r.blocks("steps", 2, "steps"):
        s = _Reader(r.doc, path, block, f"{r.where}, step {block.get('id', '?')}", ("id", "en", "zh", "why"))
        steps.append((path, Step(s.ident(), s.label("step"), s.text("why"))))
    _unique(r, [(p, s.id) for p, s in steps], "step")
    return {"steps": tuple(s for _, s in steps)}


def _numeric(r: _Reader, hidden: bool) -> dict[str, Any]:
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


def _text_item(r: _Reader, hidden: bool) -> dict[str, Any]:
    if hidden:
        for key in ("rubric", "model_answer"):
            if r.has(key):
                r.fail(key, f"this item's key is hidden (`key: hidden`) but it has a `{key}`",
                       f"remove `{key}:`; keep it in the solution's mark scheme")
        return {}
    points = []
    for path, block in r.blocks("rubric", 1, "rubric points"):
        p = _Reader(r.doc, path, block, f"{r.where}, rubric point {path[-1] + 1}", ("keywords", "en", "zh"))
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


def _item(doc: _Doc, path: Path_, block: dict[str, Any], index: int) -> Item | None:
    where = f"item {block.get('id', index + 1)}"
    head = _Reader(doc, path, block, where, None)
    kind = head.string("kind", required=True).lower()
    kind = _KIND_ALIASES.get(kind, kind)
    if kind and kind not in KINDS:
        close = difflib.get_close_matches(kind, KINDS, n=1)
        head.fail("kind", f"`kind: {kind}` is not a kind of item",
                  (f"did you mean `{close[0]}`? " if close else "") + f"kinds: {', '.join(KINDS)}")
        kind = ""
    if kind:
        foreign = {k: other for other, keys in _KIND_KEYS.items() for k in keys if k not in _KIND_KEYS[kind]}
        r = _Reader(doc, path, block, where, _COMMON + _KIND_KEYS[kind], foreign)
    else:
        r = _Reader(doc, path, block, where, _COMMON + tuple(k for ks in _KIND_KEYS.values() for k in ks))
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
    doc = _parse(text, source)
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
        _Reader(doc, (), data, "", _TOP_KEYS)
    items_value = data.get("items")
    if not isinstance(items_value, list) or not items_value:
        doc.add(("items",) if "items" in data else (), "", "no items (`items:` with a list of questions)",
                "add items:\\n  - id: q1\\n    kind: choice\\n    ...")
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
    return parse_items(_read(path), str(path), bank=True)


def load_items(path: str | Path) -> Bank:
    """Items from any YAML file in the bank format (a drill, a vignette set): ``items:`` or a bare list.

    Other top-level keys are left for the file's own use.  Raises :class:`QuizFormatError` like
    :func:`load_bank`.
    """
    p = Path(path).expanduser()
    if not p.is_file():
        raise FileNotFoundError(f"items file {p} does not exist (looked in {p.resolve().parent})")
    return parse_items(_read(p), str(p))
