"""Tests of salescoach.datasets.team: seeded, reproducible, shaped like the M8 case, validated with clear errors."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salescoach import datasets as d
from salescoach.datasets import team as s
from salescoach.paths import datasets_dir
from salescoach.team_performance import analysis as a

JOE, ARLENE = "R01", "R02"


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    return s.make_team()


@pytest.fixture(scope="module")
def team() -> pd.DataFrame:
    return d.load("team")


@pytest.fixture(scope="module")
def year(team) -> pd.DataFrame:
    return a.kpis(team)


@pytest.fixture
def team_only(monkeypatch):
    """write_datasets() writes every synthetic dataset: keep only the team's."""
    for name, ds in list(d.registry().items()):
        if ds.generator is not None and name != "team":
            monkeypatch.delitem(d.registry(), name)


@pytest.fixture
def team_text() -> pd.DataFrame:
    return pd.read_csv(d.path_of("team"), dtype=str, keep_default_na=False)


def _error(frame: pd.DataFrame, tmp_path: Path) -> d.DataValidationError:
    path = tmp_path / "my_team.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(d.DataValidationError) as info:
        d.load("team", path=path)
    return info.value


# --------------------------------------------------------------------------- determinism and the file
def test_same_seed_same_frame(generated):
    pd.testing.assert_frame_equal(s.make_team(), generated)
    assert not s.make_team(s.TEAM_SEED + 1).equals(generated)


def test_committed_file_is_what_write_datasets_produces(tmp_path, team_only):
    (tmp_path / "datasets").mkdir()
    paths = d.write_datasets(tmp_path)
    assert paths == [tmp_path / "datasets" / "team.csv"]
    assert paths[0].read_bytes() == d.path_of("team").read_bytes(), \
        "datasets/team.csv is out of date: run `salescoach data` and commit the result"
    assert d.write_datasets(tmp_path)[0].read_bytes() == paths[0].read_bytes()


def test_loads_with_its_schema(team):
    spec = d.spec("team")
    assert list(team.columns) == spec.column_names
    kinds = {"int": np.int64, "float": np.float64}
    for col in spec.columns:
        if col.kind in kinds:
            assert team[col.name].dtype == kinds[col.kind], col.name
        assert team[col.name].notna().all()
        assert col.description


def test_size(team):
    assert team["rep_id"].nunique() >= 12
    assert team.groupby("rep_id")["quarter"].nunique().eq(4).all()
    assert not team.duplicated(["rep_id", "quarter"]).any()


def test_customers_carry_over_from_quarter_to_quarter(team):
    for _, rows in team.sort_values("quarter").groupby("rep_id"):
        end = (rows["customers_start"] - rows["customers_lost"] + rows["customers_new"]).to_numpy()
        assert (rows["customers_start"].to_numpy()[1:] == end[:-1]).all()


# --------------------------------------------------------------------------- the case
def test_joe_beats_quota_by_half_and_sells_most(team, year):
    joe = team[team["rep_id"] == JOE]
    assert (joe["sales"] / joe["quota"] > 1.4).all()
    assert year["sales"].idxmax() == JOE  # a top earner on a commission plan


def test_joe_neglects_prospects_and_margin(year):
    assert year["prospect_call_share"].idxmin() == JOE
    assert year["gross_margin"].idxmin() == JOE
    assert year.loc[JOE, "customers_end"] < year.loc[JOE, "customers_start"]  # his small customers drift away
    assert year.loc[JOE, "sales_per_order"] == year["sales_per_order"].max()  # big stable accounts


def test_arlene_just_makes_quota_but_builds_the_future(year):
    assert 0.95 <= year.loc[ARLENE, "sales_vs_quota"] <= 1.05
    for best in ("customers_new", "complaint_resolution", "prospect_call_share", "sales_growth"):
        assert year[best].idxmax() == ARLENE, best
    assert year["churn"].idxmin() == ARLENE
    assert year.loc[ARLENE, "sales"] < year.loc[JOE, "sales"]


@pytest.mark.parametrize("seed", [1, 7])
def test_other_seeds_keep_the_story(seed):
    frame = d.validate("team", s.make_team(seed).astype(str), f"seed {seed}")
    year = a.kpis(frame)
    assert year["sales"].idxmax() == JOE
    assert year["customers_new"].idxmax() == ARLENE
    assert year["gross_margin"].idxmin() == JOE


# --------------------------------------------------------------------------- bad files
@pytest.mark.parametrize("change, column, words", [
    (lambda f: f.assign(cancelled_orders=f["orders"].astype(int) + 1), "cancelled_orders", "more cancelled"),
    (lambda f: f.assign(customers_lost=f["customers_start"].astype(int) + 1), "customers_lost", "lost"),
    (lambda f: f.assign(customers_new=f["prospects"].astype(int) + 1), "customers_new", "prospects"),
    (lambda f: f.assign(complaints_resolved=f["complaints_received"].astype(int) + 1), "complaints_resolved",
     "resolved"),
    (lambda f: f.assign(gross_profit=f["sales"].astype(int) + 1), "gross_profit", "above sales"),
    (lambda f: f.assign(quarter="2025-1"), "quarter", "YYYYQn"),
])
def test_row_rules_name_the_column_and_rows(team_text, tmp_path, change, column, words):
    err = _error(change(team_text), tmp_path)
    assert err.column == column and err.rows and words in str(err)
    assert "Fix:" in str(err) and "my_team.csv" in str(err)


def test_duplicate_rep_quarter(team_text, tmp_path):
    frame = pd.concat([team_text, team_text.iloc[[3]]], ignore_index=True)
    err = _error(frame, tmp_path)
    assert err.column == "rep_id" and err.rows == [3, len(team_text)]


def test_negative_count_and_missing_column(team_text, tmp_path):
    frame = team_text.copy()
    frame.loc[5, "calls_prospects"] = "-4"
    err = _error(frame, tmp_path)
    assert err.column == "calls_prospects" and err.rows == [5] and "minimum" in str(err)
    err = _error(team_text.drop(columns=["prospects"]), tmp_path)
    assert err.column == "prospects" and "missing column" in str(err)


# --------------------------------------------------------------------------- the data card
def test_data_card_lists_every_column():
    text = (datasets_dir() / "README.md").read_text(encoding="utf-8")
    section = re.split(r"^## ", text, flags=re.M)
    card = next((c for c in section if c.startswith("team.csv")), None)
    assert card, "datasets/README.md needs a '## team.csv' section"
    listed = re.findall(r"^\| `(\w+)` \|", card, flags=re.M)
    assert listed == d.spec("team").column_names
    for fact in ("Joe Martin", "Arlene Summers", str(s.TEAM_SEED), "salescoach data"):
        assert fact in card, fact
