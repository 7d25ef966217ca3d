"""Who is still buying, and how much: the BG/NBD purchase model, fitted by maximum likelihood with scipy.

Sources (formulas re-derived and written for this kit, not copied from any library): Fader, Hardie & Lee
(2005), "'Counting Your Customers' the Easy Way: An Alternative to the Pareto/NBD Model", *Marketing
Science* 24(2): the likelihood (eq. 6), E[X(t)] (eq. 9), P(X(t) = x) (eq. 8) and the conditional
expectation E[Y(t) | x, t_x, T] (eq. 10); Fader, Hardie & Lee (2008), "Computing P(alive) Using the BG/NBD
Model"; Fader & Hardie (2013), "Overcoming the BG/NBD Model's #NUM! Error Problem" (why the likelihood is
computed in logs: here with log-sum-exp).

Model in words.  While a customer is "alive" she buys at her own steady rate lambda (Poisson); rates
differ between customers as a gamma(r, alpha) distribution.  After every purchase she may drop out for
good with her own probability p; p differs between customers as a beta(a, b) distribution.  What she
spends per purchase, and what that makes her worth, is :mod:`.spending`'s job.

Inputs are the per-customer summary of :func:`salescoach.lifetime_value.rfm.rfm_summary`: ``frequency``
x (repeat purchases), ``recency`` t_x and ``T`` (same time unit, weeks in the papers).  Every function
takes array-likes or Series and returns a Series on the same index when given one.  Bad input raises
``ValueError`` naming the rows and the fix (the checks are in :mod:`.inputs`).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special

from .inputs import as_array, checked_history, labelled, model_params, rows_where, unique_rows

__all__ = [
    "BGNBDParams", "bgnbd_log_likelihood", "bgnbd_gradient", "fit_bgnbd", "expected_transactions",
    "probability_of_transactions", "conditional_expected_transactions", "expected_transactions_if_alive",
    "probability_alive", "holdout_by_frequency",
]


# --------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class BGNBDParams:
    """Fitted BG/NBD parameters: purchase rates ~ gamma(r, alpha), drop-out probabilities ~ beta(a, b).

    ``log_likelihood`` is the sum over the customers it was fitted on (``n_customers``).
    """

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float = float("nan")
    n_customers: int = 0

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.r, self.alpha, self.a, self.b)

    def as_dict(self) -> dict[str, float]:
        return asdict(self)



# --------------------------------------------------------------------------- BG/NBD likelihood
def _bgnbd_terms(r, alpha, a, b, x, tx, t):
    """log A1, log A2, log A3 of the likelihood L = A1 * (A2 + [x>0] A3) (eq. 6 of FHL 2005)."""
    log_beta_ab = special.betaln(a, b)
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.betaln(a, b + x) - log_beta_ab - (r + x) * np.log(alpha + t)
    repeat = x > 0
    safe_x = np.where(repeat, x, 1.0)  # keep b + x - 1 > 0 where the term is not used
    a3 = special.betaln(a + 1, b + safe_x - 1) - log_beta_ab - (r + x) * np.log(alpha + tx)
    a3 = np.where(repeat, a3, -np.inf)
    return a1, a2, a3


def bgnbd_log_likelihood(params, frequency, recency, T):
    """Each customer's log-likelihood under the BG/NBD (a Series on the input's index when given one).

    ln L = ln Gamma(r+x) - ln Gamma(r) + r ln alpha
           + ln[ B(a, b+x)/B(a, b) (alpha+T)^-(r+x) + [x>0] B(a+1, b+x-1)/B(a, b) (alpha+t_x)^-(r+x) ],
    the bracket computed with log-sum-exp so no term under- or overflows (FHL 2005 eq. 6; Fader & Hardie 2013).
    """
    r, alpha, a, b = model_params(params, BGNBDParams)
    x, tx, t, index = checked_history(frequency, recency, T)
    a1, a2, a3 = _bgnbd_terms(r, alpha, a, b, x, tx, t)
    return labelled(a1 + np.logaddexp(a2, a3), index, "log_likelihood")


def _bgnbd_value_and_gradient(theta: np.ndarray, x, tx, t, weights) -> tuple[float, np.ndarray]:
    """Negative total log-likelihood and its gradient in log-parameters (for the optimiser)."""
    r, alpha, a, b = np.exp(theta)
    a1, a2, a3 = _bgnbd_terms(r, alpha, a, b, x, tx, t)
    lse = np.logaddexp(a2, a3)
    w2 = np.exp(a2 - lse)  # share of the "still alive" term
    w3 = 1.0 - w2
    dg = special.digamma
    log_at, log_atx = np.log(alpha + t), np.log(alpha + tx)
    d_r = dg(r + x) - dg(r) + np.log(alpha) - w2 * log_at - w3 * log_atx
    d_alpha = r / alpha - (r + x) * (w2 / (alpha + t) + w3 / (alpha + tx))
    common_a, common_b = dg(a) - dg(a + b), dg(b) - dg(a + b)  # derivatives of ln B(a, b)
    safe_x = np.where(x > 0, x, 1.0)
    d_a = w2 * (dg(a) - dg(a + b + x) - common_a) + w3 * (dg(a + 1) - dg(a + b + x) - common_a)
    d_b = w2 * (dg(b + x) - dg(a + b + x) - common_b) + w3 * (dg(b + safe_x - 1) - dg(a + b + x) - common_b)
    ll = weights @ (a1 + lse)
    grad = np.array([weights @ d_r, weights @ d_alpha, weights @ d_a, weights @ d_b]) * np.exp(theta)
    return -ll, -grad


def bgnbd_gradient(params, frequency, recency, T) -> np.ndarray:
    """Gradient of the total log-likelihood with respect to (r, alpha, a, b) (analytic, digamma functions)."""
    r, alpha, a, b = model_params(params, BGNBDParams)
    x, tx, t, _ = checked_history(frequency, recency, T)
    theta = np.log([r, alpha, a, b])
    _, grad = _bgnbd_value_and_gradient(theta, x, tx, t, np.ones_like(x))
    return -grad / np.exp(theta)


def fit_bgnbd(frequency, recency, T, initial: tuple[float, float, float, float] | None = None) -> BGNBDParams:
    """Maximum-likelihood BG/NBD parameters (scipy L-BFGS-B on log-parameters, analytic gradient).

    Customers with identical (x, t_x, T) are pooled (their log-likelihoods are equal), so a large cohort
    costs little more than its distinct histories.  Raises ValueError when the data cannot identify the
    model (no repeat purchases at all) or the optimiser fails.
    """
    x, tx, t, _ = checked_history(frequency, recency, T)
    if not (x > 0).any():
        raise ValueError("no customer made a repeat purchase, so the drop-out process cannot be estimated. Fix: "
                         "use a longer calibration period or more customers")
    (ux, utx, ut), weights = unique_rows(x, tx, t)
    start = np.log(initial) if initial is not None else np.log([1.0, max(float(np.mean(t)), 1e-3), 1.0, 1.0])
    res = optimize.minimize(_bgnbd_value_and_gradient, start, args=(ux, utx, ut, weights), jac=True,
                            method="L-BFGS-B", bounds=[(-15, 15)] * 4,
                            options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-8})
    if not np.isfinite(res.fun):
        raise ValueError(f"the BG/NBD fit failed ({res.message}). Fix: check the summary for extreme values")
    r, alpha, a, b = np.exp(res.x)
    return BGNBDParams(float(r), float(alpha), float(a), float(b), float(-res.fun), int(x.size))


# --------------------------------------------------------------------------- BG/NBD predictions
def expected_transactions(params, t):
    """E[X(t)]: expected repeat purchases of a new customer in (0, t] (FHL 2005 eq. 9).

    E[X(t)] = (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))].
    For a <= 1 the factor (a+b-1)/(a-1) and the bracket change sign together; the value is computed in the
    equivalent form of :func:`conditional_expected_transactions` with x = t_x = T = 0, which stays finite
    (a = 1 exactly is nudged by 1e-9, and so is b where a + b = 1).
    """
    index = t.index if isinstance(t, pd.Series) else None
    tt = as_array(t, "t")
    if (~np.isfinite(tt) | (tt < 0)).any():
        raise ValueError(f"t: times must be numbers >= 0; bad at rows {rows_where(~np.isfinite(tt) | (tt < 0), index)}")
    zeros = np.zeros_like(tt)
    values = conditional_expectation(model_params(params, BGNBDParams), tt, zeros, zeros, zeros)
    return labelled(values, index, "expected_transactions")


def conditional_expectation(params, t, x, tx, T, if_alive: bool = False) -> np.ndarray:
    """E[Y(t) | x, t_x, T] (eq. 10) on checked arrays (or, ``if_alive``, the purchases expected if still alive);
    :func:`conditional_expected_transactions` is the same for user input."""
    r, alpha, a, b = params
    if abs(a - 1) < 1e-9:
        a = 1 + 1e-9
    if abs(a + b - 1) < 1e-9:  # c = a+b-1 = 0 for x = 0: 2F1 has a pole that the factor c cancels; step off it
        b = b + 2e-9
    c = a + b + x - 1
    z = t / (alpha + T + t)
    # (1-z)^(r+x) 2F1(r+x, b+x; c; z) = (1-z)^(a-1) 2F1(c-r-x, c-b-x; c; z) = (1-z)^(a-1) 2F1(a+b-1-r, a-1; c; z)
    hyp = (1 - z) ** (a - 1) * special.hyp2f1(a + b - 1 - r, a - 1, c, z)
    bad = ~np.isfinite(hyp)
    if bad.any():  # scipy's 2F1 can fail where c - A - B is a whole number and z is near 1: use Pfaff's form,
        # (1-z)^(a-1) 2F1(a+b-1-r, a-1; c; z) = 2F1(r+x, a-1; c; z/(z-1))
        zb = z[bad] if np.ndim(z) else z
        xb = x[bad] if np.ndim(x) else x
        cb = c[bad] if np.ndim(c) else c
        hyp = np.array(hyp, dtype=float)
        hyp[bad] = special.hyp2f1(r + xb, a - 1, cb, zb / (zb - 1))
    head = (a + b + x - 1) / (a - 1) * (1 - hyp)  # expected purchases if still alive at T
    return head if if_alive else head / _alive_odds(r, alpha, a, b, x, tx, T)


def _alive_odds(r, alpha, a, b, x, tx, T) -> np.ndarray:
    """1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x), computed in logs."""
    repeat = x > 0
    safe_x = np.where(repeat, x, 1.0)
    log_ratio = np.log(a) - np.log(b + safe_x - 1) + (r + x) * (np.log(alpha + T) - np.log(alpha + tx))
    return 1.0 + np.where(repeat, np.exp(np.minimum(log_ratio, 700.0)), 0.0)


def conditional_expected_transactions(params, t, frequency, recency, T):
    """E[Y(t) | x, t_x, T]: expected purchases in the next t time units of a customer with history (x, t_x, T).

    FHL 2005 eq. 10:
    [(a+b+x-1)/(a-1)] [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))]
    / [1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)].
    The 2F1 term is evaluated after Euler's transformation,
    (1-z)^(r+x) 2F1(r+x, b+x; c; z) = (1-z)^(a-1) 2F1(a+b-1-r, a-1; c; z) with c = a+b+x-1 and
    z = t/(alpha+T+t), which avoids multiplying a huge hypergeometric value by a tiny power for frequent
    buyers.  ``t`` is a number (the same horizon for everybody) or one horizon per customer.
    """
    p = model_params(params, BGNBDParams)
    x, tx, T_, index = checked_history(frequency, recency, T)
    tt = np.broadcast_to(as_array(t, "t"), x.shape).astype(float)
    if (~np.isfinite(tt) | (tt < 0)).any():
        raise ValueError("t: the horizon must be a number >= 0 (in the same unit as T)")
    return labelled(conditional_expectation(p, tt, x, tx, T_), index, "expected_transactions")


def expected_transactions_if_alive(params, t, frequency, recency, T):
    """E[Y(t) | alive at T, x, t_x, T]: expected purchases in the next t if the customer is still active.

    The numerator of FHL 2005 eq. 10; E[Y(t) | x, t_x, T] = P(alive) x this.  What a dormant customer would
    be worth if a call brought her back to her old habits.
    """
    p = model_params(params, BGNBDParams)
    x, tx, T_, index = checked_history(frequency, recency, T)
    tt = np.broadcast_to(as_array(t, "t"), x.shape).astype(float)
    if (~np.isfinite(tt) | (tt < 0)).any():
        raise ValueError("t: the horizon must be a number >= 0 (in the same unit as T)")
    return labelled(conditional_expectation(p, tt, x, tx, T_, if_alive=True), index, "expected_transactions_if_alive")


def probability_alive(params, frequency, recency, T):
    """P(alive | x, t_x, T): the chance the customer has not dropped out by T (Fader, Hardie & Lee 2008).

    P(alive) = 1 / [1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)].  Under the BG/NBD a customer
    without repeat purchases (x = 0) is alive with probability 1: drop-out can only happen right after a
    purchase.
    """
    r, alpha, a, b = model_params(params, BGNBDParams)
    x, tx, t, index = checked_history(frequency, recency, T)
    return labelled(1.0 / _alive_odds(r, alpha, a, b, x, tx, t), index, "p_alive")


def probability_of_transactions(params, t, n):
    """P(X(t) = n): the chance a new customer makes exactly n repeat purchases in (0, t] (FHL 2005 eq. 8).

    P = B(a, b+n)/B(a, b) Gamma(r+n)/(Gamma(r) n!) (alpha/(alpha+t))^r (t/(alpha+t))^n
        + [n>0] B(a+1, b+n-1)/B(a, b) [1 - (alpha/(alpha+t))^r sum_{j<n} Gamma(r+j)/(Gamma(r) j!) (t/(alpha+t))^j].
    ``n`` is one whole number or an array of them; ``t`` one number.
    """
    r, alpha, a, b = model_params(params, BGNBDParams)
    t = float(t)
    if not (np.isfinite(t) and t >= 0):
        raise ValueError(f"t must be a number >= 0, got {t}")
    n = np.atleast_1d(np.asarray(n, dtype=float))
    if (n < 0).any() or (n != np.round(n)).any():
        raise ValueError("n must be whole numbers >= 0")
    log_beta_ab = special.betaln(a, b)
    log_p0 = r * (np.log(alpha) - np.log(alpha + t))
    log_z = np.log(t) - np.log(alpha + t) if t > 0 else -np.inf

    def log_nbd(j):  # ln of Gamma(r+j)/(Gamma(r) j!) (alpha/(alpha+t))^r (t/(alpha+t))^j
        return special.gammaln(r + j) - special.gammaln(r) - special.gammaln(j + 1) + log_p0 + np.where(
            j > 0, j * log_z, 0.0)

    first = np.exp(special.betaln(a, b + n) - log_beta_ab + log_nbd(n))
    max_n = int(n.max())
    cdf = np.cumsum(np.exp(log_nbd(np.arange(max_n + 1, dtype=float))))  # P(NBD <= j)
    below = np.where(n > 0, cdf[np.maximum(n.astype(int) - 1, 0)], 0.0)
    safe_n = np.where(n > 0, n, 1.0)
    second = np.where(n > 0, np.exp(special.betaln(a + 1, b + safe_n - 1) - log_beta_ab) * (1 - below), 0.0)
    out = first + second
    return out if out.size > 1 else float(out[0])



# --------------------------------------------------------------------------- calibration vs holdout
def holdout_by_frequency(params, summary: pd.DataFrame, max_frequency: int = 7) -> pd.DataFrame:
    """Actual and predicted purchases in the holdout period, averaged by calibration frequency (FHL 2005 Fig. 4).

    ``summary`` is :func:`~salescoach.lifetime_value.rfm.rfm_summary` with a holdout period (columns
    ``frequency``, ``recency``, ``T``, ``frequency_holdout``, ``duration_holdout``).  Customers with
    ``max_frequency`` or more repeat purchases share the last row (labelled "7+").  Columns ``customers``,
    ``actual`` and ``predicted`` (mean purchases per customer in the holdout period).
    """
    needed = ["frequency", "recency", "T", "frequency_holdout", "duration_holdout"]
    missing = [c for c in needed if c not in summary.columns]
    if missing:
        raise ValueError(f"summary: missing column(s) {missing}. Fix: make it with rfm_summary(..., "
                         "calibration_end=..., holdout_end=...) so it has a holdout period")
    if not (isinstance(max_frequency, (int, np.integer)) and max_frequency >= 1):
        raise ValueError(f"max_frequency must be a whole number >= 1, got {max_frequency}")
    predicted = conditional_expected_transactions(params, summary["duration_holdout"].to_numpy(dtype=float),
                                                  summary["frequency"], summary["recency"], summary["T"])
    group = np.minimum(summary["frequency"].to_numpy(dtype=int), max_frequency)
    labels = [str(k) for k in range(max_frequency)] + [f"{max_frequency}+"]
    frame = pd.DataFrame({"group": pd.Categorical.from_codes(group, labels),
                          "actual": summary["frequency_holdout"].to_numpy(dtype=float),
                          "predicted": np.asarray(predicted, dtype=float)})
    out = frame.groupby("group", observed=False).agg(customers=("actual", "size"), actual=("actual", "mean"),
                                                     predicted=("predicted", "mean"))
    out.index.name = "calibration_frequency"
    return out
