"""Tests of salescoach.customer_grading.value: the composite score, margins, fake big customers, value types,
the value-analysis metrics, the profitability pyramid, core customers and the data card."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salescoach.customer_grading import value as g

from .test_analysis import PROPS


# --------------------------------------------------------------------------- value score
@pytest.fixture
def indicators() -> pd.DataFrame:
    return pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [30.0, 20.0, 10.0], "k": [5.0, 5.0, 5.0]},
                        index=["x", "y", "z"])


class TestValueScore:
    def test_rank_single(self, indicators):
        s = g.value_score(indicators, {"a": 1})
        assert s.tolist() == pytest.approx([100 / 3, 200 / 3, 100])
        assert list(s.index) == ["x", "y", "z"]

    def test_minmax_single(self, indicators):
        assert g.value_score(indicators, {"a": 1}, method="minmax").tolist() == pytest.approx([0, 50, 100])

    def test_minmax_weighted(self, indicators):
        # norm a = 0 .5 1, norm b = 1 .5 0 -> (3a + b) / 4
        assert g.value_score(indicators, {"a": 3, "b": 1}, "minmax").tolist() == pytest.approx([25, 50, 75])
        assert g.value_score(indicators, {"a": 1, "b": 1}, "minmax").tolist() == pytest.approx([50, 50, 50])

    def test_rank_ties_share_average(self):
        df = pd.DataFrame({"a": [1, 1, 2]})
        assert g.value_score(df, {"a": 1}).tolist() == pytest.approx([50, 50, 100])

    def test_constant_minmax_is_zero(self, indicators):
        assert g.value_score(indicators, {"k": 1}, "minmax").tolist() == [0, 0, 0]

    def test_zero_weight_ignored(self, indicators):
        pd.testing.assert_series_equal(
            g.value_score(indicators, {"a": 2, "b": 0}, "minmax"), g.value_score(indicators, {"a": 1}, "minmax")
        )

    def test_lower_is_better_via_negative_column(self, indicators):
        df = indicators.assign(neg_b=-indicators["b"])
        assert g.value_score(df, {"neg_b": 1}, "minmax").tolist() == pytest.approx([0, 50, 100])

    def test_empty_frame(self):
        s = g.value_score(pd.DataFrame({"a": pd.Series([], dtype=float)}), {"a": 1})
        assert len(s) == 0

    def test_input_not_mutated(self, indicators):
        before = indicators.copy()
        g.value_score(indicators, {"a": 1, "b": 2})
        pd.testing.assert_frame_equal(indicators, before)

    def test_errors(self, indicators):
        with pytest.raises(ValueError, match="weights is empty"):
            g.value_score(indicators, {})
        with pytest.raises(ValueError, match=r"not in the data: \['zz'\].*columns are \['a', 'b', 'k'\]"):
            g.value_score(indicators, {"a": 1, "zz": 1})
        with pytest.raises(ValueError, match=r"weights must be >= 0 with a positive sum"):
            g.value_score(indicators, {"a": -1, "b": 2})
        with pytest.raises(ValueError, match=r"weights must be >= 0 with a positive sum"):
            g.value_score(indicators, {"a": 0, "b": 0})
        with pytest.raises(ValueError, match=r"method must be 'rank' or 'minmax', got 'zscore'"):
            g.value_score(indicators, {"a": 1}, method="zscore")

    @pytest.mark.parametrize("bad", [float("nan"), float("inf")])
    def test_non_finite_weight(self, indicators, bad):
        with pytest.raises(ValueError, match=r"weights must be >= 0 with a positive sum"):
            g.value_score(indicators, {"a": bad, "b": 1})

    def test_nan_in_indicator_names_rows(self, indicators):
        df = indicators.copy()
        df.loc["y", "b"] = np.nan
        with pytest.raises(ValueError, match=r"b: 1 missing value\(s\) \(NaN\) at rows \['y'\]"):
            g.value_score(df, {"a": 1, "b": 1})

    @PROPS
    @given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.integers(0, 5)), min_size=1, max_size=25),
           st.floats(0, 10), st.floats(0.01, 10), st.sampled_from(["rank", "minmax"]))
    def test_properties(self, rows, wa, wb, method):
        df = pd.DataFrame(rows, columns=["a", "b"], index=[f"r{i}" for i in range(len(rows))])
        s = g.value_score(df, {"a": wa, "b": wb}, method)
        assert s.index.equals(df.index)
        assert ((s >= -1e-9) & (s <= 100 + 1e-9)).all()
        # a customer at least as good on every indicator scores at least as high
        a, b, sc = df["a"].to_numpy(), df["b"].to_numpy(), s.to_numpy()
        dom = (a[:, None] >= a[None, :]) & (b[:, None] >= b[None, :])
        assert (sc[:, None] >= sc[None, :] - 1e-9)[dom].all()


# --------------------------------------------------------------------------- margin and fake big customers
class TestMarginAndFakeBig:
    def test_gross_margin(self):
        r = pd.Series([100.0, 0.0, 50.0], index=list("abc"))
        p = pd.Series([20.0, 0.0, -5.0], index=list("abc"))
        m = g.gross_margin(r, p)
        assert m["a"] == pytest.approx(0.2)
        assert np.isnan(m["b"])
        assert m["c"] == pytest.approx(-0.1)
        assert m.dtype == float

    def test_gross_margin_index_mismatch(self):
        with pytest.raises(ValueError, match="same index"):
            g.gross_margin(pd.Series([1.0], index=["a"]), pd.Series([1.0], index=["b"]))

    def test_gross_margin_nan(self):
        with pytest.raises(ValueError, match=r"gross_profit: 1 missing.*\[0\]"):
            g.gross_margin(pd.Series([1.0]), pd.Series([np.nan]))

    @pytest.fixture
    def book(self):
        idx = ["c1", "c2", "c3", "c4", "c5"]
        revenue = pd.Series([1000.0, 800.0, 500.0, 100.0, 50.0], index=idx)
        profit = pd.Series([10.0, 200.0, -20.0, 1.0, 0.0], index=idx)
        return revenue, profit

    def test_fake_big(self, book):
        revenue, profit = book
        # top 40% = ceil(2) = c1, c2; margins .01 and .25 -> only c1
        f = g.fake_big_customers(revenue, profit, top_share=0.4)
        assert f.dtype == bool
        assert f.to_dict() == {"c1": True, "c2": False, "c3": False, "c4": False, "c5": False}
        # top 60% adds c3 with a negative margin
        assert g.fake_big_customers(revenue, profit, top_share=0.6)[lambda s: s].index.tolist() == ["c1", "c3"]
        # small customers with thin margins are not "big"
        assert not g.fake_big_customers(revenue, profit, top_share=0.6)["c4"]
        assert g.fake_big_customers(revenue, profit, top_share=1.0, max_margin=0.3).sum() == 5

    def test_default_top_share(self, book):
        revenue, profit = book
        assert g.fake_big_customers(revenue, profit).tolist() == [True, False, False, False, False]

    def test_zero_revenue_never_flagged(self):
        f = g.fake_big_customers(pd.Series([0.0, 0.0]), pd.Series([0.0, -5.0]), top_share=1.0)
        assert not f.any()

    @pytest.mark.parametrize("bad", [0, -0.5, 1.5])
    def test_bad_top_share(self, book, bad):
        with pytest.raises(ValueError, match=r"top_share must be in \(0, 1\]"):
            g.fake_big_customers(*book, top_share=bad)

    @PROPS
    @given(st.lists(st.tuples(st.integers(0, 10_000), st.floats(-0.2, 0.5)), max_size=40),
           st.floats(0.01, 1.0), st.floats(-0.1, 0.3))
    def test_properties(self, rows, top_share, max_margin):
        idx = [f"k{i}" for i in range(len(rows))][::-1]
        revenue = pd.Series([float(r) for r, _ in rows], index=idx)
        profit = pd.Series([round(r * m, 2) for r, m in rows], index=idx)
        r0, p0 = revenue.copy(), profit.copy()
        f = g.fake_big_customers(revenue, profit, top_share, max_margin)
        pd.testing.assert_series_equal(revenue, r0)
        pd.testing.assert_series_equal(profit, p0)
        assert f.index.equals(revenue.index)
        k = math.ceil(round(top_share * len(rows), 9))
        assert f.sum() <= k
        flagged = f[f].index
        assert (revenue[flagged] > 0).all()
        assert (profit[flagged] / revenue[flagged] < max_margin).all()
        if len(flagged):
            # nobody outside the top k by revenue is flagged
            assert revenue[flagged].min() >= revenue.sort_values(ascending=False).iloc[k - 1]


# --------------------------------------------------------------------------- value types
@pytest.fixture
def history() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "first_purchase": [None, "2020-01-01", "2024-06-01", "2020-01-01", "2025-03-01", "2021-05-05", "2025-01-01"],
            "last_purchase": [None, "2025-05-01", "2025-12-01", "2025-12-01", "2025-12-01", "2025-06-30", "2025-11-01"],
            "growth_yoy": [np.nan, 0.5, 0.3, 0.05, np.nan, 0.29, -0.2],
        },
        index=["pros", "dorm", "fast", "loyal", "new", "edge", "young"],
    )


class TestValueTypes:
    def test_rules(self, history):
        t = g.value_types(history, "2025-12-31")
        assert t.to_dict() == {
            "pros": "prospect",
            "dorm": "dormant",  # dormant wins over fast growth
            "fast": "fast-growing",  # growth exactly 30% counts
            "loyal": "loyal",
            "new": "worth cultivating",  # too new to compare
            "edge": "loyal",  # last purchase exactly 6 months before as-of: not dormant
            "young": "worth cultivating",  # under two years, not growing
        }
        assert list(t.cat.categories) == list(g.VALUE_TYPE_LABELS)
        assert t.cat.ordered

    def test_parameters(self, history):
        t = g.value_types(history, pd.Timestamp("2025-12-31"), dormant_months=3, fast_growth=0.25, loyal_years=10)
        assert t["edge"] == "dormant"
        assert t["loyal"] == "worth cultivating"
        assert t["fast"] == "fast-growing"

    def test_not_mutated(self, history):
        before = history.copy()
        g.value_types(history, "2025-12-31")
        pd.testing.assert_frame_equal(history, before)

    def test_missing_columns(self, history):
        with pytest.raises(ValueError, match=r"missing \['growth_yoy'\]"):
            g.value_types(history.drop(columns="growth_yoy"), "2025-12-31")

    def test_first_without_last(self, history):
        h = history.copy()
        h.loc["new", "last_purchase"] = None
        with pytest.raises(ValueError, match=r"rows \['new'\].*fill last_purchase"):
            g.value_types(h, "2025-12-31")

    def test_empty(self):
        t = g.value_types(pd.DataFrame(columns=["first_purchase", "last_purchase", "growth_yoy"]), "2025-12-31")
        assert len(t) == 0

    def test_strategies_cover_every_type(self):
        assert set(g.VALUE_TYPE_STRATEGIES) == set(g.VALUE_TYPE_LABELS) == set(g.VALUE_TYPE_CHINESE)


