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

from .test_ranking import PROPS, value_series


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




# --------------------------------------------------------------------------- the value-analysis metrics (S1)
def _book() -> pd.DataFrame:
    """Four customers worked by hand: a big earner, a small shop that costs more than it brings, a new customer
    and a prospect."""
    return pd.DataFrame({
        "revenue_12m": [500_000.0, 8_000.0, 900.0, 0.0],
        "revenue_to_date": [2_000_000.0, 30_000.0, 900.0, 0.0],
        "gross_profit": [100_000.0, 2_000.0, 200.0, 0.0],
        "contact_cost_12m": [20_000.0, 5_000.0, 100.0, 600.0],
        "first_purchase": pd.to_datetime(["2020-12-31", "2022-01-01", "2025-07-01", None]),
        "last_purchase": pd.to_datetime(["2025-12-31", "2024-01-01", "2025-07-01", None]),
    }, index=["big", "shop", "new", "prospect"])


class TestValueAnalysis:
    def test_net_customer_profit(self):
        b = _book()
        net = g.net_customer_profit(b["gross_profit"], b["contact_cost_12m"])
        assert net.tolist() == [80_000, -3_000, 100, -600]
        assert net.name == "net_profit"

    def test_net_profit_rejects_negative_cost_and_misaligned_rows(self):
        with pytest.raises(ValueError, match=r"contact_cost: negative cost at rows \['b'\]"):
            g.net_customer_profit(pd.Series([1.0, 2.0], index=["a", "b"]), pd.Series([1.0, -2.0], index=["a", "b"]))
        with pytest.raises(ValueError, match="same index"):
            g.net_customer_profit(pd.Series([1.0], index=["a"]), pd.Series([1.0], index=["b"]))
        with pytest.raises(ValueError, match=r"gross_profit: 1 missing value"):
            g.net_customer_profit(pd.Series([np.nan]), pd.Series([1.0]))

    def test_relationship_years(self):
        b = _book()
        years = g.relationship_years(b["first_purchase"], b["last_purchase"])
        assert years["big"] == pytest.approx(1826 / 365.25)
        assert years["shop"] == pytest.approx(730 / 365.25)  # stopped buying in 2024: the relationship ended
        assert years["prospect"] == 0.0
        with pytest.raises(ValueError, match=r"last_purchase before first_purchase at rows \['big'\]"):
            g.relationship_years(b["first_purchase"], b["first_purchase"].shift(-1).fillna(b["first_purchase"])
                                 .where(b.index != "big", pd.Timestamp("2019-01-01")))
        with pytest.raises(ValueError, match=r"only one of .* at rows \['new'\]"):
            g.relationship_years(b["first_purchase"], b["last_purchase"].where(b.index != "new"))

    def test_expected_profit_by_hand(self):
        net = pd.Series([100.0, -50.0])
        # two years, retention 0.9, discount 0: 100 x (0.9 + 0.81)
        assert g.expected_profit(net, 0.9, years=2, discount_rate=0.0).tolist() == pytest.approx([171.0, -85.5])
        # per-customer retention
        got = g.expected_profit(net, pd.Series([1.0, 0.5]), years=1, discount_rate=0.0)
        assert got.tolist() == pytest.approx([100.0, -25.0])

    @pytest.mark.parametrize("kwargs, match", [
        ({"retention": 1.5}, "probability"), ({"years": 0}, "years must be"), ({"discount_rate": -1}, "discount_rate"),
    ])
    def test_expected_profit_bad_input(self, kwargs, match):
        with pytest.raises(ValueError, match=match):
            g.expected_profit(pd.Series([1.0]), **kwargs)

    def test_value_analysis_table(self):
        b = _book()
        before = b.copy()
        va = g.value_analysis(b, retention=1.0, years=1, discount_rate=0.0)
        pd.testing.assert_frame_equal(b, before)
        assert list(va.columns) == ["annual_sales", "worth_a_record", "total_revenue", "contact_cost", "net_profit",
                                    "relationship_years", "expected_profit"]
        assert va["worth_a_record"].tolist() == [True, True, False, False]  # 1,000 yuan a year (S1)
        assert va["expected_profit"].tolist() == pytest.approx(va["net_profit"].tolist())

    def test_value_analysis_names_missing_columns(self):
        with pytest.raises(ValueError, match=r"missing \['contact_cost_12m'\]"):
            g.value_analysis(_book().drop(columns="contact_cost_12m"))

    @PROPS
    @given(value_series(allow_negative=True, min_size=1), st.floats(0.0, 1.0), st.integers(1, 10),
           st.floats(0.0, 0.5))
    def test_expected_profit_properties(self, net, retention, years, discount):
        got = g.expected_profit(net, retention, years, discount)
        assert got.index.equals(net.index)
        # same sign as this year's net profit, never more than `years` undiscounted years of it
        assert (np.sign(got.round(9)) * np.sign(net) >= 0).all()
        assert (got.abs() <= net.abs() * years + 1e-6).all()


# --------------------------------------------------------------------------- profitability pyramid, core
class TestProfitabilityTiers:
    def test_hand_example(self):
        net = pd.Series([600.0, 300.0, 80.0, 15.0, 5.0, 0.0, -40.0], index=list("abcdefg"))
        loyal = pd.Series([True, False, True, True, False, True, True], index=net.index)
        tiers = g.profitability_tiers(net, loyal)
        # share of positive net profit above each: a 0, b 0.6 (both A), c 0.9 (B), d and e C; f and g lead
        assert tiers.astype(str).tolist() == ["platinum", "gold", "gold", "iron", "iron", "lead", "lead"]
        assert list(tiers.cat.categories) == list(g.PROFIT_TIER_LABELS)

    def test_loyal_from_would_recommend(self):
        got = g.loyal(pd.Series([10, 9, 8, None], dtype="Int64"))
        assert got.tolist() == [True, True, False, False]

    def test_bad_input(self):
        with pytest.raises(ValueError, match="True/False Series"):
            g.profitability_tiers(pd.Series([1.0]), pd.Series([1]))
        with pytest.raises(ValueError, match="same index"):
            g.profitability_tiers(pd.Series([1.0], index=["a"]), pd.Series([True], index=["b"]))

    @PROPS
    @given(value_series(allow_negative=True), st.data())
    def test_properties(self, net, data):
        loyal = pd.Series(data.draw(st.lists(st.booleans(), min_size=len(net), max_size=len(net))),
                          index=net.index, dtype=bool)
        tiers = g.profitability_tiers(net, loyal).astype(str)
        assert ((tiers == "lead") == (net <= 0)).all()
        assert not (tiers[~loyal] == "platinum").any()
        # a platinum customer never earns less than an iron one
        if (tiers == "platinum").any() and (tiers == "iron").any():
            assert net[tiers == "platinum"].min() >= net[tiers == "iron"].max()

    def test_core_customers(self):
        net = pd.Series([600.0, 300.0, 50.0, 40.0, -10.0], index=list("abcde"))
        loyal = pd.Series([False, False, True, False, True], index=net.index)
        years = pd.Series([1.0, 1.0, 4.0, 9.0, 9.0], index=net.index)
        core = g.core_customers(net, loyal, years)
        # a and b are the big earners; c is a loyal customer of 4 years; d is old but not loyal; e loses money
        assert core.tolist() == [True, True, True, False, False]
        with pytest.raises(ValueError, match="top_cut"):
            g.core_customers(net, loyal, years, top_cut=1.0)


class TestDataCard:
    def test_sections_in_order_and_how_it_is_kept(self):
        row = _book().assign(customer_id=["T1", "T2", "T3", "T4"], name="Acme", satisfaction=4,
                             growth_yoy=0.25).loc["big"]
        card = g.data_card(row, "2025-12-31", owner="Xiao Zhang", extra={"tier": "platinum", "note": "x"})
        sections = list(dict.fromkeys(card["section"]))
        assert sections == [f"{k} {v}" for k, v in g.DATA_CARD_SECTIONS.items()] + ["how the card is kept"]
        shown = dict(zip(card["item"], card["value"]))
        assert shown["profitability tier"] == "platinum" and shown["note"] == "x"
        assert shown["growth on last year"] == "+25%" and shown["customer since"] == "2020-12-31"
        assert shown["owner (named owner 专人负责)"] == "Xiao Zhang"
        assert shown["next review (looking ahead 放眼未来)"] == "2026-03-31"

    def test_needs_a_named_owner_and_one_row(self):
        with pytest.raises(ValueError, match="named person"):
            g.data_card(_book().iloc[0], "2025-12-31", owner=" ")
        with pytest.raises(ValueError, match="one row"):
            g.data_card(_book(), "2025-12-31", owner="Zhang")
