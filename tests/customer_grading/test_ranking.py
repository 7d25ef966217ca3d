"""Tests of salescoach.customer_grading.analysis: hand-computed examples and hypothesis properties."""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salescoach.customer_grading import ranking as g

PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- strategies
def _value_lists(min_size: int = 0, max_size: int = 30, allow_negative: bool = False):
    """Lists of values that mix small integers (many ties and zeros) with wide-ranging floats."""
    lo = -1e6 if allow_negative else 0.0
    elem = st.one_of(
        st.sampled_from([0.0, 1.0, 2.0, 5.0, 10.0]),
        st.integers(min_value=int(lo), max_value=1000).map(float),
        st.floats(min_value=lo, max_value=1e9, allow_nan=False, allow_infinity=False),
    )
    return st.lists(elem, min_size=min_size, max_size=max_size)


@st.composite
def value_series(draw, min_size: int = 0, max_size: int = 30, allow_negative: bool = False) -> pd.Series:
    """A float Series with a unique, shuffled, non-default index (so alignment bugs show)."""
    vals = draw(_value_lists(min_size, max_size, allow_negative))
    labels = draw(st.permutations([f"c{i:03d}" for i in range(len(vals))]))
    return pd.Series(vals, index=pd.Index(labels, name="customer_id"), dtype=float, name="revenue")


@st.composite
def quota_tuples(draw, min_len: int = 1, max_len: int = 5) -> tuple[float, ...]:
    """Quotas that are multiples of 1/20 (like the kit's 5/15/30/50 and 20/30/30/20) and sum to 1."""
    k = draw(st.integers(min_len, max_len))
    cuts = sorted(draw(st.lists(st.integers(0, 20), min_size=k - 1, max_size=k - 1)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, 20])]
    return tuple(p / 20 for p in parts)


def hamilton(n: int, quotas) -> list[int]:
    """Largest-remainder rounding in exact arithmetic; equal remainders go to the earlier class."""
    exact = [Fraction(q).limit_denominator(10_000) * n for q in quotas]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(quotas)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


RANK = {label: i for i, label in enumerate(g.ABC_LABELS)}


def assert_class_order(values: pd.Series, classes: pd.Series, categories) -> None:
    """A customer with a strictly higher value never gets a worse (later) class."""
    pos = classes.cat.codes.to_numpy()
    assert (pos >= 0).all(), "every customer gets a class"
    v = values.to_numpy()
    hi, lo = np.meshgrid(np.arange(len(v)), np.arange(len(v)), indexing="ij")
    higher = v[hi] > v[lo]
    assert not (higher & (pos[hi] > pos[lo])).any(), (list(v), list(classes))


def same(values: pd.Series):
    return values.copy(deep=True)


# --------------------------------------------------------------------------- pareto_curve
class TestParetoCurve:
    def test_hand_example(self):
        v = pd.Series([10, 40, 30, 20], index=list("abcd"))
        c = g.pareto_curve(v)
        assert list(c.index) == ["b", "c", "d", "a"]
        assert list(c.columns) == ["value", "rank", "customer_share", "value_share", "cumulative_share"]
        assert c["value"].tolist() == [40, 30, 20, 10]
        assert c["rank"].tolist() == [1, 2, 3, 4]
        assert c["customer_share"].tolist() == pytest.approx([0.25, 0.5, 0.75, 1.0])
        assert c["value_share"].tolist() == pytest.approx([0.4, 0.3, 0.2, 0.1])
        assert c["cumulative_share"].tolist() == pytest.approx([0.4, 0.7, 0.9, 1.0])

    def test_ties_keep_input_order(self):
        c = g.pareto_curve(pd.Series([5, 10, 5, 10], index=["w", "x", "y", "z"]))
        assert list(c.index) == ["x", "z", "w", "y"]

    def test_zeros_at_the_end_and_exact_one(self):
        c = g.pareto_curve(pd.Series([0.1, 0.2, 0.3, 0.4, 0.0]))
        cum = c["cumulative_share"].to_numpy()
        assert cum[-1] == 1.0
        assert (np.diff(cum) >= 0).all(), cum  # no float drift above 1 before the zero
        assert (cum <= 1.0).all()

    def test_all_zero(self):
        c = g.pareto_curve(pd.Series([0, 0, 0]))
        assert c["value_share"].tolist() == [0, 0, 0]
        assert c["cumulative_share"].tolist() == [0, 0, 0]
        assert c["customer_share"].tolist() == pytest.approx([1 / 3, 2 / 3, 1])

    def test_empty(self):
        c = g.pareto_curve(pd.Series([], dtype=float))
        assert c.empty
        assert "cumulative_share" in c.columns

    def test_accepts_a_list(self):
        c = g.pareto_curve([1, 3, 2])
        assert list(c.index) == [1, 2, 0]

    def test_single_customer(self):
        c = g.pareto_curve(pd.Series([7.0]))
        assert c["cumulative_share"].tolist() == [1.0]

    def test_negative_raises(self):
        with pytest.raises(ValueError, match=r"negative.*\['b'\].*clip"):
            g.pareto_curve(pd.Series([5, -1, 3], index=["a", "b", "c"]))

    def test_nan_raises_naming_rows(self):
        with pytest.raises(ValueError, match=r"missing value.*\[1, 3\].*fillna"):
            g.pareto_curve(pd.Series([1.0, np.nan, 2.0, np.nan]))

    def test_inf_raises(self):
        with pytest.raises(ValueError, match=r"infinite.*\[0\]"):
            g.pareto_curve(pd.Series([np.inf, 1.0]))

    def test_non_numeric_raises(self):
        with pytest.raises(ValueError, match=r"non-numeric.*\[1\]"):
            g.pareto_curve(pd.Series(["1", "abc", "3"]))

    def test_dataframe_raises(self):
        with pytest.raises(ValueError, match="DataFrame"):
            g.pareto_curve(pd.DataFrame({"a": [1, 2]}))

    @PROPS
    @given(value_series(min_size=1))
    def test_properties(self, v):
        before = same(v)
        c = g.pareto_curve(v)
        pd.testing.assert_series_equal(v, before)  # not mutated
        assert sorted(c.index) == sorted(v.index)
        assert len(c) == len(v)
        assert (np.diff(c["value"].to_numpy()) <= 0).all()
        cum = c["cumulative_share"].to_numpy()
        assert (np.diff(cum) >= 0).all(), cum
        assert c["rank"].tolist() == list(range(1, len(v) + 1))
        assert c["customer_share"].iloc[-1] == pytest.approx(1.0)
        if v.sum() > 0:
            assert c["value_share"].sum() == pytest.approx(1.0)
            assert cum[-1] == 1.0
            assert (cum <= 1.0).all()
            assert c["value_share"].to_numpy() == pytest.approx((c["value"] / v.sum()).to_numpy())
        else:
            assert (cum == 0).all()


# --------------------------------------------------------------------------- share_of_top / customers_for_share
V6 = pd.Series([5, 20, 50, 10, 5, 10], index=list("abcdef"))  # sorted: 50 20 10 10 5 5, total 100


class TestShares:
    @pytest.mark.parametrize("share, expected", [(0.2, 0.7), (1 / 6, 0.5), (0.5, 0.8), (0.9, 1.0), (1.0, 1.0)])
    def test_share_of_top(self, share, expected):
        # top group is ceil(share x 6) customers
        assert g.share_of_top(V6, share) == pytest.approx(expected)

    def test_share_of_top_default_is_20_percent(self):
        assert g.share_of_top(pd.Series([80, 5, 5, 5, 5])) == pytest.approx(0.8)

    def test_share_of_top_all_zero(self):
        assert g.share_of_top(pd.Series([0, 0]), 0.5) == 0.0

    @pytest.mark.parametrize("bad", [0, -0.1, 1.01, 2])
    def test_share_of_top_bad_share(self, bad):
        with pytest.raises(ValueError, match=r"customer_share must be in \(0, 1\]"):
            g.share_of_top(V6, bad)

    def test_share_of_top_empty(self):
        with pytest.raises(ValueError, match="empty"):
            g.share_of_top(pd.Series([], dtype=float))

    @pytest.mark.parametrize("share, expected", [(0.8, 0.5), (0.5, 1 / 6), (0.51, 2 / 6), (0.95, 5 / 6), (1.0, 1.0)])
    def test_customers_for_share(self, share, expected):
        assert g.customers_for_share(V6, share) == pytest.approx(expected)

    def test_customers_for_share_all_zero(self):
        assert g.customers_for_share(pd.Series([0.0, 0.0, 0.0])) == 1.0

    @pytest.mark.parametrize("bad", [0, 1.5, -1])
    def test_customers_for_share_bad(self, bad):
        with pytest.raises(ValueError, match=r"value_share must be in \(0, 1\]"):
            g.customers_for_share(V6, bad)

    def test_customers_for_share_empty(self):
        with pytest.raises(ValueError, match="empty"):
            g.customers_for_share([])

    def test_negative_and_nan(self):
        with pytest.raises(ValueError, match="negative"):
            g.share_of_top(pd.Series([1, -2]))
        with pytest.raises(ValueError, match="NaN"):
            g.customers_for_share(pd.Series([1, np.nan]))

    @PROPS
    @given(value_series(min_size=1), st.floats(0.01, 1.0))
    def test_share_properties(self, v, share):
        top = g.share_of_top(v, share)
        assert 0.0 <= top <= 1.0
        if v.sum() > 0:
            # top share of customers holds at least that share of value (they are the biggest)
            k = math.ceil(round(share * len(v), 9))
            assert top >= k / len(v) - 1e-9
            x = g.customers_for_share(v, top)
            assert x <= k / len(v) + 1e-12


# --------------------------------------------------------------------------- pareto_balance_point
class TestBalancePoint:
    @pytest.mark.parametrize(
        "values, expected",
        [
            ([80, 5, 5, 5, 5], (0.2, 0.8)),
            ([1, 1], (0.5, 0.5)),
            ([3, 3, 3, 3], (0.5, 0.5)),
            ([5, 20, 50, 10, 5, 10], (1 / 3, 0.7)),
            ([5], (1.0, 1.0)),
            ([100, 0, 0, 0], (0.25, 1.0)),
        ],
    )
    def test_examples(self, values, expected):
        assert g.pareto_balance_point(pd.Series(values)) == pytest.approx(expected)

    def test_all_zero(self):
        with pytest.raises(ValueError, match="zero"):
            g.pareto_balance_point(pd.Series([0, 0]))

    def test_empty(self):
        with pytest.raises(ValueError, match="empty"):
            g.pareto_balance_point(pd.Series([], dtype=float))

    @PROPS
    @given(value_series(min_size=1).filter(lambda s: s.sum() > 0))
    def test_properties(self, v):
        x, y = g.pareto_balance_point(v)
        assert 0 < x <= 1 and 0 < y <= 1
        assert x + y >= 1 - 1e-9
        # it is the first such rank: one customer fewer would not reach 1 - x
        curve = g.pareto_curve(v)
        k = round(x * len(v))
        if k > 1:
            assert curve["cumulative_share"].iloc[k - 2] < 1 - (k - 1) / len(v)


# --------------------------------------------------------------------------- ABC
class TestABC:
    def test_hand_example(self):
        # shares .60 .25 .10 .05; share before each: 0, .60, .85, .95
        v = pd.Series([10, 60, 5, 25], index=["p", "q", "r", "s"])
        c = g.abc_classes(v)
        assert c.to_dict() == {"p": "B", "q": "A", "r": "C", "s": "A"}
        assert list(c.index) == ["p", "q", "r", "s"]

    def test_customer_that_crosses_the_cut_is_a(self):
        # 50 -> 50%, 40 -> 90%: the one crossing 80% is still A
        assert g.abc_classes(pd.Series([50, 40, 10])).tolist() == ["A", "A", "B"]

    def test_exactly_at_cut_is_next_class(self):
        # share before the third customer is exactly 0.8 -> B; before the fourth 0.95 -> C
        assert g.abc_classes(pd.Series([60, 20, 15, 5])).tolist() == ["A", "A", "B", "C"]

    def test_ties_share_the_better_class(self):
        # before: 0, .4, .8, .9, .95 -> A A B B C, but the two 5s tie -> both B
        assert g.abc_classes(pd.Series([40, 40, 10, 5, 5])).tolist() == ["A", "A", "B", "B", "B"]

    def test_custom_cuts(self):
        v = pd.Series([60, 25, 10, 5])
        assert g.abc_classes(v, a_cut=0.5, b_cut=0.9).tolist() == ["A", "B", "B", "C"]
        assert g.abc_classes(v, a_cut=0.5, b_cut=1.0).tolist() == ["A", "B", "B", "B"]

    def test_zeros_are_c(self):
        assert g.abc_classes(pd.Series([0, 100, 0])).tolist() == ["C", "A", "C"]

    def test_all_zero_is_c(self):
        assert g.abc_classes(pd.Series([0, 0, 0])).tolist() == ["C", "C", "C"]

    def test_dtype_is_ordered_categorical(self):
        c = g.abc_classes(pd.Series([3, 2, 1]))
        assert isinstance(c.dtype, pd.CategoricalDtype)
        assert c.cat.ordered
        assert list(c.cat.categories) == ["A", "B", "C"]
        assert c.iloc[0] < c.iloc[2]  # "A" < "C" in category order

    def test_empty(self):
        c = g.abc_classes(pd.Series([], dtype=float))
        assert len(c) == 0
        assert list(c.cat.categories) == ["A", "B", "C"]

    def test_list_input(self):
        c = g.abc_classes([1, 100])
        assert list(c.index) == [0, 1]
        assert c.tolist() == ["C", "A"]

    @pytest.mark.parametrize(
        "a_cut, b_cut", [(0.9, 0.8), (0.8, 0.8), (0, 0.9), (-0.1, 0.5), (0.8, 1.2), (1.0, 1.0)]
    )
    def test_bad_cuts(self, a_cut, b_cut):
        with pytest.raises(ValueError, match=r"0 < a_cut < b_cut <= 1.*a_cut=.*b_cut="):
            g.abc_classes(pd.Series([1, 2]), a_cut=a_cut, b_cut=b_cut)

    def test_negative_raises(self):
        with pytest.raises(ValueError, match=r"negative value\(s\) at rows \['x'\]"):
            g.abc_classes(pd.Series([1, -1], index=["w", "x"]))

    def test_nan_raises(self):
        with pytest.raises(ValueError, match=r"missing value\(s\) \(NaN\) at rows \['b'\]"):
            g.abc_classes(pd.Series([1, np.nan], index=["a", "b"]))

    @PROPS
    @given(value_series(), st.floats(0.05, 0.9), st.floats(0.01, 0.5))
    def test_properties(self, v, a_cut, gap):
        b_cut = min(1.0, a_cut + gap)
        before = same(v)
        c = g.abc_classes(v, a_cut, b_cut)
        pd.testing.assert_series_equal(v, before)
        assert c.index.equals(v.index)
        assert c.notna().all()
        assert_class_order(v, c, g.ABC_LABELS)
        # equal values get equal classes
        assert (c.astype(str).groupby(v).nunique() <= 1).all()
        if len(v) and v.sum() > 0:
            assert c.iloc[int(np.argmax(v.to_numpy()))] == "A"
            # A customers hold at least a_cut of value (ties may add more)
            assert v[c == "A"].sum() / v.sum() >= a_cut - 1e-9


# --------------------------------------------------------------------------- quotas
class TestQuotaClasses:
    def test_hand_example(self):
        v = pd.Series([5, 3, 9, 1, 7], index=list("vwxyz"))
        c = g.quota_classes(v, (0.4, 0.6), ("hi", "lo"))
        assert c.to_dict() == {"v": "lo", "w": "lo", "x": "hi", "y": "lo", "z": "hi"}
        assert list(c.cat.categories) == ["hi", "lo"]
        assert c.cat.ordered

    def test_ties_split_by_input_order(self):
        c = g.quota_classes(pd.Series([1, 1, 1, 1]), (0.5, 0.5), ("top", "rest"))
        assert c.tolist() == ["top", "top", "rest", "rest"]

    def test_largest_remainder(self):
        # 7 x (.2 .3 .3 .2) = 1.4 2.1 2.1 1.4 -> floors 1 2 2 1, one left: remainder .4 tie -> first class
        assert g._quota_counts(7, (0.2, 0.3, 0.3, 0.2)) == [2, 2, 2, 1]
        assert g._quota_counts(10, (0.2, 0.3, 0.3, 0.2)) == [2, 3, 3, 2]
        assert g._quota_counts(3, (0.5, 0.5)) == [2, 1]
        assert g._quota_counts(0, (0.5, 0.5)) == [0, 0]

    def test_remainder_ties_go_to_the_earlier_class(self):
        # 8 x (.05 .15 .80) = 0.4 1.2 6.4: remainders .4 .2 .4 tie -> the better class gets the extra one
        assert g._quota_counts(8, (0.05, 0.15, 0.8)) == [1, 1, 6]

    def test_zero_quota(self):
        c = g.quota_classes(pd.Series([3, 2, 1]), (0.0, 1.0), ("none", "all"))
        assert c.tolist() == ["all", "all", "all"]

    def test_empty(self):
        c = g.quota_classes(pd.Series([], dtype=float), (0.5, 0.5), ("a", "b"))
        assert len(c) == 0 and list(c.cat.categories) == ["a", "b"]

    def test_mismatched_labels(self):
        with pytest.raises(ValueError, match=r"3 quotas but 2 labels; give one quota per label"):
            g.quota_classes(pd.Series([1, 2]), (0.2, 0.3, 0.5), ("a", "b"))

    @pytest.mark.parametrize("quotas", [(0.5, 0.4), (0.6, 0.6), (-0.2, 1.2), (0.0, 0.0)])
    def test_bad_quotas(self, quotas):
        with pytest.raises(ValueError, match=r"quotas must be >= 0 and sum to 1.*sum"):
            g.quota_classes(pd.Series([1, 2]), quotas, ("a", "b"))

    def test_nan(self):
        with pytest.raises(ValueError, match=r"NaN.*\[0\]"):
            g.quota_classes(pd.Series([np.nan, 1.0]), (0.5, 0.5), ("a", "b"))

    def test_negatives_allowed(self):
        c = g.quota_classes(pd.Series([-5, 0, -1]), (1 / 3, 2 / 3), ("a", "b"))
        assert c.tolist() == ["b", "a", "b"]

    @PROPS
    @given(value_series(allow_negative=True), quota_tuples())
    def test_properties(self, v, quotas):
        labels = [f"L{i}" for i in range(len(quotas))]
        before = same(v)
        c = g.quota_classes(v, quotas, labels)
        pd.testing.assert_series_equal(v, before)
        assert c.index.equals(v.index)
        counts = c.value_counts().reindex(labels).tolist()
        assert counts == hamilton(len(v), quotas)
        assert sum(counts) == len(v)
        assert_class_order(v, c, labels)


class TestABCDAndValueGrades:
    def test_abcd_seven(self):
        v = pd.Series([10, 70, 30, 50, 20, 60, 40])
        # counts 2 2 2 1 (see test_largest_remainder)
        assert g.abcd_quota(v).tolist() == ["D", "A", "C", "B", "C", "A", "B"]

    def test_abcd_ten(self):
        c = g.abcd_quota(pd.Series(range(10, 0, -1)))
        assert c.tolist() == list("AABBBCCCDD")
        assert list(c.cat.categories) == list("ABCD")

    def test_abcd_custom_quotas(self):
        c = g.abcd_quota(pd.Series([4, 3, 2, 1]), quotas=(0.25, 0.25, 0.25, 0.25))
        assert c.tolist() == list("ABCD")

    def test_abcd_bad_quotas(self):
        with pytest.raises(ValueError, match="3 quotas but 4 labels"):
            g.abcd_quota(pd.Series([1]), quotas=(0.3, 0.3, 0.4))

    def test_value_grades_twenty(self):
        c = g.value_grades(pd.Series(np.arange(20, 0, -1, dtype=float)))
        assert c.value_counts().reindex(g.VALUE_GRADE_LABELS).tolist() == [1, 3, 6, 10]
        assert c.iloc[0] == "key"
        assert c.tolist()[1:4] == ["important"] * 3
        assert list(c.cat.categories) == list(g.VALUE_GRADE_LABELS)

    def test_value_grades_small(self):
        # 3 x (.05 .15 .30 .50) = .15 .45 .9 1.5 -> floors 0 0 0 1, two more to the largest remainders .9 .5
        assert g.value_grades(pd.Series([3, 2, 1])).tolist() == ["general", "maintenance", "maintenance"]

    def test_value_grades_key_plus_important_is_top_20pct(self):
        c = g.value_grades(pd.Series(np.random.default_rng(1).random(100)))
        assert c.isin(["key", "important"]).sum() == 20

    @PROPS
    @given(value_series())
    def test_abcd_properties(self, v):
        c = g.abcd_quota(v)
        assert c.index.equals(v.index)
        assert c.value_counts().reindex(list("ABCD")).tolist() == hamilton(len(v), (0.2, 0.3, 0.3, 0.2))
        assert_class_order(v, c, g.ABCD_LABELS)


# --------------------------------------------------------------------------- pyramid
class TestPyramid:
    @pytest.mark.parametrize(
        "n, counts",
        [(100, [1, 4, 15, 80]), (10, [1, 0, 1, 8]), (1, [1, 0, 0, 0]), (0, [0, 0, 0, 0]),
         (300, [3, 12, 45, 240]), (7, [1, 0, 1, 5]), (21, [1, 1, 3, 16])],
    )
    def test_counts(self, n, counts):
        c = g.pyramid_levels(pd.Series(np.arange(n, dtype=float)))
        assert c.value_counts().reindex(g.PYRAMID_LABELS).tolist() == counts

    def test_hand_example_and_negatives(self):
        v = pd.Series([-5.0, 3.0, 0.0], index=["a", "b", "c"])
        c = g.pyramid_levels(v)
        assert c.to_dict() == {"a": "small", "b": "VIP", "c": "small"}
        assert list(c.cat.categories) == list(g.PYRAMID_LABELS)

    def test_ties_by_input_order(self):
        c = g.pyramid_levels(pd.Series([1.0] * 5))
        assert c.tolist() == ["VIP", "small", "small", "small", "small"]

    def test_custom_tops(self):
        c = g.pyramid_levels(pd.Series([4, 3, 2, 1]), tops=(0.25, 0.5, 0.75))
        assert c.tolist() == list(g.PYRAMID_LABELS)

    def test_chinese_names(self):
        assert set(g.PYRAMID_CHINESE) == set(g.PYRAMID_LABELS)

    @pytest.mark.parametrize("tops", [(0.05, 0.01, 0.2), (0.01, 0.05), (0, 0.05, 0.2), (0.01, 0.05, 1.2),
                                      (0.01, 0.05, 0.2, 0.5)])
    def test_bad_tops(self, tops):
        with pytest.raises(ValueError, match=r"tops must be three cumulative shares"):
            g.pyramid_levels(pd.Series([1, 2]), tops=tops)

    def test_nan(self):
        with pytest.raises(ValueError, match=r"NaN.*\[2\]"):
            g.pyramid_levels(pd.Series([1, 2, np.nan]))

    @PROPS
    @given(value_series(allow_negative=True, max_size=60))
    def test_properties(self, v):
        before = same(v)
        c = g.pyramid_levels(v)
        pd.testing.assert_series_equal(v, before)
        assert c.index.equals(v.index)
        n = len(v)
        cum = [min(n, math.ceil(Fraction(p, 100) * n)) for p in (1, 5, 20)]
        expected = [cum[0], cum[1] - cum[0], cum[2] - cum[1], n - cum[2]]
        assert c.value_counts().reindex(g.PYRAMID_LABELS).tolist() == expected
        assert_class_order(v, c, g.PYRAMID_LABELS)


def test_duplicate_row_labels_are_a_clear_error():
    values = pd.Series([3.0, 2.0, 1.0], index=["a", "a", "b"])
    for func in (g.abc_classes, g.pyramid_levels, g.abcd_quota):
        with pytest.raises(ValueError, match="duplicate row labels \\['a'\\]"):
            func(values)


def test_work_platform_takes_the_top_and_a_reserve():
    values = pd.Series([5.0, 50.0, 1.0, 20.0, 20.0], index=list("abcde"))
    chosen, reserve = g.work_platform(values, size=2, reserve=2)
    assert list(chosen) == ["b", "d"] and list(reserve) == ["e", "a"]
    with pytest.raises(ValueError, match="only 5 are in the list"):
        g.work_platform(values, size=5, reserve=1)
    with pytest.raises(ValueError, match=">= 0"):
        g.work_platform(values, size=-1)


def test_grade_summary_counts_and_shares():
    labels = g.abc_classes(pd.Series([80.0, 15.0, 5.0]))
    summary = g.grade_summary(labels, pd.Series([80.0, 15.0, 5.0]))
    assert list(summary.index) == ["A", "B", "C"]
    assert summary["customers"].tolist() == [1, 1, 1]
    assert summary["value_share"].tolist() == pytest.approx([0.8, 0.15, 0.05])
    assert g.abc_summary([80.0, 15.0, 5.0]).equals(summary)
    with pytest.raises(ValueError, match="same index"):
        g.grade_summary(labels, pd.Series([1.0, 2.0, 3.0], index=list("xyz")))


def test_random_work_platforms_is_seeded_and_counts_c_customers():
    values = pd.Series([50.0, 30.0, 10.0, 5.0, 3.0, 2.0])
    classes = g.abc_classes(values)
    picks = g.random_work_platforms(values, classes, size=2, n_picks=200, seed=3)
    assert picks.equals(g.random_work_platforms(values, classes, size=2, n_picks=200, seed=3))
    assert list(picks.columns) == ["c_customers", "value_share"]
    assert picks["c_customers"].between(0, 2).all()
    assert picks["value_share"].between(5 / 100, 80 / 100).all()
    full = g.random_work_platforms(values, classes, size=6, n_picks=3, seed=0)
    assert full["value_share"].tolist() == pytest.approx([1.0] * 3)
    assert full["c_customers"].tolist() == [int((classes == "C").sum())] * 3
    with pytest.raises(ValueError, match="size must be between 1 and the 6"):
        g.random_work_platforms(values, classes, size=7)


# --------------------------------------------------------------------------- fast paths vs the plain rankings
def _abc_reference(v: pd.Series, a_cut: float, b_cut: float) -> list[str]:
    """ABC the slow, obvious way: a stable argsort, the share above each customer, ties take the better class."""
    x = v.to_numpy(dtype=float)
    order = np.argsort(-x, kind="stable")
    ordered = x[order]
    total = float(ordered.sum())
    if total == 0:
        return ["C"] * len(x)
    share = ordered / total
    cumulative = np.minimum(np.cumsum(share), 1.0)
    cumulative[-1] = 1.0
    before = cumulative - share
    best = {}
    for value, b in zip(ordered, before):
        best[value] = min(best.get(value, np.inf), b)
    label = {value: "A" if b < a_cut - 1e-12 else "B" if b < b_cut - 1e-12 else "C" for value, b in best.items()}
    return [label[value] for value in x]


def _by_rank_reference(v: pd.Series, counts) -> list[int]:
    codes = np.empty(len(v), dtype=int)
    codes[np.argsort(-v.to_numpy(dtype=float), kind="stable")] = np.repeat(np.arange(len(counts)), counts)
    return codes.tolist()


class TestSameAsPlainRanking:
    """abc_classes and the count-based grades skip the argsort (issue 9's speed item); the classes must not change."""

    @PROPS
    @given(value_series(max_size=80), st.floats(0.05, 0.9), st.floats(0.01, 0.5))
    def test_abc(self, v, a_cut, gap):
        b_cut = min(1.0, a_cut + gap)
        assert g.abc_classes(v, a_cut, b_cut).astype(str).tolist() == _abc_reference(v, a_cut, b_cut)

    @PROPS
    @given(value_series(allow_negative=True, max_size=80), quota_tuples())
    def test_quota_grades(self, v, quotas):
        labels = [f"g{i}" for i in range(len(quotas))]
        got = g.quota_classes(v, quotas, labels).cat.codes.tolist()
        assert got == _by_rank_reference(v, hamilton(len(v), quotas))

    @PROPS
    @given(value_series(allow_negative=True, max_size=120))
    def test_pyramid(self, v):
        n = len(v)
        cum = [min(n, math.ceil(Fraction(p, 100) * n)) for p in (1, 5, 20)]
        counts = [cum[0], cum[1] - cum[0], cum[2] - cum[1], n - cum[2]]
        assert g.pyramid_levels(v).cat.codes.tolist() == _by_rank_reference(v, counts)

    def test_abc_ties_straddling_both_cuts(self):
        v = pd.Series([5.0] * 10 + [1.0] * 10 + [0.0] * 5)
        assert g.abc_classes(v, 0.3, 0.9).astype(str).tolist() == _abc_reference(v, 0.3, 0.9)

    @PROPS
    @given(value_series(min_size=1, max_size=40), st.floats(0.05, 0.9), st.floats(0.01, 0.5))
    def test_fallback_ranking_gives_the_same_classes(self, v, a_cut, gap):
        """The argsort path, taken when float noise makes the running share non-monotone, applies the same rule."""
        b_cut = min(1.0, a_cut + gap)
        assert g._abc_by_argsort(v, a_cut, b_cut).astype(str).tolist() == _abc_reference(v, a_cut, b_cut)


def test_effort_vs_value_shows_where_visits_drift():
    classes = pd.Series(pd.Categorical(["A", "B", "C", "C"], categories=["A", "B", "C"], ordered=True),
                        index=list("wxyz"))
    visited = pd.Series([False, True, True, True], index=classes.index)
    revenue = pd.Series([80.0, 15.0, 3.0, 2.0], index=classes.index)
    table = g.effort_vs_value(classes, visited, revenue)
    assert list(table.columns) == ["customers", "effort", "effort_share", "value", "value_share"]
    assert table["effort_share"].tolist() == pytest.approx([0, 1 / 3, 2 / 3])
    assert table["value_share"].tolist() == pytest.approx([0.8, 0.15, 0.05])
    with pytest.raises(ValueError, match="same index"):
        g.effort_vs_value(classes, visited.iloc[:2], revenue)


# --------------------------------------------------------------------------- summary tables (what the explorers show)
def _class_counts(summary):
    return summary["customers"].to_dict()


def _expected_class_counts(values, a, b):
    return g.abc_classes(values, a, b).value_counts().reindex(list("ABC"), fill_value=0).to_dict()


def test_abc_summary_matches_abc_classes(territory):
    values = territory["revenue_12m"]
    summary = g.abc_summary(values, 0.8, 0.95)
    assert list(summary.index) == ["A", "B", "C"]
    assert list(summary.columns) == ["customers", "customer_share", "value", "value_share"]
    assert _class_counts(summary) == _expected_class_counts(values, 0.8, 0.95)
    classes = g.abc_classes(values, 0.8, 0.95)
    assert summary.loc["A", "value"] == pytest.approx(values[classes == "A"].sum())
    assert summary["customers"].sum() == len(values)
    assert summary["customer_share"].sum() == pytest.approx(1.0)
    assert summary["value_share"].sum() == pytest.approx(1.0)
    # the case in the syllabus: 15-20 A and 30-40 B customers in Xiao Zhang's territory
    assert 15 <= summary.loc["A", "customers"] <= 20
    assert 30 <= summary.loc["B", "customers"] <= 40


def test_abc_summary_small_example():
    summary = g.abc_summary([50, 30, 10, 5, 5], a_cut=0.8, b_cut=0.95)
    # 50 (0% before) A, 30 (50% before) A, 10 (80% before) B, 5 and 5 tie (90% before) B
    assert _class_counts(summary) == {"A": 2, "B": 3, "C": 0}
    assert summary.loc["A", "value_share"] == pytest.approx(0.8)


def test_grade_summary_keeps_empty_grades_and_negative_values():
    labels = pd.Series(pd.Categorical(["key", "key", "maintenance"], categories=g.VALUE_GRADE_LABELS))
    profit = pd.Series([100.0, 50.0, -30.0])
    s = g.grade_summary(labels, profit)
    assert list(s.index) == list(g.VALUE_GRADE_LABELS)
    assert s.loc["important", "customers"] == 0
    assert s.loc["key", "value_share"] == pytest.approx(150 / 120)
    assert s.loc["maintenance", "value_share"] == pytest.approx(-30 / 120)


@pytest.mark.parametrize(
    "labels, values, message",
    [
        (pd.Series(["A", "B"]), pd.Series([1.0, 2.0], index=[3, 4]), "same index"),
        (pd.Series(["A", None]), pd.Series([1.0, 2.0]), "without a grade"),
        (pd.Series(["A", "B"]), pd.Series([1.0, np.nan]), "missing"),
        (["A"], pd.Series([1.0]), "pandas Series"),
    ],
)
def test_grade_summary_bad_input(labels, values, message):
    with pytest.raises(ValueError, match=message):
        g.grade_summary(labels, values)
