"""salescoach.lifetime_value.inputs: the models' shared input checks (the models' own error tests are in
test_buying.py and test_spending.py)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salescoach.lifetime_value import inputs
from salescoach.lifetime_value.buying import BGNBDParams
from salescoach.lifetime_value.spending import GammaGammaParams


def test_model_params_take_as_many_positive_numbers_as_the_model_has():
    assert inputs.model_params(BGNBDParams(0.243, 4.414, 0.793, 2.426), BGNBDParams) == (0.243, 4.414, 0.793, 2.426)
    assert inputs.model_params([6.25, 3.74, 15.44], GammaGammaParams) == (6.25, 3.74, 15.44)
    with pytest.raises(ValueError, match="4 positive numbers"):
        inputs.model_params([6.25, 3.74, 15.44], BGNBDParams)
    with pytest.raises(ValueError, match="3 positive numbers"):
        inputs.model_params([6.25, 0.0, 15.44], GammaGammaParams)


def test_checked_history_names_the_rows_and_keeps_the_index():
    x, tx, t, index = inputs.checked_history(pd.Series([0, 2], index=["c1", "c2"]), [0.0, 5.0], [10.0, 10.0])
    assert list(index) == ["c1", "c2"] and x.tolist() == [0.0, 2.0] and tx.tolist() == [0.0, 5.0]
    with pytest.raises(ValueError, match=r"recency \(last purchase\) is after T .* rows c2"):
        inputs.checked_history(pd.Series([0, 2], index=["c1", "c2"]), [0.0, 12.0], [10.0, 10.0])
    with pytest.raises(ValueError, match="not the column T"):
        inputs.as_array(pd.DataFrame({"T": [1.0]}), "T")


def test_labelled_and_rows_where_and_unique_rows():
    assert inputs.labelled(np.array([1.5]), None, "v") == 1.5
    s = inputs.labelled(np.array([1.0, 2.0]), pd.Index(["a", "b"]), "v")
    assert s.name == "v" and list(s.index) == ["a", "b"]
    assert inputs.rows_where(np.arange(12) >= 0, None).endswith("(+2 more)")
    (x, m), counts = inputs.unique_rows(np.array([1.0, 1.0, 2.0]), np.array([5.0, 5.0, 5.0]))
    assert x.tolist() == [1.0, 2.0] and m.tolist() == [5.0, 5.0] and counts.tolist() == [2.0, 1.0]
