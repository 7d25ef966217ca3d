"""YAML as a trainer writes it, read with the line of every node, and the readers that turn its blocks into fields.

Texts are taken as written (``id: no`` stays "no", ``en: 2024`` stays "2024"); a duplicated key is an
error, not a silent overwrite; a misspelt key gets a "did you mean".  Problems are collected, not raised
one at a time, so a trainer sees every mistake of a file at once (:class:`QuizFormatError`).
"""
from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .model import NO_TEXT, Text

__all__ = ["Problem", "QuizFormatError", "Doc", "BlockReader", "parse_yaml", "unique_ids"]

_ID = re.compile(r"^[\w.\-]{1,60}$")
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
class Doc:
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


def parse_yaml(text: str, source: str) -> Doc:
    doc = Doc(source)
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


def _walk(loader: yaml.SafeLoader, node: yaml.Node, path: Path_, doc: Doc) -> Any:
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
class BlockReader:
    """Reads one block (an item, an option ...) of the parsed file, recording problems instead of raising."""

    def __init__(self, doc: Doc, path: Path_, value: Any, where: str, allowed: tuple[str, ...] | None,
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
            sub = BlockReader(self.doc, self.path + (key,), value, self.where, ("en", "zh"))
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
                      f"write `{key}:` and under it one `- {{id: ..., en: ...}}` line per {what[:-1] if what.endswith('s') else what}")
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


def unique_ids(reader: BlockReader, ids: list[tuple[Path_, str]], what: str) -> None:
    seen: set[str] = set()
    for path, ident in ids:
        if ident and ident in seen:
            reader.doc.add(path, reader.where, f"two {what}s have the id `{ident}`", f"give each {what} its own id")
        seen.add(ident)


