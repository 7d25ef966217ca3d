"""The exercise's self-checks: right answers pass, common wrong shapes get a plain-words hint."""
from __future__ import annotations

import pandas as pd

from salescoach.lifetime_value import analysis, checks
from salescoach.selfcheck import check


def _run(q, **ns):
    return check(q, exercise=checks.EXERCISE, namespace=ns)


def test_q1_right_and_wrong():
    m = checks.metrics()
    right = {"n_records": int(m["worth_a_record"].sum()), "loss_makers": list(m.index[m["net_profit"] < 0])}
    assert _run("q1", **right)
    gross = list(checks.territory().index[checks.territory()["gross_profit"] < 0])
    verdict = _run("q1", n_records=right["n_records"], loss_makers=gross)
    assert not verdict and "gross" in verdict.hint
    assert "not yet" in _run("q1", n_records=300, loss_makers=[]).text


def test_quiz_forms_do_not_reveal_the_key():
    assert _run("q2", q2={k: "net_profit" for k in checks.Q2_SCENARIOS})  # form only
    verdict = _run("q2", q2={"s1": "annual_sales"})
    assert not verdict and "'s2' is missing" in verdict.hint
    assert not _run("q5", q5={"i1": "d", "i2": "a", "i3": "a"})
    assert not _run("q5", q5="a")


def test_judgment_forms_and_the_grading_rules_tell_good_from_plausible_wrong():
    ref = checks.cdnow()
    best = list(analysis.win_back_list(ref["p_alive"], ref["value_if_active"], calls=20).index)
    assert _run("q3", call_list=best)
    assert "exactly 20" in _run("q3", call_list=best[:5]).hint
    mask = ref["p_alive"] < 0.5
    assert "mask" in _run("q3", call_list=mask).hint
    assert "not a customer" in _run("q3", call_list=best[:19] + [999999]).hint
    stake = checks.value_at_stake()
    top = stake.sort_values(ascending=False).iloc[:20].sum()
    lowest_p = ref["p_alive"][ref["p_alive"] < 0.5].nsmallest(20).index
    assert stake.reindex(lowest_p).fillna(0).sum() < 0.9 * top  # a plausible wrong rule fails the value test
    by_revenue = ref["summary"]["revenue"].nlargest(20).index
    assert (ref["p_alive"][by_revenue] >= 0.5).any()  # the biggest customers are mostly still active
    top20 = checks.top_by_revenue()
    not_vip = list(ref["clv"][top20].nsmallest(5).index)
    assert _run("q4", not_vip=not_vip)
    outside = ref["summary"]["revenue"].nsmallest(5).index
    assert "top 20" in _run("q4", not_vip=list(outside)).given
    assert _run("q4", not_vip=pd.Index(not_vip))
