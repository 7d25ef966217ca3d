"""The purchase platform's ceiling (capacity model) and the growth projection: kit assumptions, visible."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.platforms import capacity


def test_default_model_and_its_ceiling():
    a = capacity.CapacityAssumptions()
    assert a.customer_hours == pytest.approx(112)
    q = capacity.service_quality([50, 60, 156], a).set_index("customers")
    assert q.loc[50, "quality_a"] == 1 and q.loc[50, "quality_b"] == 1
    assert q.loc[60, "quality_b"] < 0.9 <= q.loc[60, "quality_a"]
    assert q.loc[156, "quality_a"] < 0.5 and q.loc[156, "quality_b"] == 0
    assert capacity.ceiling(a) == 59
    table = a.table()
    assert set(table.index) >= {"hours_per_month", "basic_hours", "share_a"} and table["meaning"].notna().all()


@settings(max_examples=60, deadline=None)
@given(st.floats(80, 240), st.floats(0, 0.5), st.floats(0.1, 2), st.floats(0.5, 12), st.floats(0.5, 8),
       st.floats(0.01, 0.4), st.floats(0.01, 0.5), st.floats(0.5, 1))
def test_quality_falls_with_size_and_the_ceiling_is_exact(hours, dev, basic, a_h, b_h, sa, sb, target):
    a = capacity.CapacityAssumptions(hours_per_month=hours, development_share=dev, basic_hours=basic, a_hours=a_h,
                                     b_hours=b_h, share_a=sa, share_b=sb)
    q = capacity.service_quality(list(range(0, 400, 7)), a)
    assert (q["quality_a"].diff().dropna() <= 1e-12).all() and (q["quality_b"].diff().dropna() <= 1e-12).all()
    assert ((q["quality_a"] >= q["quality_b"] - 1e-12) | (q["b_needed"] == 0)).all()  # A is served first
    n = capacity.ceiling(a, target)
    at = capacity.service_quality([n, n + 1], a)
    assert at["quality_a"].iloc[0] >= target - 1e-9 and at["quality_b"].iloc[0] >= target - 1e-9
    assert min(at["quality_a"].iloc[1], at["quality_b"].iloc[1]) < target


def test_better_performance_raises_the_ceiling_but_not_without_limit():
    base = capacity.CapacityAssumptions()
    quicker = capacity.CapacityAssumptions(basic_hours=0.25)
    assert capacity.ceiling(quicker) > capacity.ceiling(base)
    # even with no basic service at all, relationship work alone caps the platform
    assert capacity.ceiling(capacity.CapacityAssumptions(basic_hours=0)) < 200


def test_class_mix_from_the_data(territory):
    from salescoach.customer_grading.analysis import abc_classes

    t = territory.set_index("customer_id")
    cls = abc_classes(t["revenue_12m"])[t["revenue_12m"] > 0]
    a = capacity.CapacityAssumptions().with_mix(cls)
    assert a.share_a == pytest.approx(18 / 156) and a.share_b == pytest.approx(39 / 156)


def test_projection_and_steady_state():
    g = capacity.GrowthAssumptions()
    none = capacity.platform_projection(50, 5, g, develop=False, refer=False)
    assert none["end"].iloc[-1] == pytest.approx(50 * 0.88**5)
    both = capacity.platform_projection(50, 5, g)
    assert (both["won_referral"] == 6).all() and both["end"].is_monotonic_increasing
    s = capacity.steady_state(g)
    assert s == pytest.approx(100)
    flat = capacity.platform_projection(int(s), 3, g)
    assert flat["end"].tolist() == pytest.approx([100, 100, 100])
    assert capacity.steady_state(capacity.GrowthAssumptions(churn=0)) == math.inf


def test_prospects_worth_winning(territory):
    t = territory.set_index("customer_id")
    big = capacity.prospects_worth_winning(t, 979_513)
    assert len(big) == 9 and big["first_purchase"].isna().all()
    assert big["annual_potential"].is_monotonic_decreasing


def test_bad_assumptions_and_inputs():
    with pytest.raises(ValueError, match="development_share must be between 0 and 1"):
        capacity.CapacityAssumptions(development_share=1.5)
    with pytest.raises(ValueError, match="leave some hours"):
        capacity.CapacityAssumptions(development_share=0.6, admin_share=0.5)
    with pytest.raises(ValueError, match="share_a \\+ share_b"):
        capacity.CapacityAssumptions(share_a=0.7, share_b=0.5)
    with pytest.raises(ValueError, match="hours_per_month must be a number"):
        capacity.CapacityAssumptions(hours_per_month="many")
    with pytest.raises(ValueError, match="n_buying must be whole numbers"):
        capacity.service_quality([-3])
    with pytest.raises(ValueError, match="target must be between"):
        capacity.ceiling(target=1.5)
    with pytest.raises(ValueError, match="no ceiling"):
        capacity.ceiling(capacity.CapacityAssumptions(basic_hours=0, a_hours=0, b_hours=0))
    with pytest.raises(ValueError, match="churn must be between 0 and 1"):
        capacity.GrowthAssumptions(churn=12)
    with pytest.raises(ValueError, match="years must be a whole number"):
        capacity.platform_projection(50, 0)
    with pytest.raises(ValueError, match="territory is empty"):
        capacity.prospects_worth_winning(pd.DataFrame(), 1)
    with pytest.raises(ValueError, match=r"no column\(s\) \['annual_potential'\]"):
        capacity.prospects_worth_winning(pd.DataFrame({"first_purchase": [None]}), 1)
    with pytest.raises(ValueError, match="'A', 'B' or 'C'"):
        capacity.CapacityAssumptions().with_mix(pd.Series(["A", "X"]))
