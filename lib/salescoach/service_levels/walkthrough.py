"""Branching complaint-handling walk-throughs 投诉处理, read from YAML a trainer can edit.

S0: events are the main source of moving service 令客户感动的服务, above all complaints; a complaint
handled well keeps the customer and can deepen the relationship.  A walk-through is a short
conversation in steps (nodes).  At each step the student picks what the rep does; each choice moves the
customer up or down the service ladder (``move``: -2 ... +2) and leads to the next step, until an end.
Below the ladder is ``lost`` 流失: the customer leaves.

The file format (one walk-through per file)::

    id: hotel-towels
    title: {en: "...", zh: "..."}
    customer: {en: "...", zh: "..."}
    start: {node: call, level: satisfactory}     # where the customer stands when the complaint comes in
    nodes:
      - id: call
        text: {en: "...", zh: "..."}
        choices:
          - {id: a, en: "...", zh: "...", move: -1, next: excuse, why: {en: "...", zh: "..."}}
          - ...
      - id: kept
        end: true
        text: {en: "...", zh: "..."}

:func:`load` checks everything (unknown keys, missing texts and whys, moves out of range, steps that
lead nowhere or cannot be reached, loops) and reports every problem with the file, the line and the
fix, in one :class:`WalkthroughError`.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..paths import project_root
from .analysis import LEVEL_CHINESE, LEVELS

#: Positions a customer can stand at: lost (below the ladder), then the four levels.
POSITIONS = ("lost", *LEVELS)
POSITION_CHINESE = {"lost": "流失", **LEVEL_CHINESE}
MAX_MOVE = 2
_ID = re.compile(r"^[\w.\-]{1,40}$")

__all__ = ["POSITIONS", "POSITION_CHINESE", "Choice", "Node", "Walkthrough", "WalkthroughError", "load", "parse",
           "walk", "paths", "best_path"]


class WalkthroughError(ValueError):
    """A walk-through file that does not follow the format; ``problems`` lists each with its line and fix."""

    def __init__(self, source: str, problems: list[str]):
        self.source, self.problems = source, problems
        super().__init__(f"{source}: {len(problems)} problem(s) in the walk-through" +
                         "".join(f"\n  - {p}" for p in problems))


@dataclass(frozen=True)
class Choice:
    id: str
    text: dict[str, str]
    move: int
    next: str
    why: dict[str, str]


@dataclass(frozen=True)
class Node:
    id: str
    text: dict[str, str]
    choices: tuple[Choice, ...]
    end: bool

    def choice(self, choice_id: str) -> Choice:
        for c in self.choices:
            if c.id == str(choice_id).strip():
                return c
        raise ValueError(f"step {self.id!r} has no choice {choice_id!r}; choices: {[c.id for c in self.choices]}")


@dataclass(frozen=True)
class Walkthrough:
    id: str
    title: dict[str, str]
    customer: dict[str, str]
    start: str
    start_level: str
    nodes: dict[str, Node]
    source: str = "<text>"

    def node(self, node_id: str) -> Node:
        if node_id not in self.nodes:
            raise ValueError(f"{self.source}: no step {node_id!r}; steps: {list(self.nodes)}")
        return self.nodes[node_id]


# --------------------------------------------------------------------------- YAML with line numbers
def _plain(node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> Any:
    """Python data from a composed YAML node (scalars as written, as text), recording each node's line."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for k, v in node.value:
            key = str(k.value)
            if key in out:
                raise _Duplicate(key, k.start_mark.line + 1)
            out[key] = _plain(v, (*path, key), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, (*path, i), lines) for i, v in enumerate(node.value)]
    return node.value


class _Duplicate(Exception):
    def __init__(self, key: str, line: int):
        self.key, self.line = key, line


class _Reader:
    """Collects problems with their lines while the file is turned into a :class:`Walkthrough`."""

    def __init__(self, source: str, lines: dict[tuple, int]):
        self.source, self.lines, self.problems = source, lines, []

    def add(self, path: tuple, where: str, problem: str, fix: str) -> None:
        while path and path not in self.lines:
            path = path[:-1]
        line = self.lines.get(path, 0)
        ctx = f" ({where})" if where else ""
        self.problems.append(f"{self.source}, line {line}{ctx}: {problem}. Fix: {fix}")

    def keys(self, block: dict, path: tuple, where: str, allowed: tuple[str, ...]) -> None:
        for key in block:
            if key not in allowed:
                near = difflib.get_close_matches(key, allowed, n=1)
                fix = f"did you mean `{near[0]}`?" if near else f"allowed keys here: {', '.join(allowed)}"
                self.add((*path, key), where, f"unknown key `{key}`", fix)

    def text(self, block: Any, path: tuple, where: str, what: str, required: bool = True) -> dict[str, str]:
        if block is None or block == "":
            if required:
                self.add(path, where, f"{what} is missing", f'add {path[-1] if path else what}: {{en: "...", zh: "..."}}')
            return {"en": "", "zh": ""}
        if isinstance(block, str):
            return {"en": block, "zh": ""}
        if isinstance(block, dict):
            self.keys(block, path, where, ("en", "zh"))
            if not str(block.get("en", "")).strip():
                self.add(path, where, f"{what} has no English text", 'write it as {en: "...", zh: "..."}')
            return {"en": str(block.get("en", "")), "zh": str(block.get("zh", ""))}
        self.add(path, where, f"{what} must be a text", 'write it as {en: "...", zh: "..."}')
        return {"en": "", "zh": ""}


def _choice(r: _Reader, c: Any, path: tuple, node_id: str) -> Choice | None:
    where = f"step {node_id}, choice {c.get('id', '?') if isinstance(c, dict) else '?'}"
    if not isinstance(c, dict):
        r.add(path, where, "a choice must be a block with id, en, zh, move, next and why",
              "write - {id: a, en: ..., zh: ..., move: 1, next: ..., why: {en: ..., zh: ...}}")
        return None
    r.keys(c, path, where, ("id", "en", "zh", "move", "next", "why"))
    cid = str(c.get("id", "")).strip()
    if not _ID.match(cid):
        r.add((*path, "id"), where, f"choice id {cid!r} is missing or not a short name", "use letters, digits, - or _")
    text = r.text({"en": c.get("en", ""), "zh": c.get("zh", "")}, path, where, "the choice's text")
    move = c.get("move")
    try:
        move_int = int(str(move))
    except ValueError:
        move_int = None
    if move_int is None or not -MAX_MOVE <= move_int <= MAX_MOVE:
        r.add((*path, "move"), where, f"move {move!r} is not a whole number from -{MAX_MOVE} to {MAX_MOVE}",
              "write how many levels the choice moves the customer: -2, -1, 0, 1 or 2")
        move_int = 0
    why = r.text(c.get("why"), (*path, "why"), where, "the choice's why")
    return Choice(cid, text, move_int, str(c.get("next", "")).strip(), why)


def _node(r: _Reader, n: Any, path: tuple) -> Node | None:
    if not isinstance(n, dict):
        r.add(path, "", "a step must be a block with id, text and choices (or end: true)",
              "start the step with - id: ...")
        return None
    nid = str(n.get("id", "")).strip()
    where = f"step {nid or '?'}"
    r.keys(n, path, where, ("id", "text", "choices", "end"))
    if not _ID.match(nid):
        r.add((*path, "id"), where, f"step id {nid!r} is missing or not a short name", "use letters, digits, - or _")
    text = r.text(n.get("text"), (*path, "text"), where, "the step's text")
    end = str(n.get("end", "false")).strip().lower() in ("true", "yes")
    raw = n.get("choices") or []
    if end and raw:
        r.add((*path, "choices"), where, "an end step has choices", "remove the choices or `end: true`")
    if not end and (not isinstance(raw, list) or len(raw) < 2):
        r.add(path, where, "a step that is not an end needs at least two choices", "add choices or write end: true")
        raw = raw if isinstance(raw, list) else []
    choices = [c for i, x in enumerate(raw) if (c := _choice(r, x, (*path, "choices", i), nid)) is not None]
    ids = [c.id for c in choices]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        r.add((*path, "choices"), where, f"choice id {dup!r} is used twice", "give each choice its own id")
    return Node(nid, text, tuple(choices), end)


def parse(text: str, source: str = "<text>") -> Walkthrough:
    """A :class:`Walkthrough` from YAML text; :class:`WalkthroughError` lists every problem with its line."""
    lines: dict[tuple, int] = {}
    try:
        composed = yaml.compose(text)
        data = _plain(composed, (), lines) if composed is not None else None
    except _Duplicate as d:
        raise WalkthroughError(source, [f"{source}, line {d.line}: the key `{d.key}` appears twice. "
                                        "Fix: keep one of them"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise WalkthroughError(source, [f"{source}, line {line}: not valid YAML ({getattr(exc, 'problem', exc)}). "
                                        "Fix: check the indentation (spaces, not tabs) and quote texts "
                                        "containing ': '"]) from None
    r = _Reader(source, lines)
    if not isinstance(data, dict):
        raise WalkthroughError(source, [f"{source}, line 1: the file must be a block with id, title, customer, "
                                        "start and nodes. Fix: see the format in salescoach/service_levels/"
                                        "walkthrough.py"])
    r.keys(data, (), "", ("id", "title", "customer", "start", "nodes"))
    title = r.text(data.get("title"), ("title",), "", "the title")
    customer = r.text(data.get("customer"), ("customer",), "", "the customer")
    start = data.get("start") if isinstance(data.get("start"), dict) else {}
    if not start:
        r.add(("start",), "", "no start", "write start: {node: <first step id>, level: satisfactory}")
    r.keys(start, ("start",), "start", ("node", "level"))
    level = str(start.get("level", "")).strip()
    if start and level not in POSITIONS:
        near = difflib.get_close_matches(level, POSITIONS, n=1)
        r.add(("start", "level"), "start", f"level {level!r} is not a place on the ladder",
              f"did you mean `{near[0]}`?" if near else f"use one of {', '.join(POSITIONS)}")
    raw_nodes = data.get("nodes") if isinstance(data.get("nodes"), list) else []
    if not raw_nodes:
        r.add(("nodes",), "", "no steps", "list the steps under nodes:")
    nodes: dict[str, Node] = {}
    for i, n in enumerate(raw_nodes):
        node = _node(r, n, ("nodes", i))
        if node is None:
            continue
        if node.id in nodes:
            r.add(("nodes", i, "id"), f"step {node.id}", f"step id {node.id!r} is used twice", "rename one of them")
        nodes[node.id] = node
    _links(r, nodes, raw_nodes, str(start.get("node", "")).strip())
    if r.problems:
        raise WalkthroughError(source, r.problems)
    return Walkthrough(str(data.get("id", "walkthrough")), title, customer, str(start["node"]).strip(), level,
                       nodes, source)


def _links(r: _Reader, nodes: dict[str, Node], raw: list, start: str) -> None:
    """Every `next` names a step, the start exists, every step is reachable, every path ends, no loops."""
    where_of = {n.get("id"): ("nodes", i) for i, n in enumerate(raw) if isinstance(n, dict)}
    if start and start not in nodes:
        near = difflib.get_close_matches(start, list(nodes), n=1, cutoff=0.5)
        r.add(("start", "node"), "start", f"the start step {start!r} does not exist",
              f"did you mean `{near[0]}`?" if near else f"use one of {', '.join(nodes)}")
    for node in nodes.values():
        for j, c in enumerate(node.choices):
            if c.next not in nodes:
                near = difflib.get_close_matches(c.next, list(nodes), n=1, cutoff=0.5)
                r.add((*where_of.get(node.id, ()), "choices", j, "next"), f"step {node.id}, choice {c.id}",
                      f"next: {c.next!r} is not a step", f"did you mean `{near[0]}`?" if near else
                      f"use one of {', '.join(nodes)}")
    if r.problems or start not in nodes:
        return
    seen, on_path = set(), set()

    def visit(nid: str) -> None:
        seen.add(nid)
        on_path.add(nid)
        for c in nodes[nid].choices:
            if c.next in on_path:
                r.add((*where_of.get(nid, ()), "choices"), f"step {nid}, choice {c.id}",
                      f"next: {c.next!r} leads back to an earlier step (a loop)",
                      "a complaint moves on: point the choice to a later step or an end")
            elif c.next not in seen:
                visit(c.next)
        on_path.discard(nid)

    visit(start)
    for nid in nodes:
        if nid not in seen:
            r.add(where_of.get(nid, ()), f"step {nid}", "no choice leads to this step", "link it from a choice or remove it")


# --------------------------------------------------------------------------- loading and walking
def load(path: str | Path) -> Walkthrough:
    """Read and check a walk-through file (errors name the file, the line and the fix).

    A relative ``path`` that does not exist from the current folder is looked up under the kit's root, so
    ``load("course/modules/m2_service_levels/complaint_hotel.yml")`` works from any lesson.
    """
    p = Path(path)
    if not p.is_absolute() and not p.exists():
        try:
            p = project_root() / p
        except FileNotFoundError:
            pass
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise WalkthroughError(str(p), [f"{p}: cannot read the file ({exc.strerror}). Fix: check the path"]) from None
    return parse(text, str(p))


def _position(level: str, move: int) -> str:
    i = POSITIONS.index(level) + move
    return POSITIONS[max(0, min(len(POSITIONS) - 1, i))]


def walk(w: Walkthrough, choices: list[str]) -> pd.DataFrame:
    """The steps taken when the rep makes ``choices`` (choice ids, one per step) from the start.

    One row per choice: ``step``, ``choice``, ``move``, ``before``, ``after`` (places on the ladder,
    "lost" below basic; the ladder's ends hold), ``next``.  Stopping before an end is allowed; choosing
    after an end or an unknown choice raises ValueError.
    """
    if isinstance(choices, str):
        choices = [choices]
    rows, nid, level = [], w.start, w.start_level
    for k, cid in enumerate(choices):
        node = w.node(nid)
        if node.end:
            raise ValueError(f"choice {k + 1} ({cid!r}) comes after the end step {nid!r}; the walk-through is over")
        c = node.choice(cid)
        after = _position(level, c.move)
        rows.append({"step": nid, "choice": c.id, "move": c.move, "before": level, "after": after, "next": c.next})
        nid, level = c.next, after
    return pd.DataFrame(rows, columns=["step", "choice", "move", "before", "after", "next"])


def paths(w: Walkthrough) -> pd.DataFrame:
    """Every path from the start to an end: ``choices`` (ids joined by " > "), ``end`` step, final ``level``."""
    out = []

    def go(nid: str, level: str, taken: list[str]) -> None:
        node = w.nodes[nid]
        if node.end:
            out.append({"choices": " > ".join(taken), "end": nid, "level": level})
            return
        for c in node.choices:
            go(c.next, _position(level, c.move), [*taken, c.id])

    go(w.start, w.start_level, [])
    table = pd.DataFrame(out)
    table["rank"] = table["level"].map(POSITIONS.index)
    return table.sort_values("rank", ascending=False, kind="mergesort").drop(columns="rank").reset_index(drop=True)


def best_path(w: Walkthrough) -> list[str]:
    """The choices of a path that ends highest on the ladder (the first such path in file order)."""
    return paths(w)["choices"].iloc[0].split(" > ")
