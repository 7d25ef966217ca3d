"""Public self-checks of exercise M5 "Questioning styles and discovering needs 提问的方式".

One check per auto-graded question of ``solutions/m5_questioning/m5_exercise.ipynb``.
They check the *form* of an answer (the right keys, known option ids, real
questions) and say in plain words what to fix; they never reveal which option
is right.  Q2's check also shows how the kit's classifier reads each of the
student's questions, so the student can rewrite a question that does not yet
read as its type.  Hidden tests are in the source notebook only.

====  ===========================================  ==========================
q1    ``q1`` = {"a": type, ... "f": type}          the six questions' types
q2    ``q2`` = {type: "your question", ...}        one question of each type
q4    ``q4`` = {"d1": option, ... "d4": option}    the next question to ask
q5    ``q5`` = {"s1": channel, ... "s5": channel}  how each need was learned
====  ===========================================  ==========================
"""
from __future__ import annotations

from typing import Any

from ..datasets.ka_needs import NEED_SOURCES, SOURCE_CHINESE
from ..selfcheck import Answers, Fail, describe, register, shapes
from .classifier import TYPE_CHINESE, TYPE_NAMES, TYPES, classify_question

EXERCISE = "m5_questioning"
Q1_ITEMS = ("a", "b", "c", "d", "e", "f")
Q4_DIALOGUES = ("d1", "d2", "d3", "d4")
Q4_OPTIONS = ("a", "b", "c", "d")
Q5_ITEMS = ("s1", "s2", "s3", "s4", "s5")
#: Chinese names and English names a student may type instead of the ids
TYPE_ALIASES = {**{v: k for k, v in TYPE_CHINESE.items()}, **{v: k for k, v in TYPE_NAMES.items()},
                "opinion-giving question": "opinion", "open": "descriptive", "yes/no": "closed"}
SOURCE_ALIASES = {v: k for k, v in SOURCE_CHINESE.items()}


def _answer_dict(x: Any, name: str, keys: tuple[str, ...], what: str, example: str) -> dict:
    expected = f"a dict with the keys {list(keys)}, each giving {what}, e.g. {example}"
    if not isinstance(x, dict):
        hint = "write it as {" + ", ".join(f'"{k}": ...' for k in keys[:2]) + ", ...}"
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x), hint=hint)
    missing = [k for k in keys if k not in x]
    extra = [k for k in x if k not in keys]
    if missing or extra:
        given = f"keys {sorted(map(str, x))}"
        hint = (f"add {missing}" if missing else "") + (" and " if missing and extra else "") + \
               (f"remove {extra}" if extra else "")
        raise Fail(checked=f"`{name}`", expected=expected, given=given, hint=hint + "; keep the ids as written")
    return x


def _labels(x: Any, name: str, keys: tuple[str, ...], allowed: tuple[str, ...], aliases: dict[str, str],
            what: str, example: str) -> dict[str, str]:
    d = _answer_dict(x, name, keys, what, example)
    return {k: shapes.label(d[k], f'{name}["{k}"]', allowed, aliases=aliases) for k in keys}


@register(EXERCISE, "q1", "classify six questions", needs=("q1",),
          note="The grader checks each of the six answers separately (one point each).")
def q1(ans: Answers) -> str:
    _labels(ans["q1"], "q1", Q1_ITEMS, TYPES, TYPE_ALIASES, "one of the five type ids", '{"a": "closed", ...}')
    return "All six answers are type ids; whether they are right is checked when the exercise is graded."


def _is_question_text(text: Any) -> bool:
    if not isinstance(text, str):
        return False
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    return cjk >= 6 or len(text.split()) >= 4


@register(EXERCISE, "q2", "one question of each type", needs=("q2",),
          note="The grader checks each type separately (one point each) and that the questions are your own; "
               "your trainer then grades their quality (Q3).")
def q2(ans: Answers) -> str:
    d = _answer_dict(ans["q2"], "q2", TYPES, "your question of that type as a string",
                     '{"closed": "Do you ...?", ...}')
    for t in TYPES:
        if not _is_question_text(d[t]):
            raise Fail(checked=f'`q2["{t}"]`', expected="a whole question as a string (at least four words, or six "
                       "Chinese characters)", given=describe(d[t]),
                       hint="write the question as you would say it to Ms Zhou, in quotes")
    off = []
    for t in TYPES:
        c = classify_question(d[t])
        if c.type != t:
            off.append(f'q2["{t}"] reads as {TYPE_NAMES[c.type]}: {c.reason}')
    if off:
        raise Fail(checked="how the kit's classifier reads your five questions",
                   expected="each question to read as the type it is listed under",
                   given="; ".join(off),
                   hint="rewrite those questions so their purpose is plain (look at the cues in the reason), "
                        "then run this check again")
    return "The classifier reads each of your questions as the type you meant."


@register(EXERCISE, "q4", "choose the next question", needs=("q4",),
          note="The grader checks each dialogue separately (one point each).")
def q4(ans: Answers) -> str:
    _labels(ans["q4"], "q4", Q4_DIALOGUES, Q4_OPTIONS, {}, "the letter of the option you choose", '{"d1": "a", ...}')
    return "All four choices are option letters; whether they are right is checked when the exercise is graded."


@register(EXERCISE, "q5", "how was each need learned?", needs=("q5",),
          note="The grader checks each situation separately (one point each).")
def q5(ans: Answers) -> str:
    _labels(ans["q5"], "q5", Q5_ITEMS, NEED_SOURCES, SOURCE_ALIASES, "one of the channels "
            f"{list(NEED_SOURCES)}", '{"s1": "ask", ...}')
    return "All five answers are channel ids; whether they are right is checked when the exercise is graded."
