"""The data card viewer of salescoach.customer_grading.data_card_viewer, driven like a user would: real
ipywidgets, no mocks."""
import pandas as pd
import pytest

from salescoach.customer_grading import data_card_viewer


def test_data_card_viewer_shows_the_picked_customer(territory):
    t = territory.set_index("customer_id")
    extra = pd.DataFrame({"tier": ["platinum", "gold"]}, index=["T144", "T039"])
    w = data_card_viewer.data_card_viewer(t, "2025-12-31", owner="Xiao Zhang", extra=extra, ids=["T144", "T039"])
    assert "T144" in w.card_html.value and "platinum" in w.card_html.value
    w.picker.value = "T039"
    assert dict(zip(w.card["item"], w.card["value"]))["company"] == t.loc["T039", "name"]
    assert "gold" in w.card_html.value and "Xiao Zhang" in w.card_html.value
    with pytest.raises(ValueError, match="unknown"):
        data_card_viewer.data_card_viewer(t, "2025-12-31", owner="Z", ids=["nope"])
