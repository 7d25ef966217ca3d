"""Role-play: a scripted customer of one reception type reacts, turn by turn, to the approach the student picks.

Scripts are YAML files in ``roleplays/`` beside this module, one customer per file; the format, for trainers,
is in ``roleplays/README.md``.  Every file is checked when loaded and each problem is reported with the file,
the line (from the YAML node marks) and the fix.

Scoring (kit assumption): each option is worth 0 (backfires), 1 (acceptable) or 2 (the right approach for the
type).  The run's share is points / (2 x turns); **good** from 75%, **mixed** from 50%, **poor** below, and
always poor when the customer ends the meeting early (an option with ``ends: true``).

::

    scripts = load_scripts()
    run = RolePlay(scripts["sceptical-lab"])
    run.choose("b"); run.choose("a"); run.choose("c")
    run.result().outcome          # "good" | "mixed" | "poor"
    replay(scripts["sceptical-lab"], ["b", "a", "c"])   # the same, in one call (the exercise's grader uses it)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..quiz.model import Text
from ..quiz.yamlfile import BlockReader, Doc, Problem, parse_yaml, unique_ids
from .catalogue import CUSTOMER_KINDS, TYPES, card, type_label

__all__ = ["SCRIPTS_DIR", "OUTCOMES", "GOOD_SHARE", "MIXED_SHARE", "Option", "Turn", "Script", "ScriptFormatError",
           "TurnResult", "RunResult", "RolePlay", "parse_script", "load_script", "load_scripts", "replay",
           "outcome_of", "debrief_lines"]

SCRIPTS_DIR = Path(__file__).with_name("roleplays")
OUTCOMES = ("good", "mixed", "poor")
OUTCOME_NAMES = {"good": ("Good outcome", "结果良好"), "mixed": ("Mixed outcome", "结果一般"),
                 "poor": ("Poor outcome", "结果不佳"), "unfinished": ("Not finished yet", "尚未结束")}
#: kit assumption: the share of the possible points for a good and for a mixed outcome
GOOD_SHARE, MIXED_SHARE = 0.75, 0.5
POINTS = (0, 1, 2)
_SCRIPT_KEYS = ("id", "type", "kind", "title", "setting", "turns", "outcomes", "debrief", "tags")
_OPTION_KEYS = ("id", "say", "points", "reply", "why", "ends")


class ScriptFormatError(ValueError):
    """A role-play script that does not follow the format; ``problems`` lists each with its line and fix."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source, self.problems = source, problems
        super().__init__(f"{source}: {len(problems)} problem(s) in the role-play script"
                         + "".join(f"\n  - {p}" for p in problems))


@dataclass(frozen=True)
class Option:
    id: str
    say: Text        # what the salesperson says or does
    points: int      # 0 backfires, 1 acceptable, 2 the right approach for the type
    reply: Text      # how the customer reacts
    why: Text        # the debrief note: why it worked or not
    ends: bool = False  # the customer ends the meeting


@dataclass(frozen=True)
class Turn:
    customer: Text   # what the customer says or does before the salesperson answers
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option:
        for o in self.options:
            if o.id == option_id:
                return o
        raise KeyError(option_id)


@dataclass(frozen=True)
class Script:
    id: str
    type: str
    kind: str
    title: Text
    setting: Text
    turns: tuple[Turn, ...]
    outcomes: dict[str, Text]
    debrief: Text
    source: str = ""

    @property
    def max_points(self) -> int:
        return 2 * len(self.turns)

    def __repr__(self) -> str:
        return f"<role-play {self.id!r}: {type_label(self.type, 'en')}, {len(self.turns)} turns, from {self.source}>"


@dataclass(frozen=True)
class TurnResult:
    number: int      # 1-based
    customer: Text
    option: Option


@dataclass(frozen=True)
class RunResult:
    script: Script
    turns: tuple[TurnResult, ...]
    points: int
    share: float
    outcome: str
    walked_out: bool

    @property
    def choices(self) -> list[str]:
        return [t.option.id for t in self.turns]


# --------------------------------------------------------------------------- loading
def _bilingual(r: BlockReader, key: str, what: str) -> Text:
    t = r.text(key, required=True, what=what)
    if t and not t.zh:
        r.fail(key, f"`{key}` has no Chinese text", f'add zh: "..." under {key}: (every text is bilingual)')
    return t


def _option(doc: Doc, path: tuple, block: dict, where: str) -> Option:
    r = BlockReader(doc, path, block, where, _OPTION_KEYS)
    oid = r.ident()
    r.where = f"{where}, option {oid}"
    points = r.number("points", required=True)
    if points is not None and points not in POINTS:
        r.fail("points", f"`points: {points:g}` is not 0, 1 or 2",
               "use 2 for the right approach for this type, 1 for acceptable, 0 for one that backfires")
    ends = r.flag("ends")
    if ends and points:
        r.fail("ends", "an option that ends the meeting scores points", "give it points: 0, or remove `ends: true`")
    return Option(oid, _bilingual(r, "say", " (what the salesperson says)"), int(points or 0),
                  _bilingual(r, "reply", " (how the customer reacts)"), _bilingual(r, "why", " (the debrief note)"), ends)


def _turn(doc: Doc, path: tuple, block: dict, n: int) -> Turn:
    where = f"turn {n}"
    r = BlockReader(doc, path, block, where, ("customer", "options"))
    customer = _bilingual(r, "customer", " (what the customer says before you answer)")
    blocks = r.blocks("options", 3, "options")
    options = tuple(_option(doc, p, b, where) for p, b in blocks)
    unique_ids(r, [(p, o.id) for (p, _), o in zip(blocks, options)], "option")
    if len(options) > 4:
        r.fail("options", f"{len(options)} options", "offer 3 or 4 options a turn")
    if options and max(o.points for o in options) < 2:
        r.fail("options", "no option scores 2", "give the right approach for this type `points: 2`")
    return Turn(customer, options)


def parse_script(text: str, source: str = "<script>") -> Script:
    """A script from its YAML text; ScriptFormatError listing every problem with its line and fix."""
    try:
        doc = parse_yaml(text, source)
    except ValueError as exc:  # YAML syntax, already with its line and fix
        raise ScriptFormatError(source, list(getattr(exc, "problems", [])) or
                                [Problem(source, 0, "", str(exc), "fix the YAML")]) from None
    if not isinstance(doc.data, dict):
        raise ScriptFormatError(source, [Problem(source, doc.line(()), "", "the file is not a block of `key: value`",
                                                 "start with `id: ...` (see roleplays/README.md)")])
    r = BlockReader(doc, (), doc.data, "script", _SCRIPT_KEYS)
    sid = r.ident()
    stype = r.string("type", required=True)
    if stype and stype not in TYPES:
        r.fail("type", f"`type: {stype}` is not a reception type", f"use one of {', '.join(TYPES)}")
    kind = r.string("kind", required=True)
    if kind and kind not in CUSTOMER_KINDS:
        r.fail("kind", f"`kind: {kind}` is not a kind of customer", f"use one of {', '.join(CUSTOMER_KINDS)}")
    title = _bilingual(r, "title", " (the customer's name and role)")
    setting = _bilingual(r, "setting", " (what the student reads before the first turn)")
    blocks = r.blocks("turns", 3, "turns")
    if len(blocks) > 4:
        r.fail("turns", f"{len(blocks)} turns", "keep a script to 3 or 4 turns")
    turns = tuple(_turn(doc, p, b, n) for n, (p, b) in enumerate(blocks, start=1))
    outcomes = {}
    if not isinstance(doc.data.get("outcomes"), dict):
        r.fail(None if "outcomes" not in doc.data else "outcomes", "no `outcomes:` block",
               "add outcomes: with good:, mixed: and poor:, each {en: ..., zh: ...}: how the meeting ends")
    else:
        o = BlockReader(doc, ("outcomes",), doc.data["outcomes"], "outcomes", OUTCOMES)
        outcomes = {k: _bilingual(o, k, f" (how the meeting ends when the outcome is {k})") for k in OUTCOMES}
    debrief = _bilingual(r, "debrief", " (what works with this type and why)")
    if doc.problems:
        raise ScriptFormatError(source, doc.problems)
    return Script(sid, stype, kind, title, setting, turns, outcomes, debrief, source)


@lru_cache(maxsize=64)
def _load(path: str, mtime_ns: int) -> Script:  # noqa: ARG001 - the cache key
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScriptFormatError(path, [Problem(path, 0, "", "the file is not UTF-8 text",
                                               "save it as UTF-8 (most editors offer it under Save as)")]) from None
    return parse_script(text, path)


def load_script(path: str | Path) -> Script:
    """One script file, checked."""
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"{file}: no role-play script here; check the path (the kit's are in {SCRIPTS_DIR})")
    return _load(str(file), file.stat().st_mtime_ns)


def load_scripts(folder: str | Path | None = None) -> dict[str, Script]:
    """Every ``*.yml`` script of a folder (default: the kit's ``roleplays/``), by id, checked; sorted by type order."""
    root = Path(folder) if folder is not None else SCRIPTS_DIR
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no folder of role-play scripts here (the kit's is {SCRIPTS_DIR})")
    scripts: dict[str, Script] = {}
    for file in sorted(root.glob("*.yml")):
        s = load_script(file)
        if s.id in scripts:
            raise ScriptFormatError(str(file), [Problem(str(file), 1, "script", f"the id `{s.id}` is also used by "
                                                        f"{scripts[s.id].source}", "give each script its own id")])
        scripts[s.id] = s
    if not scripts:
        raise FileNotFoundError(f"{root}: holds no *.yml role-play script")
    return dict(sorted(scripts.items(), key=lambda kv: (TYPES.index(kv[1].type), kv[0])))


# --------------------------------------------------------------------------- playing
def outcome_of(points: int, max_points: int, walked_out: bool = False) -> str:
    """``good`` from 75% of the possible points, ``mixed`` from 50%, else ``poor``; a walk-out is always poor."""
    if walked_out or max_points <= 0:
        return "poor"
    share = points / max_points
    return "good" if share >= GOOD_SHARE - 1e-9 else "mixed" if share >= MIXED_SHARE - 1e-9 else "poor"


@dataclass
class RolePlay:
    """One run of a script: :meth:`choose` an option id each turn until :attr:`finished`, then :meth:`result`."""

    script: Script
    history: list[TurnResult] = field(default_factory=list)

    @property
    def walked_out(self) -> bool:
        return bool(self.history) and self.history[-1].option.ends

    @property
    def finished(self) -> bool:
        return self.walked_out or len(self.history) == len(self.script.turns)

    @property
    def turn(self) -> Turn | None:
        """The turn to answer now (None when finished)."""
        return None if self.finished else self.script.turns[len(self.history)]

    def choose(self, option_id: str) -> Option:
        """Answer the current turn with option ``option_id``; returns the option (its reply and why)."""
        turn = self.turn
        if turn is None:
            raise ValueError(f"the role-play {self.script.id!r} is over; start a new run to play again")
        key = str(option_id).strip().lower() if isinstance(option_id, str) else option_id
        try:
            option = turn.option(key)
        except KeyError:
            valid = ", ".join(repr(o.id) for o in turn.options)
            raise ValueError(f"turn {len(self.history) + 1} of {self.script.id!r} has no option {option_id!r}; "
                             f"choose one of {valid}") from None
        self.history.append(TurnResult(len(self.history) + 1, turn.customer, option))
        return option

    def result(self) -> RunResult:
        """The score and outcome so far (a run not yet finished is scored on the whole script)."""
        points = sum(t.option.points for t in self.history)
        share = points / self.script.max_points
        return RunResult(self.script, tuple(self.history), points, share,
                         outcome_of(points, self.script.max_points, self.walked_out) if self.finished else "unfinished",
                         self.walked_out)


def replay(script: Script, choices: list[str] | tuple[str, ...]) -> RunResult:
    """Play ``choices`` (one option id per turn) through ``script``; ValueError for a choice that is not an option.

    Choices after the customer ended the meeting are ignored; too few choices leave the run ``unfinished``.
    """
    if isinstance(choices, str) or not isinstance(choices, (list, tuple)):
        raise ValueError(f"choices must be a list of option ids, one per turn, e.g. ['b', 'a', 'c']; got {choices!r}")
    run = RolePlay(script)
    for c in choices:
        if run.finished:
            break
        run.choose(c)
    return run.result()


def debrief_lines(result: RunResult, lang: str = "en") -> list[str]:
    """The debrief in plain lines: score and outcome, then per turn what you said, the points and why; then the lesson."""
    s = result.script
    zh = lang == "zh"
    name = OUTCOME_NAMES.get(result.outcome, (result.outcome, result.outcome))[1 if zh else 0]
    head = (f"{name}：{result.points}/{s.max_points} 分" if zh else
            f"{name}: {result.points} of {s.max_points} points ({result.share:.0%})")
    lines = [head]
    if result.walked_out:
        lines.append("客户提前结束了会谈。" if zh else "The customer ended the meeting early.")
    for t in result.turns:
        label = f"第{t.number}轮" if zh else f"Turn {t.number}"
        lines.append(f"{label} ({t.option.id}, {t.option.points}/2): {t.option.why.get(lang)}")
    c = card(s.type)
    lines.append(("接待要点：" if zh else "The reception rule: ") + c.text("how", lang))
    lines.append(s.debrief.get(lang))
    return lines
