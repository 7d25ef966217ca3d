"""Fits shared by the lifetime-value tests: each model is fitted once per test session."""
from __future__ import annotations

import pytest

from salescoach.datasets import load
from salescoach.lifetime_value import buying, rfm, spending

CALIBRATION_END = "1997-09-30"
HOLDOUT_END = "1998-06-30"


@pytest.fixture(scope="session")
def cdnow_summary():
    """The 1/10 CDNOW sample summarised as in the papers: 39-week calibration, 39-week holdout, weeks."""
    return rfm.rfm_summary(load("cdnow_sample"), CALIBRATION_END, HOLDOUT_END, customer="sample_id")


@pytest.fixture(scope="session")
def bgnbd_fit(cdnow_summary):
    s = cdnow_summary
    return buying.fit_bgnbd(s["frequency"], s["recency"], s["T"])


@pytest.fixture(scope="session")
def gamma_gamma_fit(cdnow_summary):
    repeaters = cdnow_summary[cdnow_summary["frequency"] > 0]
    return spending.fit_gamma_gamma(repeaters["frequency"], repeaters["monetary_value"])
