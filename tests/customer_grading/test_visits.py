"""Tests of salescoach.customer_grading.visits: the review of a visit plan against a manager's rules."""
from __future__ import annotations

import pytest

from salescoach.customer_grading import value, visits


@pytest.fixture(scope="module")
def t():
    from salescoach.datasets import load

    return load("territory").set_index("customer_id")


class TestVisitPlanReview:
    def test_rules_tell_a_good_plan_from_habit_and_from_revenue_alone(self, t):
        by_value = value.value_analysis(t)
        best = by_value["expected_profit"].sort_values(ascending=False).index
        growth = ["T093", "T177", "T020"]  # fast-growing customers
        good = growth + [c for c in best if c not in growth][:27]
        assert visits.visit_plan_review(t, good, "2025-12-31")["met"].all()
        habit = visits.visit_plan_review(t, list(t.index[t.visited][:30]), "2025-12-31")["met"]
        assert habit.to_dict() == {"budget": True, "core": False, "value": False, "rookie's trap": False,
                                   "growth": False}
        by_revenue = visits.visit_plan_review(t, list(t["revenue_12m"].nlargest(30).index), "2025-12-31")["met"]
        assert by_revenue.drop("growth").all() and not by_revenue["growth"]

    def test_budget_and_bad_ids(self, t):
        review = visits.visit_plan_review(t, list(t.index[:31]), "2025-12-31")
        assert not review.loc["budget", "met"] and review.loc["budget", "found"] == "31 customers"
        with pytest.raises(ValueError, match=r"unknown customer id\(s\) \['X1'\]"):
            visits.visit_plan_review(t, ["T001", "X1"], "2025-12-31")
        with pytest.raises(ValueError, match="more than once"):
            visits.visit_plan_review(t, ["T001", "T001"], "2025-12-31")
        with pytest.raises(ValueError, match="list of customer ids"):
            visits.visit_plan_review(t, "T001", "2025-12-31")
