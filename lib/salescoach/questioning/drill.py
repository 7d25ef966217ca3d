"""The questioning drill's scripted customers: scenarios from YAML, and a conversation that answers each question.

A :class:`Conversation` takes the salesperson's questions one by one
(:meth:`Conversation.ask`), classifies each, answers with the scenario's next
reply for that question type (a vague reply is explained when the next
question is clarifying), records proposals (:meth:`Conversation.propose`) and
keeps the moves as a frame for :mod:`.analysis` (``balance_remarks``).

Scenario files (the default ships beside this module, ``drill_scenarios.yml``)
are checked on load; a mistake is reported with the file, the scenario, the
key and the fix.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import analysis
from .classifier import TYPES, Classification, classify_question

DEFAULT_FILE = Path(__file__).with_name("drill_scenarios.yml")
LANGS = ("en", "zh")


class ScenarioError(ValueError):
    """A drill scenario file is malformed; the message names the file, the place and the fix."""


@dataclass(frozen=True)
class Reply:
    en: str
    zh: str
    vague: bool = False
    clarified: tuple[str, str] | None = None

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Scenario:
    id: str
    title: dict[str, str]
    setting: dict[str, str]
    opening: dict[str, str]
    replies: dict[str, tuple[Reply, ...]]
    proposal: dict[str, dict[str, str]]


def _text(node: Any, where: str, file: Path) -> dict[str, str]:
    if not isinstance(node, dict) or not all(isinstance(node.get(k), str) and node[k].strip() for k in LANGS):
        raise ScenarioError(f"{file}: {where}: needs both languages, e.g. {{en: \"...\", zh: \"...\"}}; "
                            f"got {node!r:.80}")
    return {k: node[k].strip() for k in LANGS}


def _reply(node: Any, where: str, file: Path) -> Reply:
    t = _text(node, where, file)
    vague = bool(node.get("vague", False))
    clarified = None
    if vague:
        if "clarified" not in node:
            raise ScenarioError(f"{file}: {where}: a vague reply needs 'clarified: {{en: ..., zh: ...}}', what the "
                                "customer says when asked what they meant")
        c = _text(node["clarified"], where + ".clarified", file)
        clarified = (c["en"], c["zh"])
    return Reply(t["en"], t["zh"], vague, clarified)


def _scenario(node: Any, i: int, file: Path) -> Scenario:
    if not isinstance(node, dict) or not isinstance(node.get("id"), str):
        raise ScenarioError(f"{file}: scenario #{i + 1}: needs an 'id' (a short name such as corner-shop)")
    sid = node["id"]
    where = f"scenario {sid!r}"
    for key in ("title", "setting", "opening", "replies", "proposal"):
        if key not in node:
            raise ScenarioError(f"{file}: {where}: missing '{key}'; see the comment at the top of "
                                f"{DEFAULT_FILE.name} for the format")
    replies = node["replies"]
    if not isinstance(replies, dict) or set(replies) != set(TYPES):
        got = sorted(replies) if isinstance(replies, dict) else replies
        raise ScenarioError(f"{file}: {where}: 'replies' needs a list for each type {list(TYPES)}; got {got}")
    parsed = {}
    for t in TYPES:
        if not isinstance(replies[t], list) or not replies[t]:
            raise ScenarioError(f"{file}: {where}: replies.{t} must be a list with at least one reply")
        parsed[t] = tuple(_reply(r, f"{where}: replies.{t}[{j}]", file) for j, r in enumerate(replies[t]))
    prop = node["proposal"]
    if not isinstance(prop, dict) or not {"consulted", "unconsulted"} <= set(prop):
        raise ScenarioError(f"{file}: {where}: 'proposal' needs 'consulted' and 'unconsulted' replies")
    return Scenario(sid, _text(node["title"], f"{where}: title", file), _text(node["setting"], f"{where}: setting", file),
                    _text(node["opening"], f"{where}: opening", file), parsed,
                    {k: _text(prop[k], f"{where}: proposal.{k}", file) for k in ("consulted", "unconsulted")})


def load_scenarios(path: str | Path | None = None) -> dict[str, Scenario]:
    """The scenarios of a drill file (default: the kit's own), by id."""
    file = Path(path) if path is not None else DEFAULT_FILE
    if not file.is_file():
        raise FileNotFoundError(f"{file}: no drill scenario file here; check the path (the kit's own is {DEFAULT_FILE})")
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{file}: not valid YAML: {exc}. Fix the indentation or quoting there") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("scenarios"), list) or not raw["scenarios"]:
        raise ScenarioError(f"{file}: needs a top-level 'scenarios:' list with at least one scenario")
    out: dict[str, Scenario] = {}
    for i, node in enumerate(raw["scenarios"]):
        s = _scenario(node, i, file)
        if s.id in out:
            raise ScenarioError(f"{file}: two scenarios have the id {s.id!r}; give each its own")
        out[s.id] = s
    return out


@dataclass
class Turn:
    """What happened on one move: the classification (None for a proposal), the customer's reply, new remarks."""

    text: str
    classification: Classification | None
    reply: str
    vague: bool
    remarks: list[analysis.Remark] = field(default_factory=list)


class Conversation:
    """A drill conversation with one scripted customer, in English (``lang="en"``) or Chinese (``"zh"``)."""

    def __init__(self, scenario: Scenario, lang: str = "en"):
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
        self.scenario, self.lang = scenario, lang
        self._moves: list[dict] = []
        self._used = {t: 0 for t in TYPES}
        self._pending: Reply | None = None  # the last reply, if vague and not yet clarified

    @property
    def turns(self) -> pd.DataFrame:
        """The moves so far, in the form :func:`analysis.conversation` builds."""
        return analysis.conversation(self._moves)

    def remarks(self) -> list[analysis.Remark]:
        return analysis.balance_remarks(self.turns)

    def _next_reply(self, qtype: str) -> tuple[str, bool]:
        if qtype == "clarifying" and self._pending is not None:
            en, zh = self._pending.clarified or (self._pending.en, self._pending.zh)
            self._pending = None
            return (zh if self.lang == "zh" else en), False
        options = self.scenario.replies[qtype]
        reply = options[min(self._used[qtype], len(options) - 1)]
        self._used[qtype] += 1
        self._pending = reply if reply.vague else None
        return reply.text(self.lang), reply.vague

    def _record(self, move: dict) -> list[analysis.Remark]:
        before = {(r.rule, r.move) for r in self.remarks()}
        self._moves.append(move)
        return [r for r in self.remarks() if (r.rule, r.move) not in before]

    def ask(self, text: str) -> Turn:
        """Ask one question; ValueError (from the classifier) for an empty one."""
        c = classify_question(text)
        reply, vague = self._next_reply(c.type)
        new = self._record({"kind": "question", "text": text, "type": c.type, "answer": reply, "vague": vague})
        return Turn(text, c, reply, vague, new)

    def propose(self, text: str = "") -> Turn:
        """Make a proposal; the customer accepts readily only if a consultative question came first."""
        text = text.strip() or ("(proposes a solution)" if self.lang == "en" else "（提出方案）")
        consulted = any(m["kind"] == "question" and m["type"] == "consultative" for m in self._moves)
        reply = self.scenario.proposal["consulted" if consulted else "unconsulted"][self.lang]
        self._pending = None
        new = self._record({"kind": "proposal", "text": text, "answer": reply, "vague": False})
        return Turn(text, None, reply, False, new)
