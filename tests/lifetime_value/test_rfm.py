"""The transaction log's checks and the RFM summary."""
from __future__ import annotations

import pandas as pd
import pytest

from salescoach.lifetime_value import rfm


def _log(rows):
    return pd.DataFrame(rows, columns=["customer_id", "date", "dollar_value"])


def test_summary_by_hand():
    log = _log([
        ("B", "2024-01-10", 5.0),
        ("A", "2024-01-01", 10.0), ("A", "2024-01-15", 20.0), ("A", "2024-01-15", 4.0),  # same day: one purchase
        ("A", "2024-01-29", 30.0), ("A", "2024-02-12", 99.0),  # after the calibration end: holdout
        ("C", "2024-02-05", 7.0),  # first purchase after the calibration end: not yet a customer
    ])
    s = rfm.rfm_summary(log, "2024-01-29", "2024-02-26")
    assert list(s.index) == ["A", "B"]
    a = s.loc["A"]
    assert a["frequency"] == 2 and a["recency"] == 4.0 and a["T"] == 4.0
    assert a["monetary_value"] == pytest.approx(27.0)  # (24 + 30) / 2: the first purchase left out
    assert a["revenue"] == pytest.approx(64.0)  # calibration spend, first purchase included
    assert a["frequency_holdout"] == 1 and a["duration_holdout"] == 4.0
    b = s.loc["B"]
    assert b["frequency"] == 0 and b["recency"] == 0 and pd.isna(b["monetary_value"])
    assert b["T"] == pytest.approx(19 / 7)


def test_row_order_does_not_matter():
    log = _log([("A", "2024-01-01", 1.0), ("A", "2024-01-08", 2.0), ("B", "2024-01-03", 3.0)])
    shuffled = log.iloc[[2, 1, 0]]
    pd.testing.assert_frame_equal(rfm.rfm_summary(log, "2024-01-31"), rfm.rfm_summary(shuffled, "2024-01-31"))


def test_input_not_modified():
    log = _log([("A", "2024-01-01", 1.0), ("A", "2024-01-08", 2.0)])
    before = log.copy()
    rfm.rfm_summary(log, "2024-01-31")
    pd.testing.assert_frame_equal(log, before)


@pytest.mark.parametrize("log, kwargs, message", [
    (_log([("A", "2024-01-01", 10.0), ("A", "2024-01-05", -3.0)]), {}, r"negative amount.*rows 1.*refund"),
    (_log([("A", "2024-01-01", 10.0), ("B", "2024-03-05", 3.0)]), {"calibration_end": "2024-01-31",
     "holdout_end": "2024-02-29"}, r"dates out of order: purchases dated after.*rows 1"),
    (_log([("A", "2024-01-01", 10.0)]), {"calibration_end": "2024-01-31", "holdout_end": "2024-01-15"},
     r"dates out of order: holdout_end"),
    (_log([("A", "2024-01-01", 10.0)]), {"calibration_end": "2023-12-01"}, r"before the first purchase"),
    (_log([("A", "not a day", 10.0), ("A", None, 1.0)]), {}, r"column 'date'.*rows 0, 1"),
    (_log([("A", "2024-01-01", "ten")]), {}, r"column 'dollar_value'.*rows 0"),
    (_log([(None, "2024-01-01", 1.0)]), {}, r"column 'customer_id' is empty at rows 0"),
    (_log([]), {}, r"empty"),
    (pd.DataFrame({"customer": ["A"], "when": ["2024-01-01"]}), {}, r"missing column\(s\) \['customer_id', 'date', "
                                                                     r"'dollar_value'\]"),
    ("not a table", {}, r"must be a table"),
])
def test_bad_logs_name_rows_columns_and_fix(log, kwargs, message):
    with pytest.raises(ValueError, match=message) as err:
        rfm.rfm_summary(log, **kwargs)
    if not isinstance(log, str):
        assert "Fix" in str(err.value) or "must be a table" in str(err.value)


def test_unit_and_columns_are_configurable():
    log = pd.DataFrame({"who": ["A", "A"], "when": ["2024-01-01", "2024-01-15"]})
    s = rfm.rfm_summary(log, "2024-01-29", customer="who", date="when", amount=None, unit="days")
    assert s.loc["A", "recency"] == 14 and s.loc["A", "T"] == 28 and "monetary_value" not in s
    with pytest.raises(ValueError, match="unit must be"):
        rfm.rfm_summary(log, customer="who", date="when", amount=None, unit="fortnights")
