"""datasets/questions.csv and questions_external.csv: valid, big enough, balanced, fixed held-out splits."""
import pandas as pd
import pytest

from salescoach.datasets import DataValidationError, load, registry
from salescoach.datasets.questions import QUESTION_TYPES, TRAIN_ONLY_SOURCES, check_split


def test_questions_file_is_valid_and_balanced():
    df = load("questions")
    assert len(df) >= 400
    assert registry()["questions"].generator is None  # authored, never regenerated
    counts = df.groupby("language").size()
    assert counts.min() / counts.max() > 0.8
    assert df["scenario"].nunique() >= 5 and df.groupby(["type", "language"]).size().min() >= 40
    check_split(df)
    splitting = df[~df["source"].isin(TRAIN_ONLY_SOURCES)]
    assert (splitting["split"] == "test").mean() >= 0.25
    assert (df.loc[df["source"].isin(TRAIN_ONLY_SOURCES), "split"] == "train").all()
    assert set(df["type"]) == set(QUESTION_TYPES) and "opinion" not in set(df["type"])


def test_external_set_is_separate_balanced_and_large():
    ext, data = load("questions_external"), load("questions")
    assert registry()["questions_external"].generator is None
    sizes = ext.groupby(["language", "type"]).size()
    assert ext.groupby("language").size().min() >= 150 and sizes.min() >= 30 and len(sizes) == 10
    norm = lambda s: s.str.lower().str.replace(r"[\W_]+", "", regex=True)  # noqa: E731
    assert not set(norm(ext["text"])) & set(norm(data["text"]))  # no question in both files


def test_unbalanced_split_is_named():
    df = load("questions")
    broken = df.copy()
    broken.loc[(broken["type"] == "clarifying") & (broken["language"] == "zh"), "split"] = "train"
    with pytest.raises(DataValidationError, match="clarifying/zh"):
        check_split(broken)


def test_train_only_source_in_test_is_named():
    df = load("questions")
    broken = df.copy()
    broken.loc[broken.index[broken["source"] == "probes"][:2], "split"] = "test"
    with pytest.raises(DataValidationError, match="train-only"):
        check_split(broken)


def test_bad_label_names_column_and_row(tmp_path):
    raw = pd.read_csv("datasets/questions.csv", dtype=str)
    raw.loc[3, "type"] = "rhetorical"
    path = tmp_path / "q.csv"
    raw.to_csv(path, index=False)
    with pytest.raises(DataValidationError, match=r"column 'type'.*rows 3 .*file lines 5"):
        load("questions", path=path)
