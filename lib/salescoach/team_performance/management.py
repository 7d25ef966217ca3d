"""The sales manager's job 销售经理的角色与职责: where the time goes, the ten duties, motivation 激励,
what good measurement looks like, and a checker for sales contests 销售竞赛.

Source: syllabus module M8 (S2, the deck on building a sales team, parts 1, 4 and 5).  The lists are the
source's; the wording is the kit's.  The thresholds the checker uses to call a goal "realistic" or a result
"quick" are kit assumptions, named as such where they are defined.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from . import analysis

# --------------------------------------------------------------------------- the manager's time and duties
#: share of a sales manager's time by area, as reported in S2 (one survey's figures, not a norm)
MANAGER_TIME = {"selling": 0.36, "personnel": 0.20, "marketing": 0.18, "administration": 0.18, "finance": 0.08}
MANAGER_TIME_CHINESE = {"selling": "销售活动", "personnel": "人事活动", "marketing": "营销活动",
                        "administration": "管理活动", "finance": "财务活动"}
#: examples of each area's activities (S2)
MANAGER_ACTIVITIES = {
    "selling": ("Visit customers together with a rep", "Sell to a customer yourself",
                "Sort out a customer's problem", "Decide on a customer's special request"),
    "personnel": ("Train the reps", "Set performance standards", "Plan and run sales meetings",
                  "Recruit and select new reps", "Review the pay plan", "Forecast the team's staffing needs"),
    "marketing": ("Analyse sales data", "Pass company news on to the reps", "Assess the competition",
                  "Forecast the territory's sales", "Propose price, delivery or product changes"),
    "administration": ("Run the branch office", "Keep records", "Deal with dissatisfied customers",
                       "Write reports on the region's operations"),
    "finance": ("Analyse selling-expense data", "Control inventory and office costs", "Draw up the budget",
                "Watch the cost trends that affect profit"),
}
#: the ten main duties of a sales manager (S2), in the source's order
TEN_DUTIES = (
    ("strategy and goals", "战略与目标"), ("marketing planning", "营销策划"), ("recruiting", "招聘"),
    ("organising", "组织"), ("training", "培训"), ("motivating", "激励"),
    ("analysis and forecasting", "分析及预测"), ("execution", "实施"), ("control", "控制"),
    ("building systems and processes", "建立系统、流程"),
)


def time_split(hours: Mapping[str, float]) -> pd.DataFrame:
    """A manager's own week against S2's split.

    ``hours`` maps each area of :data:`MANAGER_TIME` to the hours spent on it (missing areas count 0).
    Returns one row per area: ``hours``, ``share`` (of the week), ``reported_share`` (S2) and ``gap`` =
    share - reported share (positive: more time than the survey's managers spend there).
    """
    unknown = sorted(set(hours) - set(MANAGER_TIME))
    if unknown:
        raise ValueError(f"unknown area(s) {unknown}; use {list(MANAGER_TIME)}")
    h = pd.Series({a: float(hours.get(a, 0.0)) for a in MANAGER_TIME})
    if (h < 0).any() or h.isna().any():
        raise ValueError("hours must be numbers of 0 or more")
    if h.sum() <= 0:
        raise ValueError("no hours given: put in the hours of a typical week per area")
    out = pd.DataFrame({"hours": h, "share": h / h.sum(), "reported_share": pd.Series(MANAGER_TIME)})
    out["gap"] = out["share"] - out["reported_share"]
    out.index.name = "area"
    return out


# --------------------------------------------------------------------------- motivation and measurement
#: the six elements of motivating a sales team (S2)
SIX_ELEMENTS = (
    ("performance requirements", "业绩要求"),
    ("positive reinforcement fitted to the person", "积极强化并因人而异"),
    ("harmonious relations", "建立和谐的关系"),
    ("understanding the rep's point of view", "理解销售人员的观点"),
    ("leading by example", "自己做出榜样"),
    ("not accepting poor performance", "不接受较差的表现"),
)
#: good performance measurement is ... (S2)
MEASUREMENT_QUALITIES = {
    "continuous": "follows performance over the long run, not once a year",
    "proactive": "looks for problems before they arrive instead of waiting for them",
    "flexible": "keeps basic rules but adapts them to a territory, a market, a customer or a person's life",
    "personal": "gives each rep feedback that matters to him or her",
}
#: reps and managers are judged on different criteria (S2)
REP_CRITERIA = ("selling", "communication", "relationship selling", "account management", "gathering information",
                "analysis", "targeting", "proposals", "negotiating the purchase", "confirming", "maintaining")
MANAGER_CRITERIA = ("setting goals", "assessing potential", "sales planning", "target marketing",
                    "territory management", "recruiting", "coaching", "training", "motivating", "evaluating")


# --------------------------------------------------------------------------- sales contests
#: traits of an ineffective contest (S2) and of an effective one, keyed by the design field that shows them
INEFFECTIVE = {
    "routine": ("routine: the same every year, nothing new", "例行公事"),
    "unfair": ("unfair: the conditions favour some reps or territories", "不公平"),
    "support_ignored": ("ignores the sales support staff", "不考虑销售支持员工"),
    "no_strategy": ("not linked to the company's strategy", "没有与公司策略联系起来"),
    "no_training": ("not linked to the company's training", "没有与公司培训联系起来"),
}
EFFECTIVE = {
    "owner_team": ("a team in charge of the contest", "有专责小组"),
    "realistic_goal": ("realistic goals", "符合实际的目标"),
    "market_analysis": ("the market and sales goals analysed before the design", "设计竞赛之前分析市场、销售目标"),
    "theme": ("an attractive theme", "吸引人的主题"),
    "clear_rules": ("clear rules, published", "公布清楚规则"),
    "exciting_prizes": ("exciting, new prizes", "让人激动的、有新意的奖品"),
    "quick_results": ("results announced soon after the end", "竞赛结束之后尽快宣布结果"),
    "evaluated": ("the contest evaluated for next time", "评价竞赛的有效程度"),
}
#: how a contest ranks the reps; the relative rules compare each rep with his or her own baseline
CONTEST_RULES = {
    "sales": "most sales", "gross_profit": "most gross profit", "new_customers": "most new customers",
    "quota": "highest sales as a share of the rep's own quota", "growth": "highest growth on the territory's "
    "sales a year earlier", "conversion": "highest share of prospects turned into customers",
}
RELATIVE_RULES = ("quota", "growth", "conversion")
#: kit assumptions: a goal is realistic when between 20% and 80% of the reps reach it on this year's figures;
#: results are "quick" within 14 days of the end
REALISTIC_SHARE = (0.2, 0.8)
QUICK_DAYS = 14


@dataclass
class ContestDesign:
    """A sales contest as a manager plans it; :func:`check_contest` reads it against S2's lists."""

    theme: str = ""                    # the contest's name and story; empty = none
    owner_team: Sequence[str] = ()     # who runs it
    market_analysis: bool = False      # market and sales goals analysed before designing it
    rule: str = "sales"                # how reps are ranked: a key of CONTEST_RULES
    target: float | None = None        # the level a rep must reach to win (in the rule's unit)
    strategy_link: str = ""            # the strategic goal it serves (e.g. "win new customers")
    training_link: str = ""            # the skill training it builds on (e.g. "prospecting calls")
    support_staff_included: bool = False
    rules_published: bool = False
    prizes: Sequence[str] = ()
    prizes_new: bool = False           # prizes differ from the last contest's
    results_within_days: int | None = None
    evaluation_planned: bool = False
    same_as_last_year: bool = False
    notes: str = field(default="", compare=False)

    @classmethod
    def from_mapping(cls, design: Mapping) -> ContestDesign:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(design) - known)
        if unknown:
            raise ValueError(f"unknown contest field(s) {unknown}; the fields are {sorted(known)}")
        return cls(**dict(design))


def contest_scores(team: pd.DataFrame, rule: str, quarters: Sequence[str] | None = None) -> pd.Series:
    """Each rep's result under a contest ``rule`` (see :data:`CONTEST_RULES`), indexed by rep_id."""
    if rule not in CONTEST_RULES:
        raise ValueError(f"unknown contest rule {rule!r}; use one of {list(CONTEST_RULES)}")
    t = analysis.kpis(team, quarters)
    column = {"sales": "sales", "gross_profit": "gross_profit", "new_customers": "customers_new",
              "quota": "sales_vs_quota", "growth": "sales_growth", "conversion": "conversion"}[rule]
    return t[column].rename(rule)


def favours_big_territories(team: pd.DataFrame, rule: str, quarters: Sequence[str] | None = None) -> float:
    """Rank correlation (Spearman) across reps between a rule's result and the territory's sales a year
    earlier: near 1, the biggest territories win whatever the reps do this year."""
    scores = contest_scores(team, rule, quarters)
    base = analysis.period_totals(team, quarters)["sales_last_year"].reindex(scores.index)
    both = pd.DataFrame({"s": scores, "b": base}).dropna()
    if len(both) < 3:
        raise ValueError("at least three reps with a result are needed to judge fairness")
    return float(both["s"].rank().corr(both["b"].rank()))


def reach_share(team: pd.DataFrame, rule: str, target: float, quarters: Sequence[str] | None = None) -> float:
    """Share of reps whose result under ``rule`` reaches ``target`` (rep without a result: not reached)."""
    scores = contest_scores(team, rule, quarters)
    return float((scores >= target).sum() / len(scores)) if len(scores) else 0.0


#: kit assumption: a rule whose results correlate above this with last year's sales favours big territories
FAIRNESS_LIMIT = 0.6


def check_contest(design: ContestDesign | Mapping, team: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read a contest design against S2's lists of what makes contests work and fail.

    One row per trait (index: the trait's key) with ``list`` ("effective" or "ineffective"), ``trait``,
    ``zh``, ``ok`` (True when the design has the effective trait or avoids the ineffective one) and
    ``why``.  With ``team`` (the team dataset) fairness and realism are judged on the team's figures;
    without it a relative rule counts as fair and a target as realistic if one is set.
    """
    d = design if isinstance(design, ContestDesign) else ContestDesign.from_mapping(design)
    if d.rule not in CONTEST_RULES:
        raise ValueError(f"unknown contest rule {d.rule!r}; use one of {list(CONTEST_RULES)}")
    rows = {}

    def add(key: str, ok: bool, why: str) -> None:
        listed = INEFFECTIVE if key in INEFFECTIVE else EFFECTIVE
        trait, zh = listed[key]
        rows[key] = {"list": "ineffective" if key in INEFFECTIVE else "effective", "trait": trait, "zh": zh,
                     "ok": bool(ok), "why": why}

    add("routine", not d.same_as_last_year,
        "a repeat of last year's contest" if d.same_as_last_year else "new this year")
    add("unfair", *_fairness(d, team))
    add("support_ignored", d.support_staff_included,
        "support staff take part" if d.support_staff_included else "only reps can win; support staff are left out")
    add("no_strategy", bool(d.strategy_link.strip()),
        f"serves: {d.strategy_link.strip()}" if d.strategy_link.strip() else "no strategic goal named")
    add("no_training", bool(d.training_link.strip()),
        f"builds on: {d.training_link.strip()}" if d.training_link.strip() else "no training named")
    add("owner_team", len([p for p in d.owner_team if str(p).strip()]) > 0,
        f"run by {', '.join(map(str, d.owner_team))}" if d.owner_team else "nobody is in charge")
    add("realistic_goal", *_realism(d, team))
    add("market_analysis", d.market_analysis,
        "market and goals analysed first" if d.market_analysis else "designed without analysing the market")
    add("theme", bool(d.theme.strip()), f"theme: {d.theme.strip()}" if d.theme.strip() else "no theme")
    add("clear_rules", d.rules_published, "rules published" if d.rules_published else "rules not published")
    prizes = [p for p in d.prizes if str(p).strip()]
    add("exciting_prizes", bool(prizes) and d.prizes_new,
        "new prizes: " + ", ".join(map(str, prizes)) if prizes and d.prizes_new
        else ("the same prizes as last time" if prizes else "no prizes"))
    quick = d.results_within_days is not None and 0 <= d.results_within_days <= QUICK_DAYS
    add("quick_results", quick, f"results within {d.results_within_days} days" if d.results_within_days is not None
        else "no date for the results")
    add("evaluated", d.evaluation_planned, "evaluation planned" if d.evaluation_planned else "no evaluation planned")
    return pd.DataFrame.from_dict(rows, orient="index")


def _fairness(d: ContestDesign, team: pd.DataFrame | None) -> tuple[bool, str]:
    if team is None:
        fair = d.rule in RELATIVE_RULES
        return fair, (f"each rep is measured against his or her own baseline ({CONTEST_RULES[d.rule]})" if fair
                      else f"'{CONTEST_RULES[d.rule]}' favours the reps with the biggest territories")
    rho = favours_big_territories(team, d.rule)
    fair = rho <= FAIRNESS_LIMIT
    return fair, (f"'{CONTEST_RULES[d.rule]}': results follow last year's territory sales with rank "
                  f"correlation {rho:.2f} ({'at or below' if fair else 'above'} {FAIRNESS_LIMIT})")


def _realism(d: ContestDesign, team: pd.DataFrame | None) -> tuple[bool, str]:
    if d.target is None:
        return False, "no target set"
    if team is None:
        return True, f"target {d.target:g} set (give the team's data to test it)"
    share = reach_share(team, d.rule, float(d.target))
    low, high = REALISTIC_SHARE
    ok = low <= share <= high
    verdict = "realistic" if ok else ("too hard" if share < low else "too easy")
    return ok, f"{share:.0%} of the reps reach {d.target:g} on this year's figures: {verdict}"


def contest_verdict(report: pd.DataFrame) -> str:
    """One line on a :func:`check_contest` report: how many traits are right, and the first to fix."""
    if not {"ok", "trait"} <= set(report.columns):
        raise ValueError("give the DataFrame that check_contest() returns")
    ok = int(np.sum(report["ok"]))
    missing = report.index[~report["ok"].astype(bool)]
    if not len(missing):
        return f"all {len(report)} points of the checklist are met"
    first = report.loc[missing[0]]
    return f"{ok} of {len(report)} points met; fix first: {first['trait']} ({first['why']})"


# --------------------------------------------------------------------------- the annual review meeting
#: why to meet key accounts once or twice a year (S2)
REVIEW_MEETING_PURPOSES = ("strengthen the relationship", "ask for feedback", "introduce new products",
                           "agree the direction for the coming year")
#: how to run it (S2), keyed for :func:`check_review_meeting`
REVIEW_MEETING_TIPS = {
    "meal": "over breakfast or lunch, so people relax",
    "room": "a good room: light, a big table, nobody throwing you out after the meal",
    "influencers": "every influential buyer invited (both, if there are two)",
    "data": "last year's figures and the trends prepared on paper",
    "time": "more than an hour set aside",
    "structure": "a plan: the past year, questions on performance, quality and satisfaction, their business "
                 "and plans, something new",
    "let_them_talk": "open questions and time for the customer to talk",
    "commitment": "your service commitment and wish for a long-term, win-win relationship shown",
    "something_new": "closing with a new product, service or idea (or a special offer)",
    "deeper_needs": "digging for deeper needs and opportunities, not only the obvious ones",
    "referrals": "asking for referrals or a testimonial where it fits",
}


def check_review_meeting(plan: Mapping[str, bool]) -> pd.DataFrame:
    """A key-account review meeting plan against S2's tips: one row per tip with ``tip``, ``planned`` (bool).

    ``plan`` maps tip keys (:data:`REVIEW_MEETING_TIPS`) to True when the plan covers them; missing keys
    count as not planned.
    """
    unknown = sorted(set(plan) - set(REVIEW_MEETING_TIPS))
    if unknown:
        raise ValueError(f"unknown tip(s) {unknown}; the tips are {list(REVIEW_MEETING_TIPS)}")
    return pd.DataFrame({"tip": pd.Series(REVIEW_MEETING_TIPS),
                         "planned": pd.Series({k: bool(plan.get(k, False)) for k in REVIEW_MEETING_TIPS})})
