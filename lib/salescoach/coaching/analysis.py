"""Coaching a rep, as pure functions and reference tables (syllabus M7, source S2).

* The five-step coaching session 指导的五个步骤 (:data:`FIVE_STEPS`) and the principles for observing a
  visit (:data:`OBSERVATION_PRINCIPLES`, :func:`observation_problems`).
* The after-visit coaching model 指导模式, five points (:data:`AFTER_VISIT_MODEL`) as a checklist
  (:func:`after_visit_checklist`).
* Big vs small deals: plan-do-check vs do-check, and the coaching time a team's pipeline implies
  (:func:`coaching_approach`, :func:`coaching_time`, :func:`coaching_time_by_rep`).
* The skills self-assessment grid (importance 3/2/1 x ability 3/2/1) -> development priorities, per rep and
  for the team (:func:`development_priorities`, :func:`team_priorities`, :func:`grid_matrix`).
* The knowledge list (market / company / product: what, source, timing, proof) (:func:`knowledge_gaps`).
* The buyer survey (89/88/85/82%) (:data:`BUYER_SURVEY`, :func:`compare_estimates`).
* The sales-meeting planner: purpose -> format (:func:`plan_meeting`).

The debrief (three stages, question bank, rep-focused question checker) is in :mod:`.debrief`; the
printable session plan in :mod:`.planner`; the coaching log in :mod:`.log`.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = [
    "Step", "FIVE_STEPS", "STEP_KEYS", "OBSERVATION_PRINCIPLES", "observation_problems",
    "AFTER_VISIT_MODEL", "after_visit_checklist", "CoachingMinutes", "DEFAULT_MINUTES", "BIG_DEAL_THRESHOLD",
    "coaching_approach", "coaching_time", "coaching_time_by_rep",
    "IMPORTANCE_LABELS", "ABILITY_LABELS", "PRIORITY_LABELS", "priority_score", "priority_label",
    "validate_grid", "development_priorities", "team_priorities", "grid_matrix",
    "KNOWLEDGE_AREAS", "KNOWLEDGE_FIELDS", "KNOWLEDGE_EXAMPLES", "knowledge_gaps",
    "BUYER_SURVEY", "compare_estimates", "MEETING_PURPOSES", "MEETING_FORMATS", "PURPOSE_FORMATS", "plan_meeting",
]


# --------------------------------------------------------------------------- the five steps
@dataclass(frozen=True)
class Step:
    """One step of the five-step coaching session: who does what, in English and Chinese."""

    number: int
    key: str
    en: str
    zh: str
    coach: str
    rep: str


#: The five steps, reconstructed in SYLLABUS.md M7 from a garbled page of S2.
FIVE_STEPS: tuple[Step, ...] = (
    Step(1, "explain", "Explain", "讲解",
         "Say what the skill is and why it matters in this rep's sales.",
         "Listens and asks until the purpose of the skill is clear."),
    Step(2, "demonstrate", "Demonstrate", "示范",
         "Show the skill: do it in front of the rep, or walk through a recorded or real example.",
         "Watches for what the coach does and says, and when."),
    Step(3, "rehearse", "Rehearse", "演练",
         "Let the rep practise; the rehearsal need not succeed, the rep must see how the skill works in a real sale.",
         "Practises the skill, out loud, on a realistic case."),
    Step(4, "set_goals", "Set goals", "设定目标",
         "Ask the rep to write down the visit objective and an action plan, with the reasons for each point.",
         "Writes the objective, the plan and the reasons behind it."),
    Step(5, "review", "Review", "回顾",
         "Go over the objective and plan: ask 'why?' of each point, let the rep explain the overall approach, ask "
         "what happens if a point is missing or weak, play the buyer if useful. Build the rep's confidence in "
         "their own approach instead of imposing yours; if it does not work, run the five steps again.",
         "Explains and defends the plan, and improves it."),
)
STEP_KEYS = tuple(s.key for s in FIVE_STEPS)

#: Observing a rep's customer visit (S2).
OBSERVATION_PRINCIPLES = (
    ("Do not take part in the visit: the rep leads, you watch.", "观察时不要参与到访问中"),
    ("Know the visit's purpose before you go.", "事先知道这次访问的目的"),
)


def observation_problems(visit_purpose: str, coach_role: str) -> list[str]:
    """What breaks the observation principles: an unknown purpose, or a coach who is not only observing.

    ``coach_role``: "observer" (right), or anything else ("co-seller", "lead" ...).
    """
    problems = []
    if not str(visit_purpose or "").strip():
        problems.append("the visit's purpose is not known beforehand: ask the rep for it before the visit")
    if str(coach_role).strip().lower() not in ("observer", "observe", "观察"):
        problems.append(f"the coach's role is {coach_role!r}: when observing, don't take part in the visit")
    return problems


# --------------------------------------------------------------------------- after the visit
#: The after-visit coaching model 指导模式 (S2): five points, in this order.
AFTER_VISIT_MODEL: tuple[tuple[str, str, str], ...] = (
    ("rep_view", "Ask what the rep thinks went best and what to improve.", "确定销售人员认为做得最好和应改善的地方"),
    ("observed", "If needed, point out the strengths and weaknesses you observed.", "必要时指出观察到的长处和不足"),
    ("think_through", "Help the rep think through every problem that came up.", "帮助销售人员想清楚出现的所有问题"),
    ("suggest", "Suggest only when the rep cannot find a solution.", "销售人员实在想不出办法时才给建议"),
    ("practise", "Have the rep practise the skill before the next visit.", "下次访问前让销售人员练习该技巧"),
)


def after_visit_checklist(done: Mapping[str, bool] | Sequence[str] = (), *,
                          rep_found_solution: bool | None = None) -> pd.DataFrame:
    """The five points as a checklist: point, Chinese, done, and a note for what to do next.

    ``done``: the keys of :data:`AFTER_VISIT_MODEL` ticked off (a list, or a mapping key -> bool).
    ``rep_found_solution=True`` turns point 4 into "not needed" (suggest only when the rep is stuck).
    """
    keys = [k for k, _, _ in AFTER_VISIT_MODEL]
    ticked = {k for k, v in done.items() if v} if isinstance(done, Mapping) else set(done)
    unknown = sorted(str(k) for k in ticked - set(keys))
    if unknown:
        raise ValueError(f"unknown checklist point(s) {unknown}; use the keys {keys}")
    rows = []
    for i, (key, en, zh) in enumerate(AFTER_VISIT_MODEL, start=1):
        status = "done" if key in ticked else "to do"
        note = ""
        if key == "suggest" and rep_found_solution:
            status = "not needed" if key not in ticked else "done"
            note = "the rep found a solution: a suggestion from you would take the ownership away" \
                if key in ticked else "the rep found their own solution"
        elif key == "suggest" and key in ticked and "think_through" not in ticked:
            note = "you suggested before helping the rep think the problem through: let them try first"
        elif key == "observed" and key in ticked and "rep_view" not in ticked:
            note = "start with the rep's own view before giving yours"
        rows.append({"point": i, "key": key, "what": en, "zh": zh, "status": status, "note": note})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- big and small deals
@dataclass(frozen=True)
class CoachingMinutes:
    """Minutes of coach time per deal for each step. Kit assumption: the source gives no durations."""

    plan: float = 60.0   # helping the rep plan the visit (big deals only)
    do: float = 90.0     # observing the visit, travel included
    check: float = 30.0  # the feedback conversation after it

    def __post_init__(self) -> None:
        for name in ("plan", "do", "check"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or value < 0 or value != value:
                raise ValueError(f"CoachingMinutes.{name} must be a number of minutes >= 0, got {value!r}")


DEFAULT_MINUTES = CoachingMinutes()
#: deal value (yuan) from which a deal counts as big. Kit assumption: set your own from your deal sizes.
BIG_DEAL_THRESHOLD = 200_000.0


def coaching_approach(value: float, big_deal_threshold: float = BIG_DEAL_THRESHOLD) -> str:
    """"plan-do-check" for a big deal (value >= threshold), "do-check" for a small one (S2)."""
    if not isinstance(value, (int, float)) or value != value or value < 0:
        raise ValueError(f"deal value must be a number >= 0, got {value!r}")
    return "plan-do-check" if value >= big_deal_threshold else "do-check"


def _pipeline(pipeline: pd.DataFrame, value_col: str, rep_col: str) -> pd.DataFrame:
    if not isinstance(pipeline, pd.DataFrame):
        raise ValueError(f"pipeline must be a DataFrame with columns {rep_col!r} and {value_col!r}, "
                         f"got {type(pipeline).__name__}")
    missing = [c for c in (rep_col, value_col) if c not in pipeline.columns]
    if missing:
        raise ValueError(f"pipeline has no column {missing[0]!r} (columns: {list(pipeline.columns)}); "
                         f"pass value_col=/rep_col= to name yours")
    values = pd.to_numeric(pipeline[value_col], errors="coerce")
    bad = pipeline.index[values.isna() | (values < 0)].tolist()
    if bad:
        raise ValueError(f"pipeline column {value_col!r} needs a number >= 0 in every row; rows {bad[:5]} are "
                         "not: fix or drop them")
    return pipeline.assign(**{value_col: values})


def coaching_time(pipeline: pd.DataFrame, big_deal_threshold: float = BIG_DEAL_THRESHOLD,
                  minutes: CoachingMinutes = DEFAULT_MINUTES, *, value_col: str = "value",
                  rep_col: str = "rep") -> pd.DataFrame:
    """Per deal: approach, and coach minutes for plan, do, check and in total (source S2; minutes kit assumption).

    Big deals (value >= ``big_deal_threshold``) get plan + do + check; small ones do + check.
    Returns a copy of ``pipeline`` with columns ``approach``, ``plan_min``, ``do_min``, ``check_min``,
    ``coach_min``.
    """
    if not isinstance(big_deal_threshold, (int, float)) or big_deal_threshold != big_deal_threshold:
        raise ValueError(f"big_deal_threshold must be a number (yuan), got {big_deal_threshold!r}")
    df = _pipeline(pipeline, value_col, rep_col).copy()
    big = df[value_col] >= big_deal_threshold
    df["approach"] = big.map({True: "plan-do-check", False: "do-check"})
    df["plan_min"] = big.astype(float) * minutes.plan
    df["do_min"] = float(minutes.do)
    df["check_min"] = float(minutes.check)
    df["coach_min"] = df["plan_min"] + df["do_min"] + df["check_min"]
    return df


def coaching_time_by_rep(pipeline: pd.DataFrame, big_deal_threshold: float = BIG_DEAL_THRESHOLD,
                         minutes: CoachingMinutes = DEFAULT_MINUTES, *, value_col: str = "value",
                         rep_col: str = "rep") -> pd.DataFrame:
    """Per rep: big and small deals, pipeline value, coach hours; plus a ``Team`` total row."""
    df = coaching_time(pipeline, big_deal_threshold, minutes, value_col=value_col, rep_col=rep_col)
    big = df["approach"] == "plan-do-check"
    grouped = df.assign(big=big, small=~big).groupby(rep_col, sort=True)
    out = pd.DataFrame({
        "big_deals": grouped["big"].sum().astype(int),
        "small_deals": grouped["small"].sum().astype(int),
        "pipeline_value": grouped[value_col].sum(),
        "coach_hours": grouped["coach_min"].sum() / 60.0,
    })
    out.loc["Team"] = [int(out["big_deals"].sum()), int(out["small_deals"].sum()),
                       out["pipeline_value"].sum(), out["coach_hours"].sum()]
    out.index.name = rep_col
    return out.astype({"big_deals": int, "small_deals": int})


# --------------------------------------------------------------------------- the skills grid
IMPORTANCE_LABELS = {3: "very important to my job", 2: "fairly important", 1: "not important"}
ABILITY_LABELS = {3: "competent", 2: "average", 1: "needs improvement"}
#: priority label by score (score = importance x (3 - ability)). Kit assumption: the source gives only the grid.
PRIORITY_LABELS = ("develop now", "develop next", "watch", "strength")
PRIORITY_CHINESE = {"develop now": "优先发展", "develop next": "其次发展", "watch": "留意", "strength": "优势"}
GRID_COLUMNS = ("rep", "skill", "importance", "ability")


def priority_score(importance: int, ability: int) -> int:
    """importance x (3 - ability): 0 (competent) to 6 (very important, needs improvement). Kit assumption."""
    for name, v in (("importance", importance), ("ability", ability)):
        if isinstance(v, bool) or v not in (1, 2, 3):
            raise ValueError(f"{name} must be 3, 2 or 1, got {v!r}")
    return int(importance) * (3 - int(ability))


def priority_label(score: int) -> str:
    """4-6 develop now, 2-3 develop next, 1 watch, 0 strength (kit assumption)."""
    if score >= 4:
        return "develop now"
    if score >= 2:
        return "develop next"
    return "watch" if score == 1 else "strength"


def validate_grid(grid: pd.DataFrame) -> pd.DataFrame:
    """A checked copy of a skills grid (columns rep, skill, importance, ability; 3/2/1 ratings, one row per
    rep and skill); ``ValueError`` naming the column, rows and fix otherwise."""
    if not isinstance(grid, pd.DataFrame):
        raise ValueError(f"the skills grid must be a DataFrame with columns {list(GRID_COLUMNS)}, "
                         f"got {type(grid).__name__}")
    missing = [c for c in GRID_COLUMNS if c not in grid.columns]
    if missing:
        raise ValueError(f"the skills grid has no column {missing[0]!r}; it needs {list(GRID_COLUMNS)} "
                         f"(it has {list(grid.columns)})")
    if grid.empty:
        raise ValueError("the skills grid is empty: rate at least one skill")
    out = grid.copy()
    for col in ("importance", "ability"):
        values = pd.to_numeric(out[col], errors="coerce")
        bad = out.index[~values.isin([1, 2, 3])].tolist()
        if bad:
            raise ValueError(f"skills grid column {col!r} must be 3, 2 or 1; rows {bad[:5]} have "
                             f"{out.loc[bad[:3], col].tolist()}: fix those ratings")
        out[col] = values.astype(int)
    for col in ("rep", "skill"):
        empty = out.index[out[col].isna() | (out[col].astype(str).str.strip() == "")].tolist()
        if empty:
            raise ValueError(f"skills grid column {col!r} is empty in rows {empty[:5]}: fill in the name")
    dup = out.duplicated(["rep", "skill"], keep=False)
    if dup.any():
        raise ValueError(f"the skills grid rates the same rep and skill twice in rows {out.index[dup].tolist()[:6]}: "
                         "keep one rating per rep and skill (the latest)")
    return out


def development_priorities(grid: pd.DataFrame, rep: str | None = None) -> pd.DataFrame:
    """Each rep's skills ranked for development: ``score`` (importance x (3 - ability)), ``priority`` label and
    ``rank`` within the rep (1 = develop first; ties broken by importance, then the grid's order).

    ``rep`` keeps one rep.  Sorted by rep, then rank.
    """
    df = validate_grid(grid)
    if rep is not None:
        if rep not in set(df["rep"]):
            raise ValueError(f"no rep {rep!r} in the skills grid; reps: {sorted(set(df['rep']))}")
        df = df[df["rep"] == rep]
    df = df.assign(score=[priority_score(i, a) for i, a in zip(df["importance"], df["ability"])],
                   order=range(len(df)))
    df["priority"] = df["score"].map(priority_label)
    df = df.sort_values(["rep", "score", "importance", "order"], ascending=[True, False, False, True], kind="stable")
    df["rank"] = df.groupby("rep").cumcount() + 1
    return df.drop(columns="order").reset_index(drop=True)


def team_priorities(grid: pd.DataFrame, group_share: float = 0.5) -> pd.DataFrame:
    """Per skill: reps who should develop it now, mean score, and where to coach it.

    ``where`` is "sales meeting" when at least ``group_share`` of the team has it as "develop now" (train the
    group once), "one-to-one" when some do, "none" otherwise.  Kit assumption.  Sorted by need.
    """
    if not 0 < group_share <= 1:
        raise ValueError(f"group_share must be a share of the team between 0 and 1, got {group_share!r}")
    pri = development_priorities(grid)
    n_reps = pri["rep"].nunique()
    order = {s: i for i, s in enumerate(dict.fromkeys(pri.sort_index()["skill"]))}
    g = pri.groupby("skill")
    out = pd.DataFrame({
        "develop_now": g["priority"].apply(lambda s: int((s == "develop now").sum())),
        "mean_score": g["score"].mean(),
        "strength_of": g.apply(lambda d: int((d["priority"] == "strength").sum()), include_groups=False),
    })
    out["share_now"] = out["develop_now"] / n_reps
    out["where"] = ["sales meeting" if s >= group_share - 1e-12 else ("one-to-one" if n else "none")
                    for s, n in zip(out["share_now"], out["develop_now"])]
    out["order"] = [order[s] for s in out.index]
    out = out.sort_values(["develop_now", "mean_score", "order"], ascending=[False, False, True])
    return out.drop(columns="order")


def grid_matrix(grid: pd.DataFrame, value: str = "score") -> pd.DataFrame:
    """Rep x skill table of ``value`` ("score", "importance" or "ability"), skills in the grid's order."""
    if value not in ("score", "importance", "ability"):
        raise ValueError(f"value must be 'score', 'importance' or 'ability', got {value!r}")
    pri = development_priorities(grid)
    skills = list(dict.fromkeys(validate_grid(grid)["skill"]))
    reps = list(dict.fromkeys(validate_grid(grid)["rep"]))
    return pri.pivot(index="rep", columns="skill", values=value).reindex(index=reps, columns=skills)


# --------------------------------------------------------------------------- the knowledge list
KNOWLEDGE_AREAS = {"market": "市场知识", "company": "公司知识", "product": "产品知识"}
KNOWLEDGE_FIELDS = {"what": "是什么", "source": "来源", "timing": "时机", "proof": "证明"}
#: the source's example of "what" for each area (S2); source, timing and proof are for the manager to fill
KNOWLEDGE_EXAMPLES = {
    "market": "Names and addresses of the top 20% of prospects in the territory",
    "company": "The company's customer-service policy",
    "product": "What each of the company's five main products does",
}


def knowledge_gaps(entries: pd.DataFrame) -> pd.DataFrame:
    """Problems in a knowledge list (columns area, what, source, timing, proof): one row per problem.

    Reported: an area with no entry, and entries missing a source (where to get it), a timing (when to learn
    it) or a proof (how we know it was learnt).  Empty result = a complete list.
    """
    if not isinstance(entries, pd.DataFrame):
        raise ValueError(f"the knowledge list must be a DataFrame with columns {['area', *KNOWLEDGE_FIELDS]}")
    missing = [c for c in ("area", *KNOWLEDGE_FIELDS) if c not in entries.columns]
    if missing:
        raise ValueError(f"the knowledge list has no column {missing[0]!r}; it needs {['area', *KNOWLEDGE_FIELDS]}")
    rows: list[dict[str, Any]] = []
    areas = entries["area"].astype(str).str.strip().str.lower()
    odd = entries.index[~areas.isin(list(KNOWLEDGE_AREAS))].tolist()
    if odd:
        raise ValueError(f"knowledge list column 'area' must be one of {list(KNOWLEDGE_AREAS)}; rows {odd[:5]} are "
                         "not")
    for area in KNOWLEDGE_AREAS:
        if not (areas == area).any():
            rows.append({"row": None, "area": area, "problem": f"no {area} knowledge listed",
                         "fix": f"add at least one item, e.g. {KNOWLEDGE_EXAMPLES[area]}"})
    for idx, area in areas.items():
        for field in KNOWLEDGE_FIELDS:
            value = entries.at[idx, field]
            if pd.isna(value) or not str(value).strip():
                rows.append({"row": idx, "area": area, "problem": f"{field} is empty",
                             "fix": _KNOWLEDGE_FIX[field]})
    return pd.DataFrame(rows, columns=["row", "area", "problem", "fix"]).astype({"row": "Int64"})


_KNOWLEDGE_FIX = {
    "what": "say what exactly the rep must know",
    "source": "say where the rep gets it (a person, a document, a system)",
    "timing": "say when the rep learns it (before which visit or by which date)",
    "proof": "say how you will know it was learnt (a test, a role play, a visit you observe)",
}


# --------------------------------------------------------------------------- the buyer survey
#: Share of surveyed buyers who said ... (S2): why reps need training.
BUYER_SURVEY = {
    "reps don't know their products": 0.89,
    "reps don't show the product": 0.88,
    "reps don't grasp what the buyer means": 0.85,
    "won't buy again from a rep who ignored them": 0.82,
}
BUYER_SURVEY_CHINESE = {
    "reps don't know their products": "销售人员不了解他们的产品",
    "reps don't show the product": "销售过程中不出示产品",
    "reps don't grasp what the buyer means": "不能领会顾客的意思",
    "won't buy again from a rep who ignored them": "受到忽略后不会再次购买",
}


def compare_estimates(estimates: Mapping[str, float]) -> pd.DataFrame:
    """A team's guesses of the survey figures next to the real ones: estimate, actual, difference (points).

    ``estimates``: statement -> share (0.6) or percentage (60); statements as in :data:`BUYER_SURVEY`.
    """
    unknown = [k for k in estimates if k not in BUYER_SURVEY]
    if unknown:
        raise ValueError(f"unknown survey statement {unknown[0]!r}; use the keys of BUYER_SURVEY: {list(BUYER_SURVEY)}")
    rows = []
    for statement, actual in BUYER_SURVEY.items():
        guess = estimates.get(statement)
        if guess is not None:
            if isinstance(guess, bool) or not isinstance(guess, (int, float)) or not 0 <= guess <= 100:
                raise ValueError(f"estimate for {statement!r} must be a share (0-1) or a percentage (0-100), "
                                 f"got {guess!r}")
            guess = guess / 100 if guess > 1 else float(guess)
        rows.append({"statement": statement, "zh": BUYER_SURVEY_CHINESE[statement], "estimate": guess,
                     "actual": actual, "difference_points": None if guess is None else round((actual - guess) * 100, 1)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the sales meeting
MEETING_PURPOSES = {"training": "培训", "communication": "沟通", "sharing experience": "经验交流",
                    "motivation": "激励", "problem solving": "解决问题", "new products": "介绍新产品"}
MEETING_FORMATS = {"presentation": "展示", "group discussion": "集体讨论", "success stories": "分享成功心得",
                   "case discussion": "案例讨论", "role play": "角色演练", "improvement proposals": "提出改善意见"}
#: purpose -> formats that serve it, best first.  Kit assumption: S2 lists purposes and formats, not the pairs.
PURPOSE_FORMATS = {
    "training": ("role play", "case discussion", "presentation"),
    "communication": ("presentation", "group discussion"),
    "sharing experience": ("success stories", "case discussion"),
    "motivation": ("success stories", "group discussion"),
    "problem solving": ("case discussion", "improvement proposals", "group discussion"),
    "new products": ("presentation", "role play"),
}
#: minutes per agenda item by format (kit assumption)
FORMAT_MINUTES = {"presentation": 15, "group discussion": 20, "success stories": 15, "case discussion": 25,
                  "role play": 30, "improvement proposals": 20}


def plan_meeting(purposes: Sequence[str], minutes: int = 90, topic: str = "") -> pd.DataFrame:
    """An agenda for a sales meeting: one item per purpose with its best format and a time slot.

    Formats follow :data:`PURPOSE_FORMATS`; a format is not used twice when another one serves the purpose.
    Time slots are :data:`FORMAT_MINUTES` scaled to fit ``minutes`` (kit assumptions).
    """
    if isinstance(purposes, str):
        purposes = [purposes]
    purposes = [str(p).strip().lower() for p in purposes]
    if not purposes:
        raise ValueError(f"give at least one purpose, from {list(MEETING_PURPOSES)}")
    unknown = [p for p in purposes if p not in MEETING_PURPOSES]
    if unknown:
        raise ValueError(f"unknown meeting purpose {unknown[0]!r}; use {list(MEETING_PURPOSES)}")
    if len(set(purposes)) != len(purposes):
        raise ValueError("a purpose is listed twice: list each purpose once")
    if not isinstance(minutes, (int, float)) or minutes < 10 * len(purposes):
        raise ValueError(f"minutes must be at least 10 per purpose ({10 * len(purposes)}), got {minutes!r}")
    used: set[str] = set()
    rows = []
    for p in purposes:
        options = PURPOSE_FORMATS[p]
        fmt = next((f for f in options if f not in used), options[0])
        used.add(fmt)
        rows.append({"purpose": p, "purpose_zh": MEETING_PURPOSES[p], "format": fmt,
                     "format_zh": MEETING_FORMATS[fmt], "topic": topic})
    agenda = pd.DataFrame(rows)
    raw = agenda["format"].map(FORMAT_MINUTES).astype(float)
    slots = (raw / raw.sum() * minutes).round().astype(int)
    slots.iloc[-1] += int(minutes) - int(slots.sum())
    agenda["minutes"] = slots
    agenda["starts_at_min"] = agenda["minutes"].cumsum() - agenda["minutes"]
    return agenda
