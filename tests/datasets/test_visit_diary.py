"""The rookie's diary datasets: seeded generation, the story they tell, their data cards."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from salescoach import datasets as d
from salescoach.datasets import visit_diary as vd
from salescoach.paths import datasets_dir

NAMES = ("rookie_customers", "visit_diary")


@pytest.mark.parametrize("name", NAMES)
def test_committed_file_is_what_the_generator_writes(name, tmp_path):
    spec = d.spec(name)
    fresh = spec.generator()
    path = tmp_path / spec.file
    fresh.to_csv(path, index=False, lineterminator="\n")
    assert path.read_bytes() == (datasets_dir() / spec.file).read_bytes()
    assert list(d.load(name).columns) == spec.column_names


def test_the_story():
    shops, visits = d.load("rookie_customers"), d.load("visit_diary")
    assert len(shops) == 30 and (shops["level"] == "village").sum() == 15
    assert visits["date"].nunique() == 10 and visits["date"].dt.day_of_week.max() == 4
    assert visits["customer_id"].isin(shops["customer_id"]).all()
    merged = visits.merge(shops, on="customer_id")
    village_time = merged.loc[merged["level"] == "village", "minutes"].sum() / merged["minutes"].sum()
    village_sales = shops.loc[shops["level"] == "village", "sales_12m"].sum() / shops["sales_12m"].sum()
    assert village_time > 0.5 and village_sales < 0.1
    promising = shops.loc[shops["potential_12m"] > 4 * shops["sales_12m"], "customer_id"].tolist()
    assert sorted(promising) == ["R11", "R15", "R17"]


def test_other_seeds_keep_the_structure():
    visits = vd.make_visit_diary(seed=7)
    shops = vd.make_rookie_customers(seed=7)
    d.validate("visit_diary", visits.astype(str))
    assert visits["customer_id"].isin(shops["customer_id"]).all() and 50 <= len(visits) <= 70


@pytest.mark.parametrize("change, column", [
    (lambda f: f.assign(time=["9:5"] + f["time"].tolist()[1:]), "time"),
    (lambda f: f.assign(spend_yuan=["50"] + f["spend_yuan"].tolist()[1:], spend_type=["none"] * len(f)),
     "spend_yuan"),
    (lambda f: f.assign(outcome=["no order"] * len(f)), "order_yuan"),
    (lambda f: f.assign(minutes=["-3"] + f["minutes"].tolist()[1:]), "minutes"),
])
def test_broken_diary_rows_are_named(change, column):
    raw = pd.read_csv(d.path_of("visit_diary"), dtype=str, keep_default_na=False)
    with pytest.raises(d.DataValidationError) as err:
        d.validate("visit_diary", change(raw))
    assert err.value.column == column and err.value.rows


@pytest.mark.parametrize("name", NAMES)
def test_data_card(name):
    text = (datasets_dir() / "README.md").read_text(encoding="utf-8")
    spec = d.spec(name)
    section = text.split(f"## {spec.file}\n", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `(\w+)` \|", section, flags=re.M)
    assert listed == spec.column_names
    for col in spec.columns:
        if col.unit:
            row = re.search(rf"^\| `{col.name}` \|(.*)$", section, flags=re.M)
            assert col.unit in row.group(1)
