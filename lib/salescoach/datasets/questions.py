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

QUESTION_TYPES = ("opinion-giving", "closed", "descriptive", "clarifying", "consultative")
LANGUAGES = ("en", "zh")
SCENARIOS = ("retail", "b2b", "key_account", "field_sales", "services", "pharma", "agri", "phone")
#: which authored set a question comes from (datasets/README.md): the first set, two later sets in other voices
#: (split once, before any rule change), and the probe sets scored fresh and then studied (train only)
SOURCES = ("core", "voices", "forms", "probes")
TRAIN_ONLY_SOURCES = ("probes",)
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
        Column("question_id", "str", "Question code, Q0001 ...", unique=True),
        Column("text", "str", "The question as a salesperson would say it", unique=True),
        Column("language", "str", "Language of the question", allowed=LANGUAGES),
        Column("type", "str", "Question type (the label)", allowed=QUESTION_TYPES),
        Column("scenario", "str", "Sales setting the question comes from", allowed=SCENARIOS),
        Column("difficulty", "str", "How hard the question is to label", allowed=DIFFICULTIES),
        Column("split", "str", "Fixed held-out split: train or test", allowed=SPLITS),
        Column("source", "str", "Which authored set the question comes from", allowed=SOURCES),
    ),
    rules=(
        RowRule("the language column does not match the text (Chinese text needs Chinese characters, English text "
                "English words)", ("language", "text"), _no_cjk_in_english,
                "set language to en or zh to match the text"),
    ),
)

QUESTIONS_EXTERNAL = Dataset(
    name="questions_external",
    file="questions_external.csv",
    title="A second held-out set of labelled sales questions, in voices the classifier was not developed on",
    source="written for the kit by its authors (see datasets/README.md); MIT like the kit",
    columns=(
        Column("question_id", "str", "Question code, X001 ...", unique=True),
        Column("text", "str", "The question as a salesperson would say it", unique=True),
        Column("language", "str", "Language of the question", allowed=LANGUAGES),
        Column("type", "str", "Question type (the label)", allowed=QUESTION_TYPES),
        Column("scenario", "str", "Sales setting the question comes from", allowed=SCENARIOS),
        Column("difficulty", "str", "How hard the question is to label", allowed=DIFFICULTIES),
    ),
    rules=QUESTIONS.rules,
)

DATASETS = (QUESTIONS, QUESTIONS_EXTERNAL)


def check_split(frame: pd.DataFrame, file: str = "questions.csv", min_test: float = MIN_TEST_SHARE) -> None:
    """Every (source, type, language) stratum has both splits and at least ``min_test`` of its rows in test.

    A source in :data:`TRAIN_ONLY_SOURCES` is the exception: its questions were studied while the classifier
    was developed, so none of them may be in test.

    Raises :class:`DataValidationError` naming the stratum and its rows.  ``load("questions")`` validates the
    columns; the benchmark and the tests call this too, so a hand edit cannot quietly unbalance the split.
    """
    keys = ["source", "type", "language"] if "source" in frame.columns else ["type", "language"]
    for key, group in frame.groupby(keys, sort=True):
        share = float((group["split"] == "test").mean())
        if "source" in frame.columns and key[0] in TRAIN_ONLY_SOURCES:
            if share > 0:
                raise DataValidationError(
                    file, "split", [int(i) for i in group.index[group["split"] == "test"]],
                    f"the {'/'.join(key)} questions are train-only (studied during development) but some are test",
                    "set split to train for these rows (write new test questions in another source instead)")
            continue
        if share < min_test or share == 1.0:
            name = "/".join(key)
            raise DataValidationError(
                file, "split", [int(i) for i in group.index],
                f"the {name} questions have {share:.0%} in test (need at least {min_test:.0%} and some train)",
                f"mark more {name} rows as test (or add train rows) so that test is {min_test:.0%} or more")
    missing = [(t, lang) for t in QUESTION_TYPES for lang in LANGUAGES
               if not ((frame["type"] == t) & (frame["language"] == lang)).any()]
    if missing:
        raise DataValidationError(file, "type", [], f"no questions for {missing}",
                                  "add labelled questions for every type in both languages")
