"""Public self-checks of exercise M3b "Customer lifetime value 客户终身价值".

One check per auto-graded question of ``solutions/m3b_lifetime_value/m3b_exercise.ipynb``.  The checks
say whether an answer has the right form and, for the calculation (q1), whether it is right; for the
judgment and quiz questions they check the form only and never reveal the key.  Hidden tests live in the
source notebook only.  Reference answers are computed from fresh copies of the shipped data.

====  ===========================================  =====================================
q1    ``n_records``, ``loss_makers``                int, territory customer_ids
q2    ``q2`` (scenario -> metric)                   dict
q3    ``call_list``                                 20 CDNOW sample ids
q4    ``not_vip``                                   5 CDNOW sample ids
q5    ``q5`` (item -> option)                       dict
====  ===========================================  =====================================
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..datasets import load
from ..selfcheck import Answers, Fail, describe, is_mask, register, shapes
from ..selfcheck.references import fresh, pickled
from . import analysis, buying, rfm, spending

EXERCISE = "m3b_lifetime_value"
CALIBRATION_END = "1997-09-30"
CALLS = 20
NOT_VIP = 5
TOP_BY_REVENUE = 20
HORIZON_WEEKS = 52

#: q2: the scenarios and the metric ids a student may choose from (the key is in the hidden tests only)
Q2_SCENARIOS = ("s1", "s2", "s3", "s4", "s5")
Q2_OPTIONS = tuple(analysis.METRIC_LABELS)
#: q5: the items and their option ids
Q5_ITEMS = ("i1", "i2", "i3")
Q5_OPTIONS = ("a", "b", "c")


# --------------------------------------------------------------------------- reference data
@pickled
def _territory() -> pd.DataFrame:
    return load("territory").set_index("customer_id")


@pickled
def _metrics() -> pd.DataFrame:
    return analysis.value_analysis(fresh(_territory()))


@pickled
def _models() -> dict[str, Any]:
    """The CDNOW sample's summary, fits and per-customer predictions, as the exercise's set-up makes them."""
    summary = rfm.rfm_summary(load("cdnow_sample"), CALIBRATION_END, customer="sample_id")
    x, tx, t, m = summary["frequency"], summary["recency"], summary["T"], summary["monetary_value"]
    bg = buying.fit_bgnbd(x, tx, t)
    rep = summary[x > 0]
    gg = spending.fit_gamma_gamma(rep["frequency"], rep["monetary_value"])
    p_alive = buying.probability_alive(bg, x, tx, t)
    spend = spending.expected_average_value(gg, x, m)
    if_active = buying.expected_transactions_if_alive(bg, HORIZON_WEEKS, x, tx, t) * spend
    clv = spending.customer_lifetime_value(bg, gg, x, tx, t, m)
    return {"summary": summary, "p_alive": p_alive, "value_if_active": if_active, "clv": clv}


def territory() -> pd.DataFrame:
    return fresh(_territory())


def metrics() -> pd.DataFrame:
    return fresh(_metrics())


def cdnow() -> dict[str, Any]:
    """Fresh copies of the CDNOW summary and predictions (keys summary, p_alive, value_if_active, clv)."""
    return fresh(_models())


def value_at_stake() -> pd.Series:
    """(1 - P(alive)) x value if active, for the dormant customers (P(alive) < 0.5) of the CDNOW sample."""
    ref = cdnow()
    return analysis.win_back_list(ref["p_alive"], ref["value_if_active"])["value_at_stake"]


def top_by_revenue(k: int = TOP_BY_REVENUE) -> pd.Index:
    revenue = cdnow()["summary"]["revenue"]
    return revenue.sort_values(ascending=False, kind="mergesort").index[:k]


def precompute() -> None:
    """Compute every reference answer now (the grader calls this once before it forks per submission)."""
    _territory()
    _metrics()
    _models()


# --------------------------------------------------------------------------- answer shapes
def _sample_ids(x: Any, name: str, expected: str) -> list[int]:
    """CDNOW sample ids (whole numbers 1-2357) from a list, Index, array or Series; a mask is a Fail."""
    valid = set(cdnow()["summary"].index)
    if is_mask(x):
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x),
                   hint="that is a True/False mask; keep the ids where it is True, e.g. list(series.index[mask])")
    if isinstance(x, pd.DataFrame):
        x = x.index
    if isinstance(x, pd.Series):
        values = x.tolist()
        x = values if values and all(_as_id(v) in valid for v in values) else list(x.index)
    if not isinstance(x, (list, tuple, set, frozenset, pd.Index, np.ndarray)):
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x),
                   hint="give the ids as a list, e.g. [1901, 244], or an Index such as table.index[:20]")
    out = [_as_id(v) for v in x]
    unknown = [v for v, o in zip(x, out) if o not in valid]
    if unknown:
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x),
                   hint=f"{unknown[0]!r} is not a customer of the CDNOW sample; ids are the numbers 1-2357 of "
                        "summary.index")
    if len(set(out)) != len(out):
        dup = next(v for v in out if out.count(v) > 1)
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x),
                   hint=f"{dup} appears more than once; each customer counts once")
    return out


def _as_id(v: Any) -> Any:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    return int(f) if f.is_integer() else v


def _choices(x: Any, name: str, keys: tuple[str, ...], options: tuple[str, ...], example: str) -> dict[str, str]:
    expected = f"a dict with the keys {list(keys)}, each mapped to one of {list(options)}"
    if not isinstance(x, Mapping):
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x),
                   hint=f"write a dict, e.g. {name} = {example}")
    answer = {str(k).strip(): v for k, v in x.items()}
    missing = [k for k in keys if k not in answer]
    if missing:
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(list(answer)),
                   hint=f"answer every item: {missing[0]!r} is missing")
    extra = [k for k in answer if k not in keys]
    if extra:
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(list(answer)),
                   hint=f"{extra[0]!r} is not an item of this question")
    out = {}
    for k in keys:
        v = answer[k]
        if not isinstance(v, str) or v.strip() not in options:
            raise Fail(checked=f"`{name}['{k}']`", expected=f"one of {list(options)}", given=describe(v),
                       hint="use exactly one of the option ids, in quotes")
        out[k] = v.strip()
    return out


# --------------------------------------------------------------------------- q1
@register(EXERCISE, "q1", "value analysis of the territory", needs=("n_records", "loss_makers"))
def q1(ans: Answers) -> None:
    m = metrics()
    expected = ("the number of customers whose annual sales are above 1,000 yuan (worth a database record), "
                "as a whole number")
    n = shapes.whole_number(ans["n_records"], "n_records", expected)
    ref_n = int(m["worth_a_record"].sum())
    if n != ref_n:
        at_least = int((m["annual_sales"] >= analysis.RECORD_THRESHOLD).sum())
        if n == at_least:
            hint = "'above 1,000 yuan' means more than 1,000: a customer with exactly 1,000 does not count"
        elif n == len(m):
            hint = "count only the customers above the threshold, e.g. metrics['worth_a_record'].sum()"
        else:
            hint = "use the column worth_a_record of analysis.value_analysis(territory) and count the True values"
        raise Fail(checked="`n_records`", expected=expected, given=describe(ans["n_records"]), hint=hint)
    expected = ("the customer_ids whose net customer profit (gross profit minus contact cost) is below 0, "
                "from analysis.value_analysis(territory) with its default contact cost")
    chosen = shapes.id_list(ans["loss_makers"], "loss_makers", set(m.index), expected, example=("T001", "T002"))
    ref = set(m.index[m["net_profit"] < 0])
    if set(chosen) != ref:
        gross = set(m.index[territory()["gross_profit"] < 0])
        if set(chosen) == gross:
            hint = ("those are the customers with a negative *gross* profit; net profit also takes off the cost "
                    "of contacting them")
        elif set(chosen) - ref:
            hint = "some of your customers make a profit; keep only rows where net_profit < 0"
        else:
            hint = "some loss-making customers are missing: look at every row of net_profit, not only the big ones"
        raise Fail(checked="`loss_makers`", expected=expected,
                   given=f"{len(set(chosen))} customer(s), {len(set(chosen) & ref)} of them right", hint=hint)


# --------------------------------------------------------------------------- q2, q5: quiz forms
@register(EXERCISE, "q2", "which figure answers which question", needs=("q2",),
          note="This check looks at the form only; your trainer's tests mark the choices.")
def q2(ans: Answers) -> None:
    _choices(ans["q2"], "q2", Q2_SCENARIOS, Q2_OPTIONS, "{'s1': 'annual_sales', 's2': ..., ...}")


@register(EXERCISE, "q5", "reading P(alive) and CLV", needs=("q5",),
          note="This check looks at the form only; your trainer's tests mark the choices.")
def q5(ans: Answers) -> None:
    _choices(ans["q5"], "q5", Q5_ITEMS, Q5_OPTIONS, "{'i1': 'a', 'i2': 'b', 'i3': 'c'}")


# --------------------------------------------------------------------------- q3, q4: judgment forms
@register(EXERCISE, "q3", "whom to call first", needs=("call_list",),
          note="The grader also checks that your calls go to dormant customers and how much value they reach.")
def q3(ans: Answers) -> None:
    expected = f"a list of {CALLS} different CDNOW sample ids (the customers you call, best first)"
    chosen = _sample_ids(ans["call_list"], "call_list", expected)
    if len(chosen) != CALLS:
        raise Fail(checked="`call_list`", expected=expected, given=describe(ans["call_list"]),
                   hint=f"you have time for exactly {CALLS} calls: give {CALLS} ids")


@register(EXERCISE, "q4", "who should not get VIP treatment", needs=("not_vip",),
          note="The grader also checks where your customers rank by revenue and by lifetime value.")
def q4(ans: Answers) -> None:
    expected = f"a list of {NOT_VIP} different CDNOW sample ids from the top {TOP_BY_REVENUE} by revenue"
    chosen = _sample_ids(ans["not_vip"], "not_vip", expected)
    if len(chosen) != NOT_VIP:
        raise Fail(checked="`not_vip`", expected=expected, given=describe(ans["not_vip"]),
                   hint=f"name exactly {NOT_VIP} customers")
    outside = [c for c in chosen if c not in set(top_by_revenue())]
    if outside:
        raise Fail(checked="`not_vip`", expected=expected, given=f"{outside[0]} is not among the top "
                   f"{TOP_BY_REVENUE} by revenue", hint="choose among the VIP candidates only: "
                   "summary['revenue'].nlargest(20)")
