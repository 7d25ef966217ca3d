"""Tests of salescoach.datasets: the shipped datasets load with their schema, and broken files fail helpfully."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salescoach import datasets as d
from salescoach.paths import datasets_dir

EXPECTED_DTYPE = {
    "int": lambda s: s.dtype == np.int64 or s.dtype == "Int64",  # Int64: a nullable column (e.g. a survey score)
    "float": lambda s: s.dtype == np.float64,
    "date": lambda s: pd.api.types.is_datetime64_dtype(s),
    "bool": lambda s: s.dtype == bool,
    "str": lambda s: s.map(lambda v: v is None or isinstance(v, str)).all(),
}


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def master() -> pd.DataFrame:
    return d.load("cdnow_master")


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return d.load("cdnow_sample")


@pytest.fixture
def territory_text() -> pd.DataFrame:
    """The committed territory.csv as raw text cells, ready to be broken."""
    return pd.read_csv(d.path_of("territory"), dtype=str, keep_default_na=False)


@pytest.fixture
def write_territory(tmp_path):
    """Write a (broken) copy of territory.csv into tmp_path and return its path."""

    def write(frame: pd.DataFrame | None = None, *, text: str | None = None, data: bytes | None = None,
              name: str = "territory.csv") -> Path:
        path = tmp_path / name
        if frame is not None:
            frame.to_csv(path, index=False)
        elif text is not None:
            path.write_text(text, encoding="utf-8")
        else:
            path.write_bytes(data or b"")
        return path

    return write


def load_error(path: Path) -> d.DataValidationError:
    with pytest.raises(d.DataValidationError) as info:
        d.load("territory", path=path)
    err = info.value
    assert isinstance(err, ValueError)
    msg = str(err)
    assert str(path) in msg, msg
    assert "Fix:" in msg, msg
    assert err.file == str(path)
    return err


def assert_names(err: d.DataValidationError, column: str, rows: list[int] | None = None) -> None:
    msg = str(err)
    assert err.column == column
    assert f"column '{column}'" in msg, msg
    if rows is not None:
        assert err.rows == rows
        assert "at rows " + ", ".join(map(str, rows)) in msg, msg


# --------------------------------------------------------------------------- the shipped datasets
def test_dataset_names():
    names = d.dataset_names()
    assert {"cdnow_master", "cdnow_sample", "key_accounts", "territory"} <= set(names)
    assert names.index("cdnow_master") < names.index("territory")  # families in file-name order


@pytest.mark.parametrize("name", ["territory", "cdnow_master", "cdnow_sample"])
def test_each_dataset_loads_with_its_schema(name, request):
    frame = request.getfixturevalue({"territory": "territory", "cdnow_master": "master",
                                     "cdnow_sample": "sample"}[name])
    spec = d.registry()[name]
    assert list(frame.columns) == spec.column_names
    assert len(frame) > 0
    for col in spec.columns:
        assert EXPECTED_DTYPE[col.kind](frame[col.name]), (col.name, frame[col.name].dtype)
        if not col.nullable:
            assert frame[col.name].notna().all(), col.name
        if col.min is not None:
            assert (frame[col.name].dropna() >= col.min).all()
        if col.max is not None:
            assert (frame[col.name].dropna() <= col.max).all()
        if col.allowed is not None:
            assert frame[col.name].dropna().isin(col.allowed).all()
        if col.unique:
            assert frame[col.name].is_unique
        assert col.description, f"{name}.{col.name} needs a description for the data card"


def test_every_column_kind_is_known():
    for spec in d.registry().values():
        for col in spec.columns:
            assert col.kind in EXPECTED_DTYPE


def test_territory_facts(territory):
    assert len(territory) == 300
    assert territory["customer_id"].tolist() == [f"T{i:03d}" for i in range(1, 301)]
    assert territory["profiled"].sum() == 260
    assert territory["visited"].sum() == 82
    assert not (territory["visited"] & ~territory["profiled"]).any()
    assert (territory["gross_profit"] <= territory["revenue_12m"]).all()
    assert territory["first_purchase"].isna().eq(territory["last_purchase"].isna()).all()


def test_cdnow_master(master):
    assert len(master) == 69_659
    assert master["customer_id"].nunique() == 23_570
    assert master["customer_id"].min() == 1 and master["customer_id"].max() == 23_570
    assert master["date"].min() == pd.Timestamp("1997-01-01")
    assert master["date"].max() == pd.Timestamp("1998-06-30")
    # the cohort made its first purchase in the first quarter of 1997
    assert master.groupby("customer_id")["date"].min().max() < pd.Timestamp("1997-04-01")
    assert (master["dollar_value"] == 0).any(), "the data card says $0.00 purchases occur"
    assert (master["cds"] >= 1).all()


def test_cdnow_sample(sample, master):
    assert len(sample) == 6_919
    assert sample["customer_id"].nunique() == 2_357
    assert sorted(sample["sample_id"].unique()) == list(range(1, 2358))
    assert sample.groupby("sample_id")["customer_id"].nunique().eq(1).all()
    assert sample["date"].between(pd.Timestamp("1997-01-01"), pd.Timestamp("1998-06-30")).all()
    assert set(sample["customer_id"]) <= set(master["customer_id"])
    # the sample's purchases are the master file's purchases of those customers
    key = ["customer_id", "date", "cds", "dollar_value"]
    in_master = master[master["customer_id"].isin(sample["customer_id"])]
    pd.testing.assert_frame_equal(
        sample[key].sort_values(key).reset_index(drop=True), in_master[key].sort_values(key).reset_index(drop=True)
    )


def test_load_is_fresh_each_time():
    a = d.load("territory")
    a.loc[0, "revenue_12m"] = -1
    assert d.load("territory").loc[0, "revenue_12m"] >= 0


def test_load_from_root(tmp_path):
    (tmp_path / "datasets").mkdir()
    shutil.copy(d.path_of("territory"), tmp_path / "datasets" / "territory.csv")
    assert d.path_of("territory", tmp_path) == tmp_path / "datasets" / "territory.csv"
    assert datasets_dir(tmp_path) == tmp_path / "datasets"
    pd.testing.assert_frame_equal(d.load("territory", root=tmp_path), d.load("territory"))


def test_unknown_dataset():
    with pytest.raises(ValueError, match=r"unknown dataset 'nope'; available: .*cdnow_master, cdnow_sample.*territory"):
        d.load("nope")


def test_validate_accepts_a_frame_and_a_name(territory_text):
    typed = d.validate("territory", territory_text)
    pd.testing.assert_frame_equal(typed, d.load("territory"))


def test_validate_does_not_mutate(territory_text):
    before = territory_text.copy()
    d.validate("territory", territory_text)
    pd.testing.assert_frame_equal(territory_text, before)


def test_bool_spellings(territory_text, write_territory):
    t = territory_text.copy()
    t["profiled"] = np.where(t["profiled"] == "True", "yes", "0")
    t["visited"] = np.where(t["visited"] == "True", "1", "false")
    loaded = d.load("territory", path=write_territory(t))
    reference = d.load("territory")
    assert loaded["profiled"].tolist() == reference["profiled"].tolist()
    assert loaded["visited"].tolist() == reference["visited"].tolist()


def test_whitespace_around_values_is_ignored(territory_text, write_territory):
    t = territory_text.copy()
    t.loc[0, "district"] = "  " + t.loc[0, "district"] + " "
    t.loc[0, "revenue_12m"] = " " + t.loc[0, "revenue_12m"]
    pd.testing.assert_frame_equal(d.load("territory", path=write_territory(t)), d.load("territory"))


# --------------------------------------------------------------------------- the error paths
class TestBrokenTerritory:
    def test_missing_column(self, territory_text, write_territory):
        err = load_error(write_territory(territory_text.drop(columns="industry")))
        assert_names(err, "industry")
        assert "missing column(s) ['industry']" in str(err)
        assert "the file needs exactly these columns" in str(err)

    def test_extra_column(self, territory_text, write_territory):
        err = load_error(write_territory(territory_text.assign(notes="call back")))
        assert_names(err, "notes")
        assert "unexpected column(s) ['notes']" in str(err)

    def test_renamed_column(self, territory_text, write_territory):
        err = load_error(write_territory(territory_text.rename(columns={"revenue_12m": "revenue"})))
        assert_names(err, "revenue_12m")

    def test_not_a_number(self, territory_text, write_territory):
        territory_text.loc[4, "revenue_12m"] = "abc"
        err = load_error(write_territory(territory_text))
        assert_names(err, "revenue_12m", [4])
        assert "not a number (e.g. 'abc')" in str(err)
        assert "plain number in yuan" in str(err)

    @pytest.mark.parametrize("value", ["inf", "-inf", "1e400"])
    def test_infinite_is_not_a_number(self, territory_text, write_territory, value):
        territory_text.loc[2, "annual_potential"] = value
        err = load_error(write_territory(territory_text))
        assert_names(err, "annual_potential", [2])

    def test_negative_orders(self, territory_text, write_territory):
        territory_text.loc[[2, 7], "orders_12m"] = "-3"
        err = load_error(write_territory(territory_text))
        assert_names(err, "orders_12m", [2, 7])
        assert "below the minimum 0" in str(err)

    def test_fractional_orders(self, territory_text, write_territory):
        territory_text.loc[1, "orders_12m"] = "2.5"
        err = load_error(write_territory(territory_text))
        assert_names(err, "orders_12m", [1])
        assert "whole number" in str(err)

    def test_gross_profit_above_revenue(self, territory_text, write_territory):
        i = int(territory_text.index[territory_text["revenue_12m"].astype(float) > 0][0])
        territory_text.loc[i, "gross_profit"] = str(int(territory_text.loc[i, "revenue_12m"]) + 1)
        err = load_error(write_territory(territory_text))
        assert_names(err, "gross_profit", [i])
        assert "gross profit cannot exceed revenue" in str(err)

    @pytest.mark.parametrize("value", ["2025-13-45", "31/12/2024", "yesterday", "2025-02-30", "20250101"])
    def test_bad_date(self, territory_text, write_territory, value):
        i = int(territory_text.index[territory_text["first_purchase"] != ""][0])
        territory_text.loc[i, "first_purchase"] = value
        err = load_error(write_territory(territory_text))
        assert_names(err, "first_purchase", [i])
        assert f"not a date (e.g. '{value}')" in str(err)
        assert "YYYY-MM-DD" in str(err)

    def test_bad_district(self, territory_text, write_territory):
        territory_text.loc[5, "district"] = "Atlantis"
        err = load_error(write_territory(territory_text))
        assert_names(err, "district", [5])
        assert "unknown value(s) ['Atlantis']" in str(err)
        assert "Haidian" in str(err)  # the fix lists the allowed districts

    def test_latitude_outside_beijing(self, territory_text, write_territory):
        territory_text.loc[0, "latitude"] = "31.23"
        err = load_error(write_territory(territory_text))
        assert_names(err, "latitude", [0])
        assert "below the minimum 39.4" in str(err)

    def test_bad_bool(self, territory_text, write_territory):
        territory_text.loc[8, "visited"] = "maybe"
        err = load_error(write_territory(territory_text))
        assert_names(err, "visited", [8])
        assert "true or false" in str(err)

    def test_duplicate_id(self, territory_text, write_territory):
        territory_text.loc[9, "customer_id"] = territory_text.loc[0, "customer_id"]
        err = load_error(write_territory(territory_text))
        assert_names(err, "customer_id", [0, 9])
        assert "duplicate" in str(err)

    @pytest.mark.parametrize("column", ["name", "revenue_12m", "profiled", "credit_rating"])
    def test_empty_required_value(self, territory_text, write_territory, column):
        territory_text.loc[3, column] = ""
        err = load_error(write_territory(territory_text))
        assert_names(err, column, [3])
        assert "empty value(s) in a required column" in str(err)
        assert f"fill in {column}" in str(err)

    def test_empty_nullable_value_is_fine(self, territory_text, write_territory):
        i = int(territory_text.index[territory_text["growth_yoy"] != ""][0])
        territory_text.loc[i, "growth_yoy"] = ""
        loaded = d.load("territory", path=write_territory(territory_text))
        assert np.isnan(loaded.loc[i, "growth_yoy"])

    def test_many_rows_are_summarised(self, territory_text, write_territory):
        territory_text.loc[0:14, "industry"] = "mining"
        err = load_error(write_territory(territory_text))
        assert_names(err, "industry")
        assert err.rows == list(range(15))
        assert "at rows 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 (+5 more)" in str(err)

    @pytest.mark.parametrize(
        "change, column",
        [
            ({"revenue_12m": "1000", "orders_12m": "0", "gross_profit": "100", "annual_potential": "5000"},
             "revenue_12m"),
            ({"revenue_12m": "0", "orders_12m": "3", "gross_profit": "0"}, "orders_12m"),
            ({"revenue_12m": "900000", "annual_potential": "1000", "orders_12m": "5", "gross_profit": "1"},
             "revenue_12m"),
            ({"first_purchase": "2024-01-01", "last_purchase": ""}, "first_purchase"),
            ({"first_purchase": "2025-06-01", "last_purchase": "2024-01-01"}, "first_purchase"),
            ({"profiled": "False", "visited": "True"}, "visited"),
        ],
        ids=["revenue-without-orders", "orders-without-revenue", "revenue-above-potential",
             "first-without-last", "last-before-first", "visited-not-profiled"],
    )
    def test_row_rules(self, territory_text, write_territory, change, column):
        for col, value in change.items():
            territory_text.loc[6, col] = value
        err = load_error(write_territory(territory_text))
        assert_names(err, column, [6])

    def test_missing_file(self, tmp_path):
        path = tmp_path / "nowhere" / "territory.csv"
        with pytest.raises(FileNotFoundError) as info:
            d.load("territory", path=path)
        msg = str(info.value)
        assert str(path) in msg
        assert "Fix:" in msg and "salescoach data" in msg and "git checkout" in msg

    def test_missing_dataset_under_root(self, tmp_path):
        with pytest.raises(FileNotFoundError, match="salescoach data"):
            d.load("territory", root=tmp_path)

    def test_directory_is_not_a_file(self, tmp_path):
        with pytest.raises(FileNotFoundError):
            d.load("territory", path=tmp_path)

    @pytest.mark.parametrize(
        "content",
        [b"", bytes(range(256)) * 8, b"customer_id,name\n\xff\xfe\xfa,\xc3\x28\n",
         b"<html><body>404 Not Found</body></html>\n"],
        ids=["empty-file", "binary", "not-utf8", "html"],
    )
    def test_garbage(self, write_territory, content):
        err = load_error(write_territory(data=content))
        assert err.column in (None, "customer_id")
        assert re.search(r"cannot be parsed|missing column", str(err))

    def test_ragged_line(self, territory_text, write_territory):
        text = d.path_of("territory").read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        lines[5] = lines[5].rstrip("\n") + ",surplus\n"
        err = load_error(write_territory(text="".join(lines)))
        assert err.column is None
        assert "cannot be parsed" in str(err) and "line 6" in str(err)


class TestBrokenCdnow:
    def test_wrong_field_count(self, tmp_path):
        path = tmp_path / "cdnow_sample.txt"
        path.write_text(" 00004 0001 19970101  2\n")
        with pytest.raises(d.DataValidationError, match=r"expected 5 fields per line, found 4.*Fix:") as info:
            d.load("cdnow_sample", path=path)
        assert str(path) in str(info.value)

    def test_bad_date(self, tmp_path):
        path = tmp_path / "cdnow_master.txt"
        path.write_text("customer_id date number_of_cds dollar_value\n 00001 19970101 1 11.77\n"
                        " 00002 1997013X 1 5\n 00003 19970102 2 20.00\n")
        with pytest.raises(d.DataValidationError) as info:
            d.load("cdnow_master", path=path)
        # only the typo is blamed, and the fix names the file's own date format
        assert info.value.column == "date" and info.value.rows == [1]
        assert "not a date (e.g. '1997013X')" in str(info.value)
        assert "write dates as YYYYMMDD" in str(info.value)

    def test_zero_cds(self, tmp_path):
        path = tmp_path / "cdnow_master.txt"
        path.write_text("header\n 00001 19970101 0 0.00\n")
        with pytest.raises(d.DataValidationError, match=r"column 'cds'.*minimum 1.*at rows 0"):
            d.load("cdnow_master", path=path)

    def test_small_valid_file(self, tmp_path):
        path = tmp_path / "cdnow_master.txt"
        path.write_text("customer_id date number_of_cds dollar_value\n 00007 19980630  3   0.00\n")
        frame = d.load("cdnow_master", path=path)
        assert frame.to_dict("records") == [
            {"customer_id": 7, "date": pd.Timestamp("1998-06-30"), "cds": 3, "dollar_value": 0.0}
        ]


# --------------------------------------------------------------------------- the data card
@pytest.fixture(scope="module")
def data_card() -> dict[str, str]:
    """datasets/README.md split into its '## ' sections, keyed by heading."""
    text = (datasets_dir() / "README.md").read_text(encoding="utf-8")
    sections: dict[str, str] = {}
    for chunk in re.split(r"^## ", text, flags=re.M)[1:]:
        heading, _, body = chunk.partition("\n")
        sections[heading.strip()] = body
    return sections


@pytest.mark.parametrize("name", ["territory", "cdnow_master", "cdnow_sample", "key_accounts"])
def test_data_card_lists_every_column(data_card, name):
    spec = d.registry()[name]
    assert spec.file in data_card, f"datasets/README.md needs a '## {spec.file}' section"
    section = data_card[spec.file]
    for col in spec.columns:
        row = re.search(rf"^\| `{re.escape(col.name)}` \|(.*)$", section, flags=re.M)
        assert row, f"datasets/README.md, {spec.file}: column {col.name} is not in the column table"
        if col.unit:
            assert col.unit in row.group(1), f"{spec.file}: unit of {col.name} should be {col.unit!r}"
    listed = re.findall(r"^\| `(\w+)` \|", section, flags=re.M)
    assert listed == spec.column_names, "the card's column table should follow the schema's order"


def test_data_card_states_the_facts(data_card):
    card = "\n".join(data_card.values())
    for fact in ("20240901", "2025-12-31", "salescoach data", "23,570", "69,659", "2,357", "6,919", "MIT",
                 "Fader", "Hardie", "lifetimes", "0.11.3", "DataValidationError", "Fix:"):
        assert fact in card, fact


def test_load_reads_a_file_once_and_hands_out_copies(tmp_path):
    import shutil

    path = tmp_path / "territory.csv"
    shutil.copy(d.path_of("territory"), path)
    first = d.load("territory", path=path)
    first.loc[0, "revenue_12m"] = -1.0          # the caller's copy only
    second = d.load("territory", path=path)
    assert second.loc[0, "revenue_12m"] != -1.0 and second is not first
    text = path.read_text(encoding="utf-8").replace("T001,", "T001X,", 1)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    assert d.load("territory", path=path).loc[0, "customer_id"] == "T001X"  # a changed file is read again
