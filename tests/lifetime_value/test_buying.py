"""The BG/NBD purchase model: published estimates reproduced, likelihood properties, predictions, bad inputs."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import optimize, special

from salescoach.lifetime_value import buying

PUBLISHED_BGNBD = buying.BGNBDParams(0.243, 4.414, 0.793, 2.426)


def sig3(x: float) -> float:
    return float(f"{x:.3g}")


# --------------------------------------------------------------------------- published figures
def test_bgnbd_reproduces_fader_hardie_lee_2005(bgnbd_fit, cdnow_summary):
    """FHL 2005: 1/10 CDNOW sample, 2,357 customers, 39-week calibration ending 1997-09-30."""
    assert len(cdnow_summary) == 2357
    assert int(cdnow_summary["frequency"].sum()) == 2457  # repeat transactions in the calibration period
    assert (sig3(bgnbd_fit.r), sig3(bgnbd_fit.alpha), sig3(bgnbd_fit.a), sig3(bgnbd_fit.b)) == (
        0.243, 4.41, 0.793, 2.43)
    assert round(bgnbd_fit.r, 3) == 0.243 and round(bgnbd_fit.alpha, 3) == 4.414
    assert round(bgnbd_fit.a, 3) == 0.793 and round(bgnbd_fit.b, 3) == 2.426
    assert round(bgnbd_fit.log_likelihood, 1) == -9582.4
    assert bgnbd_fit.n_customers == 2357


def test_conditional_expectation_of_the_papers_example():
    """FHL 2005: a customer with x = 2, t_x = 30.43, T = 38.86 is expected to buy 1.226 times in 39 weeks."""
    value = buying.conditional_expected_transactions(PUBLISHED_BGNBD, 39, 2, 30.43, 38.86)
    assert round(value, 3) == 1.226


def test_holdout_prediction_tracks_the_actual_purchases(bgnbd_fit, cdnow_summary):
    table = buying.holdout_by_frequency(bgnbd_fit, cdnow_summary)
    assert list(table.index) == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert table["customers"].sum() == 2357
    # the model's means rise with calibration frequency, as the actual ones do
    assert (np.diff(table["predicted"].to_numpy()) > 0).all()
    assert np.corrcoef(table["actual"], table["predicted"])[0, 1] > 0.95


# --------------------------------------------------------------------------- likelihood properties
histories = st.tuples(st.integers(0, 60), st.floats(0.0, 1.0), st.floats(0.5, 120.0)).map(
    lambda h: (h[0], 0.0 if h[0] == 0 else h[1] * h[2], h[2]))
positive = st.floats(0.05, 20.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(histories, min_size=1, max_size=8), positive, positive, positive, positive)
def test_gradient_matches_finite_differences(rows, r, alpha, a, b):
    x, tx, t = (np.array(c, dtype=float) for c in zip(*rows))
    params = np.array([r, alpha, a, b])

    def total(p):
        return float(np.sum(buying.bgnbd_log_likelihood(p, x, tx, t)))

    analytic = buying.bgnbd_gradient(params, x, tx, t)
    step = 1e-6 * params
    numeric = np.array([(total(params + step * e) - total(params - step * e)) / (2 * step[i])
                        for i, e in enumerate(np.eye(4))])
    assert np.allclose(analytic, numeric, rtol=1e-4, atol=1e-4 * (1 + np.abs(numeric).max()))


@settings(max_examples=60, deadline=None)
@given(histories, positive, positive, positive, positive)
def test_log_likelihood_equals_the_direct_formula(history, r, alpha, a, b):
    """Log-sum-exp gives the same number as eq. 6 written out plainly (where that does not overflow)."""
    x, tx, t = history
    direct = (special.beta(a, b + x) / special.beta(a, b) * special.gamma(r + x) * alpha ** r
              / (special.gamma(r) * (alpha + t) ** (r + x)))
    if x > 0:
        direct += (special.beta(a + 1, b + x - 1) / special.beta(a, b) * special.gamma(r + x) * alpha ** r
                   / (special.gamma(r) * (alpha + tx) ** (r + x)))
    if not (np.isfinite(direct) and direct > 1e-300):
        return
    assert math.isclose(buying.bgnbd_log_likelihood((r, alpha, a, b), x, tx, t), math.log(direct), rel_tol=1e-8,
                        abs_tol=1e-8)


@settings(max_examples=40, deadline=None)
@given(positive, positive, st.floats(0.05, 5.0), positive, st.floats(0.5, 80.0))
@example(1.0, 1.0, 0.5, 0.5, 1.0)  # a + b = 1: the 2F1's c is 0 for a new customer (once gave nan)
@example(0.25, 0.0625, 2.0, 2.0, 60.0)  # the mass past n = 4000 is tiny but its share of the mean is not
def test_pmf_sums_to_one_and_its_mean_is_expected_transactions(r, alpha, a, b, t):
    n = np.arange(0, 4000)
    pmf = buying.probability_of_transactions((r, alpha, a, b), t, n)
    if pmf[-50:].sum() > 1e-10 or (n * pmf)[-50:].sum() > 1e-10:  # heavy tail not covered: nothing to compare
        return
    assert math.isclose(pmf.sum(), 1.0, abs_tol=1e-8)
    assert math.isclose((n * pmf).sum(), buying.expected_transactions((r, alpha, a, b), t), rel_tol=1e-6,
                        abs_tol=1e-9)


@settings(max_examples=60, deadline=None)
@given(histories, positive, positive, positive, positive, st.floats(0.1, 100.0))
def test_prediction_properties(history, r, alpha, a, b, t):
    x, tx, T = history
    p = (r, alpha, a, b)
    alive = buying.probability_alive(p, x, tx, T)
    assert 0.0 <= alive <= 1.0
    if x == 0:
        assert alive == 1.0
    # a new customer's conditional expectation is the unconditional one
    assert math.isclose(buying.conditional_expected_transactions(p, t, 0, 0, 0), buying.expected_transactions(p, t),
                        rel_tol=1e-9)
    e1 = buying.conditional_expected_transactions(p, t, x, tx, T)
    e2 = buying.conditional_expected_transactions(p, 2 * t, x, tx, T)
    assert 0.0 <= e1 <= e2 + 1e-12


def test_conditional_expectation_equals_eq10_written_out():
    """The Euler-transformed evaluation gives the same numbers as FHL 2005 eq. 10 with its own 2F1 term."""
    r, alpha, a, b = PUBLISHED_BGNBD.as_tuple()
    for x, tx, T, t in ((0, 0.0, 30.0, 39.0), (2, 30.43, 38.86, 39.0), (7, 35.0, 38.0, 52.0), (1, 2.0, 38.0, 10)):
        z = t / (alpha + T + t)
        hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, z)
        direct = ((a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp)
                  / (1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x)))
        assert math.isclose(buying.conditional_expected_transactions(PUBLISHED_BGNBD, t, x, tx, T), direct,
                            rel_tol=1e-9)


def test_fit_pools_identical_histories_without_changing_the_answer(cdnow_summary, bgnbd_fit):
    s = cdnow_summary.iloc[:400]
    pooled = buying.fit_bgnbd(s["frequency"], s["recency"], s["T"])
    theta = np.log(pooled.as_tuple())
    naive = optimize.minimize(lambda th: -float(np.sum(buying.bgnbd_log_likelihood(np.exp(th), s["frequency"],
                                                                                    s["recency"], s["T"]))),
                              theta, method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-10})
    assert -naive.fun <= pooled.log_likelihood + 1e-6
    assert math.isclose(pooled.log_likelihood,
                        float(np.sum(buying.bgnbd_log_likelihood(pooled, s["frequency"], s["recency"], s["T"]))),
                        rel_tol=1e-12)


# --------------------------------------------------------------------------- bad inputs
@pytest.mark.parametrize("kwargs, message", [
    ({"frequency": [1, -1], "recency": [1, 0], "T": [5, 5]}, r"frequency: negative values at rows 1"),
    ({"frequency": [1.5], "recency": [1], "T": [5]}, r"not whole numbers"),
    ({"frequency": [2, 1], "recency": [6, 1], "T": [5, 5]}, r"dates out of order.*rows 0"),
    ({"frequency": [0], "recency": [3], "T": [5]}, r"recency must be 0"),
    ({"frequency": [1, np.nan], "recency": [1, 0], "T": [5, 5]}, r"frequency: missing.*rows 1"),
    ({"frequency": [], "recency": [], "T": []}, r"no customers"),
])
def test_bad_histories_name_the_rows(kwargs, message):
    with pytest.raises(ValueError, match=message):
        buying.probability_alive(PUBLISHED_BGNBD, **kwargs)


def test_bad_inputs_name_the_customers():
    x = pd.Series([1, 2], index=["C1", "C2"])
    with pytest.raises(ValueError, match=r"rows C2"):
        buying.probability_alive(PUBLISHED_BGNBD, x, pd.Series([1.0, 9.0], index=x.index),
                                 pd.Series([5.0, 5.0], index=x.index))
    table = pd.DataFrame({"frequency": [1], "recency": [1.0], "T": [5.0]})
    with pytest.raises(ValueError, match=r"transpose"):
        buying.probability_alive(PUBLISHED_BGNBD, table["frequency"], table["recency"], table.T)


def test_fits_refuse_data_that_cannot_identify_the_model():
    with pytest.raises(ValueError, match="no customer made a repeat purchase"):
        buying.fit_bgnbd([0, 0], [0, 0], [10, 12])
    with pytest.raises(ValueError, match="4 positive numbers"):
        buying.probability_alive((1, 2, 3), [1], [1], [2])


@settings(max_examples=40, deadline=None)
@given(histories, positive, positive, positive, positive, st.floats(0.1, 100.0))
@example((1, 0.0, 4.0), 9.0, 1.0, 1.0, 1.0, 2.0)
def test_expectation_is_p_alive_times_expectation_if_alive(history, r, alpha, a, b, t):
    x, tx, T = history
    p = (r, alpha, a, b)
    product = buying.probability_alive(p, x, tx, T) * buying.expected_transactions_if_alive(p, t, x, tx, T)
    # two routes through the 2F1 series: they agree to about 1e-9 at worst (found: r 9, α 1, a 1, b 1)
    assert math.isclose(buying.conditional_expected_transactions(p, t, x, tx, T), product, rel_tol=1e-7,
                        abs_tol=1e-300)
