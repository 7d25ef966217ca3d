"""The reception rule table: which recorded traits point to which reception type, kept as data.

A rule is a row ``type, when`` (plus optional ``reason`` and ``reason_zh``); ``when`` is one or more
conditions ``<trait> <op> <number>`` joined by ``and`` (ops ``>=``, ``<=``, ``>``, ``<``, ``==``), e.g.
``decision_speed >= 4 and confidence >= 4``.  For an "or", write two rows with the same type.  Rules are
tried **in the order of the table; the first rule that holds gives the type** (so order is a decision: put
what must be dealt with first, such as a grievance, at the top).  The kit's table is ``reception_rules.csv``
beside this file (kit assumption: its thresholds and order are the kit's own, see its ``reason`` column).

A table can be given as a CSV path, a DataFrame with columns ``type`` and ``when``, or a list of
``(type, when)`` pairs.  Every problem is reported at once, each with the row (and the CSV line) and a fix.
"""
from __future__ import annotations

import difflib
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .catalogue import TYPES
from .traits import TRAITS

__all__ = ["Condition", "Rule", "RuleTableError", "DEFAULT_RULES_FILE", "parse_when", "load_rules", "as_rules",
           "traits_used", "rules_frame", "keep_traits"]

DEFAULT_RULES_FILE = Path(__file__).with_name("reception_rules.csv")
OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq}
_CONDITION = re.compile(r"^\s*([A-Za-z_][\w]*)\s*(>=|<=|==|>|<|=>|=<|=)\s*(-?\d+(?:\.\d+)?)\s*$")


class RuleTableError(ValueError):
    """A rule table that cannot be used; ``problems`` lists each (where, what, fix) line."""

    def __init__(self, source: str, problems: list[str]):
        self.source, self.problems = source, problems
        super().__init__(f"{source}: {len(problems)} problem(s) in the reception rule table"
                         + "".join(f"\n  - {p}" for p in problems))


@dataclass(frozen=True)
class Condition:
    trait: str
    op: str
    value: float

    def holds(self, traits: pd.DataFrame) -> pd.Series:
        """True for the customers (rows of ``traits``) meeting this condition."""
        return OPS[self.op](traits[self.trait], self.value)

    def __str__(self) -> str:
        return f"{self.trait} {self.op} {self.value:g}"


@dataclass(frozen=True)
class Rule:
    type: str
    conditions: tuple[Condition, ...]
    reason: str = ""
    reason_zh: str = ""
    where: str = ""   # "reception_rules.csv, line 4" or "rule 3"

    @property
    def when(self) -> str:
        return " and ".join(str(c) for c in self.conditions)

    def holds(self, traits: pd.DataFrame) -> pd.Series:
        mask = pd.Series(True, index=traits.index)
        for c in self.conditions:
            mask &= c.holds(traits)
        return mask


def _range_problem(c: Condition) -> str | None:
    spec = TRAITS[c.trait]
    lo, hi, v = spec.low, spec.high, c.value
    never = {">=": v > hi, ">": v >= hi, "<=": v < lo, "<": v <= lo, "==": not (lo <= v <= hi) or v != int(v)}[c.op]
    always = {">=": v <= lo, ">": v < lo, "<=": v >= hi, "<": v > hi, "==": False}[c.op]
    if never:
        return f"`{c}` can never hold: {c.trait} runs from {lo} to {hi}"
    if always:
        return f"`{c}` holds for every customer: {c.trait} runs from {lo} to {hi}"
    return None


def parse_when(when: Any) -> tuple[Condition, ...]:
    """``"scepticism >= 4 and need_for_data >= 4"`` -> conditions; ValueError saying what is wrong and the fix."""
    if not isinstance(when, str) or not when.strip():
        raise ValueError(f"the condition is empty or not text ({when!r}); write e.g. \"scepticism >= 4\"")
    out = []
    for part in re.split(r"\s+and\s+", when.strip(), flags=re.IGNORECASE):
        m = _CONDITION.match(part)
        if not m:
            hint = " (use two rows for an 'or')" if re.search(r"\bor\b", part, re.IGNORECASE) else ""
            raise ValueError(f"cannot read `{part.strip()}`{hint}; write <trait> <op> <number>, e.g. "
                             "\"scepticism >= 4\", with op one of >=, <=, >, <, ==")
        trait, op, number = m.groups()
        op = {"=>": ">=", "=<": "<=", "=": "=="}.get(op, op)
        if trait not in TRAITS:
            close = difflib.get_close_matches(trait, TRAITS, n=1)
            hint = f"did you mean `{close[0]}`? " if close else ""
            raise ValueError(f"unknown trait `{trait}`; {hint}traits: {', '.join(TRAITS)}")
        c = Condition(trait, op, float(number))
        problem = _range_problem(c)
        if problem:
            raise ValueError(f"{problem}; pick a threshold inside the scale")
        out.append(c)
    return tuple(out)


def _rule(type_: Any, when: Any, reason: Any, reason_zh: Any, where: str, problems: list[str]) -> Rule | None:
    type_ = str(type_).strip() if isinstance(type_, str) else type_
    if type_ not in TYPES:
        close = difflib.get_close_matches(str(type_), TYPES, n=1)
        hint = f"did you mean `{close[0]}`? " if close else ""
        problems.append(f"{where}: `{type_}` is not a reception type. Fix: {hint}use one of {', '.join(TYPES)}")
        return None
    try:
        conditions = parse_when(when)
    except ValueError as exc:
        problems.append(f"{where} ({type_}): {exc}")
        return None
    text = lambda x: "" if x is None or (isinstance(x, float) and pd.isna(x)) else str(x).strip()  # noqa: E731
    return Rule(type_, conditions, text(reason), text(reason_zh), where)


def _finish(rules: list[Rule | None], problems: list[str], source: str) -> tuple[Rule, ...]:
    if not problems and not rules:
        problems.append("the table has no rules. Fix: add at least one row `type, when`")
    if problems:
        raise RuleTableError(source, problems)
    return tuple(r for r in rules if r is not None)


def load_rules(path: str | Path | None = None) -> tuple[Rule, ...]:
    """The rules of a CSV table (default: the kit's ``reception_rules.csv``), checked; RuleTableError if not usable."""
    file = Path(path) if path is not None else DEFAULT_RULES_FILE
    if not file.is_file():
        raise FileNotFoundError(f"{file}: no rule table here; check the path (the kit's own is {DEFAULT_RULES_FILE})")
    return _load_rules(str(file), file.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _load_rules(path: str, mtime_ns: int) -> tuple[Rule, ...]:  # noqa: ARG001 - the cache key
    file = Path(path)
    try:
        raw = pd.read_csv(file, dtype=str, keep_default_na=False, comment="#", skip_blank_lines=True)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise RuleTableError(str(file), [f"not a readable CSV file ({exc}). Fix: save it as UTF-8 CSV with the "
                                         "columns type,when,reason,reason_zh"]) from None
    missing = [c for c in ("type", "when") if c not in raw.columns]
    if missing:
        raise RuleTableError(str(file), [f"line 1: no column(s) {missing}. Fix: the header must be "
                                         "type,when,reason,reason_zh (reason columns optional)"])
    lines = _data_lines(file)
    problems: list[str] = []
    rules = [_rule(r["type"], r["when"], r.get("reason"), r.get("reason_zh"),
                   f"line {lines[i] if i < len(lines) else i + 2}", problems) for i, r in raw.iterrows()]
    return _finish(rules, problems, str(file))


def _data_lines(file: Path) -> list[int]:
    """The file line of each data row (skipping the header, comments and blank lines)."""
    out = []
    for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            out.append(n)
    return out[1:]


def as_rules(rules: Any = None) -> tuple[Rule, ...]:
    """Any accepted form of a rule table as checked rules: None (the kit's), a CSV path, a DataFrame, a list."""
    if rules is None or isinstance(rules, (str, Path)):
        return load_rules(rules)
    if isinstance(rules, pd.DataFrame):
        missing = [c for c in ("type", "when") if c not in rules.columns]
        if missing:
            raise RuleTableError("rule table", [f"no column(s) {missing}. Fix: a DataFrame with columns type, when"])
        rows: Iterable[tuple] = ((r["type"], r["when"], r.get("reason"), r.get("reason_zh"))
                                 for _, r in rules.iterrows())
    elif isinstance(rules, (list, tuple)):
        if rules and all(isinstance(r, Rule) for r in rules):
            return tuple(rules)
        rows = []
        problems = []
        for i, r in enumerate(rules, start=1):
            if isinstance(r, dict):
                rows.append((r.get("type"), r.get("when"), r.get("reason"), r.get("reason_zh")))
            elif isinstance(r, (list, tuple)) and len(r) in (2, 3, 4):
                rows.append(tuple(r) + (None,) * (4 - len(r)))
            else:
                problems.append(f"rule {i}: {r!r} is not a (type, when) pair. Fix: write it as "
                                "(\"sceptical\", \"scepticism >= 4\")")
        if problems:
            raise RuleTableError("rule table", problems)
    else:
        raise RuleTableError("rule table", [f"a {type(rules).__name__} is not a rule table. Fix: give a CSV path, "
                                            "a DataFrame with columns type and when, or a list of (type, when) pairs"])
    problems: list[str] = []
    out = [_rule(t, w, r, rz, f"rule {i}", problems) for i, (t, w, r, rz) in enumerate(rows, start=1)]
    return _finish(out, problems, "rule table")


def traits_used(rules: Iterable[Rule]) -> list[str]:
    """The trait columns a rule table needs, in the kit's trait order."""
    used = {c.trait for r in rules for c in r.conditions}
    return [t for t in TRAITS if t in used]


def rules_frame(rules: Any = None) -> pd.DataFrame:
    """The rule table as a frame to show: order, type, when, reason (numbered from 1 in the order tried)."""
    rs = as_rules(rules)
    return pd.DataFrame({"type": [r.type for r in rs], "when": [r.when for r in rs],
                         "reason": [r.reason for r in rs], "reason_zh": [r.reason_zh for r in rs]},
                        index=pd.RangeIndex(1, len(rs) + 1, name="order"))


def keep_traits(rules: Any, traits: Iterable[str]) -> tuple[Rule, ...]:
    """The rules of a table that use only ``traits`` (e.g. the few a team's visit form records), in their order."""
    allowed = set(traits)
    unknown = sorted(allowed - set(TRAITS))
    if unknown:
        raise ValueError(f"unknown trait(s) {unknown}; traits: {', '.join(TRAITS)}")
    kept = tuple(r for r in as_rules(rules) if {c.trait for c in r.conditions} <= allowed)
    if not kept:
        raise ValueError(f"no rule of the table uses only {sorted(allowed)}; record more traits or write rules for these")
    return kept
