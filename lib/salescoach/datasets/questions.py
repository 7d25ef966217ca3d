"""Sales questions labelled with their question type (authored data, M5 提问的方式).

``datasets/questions.csv`` holds sales questions written by the kit's authors
in English and Chinese, each labelled with one of the five question types of
SYLLABUS M5 (S1 p.121), its language, the sales scenario and a difficulty, and
a *fixed* held-out split (train/test) drawn once, stratified by type and
language, with at least 25% test in every stratum.  Authored, not generated:
there is no generator and ``salescoach data`` never rewrites the file.  The
data card (``datasets/README.md``) gives the label definitions and the
edge-case policy.
"""
from __future__ import annotations

import pandas as pd

from .schema import Column, Dataset, DataValidationError, RowRule

QUESTION_TYPES = ("opinion", "closed", "descriptive", "clarifying", "consultative")
LANGUAGES = ("en", "zh")
SCENARIOS = ("retail", "b2b", "key_account", "field_sales", "services")
DIFFICULTIES = ("easy", "medium", "hard")
SPLITS = ("train", "test")
MIN_TEST_SHARE = 0.25


def _no_cjk_in_english(df: pd.DataFrame) -> pd.Series:
    cjk = df["text"].str.count(r"[\u4e00-\u9fff]")
    latin = df["text"].str.count(r"[A-Za-z]+")
    return ((df["language"] == "zh") & (cjk == 0)) | ((df["language"] == "en") & (latin < 2))


QUESTIONS = Dataset(
    name="questions",
    file="questions.csv",
    title="Sales questions labelled with the five question types (authored, English and Chinese)",
    source="written for the kit by its authors (see datasets/README.md); MIT like the kit",
    columns=(
        Column("question_id", "str", "Question code, Q001 ...", unique=True),
        Column("text", "str", "The question as a salesperson would say it", unique=True),
        Column("language", "str", "Language of the question", allowed=LANGUAGES),
        Column("type", "str", "Question type (the label)", allowed=QUESTION_TYPES),
        Column("scenario", "str", "Sales setting the question comes from", allowed=SCENARIOS),
        Column("difficulty", "str", "How hard the question is to label", allowed=DIFFICULTIES),
        Column("split", "str", "Fixed held-out split: train or test", allowed=SPLITS),
    ),
    rules=(
        RowRule("the language column does not match the text (Chinese text needs Chinese characters, English text "
                "English words)", ("language", "text"), _no_cjk_in_english,
                "set language to en or zh to match the text"),
    ),
)

DATASETS = (QUESTIONS,)


def check_split(frame: pd.DataFrame, file: str = "questions.csv", min_test: float = MIN_TEST_SHARE) -> None:
    """Every (type, language) stratum has both splits and at least ``min_test`` of its rows in test.

    Raises :class:`DataValidationError` naming the stratum and its rows.  ``load("questions")`` validates the
    columns; the benchmark and the tests call this too, so a hand edit cannot quietly unbalance the split.
    """
    for (qtype, lang), group in frame.groupby(["type", "language"], sort=True):
        share = float((group["split"] == "test").mean())
        if share < min_test or share == 1.0:
            raise DataValidationError(
                file, "split", [int(i) for i in group.index],
                f"the {qtype}/{lang} questions have {share:.0%} in test (need at least {min_test:.0%} and some train)",
                f"mark more {qtype}/{lang} rows as test (or add train rows) so that test is {min_test:.0%} or more")
    missing = [(t, lang) for t in QUESTION_TYPES for lang in LANGUAGES
               if not ((frame["type"] == t) & (frame["language"] == lang)).any()]
    if missing:
        raise DataValidationError(file, "type", [], f"no questions for {missing}",
                                  "add labelled questions for every type in both languages")
