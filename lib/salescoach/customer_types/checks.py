"""Public self-checks of exercise M4 "Customer types and reception 客户类型与接待".

One check per auto-graded question of ``solutions/m4_customer_types/m4_exercise.ipynb``.  They check the *form*
of an answer (known ids, a usable rule table, a complete role-play run) and say in plain words what to fix; they
never say which option is right.  The keys and the hidden test lists are in the source notebook only.

====  =============================================  ==================================================
q1    ``q1`` = {"e1": type, ... "e14": type}          the fourteen customers' reception types
q2    ``q2`` = {"e14": option, "e1": ..., ...}         the approach for five of them
q3    ``q3_rules`` (list of (type, when)),             the team memo as a rule table, a function that
      ``reception(customers)``, ``q3_plan``            assigns it to any customer list, and the team's plan
q4    ``q4`` = ["b", ...]                              your choices in the role-play picky-hotel
q5    ``q5`` = {"c1": option, ... "c4": option}        a visit plan for two lenses at once
====  =============================================  ==================================================
"""
from __future__ import annotations

import pickle
from functools import lru_cache
from typing import Any

import pandas as pd

from ..datasets import load
from ..quiz import form_problems, load_bank
from ..selfcheck import Answers, Fail, describe, register
from ..selfcheck.references import fresh, pickled
from . import analysis
from .catalogue import TYPE_CHINESE, TYPE_NAMES, TYPES
from .roleplay import load_scripts, replay
from .rules import RuleTableError, as_rules, traits_used

EXERCISE = "m4_customer_types"
#: the traits on the team's quick visit form (the exercise's customer list)
CRM_TRAITS = ("talkativeness", "decision_speed", "need_for_data", "scepticism", "complaints_12m")
#: the types the team memo names (Q3)
MEMO_TYPES = ("complaining", "sceptical", "analytical", "decisive", "methodical", "talkative", "taciturn")
Q1_ENTRIES = tuple(f"e{i}" for i in range(1, 15))
Q2_ENTRIES = ("e14", "e1", "e11", "e6", "e13")
Q5_CUSTOMERS = ("c1", "c2", "c3", "c4")
ROLEPLAY_SCRIPT = "picky-hotel"
#: names a student may write instead of the type ids
TYPE_ALIASES = {**{v: k for k, v in TYPE_CHINESE.items()}, **{v.lower(): k for k, v in TYPE_NAMES.items()},
                "self centred": "self-centred", "self-centered": "self-centred", "skeptical": "sceptical"}
_FORM_NOTE = "The form is right. Whether the answer is right is checked when your work is graded."


# --------------------------------------------------------------------------- references
@pickled
def _crm() -> pd.DataFrame:
    """The exercise's customer list: Zhou Ming's customers as the team's quick visit form records them."""
    return load("reception_traits").set_index("customer_id")[["name", "kind", *CRM_TRAITS]]


def crm() -> pd.DataFrame:
    return fresh(_crm())


@lru_cache(maxsize=1)
def _bank_pickled() -> bytes:
    return pickle.dumps(load_bank("m4_customer_types"), protocol=pickle.HIGHEST_PROTOCOL)


def quiz_item(item_id: str):
    """An item of the module's question bank (the exercise's items have hidden keys)."""
    return pickle.loads(_bank_pickled())[item_id]


def script():
    """The role-play script of Q4."""
    return load_scripts()[ROLEPLAY_SCRIPT]


def precompute() -> None:
    """Load everything the checks need once (the grader calls this before it forks per submission)."""
    _crm()
    _bank_pickled()
    script()


def normalise_type(x: Any) -> Any:
    """A type id from what a student may write: the id, its English name (any case) or its Chinese name."""
    if not isinstance(x, str):
        return x
    s = x.strip()
    return s if s in TYPES else TYPE_ALIASES.get(s, TYPE_ALIASES.get(s.lower(), s.lower()))


# --------------------------------------------------------------------------- shapes
def _answer_dict(x: Any, name: str, keys: tuple[str, ...], what: str, example: str) -> dict:
    expected = f"a dict with the keys {list(keys)}, each giving {what}, e.g. {example}"
    if not isinstance(x, dict):
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x),
                   hint="write it as {" + ", ".join(f'"{k}": ...' for k in keys[:2]) + ", ...}")
    missing = [k for k in keys if k not in x]
    extra = [k for k in x if k not in keys]
    if missing or extra:
        hint = "; ".join(p for p in (f"add {missing}" if missing else "", f"remove {extra}" if extra else "") if p)
        raise Fail(checked=f"`{name}`", expected=expected, given=f"keys {sorted(map(str, x))}",
                   hint=hint + "; keep the ids as written in the task")
    return x


def _quiz_form(item_id: str, answer: Any, name: str, expected: str) -> None:
    problems = form_problems(quiz_item(item_id), answer)
    if problems:
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(answer), hint="; ".join(problems))


# --------------------------------------------------------------------------- q1, q2
@register(EXERCISE, "q1", "name the type of fourteen customers", needs=("q1",),
          note="Graded with partial credit: half a point for each customer placed right.")
def q1(ans: Answers) -> str:
    d = _answer_dict(ans["q1"], "q1", Q1_ENTRIES, "a reception type id", '{"e1": "shrewd", ...}')
    answer = {k: normalise_type(v) for k, v in d.items()}
    _quiz_form("q1", answer, "q1", f"each value one of the type ids {list(TYPES)}")
    return _FORM_NOTE


@register(EXERCISE, "q2", "choose the approach for five customers", needs=("q2",),
          note="One point for each customer.")
def q2(ans: Answers) -> str:
    d = _answer_dict(ans["q2"], "q2", Q2_ENTRIES, "the letter of the option you choose", '{"e14": "a", ...}')
    for e in Q2_ENTRIES:
        value = d[e].strip().lower() if isinstance(d[e], str) else d[e]
        _quiz_form(f"q2-{e}", value, f'q2["{e}"]', 'one option letter as text: "a", "b" or "c"')
    return _FORM_NOTE


# --------------------------------------------------------------------------- q3
@register(EXERCISE, "q3", "the team memo as a rule table", needs=("q3_rules", "reception", "q3_plan"),
          note="The grader runs your function reception() on other customer lists too, one point per kind of case.")
def q3(ans: Answers) -> str:
    try:
        rules = as_rules(ans["q3_rules"])
    except RuleTableError as exc:
        raise Fail(checked="`q3_rules`", expected="a list of (type, when) pairs in the memo's order, e.g. "
                   '[("complaining", "complaints_12m >= 3"), ...]', given=describe(ans["q3_rules"]),
                   hint="; ".join(exc.problems)) from None
    off = [t for t in traits_used(rules) if t not in CRM_TRAITS]
    if off:
        raise Fail(checked="`q3_rules`", expected=f"rules that use only the traits on the team's form {list(CRM_TRAITS)}",
                   given=f"rules using {off}", hint="the team does not record those; follow the memo")
    named = {r.type for r in rules}
    missing = [t for t in MEMO_TYPES if t not in named]
    extra = sorted(named - set(MEMO_TYPES))
    if missing or extra:
        raise Fail(checked="`q3_rules`", expected=f"one rule (or more) for each type the memo names: {list(MEMO_TYPES)}",
                   given=f"rules for {sorted(named)}",
                   hint="; ".join(p for p in (f"add a rule for {missing}" if missing else "",
                                              f"the memo has no rule for {extra}" if extra else "") if p))
    expected = analysis.assign_reception(crm(), rules)
    _check_reception(ans["reception"], expected)
    plan = ans["q3_plan"]
    if not isinstance(plan, pd.DataFrame) or "type" not in plan.columns:
        raise Fail(checked="`q3_plan`", expected="the frame reception(crm) returns",
                   given=describe(plan), hint="set q3_plan = reception(crm)")
    if not plan["type"].reindex(expected.index).astype(str).equals(expected["type"].astype(str)):
        raise Fail(checked="`q3_plan`", expected="the plan your own rules give for the customer list `crm`",
                   given="a plan with other types", hint="set q3_plan = reception(crm) after the last change "
                   "to the rules (run the cell again)")
    counts = analysis.type_counts(expected)
    shown = ", ".join(f"{t} {n}" for t, n in counts.items() if n)
    return f"Your table is usable and names every type of the memo. On the team's list it gives: {shown}. {_FORM_NOTE}"


def _check_reception(reception: Any, expected: pd.DataFrame) -> None:
    """``reception(customers)`` must be a function that gives the plan of the student's own rule table."""
    if not callable(reception):
        raise Fail(checked="`reception`", expected="a function reception(customers) that returns a plan",
                   given=describe(reception), hint="define it with `def reception(customers):` as in the skeleton")
    try:
        got = reception(crm())
    except Exception as exc:  # noqa: BLE001 - any error of the student's function is reported in words
        raise Fail(checked="`reception(crm)`", expected="a plan for the team's list",
                   given=f"an error: {type(exc).__name__}: {exc}",
                   hint="call analysis.assign_reception(customers, rules=q3_rules) inside the function") from None
    if not isinstance(got, pd.DataFrame) or "type" not in got.columns:
        raise Fail(checked="`reception(crm)`", expected="the frame analysis.assign_reception returns",
                   given=describe(got), hint="return the result of analysis.assign_reception(customers, rules=q3_rules)")
    if not got["type"].reindex(expected.index).astype(str).equals(expected["type"].astype(str)):
        raise Fail(checked="`reception(crm)`", expected="the plan of your own rule table `q3_rules`",
                   given="a plan with other types", hint="use the customers passed in and rules=q3_rules in the "
                   "function, and run the cell again after each change to the rules")


# --------------------------------------------------------------------------- q4
@register(EXERCISE, "q4", "the role-play with Mr He (picky-hotel)", needs=("q4",),
          note="The grader replays your choices: points for a good outcome, and for the score you reach.")
def q4(ans: Answers) -> str:
    s = script()
    x = ans["q4"]
    expected = f"a list of {len(s.turns)} option letters, one per turn, e.g. {['a'] * len(s.turns)!r}"
    if isinstance(x, tuple):
        x = list(x)
    if not isinstance(x, list) or not all(isinstance(c, str) for c in x):
        raise Fail(checked="`q4`", expected=expected, given=describe(x),
                   hint="copy the line the role-play shows at the end of your run")
    try:
        run = replay(s, [c.strip().lower() for c in x])
    except ValueError as exc:
        raise Fail(checked="`q4`", expected=expected, given=describe(x), hint=str(exc)) from None
    if run.outcome == "unfinished":
        raise Fail(checked="`q4`", expected=expected, given=f"{len(x)} choice(s)",
                   hint=f"the script has {len(s.turns)} turns: give a choice for each")
    if len(x) > len(run.turns):
        raise Fail(checked="`q4`", expected=expected, given=f"{len(x)} choices",
                   hint=f"the run ends after turn {len(run.turns)}: remove the choices after it")
    return "Your run is complete; the grader replays it. " + _FORM_NOTE


# --------------------------------------------------------------------------- q5
@register(EXERCISE, "q5", "a visit plan for both lenses", needs=("q5",), note="One point for each customer.")
def q5(ans: Answers) -> str:
    d = _answer_dict(ans["q5"], "q5", Q5_CUSTOMERS, "the letter of the plan you choose", '{"c1": "a", ...}')
    for c in Q5_CUSTOMERS:
        value = d[c].strip().lower() if isinstance(d[c], str) else d[c]
        _quiz_form(f"q5-{c}", value, f'q5["{c}"]', 'one option letter as text: "a", "b" or "c"')
    return _FORM_NOTE
