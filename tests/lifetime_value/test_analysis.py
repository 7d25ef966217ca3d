"""The value metrics of the customer value analysis, rankings and the win-back list."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.lifetime_value import analysis as A


def _customers():
    return pd.DataFrame({
        "revenue_12m": [50_000.0, 800.0, 0.0, 120_000.0],
        "gross_profit": [12_000.0, 200.0, 0.0, 1_000.0],
        "orders_12m": [10, 6, 0, 30],
        "first_purchase": pd.to_datetime(["2020-01-01", "2025-06-01", None, "2024-12-31"]),
        "last_purchase": pd.to_datetime(["2025-12-01", "2025-12-10", None, "2025-12-31"]),
    }, index=pd.Index(["C1", "C2", "C3", "C4"], name="customer_id"))


def test_value_analysis_by_hand():
    v = A.value_analysis(_customers(), cost_per_contact=100, retention=0.8, discount_rate=0.0, years=2)
    assert list(v.columns) == list(A.METRIC_LABELS)
    assert v["worth_a_record"].tolist() == [True, False, False, True]
    assert v.loc["C1", "relationship_years"] == pytest.approx((pd.Timestamp("2025-12-01") - pd.Timestamp(
        "2020-01-01")).days / 365.25)
    assert v.loc["C3", "relationship_years"] == 0
    assert v.loc["C2", "total_revenue"] == 800.0  # under a year counts as one year
    assert v["contact_cost"].tolist() == [1000.0, 600.0, 0.0, 3000.0]
    assert v["net_profit"].tolist() == [11_000.0, -400.0, 0.0, -2000.0]
    assert v.loc["C1", "expected_profit"] == pytest.approx(11_000 * (0.8 + 0.64))


def test_a_contact_cost_column_or_series_wins():
    c = _customers().assign(contact_cost=[1.0, 2.0, 3.0, 4.0])
    assert A.value_analysis(c)["contact_cost"].tolist() == [1.0, 2.0, 3.0, 4.0]
    cost = pd.Series([0.0, 0, 0, 0], index=c.index)
    assert A.value_analysis(c, cost=cost)["net_profit"].equals(c["gross_profit"].rename("net_profit"))


def test_retention_per_customer():
    c = _customers()
    keep = pd.Series([1.0, 0.0, 0.5, 0.5], index=c.index)
    v = A.value_analysis(c, cost_per_contact=100, retention=keep, discount_rate=0.0, years=1)
    assert v["expected_profit"].tolist() == [11_000.0, -0.0, 0.0, -1000.0]


@pytest.mark.parametrize("change, message", [
    (lambda c: c.assign(revenue_12m=[1.0, -5.0, 0.0, 1.0]), r"revenue_12m: negative values at rows C2"),
    (lambda c: c.assign(last_purchase=pd.to_datetime(["2019-01-01", "2025-12-10", None, "2025-12-31"])),
     r"dates out of order: last_purchase is before first_purchase at rows C1"),
    (lambda c: c.assign(last_purchase=pd.to_datetime(["2025-12-01", None, None, "2025-12-31"])),
     r"only one of the two dates is given at rows C2"),
    (lambda c: c.drop(columns="gross_profit"), r"missing column\(s\) \['gross_profit'\]"),
    (lambda c: c.iloc[:0], r"empty"),
    (lambda c: c.assign(gross_profit=[1.0, np.nan, 0.0, 1.0]), r"gross_profit: missing.*rows C2"),
])
def test_bad_customer_tables(change, message):
    with pytest.raises(ValueError, match=message):
        A.value_analysis(change(_customers()))


def test_bad_parameters():
    with pytest.raises(ValueError, match="0.85, not 85"):
        A.expected_profit(pd.Series([1.0]), retention=85)
    with pytest.raises(ValueError, match="cost_per_contact"):
        A.contact_cost(pd.Series([1]), -3)
    with pytest.raises(ValueError, match="same index"):
        A.net_customer_profit(pd.Series([1.0], index=["a"]), pd.Series([1.0], index=["b"]))


@settings(max_examples=50, deadline=None)
@given(st.floats(0, 1), st.floats(0, 0.5), st.integers(1, 30))
def test_retention_multiplier_bounds(retention, rate, years):
    m = A.retention_multiplier(retention, rate, years)
    assert 0 <= m <= years + 1e-9
    assert m <= A.retention_multiplier(retention, rate, years + 1) + 1e-12


def test_rankings_and_fake_big_customers():
    revenue = pd.Series([100.0, 90, 80, 10, 5], index=list("abcde"))
    clv = pd.Series([5.0, 90, 80, 70, 1], index=list("abcde"))
    table = A.rank_comparison(revenue, clv)
    assert list(table.index) == list("bcdae")
    assert table.loc["a", "rank_change"] == 1 - 4
    assert A.top_overlap(revenue, clv, 2) == 0.5
    assert list(A.big_by_revenue_small_by_value(revenue, clv, top_share=0.4)) == ["a"]


def test_win_back_list():
    p = pd.Series([0.9, 0.2, 0.4, 0.05], index=list("abcd"))
    value = pd.Series([1000.0, 100, 500, 50], index=p.index)
    wb = A.win_back_list(p, value)
    assert list(wb.index) == ["c", "b", "d"]  # a is still buying
    assert wb.loc["c", "value_at_stake"] == pytest.approx(300)
    assert list(A.win_back_list(p, value, calls=1).index) == ["c"]
    with pytest.raises(ValueError, match="outside 0-1"):
        A.dormant_customers(pd.Series([1.5]))


def test_on_the_territory(territory):
    v = A.value_analysis(territory.set_index("customer_id"))
    assert len(v) == 300 and v["worth_a_record"].sum() > 100
    assert (v.loc[v["annual_sales"] == 0, "net_profit"] <= 0).all()
