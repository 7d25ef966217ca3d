"""Public self-checks of exercise M9 "Key-account loyalty 大客户关系与忠诚".

One check per auto-graded question of ``solutions/m9_key_accounts/m9_exercise.ipynb``.  The check of
the calculation (q1) says whether the answer is right; the checks of the quiz items (q2, q5) and of the
budget decision (q3) look at the form and the budget only and never reveal the key or the best choice.
Hidden tests live in the source notebook only.  Reference answers come from fresh copies of the shipped
portfolio.

====  ===============================================  ==========================================
q1    ``ranking``, ``top_signals``                      5 account ids; 2 signal columns
q2    ``q2`` = {"w1": strategy id, ... "w6": ...}        the strategy for each weak driver
q3    ``choose_accounts(options, budget)``              a function returning account ids
q5    ``q5`` = {"i1": option, ... "i6": option}          six questions on the KA basics
====  ===============================================  ==========================================
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from .. import quiz
from ..datasets import load
from ..selfcheck import Answers, Fail, describe, register, shapes
from ..selfcheck.references import fresh, pickled
from . import analysis

EXERCISE = "m9_key_accounts"
BANK = "m9_key_accounts"
#: the KA budget of Q3, in yuan
BUDGET = 60_000
TOP = 5
Q5_ITEMS = ("i1", "i2", "i3", "i4", "i5", "i6")
#: the signals' English labels a student may type instead of the column names
SIGNAL_ALIASES = {s.en: s.column for s in analysis.SIGNALS} | {s.zh: s.column for s in analysis.SIGNALS}


# --------------------------------------------------------------------------- reference data
@pickled
def _portfolio() -> pd.DataFrame:
    return load("key_accounts").set_index("account_id")


@pickled
def _options() -> pd.DataFrame:
    return analysis.retention_options(fresh(_portfolio()))


def portfolio() -> pd.DataFrame:
    """A fresh copy of the shipped portfolio, indexed by account_id."""
    return fresh(_portfolio())


def options() -> pd.DataFrame:
    """A fresh copy of the shipped portfolio's retention options (:func:`analysis.retention_options`)."""
    return fresh(_options())


def bank() -> quiz.Bank:
    return quiz.load_bank(BANK)


def precompute() -> None:
    """Compute every reference answer now (the grader calls this once before it forks per submission)."""
    _portfolio()
    _options()


# --------------------------------------------------------------------------- q1
@register(EXERCISE, "q1", "rank the accounts by risk and explain the top one", needs=("ranking", "top_signals"))
def q1(ans: Answers) -> str:
    table = analysis.risk_table(portfolio())
    ref = list(table.index[:TOP])
    expected = f"a list of the {TOP} account ids with the highest loyalty-risk score, the highest first"
    given = ans["ranking"]
    if isinstance(given, pd.DataFrame) and "account_id" not in given.columns:
        given = given.index
    chosen = shapes.id_list(given, "ranking", set(table.index), expected, example=("K01", "K02"))
    if len(chosen) != TOP:
        hint = (f"keep only the first {TOP}, e.g. list(table.index[:{TOP}])" if len(chosen) > TOP
                else f"give {TOP} accounts")
        raise Fail(checked="`ranking`", expected=expected, given=describe(ans["ranking"]), hint=hint)
    if chosen != ref:
        if chosen == list(table.index[::-1][:TOP]):
            hint = "those are the accounts at the *lowest* risk: sort the scores from high to low"
        elif set(chosen) == set(ref):
            hint = "the right accounts, but not in order: put the highest score first"
        elif chosen == list(table.sort_values("profit_at_risk", ascending=False).index[:TOP]):
            hint = "that ranking is by profit at risk; the question asks for the loyalty-risk score itself"
        else:
            hint = "rank by the score analysis.loyalty_risk(portfolio) (or the 'risk' column of analysis.risk_table)"
        raise Fail(checked="`ranking`", expected=expected, given=f"{chosen}", hint=hint)
    top = ref[0]
    parts = analysis.explain(portfolio(), top)
    ref_signals = list(parts.index[:2])
    expected = (f"a list of the 2 signal columns that add the most points to {top}'s score, the bigger first, "
                "e.g. ['fill_rate', 'senior_visits']")
    signals = _signals(ans["top_signals"], expected)
    if signals != ref_signals:
        if set(signals) == set(ref_signals):
            hint = "the right signals, but put the one with more points first"
        elif any(s not in parts.index[:4] for s in signals):
            hint = f"look at the points column of analysis.explain(portfolio, '{top}'), not at the raw values"
        else:
            hint = f"take the first two rows of analysis.explain(portfolio, '{top}') (sorted by points)"
        raise Fail(checked="`top_signals`", expected=expected, given=f"{signals}", hint=hint)
    return f"{top} is the account most at risk, and you named the two signals that weigh most in its score."


def _signals(x: Any, expected: str) -> list[str]:
    if isinstance(x, str):
        raise Fail(checked="`top_signals`", expected=expected, given=describe(x),
                   hint="give a list of two names, e.g. ['fill_rate', 'senior_visits']")
    if isinstance(x, pd.Series | pd.DataFrame | pd.Index):
        x = list(x.index) if not isinstance(x, pd.Index) else list(x)
    if not isinstance(x, list | tuple):
        raise Fail(checked="`top_signals`", expected=expected, given=describe(x), hint="give a list of two names")
    out = [SIGNAL_ALIASES.get(str(v).strip(), str(v).strip()) for v in x]
    unknown = [v for v in out if v not in analysis.SIGNAL_COLUMNS]
    if unknown:
        raise Fail(checked="`top_signals`", expected=expected, given=describe(x),
                   hint=f"{unknown[0]!r} is not a signal; signals are {', '.join(analysis.SIGNAL_COLUMNS)}")
    if len(out) != 2:
        raise Fail(checked="`top_signals`", expected=expected, given=describe(x), hint="name exactly two signals")
    return out


# --------------------------------------------------------------------------- q2, q5: quiz forms
@register(EXERCISE, "q2", "match strategies to weak drivers", needs=("q2",),
          note="The grader checks each account separately (one point each).")
def q2(ans: Answers) -> str:
    item = bank()["q2"]
    answer = ans["q2"]
    if not isinstance(answer, dict):
        raise Fail(checked="`q2`", expected="a dict giving a strategy id for each of w1 ... w6",
                   given=describe(answer), hint='write it as q2 = {"w1": "supply", "w2": ..., ...}')
    problems = quiz.form_problems(item, answer)
    if problems:
        ids = ", ".join(b.id for b in item.buckets)
        raise Fail(checked="`q2`", expected=f"a strategy id for each of w1 ... w6, one of: {ids}",
                   given="; ".join(problems), hint="use the ids exactly as written, in quotes")
    return "Every account has a strategy id; whether it is the best one is checked when the exercise is graded."


@register(EXERCISE, "q5", "the KA basics", needs=("q5",),
          note="The grader checks each question separately (one point each).")
def q5(ans: Answers) -> str:
    answer = ans["q5"]
    expected = "a dict with the keys i1 ... i6, each the letter of the option you choose"
    if not isinstance(answer, dict):
        raise Fail(checked="`q5`", expected=expected, given=describe(answer),
                   hint='write it as q5 = {"i1": "a", "i2": ..., ...}')
    missing = [k for k in Q5_ITEMS if k not in answer]
    extra = [str(k) for k in answer if k not in Q5_ITEMS]
    if missing or extra:
        raise Fail(checked="`q5`", expected=expected, given=f"keys {sorted(map(str, answer))}",
                   hint=(f"answer {missing[0]}" if missing else f"{extra[0]!r} is not a question of Q5"))
    b = bank()
    for k in Q5_ITEMS:
        item = b[f"q5-{k}"]
        problems = quiz.form_problems(item, answer[k])
        if problems:
            letters = ", ".join(o.id for o in item.options)
            raise Fail(checked=f'`q5["{k}"]`', expected=f"one of the letters {letters}",
                       given=describe(answer[k]), hint="give the letter of one option, in quotes")
    return "All six answers are option letters; whether they are right is checked when the exercise is graded."


# --------------------------------------------------------------------------- q3: the budget
@register(EXERCISE, "q3", "where to spend the KA budget", needs=("choose_accounts",),
          note="The grader also checks how much profit your choice keeps against the best possible, on this "
               "portfolio and on other portfolios and budgets.")
def q3(ans: Answers) -> str:
    opts = options()
    expected = (f"choose_accounts(options, {BUDGET:,}) to return a list of different account ids whose plans "
                f"cost {BUDGET:,} yuan or less in total")
    result = ans.call("choose_accounts", opts, BUDGET, checked=f"choose_accounts(options, {BUDGET})",
                      expected=expected)
    if result is None:
        raise Fail(checked=f"choose_accounts(options, {BUDGET})", expected=expected, given="None",
                   hint="end the function with `return chosen`")
    chosen = shapes.id_list(result, "the result of choose_accounts", set(opts.index), expected,
                            example=("K01", "K02"))
    if len(set(chosen)) != len(chosen):
        dup = next(c for c in chosen if chosen.count(c) > 1)
        raise Fail(checked=f"choose_accounts(options, {BUDGET})", expected=expected, given=f"{chosen}",
                   hint=f"{dup} appears twice: fund each account's plan once")
    outcome = analysis.budget_outcome(opts, chosen, BUDGET)
    if not outcome["within_budget"]:
        raise Fail(checked=f"choose_accounts(options, {BUDGET})", expected=expected,
                   given=f"{len(chosen)} plans costing {outcome['cost']:,.0f} yuan",
                   hint="skip a plan that would take you over the budget, and keep looking for cheaper ones that fit")
    if not chosen:
        raise Fail(checked=f"choose_accounts(options, {BUDGET})", expected=expected, given="an empty list",
                   hint="fund at least one plan: the budget is there to be spent")
    return (f"Your choice funds {len(chosen)} plans for {outcome['cost']:,.0f} yuan (within the budget) and keeps "
            f"{outcome['value_kept']:,.0f} yuan of gross profit.")
