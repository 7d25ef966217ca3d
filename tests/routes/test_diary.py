"""salescoach.routes.diary: the rookie's visit diary against his customers' sales."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.customer_grading.analysis import abc_classes
from salescoach.datasets import load
from salescoach.routes import diary


@pytest.fixture(scope="module")
def shops() -> pd.DataFrame:
    return load("rookie_customers")


@pytest.fixture(scope="module")
def visits() -> pd.DataFrame:
    return load("visit_diary")


@pytest.fixture(scope="module")
def classes(shops) -> pd.Series:
    return abc_classes(shops.set_index("customer_id")["sales_12m"])


def test_effort_by_class_on_the_case(visits, shops, classes):
    by = diary.effort_by_class(visits, shops, classes)
    assert list(by.index) == ["A", "B", "C"]
    assert by["customers"].tolist() == [9, 9, 12]
    for col in ("visits_share", "time_share", "spend_share", "sales_share"):
        assert by[col].sum() == pytest.approx(1.0)
    assert by.loc["A", "sales_share"] > 0.8 and by.loc["A", "time_share"] < 0.1
    assert by.loc["C", "time_share"] > 0.6 and by.loc["C", "sales_share"] < 0.05
    index = diary.misallocation(by)
    assert index["time"] == pytest.approx(0.75, abs=0.01) and (index > 0.6).all()


def test_effort_by_customer_lists_every_customer(visits, shops, classes):
    per = diary.effort_by_customer(visits, shops, classes)
    assert len(per) == 30 and per["visits"].sum() == len(visits)
    assert per.loc["R02", "visits"] == 0  # the biggest shop, never visited
    assert per["sales_12m"].is_monotonic_decreasing
    assert {"potential_12m", "name", "time_share"} <= set(per.columns)


def test_reallocation_keeps_the_total_and_follows_the_policy(visits, shops, classes):
    by = diary.effort_by_class(visits, shops, classes)
    plan = diary.reallocation(by)
    assert plan["visits_recommended"].sum() == by["visits"].sum()
    assert plan["spend_recommended"].sum() == pytest.approx(by["spend_yuan"].sum(), abs=2)
    assert plan.loc["A", "visits_change"] > 0 and plan.loc["C", "visits_change"] < 0
    weights = {"A": 9 * 2, "B": 9 * 1, "C": 12 * 0.5}
    for c, w in weights.items():
        assert abs(plan.loc[c, "visits_recommended"] - w / sum(weights.values()) * 62) < 1
    with pytest.raises(ValueError, match=r"class\(es\) \['C'\]"):
        diary.reallocation(by, {"A": 2, "B": 1})


def test_misallocation_index_bounds():
    s = pd.Series({"A": 0.8, "B": 0.15, "C": 0.05})
    assert diary.misallocation_index(s, s) == 0
    assert diary.misallocation_index(pd.Series({"A": 0, "B": 0, "C": 1.0}), pd.Series({"A": 1.0, "B": 0, "C": 0})) == 1
    with pytest.raises(ValueError, match="add up to 1"):
        diary.misallocation_index(pd.Series({"A": 50, "B": 50}), pd.Series({"A": 0.5, "B": 0.5}))
    with pytest.raises(ValueError, match="every class"):
        diary.misallocation_index(pd.Series({"A": 1.0}), pd.Series({"B": 1.0}))


@given(st.lists(st.floats(0.01, 10), min_size=2, max_size=5), st.lists(st.floats(0.01, 10), min_size=2, max_size=5))
@settings(max_examples=50, deadline=None)
def test_misallocation_index_is_between_0_and_1(e, s):
    n = min(len(e), len(s))
    effort = pd.Series(e[:n]) / sum(e[:n])
    sales = pd.Series(s[:n]) / sum(s[:n])
    x = diary.misallocation_index(effort, sales)
    assert 0 <= x <= 1 + 1e-12
    assert x == pytest.approx(diary.misallocation_index(sales, effort))


def test_bad_diaries_name_the_rows(visits, shops, classes):
    bad = visits.copy()
    bad.loc[[3, 8], "customer_id"] = "R99"
    with pytest.raises(ValueError, match=r"rows \[3, 8\] name customers that are not in the customer list"):
        diary.effort_by_class(bad, shops, classes)
    neg = visits.copy()
    neg.loc[4, "minutes"] = -5
    with pytest.raises(ValueError, match=r"'minutes' has missing or negative values at rows \[4\]"):
        diary.effort_by_class(neg, shops, classes)
    with pytest.raises(ValueError, match="missing column"):
        diary.effort_by_class(visits.drop(columns="spend_yuan"), shops, classes)
    with pytest.raises(ValueError, match="sales_12m"):
        diary.effort_by_class(visits, shops.drop(columns="sales_12m"), classes)
    with pytest.raises(ValueError, match="every customer"):
        diary.effort_by_class(visits, shops, classes.iloc[:5])
