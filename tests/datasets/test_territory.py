"""Tests of salescoach.datasets.territory: seeded, reproducible, shaped like the M1/M3 case, written atomically."""
from __future__ import annotations

import csv
import dataclasses
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salescoach import datasets as d
from salescoach.customer_grading import analysis as g
from salescoach.datasets import territory as s

OTHER_SEEDS = (1, 7, 2024)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """A generated frame as load() would return it, via the same text round trip write_datasets uses."""
    return d.validate("territory", frame.astype(str).replace({"nan": "", "NaT": "", "<NA>": ""}), "generated")


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    return s.make_territory()


@pytest.fixture(scope="module")
def territory(generated) -> pd.DataFrame:
    return _typed(generated)


@pytest.fixture(autouse=True)
def _territory_only(monkeypatch):
    """write_datasets() writes every synthetic dataset; these tests are about the territory's file alone."""
    for name, ds in list(d.registry().items()):
        if ds.generator is not None and name != "territory":
            monkeypatch.delitem(d.registry(), name)


@pytest.fixture
def empty_root(tmp_path) -> Path:
    """An empty kit root with its datasets/ folder."""
    (tmp_path / "datasets").mkdir()
    return tmp_path


# --------------------------------------------------------------------------- determinism
def test_same_seed_same_frame(generated):
    pd.testing.assert_frame_equal(s.make_territory(), generated)
    pd.testing.assert_frame_equal(s.make_territory(s.TERRITORY_SEED), generated)


def test_different_seed_differs(generated):
    other = s.make_territory(s.TERRITORY_SEED + 1)
    assert not other.equals(generated)
    assert (other["revenue_12m"] != generated["revenue_12m"]).any()


def test_committed_file_is_what_write_datasets_produces(empty_root):
    paths = d.write_datasets(empty_root, names=["territory"])
    assert paths == [empty_root / "datasets" / "territory.csv"]
    committed = d.path_of("territory")
    assert paths[0].read_bytes() == committed.read_bytes(), (
        "datasets/territory.csv is out of date: run `salescoach data` and commit the result"
    )


def test_write_datasets_twice_is_byte_identical(empty_root):
    first = d.write_datasets(empty_root, names=["territory"])[0].read_bytes()
    second = d.write_datasets(empty_root, names=["territory"])[0].read_bytes()
    assert first == second
    assert first.endswith(b"\n") and b"\r\n" not in first


def test_written_file_loads_like_the_generated_frame(empty_root, territory):
    path = d.write_datasets(empty_root, names=["territory"])[0]
    pd.testing.assert_frame_equal(d.load("territory", path=path), territory)
    pd.testing.assert_frame_equal(d.load("territory", root=empty_root), territory)


def test_write_creates_the_datasets_folder(tmp_path):
    path = d.write_datasets(tmp_path, names=["territory"])[0]
    assert path == tmp_path / "datasets" / "territory.csv"
    assert path.is_file()


# --------------------------------------------------------------------------- the case's shape
def test_columns_match_the_schema(generated):
    assert list(generated.columns) == d.registry()["territory"].column_names


def test_counts(territory):
    assert len(territory) == s.N_CUSTOMERS == 300
    assert territory["profiled"].sum() == s.N_PROFILED == 260
    assert territory["visited"].sum() == s.N_VISITED == 82
    assert not (territory["visited"] & ~territory["profiled"]).any(), "visited must be a subset of profiled"
    assert territory["customer_id"].is_unique
    assert territory["name"].is_unique


def test_abc_grading_matches_the_case(territory):
    counts = g.abc_classes(territory["revenue_12m"]).value_counts()
    assert 15 <= counts["A"] <= 20
    assert 30 <= counts["B"] <= 40


def test_heavy_tail(territory):
    assert g.share_of_top(territory["revenue_12m"], 0.2) > 0.8
    x, y = g.pareto_balance_point(territory["revenue_12m"])
    assert x < 0.2 and y > 0.8


def test_fake_big_customers(territory):
    fake = g.fake_big_customers(territory["revenue_12m"], territory["gross_profit"], top_share=0.1, max_margin=0.05)
    assert fake.sum() >= 3
    assert fake.sum() == s.N_FAKE_BIG
    # they really are big: every one is in the top 10% by revenue
    top30 = territory["revenue_12m"].nlargest(30).index
    assert set(fake[fake].index) <= set(top30)


def test_inside_beijing(territory):
    assert territory["latitude"].between(39.4, 41.1).all()
    assert territory["longitude"].between(115.4, 117.5).all()
    # every site is near the centre of its district
    centres = territory["district"].map(s._DISTRICT_CENTRES)
    dlat = (territory["latitude"] - centres.str[0]).abs()
    dlon = (territory["longitude"] - centres.str[1]).abs()
    assert (dlat < 0.2).all() and (dlon < 0.2).all()


def test_dates_and_buyers(territory):
    buyers = territory["first_purchase"].notna()
    assert buyers.sum() == 175  # 150 active in the last 12 months + 25 lapsed
    assert (territory["last_purchase"].dropna() <= s.TERRITORY_AS_OF).all()
    assert (territory.loc[buyers, "last_purchase"] >= territory.loc[buyers, "first_purchase"]).all()
    # never bought -> no revenue and no orders
    assert (territory.loc[~buyers, "revenue_12m"] == 0).all()
    assert (territory.loc[~buyers, "orders_12m"] == 0).all()
    assert territory.loc[~buyers, "growth_yoy"].isna().all()


def test_value_types_are_all_present(territory):
    types = g.value_types(territory, s.TERRITORY_AS_OF)
    assert set(types.unique()) == set(g.VALUE_TYPE_LABELS)


def test_visits_lean_towards_small_customers(territory):
    # S4: rookies visit the easy, small customers first
    visited = territory.loc[territory["visited"], "revenue_12m"].median()
    not_visited = territory.loc[territory["profiled"] & ~territory["visited"], "revenue_12m"].median()
    assert visited <= not_visited


#: sha256 of the first 16 columns of territory.csv as they were before the value signals were added; other
#: modules' lessons and answers use those columns, so they must never change
FIRST_COLUMNS_SHA256 = "db1bbb0764c6672f030de29fe6261b8488c35b81b415bef583196b8274110ce8"


def test_value_signals_left_every_earlier_column_as_it_was():
    rows = [r[:16] for r in csv.reader(d.path_of("territory").read_text("utf-8").splitlines())]
    text = "\n".join(",".join(r) for r in rows)
    assert hashlib.sha256(text.encode()).hexdigest() == FIRST_COLUMNS_SHA256
    assert rows[0][-1] == "visited"


def test_value_signals_tell_the_story(territory):
    t = territory
    bought = t["first_purchase"].notna()
    # never bought: no history, no survey
    assert (t.loc[~bought, "revenue_to_date"] == 0).all()
    assert t.loc[~bought, ["satisfaction", "would_recommend"]].isna().all().all()
    assert t.loc[bought, ["satisfaction", "would_recommend"]].notna().all().all()
    assert (t["revenue_to_date"] >= t["revenue_12m"]).all()
    net = g.net_customer_profit(t["gross_profit"], t["contact_cost_12m"])
    # the fake big customers lose money once their cost to serve is counted
    fake = g.fake_big_customers(t["revenue_12m"], t["gross_profit"], top_share=0.1, max_margin=0.05)
    assert (net[fake] < 0).all()
    # S4: the small shops Zhang visited mostly cost more than they bring
    small_visited = t["visited"] & (t["revenue_12m"] > 0) & (t["revenue_12m"] < 60_000)
    assert (net[small_visited] <= 0).mean() > 0.6
    # long-standing customers are more often promoters
    years = g.relationship_years(t["first_purchase"], t["last_purchase"])
    promoter = g.loyal(t["would_recommend"])
    assert promoter[bought & (years >= 5)].mean() > promoter[bought & (years < 2)].mean()
    # every tier of the profitability pyramid is there
    buyers = t["revenue_12m"] > 0
    tiers = g.profitability_tiers(net[buyers], promoter[buyers])
    assert (tiers.value_counts() > 0).all()


@pytest.mark.parametrize("seed", OTHER_SEEDS)
def test_other_seeds_keep_the_structure(seed):
    t = _typed(s.make_territory(seed))  # validates
    assert len(t) == 300 and t["profiled"].sum() == 260 and t["visited"].sum() == 82
    assert not (t["visited"] & ~t["profiled"]).any()
    assert g.share_of_top(t["revenue_12m"], 0.2) > 0.8
    assert g.fake_big_customers(t["revenue_12m"], t["gross_profit"], top_share=0.1, max_margin=0.05).sum() >= 3


# --------------------------------------------------------------------------- atomic write
def _broken_territory(seed: int = s.TERRITORY_SEED) -> pd.DataFrame:
    frame = s.make_territory(seed)
    frame.loc[3, "orders_12m"] = -1
    return frame


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "territory.csv")


def test_failed_validation_leaves_the_old_file(empty_root, monkeypatch):
    path = empty_root / "datasets" / "territory.csv"
    path.write_text("the trainer's old file\n", encoding="utf-8")
    monkeypatch.setitem(d.registry(), "territory", dataclasses.replace(d.spec("territory"), generator=_broken_territory))
    with pytest.raises(d.DataValidationError, match=r"generated territory: column 'orders_12m'.*at rows 3"):
        d.write_datasets(empty_root, names=["territory"])
    assert path.read_text(encoding="utf-8") == "the trainer's old file\n"
    assert _leftovers(empty_root / "datasets") == []


def test_failed_validation_creates_no_file(empty_root, monkeypatch):
    monkeypatch.setitem(d.registry(), "territory", dataclasses.replace(d.spec("territory"), generator=_broken_territory))
    with pytest.raises(d.DataValidationError):
        d.write_datasets(empty_root, names=["territory"])
    assert list((empty_root / "datasets").iterdir()) == []


def test_crash_while_writing_leaves_the_old_file(empty_root, monkeypatch):
    path = empty_root / "datasets" / "territory.csv"
    good = d.write_datasets(empty_root, names=["territory"])[0].read_bytes()

    def half_written(self, fh, **kwargs):
        fh.write("customer_id,name\nT001,")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_written)
    with pytest.raises(OSError, match="disk full"):
        d.write_datasets(empty_root, names=["territory"])
    assert path.read_bytes() == good
    assert _leftovers(empty_root / "datasets") == []


def test_written_file_is_readable(empty_root):
    path = d.write_datasets(empty_root, names=["territory"])[0]
    assert path.stat().st_mode & 0o777 == 0o644


def test_generated_frame_has_no_missing_required_values(generated):
    required = [c.name for c in d.registry()["territory"].columns if not c.nullable]
    assert generated[required].notna().all().all()
    assert np.isfinite(generated[["latitude", "longitude", "revenue_12m", "gross_profit"]].to_numpy(float)).all()


def test_data_card_facts_match_the_data(territory):
    card = (d.path_of("territory").parent / "README.md").read_text(encoding="utf-8")
    abc = g.abc_classes(territory["revenue_12m"]).value_counts()
    assert f"A {abc['A']}, B {abc['B']}, C {abc['C']}" in card
    fake = g.fake_big_customers(territory["revenue_12m"], territory["gross_profit"], top_share=0.1, max_margin=0.05)
    assert f"{fake.sum()}: " + ", ".join(territory.loc[fake, "customer_id"]) in card
    pyramid = g.pyramid_levels(territory["revenue_12m"]).value_counts()
    assert ", ".join(f"{k} {pyramid[k]}" for k in g.PYRAMID_LABELS) in card
    assert f"{g.share_of_top(territory['revenue_12m'], 0.2):.1%}" in card
    buyers = territory[territory["revenue_12m"] > 0]
    net = g.net_customer_profit(buyers["gross_profit"], buyers["contact_cost_12m"])
    tiers = g.profitability_tiers(net, g.loyal(buyers["would_recommend"])).value_counts()
    assert ", ".join(f"{k} {tiers[k]}" for k in g.PROFIT_TIER_LABELS) in card
