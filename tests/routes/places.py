"""Small synthetic customer lists for the route tests (the solvers get seconds, not minutes)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def city(n: int, seed: int = 0, classes: str = "ABC", spread: float = 0.05) -> pd.DataFrame:
    """``n`` customers around central Beijing with classes cycling through ``classes``."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "customer_id": [f"K{i:02d}" for i in range(n)],
        "name": [f"Shop {i}" for i in range(n)],
        "district": ["North" if i % 2 else "South" for i in range(n)],
        "latitude": 39.92 + rng.normal(0, spread, n),
        "longitude": 116.40 + rng.normal(0, spread * 1.3, n),
        "class": [classes[i % len(classes)] for i in range(n)],
    })
