"""salescoach.routes.travel: distances, travel minutes, the travel-time matrix, customers' coordinates."""
from __future__ import annotations

import numpy as np
import pytest

from salescoach.routes import travel


def test_haversine_beijing_shanghai():
    km = travel.haversine_km(39.9042, 116.4074, 31.2304, 121.4737)
    assert 1060 < float(km) < 1075


def test_travel_minutes_use_detour_and_speed():
    assert travel.travel_minutes(25.0, speed_kmh=25, detour=1.0) == pytest.approx(60.0)
    assert travel.travel_minutes(10.0) == pytest.approx(10 * 1.3 / 25 * 60)
    with pytest.raises(ValueError):
        travel.travel_minutes(1.0, speed_kmh=0)


def test_travel_matrix_has_the_base_first(small_city):
    m = travel.travel_matrix(small_city, base=(39.9, 116.4))
    assert m.index[0] == "base" and list(m.index[1:]) == small_city["customer_id"].tolist()
    assert np.allclose(m.to_numpy(), m.to_numpy().T) and np.allclose(np.diag(m), 0)


def test_customers_without_coordinates_are_named(small_city):
    broken = small_city.copy()
    broken.loc[[2, 5], "latitude"] = np.nan
    broken.loc[7, "longitude"] = 500
    with pytest.raises(ValueError, match=r"3 customer\(s\) have no usable coordinates: \['K02', 'K05', 'K07'\]"):
        travel.customer_frame(broken)
    with pytest.raises(ValueError, match="missing column"):
        travel.customer_frame(small_city.drop(columns="longitude"))
