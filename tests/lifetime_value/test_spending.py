"""The Gamma-Gamma spend model and the discounted CLV: published estimates reproduced, properties, bad inputs."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from salescoach.lifetime_value import buying, spending


def sig3(x: float) -> float:
    return float(f"{x:.3g}")


# --------------------------------------------------------------------------- published figures
def test_gamma_gamma_reproduces_the_published_spend_model(gamma_gamma_fit, cdnow_summary):
    """Fader, Hardie & Lee 2005 (RFM and CLV) / Fader & Hardie 2013: 946 repeat buyers, p, q, gamma."""
    assert gamma_gamma_fit.n_customers == 946
    assert (sig3(gamma_gamma_fit.p), sig3(gamma_gamma_fit.q), sig3(gamma_gamma_fit.gamma)) == (6.25, 3.74, 15.4)
    assert round(gamma_gamma_fit.gamma, 2) == 15.44
    assert round(cdnow_summary.loc[cdnow_summary["frequency"] > 0, "monetary_value"].mean(), 2) == 35.08
    assert round(gamma_gamma_fit.population_mean, 1) == 35.2


# --------------------------------------------------------------------------- spend model
def test_gamma_gamma_expected_value_is_a_weighted_average(gamma_gamma_fit):
    p, q, g = gamma_gamma_fit.as_tuple()
    mean = gamma_gamma_fit.population_mean
    assert spending.expected_average_value(gamma_gamma_fit, 0, np.nan) == pytest.approx(mean)
    for x, m in ((1, 10.0), (5, 80.0), (50, 20.0)):
        e = spending.expected_average_value(gamma_gamma_fit, x, m)
        assert min(m, mean) <= e <= max(m, mean)
    assert abs(spending.expected_average_value(gamma_gamma_fit, 500, 20.0) - 20.0) < abs(
        spending.expected_average_value(gamma_gamma_fit, 5, 20.0) - 20.0)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.5, 20), st.floats(1.5, 20), st.floats(0.5, 50), st.integers(1, 30))
def test_gamma_gamma_density_integrates_to_one(p, q, g, x):
    def density(m):
        return math.exp(spending.gamma_gamma_log_likelihood((p, q, g), x, m))
    total, _ = integrate.quad(density, 0, np.inf, limit=400)
    assert math.isclose(total, 1.0, rel_tol=1e-4)


# --------------------------------------------------------------------------- CLV
def test_clv_formula_by_hand(bgnbd_fit, gamma_gamma_fit):
    x, tx, T, m = 4, 30.0, 38.0, 40.0
    clv = spending.customer_lifetime_value(bgnbd_fit, gamma_gamma_fit, x, tx, T, m, periods=3, discount_rate=0.02,
                                           margin=0.3)
    L = spending.WEEKS_PER_MONTH
    cum = [buying.conditional_expected_transactions(bgnbd_fit, k * L, x, tx, T) if k else 0.0 for k in range(4)]
    spend = spending.expected_average_value(gamma_gamma_fit, x, m)
    by_hand = sum(0.3 * spend * (cum[k] - cum[k - 1]) / 1.02 ** k for k in range(1, 4))
    assert clv == pytest.approx(by_hand, rel=1e-12)


def test_clv_falls_with_discounting_and_rises_with_the_horizon(bgnbd_fit, gamma_gamma_fit, cdnow_summary):
    s = cdnow_summary.iloc[:200]
    args = (bgnbd_fit, gamma_gamma_fit, s["frequency"], s["recency"], s["T"], s["monetary_value"])
    base = spending.customer_lifetime_value(*args)
    assert isinstance(base, pd.Series) and base.index.equals(s.index)
    assert (spending.customer_lifetime_value(*args, discount_rate=0.05) <= base + 1e-12).all()
    assert (spending.customer_lifetime_value(*args, periods=24) >= base - 1e-12).all()
    assert (base >= 0).all()


def test_fits_refuse_data_that_cannot_identify_the_model():
    with pytest.raises(ValueError, match="only 1 customer"):
        spending.fit_gamma_gamma([0, 3], [np.nan, 20.0])
    with pytest.raises(ValueError, match=r"monetary_value: missing or negative.*rows 1"):
        spending.fit_gamma_gamma([2, 3, 1], [10.0, -5.0, 2.0])
    with pytest.raises(ValueError, match="discount_rate"):
        spending.discount_factors(3, -1.5)
