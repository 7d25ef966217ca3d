"""datasets/questions.csv: valid, big enough, balanced, with a fixed stratified held-out split."""
import pandas as pd
import pytest

from salescoach.datasets import DataValidationError, load, registry
from salescoach.datasets.questions import check_split


def test_questions_file_is_valid_and_balanced():
    df = load("questions")
    assert len(df) >= 400
    assert registry()["questions"].generator is None  # authored, never regenerated
    counts = df.groupby("language").size()
    assert counts.min() / counts.max() > 0.8
    assert df["scenario"].nunique() == 5 and df.groupby(["type", "language"]).size().min() >= 40
    check_split(df)
    assert (df["split"] == "test").mean() >= 0.25


def test_unbalanced_split_is_named():
    df = load("questions")
    broken = df.copy()
    broken.loc[(broken["type"] == "clarifying") & (broken["language"] == "zh"), "split"] = "train"
    with pytest.raises(DataValidationError, match="clarifying/zh"):
        check_split(broken)


def test_bad_label_names_column_and_row(tmp_path):
    raw = pd.read_csv("datasets/questions.csv", dtype=str)
    raw.loc[3, "type"] = "rhetorical"
    path = tmp_path / "q.csv"
    raw.to_csv(path, index=False)
    with pytest.raises(DataValidationError, match=r"column 'type'.*rows 3 .*file lines 5"):
        load("questions", path=path)
