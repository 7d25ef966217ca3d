"""Travel between customers: straight-line distance from coordinates, driving minutes, and the
travel-time matrix a route plan is built on (the rep's base first).

Source: syllabus module M6, S0: route arrangement 安排路线 plans the visiting routes through the
territory.  The sources give no travel figures, so the conversion is a kit assumption (every number is
a parameter):

* travel time = straight-line (haversine) distance x 1.3 (roads are longer than the straight line:
  1.2-1.4 in most cities) / 25 km/h (door to door in city traffic, parking included).

Every function takes pandas objects or numbers and returns new ones; inputs are never modified.  A
customer without usable coordinates raises ``ValueError`` naming the rows and the fix.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SPEED_KMH = 25.0  # kit assumption: door-to-door speed in city traffic
DETOUR = 1.3  # kit assumption: road distance / straight-line distance
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km between points given in degrees (numpy broadcasting)."""
    p1, p2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    dlat = p2 - p1
    dlon = np.radians(np.asarray(lon2, float)) - np.radians(np.asarray(lon1, float))
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def travel_minutes(km, speed_kmh: float = SPEED_KMH, detour: float = DETOUR):
    """Minutes of driving for a straight-line distance: km x detour / speed x 60 (kit assumption)."""
    if not (speed_kmh > 0 and detour >= 1):
        raise ValueError(f"speed_kmh must be > 0 and detour >= 1, got speed_kmh={speed_kmh}, detour={detour}")
    return np.asarray(km, float) * detour / speed_kmh * 60.0


def customer_frame(customers: pd.DataFrame) -> pd.DataFrame:
    """Customers indexed by ``customer_id`` (a column or the index), with numeric latitude and longitude.

    Raises ValueError naming the customers without coordinates (or with impossible ones): a route
    cannot be planned to a place nobody can find on the map.
    """
    if not isinstance(customers, pd.DataFrame):
        raise ValueError(f"customers: expected a table with latitude and longitude, got {type(customers).__name__}")
    df = customers.set_index("customer_id") if "customer_id" in customers.columns else customers
    missing = [c for c in ("latitude", "longitude") if c not in df.columns]
    if missing:
        raise ValueError(f"customers: missing column(s) {missing}; the plan needs each customer's latitude and "
                         f"longitude (columns are {list(customers.columns)})")
    if df.index.has_duplicates:
        dup = df.index[df.index.duplicated()].unique().tolist()[:10]
        raise ValueError(f"customers: duplicate customer ids {dup}; one row per customer")
    out = df.copy()
    for col in ("latitude", "longitude"):
        out[col] = pd.to_numeric(df[col], errors="coerce")
    bad = out["latitude"].isna() | out["longitude"].isna()
    bad |= ~out["latitude"].between(-90, 90) | ~out["longitude"].between(-180, 180)
    if bad.any():
        ids = out.index[bad].tolist()
        raise ValueError(f"{len(ids)} customer(s) have no usable coordinates: {ids[:10]}"
                         f"{' ...' if len(ids) > 10 else ''}. Fix: fill in their latitude and longitude, or leave "
                         "them out of the route plan (serve them by phone until their address is known)")
    out.index.name = "customer_id"
    return out


def travel_matrix(customers: pd.DataFrame, base: tuple[float, float] | None = None, speed_kmh: float = SPEED_KMH,
                  detour: float = DETOUR) -> pd.DataFrame:
    """Travel minutes between every pair of customers, with the rep's base as the first row and column "base".

    ``base`` is (latitude, longitude) of the office or home the day starts from; by default the centre of
    the customers.
    """
    c = customer_frame(customers)
    if base is None:
        base = (float(c["latitude"].mean()), float(c["longitude"].mean())) if len(c) else (0.0, 0.0)
    lat = np.r_[base[0], c["latitude"].to_numpy()]
    lon = np.r_[base[1], c["longitude"].to_numpy()]
    km = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    labels = ["base", *map(str, c.index)]
    return pd.DataFrame(travel_minutes(km, speed_kmh, detour), index=labels, columns=labels)
