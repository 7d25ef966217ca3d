"""What a customer spends and is worth ahead: the Gamma-Gamma spend model, fitted by maximum likelihood
with scipy, and the discounted customer lifetime value (CLV) that combines it with the BG/NBD purchase
model of :mod:`.buying`.

Sources (formulas re-derived and written for this kit, not copied from any library): Fader, Hardie & Lee
(2005), "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis", *Journal of Marketing Research*
42(4); Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value": the likelihood of a customer's
average spend and E[M | p, q, gamma, m_x, x].

Model in words.  What each customer spends on a purchase varies around her own mean, and the means
differ between customers (Gamma-Gamma with p, q, gamma).  Spend is assumed independent of the purchase
process, so CLV = expected purchases (BG/NBD) x expected spend per purchase x margin, discounted period
by period.

Inputs are the per-customer summary of :func:`salescoach.lifetime_value.rfm.rfm_summary`: ``frequency``
x (repeat purchases) and ``monetary_value`` m_x (average spend of the repeat purchases); CLV also needs
``recency`` t_x and ``T``.  Every function takes array-likes or Series and returns a Series on the same
index when given one.  Bad input raises ``ValueError`` naming the rows and the fix.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special

from .buying import BGNBDParams, conditional_expectation
from .inputs import as_array, checked_history, index_of, labelled, model_params, rows_where, unique_rows

__all__ = [
    "GammaGammaParams", "gamma_gamma_log_likelihood", "fit_gamma_gamma", "expected_average_value",
    "customer_lifetime_value", "discount_factors", "WEEKS_PER_MONTH",
]

#: weeks in an average month (365.25 / 12 / 7)
WEEKS_PER_MONTH = 365.25 / 12 / 7


# --------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class GammaGammaParams:
    """Fitted Gamma-Gamma spend parameters p, q, gamma (mean spend across customers = p * gamma / (q - 1))."""

    p: float
    q: float
    gamma: float
    log_likelihood: float = float("nan")
    n_customers: int = 0

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.p, self.q, self.gamma)

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    @property
    def population_mean(self) -> float:
        """E(M) = p * gamma / (q - 1), the mean spend per purchase across customers (infinite when q <= 1)."""
        return self.p * self.gamma / (self.q - 1) if self.q > 1 else float("inf")


# --------------------------------------------------------------------------- Gamma-Gamma
def _spend_inputs(frequency, monetary_value) -> tuple[np.ndarray, np.ndarray, pd.Index | None]:
    index = index_of(frequency, monetary_value)
    x, m = np.broadcast_arrays(as_array(frequency, "frequency"), as_array(monetary_value, "monetary_value"))
    if x.size == 0:
        raise ValueError("no customers: frequency and monetary_value are empty")
    bad = ~np.isfinite(x) | (x < 0) | (x != np.round(x))
    if bad.any():
        raise ValueError(f"frequency: not a whole number >= 0 at rows {rows_where(bad, index)}")
    bad_m = (x > 0) & (~np.isfinite(m) | (m < 0))
    if bad_m.any():
        raise ValueError(f"monetary_value: missing or negative average spend at rows {rows_where(bad_m, index)} of "
                         "customers with repeat purchases. Fix: average spend is the mean amount of the repeat "
                         "purchases, a number >= 0")
    return x.astype(float), m.astype(float), index


def gamma_gamma_log_likelihood(params, frequency, monetary_value):
    """Each customer's log-likelihood of the average spend m_x over x purchases (Fader & Hardie 2013).

    ln f = ln Gamma(px+q) - ln Gamma(px) - ln Gamma(q) + q ln gamma + (px-1) ln m_x + px ln x
           - (px+q) ln(gamma + m_x x).
    Only customers with x > 0 and m_x > 0 carry information; others give NaN.
    """
    p, q, g = model_params(params, GammaGammaParams)
    x, m, index = _spend_inputs(frequency, monetary_value)
    ok = (x > 0) & (m > 0)
    xs, ms = np.where(ok, x, 1.0), np.where(ok, m, 1.0)
    ll = (special.gammaln(p * xs + q) - special.gammaln(p * xs) - special.gammaln(q) + q * np.log(g)
          + (p * xs - 1) * np.log(ms) + p * xs * np.log(xs) - (p * xs + q) * np.log(g + ms * xs))
    return labelled(np.where(ok, ll, np.nan), index, "log_likelihood")


def _gamma_gamma_value_and_gradient(theta: np.ndarray, x, m, weights) -> tuple[float, np.ndarray]:
    """Negative total log-likelihood of the spend model and its gradient in log-parameters."""
    p, q, g = np.exp(theta)
    px = p * x
    log_gmx = np.log(g + m * x)
    ll = (special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + q * np.log(g)
          + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * log_gmx)
    dg = special.digamma
    d_p = x * (dg(px + q) - dg(px) + np.log(m) + np.log(x) - log_gmx)
    d_q = dg(px + q) - dg(q) + np.log(g) - log_gmx
    d_g = q / g - (px + q) / (g + m * x)
    grad = np.array([weights @ d_p, weights @ d_q, weights @ d_g]) * np.exp(theta)
    return -(weights @ ll), -grad


def fit_gamma_gamma(frequency, monetary_value, initial: tuple[float, float, float] = (1.0, 1.0, 1.0)
                    ) -> GammaGammaParams:
    """Maximum-likelihood Gamma-Gamma parameters on the customers with repeat purchases (x > 0, m_x > 0)."""
    x, m, _ = _spend_inputs(frequency, monetary_value)
    ok = (x > 0) & (m > 0)
    if ok.sum() < 3:
        raise ValueError(f"only {int(ok.sum())} customer(s) with repeat purchases and a positive average spend; "
                         "the spend model needs more. Fix: use a longer period or more customers")
    (ux, um), weights = unique_rows(x[ok], m[ok])
    res = optimize.minimize(_gamma_gamma_value_and_gradient, np.log(initial), args=(ux, um, weights), jac=True,
                            method="L-BFGS-B", bounds=[(-15, 15)] * 3,
                            options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-8})
    if not np.isfinite(res.fun):
        raise ValueError(f"the Gamma-Gamma fit failed ({res.message}). Fix: check the spend data for extreme values")
    p, q, g = np.exp(res.x)
    return GammaGammaParams(float(p), float(q), float(g), float(-res.fun), int(ok.sum()))


def expected_average_value(params, frequency, monetary_value):
    """E[M | x, m_x]: a customer's expected spend per purchase (Fader & Hardie 2013, Gamma-Gamma note).

    E = (gamma + m_x x) p / (p x + q - 1)
      = [(q-1)/(px+q-1)] * (p gamma/(q-1)) + [px/(px+q-1)] * m_x,
    a weighted average of the population mean and the customer's own average: the more purchases, the more
    weight on her own.  For x = 0 it is the population mean p gamma / (q - 1) (needs q > 1).
    """
    p, q, g = model_params(params, GammaGammaParams)
    x, m, index = _spend_inputs(frequency, monetary_value)
    m = np.where(x > 0, m, 0.0)
    if q <= 1:
        raise ValueError(f"q = {q:g} <= 1: the spend model has no finite mean. Fix: refit on more customers")
    return labelled((g + m * x) * p / (p * x + q - 1), index, "expected_average_value")


# --------------------------------------------------------------------------- CLV
def discount_factors(periods: int, discount_rate: float) -> np.ndarray:
    """1 / (1 + d)^k for k = 1 .. periods (cash of period k counted at the period's end)."""
    if periods < 1 or int(periods) != periods:
        raise ValueError(f"periods must be a whole number >= 1, got {periods}")
    if not (np.isfinite(discount_rate) and discount_rate > -1):
        raise ValueError(f"discount_rate must be a number above -1 (0.01 = 1% a period), got {discount_rate}")
    return 1.0 / (1.0 + discount_rate) ** np.arange(1, int(periods) + 1)


def customer_lifetime_value(bgnbd, gamma_gamma, frequency, recency, T, monetary_value, *, periods: int = 12,
                            period_length: float = WEEKS_PER_MONTH, discount_rate: float = 0.01,
                            margin: float = 1.0):
    """Discounted expected profit of each customer over the next ``periods`` periods (default 12 months).

    CLV = margin * E[M | x, m_x] * sum_{k=1..K} (E[Y(k L) | x, t_x, T] - E[Y((k-1) L) | x, t_x, T]) / (1+d)^k

    with L = ``period_length`` (in the unit of T; default a month in weeks) and d = ``discount_rate`` per
    period (0.01 = 1% a month, about 12.7% a year).  Assumptions: the purchases expected in period k are
    discounted as if made at the end of period k (discrete, end-of-period discounting); spend per purchase
    is independent of how often and how long a customer buys (the Gamma-Gamma assumption), so expected
    profit = expected purchases x expected spend x ``margin`` (share of spend that is profit; 1.0 gives
    discounted revenue).
    """
    if not (np.isfinite(margin)):
        raise ValueError(f"margin must be a number (0.3 = 30% of spend is profit), got {margin}")
    if not (np.isfinite(period_length) and period_length > 0):
        raise ValueError(f"period_length must be > 0, got {period_length}")
    factors = discount_factors(periods, discount_rate)
    bg = model_params(bgnbd, BGNBDParams)
    x, tx, t, index = checked_history(frequency, recency, T)
    spend = np.asarray(expected_average_value(gamma_gamma, pd.Series(x), pd.Series(
        as_array(monetary_value, "monetary_value") * np.ones_like(x))), dtype=float)
    cumulative = np.column_stack([conditional_expectation(bg, np.full_like(x, k * period_length), x, tx, t)
                                  for k in range(0, int(periods) + 1)])
    per_period = np.diff(cumulative, axis=1)
    return labelled(margin * spend * (per_period @ factors), index, "clv")
