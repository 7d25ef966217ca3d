"""Tests of salescoach.datasets.key_accounts: seeded, reproducible, valid for any seed, errors that name the problem."""
from __future__ import annotations

import pandas as pd
import pytest

from salescoach import datasets as d
from salescoach.datasets import key_accounts as ka


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """A generated frame as load() returns it, via the text round trip write_datasets uses."""
    return d.validate("key_accounts", frame.astype(str).replace({"nan": "", "NaT": "", "None": ""}), "generated")


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    return ka.make_key_accounts()


def test_same_seed_same_frame_other_seed_other_frame(generated):
    pd.testing.assert_frame_equal(ka.make_key_accounts(ka.KA_SEED), generated)
    assert not ka.make_key_accounts(ka.KA_SEED + 1).equals(generated)


def test_committed_file_is_what_the_generator_writes(tmp_path, generated):
    (tmp_path / "datasets").mkdir()
    paths = d.write_datasets(tmp_path, names=["key_accounts"])
    assert paths == [tmp_path / "datasets" / "key_accounts.csv"]
    assert paths[0].read_bytes() == d.path_of("key_accounts").read_bytes(), (
        "datasets/key_accounts.csv is out of date: run `salescoach data` and commit the result")
    pd.testing.assert_frame_equal(d.load("key_accounts", path=paths[0]), _typed(generated))


@pytest.mark.parametrize("seed", [1, 3, 7, 11, 42, 123, 2024])
def test_every_seed_gives_a_valid_portfolio(seed):
    frame = _typed(ka.make_key_accounts(seed))
    assert len(frame) == ka.N_ACCOUNTS and frame["account_id"].is_unique and frame["name"].is_unique
    assert (frame["forums_attended"] <= frame["years_as_ka"]).all()


def test_size_of_the_portfolio():
    assert len(ka.make_key_accounts(n=5)) == 5
    big = _typed(ka.make_key_accounts(n=60))
    assert big["name"].is_unique and list(big["account_id"][:2]) == ["K01", "K02"]
    for n in (4, 100):
        with pytest.raises(ValueError, match="5 to 99 accounts"):
            ka.make_key_accounts(n=n)


def test_the_story_of_the_shipped_portfolio():
    p = d.load("key_accounts")
    assert len(p) >= 25
    assert set(p["channel"]) == set(ka.CHANNELS)
    margin = p["gross_profit"] / p["annual_revenue"]
    assert (margin < 0.05).sum() == 2, "two thin-margin giants: big, not key"
    assert p["last_review"].isna().sum() >= 3, "some accounts never had a review meeting"
    assert (p["competitor_activity"] >= 2).sum() >= 5
    assert p["revenue_trend"].min() < -0.1 < 0.1 < p["revenue_trend"].max()
    k14 = p.set_index("account_id").loc["K14"]
    assert k14["name"] == "Boya Restaurants" and k14["satisfaction"] == 2.2 and pd.isna(k14["last_review"])


@pytest.fixture
def text() -> pd.DataFrame:
    return pd.read_csv(d.path_of("key_accounts"), dtype=str, keep_default_na=False)


def _error(frame: pd.DataFrame, tmp_path) -> d.DataValidationError:
    path = tmp_path / "key_accounts.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(d.DataValidationError) as info:
        d.load("key_accounts", path=path)
    assert str(path) in str(info.value) and "Fix:" in str(info.value)
    return info.value


@pytest.mark.parametrize("column, value, problem", [
    ("fill_rate", "1.3", "above the maximum 1"),
    ("share_of_wallet", "-0.2", "below the minimum 0"),
    ("satisfaction", "high", "not a number"),
    ("competitor_activity", "5", "above the maximum 3"),
    ("channel", "wholesale", "unknown value"),
    ("last_review", "31/12/2025", "not a date"),
])
def test_bad_values_name_column_and_row(text, tmp_path, column, value, problem):
    text.loc[4, column] = value
    err = _error(text, tmp_path)
    assert err.column == column and err.rows == [4] and problem in str(err)


def test_missing_column_is_named(text, tmp_path):
    err = _error(text.drop(columns="senior_visits"), tmp_path)
    assert err.column == "senior_visits" and "missing column" in str(err)


@pytest.mark.parametrize("change, column", [
    (lambda t: t.assign(gross_profit=t["annual_revenue"].astype(int) + 1), "gross_profit"),
    (lambda t: t.assign(forums_attended="3", years_as_ka="2"), "forums_attended"),
    (lambda t: t.assign(last_review="2026-03-01"), "last_review"),
])
def test_row_rules(text, tmp_path, change, column):
    err = _error(change(text), tmp_path)
    assert err.column == column
