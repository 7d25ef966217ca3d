"""Public self-checks of exercise M7 "Five-step coaching 指导的五个步骤" (``solutions/m7_coaching/m7_exercise.ipynb``).

Names the student defines:

====  =======================================================  ==========================================
q1    ``q1_steps``, ``q1_stages``, ``q1_knowledge``,           list of 5 step ids; dict line id -> stage id;
      ``q1_survey``                                            dict part id -> column; a fraction
q2    ``plan``                                                 a SessionPlan from ``planner.plan_session``
q3    ``rewrites``                                             dict r1..r6 -> a buyer-focused question
q4    ``li_na_focus``, ``meeting_topic``, ``meeting_format``,  list of 2 skills; skill; format; rep
      ``demonstrator``
q5    (written, graded by the trainer)
====  =======================================================  ==========================================

Quiz answers (q1) are checked for their form only; judgment answers against the rules the task states.
The hidden tests are in the source notebook only.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ..datasets import load
from ..selfcheck import Answers, Fail, describe, register, shapes
from ..selfcheck.references import fresh, pickled
from . import analysis, debrief, planner

EXERCISE = "m7_coaching"

STEP_IDS = analysis.STEP_KEYS
STAGE_IDS = ("feelings", "objective_plan_outcome", "why_buyer", "avoid")
LINE_IDS = ("l1", "l2", "l3", "l4", "l5", "l6")
PART_IDS = ("k1", "k2", "k3", "k4")
#: the rep-focused questions of q3 (the student rewrites each)
TO_REWRITE = {
    "r1": "Why did you give the discount so fast?",
    "r2": "Why didn't you ask who else is involved in the decision?",
    "r3": "What made you talk about product features for ten minutes?",
    "r4": "你为什么一开口就谈价格？",
    "r5": "你当时怎么没有约下一次见面？",
    "r6": "为什么你没有回答交货期的问题？",
}
CASE_REP = "Zhao Lei"
CASE_DEAL = "Hengda Hotels"


# --------------------------------------------------------------------------- reference data
@pickled
def _skills() -> pd.DataFrame:
    return load("coaching_skills")


@pickled
def _pipeline() -> pd.DataFrame:
    return load("coaching_pipeline")


@pickled
def _priorities() -> pd.DataFrame:
    return analysis.development_priorities(fresh(_skills()))


def skills() -> pd.DataFrame:
    """A fresh copy of the team's skills grid."""
    return fresh(_skills())


def priorities() -> pd.DataFrame:
    """A fresh copy of every rep's development priorities."""
    return fresh(_priorities())


def case_deal() -> pd.Series:
    """Zhao Lei's Hengda Hotels deal (a fresh copy)."""
    p = fresh(_pipeline())
    return p[(p["rep"] == CASE_REP) & (p["customer"] == CASE_DEAL)].iloc[0]


def precompute() -> None:
    """Compute every reference now: the grader calls this once, before it forks per submission."""
    _skills()
    _pipeline()
    _priorities()
    debrief.review_question("你觉得客户为什么那样说？")  # loads the traditional -> simplified converter once


def _known(value: Any, name: str, allowed: tuple[str, ...] | list[str], what: str) -> str:
    if not isinstance(value, str):
        raise Fail(checked=f"`{name}`", expected=f"{what}: one of {list(allowed)}", given=describe(value),
                   hint="write it as text in quotes")
    if value not in allowed:
        close = [a for a in allowed if a.lower() == value.strip().lower()]
        raise Fail(checked=f"`{name}`", expected=f"{what}: one of {list(allowed)}", given=repr(value),
                   hint=f"write it exactly as {close[0]!r}" if close else "copy the name exactly from the list")
    return value


# --------------------------------------------------------------------------- q1
def _placement(value: Any, name: str, keys: tuple[str, ...], buckets: tuple[str, ...], what: str) -> None:
    expected = f"a dict giving each of {list(keys)} one of the {what} {list(buckets)}"
    if not isinstance(value, dict):
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(value),
                   hint=f'write a dict, e.g. {{"{keys[0]}": "{buckets[0]}", ...}}')
    missing = [k for k in keys if k not in value]
    if missing:
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(value), hint=f"place {missing} too")
    for key, bucket in value.items():
        if key not in keys:
            raise Fail(checked=f"`{name}`", expected=expected, given=describe(value),
                       hint=f"{key!r} is not one of the ids {list(keys)}")
        _known(bucket, f"{name}[{key!r}]", buckets, f"one of the {what}")


@register(EXERCISE, "q1", "steps, debrief stages, knowledge list, survey (form only)",
          needs=("q1_steps", "q1_stages", "q1_knowledge", "q1_survey"),
          note="This checks the form of your answers only; the grader checks them against the key.")
def q1(ans: Answers) -> None:
    steps = ans["q1_steps"]
    expected = f"a list of the five step ids, each once, in your order: {sorted(STEP_IDS)}"
    if not isinstance(steps, (list, tuple)):
        raise Fail(checked="`q1_steps`", expected=expected, given=describe(steps),
                   hint='write a list in square brackets, e.g. ["explain", ...]')
    if sorted(map(str, steps)) != sorted(STEP_IDS):
        missing = sorted(set(STEP_IDS) - set(map(str, steps)))
        extra = sorted(set(map(str, steps)) - set(STEP_IDS))
        raise Fail(checked="`q1_steps`", expected=expected, given=describe(steps),
                   hint=(f"missing {missing}" if missing else "") + (f" unknown {extra}" if extra else "")
                   + ("" if missing or extra else " each step once"))
    _placement(ans["q1_stages"], "q1_stages", LINE_IDS, STAGE_IDS, "stages")
    _placement(ans["q1_knowledge"], "q1_knowledge", PART_IDS, tuple(analysis.KNOWLEDGE_FIELDS), "columns")
    shapes.fraction(ans["q1_survey"], "q1_survey", "a share of buyers as a fraction between 0 and 1")


# --------------------------------------------------------------------------- q2
@register(EXERCISE, "q2", "a five-step plan for Zhao Lei", needs=("plan",),
          note="The grader also checks your choice of skill, the deal and the follow-up, and your review questions.")
def q2(ans: Answers) -> None:
    plan = ans["plan"]
    expected = "a SessionPlan for Zhao Lei made with planner.plan_session(...), with no problems left"
    if not isinstance(plan, planner.SessionPlan):
        raise Fail(checked="`plan`", expected=expected, given=describe(plan),
                   hint="build it with plan = planner.plan_session(\"Zhao Lei\", \"<skill>\", ...)")
    if plan.rep != CASE_REP:
        raise Fail(checked="`plan.rep`", expected=repr(CASE_REP), given=repr(plan.rep),
                   hint="the session is for Zhao Lei, before his Hengda Hotels negotiation")
    problems = plan.problems()
    if problems:
        raise Fail(checked="plan.problems()", expected="[] (a complete plan)", given="; ".join(problems[:3]),
                   hint="fill in what plan.problems() lists; run it yourself to see them all")


# --------------------------------------------------------------------------- q3
@register(EXERCISE, "q3", "rewrite the rep-focused questions", needs=("rewrites",),
          note="The grader also checks that each rewrite asks about the buyer and that they are not all the same.")
def q3(ans: Answers) -> None:
    rewrites = ans["rewrites"]
    expected = f"a dict {list(TO_REWRITE)} -> your rewritten question (text)"
    if not isinstance(rewrites, dict):
        raise Fail(checked="`rewrites`", expected=expected, given=describe(rewrites),
                   hint='write a dict, e.g. {"r1": "Why do you think ...?", ...}')
    for key, original in TO_REWRITE.items():
        text = rewrites.get(key)
        if not isinstance(text, str) or not text.strip() or text.strip() == "...":
            raise Fail(checked=f"`rewrites[{key!r}]`", expected="your rewritten question", given=describe(text),
                       hint=f"rewrite {original!r}")
        if debrief.language_of(text) != debrief.language_of(original):
            raise Fail(checked=f"`rewrites[{key!r}]`", expected="a question in the same language as the original",
                       given=repr(text), hint="the rep asked in " + ("Chinese" if debrief.language_of(original) == "zh"
                                                                     else "English") + ": answer in kind")
        review = debrief.review_question(text)
        if review.rep_focused:
            raise Fail(checked=f"`rewrites[{key!r}]`", expected="a question that is not aimed at the rep",
                       given=f"{text!r} (aimed at the rep: {review.matched!r})",
                       hint="ask why about the buyer: what did the customer think, need or worry about?")


# --------------------------------------------------------------------------- q4
@register(EXERCISE, "q4", "priorities from the skills grid", needs=("li_na_focus", "meeting_topic", "meeting_format",
                                                                    "demonstrator"),
          note="The grader also checks your sales-meeting topic, its format and your demonstrator.")
def q4(ans: Answers) -> None:
    pri = priorities()
    skill_names = list(dict.fromkeys(pri["skill"]))
    focus = ans["li_na_focus"]
    expected = "a list of the two skills Li Na should develop first"
    if not isinstance(focus, (list, tuple)) or len(focus) != 2:
        raise Fail(checked="`li_na_focus`", expected=expected, given=describe(focus), hint="give exactly two skills")
    for i, s in enumerate(focus):
        _known(s, f"li_na_focus[{i}]", skill_names, "a skill of the grid")
    li = pri[pri["rep"] == "Li Na"]
    top = set(li.loc[li["rank"] <= 2, "skill"])
    if set(focus) != top:
        wrong = [s for s in focus if s not in top][0]
        row = li.set_index("skill").loc[wrong]
        raise Fail(checked="`li_na_focus`", expected=expected, given=describe(list(focus)),
                   hint=f"{wrong!r} has importance {row['importance']} and ability {row['ability']}: "
                        "look for the skills that are very important to her job and where she needs improvement")
    _known(ans["meeting_topic"], "meeting_topic", skill_names, "a skill of the grid")
    _known(ans["meeting_format"], "meeting_format", list(analysis.MEETING_FORMATS), "a meeting format")
    _known(ans["demonstrator"], "demonstrator", list(dict.fromkeys(pri["rep"])), "a rep of the team")


# --------------------------------------------------------------------------- q5
@register(EXERCISE, "q5", "written feedback to Zhao Lei", needs=(),
          note="Your trainer grades this answer with the rubric in the task.")
def q5(ans: Answers) -> str:
    return "nothing to check automatically: read your answer against the rubric in the task"
